// Reach (planning-model.md, "Reach"): who lives within radiusM of an open site, how far the rest
// are, who loses coverage and which services an area loses.
import type { ScenarioEvaluation, ScenarioParameters } from '../schemas/scenario.js';
import { appendTo } from './collections.js';
import { walkingMinutes } from './geo.js';
import { maxListedAreas } from './list-limits.js';
import type { AffectedArea, AffectedAreas, AreaPosition, SitePosition } from './positions.js';
import { derived, derivedKey, sitesAround, type PreparedNetwork } from './prepared.js';
import { nearestPoints, withinRadius, type NearestPoints, type Neighbourhoods } from './spatial.js';
import { serviceKinds, type ServiceKind } from './types.js';

/** Reach by any open site (service-reach.ts has reach by service and of the core offer). */
export type Reach = Omit<ScenarioEvaluation['baseline']['reach'], 'byService' | 'coreOffer'>;

/**
 * Nearest open site of every area in the scenario, searched again only where it can differ from the
 * baseline (first among the sites `around` the closed one); `changed` lists those areas in order, or is
 * null when all could differ.
 */
export function scenarioNearest(
  prepared: PreparedNetwork,
  scenarioOpen: Uint8Array,
  around: Neighbourhoods,
): { nearest: NearestPoints; changed: AreaPosition[] | null } {
  const { siteIndex, areaPoints, open: baselineOpen, nearest: baseline } = prepared;
  const opened = scenarioOpen.some((open, id) => open === 1 && baselineOpen[id] === 0);
  if (opened) return { nearest: nearestPoints(siteIndex, scenarioOpen, areaPoints), changed: null };
  // With sites only closing, an area whose nearest site stays open keeps it.
  const changed: AreaPosition[] = [];
  for (let areaPosition = 0; areaPosition < areaPoints.points.length; areaPosition++) {
    const sitePosition = baseline.id[areaPosition]!;
    if (sitePosition >= 0 && scenarioOpen[sitePosition] === 0) changed.push(areaPosition as AreaPosition);
  }
  return { nearest: nearestPoints(siteIndex, scenarioOpen, areaPoints, { from: baseline, queries: changed, around }), changed };
}

const roundTenth = (value: number): number => Math.round(value * 10) / 10;

/**
 * The areas at least `atLeastM` from their nearest open site, when every other area is nearer: the
 * 95th percentile distance is looked for among these alone when it is at least `atLeastM`.
 */
export interface FarthestAreas {
  atLeastM: number;
  areaPositions: readonly AreaPosition[];
}

/** The areas from the 95th percentile distance out; none without under-5s or without an open site. */
export function farthestAreas(under5s: Float64Array, nearest: NearestPoints): FarthestAreas | undefined {
  let totalUnder5s = 0;
  for (const areaUnder5s of under5s) totalUnder5s += areaUnder5s;
  if (totalUnder5s === 0 || nearest.distanceM.some((distanceM, areaPosition) => distanceM === Infinity && under5s[areaPosition]! > 0)) return undefined;
  const atLeastM = weightedPercentile95(under5s, nearest.distanceM, totalUnder5s);
  const areaPositions: AreaPosition[] = [];
  nearest.distanceM.forEach((distanceM, areaPosition) => {
    if (distanceM >= atLeastM) areaPositions.push(areaPosition as AreaPosition);
  });
  return { atLeastM, areaPositions };
}

/**
 * The baseline's farthest areas as they stand in a scenario that only closes sites (`changed` is not
 * null): distances only grow, so the scenario's 95th percentile is at least the baseline's, and the
 * areas that reach it are the baseline's farthest and the changed areas that moved out to it.
 */
export function scenarioFarthestAreas(
  baseline: FarthestAreas,
  baselineNearest: NearestPoints,
  { nearest, changed }: ReturnType<typeof scenarioNearest>,
): FarthestAreas | undefined {
  if (!changed) return undefined;
  const { atLeastM } = baseline;
  const movedOut = changed.filter((areaPosition) => baselineNearest.distanceM[areaPosition]! < atLeastM && nearest.distanceM[areaPosition]! >= atLeastM);
  return { atLeastM, areaPositions: [...baseline.areaPositions, ...movedOut] };
}

