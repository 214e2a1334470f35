// Warnings a planner must see before deciding: each with a stable code, a message and its evidence.
import type { PlanningWarning, ScenarioEvaluation, ScenarioParameters } from '../schemas/scenario.js';
import type { Cluster } from './network.js';
import type { AffectedAreas, AreaPosition, SitePosition } from './positions.js';
import { areaEvidence } from './reach.js';
import type { PreparedNetwork } from './prepared.js';
import type { ServiceKind, Site } from './types.js';

export type { PlanningWarning };

/** Spokes too far from their hub and hubs over their span, among open sites; `known` has some clusters' warnings already. */
export function clusterWarnings(
  clusters: readonly Cluster[],
  parameters: ScenarioParameters,
  known?: ReadonlyMap<Cluster, readonly PlanningWarning[]>,
): PlanningWarning[] {
  const warnings: PlanningWarning[] = [];
  for (const cluster of clusters) warnings.push(...(known?.get(cluster) ?? warningsOfCluster(cluster, parameters)));
  return warnings;
}

/** Each cluster's warnings, for clusterWarnings to look up. */
export function warningsByCluster(clusters: readonly Cluster[], parameters: ScenarioParameters): Map<Cluster, PlanningWarning[]> {
  return new Map(clusters.map((cluster) => [cluster, warningsOfCluster(cluster, parameters)]));
}

function warningsOfCluster(cluster: Cluster, parameters: ScenarioParameters): PlanningWarning[] {
  if (cluster.hubStatus !== 'open') return [];
  const hub = { hubId: cluster.hubId, hubName: cluster.hubName };
  const tooFar = cluster.spokes
    .filter((spoke) => spoke.status === 'open' && spoke.distanceM > parameters.maxSpokeDistanceM)
    .map(
      (spoke): PlanningWarning => ({
        code: 'spoke_too_far',
        message: `Spoke "${spoke.siteName}" is ${spoke.distanceM} m from its hub "${cluster.hubName}", more than ${parameters.maxSpokeDistanceM} m`,
        evidence: { ...hub, spokeId: spoke.siteId, spokeName: spoke.siteName, distanceM: spoke.distanceM, maxSpokeDistanceM: parameters.maxSpokeDistanceM },
      }),
    );
  if (cluster.openSpokes <= parameters.maxSpokesPerHub) return tooFar;
  return [
    ...tooFar,
    {
      code: 'hub_over_span',
      message: `Hub "${cluster.hubName}" has ${cluster.openSpokes} open spokes, more than ${parameters.maxSpokesPerHub}`,
      evidence: { ...hub, openSpokes: cluster.openSpokes, maxSpokesPerHub: parameters.maxSpokesPerHub },
    },
  ];
}

export function incomeLostWarnings(incomeLost: ScenarioEvaluation['incomeLost']): PlanningWarning[] {
  return incomeLost.streams.map((stream) => ({
    code: 'income_lost',
    message: `Income from ${stream.partner} (${stream.annualValuePence} pence a year) needs "${stream.siteName}" open and is lost when it closes`,
    evidence: {
      incomeStreamId: stream.incomeStreamId,
      partner: stream.partner,
      siteId: stream.siteId ?? '',
      siteName: stream.siteName,
      annualValuePence: stream.annualValuePence,
      year1Pence: stream.year1Pence,
    },
  }));
}

export interface SignificantChange {
  /** The site's position in the network. */
  sitePosition: SitePosition;
  baselineSite: Site;
  scenarioSite: Site;
  change: 'closure' | 'hours_cut';
}

/** Closures, and cuts in hours of more than consultationHoursCutShare of the baseline hours. */
export function significantChanges(baselineSites: readonly Site[], scenarioSites: readonly Site[], parameters: ScenarioParameters): SignificantChange[] {
  const changes: SignificantChange[] = [];
  baselineSites.forEach((baselineSite, position) => {
    const sitePosition = position as SitePosition;
    const scenarioSite = scenarioSites[sitePosition]!;
    if (baselineSite === scenarioSite || baselineSite.status !== 'open') return;
    const cut = baselineSite.openingHoursPerWeek - scenarioSite.openingHoursPerWeek;
    if (scenarioSite.status === 'closed') changes.push({ sitePosition, baselineSite, scenarioSite, change: 'closure' });
    else if (cut > parameters.consultationHoursCutShare * baselineSite.openingHoursPerWeek) {
      changes.push({ sitePosition, baselineSite, scenarioSite, change: 'hours_cut' });
    }
  });
  return changes;
}

export function consultationWarning(change: SignificantChange, evidence: AffectedAreas): PlanningWarning {
  const { baselineSite, scenarioSite } = change;
  const what =
    change.change === 'closure'
      ? `Closing "${baselineSite.name}"`
      : `Cutting "${baselineSite.name}" from ${baselineSite.openingHoursPerWeek} to ${scenarioSite.openingHoursPerWeek} hours a week`;
  return {
    code: 'consultation_required',
    message: `${what} is a significant change in services: consult first (Childcare Act 2006, s5D). ${evidence.areaCount} area(s) with ${evidence.under5s} under-5s (${evidence.deprivedUnder5s} in deprived areas) are within reach of it`,
    evidence: {
      siteId: baselineSite.id,
      siteName: baselineSite.name,
      change: change.change,
      baselineHoursPerWeek: baselineSite.openingHoursPerWeek,
      scenarioHoursPerWeek: scenarioSite.openingHoursPerWeek,
      ...evidence,
    },
  };
}

export function serviceLostWarnings(
  lost: ReadonlyMap<ServiceKind, readonly AreaPosition[]>,
  prepared: PreparedNetwork,
  deprived: Uint8Array,
): PlanningWarning[] {
  return [...lost.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([service, areaPositions]) => {
      const evidence = areaEvidence(prepared, areaPositions, deprived);
      return {
        code: 'service_lost',
        message: `${service.replaceAll('_', ' ')} is no longer offered within reach of ${evidence.areaCount} area(s) with ${evidence.under5s} under-5s`,
        evidence: { service, ...evidence },
      };
    });
}
