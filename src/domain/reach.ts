// Reach (planning-model.md, "Reach"): who lives within radiusM of an open site, how far the rest
// are, who loses coverage and which services an area loses.
import type { PlanningWarning, ScenarioEvaluation, ScenarioParameters } from '../schemas/scenario.js';
import { appendTo } from './collections.js';
import { walkingMinutes } from './geo.js';
import { nearestPoints, withinRadius, type NearestPoints, type Neighbourhoods, type PointIndex, type UnitPoints } from './spatial.js';
import type { PreparedNetwork } from './prepared.js';
import { serviceKinds, type Area, type ServiceKind, type Site } from './types.js';

export type Reach = ScenarioEvaluation['baseline']['reach'];
export type AffectedAreas = Omit<Extract<PlanningWarning, { code: 'service_lost' }>['evidence'], 'service'>;

/** 1 for each open site, in network order. */
export function openSiteMask(sites: readonly Site[]): Uint8Array {
  const mask = new Uint8Array(sites.length);
  for (let id = 0; id < sites.length; id++) mask[id] = sites[id]!.status === 'open' ? 1 : 0;
  return mask;
}

export function deprivedAreaMask(areas: readonly Area[], deprivedDeciles: readonly number[]): Uint8Array {
  const mask = new Uint8Array(areas.length);
  for (let id = 0; id < areas.length; id++) mask[id] = deprivedDeciles.includes(areas[id]!.deprivationDecile) ? 1 : 0;
  return mask;
}

/**
 * Nearest open site of every area in the scenario, searched again only where it can differ from the
 * baseline (first among the sites `around` the closed one); `changed` lists those areas in order, or is
 * null when all could differ.
 */
