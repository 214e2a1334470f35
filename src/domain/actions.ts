// Applies a scenario's ordered actions to a network (planning-model.md, "Actions"). Each action sees
// the network as the previous ones left it. Invalid actions are reported, not thrown: every action is
// checked, an invalid one is skipped (so later errors may follow from it) and the result lists them all.
import type { ActionError, AddedPost, PlanningWarning, ScenarioAction, ScenarioActionType, ScenarioParameters } from '../schemas/scenario.js';
import { addCentralCost, centralWorking, changeCentralCost, currentCentral, type CentralRemoval, type CentralWorking } from './central-costs.js';
import { overlay, type Lookup } from './collections.js';
import { addYears, dayNumber, isoDate, planYears } from './dates.js';
import { ExactTotal, fteScale, fteUnits, scalePence } from './money.js';
import type { SitesById } from './network.js';
import { holdsUp, hubChange, hubProblem, runFromHub, spokesHolding, type SiteState } from './network-rules.js';
import { effectiveDateProblem } from './phasing.js';
// biome-ignore lint/suspicious/noImportCycles: site-actions.ts uses this file's helpers; to break by moving them to a module of their own
import { formCluster, makeVenue } from './site-actions.js';
// biome-ignore lint/suspicious/noImportCycles: new-sites.ts uses this file's helpers; to break by moving them to a module of their own
import { addSite, withNewSites } from './new-sites.js';
import { indexNetwork, type NetworkIndex } from './prepared.js';
import type { CentralCost, IncomeStream, Network, Post, PostKind, Site } from './types.js';

export type { ActionError, ScenarioAction };

/** A post, or the part of one, that an action removed. */
export interface PostRemoval {
  /** The removed part: `fte` is the FTE removed. */
  post: Post;
  siteName: string;
  actionIndex: number;
  /** Added earlier in the same scenario, so never filled: no redundancy. */
  addedByScenario: boolean;
}

/** A post, or the part of one, that an action moved to another open site instead of removing it. */
export interface PostMove {
  /** The part moved, as it was at its old site: `fte` is the FTE moved. */
  post: Post;
  newPostId: string;
  fromSiteName: string;
  toSiteId: string;
  toSiteName: string;
  actionIndex: number;
}

export interface OneOffItem {
  siteId: string;
  siteName: string;
  pence: number;
  actionIndex: number;
}

export interface AppliedScenario {
  /**
   * The network the actions applied to, which every site position refers to: the one given, with the
   * sites the scenario adds (add_site) listed after its own, closed (new-sites.ts).
   */
  network: Network;
  /** The scenario's sites in the order of `network`: actions change sites but never remove or move them. */
  sites: readonly Site[];
  /**
   * The scenario's income streams: the network's in order, less those removed, then those added.
   * Listed on request: an evaluation reads only `touchedIncome`.
   */
  listIncomeStreams: () => IncomeStream[];
  /** The only income the scenario may count differently from the network. */
  touchedIncome: TouchedIncome;
  postsRemoved: PostRemoval[];
  postsAdded: AddedPost[];
  postsRedeployed: PostMove[];
  /** Posts that left with a site transferred to another provider. */
  postsTransferred: Omit<PostRemoval, 'addedByScenario'>[];
  closureCosts: OneOffItem[];
  /** Capital costs of the sites added. */
  capitalCosts: OneOffItem[];
  capitalReceipts: OneOffItem[];
  log: { actionIndex: number; type: ScenarioActionType; description: string }[];
  warnings: PlanningWarning[];
  /**
   * The sites whose record, posts or income an action changed, by id in the order first changed, each
   * with what changed there: everything else is as it was.
   */
  changesBySite: ReadonlyMap<string, SiteChanges>;
  /** The last action that changed each income stream, by id. */
  incomeChangedBy: ReadonlyMap<string, number>;
  /** The scenario's posts by site id. */
  postsBySite: Lookup<string, readonly Post[]>;
  /** The scenario's sites by id. */
  sitesById: SitesById;
  /** The scenario's income streams by id (none for those removed). */
  incomeById: Lookup<string, IncomeStream>;
  /** The scenario's central costs: the network's in order (as changed, less those removed), then those added. */
  centralCosts: CentralCost[];
  /** Central posts, or parts, that actions cut. */
  centralRemoved: CentralRemoval[];
  /** The last action that changed each central cost, by id. */
  centralChangedBy: ReadonlyMap<string, number>;
}

/**
 * The site's record and posts that actions changed (by id), each with the last action that changed it.
 * Kept by site, a few entries each, rather than in one map of every id: read site by site.
 */
export interface SiteChanges {
  ids: string[];
  actionIndexes: number[];
}

