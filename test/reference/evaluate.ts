// A reference evaluation, written from the specification (docs/planning-model.md, after
// ../shared/design/planning-model.md and docs/decisions.md), not
// from src/domain: deliberately plain. Every figure is worked out from scratch for each side, by brute
// force over sites × areas, with no caches, no typed arrays, no spatial index and no incremental sums.
// Money is summed exactly in BigInt and rounded once, half away from zero. It applies action lists that
// are valid (the property tests draw only those) and throws on anything it does not know, so that a new
// action or field is never silently evaluated wrongly here. It shares no code with src/domain, so it
// restates the shapes of the figures it gives (duplicates lists those lines beside the fast code's:
// that is the point).
import type { ScenarioAction, ScenarioEvaluation, ScenarioParameters } from '../../src/schemas/scenario.js';
import {
  serviceKinds,
  type Area,
  type CentralCost,
  type IncomeStream,
  type Network,
  type Post,
  type PostKind,
  type ServiceKind,
  type Site,
} from '../../src/domain/types.js';
import { maxListedAreas } from '../../src/domain/list-limits.js';

/** The planning figures; the economic case, expected values and uncertainty have their hand-worked tests (test/domain/economics.test.ts). */
export type Evaluation = Omit<ScenarioEvaluation, EconomicSections>;
export type EconomicSections = 'expected' | 'economicCase' | 'uncertainty' | 'provenance';
type Warning = Evaluation['warnings'][number];
type LineItem = Evaluation['lineItems'][number];

// ---- Exact arithmetic --------------------------------------------------------------------------------

/** numerator ÷ denominator (denominator > 0), half away from zero. */
function rounded(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if (2n * (magnitude % denominator) >= denominator) quotient += 1n;
  return Number(negative ? -quotient : quotient);
}

const units = (fte: number): number => Math.round(fte * 10_000);
const big = (value: number): bigint => BigInt(value);
/** A post's annual cost in pence, rounded on its own (as a line item or a listed post shows it). */
const annualCostOf = (post: Pick<Post, 'fte' | 'annualCostPerFtePence'>): number => rounded(big(units(post.fte)) * big(post.annualCostPerFtePence), 10_000n);
/** A central cost a year, exactly, in pence × 10,000: a post's FTE × cost per FTE, a budget line's amount. */
const centralExactOf = (line: CentralCost): bigint =>
  line.fte === null ? big(line.annualBudgetPence!) * 10_000n : big(units(line.fte)) * big(line.annualCostPerFtePence!);
const centralTotal = (lines: readonly CentralCost[]): bigint => lines.reduce((sum, line) => sum + centralExactOf(line), 0n);

/** A decimal written as text, as a fraction: "0.035" → 35/1000. */
function decimal(value: number): [bigint, bigint] {
  const [mantissa, exponentText] = String(value).split('e');
  const [whole, fraction = ''] = mantissa!.split('.');
  const exponent = Number(exponentText ?? 0) - fraction.length;
  const digits = BigInt(whole! + fraction);
  return exponent >= 0 ? [digits * 10n ** BigInt(exponent), 1n] : [digits, 10n ** BigInt(-exponent)];
}

// ---- Dates -------------------------------------------------------------------------------------------