/** Reach of `nearest`; given `farthest`, the 95th percentile distance is looked for among those areas first. */
export function reachFigures(
  under5s: Float64Array,
  deprived: Uint8Array,
  nearest: NearestPoints,
  parameters: ScenarioParameters,
  farthest?: FarthestAreas,
): Reach {
  let totalUnder5s = 0;
  let reachedUnder5s = 0;
  let deprivedUnder5s = 0;
  let deprivedReachedUnder5s = 0;
  let weightedDistance = 0;
  for (let areaPosition = 0; areaPosition < under5s.length; areaPosition++) {
    const areaUnder5s = under5s[areaPosition]!;
    const distanceM = nearest.distanceM[areaPosition]!;
    const covered = distanceM <= parameters.radiusM;
    totalUnder5s += areaUnder5s;
    if (covered) reachedUnder5s += areaUnder5s;
    if (deprived[areaPosition] === 1) {
      deprivedUnder5s += areaUnder5s;
      if (covered) deprivedReachedUnder5s += areaUnder5s;
    }
    if (areaUnder5s > 0) weightedDistance += areaUnder5s * distanceM;
  }
  // Without an open site every distance is Infinity; without under-5s there is nobody to average over.
  const hasDistances = totalUnder5s > 0 && Number.isFinite(weightedDistance);
  const meanDistanceM = hasDistances ? Math.round(weightedDistance / totalUnder5s) : null;
  const p95DistanceM = hasDistances ? Math.round(weightedPercentile95(under5s, nearest.distanceM, totalUnder5s, farthest)) : null;
  const minutes = (distanceM: number | null) =>
    distanceM === null ? null : roundTenth(walkingMinutes(distanceM, parameters.detourFactor, parameters.walkingSpeedMPerMin));
  return {
    totalUnder5s,
    reachedUnder5s,
    reachShare: totalUnder5s > 0 ? reachedUnder5s / totalUnder5s : null,
    deprivedUnder5s,
    deprivedReachedUnder5s,
    deprivedReachShare: deprivedUnder5s > 0 ? deprivedReachedUnder5s / deprivedUnder5s : null,
    meanDistanceM,
    p95DistanceM,
    meanWalkingMinutes: minutes(meanDistanceM),
    p95WalkingMinutes: minutes(p95DistanceM),
  };
}

/**
 * The distance at which cumulative under-5s, areas taken nearest first, first reach 95% of the total.
 * A weighted quickselect (linear time: no sort of tens of thousands of areas). Weights are scaled by
 * 20 and compared with 19 × total, so that whole-number populations compare exactly. With `farthest`,
 * when the nearer areas fall short of 95%, the distance is among the farthest, and only they are looked at.
 */