/** The last action that changed `id` among a site's changes (null when none did). */
export function lastChange(changes: SiteChanges, id: string): number | null {
  const index = changes.ids.indexOf(id);
  return index < 0 ? null : changes.actionIndexes[index]!;
}

/**
 * The income streams tied to a site that an action changed, or changed themselves and tied to no site,
 * on each side. Every other stream is the same in both, tied to a site that is the same in both, so it
 * counts the same: a scenario's income is the network's with these taken out and put back as they are.
 */
export interface TouchedIncome {
  /** Their positions in the network's list, ascending. */
  baseline: Int32Array;
  /** The network's, in that order. */
  baselineStreams: IncomeStream[];
  /** The scenario's, in its order (as `listIncomeStreams`). */
  scenario: IncomeStream[];
  /** Each of `scenario`'s place in that order: its position in the network's list, or after those for a stream added. */
  scenarioOrder: Int32Array;
}

export type ApplyResult = { ok: true; applied: AppliedScenario } | { ok: false; errors: ActionError[] };

/**
 * The working network: what the actions replaced, over the network's own records (`baseline`), so that
 * a scenario costs what it changes rather than a copy of everything. Sites, posts, streams and lists
 * are replaced, never mutated.
 */
export interface Working {
  network: Network;
  baseline: NetworkIndex;
  /** The sites of `network` that the scenario adds, each open once its add_site has applied (and unknown until then). */
  newSiteIds: ReadonlySet<string>;
  /** Sites replaced, by id. */
  sites: Map<string, Site>;
  /** Post lists replaced, by site id, each in network order. */
  postsBySite: Map<string, Post[]>;
  /** Income streams added or replaced, by id; null once removed. */
  income: Map<string, IncomeStream | null>;
  /** Lists of the income stream ids tied to a site, replaced, by site id (some streams may since have been removed). */
  incomeIdsBySite: Map<string, readonly string[]>;
  record: Omit<
    AppliedScenario,
    | 'network'
    | 'sites'
    | 'listIncomeStreams'
    | 'touchedIncome'
    | 'changesBySite'
    | 'incomeChangedBy'
    | 'postsBySite'
    | 'sitesById'
    | 'incomeById'
    | 'centralCosts'
    | 'centralRemoved'
    | 'centralChangedBy'
  >;
  changesBySite: Map<string, SiteChanges>;
  incomeChangedBy: Map<string, number>;
  addedPostIds: Set<string>;
  central: CentralWorking;
  parameters: ScenarioParameters;
}

export type Handler<T extends ScenarioActionType> = (working: Working, action: Extract<ScenarioAction, { type: T }>, actionIndex: number) => Failure | Success;
export type Failure = { reason: string };
export type Success = { description: string };

export const fail = (reason: string): Failure => ({ reason });
export const describeSite = (site: Site): string => `"${site.name}" (${site.id})`;

export const siteById = (working: Working, siteId: string): Site | undefined => working.sites.get(siteId) ?? working.baseline.sites.get(siteId);

export function findSite(working: Working, siteId: string, label = 'site'): Site | Failure {
  if (working.newSiteIds.has(siteId) && !working.sites.has(siteId)) {
    return fail(`${label} ${siteId} is added by a later add_site: list it before the actions that name the site`);
  }
  return siteById(working, siteId) ?? fail(`unknown ${label} ${siteId}: not a site of this council`);
}

/**
 * Refuses a change of `site` to `next` that its spokes hold up (network-rules.ts): open spokes hold a
 * hub open, any spoke keeps it a hub. Rare (hubs only), so a pass over every site is fine.
 */
export function heldUpBySpokes(working: Working, site: Site, next: SiteState, what: string): Failure | undefined {
  const change = hubChange(site, next);
  if (!change) return undefined;
  const spokes = working.network.sites
    .map((other) => working.sites.get(other.id) ?? other)
    .filter((other) => runFromHub(other.role) && other.hubId === site.id && holdsUp(change, other));
  if (spokes.length === 0) return undefined;
  const which = spokesHolding(change) === 'open' ? 'open spokes' : 'spokes';
  const how = change === 'close' ? 'reassign or close them' : 'reassign them or make them standalone';
  return fail(`cannot ${what} hub ${describeSite(site)}: it still has ${which} ${spokes.map(describeSite).join(', ')}; ${how} earlier in the list`);
}

/** What actions changed at a site so far; asking marks the site changed. */
function changesAt(working: Working, siteId: string): SiteChanges {
  let changes = working.changesBySite.get(siteId);
  if (!changes) {
    changes = { ids: [], actionIndexes: [] };
    working.changesBySite.set(siteId, changes);
  }
  return changes;
}

