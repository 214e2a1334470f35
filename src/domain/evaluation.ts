// Evaluates a network, or a scenario against its baseline: money, staff, sites, reach, warnings and
// line items (planning-model.md). Pure: the same network, actions and parameters give the same result.
import type {
  ActionError,
  NetworkEvaluation,
  NetworkFigures,
  NetworkLineItem,
  PlanningWarning,
  RedeployedPost,
  RemovedCentralPost,
  RemovedPost,
  ScenarioAction,
  ScenarioEvaluation,
  ScenarioLineItem,
  ScenarioParameters,
  TransferredPost,
} from '../schemas/scenario.js';
import { applyActions, type AppliedScenario, type OneOffItem } from './actions.js';
import { centralExact, centralLinePence } from './central-costs.js';
import { isoDate, planYears, type PlanYear } from './dates.js';
import { scenarioEconomics } from './economics.js';
import {
  addIncome,
  incomeAtRisk,
  incomeByYear,
  incomeTotals,
  isActiveWithin,
  npvPence,
  paybackYears,
  presentValuePence,
  roundedIncome,
  scenarioIncomeAtRisk,
  streamIncomeInYear,
  type IncomeAtRisk,
  type IncomeTotals,
} from './finance.js';
import { recurringLineItems, scenarioLineItems, unchangedLineItems, type UnchangedLineItems } from './line-items.js';
import { divideRounded, ExactTotal, fteScale, fteUnits, scalePence } from './money.js';
import { effectiveDay, oneOffYear, phases, phaseWithin, type Phase } from './phasing.js';
import { clusters, incomeCounts, scenarioClusters, SiteTotals, type Cluster, type ClusterIndex, type SitesById } from './network.js';
import { deprivedAreaMask, openSiteMask, serviceBits } from './positions.js';
import { derived, derivedKey, prepareNetwork, sitesAround, type PreparedNetwork } from './prepared.js';
import {
  baselineCoreCoverage,
  baselineCoverage,
  coreOfferReach,
  scenarioCoreCoverage,
  scenarioCoverage,
  serviceChanges,
  serviceReach,
} from './service-reach.js';
import {
  areasLosingCoverage,
  areasNearSites,
  farthestAreas,
  reachFigures,
  scenarioFarthestAreas,
  scenarioNearest,
  servicesLost,
  type FarthestAreas,
} from './reach.js';
import type { NearestPoints } from './spatial.js';
import type { CentralCost, Network, Post } from './types.js';
import { clusterWarnings, consultationWarning, incomeLostWarnings, serviceLostWarnings, significantChanges, warningsByCluster } from './warnings.js';

export type { NetworkEvaluation, ScenarioEvaluation };
export type EvaluationResult = { ok: true; evaluation: ScenarioEvaluation } | { ok: false; errors: ActionError[] };

/**
 * What every figure of one evaluation shares. The prepared network serves baseline and scenario alike
 * (actions never move sites; the sites a scenario adds are in its network, closed: new-sites.ts).
 */
interface Context {
  prepared: PreparedNetwork;
  parameters: ScenarioParameters;
  years: PlanYear[];
  deprived: Uint8Array;
}

function context(network: Network, parameters: ScenarioParameters): Context {
  const prepared = prepareNetwork(network);
  return {
    prepared,
    parameters,
    years: planYears(parameters.startDate, parameters.horizonYears),
    deprived: derived(prepared, keys.deprived(parameters), () => deprivedAreaMask(prepared.areas, parameters.deprivedDeciles)),
  };
}

