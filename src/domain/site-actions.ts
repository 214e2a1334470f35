// Actions that restate what a site or a cluster is (docs/planning-model.md, "Actions"): make_venue downgrades a centre to a venue run from its hub, form_cluster forms a cluster
// with the management team the council describes. Declared as functions (hoisted): actions.ts, which
// these use, lists them among its handlers.
import { postKinds, type PostKind, type Site } from './types.js';
import {
  addPost,
  checkRedeployments,
  fail,
  findSite,
  fteText,
  heldUpBySpokes,
  movePosts,
  postsAt,
  redeploy,
  redeployedText,
  removePosts,
  setSite,
  siteById,
  describeSite,
  sumUnits,
  type Handler,
  type Working,
  // biome-ignore lint/suspicious/noImportCycles: see actions.ts, which lists these handlers
} from './actions.js';
import { fteScale, fteUnits } from './money.js';
import { hubProblem, runFromHub } from './network-rules.js';

/** Why `hub` cannot run `site` as a spoke or venue; undefined when it can. */
function hubRefusal(working: Working, site: Site, hub: Site, what: 'spoke' | 'venue') {
  if (site.id === hub.id) return fail(`site ${describeSite(site)} cannot be its own hub`);
  if (site.status !== 'open') return fail(`site ${describeSite(site)} is closed`);
  const problem = hubProblem(hub, site.status);
  if (problem) return fail(`hub ${describeSite(hub)} ${problem}`);
  return heldUpBySpokes(working, site, { role: what, status: site.status }, `make a ${what} of`);
}

export function makeVenue(...[working, action, actionIndex]: Parameters<Handler<'make_venue'>>): ReturnType<Handler<'make_venue'>> {
  const site = findSite(working, action.siteId);
  if ('reason' in site) return site;
  const hub = findSite(working, action.hubId, 'hub');
  if ('reason' in hub) return hub;
  const refused = hubRefusal(working, site, hub, 'venue');
  if (refused) return refused;
  const redeployments = action.redeploy ?? [];
  const invalid = checkRedeployments(working, site, redeployments);
  if (invalid) return invalid;
  // Kept and redeployed FTE of a kind together are at most what the site has.
  const kept = new Map<PostKind, number>();
  for (const { kind, fte } of action.keepPosts ?? []) kept.set(kind, (kept.get(kind) ?? 0) + fteUnits(fte));
  for (const [kind, units] of kept) {
    const redeployed = redeployments.reduce((sum, r) => {
      if ('kind' in r) return r.kind === kind ? sum + fteUnits(r.fte) : sum;
      const post = postsAt(working, site.id).find((candidate) => candidate.id === r.postId);
      return post?.kind === kind ? sum + fteUnits(post.fte) : sum;
    }, 0);
    const available = sumUnits(postsAt(working, site.id, kind));
    if (units + redeployed > available) {
      return fail(
        `cannot keep ${fteText(units)} of ${kind} at ${describeSite(site)}${redeployed > 0 ? ` and redeploy ${fteText(redeployed)}` : ''}: it has ${fteText(available)}`,
      );
    }
  }

  const redeployedUnits = redeploy(working, site, redeployments, actionIndex);
  let removedUnits = 0;
  let keptUnits = 0;
  for (const kind of postKinds) {
    const posts = postsAt(working, site.id, kind);
    const keep = Math.min(kept.get(kind) ?? 0, sumUnits(posts));
    keptUnits += keep;
    removedUnits += sumUnits(posts) - keep;
    removePosts(working, posts, sumUnits(posts) - keep, site, actionIndex);
  }
  setSite(
    working,
    {
      ...site,
      role: 'venue',
      hubId: hub.id,
      services: [...action.services],
      openingHoursPerWeek: action.openingHoursPerWeek,
      annualPremisesCostPence: action.annualPremisesCostPence,
      annualRunningCostPence: action.annualRunningCostPence,
    },
    actionIndex,
  );
  if (action.oneOffCostPence) working.record.closureCosts.push({ siteId: site.id, siteName: site.name, actionIndex, pence: action.oneOffCostPence });
  const withdrawn = site.services.filter((service) => !action.services.includes(service));
  return {
    description:
      `Made "${site.name}" a venue of "${hub.name}": ${action.openingHoursPerWeek} hours a week, premises ${site.annualPremisesCostPence} → ${action.annualPremisesCostPence} and running ${site.annualRunningCostPence} → ${action.annualRunningCostPence} pence; ` +
      `${fteText(removedUnits)} removed${redeployedText(redeployedUnits)}, ${fteText(keptUnits)} kept` +
      (withdrawn.length > 0 ? `; services withdrawn: ${withdrawn.join(', ')}` : ''),
  };
}