/** Records that action `actionIndex` changed the record or post `id` of a site (its `changes`). */
function markChanged(changes: SiteChanges, id: string, actionIndex: number): void {
  const index = changes.ids.indexOf(id);
  if (index >= 0) changes.actionIndexes[index] = actionIndex;
  else {
    changes.ids.push(id);
    changes.actionIndexes.push(actionIndex);
  }
}

/** Records that action `actionIndex` changed `stream`, and so the site it is tied to. */
function markIncomeChanged(working: Working, stream: IncomeStream, actionIndex: number): void {
  working.incomeChangedBy.set(stream.id, actionIndex);
  if (stream.siteId !== null) changesAt(working, stream.siteId);
}

export function setSite(working: Working, site: Site, actionIndex: number): void {
  working.sites.set(site.id, site);
  markChanged(changesAt(working, site.id), site.id, actionIndex);
}

/** FTE-weighted mean cost per FTE, whole pence; null without posts. */
export function meanCostPerFtePence(posts: readonly Post[]): number | null {
  const total = new ExactTotal();
  let units = 0;
  for (const post of posts) {
    total.addProduct(fteUnits(post.fte), post.annualCostPerFtePence);
    units += fteUnits(post.fte);
  }
  return units === 0 ? null : total.dividedBy(units);
}

/**
 * A site's posts in the working network: none while it is closed (a site closed in the network may
 * still hold the posts it had: they count for nothing and do not come back when it reopens).
 */
export function postsAt(working: Working, siteId: string, kind?: PostKind): readonly Post[] {
  if (siteById(working, siteId)?.status === 'closed') return [];
  const posts = working.postsBySite.get(siteId) ?? working.baseline.postsBySite.get(siteId) ?? [];
  return kind === undefined ? posts : posts.filter((post) => post.kind === kind);
}

/**
 * Takes `units` ten-thousandths of FTE out of `posts` (some or all of those at `site`, in their order),
 * last listed first: whole posts, then part of one. Returns the parts taken.
 */
function takePosts(working: Working, posts: readonly Post[], units: number, site: Site, actionIndex: number): Post[] {
  let remaining = units;
  // posts[first …] are cut; posts[first] may keep a part (`partLeft`).
  let first = posts.length;
  let partLeft: Post | undefined;
  while (remaining > 0 && first > 0) {
    const post = posts[--first]!;
    const postUnits = fteUnits(post.fte);
    const removedUnits = Math.min(postUnits, remaining);
    remaining -= removedUnits;
    if (removedUnits < postUnits) partLeft = { ...post, fte: (postUnits - removedUnits) / fteScale };
  }
  const cut = posts.slice(first);
  const changes = changesAt(working, site.id);
  for (const post of cut) markChanged(changes, post.id, actionIndex);
  const left: Post[] = [];
  for (const post of postsAt(working, site.id)) {
    if (post === cut[0] && partLeft) left.push(partLeft);
    else if (!cut.includes(post)) left.push(post);
  }
  working.postsBySite.set(site.id, left);
  return cut.map((post, index) => (index === 0 && partLeft ? { ...post, fte: (fteUnits(post.fte) - fteUnits(partLeft.fte)) / fteScale } : post));
}

/** Removes `units` of FTE from `posts` (see takePosts), each part named as removed. Returns the number of posts cut. */
export function removePosts(working: Working, posts: readonly Post[], units: number, site: Site, actionIndex: number): number {
  const cut = takePosts(working, posts, units, site, actionIndex);
  for (const post of cut) {
    working.record.postsRemoved.push({ post, siteName: site.name, actionIndex, addedByScenario: working.addedPostIds.has(post.id) });
  }
  return cut.length;
}

/** Puts `post` at its site, last. */
function placePost(working: Working, post: Post, actionIndex: number): void {
  working.postsBySite.set(post.siteId, [...postsAt(working, post.siteId), post]);
  markChanged(changesAt(working, post.siteId), post.id, actionIndex);
}

export function addPost(working: Working, post: Post, actionIndex: number): void {
  placePost(working, post, actionIndex);
  working.addedPostIds.add(post.id);
  working.record.postsAdded.push({
    postId: post.id,
    title: post.title,
    siteId: post.siteId,
    kind: post.kind,
    fte: post.fte,
    annualCostPerFtePence: post.annualCostPerFtePence,
    actionIndex,
  });
}

// Rare (no posts of the kind at the site, and no cost given), so a pass over every post is fine.
function postsOfKind(working: Working, kind: PostKind): Post[] {
  const siteIds = new Set([...working.baseline.postsBySite.keys(), ...working.postsBySite.keys()]);
  return [...siteIds].flatMap((siteId) => postsAt(working, siteId, kind));
}

export const fteText = (units: number): string => `${units / fteScale} FTE`;

export type Redeployment = NonNullable<Extract<ScenarioAction, { type: 'close_site' }>['redeploy']>[number];