/** What the evaluation keeps with a prepared network (`derived`), each keyed by the parameters it depends on. */
const keys = {
  deprived: ({ deprivedDeciles }: ScenarioParameters) => derivedKey<Uint8Array>('deprived areas', deprivedDeciles.join()),
  baseline: (parameters: ScenarioParameters) => derivedKey<Baseline>('baseline', JSON.stringify(parameters)),
  farthest: derivedKey<FarthestAreas | undefined>('farthest areas'),
  lineItems: ({ startDate, horizonYears }: ScenarioParameters) => derivedKey<NetworkLineItem[]>('line items', startDate, horizonYears),
  unchangedLineItems: ({ startDate, horizonYears }: ScenarioParameters) => derivedKey<UnchangedLineItems>('unchanged line items', startDate, horizonYears),
};

/** One side of a comparison: its figures and its income by plan year. */
interface Side {
  figures: NetworkFigures;
  incomeByYear: number[];
}

/** The baseline, with what a scenario's figures and warnings are worked out from: site totals, income, clusters and their warnings. */
interface Baseline extends Side {
  /** Each area's services within radiusM (service-reach.ts). */
  serviceCoverage: Uint16Array;
  /** 1 for each area reached by the core offer; null without one. */
  coreCoverage: Uint8Array | null;
  totals: SiteTotals;
  incomeTotals: IncomeTotals;
  atRisk: IncomeAtRisk;
  clusters: ClusterIndex;
  clusterWarnings: ReturnType<typeof warningsByCluster>;
}

/** The network as it stands, for these parameters: worked out once per network and parameters. */
function baselineFigures(shared: Context): Baseline {
  const { prepared, parameters } = shared;
  return derived(prepared, keys.baseline(parameters), () => {
    const { network } = prepared;
    const totals = SiteTotals.of(network.sites, prepared.postsBySite);
    const clusterIndex = clusters(network.sites);
    const income = incomeTotals(network.incomeStreams, prepared.sites, shared.years);
    const atRisk = incomeAtRisk(network.incomeStreams, prepared.sites, shared.years);
    const serviceCoverage = baselineCoverage(prepared, areasNear(shared));
    const core = serviceBits(parameters.coreOffer);
    const coreCoverage = core === 0 ? null : baselineCoreCoverage(prepared, areasNear(shared), core);
    const parts = {
      atRisk,
      totals,
      central: network.centralCosts ?? [],
      clusters: clusterIndex.clusters,
      nearest: prepared.nearest,
      serviceCoverage,
      coreCoverage,
    };
    return {
      ...sideFigures({ ...parts, income: roundedIncome(income, shared.years) }, shared),
      serviceCoverage,
      coreCoverage,
      totals,
      incomeTotals: income,
      atRisk,
      clusters: clusterIndex,
      clusterWarnings: warningsByCluster(clusterIndex.clusters, parameters),
    };
  });
}

/** What one side's figures are made from. */
interface SideParts {
  /** Income in each plan year, rounded. */
  income: number[];
  atRisk: IncomeAtRisk;
  totals: SiteTotals;
  /** The side's central costs. */
  central: readonly CentralCost[];
  clusters: Cluster[];
  /** Each area's nearest open site. */
  nearest: NearestPoints;
  /** Where to look for the 95th percentile distance first, when known. */
  farthest?: FarthestAreas;
  /** Each area's services within radiusM. */
  serviceCoverage: Uint16Array;
  /** 1 for each area reached by the core offer; null without one. */
  coreCoverage: Uint8Array | null;
}

/** The figures of one side from its parts. */
function sideFigures(
  { income, atRisk, totals, central, clusters: sideClusters, nearest, farthest, serviceCoverage, coreCoverage }: SideParts,
  { prepared, parameters, deprived }: Context,
): Side {
  const cost = totals.annualCost(central);
  const year1Income = income[0]!;
  return {
    incomeByYear: income,
    figures: {
      money: { ...cost, incomePence: year1Income, netCostPence: cost.grossCostPence - year1Income },
      incomeAtRisk: atRisk.figures,
      staff: totals.staff(),
      sites: totals.sites(),
      clusters: sideClusters,
      reach: {
        ...reachFigures(prepared.under5s, deprived, nearest, parameters, farthest),
        byService: serviceReach(serviceCoverage, prepared.under5s, deprived),
        coreOffer: coreCoverage && coreOfferReach(parameters.coreOffer, coreCoverage, prepared.under5s, deprived),
      },
    },
  };
}

