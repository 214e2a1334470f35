// What the maps draw, taken from the network and from a scenario's evaluation: the sites as the
// scenario's actions leave them (the evaluation's own applyActions), each area's nearest open site (the
// GeoJSON export's nearestOpenSites) and the areas the evaluation says lose coverage.
import { applyActions } from '../domain/actions.js';
import { nearestOpenSites } from '../domain/geojson.js';
import { runFromHub } from '../domain/network-rules.js';
import type { Network, Site } from '../domain/types.js';
import type { ScenarioAction, ScenarioEvaluation } from '../schemas/scenario.js';
import { formatNumber } from './html.js';
import type { MapArea, MapSite } from './map.js';

/** The network's sites and areas as they stand. */
export function networkMap(network: Network): { sites: MapSite[]; areas: MapArea[] } {
  const nearest = nearestOpenSites(network);
  return {
    sites: network.sites.map((site, index) => mapSite(site, index, [])),
    areas: network.areas.map((area, position) => ({
      id: area.id,
      code: area.code,
      name: area.name,
      lat: area.lat,
      lon: area.lon,
      under5s: area.under5Population,
      decile: area.deprivationDecile,
      distanceM: nearest[position]!.distanceM,
      losingCoverage: false,
    })),
  };
}

const mapSite = (site: Site, index: number, changes: string[], newLink = false): MapSite => ({
  id: site.id,
  number: index + 1,
  name: site.name,
  role: site.role,
  status: site.status,
  lat: site.lat,
  lon: site.lon,
  hubId: site.status === 'open' ? site.hubId : null,
  changes,
  newLink,
});

/** What the scenario changes at one site, in words: closure, role, hub, hours and staff (cut, added or moved). */
function changesAt(before: Site, after: Site, names: ReadonlyMap<string, string>, fteDelta: number, moves: readonly string[]): string[] {
  const changes: string[] = [];
  if (before.status !== after.status) changes.push(after.status === 'closed' ? 'closed' : `${after.status} again`);
  if (before.role !== after.role) {
    changes.push(
      runFromHub(after.role) ? `made a ${after.role} of ${names.get(after.hubId ?? '') ?? 'a hub'}` : `made ${after.role === 'hub' ? 'a hub' : after.role}`,
    );
  } else if (before.hubId !== after.hubId && after.hubId) changes.push(`moved to hub ${names.get(after.hubId) ?? ''}`);
  if (before.openingHoursPerWeek !== after.openingHoursPerWeek) {
    changes.push(`hours ${formatNumber(before.openingHoursPerWeek)} → ${formatNumber(after.openingHoursPerWeek)} a week`);
  }
  if (fteDelta !== 0 && after.status === 'open') changes.push(`staff ${fteDelta > 0 ? '+' : '−'}${formatNumber(Math.abs(fteDelta))} FTE`);
  return [...changes, ...moves];
}

/**
 * The scenario's sites (with what changed at each) and areas (with both distances, and whether they
 * lose coverage). `actions` are the stored scenario's, which the evaluation applied with its parameters.
 */
export function scenarioMap(network: Network, actions: readonly ScenarioAction[], evaluation: ScenarioEvaluation) {
  const outcome = applyActions(network, actions, evaluation.parameters);
  // The evaluation succeeded with these very actions and parameters, so they apply.
  if (!outcome.ok) throw new Error('a scenario that evaluated no longer applies');
  const scenarioSites = outcome.applied.sites;
  // The scenario's network lists the sites it adds after the network's own, closed until added.
  const sitesBefore = outcome.applied.network.sites;
  const names = new Map(sitesBefore.map((site) => [site.id, site.name]));
  const fteDelta = new Map<string, number>();
  const addFte = (siteId: string, fte: number) => fteDelta.set(siteId, Math.round(((fteDelta.get(siteId) ?? 0) + fte) * 10_000) / 10_000);
  for (const post of evaluation.postsRemoved) addFte(post.siteId, -post.fte);
  for (const post of evaluation.postsAdded) addFte(post.siteId, post.fte);
  const moves = new Map<string, string[]>();
  const addMove = (siteId: string, words: string) => moves.set(siteId, [...(moves.get(siteId) ?? []), words]);
  for (const post of evaluation.postsRedeployed) {
    addMove(post.fromSiteId, `staff moved: ${formatNumber(post.fte)} FTE ${post.title} to ${post.toSiteName}`);
    addMove(post.toSiteId, `staff moved: ${formatNumber(post.fte)} FTE ${post.title} from ${post.fromSiteName}`);
  }
  const baseline = networkMap(network);
  const scenarioNearest = nearestOpenSites({ ...network, sites: [...scenarioSites] });
  const losing = new Set(evaluation.areasLosingCoverage.map((area) => area.areaId));
  const sites = sitesBefore.map((before, index) => {
    const after = scenarioSites[index]!;
    const changes = changesAt(before, after, names, fteDelta.get(before.id) ?? 0, moves.get(before.id) ?? []);
    const isNew = index >= network.sites.length;
    return mapSite(
      after,
      index,
      isNew ? ['new in this scenario', ...changes.filter((change) => change !== 'open again')] : changes,
      after.hubId !== null && after.hubId !== before.hubId,
    );
  });
  const areas = baseline.areas.map((area, position) => ({
    ...area,
    baselineDistanceM: area.distanceM,
    distanceM: scenarioNearest[position]!.distanceM,
    losingCoverage: losing.has(area.id),
  }));
  return { sites, areas };
}