const dayOf = (iso: string): number => {
  const date = new Date(0);
  date.setUTCFullYear(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return Math.round(date.getTime() / 86_400_000);
};
const isoOf = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);
/** The same date `years` later; 29 February becomes 1 March in a common year. */
const yearsLater = (iso: string, years: number): string => {
  const date = new Date(0);
  date.setUTCFullYear(Number(iso.slice(0, 4)) + years, Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return date.toISOString().slice(0, 10);
};

interface Year {
  year: number;
  first: number;
  last: number;
}

const planYears = (p: ScenarioParameters): Year[] =>
  Array.from({ length: p.horizonYears }, (_, index) => ({
    year: index + 1,
    first: dayOf(yearsLater(p.startDate, index)),
    last: dayOf(yearsLater(p.startDate, index + 1)) - 1,
  }));

function daysActive(stream: IncomeStream, year: Year): number {
  const from = Math.max(dayOf(stream.startDate), year.first);
  const to = Math.min(stream.endDate === null ? year.last : dayOf(stream.endDate), year.last);
  return Math.max(0, to - from + 1);
}

// ---- Geometry ----------------------------------------------------------------------------------------

function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const toRadians = Math.PI / 180;
  const sinLat = Math.sin(((b.lat - a.lat) * toRadians) / 2);
  const sinLon = Math.sin(((b.lon - a.lon) * toRadians) / 2);
  const h = sinLat * sinLat + Math.cos(a.lat * toRadians) * Math.cos(b.lat * toRadians) * sinLon * sinLon;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ---- A side: the network as it stands, or as a scenario leaves it ------------------------------------

interface Side {
  sites: Site[];
  /** Each site's posts, in order; none at a closed site. */
  posts: Map<string, Post[]>;
  income: IncomeStream[];
  /** Central costs: posts and budget lines of no site. */
  central: CentralCost[];
}

const siteOf = (side: Side, id: string | null): Site | undefined => side.sites.find((site) => site.id === id);
const counts = (side: Side, stream: IncomeStream): boolean =>
  !stream.requiresSiteOpen || stream.siteId === null || siteOf(side, stream.siteId)?.status === 'open';
const openSites = (side: Side) => side.sites.filter((site) => site.status === 'open');
const allPosts = (side: Side): Post[] => side.sites.flatMap((site) => side.posts.get(site.id) ?? []);

function incomeInYear(side: Side, streams: readonly IncomeStream[], year: Year): number {
  let total = 0n;
  for (const stream of streams) if (counts(side, stream)) total += big(stream.annualValuePence) * big(daysActive(stream, year));
  return rounded(total, big(year.last - year.first + 1));
}

function nearestDistances(side: Side, network: Network): number[] {
  return network.areas.map((area) => Math.min(Infinity, ...openSites(side).map((site) => distanceM(area, site))));
}

function reach(network: Network, distances: number[], p: ScenarioParameters) {
  const deprived = (decile: number) => p.deprivedDeciles.includes(decile);
  const sum = (keep: (index: number) => boolean) => network.areas.reduce((total, area, index) => (keep(index) ? total + area.under5Population : total), 0);
  const totalUnder5s = sum(() => true);
  const reachedUnder5s = sum((index) => distances[index]! <= p.radiusM);
  const deprivedUnder5s = sum((index) => deprived(network.areas[index]!.deprivationDecile));
  const deprivedReachedUnder5s = sum((index) => deprived(network.areas[index]!.deprivationDecile) && distances[index]! <= p.radiusM);
  const anyOpen = distances.some(Number.isFinite);
  let meanDistanceM: number | null = null;
  let p95DistanceM: number | null = null;
  if (anyOpen && totalUnder5s > 0) {
    let weighted = 0;
    network.areas.forEach((area, index) => {
      weighted += area.under5Population * distances[index]!;
    });
    meanDistanceM = Math.round(weighted / totalUnder5s);
    const sorted = network.areas.map((area, index) => ({ under5s: area.under5Population, distance: distances[index]! }));
    sorted.sort((a, b) => a.distance - b.distance);
    let cumulative = 0;
    for (const { under5s, distance } of sorted) {
      cumulative += under5s;
      if (cumulative * 20 >= totalUnder5s * 19) {
        p95DistanceM = Math.round(distance);
        break;
      }
    }
  }
  const minutes = (distance: number | null) => (distance === null ? null : Math.round(((distance * p.detourFactor) / p.walkingSpeedMPerMin) * 10) / 10);
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

function clusters(side: Side) {
  return side.sites
    .filter((site) => site.role === 'hub')
    .map((hub) => {
      // A venue is run from its hub as a spoke is: both are the cluster's.
      const spokes = side.sites.filter((site) => (site.role === 'spoke' || site.role === 'venue') && site.hubId === hub.id);
      return {
        hubId: hub.id,
        hubName: hub.name,
        hubStatus: hub.status,
        openSpokes: spokes.filter((spoke) => spoke.status === 'open').length,
        spokes: spokes.map((spoke) => ({
          siteId: spoke.id,
          siteName: spoke.name,
          role: spoke.role as 'spoke' | 'venue',
          status: spoke.status,
          distanceM: Math.round(distanceM(hub, spoke)),
        })),
      };
    });
}

function figures(side: Side, network: Network, years: Year[], p: ScenarioParameters): Evaluation['baseline'] {
  const open = openSites(side);
  let staff = 0n;
  for (const post of allPosts(side)) staff += big(units(post.fte)) * big(post.annualCostPerFtePence);
  const staffPence = rounded(staff, 10_000n);
  const premisesPence = open.reduce((sum, site) => sum + site.annualPremisesCostPence, 0);
  const runningPence = open.reduce((sum, site) => sum + site.annualRunningCostPence, 0);
  const centralPence = rounded(centralTotal(side.central), 10_000n);
  const grossCostPence = staffPence + premisesPence + runningPence + centralPence;
  const incomePence = incomeInYear(side, side.income, years[0]!);
  const atRisk = side.income.filter((stream) => {
    if (stream.endDate === null || !counts(side, stream)) return false;
    const end = dayOf(stream.endDate);
    return years[0]!.first <= end && end <= years.at(-1)!.last;
  });
  const kinds: PostKind[] = ['management', 'frontline', 'admin'];
  const postsOf = (kind: PostKind) => allPosts(side).filter((post) => post.kind === kind);
  const fteOf = (posts: Post[]) => posts.reduce((sum, post) => sum + units(post.fte), 0) / 10_000;
  const byRole = (sites: Site[]) => ({
    hub: sites.filter((site) => site.role === 'hub').length,
    spoke: sites.filter((site) => site.role === 'spoke').length,
    standalone: sites.filter((site) => site.role === 'standalone').length,
    venue: sites.filter((site) => site.role === 'venue').length,
  });
  return {
    money: { staffPence, premisesPence, runningPence, centralPence, grossCostPence, incomePence, netCostPence: grossCostPence - incomePence },
    incomeAtRisk: {
      annualValuePence: atRisk.reduce((sum, stream) => sum + stream.annualValuePence, 0),
      streams: atRisk.map((stream) => ({
        incomeStreamId: stream.id,
        partner: stream.partner,
        kind: stream.kind,
        siteId: stream.siteId,
        annualValuePence: stream.annualValuePence,
        endDate: stream.endDate,
      })),
    },
    staff: {
      fteByKind: { management: fteOf(postsOf('management')), frontline: fteOf(postsOf('frontline')), admin: fteOf(postsOf('admin')) },
      postsByKind: { management: postsOf('management').length, frontline: postsOf('frontline').length, admin: postsOf('admin').length },
      totalFte: fteOf(allPosts(side)),
      totalPosts: kinds.reduce((sum, kind) => sum + postsOf(kind).length, 0),
    },
    sites: {
      total: side.sites.length,
      byRole: byRole(side.sites),
      byStatus: { open: open.length, closed: side.sites.length - open.length },
      openByRole: byRole(open),
    },
    clusters: clusters(side),
    reach: { ...reach(network, nearestDistances(side, network), p), byService: reachByService(side, network, p), coreOffer: coreOfferReach(side, network, p) },
  };
}

/** For each service kind, the under-5s of areas within radiusM of an open site offering it. */
function reachByService(side: Side, network: Network, p: ScenarioParameters) {
  const deprived = (area: Area) => p.deprivedDeciles.includes(area.deprivationDecile);
  const total = network.areas.reduce((sum, area) => sum + area.under5Population, 0);
  const deprivedTotal = network.areas.filter(deprived).reduce((sum, area) => sum + area.under5Population, 0);
  return serviceKinds.map((service) => {
    const covered = network.areas.filter((area) => openSites(side).some((site) => site.services.includes(service) && distanceM(area, site) <= p.radiusM));
    const reachedUnder5s = covered.reduce((sum, area) => sum + area.under5Population, 0);
    const deprivedReachedUnder5s = covered.filter(deprived).reduce((sum, area) => sum + area.under5Population, 0);
    return {
      service,
      reachedUnder5s,
      reachShare: total > 0 ? reachedUnder5s / total : null,
      deprivedReachedUnder5s,
      deprivedReachShare: deprivedTotal > 0 ? deprivedReachedUnder5s / deprivedTotal : null,
    };
  });
}

/** Under-5s of areas within radiusM of one open site offering every service of the core offer; null without one. */
function coreOfferReach(side: Side, network: Network, p: ScenarioParameters) {
  if (p.coreOffer.length === 0) return null;
  const deprived = (area: Area) => p.deprivedDeciles.includes(area.deprivationDecile);
  const offersAll = (site: Site) => p.coreOffer.every((service) => site.services.includes(service));
  const covered = network.areas.filter((area) => openSites(side).some((site) => offersAll(site) && distanceM(area, site) <= p.radiusM));
  const total = network.areas.reduce((sum, area) => sum + area.under5Population, 0);
  const deprivedTotal = network.areas.filter(deprived).reduce((sum, area) => sum + area.under5Population, 0);
  const reachedUnder5s = covered.reduce((sum, area) => sum + area.under5Population, 0);
  const deprivedReachedUnder5s = covered.filter(deprived).reduce((sum, area) => sum + area.under5Population, 0);
  return {
    services: [...p.coreOffer],
    reachedUnder5s,
    reachShare: total > 0 ? reachedUnder5s / total : null,
    deprivedReachedUnder5s,
    deprivedReachShare: deprivedTotal > 0 ? deprivedReachedUnder5s / deprivedTotal : null,
  };
}

// ---- Applying actions --------------------------------------------------------------------------------

interface Applied {
  side: Side;
  removed: { post: Post; siteName: string; actionIndex: number; added: boolean }[];
  added: Evaluation['postsAdded'];
  moved: { post: Post; newPostId: string; fromSiteName: string; toSite: Site; actionIndex: number }[];
  transferred: { post: Post; siteName: string; actionIndex: number }[];
  /** Central posts cut: `line.fte` the FTE cut. */
  centralCut: { line: CentralCost; actionIndex: number; added: boolean }[];
  closureCosts: { site: Site; pence: number; actionIndex: number }[];
  /** One-off capital costs of the sites added. */
  capitalCosts: { site: Site; pence: number; actionIndex: number }[];
  receipts: { site: Site; pence: number; actionIndex: number }[];
  warnings: Warning[];
  /** The last action that changed each source, by `kind:id` (site, post, income). */
  lastChange: Map<string, number>;
  /** Income streams removed on purpose. */
  removedIncome: Set<string>;
}

const knownFields: Record<string, string[]> = {
  close_site: ['type', 'siteId', 'oneOffCostPence', 'capitalReceiptPence', 'relocateIncomeToSiteId', 'redeploy'],
  reopen_site: ['type', 'siteId'],
  make_spoke: ['type', 'siteId', 'hubId', 'redeploy'],
  make_hub: ['type', 'siteId'],
  make_standalone: ['type', 'siteId'],
  add_income: ['type', 'partner', 'kind', 'annualValuePence', 'siteId', 'requiresSiteOpen', 'startYear', 'endYear'],
  remove_income: ['type', 'incomeStreamId'],
  change_posts: ['type', 'siteId', 'kind', 'fteDelta', 'annualCostPerFtePence', 'redeployToSiteId'],
  change_hours: ['type', 'siteId', 'openingHoursPerWeek', 'scaleStaffKinds'],
  transfer_site: ['type', 'siteId', 'provider', 'annualPaymentPence'],
  change_central_cost: ['type', 'centralCostId', 'fte', 'annualCostPerFtePence', 'annualBudgetPence'],
  add_central_cost: ['type', 'title', 'category', 'fte', 'annualCostPerFtePence', 'annualBudgetPence'],
  make_venue: [
    'type',
    'siteId',
    'hubId',
    'services',
    'openingHoursPerWeek',
    'annualPremisesCostPence',
    'annualRunningCostPence',
    'keepPosts',
    'redeploy',
    'oneOffCostPence',
  ],
  form_cluster: ['type', 'hubId', 'spokeIds', 'management'],
  add_site: [
    'type',
    'newSiteId',
    'name',
    'lat',
    'lon',
    'role',
    'hubId',
    'services',
    'openingHoursPerWeek',
    'annualPremisesCostPence',
    'annualRunningCostPence',
    'posts',
    'capitalCostPence',
  ],
};

/** Whether this reference knows every field of `action` (the property tests keep only those). */
export const referenceKnows = (action: ScenarioAction): boolean =>
  Object.keys(action).every((field) => field === 'effectiveDate' || (knownFields[action.type]?.includes(field) ?? false));

/** The mean cost per FTE of `posts`, weighted by FTE, to the whole penny (docs/planning-model.md). */
function meanCost(posts: Post[]): number | null {
  let cost = 0n;
  let fte = 0n;
  for (const post of posts) {
    cost += big(units(post.fte)) * big(post.annualCostPerFtePence);
    fte += big(units(post.fte));
  }
  return fte === 0n ? null : rounded(cost, fte);
}

function apply(network: Network, actions: readonly ScenarioAction[], p: ScenarioParameters): Applied {
  const side: Side = {
    sites: network.sites.map((site) => ({ ...site })),
    posts: new Map(network.sites.map((site) => [site.id, site.status === 'open' ? network.posts.filter((post) => post.siteId === site.id) : []])),
    income: network.incomeStreams.map((stream) => ({ ...stream })),
    central: (network.centralCosts ?? []).map((line) => ({ ...line })),
  };
  const applied: Applied = {
    side,
    removed: [],
    added: [],
    moved: [],
    transferred: [],
    centralCut: [],
    closureCosts: [],
    capitalCosts: [],
    receipts: [],
    warnings: [],
    lastChange: new Map(),
    removedIncome: new Set(),
  };
  const addedIds = new Set<string>();
  const site = (id: string) => {
    const found = siteOf(side, id);
    if (!found) throw new Error(`the reference applies valid actions only: no site ${id}`);
    return found;
  };
  const postsAt = (id: string) => side.posts.get(id)!;

  /**
   * Takes FTE units from the posts of `kind` (any kind: undefined) at `from`, last listed first: whole
   * posts, then a part. Only post `postId` when given; never the posts in `spared`.
   */
  const take = (from: Site, wanted: number, index: number, kind?: PostKind, postId?: string, spared?: ReadonlySet<string>): Post[] => {
    const list = postsAt(from.id);
    const taken: Post[] = [];
    let remaining = wanted;
    for (let position = list.length - 1; position >= 0 && remaining > 0; position--) {
      const post = list[position]!;
      if ((kind !== undefined && post.kind !== kind) || (postId !== undefined && post.id !== postId) || spared?.has(post.id)) continue;
      const have = units(post.fte);
      const part = Math.min(have, remaining);
      remaining -= part;
      applied.lastChange.set(`post:${post.id}`, index);
      taken.unshift({ ...post, fte: part / 10_000 });
      if (part === have) list.splice(position, 1);
      else list[position] = { ...post, fte: (have - part) / 10_000 };
    }
    return taken;
  };
  const remove = (from: Site, wanted: number, index: number, kind?: PostKind, spared?: ReadonlySet<string>) => {
    for (const post of take(from, wanted, index, kind, undefined, spared))
      applied.removed.push({ post, siteName: from.name, actionIndex: index, added: addedIds.has(post.id) });
  };
  /** Moves `wanted` FTE of the posts at `from` that `which` picks (a kind, one post, and posts spared) to `to`. */
  const move = (from: Site, to: Site, wanted: number, index: number, which: { kind?: PostKind; postId?: string; spared?: ReadonlySet<string> } = {}) => {
    for (const post of take(from, wanted, index, which.kind, which.postId, which.spared)) {
      const newPostId = `action-${index}-redeployed-${applied.moved.length}`;
      postsAt(to.id).push({ ...post, id: newPostId, siteId: to.id, title: `${post.title} (from ${from.name})` });
      applied.lastChange.set(`post:${newPostId}`, index);
      applied.moved.push({ post, newPostId, fromSiteName: from.name, toSite: to, actionIndex: index });
    }
  };
  type Redeployment = { toSiteId: string } & ({ postId: string } | { kind: PostKind; fte: number });
  const redeploy = (from: Site, redeployments: readonly Redeployment[], index: number) => {
    const ordered = [...redeployments.filter((r) => 'postId' in r), ...redeployments.filter((r) => 'kind' in r)];
    for (const r of ordered) {
      if ('postId' in r) move(from, site(r.toSiteId), Infinity, index, { postId: r.postId });
      else move(from, site(r.toSiteId), units(r.fte), index, { kind: r.kind });
    }
  };
  const add = (post: Post, index: number) => {
    postsAt(post.siteId).push(post);
    addedIds.add(post.id);
    applied.lastChange.set(`post:${post.id}`, index);
    applied.added.push({
      postId: post.id,
      title: post.title,
      siteId: post.siteId,
      kind: post.kind,
      fte: post.fte,
      annualCostPerFtePence: post.annualCostPerFtePence,
      actionIndex: index,
    });
  };
  const changeSite = (target: Site, fields: Partial<Site>, index: number) => {
    Object.assign(target, fields);
    applied.lastChange.set(`site:${target.id}`, index);
  };
  const fteOf = (posts: Post[]) => posts.reduce((sum, post) => sum + units(post.fte), 0);

  actions.forEach((action, index) => {
    if (!referenceKnows(action)) throw new Error(`the reference does not know ${JSON.stringify(action)}`);
    switch (action.type) {
      case 'close_site': {
        const closing = site(action.siteId);
        redeploy(closing, action.redeploy ?? [], index);
        remove(closing, fteOf(postsAt(closing.id)), index);
        changeSite(closing, { status: 'closed' }, index);
        for (const stream of side.income.filter((s) => s.siteId === closing.id)) {
          if (action.relocateIncomeToSiteId !== undefined) stream.siteId = action.relocateIncomeToSiteId;
          if (action.relocateIncomeToSiteId !== undefined || stream.requiresSiteOpen) applied.lastChange.set(`income:${stream.id}`, index);
        }
        if (action.oneOffCostPence) applied.closureCosts.push({ site: closing, pence: action.oneOffCostPence, actionIndex: index });
        if (action.capitalReceiptPence) applied.receipts.push({ site: closing, pence: action.capitalReceiptPence, actionIndex: index });
        break;
      }
      case 'reopen_site':
        changeSite(site(action.siteId), { status: 'open' }, index);
        break;
      case 'make_spoke': {
        const spoke = site(action.siteId);
        const hub = site(action.hubId);
        redeploy(spoke, action.redeploy ?? [], index);
        changeSite(spoke, { role: 'spoke', hubId: hub.id }, index);
        remove(spoke, fteOf(postsAt(spoke.id).filter((post) => post.kind === 'management')), index, 'management');
        const fte = units(p.hubManagementFtePerSpoke);
        if (fte > 0) {
          const cost = meanCost(postsAt(hub.id).filter((post) => post.kind === 'management')) ?? p.hubManagementCostPerFtePence;
          const title = `Hub management for spoke ${spoke.name}`;
          add({ id: `action-${index}-hub-management`, siteId: hub.id, title, kind: 'management', fte: fte / 10_000, annualCostPerFtePence: cost }, index);
        }
        break;
      }
      case 'make_hub':
        changeSite(site(action.siteId), { role: 'hub', hubId: null }, index);
        break;
      case 'make_standalone':
        changeSite(site(action.siteId), { role: 'standalone', hubId: null }, index);
        break;
      case 'add_income': {
        const startYear = action.startYear ?? 1;
        const stream: IncomeStream = {
          id: `action-${index}-income`,
          partner: action.partner,
          kind: action.kind,
          annualValuePence: action.annualValuePence,
          startDate: yearsLater(p.startDate, startYear - 1),
          endDate: action.endYear === undefined ? null : isoOf(dayOf(yearsLater(p.startDate, action.endYear)) - 1),
          siteId: action.siteId ?? null,
          requiresSiteOpen: action.requiresSiteOpen,
        };
        side.income.push(stream);
        applied.lastChange.set(`income:${stream.id}`, index);
        break;
      }
      case 'remove_income':
        side.income = side.income.filter((stream) => stream.id !== action.incomeStreamId);
        applied.removedIncome.add(action.incomeStreamId);
        applied.lastChange.set(`income:${action.incomeStreamId}`, index);
        break;
      case 'change_posts': {
        const at = site(action.siteId);
        const fte = units(Math.abs(action.fteDelta));
        if (action.fteDelta < 0 && action.redeployToSiteId !== undefined) move(at, site(action.redeployToSiteId), fte, index, { kind: action.kind });
        else if (action.fteDelta < 0) remove(at, fte, index, action.kind);
        else {
          const cost =
            action.annualCostPerFtePence ??
            meanCost(postsAt(at.id).filter((post) => post.kind === action.kind)) ??
            meanCost(allPosts(side).filter((post) => post.kind === action.kind))!;
          add(
            { id: `action-${index}-post`, siteId: at.id, title: `New ${action.kind} post`, kind: action.kind, fte: fte / 10_000, annualCostPerFtePence: cost },
            index,
          );
        }
        break;
      }
      case 'change_hours': {
        const at = site(action.siteId);
        const before = Math.round(at.openingHoursPerWeek * 100);
        const after = Math.round(action.openingHoursPerWeek * 100);
        let running = at.annualRunningCostPence;
        // Each kind named keeps FTE in proportion to the hours, to 0.0001 FTE.
        for (const kind of action.scaleStaffKinds ?? []) {
          const posts = postsAt(at.id).filter((post) => post.kind === kind);
          const have = fteOf(posts);
          const want = rounded(big(have) * big(after), big(before));
          if (want < have) remove(at, have - want, index, kind);
          const title = `New ${kind} post`;
          if (want > have)
            add({ id: `action-${index}-${kind}`, siteId: at.id, title, kind, fte: (want - have) / 10_000, annualCostPerFtePence: meanCost(posts)! }, index);
        }
        if (before === 0)
          applied.warnings.push({ code: 'running_cost_not_scaled', message: '', evidence: { siteId: at.id, siteName: at.name, actionIndex: index } });
        else running = rounded(big(running) * big(after), big(before));
        changeSite(at, { openingHoursPerWeek: action.openingHoursPerWeek, annualRunningCostPence: running }, index);
        break;
      }
      case 'transfer_site': {
        const at = site(action.siteId);
        // TUPE: every post leaves with the site, no redundancy; the payment stands for premises and running.
        for (const post of take(
          at,
          postsAt(at.id).reduce((sum, post) => sum + units(post.fte), 0),
          index,
        )) {
          applied.transferred.push({ post, siteName: at.name, actionIndex: index });
        }
        changeSite(at, { annualPremisesCostPence: 0, annualRunningCostPence: action.annualPaymentPence }, index);
        break;
      }
      case 'change_central_cost': {
        const line = side.central.find((candidate) => candidate.id === action.centralCostId)!;
        applied.lastChange.set(`central:${line.id}`, index);
        if (line.fte === null) {
          line.annualBudgetPence = action.annualBudgetPence!;
        } else {
          const now = action.fte === undefined ? units(line.fte) : units(action.fte);
          if (now < units(line.fte)) {
            applied.centralCut.push({ line: { ...line, fte: (units(line.fte) - now) / 10_000 }, actionIndex: index, added: line.id.startsWith('action-') });
          }
          line.fte = now / 10_000;
          line.annualCostPerFtePence = action.annualCostPerFtePence ?? line.annualCostPerFtePence;
        }
        // A post at 0 FTE, or a budget at 0, is gone.
        if (line.fte === 0 || line.annualBudgetPence === 0) side.central = side.central.filter((candidate) => candidate !== line);
        break;
      }
      case 'add_central_cost': {
        const line: CentralCost = {
          id: `action-${index}-central`,
          title: action.title,
          category: action.category,
          fte: action.fte ?? null,
          annualCostPerFtePence: action.annualCostPerFtePence ?? null,
          annualBudgetPence: action.annualBudgetPence ?? null,
        };
        side.central.push(line);
        applied.lastChange.set(`central:${line.id}`, index);
        break;
      }
      case 'make_venue': {
        const venue = site(action.siteId);
        redeploy(venue, action.redeploy ?? [], index);
        // Of each kind, the FTE kept stay (the first listed posts); the rest go.
        for (const kind of ['management', 'frontline', 'admin'] as const) {
          const have = fteOf(postsAt(venue.id).filter((post) => post.kind === kind));
          const keep = (action.keepPosts ?? []).filter((kept) => kept.kind === kind).reduce((sum, kept) => sum + units(kept.fte), 0);
          remove(venue, have - Math.min(have, keep), index, kind);
        }
        changeSite(
          venue,
          {
            role: 'venue',
            hubId: action.hubId,
            services: [...action.services],
            openingHoursPerWeek: action.openingHoursPerWeek,
            annualPremisesCostPence: action.annualPremisesCostPence,
            annualRunningCostPence: action.annualRunningCostPence,
          },
          index,
        );
        if (action.oneOffCostPence) applied.closureCosts.push({ site: venue, pence: action.oneOffCostPence, actionIndex: index });
        break;
      }
      case 'form_cluster': {
        const hub = site(action.hubId);
        if (hub.role !== 'hub') changeSite(hub, { role: 'hub', hubId: null }, index);
        const spokes = action.spokeIds.map(site);
        for (const spoke of spokes) {
          if (!((spoke.role === 'spoke' || spoke.role === 'venue') && spoke.hubId === hub.id)) changeSite(spoke, { role: 'spoke', hubId: hub.id }, index);
        }
        const { keep = [], move: moves = [], add: adds = [] } = action.management;
        const members = [hub, ...spokes];
        const isManagementAt = (member: Site, postId: string) => postsAt(member.id).some((post) => post.id === postId && post.kind === 'management');
        const named = new Set([...keep, ...moves].flatMap((entry) => ('postId' in entry ? [entry.postId] : [])));
        // Every management post of a member goes, but those named and the FTE kept or moved from it.
        for (const member of members) {
          const fteStaying = [
            ...keep.filter((k) => 'siteId' in k && k.siteId === member.id),
            ...moves.filter((m) => 'fromSiteId' in m && m.fromSiteId === member.id),
          ].reduce((sum, entry) => sum + ('fte' in entry ? units(entry.fte) : 0), 0);
          const unnamed = fteOf(postsAt(member.id).filter((post) => post.kind === 'management' && !named.has(post.id)));
          remove(member, unnamed - fteStaying, index, 'management', named);
        }
        // Then the moves: posts named, then FTE from the posts not named.
        const byPost = moves.filter((m) => 'postId' in m);
        const byFte = moves.filter((m) => 'fromSiteId' in m);
        for (const member of members) {
          for (const m of byPost) if ('postId' in m && isManagementAt(member, m.postId)) move(member, site(m.toSiteId), Infinity, index, { postId: m.postId });
          for (const m of byFte)
            if ('fromSiteId' in m && m.fromSiteId === member.id) move(member, site(m.toSiteId), units(m.fte), index, { kind: 'management', spared: named });
        }
        adds.forEach((added, position) => {
          const post = { id: `action-${index}-management-${position}`, siteId: added.siteId, title: added.title, kind: 'management' as const };
          add({ ...post, fte: units(added.fte) / 10_000, annualCostPerFtePence: added.annualCostPerFtePence }, index);
        });
        break;
      }
      case 'add_site': {
        // A new site joins the scenario's list, open, with its own posts; later actions find it by its id.
        const added: Site = {
          id: action.newSiteId,
          name: action.name,
          role: action.role,
          hubId: action.role === 'spoke' || action.role === 'venue' ? action.hubId! : null,
          status: 'open',
          lat: action.lat,
          lon: action.lon,
          openingHoursPerWeek: action.openingHoursPerWeek,
          services: [...action.services],
          annualPremisesCostPence: action.annualPremisesCostPence,
          annualRunningCostPence: action.annualRunningCostPence,
        };
        side.sites.push(added);
        side.posts.set(added.id, []);
        applied.lastChange.set(`site:${added.id}`, index);
        for (const [position, post] of (action.posts ?? []).entries()) add({ id: `action-${index}-post-${position}`, siteId: added.id, ...post }, index);
        if (action.capitalCostPence) applied.capitalCosts.push({ site: added, pence: action.capitalCostPence, actionIndex: index });
        break;
      }
      default:
        throw new Error(`the reference does not know ${JSON.stringify(action)}`);
    }
  });
  return applied;
}

// ---- Line items --------------------------------------------------------------------------------------

/** A side's recurring year-1 items by `category source`: open sites' premises and running, their posts, counted income active in the horizon. */
function recurringItems(side: Side, years: Year[]) {
  const items = new Map<string, Omit<LineItem, 'actionIndex' | 'baselinePence' | 'scenarioPence'> & { pence: number; key: string }>();
  const put = (category: LineItem['category'], sourceType: LineItem['sourceType'], key: string, sourceId: string, description: string, pence: number) =>
    items.set(`${category} ${sourceId}`, { category, sourceType, sourceId, description, pence, key });
  for (const site of openSites(side)) {
    if (site.annualPremisesCostPence !== 0) put('premises', 'site', `site:${site.id}`, site.id, site.name, site.annualPremisesCostPence);
    if (site.annualRunningCostPence !== 0) put('running', 'site', `site:${site.id}`, site.id, site.name, site.annualRunningCostPence);
    for (const post of side.posts.get(site.id) ?? []) {
      put('staff', 'post', `post:${post.id}`, post.id, post.title, annualCostOf(post));
    }
  }
  for (const line of side.central) put('central', 'central_cost', `central:${line.id}`, line.id, line.title, rounded(centralExactOf(line), 10_000n));
  for (const stream of side.income) {
    if (!counts(side, stream) || !years.some((year) => daysActive(stream, year) > 0)) continue;
    put('income', 'income_stream', `income:${stream.id}`, stream.id, stream.partner, incomeInYear(side, [stream], years[0]!));
  }
  return items;
}

// ---- Warnings ----------------------------------------------------------------------------------------

function areasAsEvidence(network: Network, keep: (areaIndex: number) => boolean, p: ScenarioParameters) {
  const areas = network.areas.filter((_, index) => keep(index));
  return {
    // The answer lists the first areas only (README "Limits") and counts them all.
    areas: areas.slice(0, maxListedAreas.evidence).map((area) => ({
      areaId: area.id,
      code: area.code,
      name: area.name,
      under5Population: area.under5Population,
      deprivationDecile: area.deprivationDecile,
    })),
    areaCount: areas.length,
    under5s: areas.reduce((sum, area) => sum + area.under5Population, 0),
    deprivedUnder5s: areas.filter((area) => p.deprivedDeciles.includes(area.deprivationDecile)).reduce((sum, area) => sum + area.under5Population, 0),
  };
}

function clusterWarnings(side: Side, p: ScenarioParameters): Warning[] {
  return clusters(side).flatMap((cluster): Warning[] => {
    if (cluster.hubStatus !== 'open') return [];
    const hub = { hubId: cluster.hubId, hubName: cluster.hubName };
    const tooFar = cluster.spokes
      .filter((spoke) => spoke.status === 'open' && spoke.distanceM > p.maxSpokeDistanceM)
      .map(
        (spoke): Warning => ({
          code: 'spoke_too_far',
          message: '',
          evidence: { ...hub, spokeId: spoke.siteId, spokeName: spoke.siteName, distanceM: spoke.distanceM, maxSpokeDistanceM: p.maxSpokeDistanceM },
        }),
      );
    if (cluster.openSpokes <= p.maxSpokesPerHub) return tooFar;
    return [...tooFar, { code: 'hub_over_span', message: '', evidence: { ...hub, openSpokes: cluster.openSpokes, maxSpokesPerHub: p.maxSpokesPerHub } }];
  });
}

// ---- The evaluation ----------------------------------------------------------------------------------

/** A valid scenario's evaluation, every figure from scratch. Warnings carry no message (compare evidence). */
export function referenceEvaluation(network: Network, actions: readonly ScenarioAction[], p: ScenarioParameters): Evaluation {
  const years = planYears(p);
  const baselineSide: Side = apply(network, [], p).side;
  const applied = apply(network, actions, p);
  const scenarioSide = applied.side;
  const baseline = figures(baselineSide, network, years, p);
  const scenario = figures(scenarioSide, network, years, p);

  // Money over the horizon, day by day: on each day the actions dated on or before it are in effect
  // (an undated action from the start date), and the day costs 1/365 (or 1/366) of that state's year.
  const dateOf = (action: ScenarioAction) => dayOf(action.effectiveDate ?? p.startDate);
  const states = new Map<number, { side: Side; staff: bigint; premises: bigint; running: bigint; central: bigint }>();
  const stateOn = (day: number) => {
    const count = actions.filter((action) => dateOf(action) <= day).length;
    let state = states.get(count);
    if (!state) {
      const side = count === actions.length ? scenarioSide : apply(network, actions.slice(0, count), p).side;
      let staff = 0n;
      for (const post of allPosts(side)) staff += big(units(post.fte)) * big(post.annualCostPerFtePence);
      const open = openSites(side);
      state = {
        side,
        staff,
        premises: big(open.reduce((sum, site) => sum + site.annualPremisesCostPence, 0)),
        running: big(open.reduce((sum, site) => sum + site.annualRunningCostPence, 0)),
        central: centralTotal(side.central),
      };
      states.set(count, state);
    }
    return state;
  };
  const phasedYear = years.map((year) => {
    let staff = 0n;
    let premises = 0n;
    let running = 0n;
    let central = 0n;
    let income = 0n;
    for (let day = year.first; day <= year.last; day++) {
      const state = stateOn(day);
      staff += state.staff;
      premises += state.premises;
      running += state.running;
      central += state.central;
      const today = { year: year.year, first: day, last: day };
      for (const stream of state.side.income) if (counts(state.side, stream)) income += big(stream.annualValuePence) * big(daysActive(stream, today));
    }
    const days = big(year.last - year.first + 1);
    const gross = rounded(staff, 10_000n * days) + rounded(premises, days) + rounded(running, days) + rounded(central, 10_000n * days);
    const incomePence = rounded(income, days);
    return { incomePence, netCostPence: gross - incomePence };
  });
  const net = (side: Side, sideFigures: typeof baseline, year: Year) => sideFigures.money.grossCostPence - incomeInYear(side, side.income, year);
  const savings = years.map((year, index) => net(baselineSide, baseline, year) - phasedYear[index]!.netCostPence);
  const fullYearSavingPence = net(baselineSide, baseline, years[0]!) - net(scenarioSide, scenario, years[0]!);
  // A one-off falls in the year of its action's date; on a year's first day, at the end of the year before.
  const yearOfAction = (actionIndex: number) => {
    const day = dateOf(actions[actionIndex]!);
    const year = years.find((candidate) => candidate.first <= day && day <= candidate.last)!;
    return day === year.first ? year.year - 1 : year.year;
  };
  const [monthsNumerator, monthsDenominator] = decimal(p.redundancyMonths);
  const [vacantNumerator, vacantDenominator] = decimal(p.vacantOrRedeployedShare);
  const redundancyOf = (post: Pick<Post, 'fte' | 'annualCostPerFtePence'>) =>
    big(units(post.fte)) * big(post.annualCostPerFtePence) * monthsNumerator * (vacantDenominator - vacantNumerator);
  const redundancyDenominator = 10_000n * 12n * monthsDenominator * vacantDenominator;
  const oneOffByYear = [0, ...years.map(() => 0)];
  for (let year = 0; year <= years.length; year++) {
    const inYear = applied.removed.filter((removal) => !removal.added && yearOfAction(removal.actionIndex) === year);
    const centralInYear = applied.centralCut.filter((cut) => !cut.added && yearOfAction(cut.actionIndex) === year);
    const exact =
      inYear.reduce((sum, removal) => sum + redundancyOf(removal.post), 0n) +
      centralInYear.reduce((sum, cut) => sum + redundancyOf({ fte: cut.line.fte!, annualCostPerFtePence: cut.line.annualCostPerFtePence! }), 0n);
    oneOffByYear[year]! += rounded(exact, redundancyDenominator);
  }
  const redundancyPence = oneOffByYear.reduce((sum, pence) => sum + pence, 0);
  for (const cost of applied.closureCosts) oneOffByYear[yearOfAction(cost.actionIndex)]! += cost.pence;
  for (const cost of applied.capitalCosts) oneOffByYear[yearOfAction(cost.actionIndex)]! += cost.pence;
  for (const receipt of applied.receipts) oneOffByYear[yearOfAction(receipt.actionIndex)]! -= receipt.pence;
  const closureCostsPence = applied.closureCosts.reduce((sum, cost) => sum + cost.pence, 0);
  const capitalReceiptsPence = applied.receipts.reduce((sum, receipt) => sum + receipt.pence, 0);
  const capitalCostsPence = applied.capitalCosts.reduce((sum, cost) => sum + cost.pence, 0);
  const oneOffPence = redundancyPence + closureCostsPence + capitalCostsPence - capitalReceiptsPence;
  const [rateNumerator, rateDenominator] = decimal(p.discountRate);
  // 1 ÷ (1 + rate)^t = D^t ÷ (D + N)^t.
  const presentValue = (flow: number, year: number) => rounded(big(flow) * rateDenominator ** BigInt(year), (rateDenominator + rateNumerator) ** BigInt(year));
  const horizon = BigInt(years.length);
  let npv = -big(oneOffByYear[0]!) * (rateDenominator + rateNumerator) ** horizon;
  savings.forEach((saving, index) => {
    const t = BigInt(index + 1);
    npv += big(saving - oneOffByYear[index + 1]!) * rateDenominator ** t * (rateDenominator + rateNumerator) ** (horizon - t);
  });
  let payback: number | null = oneOffPence <= 0 ? 0 : null;
  let cumulative = 0;
  for (const [index, saving] of savings.entries()) {
    if (payback !== null) break;
    if (cumulative + saving >= oneOffPence) payback = rounded(100n * (big(index) * big(saving) + big(oneOffPence - cumulative)), big(saving)) / 100;
    cumulative += saving;
  }
  let running = 0;
  const cashFlow = years.map((year, index) => {
    running += savings[index]!;
    return {
      year: year.year,
      startDate: isoOf(year.first),
      endDate: isoOf(year.last),
      baselineIncomePence: incomeInYear(baselineSide, baselineSide.income, year),
      scenarioIncomePence: phasedYear[index]!.incomePence,
      baselineNetCostPence: net(baselineSide, baseline, year),
      scenarioNetCostPence: phasedYear[index]!.netCostPence,
      savingPence: savings[index]!,
      oneOffPence: oneOffByYear[index + 1]!,
      cumulativeSavingPence: running,
      presentValuePence: presentValue(savings[index]! - oneOffByYear[index + 1]!, year.year),
    };
  });

  // Posts.
  const postsRemoved = applied.removed.map(({ post, siteName, actionIndex, added }) => ({
    postId: post.id,
    title: post.title,
    siteId: post.siteId,
    siteName,
    kind: post.kind,
    fte: post.fte,
    annualCostPerFtePence: post.annualCostPerFtePence,
    annualCostPence: annualCostOf(post),
    actionIndex,
    redundancyCostPence: added ? 0 : rounded(redundancyOf(post), redundancyDenominator),
  }));
  const postsRedeployed = applied.moved.map(({ post, newPostId, fromSiteName, toSite, actionIndex }) => ({
    postId: post.id,
    newPostId,
    title: post.title,
    kind: post.kind,
    fte: post.fte,
    annualCostPerFtePence: post.annualCostPerFtePence,
    annualCostPence: annualCostOf(post),
    fromSiteId: post.siteId,
    fromSiteName,
    toSiteId: toSite.id,
    toSiteName: toSite.name,
    actionIndex,
  }));
  const postsTransferred = applied.transferred.map(({ post, siteName, actionIndex }) => ({
    postId: post.id,
    title: post.title,
    siteId: post.siteId,
    siteName,
    kind: post.kind,
    fte: post.fte,
    annualCostPerFtePence: post.annualCostPerFtePence,
    annualCostPence: annualCostOf(post),
    actionIndex,
  }));
  const centralPostsRemoved = applied.centralCut.map(({ line, actionIndex, added }) => {
    const post = { fte: line.fte!, annualCostPerFtePence: line.annualCostPerFtePence! };
    return {
      centralCostId: line.id,
      title: line.title,
      category: line.category,
      ...post,
      annualCostPence: annualCostOf(post),
      redundancyCostPence: added ? 0 : rounded(redundancyOf(post), redundancyDenominator),
      actionIndex,
    };
  });
  const jobCount = (posts: { postId: string; fte: number }[]) => ({
    posts: new Set(posts.map((post) => post.postId)).size,
    fte: posts.reduce((sum, post) => sum + units(post.fte), 0) / 10_000,
  });

  // Income lost: baseline income that stops counting because its site closes (removal is a decision).
  const lost = baselineSide.income.filter((stream) => {
    const after = scenarioSide.income.find((s) => s.id === stream.id);
    return after && counts(baselineSide, stream) && !counts(scenarioSide, after) && years.some((year) => daysActive(stream, year) > 0);
  });
  const incomeLost = {
    year1Pence: incomeInYear(baselineSide, lost, years[0]!),
    streams: lost.map((stream) => ({
      incomeStreamId: stream.id,
      partner: stream.partner,
      kind: stream.kind,
      siteId: stream.siteId,
      siteName: siteOf(baselineSide, stream.siteId)?.name ?? '',
      annualValuePence: stream.annualValuePence,
      endDate: stream.endDate,
      year1Pence: incomeInYear(baselineSide, [stream], years[0]!),
    })),
  };

  // Reach: areas losing coverage.
  const before = nearestDistances(baselineSide, network);
  const after = nearestDistances(scenarioSide, network);
  const areasLosingCoverage = network.areas.flatMap((area, index) =>
    before[index]! <= p.radiusM && after[index]! > p.radiusM
      ? [
          {
            areaId: area.id,
            code: area.code,
            name: area.name,
            under5Population: area.under5Population,
            deprivationDecile: area.deprivationDecile,
            baselineDistanceM: Math.round(before[index]!),
            scenarioDistanceM: Number.isFinite(after[index]!) ? Math.round(after[index]!) : null,
          },
        ]
      : [],
  );

  // Warnings.
  const consultations: Warning[] = [];
  baselineSide.sites.forEach((was, position) => {
    const now = scenarioSide.sites[position]!;
    if (was.status !== 'open') return;
    const change =
      now.status === 'closed'
        ? 'closure'
        : was.openingHoursPerWeek - now.openingHoursPerWeek > p.consultationHoursCutShare * was.openingHoursPerWeek
          ? 'hours_cut'
          : null;
    if (!change) return;
    consultations.push({
      code: 'consultation_required',
      message: '',
      evidence: {
        siteId: was.id,
        siteName: was.name,
        change,
        baselineHoursPerWeek: was.openingHoursPerWeek,
        scenarioHoursPerWeek: now.openingHoursPerWeek,
        ...areasAsEvidence(network, (index) => distanceM(network.areas[index]!, was) <= p.radiusM, p),
      },
    });
  });
  const offers = (side: Side, service: ServiceKind, areaIndex: number) =>
    openSites(side).some((site) => site.services.includes(service) && distanceM(network.areas[areaIndex]!, site) <= p.radiusM);
  const servicesLost = [...new Set(network.sites.flatMap((site) => site.services))].sort().flatMap((service): Warning[] => {
    const lostHere = (index: number) => offers(baselineSide, service, index) && !offers(scenarioSide, service, index);
    if (!network.areas.some((_, index) => lostHere(index))) return [];
    return [{ code: 'service_lost', message: '', evidence: { service, ...areasAsEvidence(network, lostHere, p) } }];
  });
  const warnings: Warning[] = [
    ...clusterWarnings(scenarioSide, p),
    ...applied.warnings,
    ...incomeLost.streams.map(
      (stream): Warning => ({
        code: 'income_lost',
        message: '',
        evidence: {
          incomeStreamId: stream.incomeStreamId,
          partner: stream.partner,
          siteId: stream.siteId ?? '',
          siteName: stream.siteName,
          annualValuePence: stream.annualValuePence,
          year1Pence: stream.year1Pence,
        },
      }),
    ),
    ...consultations,
    ...servicesLost,
  ];

  // Line items: matched by category and source; the last action that changed the source.
  const baselineItems = recurringItems(baselineSide, years);
  const scenarioItems = recurringItems(scenarioSide, years);
  const lineItems: LineItem[] = [];
  for (const key of new Set([...baselineItems.keys(), ...scenarioItems.keys()])) {
    const item = (baselineItems.get(key) ?? scenarioItems.get(key))!;
    const { category, sourceType, sourceId, description } = item;
    lineItems.push({
      category,
      sourceType,
      sourceId,
      description,
      actionIndex: applied.lastChange.get(item.key) ?? null,
      baselinePence: baselineItems.get(key)?.pence ?? 0,
      scenarioPence: scenarioItems.get(key)?.pence ?? 0,
    });
  }
  const oneOffItem = (
    category: LineItem['category'],
    sourceType: LineItem['sourceType'],
    sourceId: string,
    description: string,
    actionIndex: number,
    pence: number,
  ): LineItem => ({
    category,
    sourceType,
    sourceId,
    description,
    actionIndex,
    baselinePence: 0,
    scenarioPence: pence,
  });
  for (const post of postsRemoved)
    if (post.redundancyCostPence > 0) lineItems.push(oneOffItem('redundancy', 'post', post.postId, post.title, post.actionIndex, post.redundancyCostPence));
  for (const post of centralPostsRemoved) {
    if (post.redundancyCostPence > 0)
      lineItems.push(oneOffItem('redundancy', 'central_cost', post.centralCostId, post.title, post.actionIndex, post.redundancyCostPence));
  }
  for (const cost of applied.closureCosts) lineItems.push(oneOffItem('closure_cost', 'site', cost.site.id, cost.site.name, cost.actionIndex, cost.pence));
  for (const cost of applied.capitalCosts) lineItems.push(oneOffItem('capital_cost', 'site', cost.site.id, cost.site.name, cost.actionIndex, cost.pence));
  for (const receipt of applied.receipts)
    lineItems.push(oneOffItem('capital_receipt', 'site', receipt.site.id, receipt.site.name, receipt.actionIndex, receipt.pence));

  return {
    parameters: p,
    baseline,
    scenario,
    savings: {
      annualSavingPence: fullYearSavingPence,
      fullYearSavingPence,
      inYearSavingPence: savings[0]!,
      oneOff: { redundancyPence, closureCostsPence, capitalCostsPence, capitalReceiptsPence, totalPence: oneOffPence, year0Pence: oneOffByYear[0]! },
      cashFlow,
      npvPence: rounded(npv, (rateDenominator + rateNumerator) ** horizon),
      paybackYears: payback,
    },
    postsRemoved,
    postsAdded: applied.added,
    postsRedeployed,
    postsTransferred,
    centralPostsRemoved,
    jobs: {
      postsDeleted: {
        ...jobCount([
          ...postsRemoved.filter((_, index) => !applied.removed[index]!.added),
          ...centralPostsRemoved.filter((_, index) => !applied.centralCut[index]!.added).map((post) => ({ postId: post.centralCostId, fte: post.fte })),
        ]),
        redundancyPence,
      },
      postsRedeployed: jobCount(postsRedeployed),
      postsAdded: jobCount(applied.added),
      postsTransferred: jobCount(postsTransferred),
      netFteChange: (units(scenario.staff.totalFte) - units(baseline.staff.totalFte)) / 10_000,
    },
    incomeLost,
    areasLosingCoverage: areasLosingCoverage.slice(0, maxListedAreas.losingCoverage),
    areasLosingCoverageCount: areasLosingCoverage.length,
    actions: actions.map((action, actionIndex) => ({ actionIndex, type: action.type, description: '' })),
    warnings,
    lineItems,
  };
}