/**
 * The scenario's figures: the baseline's totals, income and clusters, with the sites and income the
 * actions touched worked out again, and its reach with the 95th percentile distance looked for from
 * the baseline's farthest areas.
 */
function scenarioFigures(
  applied: AppliedScenario,
  nearest: ReturnType<typeof scenarioNearest>,
  { serviceCoverage, coreCoverage }: Pick<SideParts, 'serviceCoverage' | 'coreCoverage'>,
  baseline: Baseline,
  shared: Context,
): Side {
  const { prepared, years } = shared;
  const { touchedIncome: touched, sitesById } = applied;
  const income = baseline.incomeTotals.map((total) => total.copy());
  addIncome(income, touched.baselineStreams, prepared.sites, years, -1);
  addIncome(income, touched.scenario, sitesById, years, 1);
  const atRisk = scenarioIncomeAtRisk(baseline.atRisk, touched, sitesById, years);
  const positions = changedPositions(applied, prepared);
  const totals = scenarioTotals(applied, positions, baseline, prepared);
  const sideClusters = scenarioClusters(baseline.clusters, prepared.network.sites, applied.sites, positions);
  const baselineFarthest = derived(prepared, keys.farthest, () => farthestAreas(prepared.under5s, prepared.nearest));
  const farthest = baselineFarthest && scenarioFarthestAreas(baselineFarthest, prepared.nearest, nearest);
  return sideFigures(
    {
      income: roundedIncome(income, years),
      atRisk,
      totals,
      central: applied.centralCosts,
      clusters: sideClusters,
      nearest: nearest.nearest,
      farthest,
      serviceCoverage,
      coreCoverage,
    },
    shared,
  );
}

/** The areas within radiusM of each site open in the network (reach.ts), shared by every evaluation with these parameters. */
const areasNear = ({ prepared, parameters, deprived }: Context) => areasNearSites(prepared, parameters.radiusM, deprived, parameters.deprivedDeciles.join());

/** The positions in the network of the sites the actions changed, ascending. */
const changedPositions = (applied: AppliedScenario, prepared: PreparedNetwork): number[] =>
  Array.from(
    Int32Array.from(applied.changesBySite.keys(), (siteId) => prepared.sitePositions.get(siteId) ?? -1)
      .filter((position) => position >= 0)
      .sort(),
  );

/** The baseline's site totals with each changed site taken out as it was and put back as it is. */
function scenarioTotals(applied: AppliedScenario, positions: readonly number[], baseline: Baseline, prepared: PreparedNetwork): SiteTotals {
  const baselineSites = prepared.network.sites;
  const totals = baseline.totals.copy();
  for (const position of positions) {
    const { id } = baselineSites[position]!;
    totals.add(baselineSites[position]!, prepared.postsBySite.get(id) ?? [], -1);
    totals.add(applied.sites[position]!, applied.postsBySite.get(id) ?? [], 1);
  }
  return totals;
}

/**
 * The scenario's gross cost and income in each plan year with its actions phased (phasing.ts): each
 * state's annual cost and its income, pro-rated by the days the state lasts in the year, summed exactly
 * and rounded once (staff, premises, running and income each).
 */