type ClusterAction = Parameters<Handler<'form_cluster'>>[1];
type Keep = NonNullable<ClusterAction['management']['keep']>[number];
type Move = NonNullable<ClusterAction['management']['move']>[number];

/**
 * Checks a cluster's management establishment against its sites (`members`, the hub first): named posts
 * are management posts of a member, named once; FTE kept and moved from a member, with the posts named
 * there, are at most its management FTE; every site named is a member (or, for a move, an open site).
 */
function managementProblem(working: Working, members: readonly Site[], management: ClusterAction['management']) {
  const memberIds = new Set(members.map((site) => site.id));
  const postSite = new Map<string, Site>();
  for (const site of members) for (const post of postsAt(working, site.id, 'management')) postSite.set(post.id, site);
  const named = new Set<string>();
  const wanted = new Map<string, number>();
  const want = (siteId: string, units: number) => wanted.set(siteId, (wanted.get(siteId) ?? 0) + units);
  const member = (siteId: string) => (memberIds.has(siteId) ? undefined : fail(`site ${siteId} is not the hub or a spoke of this cluster`));
  const namePost = (postId: string) => {
    const site = postSite.get(postId);
    if (!site) return fail(`post ${postId} is not a management post at the hub or a spoke of this cluster`);
    if (named.has(postId)) return fail(`post ${postId} is named twice in the management`);
    named.add(postId);
    want(site.id, fteUnits(postsAt(working, site.id).find((post) => post.id === postId)!.fte));
    return undefined;
  };
  for (const keep of management.keep ?? []) {
    const problem = 'postId' in keep ? namePost(keep.postId) : (member(keep.siteId) ?? void want(keep.siteId, fteUnits(keep.fte)));
    if (problem) return problem;
  }
  for (const move of management.move ?? []) {
    const target = findSite(working, move.toSiteId, 'site to move management to');
    if ('reason' in target) return target;
    if (target.status !== 'open') return fail(`cannot move management to ${describeSite(target)}: it is closed`);
    if ('postId' in move) {
      const problem = namePost(move.postId);
      if (problem) return problem;
      if (postSite.get(move.postId)!.id === target.id) return fail(`post ${move.postId} is already at ${describeSite(target)}: keep it instead`);
    } else {
      const problem = member(move.fromSiteId);
      if (problem) return problem;
      if (move.fromSiteId === target.id) return fail(`cannot move management of ${describeSite(target)} to the same site`);
      want(move.fromSiteId, fteUnits(move.fte));
    }
  }
  for (const site of members) {
    const available = sumUnits(postsAt(working, site.id, 'management'));
    const units = wanted.get(site.id) ?? 0;
    if (units > available) return fail(`cannot keep or move ${fteText(units)} of management at ${describeSite(site)}: it has ${fteText(available)}`);
  }
  for (const added of management.add ?? []) {
    const problem = member(added.siteId);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Removes a member's management posts but those kept and moved (removal before any move, so that posts
 * moving to another member are not removed there). The most recently listed unnamed posts go first, so
 * FTE kept is the first listed. Returns the FTE removed.
 */
function removeUnlisted(working: Working, site: Site, keeps: readonly Keep[], moves: readonly Move[], actionIndex: number): number {
  const named = new Set([...keeps, ...moves].flatMap((entry) => ('postId' in entry ? [entry.postId] : [])));
  const staying = [...keeps, ...moves].reduce((sum, entry) => sum + ('fte' in entry ? fteUnits(entry.fte) : 0), 0);
  const removable = postsAt(working, site.id, 'management').filter((post) => !named.has(post.id));
  const removed = sumUnits(removable) - staying;
  removePosts(working, removable, removed, site, actionIndex);
  return removed;
}

/**
 * Moves a member's management posts as listed (after removeUnlisted): those named first, then FTE from
 * the posts not named (most recently listed first). Returns the FTE moved.
 */
function moveListed(working: Working, site: Site, keeps: readonly Keep[], moves: readonly Move[], actionIndex: number): number {
  const named = new Set([...keeps, ...moves].flatMap((entry) => ('postId' in entry ? [entry.postId] : [])));
  let moved = 0;
  for (const move of [...moves].sort((a, b) => Number('fte' in a) - Number('fte' in b))) {
    const target = siteById(working, move.toSiteId)!;
    const management = postsAt(working, site.id, 'management');
    const posts = 'postId' in move ? management.filter((post) => post.id === move.postId) : management.filter((post) => !named.has(post.id));
    const units = 'postId' in move ? sumUnits(posts) : fteUnits(move.fte);
    movePosts(working, posts, units, site, target, actionIndex);
    moved += units;
  }
  return moved;
}

export function formCluster(...[working, action, actionIndex]: Parameters<Handler<'form_cluster'>>): ReturnType<Handler<'form_cluster'>> {
  const hub = findSite(working, action.hubId, 'hub');
  if ('reason' in hub) return hub;
  if (hub.status !== 'open') return fail(`hub ${describeSite(hub)} is closed`);
  if (hub.role !== 'hub' && hub.role !== 'standalone') return fail(`hub ${describeSite(hub)} is a ${hub.role}: make it a hub or standalone first`);
  const asHub: Site = { ...hub, role: 'hub', hubId: null };
  const spokes: Site[] = [];
  for (const spokeId of action.spokeIds) {
    const spoke = findSite(working, spokeId, 'spoke');
    if ('reason' in spoke) return spoke;
    // Checked here too: a closed site already run from this hub is not asked the hub rules below.
    if (spoke.status !== 'open') return fail(`spoke ${describeSite(spoke)} is closed`);
    const already = runFromHub(spoke.role) && spoke.hubId === hub.id;
    const refused = already ? undefined : hubRefusal(working, spoke, asHub, 'spoke');
    if (refused) return refused;
    spokes.push(spoke);
  }
  const members = [asHub, ...spokes];
  const invalid = managementProblem(working, members, action.management);
  if (invalid) return invalid;

  if (hub.role !== 'hub') setSite(working, asHub, actionIndex);
  for (const spoke of spokes)
    if (!(runFromHub(spoke.role) && spoke.hubId === hub.id)) setSite(working, { ...spoke, role: 'spoke', hubId: hub.id }, actionIndex);
  const { keep = [], move = [], add = [] } = action.management;
  // Each member's entries, named before any post moves.
  const listed = members.map((site) => {
    const isHere = new Set(postsAt(working, site.id, 'management').map((post) => post.id));
    return {
      site,
      keeps: keep.filter((entry) => ('postId' in entry ? isHere.has(entry.postId) : entry.siteId === site.id)),
      moves: move.filter((entry) => ('postId' in entry ? isHere.has(entry.postId) : entry.fromSiteId === site.id)),
    };
  });
  let removed = 0;
  for (const { site, keeps, moves } of listed) removed += removeUnlisted(working, site, keeps, moves, actionIndex);
  let moved = 0;
  for (const { site, keeps, moves } of listed) moved += moveListed(working, site, keeps, moves, actionIndex);
  let addedUnits = 0;
  add.forEach((added, index) => {
    addPost(
      working,
      {
        id: `action-${actionIndex}-management-${index}`,
        siteId: added.siteId,
        title: added.title,
        kind: 'management',
        fte: fteUnits(added.fte) / fteScale,
        annualCostPerFtePence: added.annualCostPerFtePence,
      },
      actionIndex,
    );
    addedUnits += fteUnits(added.fte);
  });
  return {
    description: `Formed the cluster of "${hub.name}" with ${spokes.map((spoke) => `"${spoke.name}"`).join(', ')}: management ${fteText(removed)} removed${redeployedText(moved)}, ${fteText(addedUnits)} added`,
  };
}