function weightedPercentile95(under5s: Float64Array, distanceM: Float64Array, totalUnder5s: number, farthest?: FarthestAreas): number {
  let farthestUnder5s = 0;
  for (const areaPosition of farthest?.areaPositions ?? []) farthestUnder5s += under5s[areaPosition]!;
  const nearerUnder5s = totalUnder5s - farthestUnder5s;
  const amongFarthest = farthest !== undefined && 20 * nearerUnder5s < 19 * totalUnder5s;
  const areaPositions = amongFarthest ? farthest.areaPositions : undefined;
  // Plain loops: Float64Array.from with a map function is several times slower.
  const count = areaPositions ? areaPositions.length : distanceM.length;
  const values = new Float64Array(count);
  const weights = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const areaPosition = areaPositions ? areaPositions[index]! : index;
    values[index] = distanceM[areaPosition]!;
    weights[index] = 20 * under5s[areaPosition]!;
  }
  let needed = 19 * totalUnder5s - (areaPositions ? 20 * nearerUnder5s : 0);
  let low = 0;
  let high = values.length - 1;
  const swap = (i: number, j: number): void => {
    const value = values[i]!;
    values[i] = values[j]!;
    values[j] = value;
    const weight = weights[i]!;
    weights[i] = weights[j]!;
    weights[j] = weight;
  };
  while (low < high) {
    // Three-way partition of [low, high] around the middle value: below, equal, above.
    const pivot = values[(low + high) >> 1]!;
    let below = low;
    let above = high;
    let index = low;
    let belowWeight = 0;
    let equalWeight = 0;
    while (index <= above) {
      const value = values[index]!;
      if (value < pivot) {
        belowWeight += weights[index]!;
        swap(index++, below++);
      } else if (value > pivot) swap(index, above--);
      else {
        equalWeight += weights[index]!;
        index++;
      }
    }
    if (needed <= belowWeight && below > low) high = below - 1;
    else if (needed <= belowWeight + equalWeight || above >= high) return pivot;
    else {
      needed -= belowWeight + equalWeight;
      low = above + 1;
    }
  }
  return values[low]!;
}

export interface AreaLosingCoverage {
  areaId: string;
  code: string;
  name: string;
  under5Population: number;
  deprivationDecile: number;
  baselineDistanceM: number;
  scenarioDistanceM: number | null;
}

/** Areas within radiusM of an open site in the baseline and not in the scenario, in the network's order; `changed` as scenarioNearest gives it. */
export function areasLosingCoverage(
  prepared: PreparedNetwork,
  { nearest: scenario, changed }: ReturnType<typeof scenarioNearest>,
  radiusM: number,
): { areas: AreaLosingCoverage[]; count: number } {
  const baseline = prepared.nearest;
  const losing: number[] = [];
  const consider = (areaPosition: number) => {
    if (baseline.distanceM[areaPosition]! <= radiusM && scenario.distanceM[areaPosition]! > radiusM) losing.push(areaPosition);
  };
  if (changed) changed.forEach(consider);
  else for (let areaPosition = 0; areaPosition < baseline.id.length; areaPosition++) consider(areaPosition);
  const areas = Array.from(inNetworkOrder(prepared, losing).subarray(0, maxListedAreas.losingCoverage), (areaPosition) => {
    const { areaId: id, code, name, under5Population, deprivationDecile } = prepared.areaSummaries[areaPosition]!;
    const after = scenario.distanceM[areaPosition]!;
    return {
      areaId: id,
      code,
      name,
      under5Population,
      deprivationDecile,
      baselineDistanceM: Math.round(baseline.distanceM[areaPosition]!),
      scenarioDistanceM: Number.isFinite(after) ? Math.round(after) : null,
    };
  });
  return { areas, count: losing.length };
}

/**
 * Area ids (each once) in the order of their areas in the network. A long list is marked and the
 * network's positions read in order, rather than sorted: a national scenario names over half the areas.
 */
function inNetworkOrder(prepared: PreparedNetwork, areaPositions: ArrayLike<number>): Int32Array {
  const ordered = new Int32Array(areaPositions.length);
  const areaCount = prepared.networkOrderOf.length;
  if (areaPositions.length * Math.log2(areaPositions.length + 1) > areaCount) {
    const listed = new Uint8Array(areaCount);
    for (let index = 0; index < areaPositions.length; index++) listed[prepared.networkOrderOf[areaPositions[index]!]!] = 1;
    for (let position = 0, next = 0; position < areaCount; position++) if (listed[position] === 1) ordered[next++] = prepared.areaAtNetworkOrder[position]!;
    return ordered;
  }
  for (let index = 0; index < areaPositions.length; index++) ordered[index] = prepared.networkOrderOf[areaPositions[index]!]!;
  ordered.sort();
  for (let index = 0; index < ordered.length; index++) ordered[index] = prepared.areaAtNetworkOrder[ordered[index]!]!;
  return ordered;
}