function phasedYears(
  network: Network,
  actions: readonly ScenarioAction[],
  statePhases: readonly Phase[],
  applied: AppliedScenario,
  baseline: Baseline,
  { prepared, years, parameters }: Context,
): Pick<CashFlowSide, 'grossCostByYear' | 'incomeByYear'> {
  const states = statePhases.map(({ actionCount }) => {
    if (actionCount === 0) {
      return { cost: baseline.totals.exactCost(), central: centralExact(network.centralCosts ?? []), streams: network.incomeStreams, sites: prepared.sites };
    }
    const outcome =
      actionCount === actions.length ? { ok: true as const, applied } : applyActions(network, actions.slice(0, actionCount), parameters, applied.network);
    // A prefix of actions that apply applies: each action saw only those before it.
    if (!outcome.ok) throw new Error('a prefix of a valid action list failed to apply');
    const state = outcome.applied;
    return {
      cost: scenarioTotals(state, changedPositions(state, prepared), baseline, prepared).exactCost(),
      central: centralExact(state.centralCosts),
      streams: state.listIncomeStreams(),
      sites: state.sitesById,
    };
  });
  const grossCostByYear: number[] = [];
  const incomeByYear: number[] = [];
  for (const year of years) {
    let staff = 0n;
    let premises = 0n;
    let running = 0n;
    let central = 0n;
    const income = new ExactTotal();
    states.forEach((state, index) => {
      const within = phaseWithin(statePhases, index, year);
      if (!within) return;
      const days = BigInt(within.lastDay - within.firstDay + 1);
      staff += state.cost.staff * days;
      premises += state.cost.premises * days;
      running += state.cost.running * days;
      central += state.central * days;
      addIncome([income], state.streams, state.sites, [within], 1);
    });
    const yearDays = BigInt(year.days);
    grossCostByYear.push(
      divideRounded(staff, BigInt(fteScale) * yearDays) +
        divideRounded(premises, yearDays) +
        divideRounded(running, yearDays) +
        divideRounded(central, BigInt(fteScale) * yearDays),
    );
    incomeByYear.push(income.dividedBy(year.days));
  }
  return { grossCostByYear, incomeByYear };
}

const yearDates = (year: PlanYear) => ({ year: year.year, startDate: isoDate(year.firstDay), endDate: isoDate(year.lastDay) });

/** The network as it stands, over the horizon. `parameters` come from resolveParameters. */
export function evaluateNetwork(network: Network, parameters: ScenarioParameters): NetworkEvaluation {
  const shared = context(network, parameters);
  const { prepared } = shared;
  const { figures, incomeByYear: income, clusterWarnings: warningsOfClusters } = baselineFigures(shared);
  return {
    parameters,
    figures,
    cashFlow: shared.years.map((year, index) => ({
      ...yearDates(year),
      incomePence: income[index]!,
      netCostPence: figures.money.grossCostPence - income[index]!,
    })),
    warnings: clusterWarnings(figures.clusters, parameters, warningsOfClusters),
    lineItems: derived(prepared, keys.lineItems(parameters), () => recurringLineItems(network, prepared.sites, shared.years)),
  };
}

/**
 * Removed posts with their redundancy cost: months ÷ 12 × annual cost × the share not vacant or
 * redeployed anyway (in ten-thousandths). The total is rounded once from the exact sum.
 */
function removedPosts(applied: AppliedScenario, parameters: ScenarioParameters, yearOfAction: (actionIndex: number) => number) {
  const monthsHundredths = Math.round(parameters.redundancyMonths * 100);
  const filledUnits = shareScale - Math.round(parameters.vacantOrRedeployedShare * shareScale);
  const denominator = 12 * 100 * fteScale * shareScale;
  const totals = Array.from({ length: parameters.horizonYears + 1 }, () => new ExactTotal());
  /** A removal's redundancy, added to its year's exact total, rounded on its own. */
  const redundancy = (fte: number, costPerFtePence: number, actionIndex: number, addedByScenario: boolean) => {
    const redundancyUnits = addedByScenario ? 0 : fteUnits(fte) * monthsHundredths * filledUnits;
    totals[yearOfAction(actionIndex)]!.addProduct(redundancyUnits, costPerFtePence);
    return scalePence(redundancyUnits, costPerFtePence, denominator);
  };
  const posts = applied.postsRemoved.map(
    ({ post, siteName, actionIndex, addedByScenario }): RemovedPost => ({
      ...postLeaving(post, siteName, actionIndex),
      redundancyCostPence: redundancy(post.fte, post.annualCostPerFtePence, actionIndex, addedByScenario),
    }),
  );
  const central = applied.centralRemoved.map(
    ({ line, actionIndex, addedByScenario }): RemovedCentralPost => ({
      centralCostId: line.id,
      title: line.title,
      category: line.category,
      fte: line.fte!,
      annualCostPerFtePence: line.annualCostPerFtePence!,
      annualCostPence: centralLinePence(line),
      redundancyCostPence: redundancy(line.fte!, line.annualCostPerFtePence!, actionIndex, addedByScenario),
      actionIndex,
    }),
  );
  const byYear = totals.map((total) => total.dividedBy(denominator));
  return { posts, central, byYear, redundancyPence: byYear.reduce((sum, pence) => sum + pence, 0) };
}

