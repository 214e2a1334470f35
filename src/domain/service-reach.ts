// Reach by service (docs/planning-model.md, reach by service): for each service, the under-5s of areas with an open
// site offering it within radiusM, so that a closure, a downgrade to a venue or a service withdrawn
// shows in reach as well as in the service_lost warnings.
import type { ScenarioEvaluation } from '../schemas/scenario.js';
import { serviceBits, type AreaPosition, type SitePosition } from './positions.js';
import type { PreparedNetwork } from './prepared.js';
import type { AreasNear, Withdrawal } from './reach.js';
import { withinRadius, type Neighbourhoods } from './spatial.js';
import { serviceKinds, type ServiceKind, type Site } from './types.js';

export type ServiceReach = ScenarioEvaluation['baseline']['reach']['byService'][number];

/** Each site's services in the scenario (bits), and what the sites the actions changed withdrew and gained. */
export interface ServiceChanges {
  services: Uint16Array;
  withdrawals: Withdrawal[];
  gains: { sitePosition: SitePosition; bits: number }[];
}

/**
 * What the changed sites (by position) offer in the scenario against the baseline. A site offers its
 * services while open; only a site open in the baseline can withdraw one, so each withdrawal has its areas.
 */
export function serviceChanges(
  prepared: PreparedNetwork,
  scenarioSites: readonly Site[],
  scenarioOpen: Uint8Array,
  changedPositions: readonly number[],
  near: readonly (AreasNear | undefined)[],
): ServiceChanges {
  const services = prepared.siteServices.slice();
  const withdrawals: Withdrawal[] = [];
  const gains: ServiceChanges['gains'] = [];
  for (const position of changedPositions) {
    const sitePosition = position as SitePosition;
    services[sitePosition] = serviceBits(scenarioSites[sitePosition]!.services);
    const before = prepared.open[sitePosition] === 1 ? prepared.siteServices[sitePosition]! : 0;
    const after = scenarioOpen[sitePosition] === 1 ? services[sitePosition]! : 0;
    if ((before & ~after) !== 0) withdrawals.push({ sitePosition, areaPositions: near[sitePosition]!.areaPositions, bits: before & ~after });
    if ((after & ~before) !== 0) gains.push({ sitePosition, bits: after & ~before });
  }
  return { services, withdrawals, gains };
}

/** Each area's services offered by an open site within radiusM in the network (bits), from each open site's areas. */
export function baselineCoverage(prepared: PreparedNetwork, near: readonly (AreasNear | undefined)[]): Uint16Array {
  const coverage = new Uint16Array(prepared.areas.length);
  near.forEach((areas, sitePosition) => {
    const bits = prepared.siteServices[sitePosition]!;
    if (!areas || bits === 0) return;
    for (let index = 0; index < areas.areaPositions.length; index++) coverage[areas.areaPositions[index]!]! |= bits;
  });
  return coverage;
}

/**
 * The scenario's coverage: the baseline's, less the services each area loses (servicesLost), plus those
 * a site gains, within radiusM of it. A site closed in the network has no list of its areas: all areas
 * are measured (a reopening is rare).
 */
export function scenarioCoverage(
  prepared: PreparedNetwork,
  baseline: Uint16Array,
  lost: ReadonlyMap<ServiceKind, readonly AreaPosition[]>,
  { gains }: ServiceChanges,
  near: readonly (AreasNear | undefined)[],
  radiusM: number,
): Uint16Array {
  if (lost.size === 0 && gains.length === 0) return baseline;
  const coverage = baseline.slice();
  for (const [service, areaPositions] of lost) {
    const bit = 1 << serviceKinds.indexOf(service);
    for (const areaPosition of areaPositions) coverage[areaPosition]! &= ~bit;
  }
  const isNear = withinRadius(radiusM);
  for (const { sitePosition, bits } of gains) {
    const areas = near[sitePosition];
    if (areas) for (let index = 0; index < areas.areaPositions.length; index++) coverage[areas.areaPositions[index]!]! |= bits;
    else
      for (let areaPosition = 0; areaPosition < coverage.length; areaPosition++) {
        if (isNear(prepared.siteIndex, sitePosition, prepared.areaPoints, areaPosition)) coverage[areaPosition]! |= bits;
      }
  }
  return coverage;
}

/** Reach of each service, in the order of serviceKinds: under-5s (and deprived under-5s) of the areas covered for it. */
export function serviceReach(coverage: Uint16Array, under5s: Float64Array, deprived: Uint8Array): ServiceReach[] {
  const reached = new Float64Array(serviceKinds.length);
  const deprivedReached = new Float64Array(serviceKinds.length);
  let totalUnder5s = 0;
  let deprivedUnder5s = 0;
  for (let areaPosition = 0; areaPosition < coverage.length; areaPosition++) {
    const areaUnder5s = under5s[areaPosition]!;
    const isDeprived = deprived[areaPosition] === 1;
    totalUnder5s += areaUnder5s;
    if (isDeprived) deprivedUnder5s += areaUnder5s;
    const bits = coverage[areaPosition]!;
    for (let bit = 0; bits >> bit !== 0; bit++) {
      if ((bits & (1 << bit)) === 0) continue;
      reached[bit]! += areaUnder5s;
      if (isDeprived) deprivedReached[bit]! += areaUnder5s;
    }
  }
  return serviceKinds.map((service, bit) => ({
    service,
    reachedUnder5s: reached[bit]!,
    reachShare: totalUnder5s > 0 ? reached[bit]! / totalUnder5s : null,
    deprivedReachedUnder5s: deprivedReached[bit]!,
    deprivedReachShare: deprivedUnder5s > 0 ? deprivedReached[bit]! / deprivedUnder5s : null,
  }));
}