/** Areas as evidence, in the network's order: each named, with their under-5s and deprived under-5s. */
export function areaEvidence(prepared: PreparedNetwork, unordered: ArrayLike<number>, deprived: Uint8Array): AffectedAreas {
  let under5s = 0;
  let deprivedUnder5s = 0;
  const areaPositions = inNetworkOrder(prepared, unordered);
  // A plain loop: Array.from with a map function over a typed array is several times slower.
  const areas: AffectedArea[] = [];
  for (let index = 0; index < areaPositions.length; index++) {
    const areaPosition = areaPositions[index]!;
    under5s += prepared.under5s[areaPosition]!;
    if (deprived[areaPosition] === 1) deprivedUnder5s += prepared.under5s[areaPosition]!;
    if (index < maxListedAreas.evidence) areas.push(prepared.areaSummaries[areaPosition]!);
  }
  return { areas, areaCount: areaPositions.length, under5s, deprivedUnder5s };
}

/**
 * The areas within radiusM of a site (by position) that is open in the baseline, in no particular order,
 * without an index of areas. Such an area's nearest baseline site is within radiusM of it, hence among
 * the sites `around` the site (sitesAround in prepared.ts): only the areas whose nearest site is one of
 * those are looked at.
 */
export function areasNearOpenSite(prepared: PreparedNetwork, around: Neighbourhoods, radiusM: number): (centre: SitePosition) => Int32Array {
  const { siteIndex, areaPoints, nearest } = prepared;
  const { start, positions: areaPositions } = prepared.areasByNearest;
  const isNear = withinRadius(radiusM);
  // Scratch space shared by the calls, which return a copy.
  const near = new Int32Array(areaPositions.length);
  return (centre) => {
    let count = 0;
    for (let neighbour = around.start[centre]!; neighbour < around.end[centre]!; neighbour++) {
      const sitePosition = around.ids[neighbour]!;
      // |d(site, s) − d(area, s)| ≤ d(site, area): most areas are settled without measuring.
      const siteToNearestM = around.distancesM[neighbour]!;
      for (let slot = start[sitePosition]!; slot < start[sitePosition + 1]!; slot++) {
        const areaPosition = areaPositions[slot]!;
        const areaToNearestM = nearest.distanceM[areaPosition]!;
        if (siteToNearestM - areaToNearestM > radiusM) continue;
        if (siteToNearestM + areaToNearestM <= radiusM || isNear(siteIndex, centre, areaPoints, areaPosition)) near[count++] = areaPosition;
      }
    }
    return near.slice(0, count);
  };
}

/**
 * A site open in the baseline that no longer offers some of its services in the scenario (`bits`: all
 * of them when it closes, those withdrawn when it is downgraded), with the areas within radiusM of it.
 */
export interface Withdrawal {
  sitePosition: SitePosition;
  areaPositions: ArrayLike<number>;
  bits: number;
}

/** What servicesLost reads of a scenario. */
export interface ClosingScenario {
  /** 1 for each site open in the scenario. */
  open: Uint8Array;
  /** Each site's services in the scenario (bits, serviceBits in positions.ts). */
  services: Uint16Array;
  /** Each area's nearest site open in the scenario. */
  nearest: NearestPoints;
  /** Every site that closes or withdraws a service. */
  withdrawals: readonly Withdrawal[];
}

/**
 * For each service, the areas where an open site within radiusM offered it in the baseline and none
 * does in the scenario. Only the areas near a site withdrawing a service can lose it, and only what that
 * site withdrew; most keep it at their nearest open site, so only the rest are looked at closely, and
 * only for the services still unaccounted for. `around` holds each site's neighbours (sitesAround in
 * prepared.ts, for this radius).
 */