const shareScale = 10_000;

/** A post (or part) that leaves its site, as the lists of removed and transferred posts show it. */
const postLeaving = (post: Post, siteName: string, actionIndex: number): TransferredPost => ({
  postId: post.id,
  title: post.title,
  siteId: post.siteId,
  siteName,
  kind: post.kind,
  fte: post.fte,
  annualCostPerFtePence: post.annualCostPerFtePence,
  annualCostPence: scalePence(fteUnits(post.fte), post.annualCostPerFtePence, fteScale),
  actionIndex,
});

const transferredPosts = (applied: AppliedScenario): TransferredPost[] =>
  applied.postsTransferred.map(({ post, siteName, actionIndex }) => postLeaving(post, siteName, actionIndex));

const redeployedPosts = (applied: AppliedScenario): RedeployedPost[] =>
  applied.postsRedeployed.map(({ post, newPostId, fromSiteName, toSiteId, toSiteName, actionIndex }) => ({
    postId: post.id,
    newPostId,
    title: post.title,
    kind: post.kind,
    fte: post.fte,
    annualCostPerFtePence: post.annualCostPerFtePence,
    annualCostPence: scalePence(fteUnits(post.fte), post.annualCostPerFtePence, fteScale),
    fromSiteId: post.siteId,
    fromSiteName,
    toSiteId,
    toSiteName,
    actionIndex,
  }));

/** Head count and FTE of a list of posts (or parts of posts). */
function jobCount(posts: readonly { postId: string; fte: number }[]) {
  return { posts: new Set(posts.map((post) => post.postId)).size, fte: posts.reduce((sum, post) => sum + fteUnits(post.fte), 0) / fteScale };
}

/** The posts a scenario touches, as the evaluation lists them. */
interface PostChanges {
  /** Posts and central posts removed (a central post by its centralCostId). */
  removed: readonly { postId: string; fte: number }[];
  /** For each removed post, whether the scenario itself added it (never filled, so never deleted). */
  addedByScenario: readonly boolean[];
  redundancyPence: number;
  redeployed: readonly RedeployedPost[];
  added: readonly { postId: string; fte: number }[];
  transferred: readonly TransferredPost[];
}

function jobs(changes: PostChanges, baseline: NetworkFigures, scenario: NetworkFigures): ScenarioEvaluation['jobs'] {
  return {
    postsDeleted: { ...jobCount(changes.removed.filter((_, index) => !changes.addedByScenario[index])), redundancyPence: changes.redundancyPence },
    postsRedeployed: jobCount(changes.redeployed),
    postsAdded: jobCount(changes.added),
    postsTransferred: jobCount(changes.transferred),
    netFteChange: (fteUnits(scenario.staff.totalFte) - fteUnits(baseline.staff.totalFte)) / fteScale,
  };
}

/**
 * Baseline income that the scenario loses because the site it needs closes (not income removed on
 * purpose). Only a stream that an action changed can stop counting (closing a site marks the income
 * that needs it), and its site is then one an action changed: only the touched streams are looked at.
 */
