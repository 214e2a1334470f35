// Reach by service (docs/planning-model.md, reach by service): for each service, the under-5s of areas with an open
// site offering it within radiusM, so that a closure, a downgrade to a venue or a service withdrawn
// shows in reach as well as in the service_lost warnings.
import type { ScenarioEvaluation } from '../schemas/scenario.js';
import { serviceBits, type AreaPosition, type SitePosition } from './positions.js';
import type { PreparedNetwork } from './prepared.js';
import type { AreasNear, Withdrawal } from './reach.js';
import { withinRadius } from './spatial.js';
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