export const sumUnits = (posts: readonly Post[]): number => posts.reduce((sum, post) => sum + fteUnits(post.fte), 0);

/**
 * Checks that each redeployment names posts at `site` (of `kind` only, when given) that are there, in
 * all, and an open site other than `site`: nothing changes when one fails.
 */
export function checkRedeployments(working: Working, site: Site, redeployments: readonly Redeployment[], kind?: PostKind): Failure | undefined {
  const wanted = new Map<PostKind, number>();
  const named = new Set<string>();
  for (const redeployment of redeployments) {
    const target = findSite(working, redeployment.toSiteId, 'site to redeploy to');
    if ('reason' in target) return target;
    if (target.id === site.id) return fail(`cannot redeploy posts of ${describeSite(site)} to the same site`);
    if (target.status !== 'open') return fail(`cannot redeploy posts to ${describeSite(target)}: it is closed`);
    let postKind: PostKind;
    let units: number;
    if ('postId' in redeployment) {
      const post = postsAt(working, site.id).find((candidate) => candidate.id === redeployment.postId);
      if (!post) return fail(`post ${redeployment.postId} is not at ${describeSite(site)}`);
      if (named.has(post.id)) return fail(`post ${post.id} is redeployed twice`);
      named.add(post.id);
      postKind = post.kind;
      units = fteUnits(post.fte);
    } else {
      postKind = redeployment.kind;
      units = fteUnits(redeployment.fte);
    }
    if (kind !== undefined && postKind !== kind) return fail(`only ${kind} posts of ${describeSite(site)} can be redeployed by this action, not ${postKind}`);
    wanted.set(postKind, (wanted.get(postKind) ?? 0) + units);
  }
  for (const [postKind, units] of wanted) {
    const available = sumUnits(postsAt(working, site.id, postKind));
    if (units > available) {
      return fail(`cannot redeploy ${fteText(units)} of ${postKind} from ${describeSite(site)}: it has ${fteText(available)}`);
    }
  }
  return undefined;
}

/** Moves `units` of FTE of `posts` at `site` to `target`, each part a new post there with its cost, named as redeployed. */
export function movePosts(working: Working, posts: readonly Post[], units: number, site: Site, target: Site, actionIndex: number): void {
  for (const post of takePosts(working, posts, units, site, actionIndex)) {
    const newPostId = `action-${actionIndex}-redeployed-${working.record.postsRedeployed.length}`;
    placePost(working, { ...post, id: newPostId, siteId: target.id, title: `${post.title} (from ${site.name})` }, actionIndex);
    working.record.postsRedeployed.push({ post, newPostId, fromSiteName: site.name, toSiteId: target.id, toSiteName: target.name, actionIndex });
  }
}

/** Applies checked redeployments (checkRedeployments): named posts first, then FTE of a kind. Returns the FTE moved. */
export function redeploy(working: Working, site: Site, redeployments: readonly Redeployment[], actionIndex: number): number {
  let moved = 0;
  const byPostFirst = [...redeployments].sort((a, b) => Number('kind' in a) - Number('kind' in b));
  for (const redeployment of byPostFirst) {
    const target = siteById(working, redeployment.toSiteId)!;
    const posts =
      'postId' in redeployment ? postsAt(working, site.id).filter((post) => post.id === redeployment.postId) : postsAt(working, site.id, redeployment.kind);
    const units = 'postId' in redeployment ? sumUnits(posts) : fteUnits(redeployment.fte);
    movePosts(working, posts, units, site, target, actionIndex);
    moved += units;
  }
  return moved;
}

export const redeployedText = (units: number): string => (units > 0 ? `, ${fteText(units)} redeployed` : '');

const closeSite: Handler<'close_site'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  if (site.status === 'closed') return fail(`site ${describeSite(site)} is already closed`);
  const blocked = heldUpBySpokes(working, site, { role: site.role, status: 'closed' }, 'close');
  if (blocked) return blocked;
  let target: Site | undefined;
  if (action.relocateIncomeToSiteId !== undefined) {
    const found = findSite(working, action.relocateIncomeToSiteId, 'site to relocate income to');
    if ('reason' in found) return found;
    if (found.id === site.id) return fail('cannot relocate income to the site being closed');
    if (found.status !== 'open') return fail(`cannot relocate income to ${describeSite(found)}: it is closed`);
    target = found;
  }
  const redeployments = action.redeploy ?? [];
  const invalid = checkRedeployments(working, site, redeployments);
  if (invalid) return invalid;

  const redeployed = redeploy(working, site, redeployments, actionIndex);
  const posts = postsAt(working, site.id);
  const units = sumUnits(posts);
  removePosts(working, posts, units, site, actionIndex);
  setSite(working, { ...site, status: 'closed' }, actionIndex);
  const relocated = target ? relocateIncome(working, site.id, target.id, actionIndex) : 0;
  for (const stream of incomeAt(working, site.id)) {
    if (stream.requiresSiteOpen) markIncomeChanged(working, stream, actionIndex); // lost with the site
  }
  const oneOff = { siteId: site.id, siteName: site.name, actionIndex };
  if (action.oneOffCostPence) working.record.closureCosts.push({ ...oneOff, pence: action.oneOffCostPence });
  if (action.capitalReceiptPence) working.record.capitalReceipts.push({ ...oneOff, pence: action.capitalReceiptPence });
  const relocation = target ? `; ${relocated} income stream(s) moved to "${target.name}"` : '';
  return { description: `Closed "${site.name}": ${posts.length} post(s), ${fteText(units)} removed${redeployedText(redeployed)}${relocation}` };
};