function incomeLost(applied: AppliedScenario, baselineSites: SitesById, years: PlanYear[]) {
  const lost = applied.touchedIncome.baselineStreams.filter((stream) => {
    if (!applied.incomeChangedBy.has(stream.id)) return false;
    const after = applied.incomeById.get(stream.id);
    return after && incomeCounts(stream, baselineSites) && !incomeCounts(after, applied.sitesById) && isActiveWithin(stream, years);
  });
  const year1 = years[0]!;
  return {
    year1Pence: incomeByYear(lost, baselineSites, [year1])[0]!,
    streams: lost.map((stream) => ({
      incomeStreamId: stream.id,
      partner: stream.partner,
      kind: stream.kind,
      siteId: stream.siteId,
      siteName: baselineSites.get(stream.siteId ?? '')?.name ?? '',
      annualValuePence: stream.annualValuePence,
      endDate: stream.endDate,
      year1Pence: streamIncomeInYear(stream, year1),
    })),
  };
}

/** Redundancy of each removed post (at a site or central), closure costs and capital receipts: one-offs. */
function oneOffLineItems(postsRemoved: readonly RemovedPost[], centralRemoved: readonly RemovedCentralPost[], applied: AppliedScenario): ScenarioLineItem[] {
  const item = (
    category: ScenarioLineItem['category'],
    sourceType: ScenarioLineItem['sourceType'],
    sourceId: string,
    description: string,
    actionIndex: number,
    pence: number,
  ): ScenarioLineItem => ({ category, sourceType, sourceId, description, actionIndex, baselinePence: 0, scenarioPence: pence });
  return [
    ...postsRemoved
      .filter((post) => post.redundancyCostPence > 0)
      .map((post) => item('redundancy', 'post', post.postId, post.title, post.actionIndex, post.redundancyCostPence)),
    ...centralRemoved
      .filter((post) => post.redundancyCostPence > 0)
      .map((post) => item('redundancy', 'central_cost', post.centralCostId, post.title, post.actionIndex, post.redundancyCostPence)),
    ...applied.closureCosts.map((cost) => item('closure_cost', 'site', cost.siteId, cost.siteName, cost.actionIndex, cost.pence)),
    ...applied.capitalCosts.map((cost) => item('capital_cost', 'site', cost.siteId, cost.siteName, cost.actionIndex, cost.pence)),
    ...applied.capitalReceipts.map((receipt) => item('capital_receipt', 'site', receipt.siteId, receipt.siteName, receipt.actionIndex, receipt.pence)),
  ];
}

const sumPence = (items: readonly OneOffItem[]): number => items.reduce((sum, item) => sum + item.pence, 0);

/** One side's figures by plan year for the cash flow: gross cost the same every year unless the actions are phased. */
interface CashFlowSide {
  incomeByYear: number[];
  grossCostByYear: number[] | null;
  figures: NetworkFigures;
}

/**
 * Year-by-year saving, NPV and payback against the one-off costs (`oneOffByYear`, years 0 … horizon).
 * `scenario` is the full-year side (every action in effect from the start); `phased` the cash flow's.
 */