// ── The core offer (docs/planning-model.md, "Reach") ────────────────────────────────────────────────
// An area is reached by the core offer when one open site within radiusM offers every service of it:
// a site counts only if it provides all of them.

export type CoreOfferReach = NonNullable<ScenarioEvaluation['baseline']['reach']['coreOffer']>;

/** Whether the services `bits` of an open site make up the whole core offer (`core`, bits). */
const offersAll = (bits: number, core: number): boolean => (bits & core) === core;

/** 1 for each area with a site open in the network offering the whole core offer within radiusM, from each open site's areas. */
export function baselineCoreCoverage(prepared: PreparedNetwork, near: readonly (AreasNear | undefined)[], core: number): Uint8Array {
  const coverage = new Uint8Array(prepared.areas.length);
  near.forEach((areas, sitePosition) => {
    if (!areas || !offersAll(prepared.siteServices[sitePosition]!, core)) return;
    for (let index = 0; index < areas.areaPositions.length; index++) coverage[areas.areaPositions[index]!] = 1;
  });
  return coverage;
}

/**
 * The scenario's core-offer coverage: the baseline's, with the areas near each changed site that no
 * longer offers the whole core offer looked at again (every site within radiusM of such an area is
 * among the sites `around` that site), and those near each changed site that now does added (a site
 * closed in the network, or added by the scenario, has no list of its areas: all areas are measured).
 */
export function scenarioCoreCoverage(
  prepared: PreparedNetwork,
  baseline: Uint8Array,
  scenario: { open: Uint8Array; services: Uint16Array },
  changedPositions: readonly number[],
  near: readonly (AreasNear | undefined)[],
  { around, radiusM, core }: { around: Neighbourhoods; radiusM: number; core: number },
): Uint8Array {
  const offersNow = (sitePosition: number) => scenario.open[sitePosition] === 1 && offersAll(scenario.services[sitePosition]!, core);
  const offeredBefore = (sitePosition: number) => prepared.open[sitePosition] === 1 && offersAll(prepared.siteServices[sitePosition]!, core);
  const losing = changedPositions.filter((position) => offeredBefore(position) && !offersNow(position));
  const gaining = changedPositions.filter((position) => offersNow(position) && !offeredBefore(position));
  if (losing.length === 0 && gaining.length === 0) return baseline;
  const coverage = baseline.slice();
  const isNear = withinRadius(radiusM);
  for (const sitePosition of losing) {
    const areas = near[sitePosition]!.areaPositions;
    for (let index = 0; index < areas.length; index++) {
      const areaPosition = areas[index]!;
      let reached = 0;
      for (let neighbour = around.start[sitePosition]!; neighbour < around.end[sitePosition]! && reached === 0; neighbour++) {
        const other = around.ids[neighbour]!;
        if (offersNow(other) && isNear(prepared.areaPoints, areaPosition, prepared.siteIndex, other)) reached = 1;
      }
      coverage[areaPosition] = reached;
    }
  }
  for (const sitePosition of gaining) {
    const areas = near[sitePosition];
    if (areas) for (let index = 0; index < areas.areaPositions.length; index++) coverage[areas.areaPositions[index]!] = 1;
    else
      for (let areaPosition = 0; areaPosition < coverage.length; areaPosition++) {
        if (isNear(prepared.siteIndex, sitePosition, prepared.areaPoints, areaPosition)) coverage[areaPosition] = 1;
      }
  }
  return coverage;
}

/** Reach of the core offer `services` over the areas `coverage` marks. */
export function coreOfferReach(services: readonly ServiceKind[], coverage: Uint8Array, under5s: Float64Array, deprived: Uint8Array): CoreOfferReach {
  let totalUnder5s = 0;
  let deprivedUnder5s = 0;
  let reachedUnder5s = 0;
  let deprivedReachedUnder5s = 0;
  for (let areaPosition = 0; areaPosition < coverage.length; areaPosition++) {
    const areaUnder5s = under5s[areaPosition]!;
    totalUnder5s += areaUnder5s;
    if (deprived[areaPosition] === 1) deprivedUnder5s += areaUnder5s;
    if (coverage[areaPosition] !== 1) continue;
    reachedUnder5s += areaUnder5s;
    if (deprived[areaPosition] === 1) deprivedReachedUnder5s += areaUnder5s;
  }
  return {
    services: [...services],
    reachedUnder5s,
    reachShare: totalUnder5s > 0 ? reachedUnder5s / totalUnder5s : null,
    deprivedReachedUnder5s,
    deprivedReachShare: deprivedUnder5s > 0 ? deprivedReachedUnder5s / deprivedUnder5s : null,
  };
}