function streamById(working: Working, id: string): IncomeStream | undefined {
  const replaced = working.income.get(id);
  return replaced === undefined ? working.baseline.incomeStreams.get(id) : (replaced ?? undefined);
}

const incomeIdsAt = (working: Working, siteId: string): readonly string[] =>
  working.incomeIdsBySite.get(siteId) ?? working.baseline.incomeIdsBySite.get(siteId) ?? [];

function incomeAt(working: Working, siteId: string): IncomeStream[] {
  const streams: IncomeStream[] = [];
  for (const id of incomeIdsAt(working, siteId)) {
    const stream = streamById(working, id);
    if (stream) streams.push(stream);
  }
  return streams;
}

function tieIncome(working: Working, stream: IncomeStream, actionIndex: number): void {
  working.income.set(stream.id, stream);
  markIncomeChanged(working, stream, actionIndex);
  if (stream.siteId !== null) working.incomeIdsBySite.set(stream.siteId, [...incomeIdsAt(working, stream.siteId), stream.id]);
}

function relocateIncome(working: Working, fromSiteId: string, toSiteId: string, actionIndex: number): number {
  const streams = incomeAt(working, fromSiteId);
  working.incomeIdsBySite.set(fromSiteId, []);
  for (const stream of streams) tieIncome(working, { ...stream, siteId: toSiteId }, actionIndex);
  return streams.length;
}

const reopenSite: Handler<'reopen_site'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  if (site.status === 'open') return fail(`site ${describeSite(site)} is already open`);
  if (runFromHub(site.role)) {
    const hub = site.hubId === null ? undefined : siteById(working, site.hubId);
    if (!hub || hubProblem(hub, 'open')) {
      return fail(`cannot reopen ${site.role} ${describeSite(site)}: its hub is not an open hub; make it standalone or a spoke of an open hub first`);
    }
  }
  setSite(working, { ...site, status: 'open' }, actionIndex);
  working.postsBySite.set(site.id, []);
  return { description: `Reopened "${site.name}" with its premises and running costs; no staff` };
};

const makeSpoke: Handler<'make_spoke'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  const hub = findSite(working, action.hubId, 'hub');
  if ('reason' in hub) return hub;
  if (site.id === hub.id) return fail(`site ${describeSite(site)} cannot be its own hub`);
  if (site.status !== 'open') return fail(`site ${describeSite(site)} is closed`);
  const problem = hubProblem(hub, site.status);
  if (problem) return fail(`hub ${describeSite(hub)} ${problem}`);
  if (site.role === 'spoke' && site.hubId === hub.id) return fail(`site ${describeSite(site)} is already a spoke of ${describeSite(hub)}`);
  const blocked = heldUpBySpokes(working, site, { role: 'spoke', status: site.status }, 'make a spoke of');
  if (blocked) return blocked;
  const redeployments = action.redeploy ?? [];
  const invalid = checkRedeployments(working, site, redeployments, 'management');
  if (invalid) return invalid;

  const redeployed = redeploy(working, site, redeployments, actionIndex);
  setSite(working, { ...site, role: 'spoke', hubId: hub.id }, actionIndex);
  const management = postsAt(working, site.id, 'management');
  const removedUnits = sumUnits(management);
  removePosts(working, management, removedUnits, site, actionIndex);
  const addedUnits = fteUnits(working.parameters.hubManagementFtePerSpoke);
  if (addedUnits > 0) {
    addPost(
      working,
      {
        id: `action-${actionIndex}-hub-management`,
        siteId: hub.id,
        title: `Hub management for spoke ${site.name}`,
        kind: 'management',
        fte: addedUnits / fteScale,
        annualCostPerFtePence: meanCostPerFtePence(postsAt(working, hub.id, 'management')) ?? working.parameters.hubManagementCostPerFtePence,
      },
      actionIndex,
    );
  }
  return {
    description: `Made "${site.name}" a spoke of "${hub.name}": ${fteText(removedUnits)} of its management removed${redeployedText(redeployed)}, ${fteText(addedUnits)} of management added at the hub`,
  };
};