export function servicesLost(
  { siteIndex, areaPoints: areas }: Pick<PreparedNetwork, 'siteIndex' | 'areaPoints'>,
  { open: scenarioOpen, services, nearest: scenarioNearest, withdrawals: closures }: ClosingScenario,
  { around: sitesAroundSite, radiusM }: { around: Neighbourhoods; radiusM: number },
): Map<ServiceKind, AreaPosition[]> {
  // The services each area could lose: those of the closing sites near it.
  const threatened = new Uint16Array(areas.points.length);
  // For each candidate area, one closure near it (any would do); -1 until one is found, so that an area
  // near several closures is a candidate once, even when the first offers no services.
  const closureNear = new Int32Array(areas.points.length).fill(-1);
  closures.forEach(({ areaPositions, bits }, closure) => {
    // Indexed: for-of over a typed array allocates an iterator result per area here.
    for (let index = 0; index < areaPositions.length; index++) {
      const areaPosition = areaPositions[index]!;
      if (closureNear[areaPosition] === -1) closureNear[areaPosition] = closure;
      threatened[areaPosition]! |= bits;
    }
  });
  const isNear = withinRadius(radiusM);
  const scenarioOffers = (sitePosition: number): number => (scenarioOpen[sitePosition] === 1 ? services[sitePosition]! : 0);
  const lost = new Map<ServiceKind, AreaPosition[]>();
  // The candidates in id order, by a pass over every area: cheaper than sorting a list of them.
  for (let areaPosition = 0; areaPosition < closureNear.length; areaPosition++) {
    if (closureNear[areaPosition] === -1) continue;
    const nearestSite = scenarioNearest.id[areaPosition]!;
    const keptNearest = nearestSite >= 0 && scenarioNearest.distanceM[areaPosition]! <= radiusM ? scenarioOffers(nearestSite) : 0;
    // The threatened services that no open site within radiusM offers yet. A site that stays open offers
    // what it did, so these are lost unless another open site near the area offers them. Every site
    // within radiusM of the area is around the closing site near it (sitesAround in prepared.ts).
    let lostBits = threatened[areaPosition]! & ~keptNearest;
    if (lostBits === 0) continue;
    const closingSite = closures[closureNear[areaPosition]!]!.sitePosition;
    for (let neighbour = sitesAroundSite.start[closingSite]!; neighbour < sitesAroundSite.end[closingSite]!; neighbour++) {
      const sitePosition = sitesAroundSite.ids[neighbour]!;
      if ((scenarioOffers(sitePosition) & lostBits) === 0 || !isNear(areas, areaPosition, siteIndex, sitePosition)) continue;
      lostBits &= ~scenarioOffers(sitePosition);
      if (lostBits === 0) break;
    }
    // A loop, not forEach: a closure an area adds up over thousands of areas.
    for (let bit = 0; lostBits >> bit !== 0; bit++) if ((lostBits & (1 << bit)) !== 0) appendTo(lost, serviceKinds[bit]!, areaPosition as AreaPosition);
  }
  return lost;
}

/** The areas within the radius of a site open in the network: their positions (in no order) and as evidence. */
export interface AreasNear {
  areaPositions: Int32Array;
  evidence: AffectedAreas;
}

/**
 * The areas within radiusM of each site (by position) open in the network, undefined for those closed:
 * worked out once per network, radius and deprived areas (`deprived`, of the `deprivedDeciles`), since
 * every closure or cut in hours of a scenario names them as evidence. The evidence is shared by every
 * evaluation that names the site: results are never changed.
 */
export const areasNearSites = (prepared: PreparedNetwork, radiusM: number, deprived: Uint8Array, deprivedKey: string): readonly (AreasNear | undefined)[] =>
  derived(prepared, derivedKey<readonly (AreasNear | undefined)[]>('areas near sites', radiusM, deprivedKey), () => {
    const findAreas = areasNearOpenSite(prepared, sitesAround(prepared, radiusM), radiusM);
    return Array.from(prepared.open, (open, sitePosition) => {
      if (open !== 1) return undefined;
      const areaPositions = findAreas(sitePosition as SitePosition);
      return { areaPositions, evidence: areaEvidence(prepared, areaPositions, deprived) };
    });
  });