function savingsFigures(
  baseline: Side,
  scenario: Side,
  phased: CashFlowSide,
  oneOff: ScenarioEvaluation['savings']['oneOff'],
  oneOffByYear: readonly number[],
  { years, parameters }: Context,
): ScenarioEvaluation['savings'] {
  const netCost = (side: CashFlowSide, index: number) => (side.grossCostByYear?.[index] ?? side.figures.money.grossCostPence) - side.incomeByYear[index]!;
  const baselineSide = { ...baseline, grossCostByYear: null };
  const savings = years.map((_, index) => netCost(baselineSide, index) - netCost(phased, index));
  const netFlows = savings.map((saving, index) => saving - oneOffByYear[index + 1]!);
  let cumulativeSavingPence = 0;
  const cashFlow = years.map((year, index) => {
    cumulativeSavingPence += savings[index]!;
    return {
      ...yearDates(year),
      baselineIncomePence: baseline.incomeByYear[index]!,
      scenarioIncomePence: phased.incomeByYear[index]!,
      baselineNetCostPence: netCost(baselineSide, index),
      scenarioNetCostPence: netCost(phased, index),
      savingPence: savings[index]!,
      oneOffPence: oneOffByYear[index + 1]!,
      cumulativeSavingPence,
      presentValuePence: presentValuePence(netFlows[index]!, parameters.discountRate, year.year),
    };
  });
  const fullYearSavingPence = netCost(baselineSide, 0) - netCost({ ...scenario, grossCostByYear: null }, 0);
  return {
    annualSavingPence: fullYearSavingPence,
    fullYearSavingPence,
    inYearSavingPence: savings[0]!,
    oneOff,
    cashFlow,
    npvPence: npvPence(oneOffByYear[0]!, netFlows, parameters.discountRate),
    paybackYears: paybackYears(oneOff.totalPence, savings),
  };
}

/** The scenario side as its warnings read it. */
interface ScenarioSide {
  figures: NetworkFigures;
  incomeLost: ScenarioEvaluation['incomeLost'];
}

/**
 * Warnings about the scenario: its clusters, what the actions reported, income lost, consultations
 * (with the areas near each closure or cut in hours) and services lost near closures and downgrades.
 */
function scenarioWarnings(
  applied: AppliedScenario,
  scenario: ScenarioSide,
  lostServices: ReturnType<typeof servicesLost>,
  baseline: Baseline,
  shared: Context,
): PlanningWarning[] {
  const { parameters, prepared, deprived } = shared;
  const changes = significantChanges(prepared.network.sites, applied.sites, parameters);
  // Only sites open in the network change significantly, so each has its areas.
  const near = areasNear(shared);
  return [
    ...clusterWarnings(scenario.figures.clusters, parameters, baseline.clusterWarnings),
    ...applied.warnings,
    ...incomeLostWarnings(scenario.incomeLost),
    ...changes.map((change) => consultationWarning(change, near[change.sitePosition]!.evidence)),
    ...serviceLostWarnings(lostServices, prepared, deprived),
  ];
}

/**
 * A scenario against its baseline. `actions` apply in order; when any cannot apply, the result lists
 * every error with its action index instead.
 */
const losingCoverage = ({ areas, count }: ReturnType<typeof areasLosingCoverage>) => ({
  areasLosingCoverage: areas,
  areasLosingCoverageCount: count,
});