export function scenarioNearest(
  prepared: PreparedNetwork,
  scenarioOpen: Uint8Array,
  around: Neighbourhoods,
): { nearest: NearestPoints; changed: number[] | null } {
  const { siteIndex, areaPoints, open: baselineOpen, nearest: baseline } = prepared;
  const opened = scenarioOpen.some((open, id) => open === 1 && baselineOpen[id] === 0);
  if (opened) return { nearest: nearestPoints(siteIndex, scenarioOpen, areaPoints), changed: null };
  // With sites only closing, an area whose nearest site stays open keeps it.
  const changed: number[] = [];
  for (let areaId = 0; areaId < areaPoints.points.length; areaId++) {
    const siteId = baseline.id[areaId]!;
    if (siteId >= 0 && scenarioOpen[siteId] === 0) changed.push(areaId);
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
  areaIds: readonly number[];
}

/** The areas from the 95th percentile distance out; none without under-5s or without an open site. */
export function farthestAreas(under5s: Float64Array, nearest: NearestPoints): FarthestAreas | undefined {
  let totalUnder5s = 0;
  for (const areaUnder5s of under5s) totalUnder5s += areaUnder5s;
  if (totalUnder5s === 0 || nearest.distanceM.some((distanceM, areaId) => distanceM === Infinity && under5s[areaId]! > 0)) return undefined;
  const atLeastM = weightedPercentile95(under5s, nearest.distanceM, totalUnder5s);
  const areaIds: number[] = [];
  nearest.distanceM.forEach((distanceM, areaId) => {
    if (distanceM >= atLeastM) areaIds.push(areaId);
  });
  return { atLeastM, areaIds };
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
  const movedOut = changed.filter((areaId) => baselineNearest.distanceM[areaId]! < atLeastM && nearest.distanceM[areaId]! >= atLeastM);
  return { atLeastM, areaIds: [...baseline.areaIds, ...movedOut] };
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
  for (let areaId = 0; areaId < under5s.length; areaId++) {
    const areaUnder5s = under5s[areaId]!;
    const distanceM = nearest.distanceM[areaId]!;
    const covered = distanceM <= parameters.radiusM;
    totalUnder5s += areaUnder5s;
    if (covered) reachedUnder5s += areaUnder5s;
    if (deprived[areaId] === 1) {
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
  for (const areaId of farthest?.areaIds ?? []) farthestUnder5s += under5s[areaId]!;
  const nearerUnder5s = totalUnder5s - farthestUnder5s;
  const amongFarthest = farthest !== undefined && 20 * nearerUnder5s < 19 * totalUnder5s;
  const areaIds = amongFarthest ? farthest.areaIds : undefined;
  // Plain loops: Float64Array.from with a map function is several times slower.
  const count = areaIds ? areaIds.length : distanceM.length;
  const values = new Float64Array(count);
  const weights = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const areaId = areaIds ? areaIds[index]! : index;
    values[index] = distanceM[areaId]!;
    weights[index] = 20 * under5s[areaId]!;
  }
  let needed = 19 * totalUnder5s - (areaIds ? 20 * nearerUnder5s : 0);
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
): AreaLosingCoverage[] {
  const baseline = prepared.nearest;
  const losing: number[] = [];
  const consider = (areaId: number) => {
    if (baseline.distanceM[areaId]! <= radiusM && scenario.distanceM[areaId]! > radiusM) losing.push(areaId);
  };
  if (changed) changed.forEach(consider);
  else for (let areaId = 0; areaId < baseline.id.length; areaId++) consider(areaId);
  return Array.from(inNetworkOrder(prepared, losing), (areaId) => {
    const { areaId: id, code, name, under5Population, deprivationDecile } = prepared.areaSummaries[areaId]!;
    const after = scenario.distanceM[areaId]!;
    return {
      areaId: id,
      code,
      name,
      under5Population,
      deprivationDecile,
      baselineDistanceM: Math.round(baseline.distanceM[areaId]!),
      scenarioDistanceM: Number.isFinite(after) ? Math.round(after) : null,
    };
  });
}

/**
 * Area ids (each once) in the order of their areas in the network. A long list is marked and the
 * network's positions read in order, rather than sorted: a national scenario names over half the areas.
 */
function inNetworkOrder(prepared: PreparedNetwork, areaIds: ArrayLike<number>): Int32Array {
  const ordered = new Int32Array(areaIds.length);
  const areaCount = prepared.areaPositions.length;
  if (areaIds.length * Math.log2(areaIds.length + 1) > areaCount) {
    const listed = new Uint8Array(areaCount);
    for (let index = 0; index < areaIds.length; index++) listed[prepared.areaPositions[areaIds[index]!]!] = 1;
    for (let position = 0, next = 0; position < areaCount; position++) if (listed[position] === 1) ordered[next++] = prepared.areaIdAt[position]!;
    return ordered;
  }
  for (let index = 0; index < areaIds.length; index++) ordered[index] = prepared.areaPositions[areaIds[index]!]!;
  ordered.sort();
  for (let index = 0; index < ordered.length; index++) ordered[index] = prepared.areaIdAt[ordered[index]!]!;
  return ordered;
}

export type AffectedArea = AffectedAreas['areas'][number];

/**
 * An area as evidence. One summary an area, made with the prepared network in one pass over the areas
 * (2–3 ms for 30,000; made one at a time as warnings first named them, in scattered order, they took
 * several times that) and shared by every warning and evaluation that names it (results are never
 * changed): a national scenario names tens of thousands.
 */
export const areaSummary = ({ id, code, name, under5Population, deprivationDecile }: Area): AffectedArea => ({
  areaId: id,
  code,
  name,
  under5Population,
  deprivationDecile,
});

/** Areas as evidence, in the network's order: each named, with their under-5s and deprived under-5s. */
export function areaEvidence(prepared: PreparedNetwork, unordered: ArrayLike<number>, deprived: Uint8Array): AffectedAreas {
  let under5s = 0;
  let deprivedUnder5s = 0;
  const areaIds = inNetworkOrder(prepared, unordered);
  // A plain loop: Array.from with a map function over a typed array is several times slower.
  const areas: AffectedArea[] = [];
  for (let index = 0; index < areaIds.length; index++) {
    const areaId = areaIds[index]!;
    under5s += prepared.under5s[areaId]!;
    if (deprived[areaId] === 1) deprivedUnder5s += prepared.under5s[areaId]!;
    areas.push(prepared.areaSummaries[areaId]!);
  }
  return { areas, under5s, deprivedUnder5s };
}

/**
 * The areas within radiusM of a site (by id) that is open in the baseline, in no particular order,
 * without an index of areas. Such an area's nearest baseline site is within radiusM of it, hence among
 * the sites `around` the site (sitesAround in prepared.ts): only the areas whose nearest site is one of
 * those are looked at.
 */
export function areasNearOpenSite(prepared: PreparedNetwork, around: Neighbourhoods, radiusM: number): (siteId: number) => Int32Array {
  const { siteIndex, areaPoints, nearest } = prepared;
  const { start, positions: areaIds } = prepared.areasByNearest;
  const isNear = withinRadius(radiusM);
  // Scratch space shared by the calls, which return a copy.
  const near = new Int32Array(areaIds.length);
  return (centreId) => {
    let count = 0;
    for (let neighbour = around.start[centreId]!; neighbour < around.end[centreId]!; neighbour++) {
      const siteId = around.ids[neighbour]!;
      // |d(site, s) − d(area, s)| ≤ d(site, area): most areas are settled without measuring.
      const siteToNearestM = around.distancesM[neighbour]!;
      for (let slot = start[siteId]!; slot < start[siteId + 1]!; slot++) {
        const areaId = areaIds[slot]!;
        const areaToNearestM = nearest.distanceM[areaId]!;
        if (siteToNearestM - areaToNearestM > radiusM) continue;
        if (siteToNearestM + areaToNearestM <= radiusM || isNear(siteIndex, centreId, areaPoints, areaId)) near[count++] = areaId;
      }
    }
    return near.slice(0, count);
  };
}

const serviceBit = new Map(serviceKinds.map((service, bit) => [service, 1 << bit]));

/** Services as bits, so that what an area is offered is one integer. */
export function serviceBits(services: readonly ServiceKind[]): number {
  let bits = 0;
  for (const service of services) bits |= serviceBit.get(service)!;
  return bits;
}

/**
 * For each service, the areas where an open site within radiusM offered it in the baseline and none
 * does in the scenario. Only the areas near a closing site can lose a service, and only one that site
 * offered; most keep it at their nearest open site, so only the rest are looked at closely, and only
 * for the services still unaccounted for. Closures are given by site id (their position), with the ids
 * of the areas within radiusM of them; every site that closes must be among them. `siteServices` are
 * each site's services as bits (serviceBits), `scenarioOpen` 1 for each site open in the scenario.
 */
export function servicesLost(
  siteIndex: PointIndex,
  sitesAroundSite: Neighbourhoods,
  siteServices: Uint16Array,
  scenarioOpen: Uint8Array,
  areas: UnitPoints,
  closures: readonly { siteId: number; areaIds: ArrayLike<number> }[],
  scenarioNearest: NearestPoints,
  radiusM: number,
): Map<ServiceKind, number[]> {
  // The services each area could lose: those of the closing sites near it.
  const threatened = new Uint16Array(areas.points.length);
  // For each candidate area, one closure near it (any would do); -1 until one is found, so that an area
  // near several closures is a candidate once, even when the first offers no services.
  const closureNear = new Int32Array(areas.points.length).fill(-1);
  closures.forEach(({ siteId, areaIds }, closure) => {
    const bits = siteServices[siteId]!;
    // Indexed: for-of over a typed array allocates an iterator result per area here.
    for (let index = 0; index < areaIds.length; index++) {
      const areaId = areaIds[index]!;
      if (closureNear[areaId] === -1) closureNear[areaId] = closure;
      threatened[areaId]! |= bits;
    }
  });
  const isNear = withinRadius(radiusM);
  // Actions change no site's services, only whether it is open.
  const scenarioOffers = (siteId: number): number => (scenarioOpen[siteId] === 1 ? siteServices[siteId]! : 0);
  const lost = new Map<ServiceKind, number[]>();
  // The candidates in id order, by a pass over every area: cheaper than sorting a list of them.
  for (let areaId = 0; areaId < closureNear.length; areaId++) {
    if (closureNear[areaId] === -1) continue;
    const nearestSiteId = scenarioNearest.id[areaId]!;
    const keptNearest = nearestSiteId >= 0 && scenarioNearest.distanceM[areaId]! <= radiusM ? scenarioOffers(nearestSiteId) : 0;
    // The threatened services that no open site within radiusM offers yet. A site that stays open offers
    // what it did, so these are lost unless another open site near the area offers them. Every site
    // within radiusM of the area is around the closing site near it (sitesAround in prepared.ts).
    let lostBits = threatened[areaId]! & ~keptNearest;
    if (lostBits === 0) continue;
    const closingSiteId = closures[closureNear[areaId]!]!.siteId;
    for (let neighbour = sitesAroundSite.start[closingSiteId]!; neighbour < sitesAroundSite.end[closingSiteId]!; neighbour++) {
      const siteId = sitesAroundSite.ids[neighbour]!;
      if ((scenarioOffers(siteId) & lostBits) === 0 || !isNear(areas, areaId, siteIndex, siteId)) continue;
      lostBits &= ~scenarioOffers(siteId);
      if (lostBits === 0) break;
    }
    // A loop, not forEach: a closure an area adds up over thousands of areas.
    for (let bit = 0; lostBits >> bit !== 0; bit++) if ((lostBits & (1 << bit)) !== 0) appendTo(lost, serviceKinds[bit]!, areaId);
  }
  return lost;
}