const makeHub: Handler<'make_hub'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  if (site.role === 'hub') return fail(`site ${describeSite(site)} is already a hub`);
  setSite(working, { ...site, role: 'hub', hubId: null }, actionIndex);
  return { description: `Made "${site.name}" a hub` };
};

const makeStandalone: Handler<'make_standalone'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  if (site.role === 'standalone') return fail(`site ${describeSite(site)} is already standalone`);
  const blocked = heldUpBySpokes(working, site, { role: 'standalone', status: site.status }, 'make standalone');
  if (blocked) return blocked;
  setSite(working, { ...site, role: 'standalone', hubId: null }, actionIndex);
  return { description: `Made "${site.name}" standalone` };
};

const addIncome: Handler<'add_income'> = (working, action, actionIndex) => {
  let site: Site | undefined;
  if (action.siteId !== undefined) {
    const found = findSite(working, action.siteId);
    if ('reason' in found) return found;
    site = found;
  }
  if (action.requiresSiteOpen && !site) return fail('income that requires its site open needs a siteId');
  if (action.requiresSiteOpen && site?.status !== 'open') return fail(`site ${site ? describeSite(site) : ''} is closed`);
  const startYear = action.startYear ?? 1;
  if (action.endYear !== undefined && action.endYear < startYear) {
    return fail(`endYear ${action.endYear} is before startYear ${startYear}`);
  }
  const { startDate } = working.parameters;
  const stream: IncomeStream = {
    id: `action-${actionIndex}-income`,
    partner: action.partner,
    kind: action.kind,
    annualValuePence: action.annualValuePence,
    startDate: addYears(startDate, startYear - 1),
    endDate: action.endYear === undefined ? null : isoDate(dayNumber(addYears(startDate, action.endYear)) - 1),
    siteId: site?.id ?? null,
    requiresSiteOpen: action.requiresSiteOpen,
  };
  tieIncome(working, stream, actionIndex);
  const years = action.endYear === undefined ? `from year ${startYear}` : `years ${startYear} to ${action.endYear}`;
  return { description: `Added income from ${action.partner}, ${action.annualValuePence} pence a year, ${years}` };
};

const removeIncome: Handler<'remove_income'> = (working, action, actionIndex) => {
  const stream = streamById(working, action.incomeStreamId);
  if (!stream) return fail(`unknown income stream ${action.incomeStreamId}: not an income stream of this council`);
  working.income.set(stream.id, null);
  markIncomeChanged(working, stream, actionIndex);
  return { description: `Removed income from ${stream.partner} (${stream.annualValuePence} pence a year)` };
};

const changePosts: Handler<'change_posts'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  if (site.status !== 'open') return fail(`site ${describeSite(site)} is closed`);
  const units = fteUnits(Math.abs(action.fteDelta));
  const existing = postsAt(working, site.id, action.kind);
  if (action.fteDelta < 0) {
    const available = sumUnits(existing);
    if (units > available) {
      return fail(`cannot remove ${fteText(units)} of ${action.kind} at ${describeSite(site)}: it has ${fteText(available)}`);
    }
    if (action.redeployToSiteId !== undefined) {
      const redeployment = { kind: action.kind, fte: units / fteScale, toSiteId: action.redeployToSiteId };
      const invalid = checkRedeployments(working, site, [redeployment]);
      if (invalid) return invalid;
      redeploy(working, site, [redeployment], actionIndex);
      const target = siteById(working, action.redeployToSiteId)!;
      return { description: `Redeployed ${fteText(units)} of ${action.kind} from "${site.name}" to "${target.name}"` };
    }
    const count = removePosts(working, existing, units, site, actionIndex);
    return { description: `Removed ${fteText(units)} of ${action.kind} at "${site.name}" (${count} post(s))` };
  }
  if (action.redeployToSiteId !== undefined) return fail('redeployToSiteId goes with a removal (a negative fteDelta)');
  const costPerFte = action.annualCostPerFtePence ?? meanCostPerFtePence(existing) ?? meanCostPerFtePence(postsOfKind(working, action.kind));
  if (costPerFte === null) {
    return fail(`annualCostPerFtePence is needed: the network has no ${action.kind} post to take a cost from`);
  }
  addPost(
    working,
    {
      id: `action-${actionIndex}-post`,
      siteId: site.id,
      title: `New ${action.kind} post`,
      kind: action.kind,
      fte: units / fteScale,
      annualCostPerFtePence: costPerFte,
    },
    actionIndex,
  );
  return { description: `Added ${fteText(units)} of ${action.kind} at "${site.name}" at ${costPerFte} pence per FTE` };
};