export function evaluateScenario(network: Network, actions: readonly ScenarioAction[], parameters: ScenarioParameters): EvaluationResult {
  const outcome = applyActions(network, actions, parameters);
  if (!outcome.ok) return outcome;
  const { applied } = outcome;
  // Over the scenario's network (the network's own sites, and those it adds, closed), whose baseline
  // figures are the network's but for the count of sites: the network's own are reported.
  const shared = context(applied.network, parameters);
  const { prepared } = shared;
  const scenarioOpen = openSiteMask(applied.sites);
  const nearest = scenarioNearest(prepared, scenarioOpen, sitesAround(prepared, parameters.radiusM));
  const baseline = baselineFigures(shared);
  const reported = applied.network === network ? baseline : baselineFigures(context(network, parameters));
  const near = areasNear(shared);
  const changed = serviceChanges(prepared, applied.sites, scenarioOpen, changedPositions(applied, prepared), near);
  const around = sitesAround(prepared, parameters.radiusM);
  const scenarioServices = { open: scenarioOpen, services: changed.services, nearest: nearest.nearest, withdrawals: changed.withdrawals };
  const lostServices = servicesLost(prepared, scenarioServices, { around, radiusM: parameters.radiusM });
  const coverage = scenarioCoverage(prepared, baseline.serviceCoverage, lostServices, changed, near, parameters.radiusM);
  const coreCoverage =
    baseline.coreCoverage &&
    scenarioCoreCoverage(prepared, baseline.coreCoverage, scenarioServices, changedPositions(applied, prepared), near, {
      around,
      radiusM: parameters.radiusM,
      core: serviceBits(parameters.coreOffer),
    });
  const scenario = scenarioFigures(applied, nearest, { serviceCoverage: coverage, coreCoverage }, baseline, shared);
  const statePhases = phases(actions, parameters, shared.years);
  const phasedSide: CashFlowSide =
    statePhases.length === 1
      ? { ...scenario, grossCostByYear: null }
      : { ...scenario, ...phasedYears(network, actions, statePhases, applied, baseline, shared) };
  const yearOfAction = (actionIndex: number) => oneOffYear(effectiveDay(actions[actionIndex]!, parameters), shared.years);
  const removed = removedPosts(applied, parameters, yearOfAction);
  const oneOffByYear = removed.byYear.slice();
  for (const cost of [...applied.closureCosts, ...applied.capitalCosts]) oneOffByYear[yearOfAction(cost.actionIndex)]! += cost.pence;
  for (const receipt of applied.capitalReceipts) oneOffByYear[yearOfAction(receipt.actionIndex)]! -= receipt.pence;
  const closureCostsPence = sumPence(applied.closureCosts);
  const capitalCostsPence = sumPence(applied.capitalCosts);
  const capitalReceiptsPence = sumPence(applied.capitalReceipts);
  const oneOff = {
    redundancyPence: removed.redundancyPence,
    closureCostsPence,
    capitalCostsPence,
    capitalReceiptsPence,
    totalPence: removed.redundancyPence + closureCostsPence + capitalCostsPence - capitalReceiptsPence,
    year0Pence: oneOffByYear[0]!,
  };
  const lost = incomeLost(applied, prepared.sites, shared.years);
  const unchanged = derived(prepared, keys.unchangedLineItems(parameters), () => unchangedLineItems(prepared.network, prepared, shared.years));
  const lineItems = scenarioLineItems(unchanged, applied, prepared, shared.years, oneOffLineItems(removed.posts, removed.central, applied));
  const redeployed = redeployedPosts(applied);
  const transferred = transferredPosts(applied);
  // Central posts cut are counted as posts deleted too (their ids are not posts' ids).
  const postChanges: PostChanges = {
    removed: [...removed.posts, ...removed.central.map(({ centralCostId, fte }) => ({ postId: centralCostId, fte }))],
    addedByScenario: [...applied.postsRemoved, ...applied.centralRemoved].map((removal) => removal.addedByScenario),
    redundancyPence: removed.redundancyPence,
    redeployed,
    added: applied.postsAdded,
    transferred,
  };
  const savings = savingsFigures(baseline, scenario, phasedSide, oneOff, oneOffByYear, shared);
  const reach = { baseline: baseline.figures.reach, scenario: scenario.figures.reach };
  return {
    ok: true,
    evaluation: {
      parameters,
      baseline: reported.figures,
      scenario: scenario.figures,
      savings,
      postsRemoved: removed.posts,
      postsAdded: applied.postsAdded,
      postsRedeployed: redeployed,
      postsTransferred: transferred,
      centralPostsRemoved: removed.central,
      jobs: jobs(postChanges, reported.figures, scenario.figures),
      incomeLost: lost,
      ...losingCoverage(areasLosingCoverage(prepared, nearest, parameters.radiusM)),
      actions: applied.log,
      warnings: scenarioWarnings(applied, { figures: scenario.figures, incomeLost: lost }, lostServices, baseline, shared),
      lineItems,
      ...scenarioEconomics(network.outcomes ?? [], applied, actions, prepared.sites, shared.years, parameters, savings, reach),
    },
  };
}
