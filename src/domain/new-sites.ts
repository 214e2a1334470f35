// Sites that exist only in a scenario (add_site, docs/planning-model.md "Actions"). The scenario is
// evaluated over its network with each new site listed after the network's own, closed and empty
// until its action opens it: a closed site costs nothing and reaches nobody, so the baseline's money
// and reach are the network's, and every figure (reach, line items, clusters, phasing) treats the
// new site as it treats a closed site that a scenario reopens.
import type { ScenarioAction } from '../schemas/scenario.js';
// biome-ignore lint/suspicious/noImportCycles: actions.ts lists this handler; it uses that file's helpers
import { addPost, describeSite, fail, findSite, setSite, type Handler } from './actions.js';
import { fteScale, fteUnits } from './money.js';
import { hubProblem, runFromHub } from './network-rules.js';
import type { Network, Site } from './types.js';

type AddSite = Extract<ScenarioAction, { type: 'add_site' }>;

/** The add_site actions whose new site can be listed: the first to name each id that is not already a site of the network. */
function newSitesOf(network: Network, actions: readonly ScenarioAction[]): AddSite[] {
  const taken = new Set<string>();
  const listed: AddSite[] = [];
  for (const action of actions) {
    if (action.type !== 'add_site' || taken.has(action.newSiteId)) continue;
    taken.add(action.newSiteId);
    if (!network.sites.some((site) => site.id === action.newSiteId)) listed.push(action);
  }
  return listed;
}

/** A new site before its action: closed, empty, at its place. */
const placeholder = ({ newSiteId, name, lat, lon }: AddSite): Site => ({
  id: newSiteId,
  name,
  role: 'standalone',
  hubId: null,
  status: 'closed',
  lat,
  lon,
  openingHoursPerWeek: 0,
  services: [],
  annualPremisesCostPence: 0,
  annualRunningCostPence: 0,
});

// A few networks with new sites kept per network object, so that evaluating a scenario again (or its
// phases, or the map) shares one prepared network.
const kept = new WeakMap<Network, Map<string, Network>>();
const keptPerNetwork = 16;

/**
 * The network a scenario's actions apply to: `network` itself, or with the sites the scenario adds
 * listed after its own (closed until their action), the same object for the same new sites.
 */
export function withNewSites(network: Network, actions: readonly ScenarioAction[]): Network {
  const added = newSitesOf(network, actions);
  if (added.length === 0) return network;
  const key = JSON.stringify(added.map(({ newSiteId, name, lat, lon }) => [newSiteId, name, lat, lon]));
  let byKey = kept.get(network);
  if (!byKey) {
    byKey = new Map();
    kept.set(network, byKey);
  }
  let extended = byKey.get(key);
  if (!extended) {
    extended = { ...network, sites: [...network.sites, ...added.map(placeholder)] };
    byKey.set(key, extended);
    if (byKey.size > keptPerNetwork) byKey.delete(byKey.keys().next().value!);
  }
  return extended;
}

export function addSite(...[working, action, actionIndex]: Parameters<Handler<'add_site'>>): ReturnType<Handler<'add_site'>> {
  const id = action.newSiteId;
  if (!working.newSiteIds.has(id)) return fail(`newSiteId ${id} is already a site of this council: choose a new UUID`);
  if (working.sites.has(id)) return fail(`newSiteId ${id} is already added by an earlier action: choose a new UUID`);
  let hub: Site | undefined;
  if (runFromHub(action.role)) {
    if (action.hubId === undefined) return fail(`a ${action.role} needs the hubId of the open hub that runs it`);
    const found = findSite(working, action.hubId, 'hub');
    if ('reason' in found) return found;
    const problem = hubProblem(found, 'open');
    if (problem) return fail(`hub ${describeSite(found)} ${problem}`);
    hub = found;
  } else if (action.hubId !== undefined) return fail(`a ${action.role} site names no hub: leave out hubId`);
  const site: Site = {
    id,
    name: action.name,
    role: action.role,
    hubId: hub?.id ?? null,
    status: 'open',
    lat: action.lat,
    lon: action.lon,
    openingHoursPerWeek: action.openingHoursPerWeek,
    services: [...action.services],
    annualPremisesCostPence: action.annualPremisesCostPence,
    annualRunningCostPence: action.annualRunningCostPence,
  };
  setSite(working, site, actionIndex);
  let units = 0;
  (action.posts ?? []).forEach((post, index) => {
    const postUnits = fteUnits(post.fte);
    units += postUnits;
    addPost(
      working,
      {
        id: `action-${actionIndex}-post-${index}`,
        siteId: id,
        title: post.title,
        kind: post.kind,
        fte: postUnits / fteScale,
        annualCostPerFtePence: post.annualCostPerFtePence,
      },
      actionIndex,
    );
  });
  if (action.capitalCostPence) working.record.capitalCosts.push({ siteId: id, siteName: site.name, actionIndex, pence: action.capitalCostPence });
  const capital = action.capitalCostPence ? `; capital cost ${action.capitalCostPence} pence` : '';
  return {
    description: `Added ${action.role} ${describeSite(site)}${hub ? ` run from ${describeSite(hub)}` : ''}: ${action.openingHoursPerWeek} hours a week, premises ${action.annualPremisesCostPence} and running ${action.annualRunningCostPence} pence a year, ${(action.posts ?? []).length} post(s), ${units / fteScale} FTE${capital}`,
  };
}