/**
 * Scales the FTE of `kind` at `site` by newHundredths ÷ oldHundredths, to 0.0001 FTE rounded half away
 * from zero: a cut removes (redundancy), a rise adds a post at the site's mean cost per FTE of the kind.
 */
function scaleStaff(working: Working, site: Site, kind: PostKind, newHundredths: number, oldHundredths: number, actionIndex: number): string {
  const posts = postsAt(working, site.id, kind);
  const units = sumUnits(posts);
  const scaled = scalePence(units, newHundredths, oldHundredths);
  if (scaled < units) {
    removePosts(working, posts, units - scaled, site, actionIndex);
    return `${kind} ${fteText(units)} → ${fteText(scaled)}`;
  }
  if (scaled > units) {
    const post = { id: `action-${actionIndex}-${kind}`, siteId: site.id, title: `New ${kind} post`, kind, fte: (scaled - units) / fteScale };
    addPost(working, { ...post, annualCostPerFtePence: meanCostPerFtePence(posts)! }, actionIndex);
  }
  return `${kind} ${fteText(units)} → ${fteText(scaled)}`;
}

const changeHours: Handler<'change_hours'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  if (site.status !== 'open') return fail(`site ${describeSite(site)} is closed`);
  if (site.openingHoursPerWeek === action.openingHoursPerWeek) {
    return fail(`site ${describeSite(site)} already opens ${site.openingHoursPerWeek} hours a week`);
  }
  // Hours to 2 decimals as integers, so that the scaled cost is exact before its one rounding.
  const oldHundredths = Math.round(site.openingHoursPerWeek * 100);
  const newHundredths = Math.round(action.openingHoursPerWeek * 100);
  const scaleKinds = action.scaleStaffKinds ?? [];
  if (oldHundredths === 0 && scaleKinds.length > 0) return fail(`cannot scale the staff of ${describeSite(site)} with its hours: it has 0 opening hours`);
  const runningPence = oldHundredths === 0 ? site.annualRunningCostPence : scalePence(site.annualRunningCostPence, newHundredths, oldHundredths);
  const staffChanges = scaleKinds.map((kind) => scaleStaff(working, site, kind, newHundredths, oldHundredths, actionIndex));
  if (oldHundredths === 0) {
    working.record.warnings.push({
      code: 'running_cost_not_scaled',
      message: `"${site.name}" had 0 opening hours: its running cost cannot scale from 0 and is left at ${site.annualRunningCostPence} pence`,
      evidence: { siteId: site.id, siteName: site.name, actionIndex },
    });
  }
  setSite(working, { ...site, openingHoursPerWeek: action.openingHoursPerWeek, annualRunningCostPence: runningPence }, actionIndex);
  return {
    description: `Changed "${site.name}" from ${site.openingHoursPerWeek} to ${action.openingHoursPerWeek} hours a week; running cost ${site.annualRunningCostPence} → ${runningPence} pence${staffChanges.map((change) => `; ${change}`).join('')}`,
  };
};

const transferSite: Handler<'transfer_site'> = (working, action, actionIndex) => {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  if (site.status !== 'open') return fail(`cannot transfer ${describeSite(site)}: it is closed`);
  const posts = postsAt(working, site.id);
  const units = sumUnits(posts);
  for (const post of takePosts(working, posts, units, site, actionIndex)) {
    working.record.postsTransferred.push({ post, siteName: site.name, actionIndex });
  }
  setSite(working, { ...site, annualPremisesCostPence: 0, annualRunningCostPence: action.annualPaymentPence }, actionIndex);
  return {
    description: `Transferred "${site.name}" to ${action.provider}: ${posts.length} post(s), ${fteText(units)} leave without redundancy; premises ${site.annualPremisesCostPence} and running ${site.annualRunningCostPence} pence replaced by a payment of ${action.annualPaymentPence} pence a year`,
  };
};

const handlers: { [T in ScenarioActionType]: Handler<T> } = {
  close_site: closeSite,
  reopen_site: reopenSite,
  make_spoke: makeSpoke,
  make_hub: makeHub,
  make_standalone: makeStandalone,
  add_income: addIncome,
  remove_income: removeIncome,
  change_posts: changePosts,
  change_hours: changeHours,
  transfer_site: transferSite,
  change_central_cost: (working, action, actionIndex) => changeCentralCost(working.central, action, actionIndex),
  add_central_cost: (working, action, actionIndex) => addCentralCost(working.central, action, actionIndex),
  make_venue: makeVenue,
  form_cluster: formCluster,
  add_site: addSite,
};

function applyOne<T extends ScenarioActionType>(working: Working, action: Extract<ScenarioAction, { type: T }>, actionIndex: number) {
  return (handlers[action.type] as Handler<T>)(working, action, actionIndex);
}

/** The working network's income streams: the network's in order (replaced, less those removed), then those added. */
function currentIncome(working: Working, network: Network): IncomeStream[] {
  const streams: IncomeStream[] = [];
  for (const stream of network.incomeStreams) {
    const replaced = working.income.get(stream.id);
    if (replaced !== null) streams.push(replaced ?? stream);
  }
  for (const [id, stream] of working.income) if (stream !== null && !working.baseline.incomeStreams.has(id)) streams.push(stream);
  return streams;
}

/** The working network's TouchedIncome: read through the changed sites and streams, not every stream. */
function touchedIncome(working: Working, network: Network): TouchedIncome {
  const { baseline } = working;
  const baselinePositions: number[] = [];
  const scenario: IncomeStream[] = [];
  for (const siteId of working.changesBySite.keys()) {
    for (const id of baseline.incomeIdsBySite.get(siteId) ?? []) baselinePositions.push(baseline.incomePositions.get(id)!);
    // A site's list may still name streams removed since.
    for (const stream of incomeAt(working, siteId)) scenario.push(stream);
  }
  // Streams added take their place after the network's, in the order they were added.
  const addedOrder = new Map<string, number>();
  for (const [id, stream] of working.income) {
    const position = baseline.incomePositions.get(id);
    if (position === undefined) addedOrder.set(id, network.incomeStreams.length + addedOrder.size);
    else if (network.incomeStreams[position]!.siteId === null) baselinePositions.push(position);
    if (stream !== null && stream.siteId === null) scenario.push(stream);
  }
  const order = (stream: IncomeStream) => baseline.incomePositions.get(stream.id) ?? addedOrder.get(stream.id)!;
  scenario.sort((a, b) => order(a) - order(b));
  const baselineSorted = Int32Array.from(baselinePositions).sort();
  return {
    baseline: baselineSorted,
    baselineStreams: Array.from(baselineSorted, (position) => network.incomeStreams[position]!),
    scenario,
    scenarioOrder: Int32Array.from(scenario, order),
  };
}

/**
 * Applies `actions` in order to `network`, which is not changed: the result shares what the actions left
 * alone. `scenarioNetwork` is the network with the sites the scenario adds (by default those `actions`
 * add; a prefix of a scenario's actions applies to the whole scenario's, so that positions agree).
 */
export function applyActions(
  network: Network,
  actions: readonly ScenarioAction[],
  parameters: ScenarioParameters,
  scenarioNetwork: Network = withNewSites(network, actions),
): ApplyResult {
  const baseline = indexNetwork(scenarioNetwork);
  const working: Working = {
    network: scenarioNetwork,
    baseline,
    newSiteIds: new Set(scenarioNetwork.sites.slice(network.sites.length).map((site) => site.id)),
    sites: new Map(),
    postsBySite: new Map(),
    income: new Map(),
    incomeIdsBySite: new Map(),
    changesBySite: new Map(),
    incomeChangedBy: new Map(),
    addedPostIds: new Set(),
    central: centralWorking(network.centralCosts ?? []),
    parameters,
    record: {
      postsRemoved: [],
      postsAdded: [],
      postsRedeployed: [],
      postsTransferred: [],
      closureCosts: [],
      capitalCosts: [],
      capitalReceipts: [],
      log: [],
      warnings: [],
    },
  };
  const errors: ActionError[] = [];
  const years = planYears(parameters.startDate, parameters.horizonYears);
  actions.forEach((action, actionIndex) => {
    const dateProblem = effectiveDateProblem(action, actions[actionIndex - 1], parameters, years);
    const outcome = dateProblem === undefined ? applyOne(working, action, actionIndex) : fail(dateProblem);
    if ('reason' in outcome) errors.push({ actionIndex, reason: outcome.reason });
    else working.record.log.push({ actionIndex, type: action.type, description: outcome.description });
  });
  if (errors.length > 0) return { ok: false, errors };
  const sites = scenarioNetwork.sites.slice();
  for (const site of working.sites.values()) sites[baseline.sitePositions.get(site.id)!] = site;
  const applied: AppliedScenario = {
    ...working.record,
    network: scenarioNetwork,
    sites,
    listIncomeStreams: () => currentIncome(working, scenarioNetwork),
    touchedIncome: touchedIncome(working, scenarioNetwork),
    changesBySite: working.changesBySite,
    incomeChangedBy: working.incomeChangedBy,
    postsBySite: overlay(working.postsBySite, baseline.postsBySite),
    sitesById: overlay(working.sites, baseline.sites),
    incomeById: { get: (id) => streamById(working, id) },
    centralCosts: currentCentral(working.central),
    centralRemoved: working.central.removals,
    centralChangedBy: working.central.changedBy,
  };
  return { ok: true, applied };
}
