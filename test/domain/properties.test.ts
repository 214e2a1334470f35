// Properties of the evaluation on random networks.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { applyActions, type AppliedScenario } from '../../src/domain/actions.js';
import { planYears } from '../../src/domain/dates.js';
import { evaluateNetwork, evaluateScenario } from '../../src/domain/evaluation.js';
import { isActiveWithin } from '../../src/domain/finance.js';
import { recurringLineItems } from '../../src/domain/line-items.js';
import { sitesById } from '../../src/domain/network.js';
import { haversineM } from '../../src/domain/geo.js';
import type { Area, IncomeStream, Network, ServiceKind, Site } from '../../src/domain/types.js';
import { scenarioEvaluationSchema, type ScenarioAction, type ScenarioEvaluation } from '../../src/schemas/scenario.js';
import { actionsArbitrary, networkArbitrary } from '../helpers/planning-arbitraries.js';
import { fixtureParameters } from '../helpers/planning-fixtures.js';

const parameters = fixtureParameters();
const numRuns = 150;

/** Random actions on each network drawn, keeping the lists that apply, and their evaluation. */
const scenariosOn = (networks: fc.Arbitrary<Network>) =>
  networks.chain((network) =>
    actionsArbitrary(network, parameters).map((actions) => ({ network, actions, result: evaluateScenario(network, actions, parameters) })),
  );
const appliedScenario = scenariosOn(networkArbitrary);

t.test('closing a site never raises reach, and what it loses are the areas losing coverage', async (t) => {
  fc.assert(
    fc.property(
      networkArbitrary.chain((network) => fc.record({ network: fc.constant(network), pick: fc.nat() })),
      ({ network, pick }) => {
        const closable = network.sites.filter((site) => site.status === 'open' && site.role !== 'hub');
        fc.pre(closable.length > 0);
        const site = closable[pick % closable.length]!;
        const result = evaluateScenario(network, [{ type: 'close_site', siteId: site.id }], parameters);
        if (!result.ok) return false;
        const { baseline, scenario } = result.evaluation;
        const lost = result.evaluation.areasLosingCoverage.reduce((sum, area) => sum + area.under5Population, 0);
        return (
          scenario.reach.reachedUnder5s <= baseline.reach.reachedUnder5s &&
          scenario.reach.deprivedReachedUnder5s <= baseline.reach.deprivedReachedUnder5s &&
          baseline.reach.reachedUnder5s - scenario.reach.reachedUnder5s === lost
        );
      },
    ),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

t.test('a scenario whose actions all redeploy posts to open sites saves no staff cost and costs no redundancy', async (t) => {
  const moves = networkArbitrary.chain((network) =>
    fc.record({
      network: fc.constant(network),
      picks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 10_000 })), { minLength: 1, maxLength: 5 }),
    }),
  );
  fc.assert(
    fc.property(moves, ({ network, picks }) => {
      const open = network.sites.filter((site) => site.status === 'open');
      const posts = network.posts.filter((post) => open.some((site) => site.id === post.siteId));
      fc.pre(open.length > 1 && posts.length > 0);
      const actions = picks.flatMap(([postPick, sitePick, fraction]): ScenarioAction[] => {
        const post = posts[postPick % posts.length]!;
        const targets = open.filter((site) => site.id !== post.siteId);
        const fte = Math.max(1, Math.floor((post.fte * 10_000 * fraction) / 10_000)) / 10_000;
        return [{ type: 'change_posts', siteId: post.siteId, kind: post.kind, fteDelta: -fte, redeployToSiteId: targets[sitePick % targets.length]!.id }];
      });
      const result = evaluateScenario(network, actions, parameters);
      // A later move may ask for more than is left of a kind: such lists are refused, not evaluated.
      fc.pre(result.ok);
      if (!result.ok) return false;
      const { baseline, scenario, savings, jobs, postsRemoved } = result.evaluation;
      return (
        scenario.money.staffPence === baseline.money.staffPence &&
        scenario.staff.totalFte === baseline.staff.totalFte &&
        savings.annualSavingPence === 0 &&
        savings.oneOff.totalPence === 0 &&
        postsRemoved.length === 0 &&
        jobs.postsRedeployed.fte > 0
      );
    }),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

t.test('an empty action list is the baseline', async (t) => {
  fc.assert(
    fc.property(networkArbitrary, (network) => {
      const result = evaluateScenario(network, [], parameters);
      if (!result.ok) return false;
      const { baseline, scenario, savings, lineItems, areasLosingCoverage, warnings } = result.evaluation;
      return (
        isDeepStrictEqual(scenario, baseline) &&
        savings.cashFlow.every((year) => year.savingPence === 0) &&
        savings.npvPence === 0 &&
        savings.oneOff.totalPence === 0 &&
        areasLosingCoverage.length === 0 &&
        warnings.every((warning) => warning.code === 'spoke_too_far' || warning.code === 'hub_over_span') &&
        lineItems.every((item) => item.baselinePence === item.scenarioPence && item.actionIndex === null)
      );
    }),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

function consistent(evaluation: ScenarioEvaluation): boolean {
  const { baseline, scenario, savings, lineItems } = evaluation;
  const sumOf = (category: string, side: 'baselinePence' | 'scenarioPence') =>
    lineItems.filter((item) => item.category === category).reduce((sum, item) => sum + item[side], 0);
  const itemsOf = (category: string) => lineItems.filter((item) => item.category === category).length;
  // Line items are rounded one by one; the total once: they differ by at most half a penny an item.
  const close = (category: 'staff' | 'central') =>
    (['baselinePence', 'scenarioPence'] as const).every(
      (side) => Math.abs(sumOf(category, side) - (side === 'baselinePence' ? baseline : scenario).money[`${category}Pence`]) <= itemsOf(category) / 2,
    );
  const { money } = scenario;
  return (
    savings.annualSavingPence === baseline.money.netCostPence - scenario.money.netCostPence &&
    savings.cashFlow.every((year) => year.savingPence === year.baselineNetCostPence - year.scenarioNetCostPence) &&
    savings.oneOff.totalPence ===
      savings.oneOff.redundancyPence + savings.oneOff.closureCostsPence + savings.oneOff.capitalCostsPence - savings.oneOff.capitalReceiptsPence &&
    scenario.money.netCostPence === scenario.money.grossCostPence - scenario.money.incomePence &&
    money.grossCostPence === money.staffPence + money.premisesPence + money.runningPence + money.centralPence &&
    sumOf('premises', 'scenarioPence') === scenario.money.premisesPence &&
    sumOf('running', 'scenarioPence') === scenario.money.runningPence &&
    close('staff') &&
    close('central') &&
    [savings.npvPence, savings.paybackYears ?? 0, scenario.reach.meanDistanceM ?? 0, scenario.reach.reachShare ?? 0].every(Number.isFinite)
  );
}

t.test('saving = baseline net cost − scenario net cost, every year; figures add up and match the schema', async (t) => {
  fc.assert(
    fc.property(
      appliedScenario,
      ({ result }) => !result.ok || (consistent(result.evaluation) && scenarioEvaluationSchema.safeParse(result.evaluation).success),
    ),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

t.test('the evaluation is deterministic and leaves its input alone', async (t) => {
  fc.assert(
    fc.property(appliedScenario, ({ network, actions, result }) => {
      const copy = structuredClone(network);
      return isDeepStrictEqual(evaluateScenario(copy, actions, parameters), result) && isDeepStrictEqual(copy, network);
    }),
    { numRuns: 50 },
  );
  t.pass('the property held for 50 random cases');
});

t.test('what a network keeps between evaluations changes no result: other scenarios and parameters first give the same', async (t) => {
  const wider = fixtureParameters({ radiusM: 5_000, deprivedDeciles: [1, 2], horizonYears: 3 });
  // Only what the kept cluster warnings depend on differs.
  const tighter = fixtureParameters({ maxSpokeDistanceM: 1_000, maxSpokesPerHub: 1 });
  fc.assert(
    fc.property(
      networkArbitrary.chain((network) =>
        fc.record({
          network: fc.constant(network),
          earlier: actionsArbitrary(network, parameters),
          later: actionsArbitrary(network, parameters),
        }),
      ),
      ({ network, earlier, later }) => {
        const fresh = (evaluatedParameters: typeof parameters) => evaluateScenario(structuredClone(network), later, evaluatedParameters);
        evaluateScenario(network, earlier, parameters);
        evaluateNetwork(network, wider);
        evaluateScenario(network, earlier, wider);
        evaluateScenario(network, earlier, tighter);
        return (
          isDeepStrictEqual(evaluateScenario(network, later, parameters), fresh(parameters)) &&
          isDeepStrictEqual(evaluateScenario(network, later, wider), fresh(wider)) &&
          isDeepStrictEqual(evaluateScenario(network, later, tighter), fresh(tighter)) &&
          isDeepStrictEqual(evaluateNetwork(network, parameters), evaluateNetwork(structuredClone(network), parameters))
        );
      },
    ),
    { numRuns: 100 },
  );
  t.pass('the property held for 100 random cases');
});

/** The scenario as a network of its own, to work out from scratch. */
const scenarioNetwork = (network: Network, applied: AppliedScenario): Network => ({
  sites: [...applied.sites],
  posts: applied.sites.flatMap((site) => applied.postsBySite.get(site.id) ?? []),
  incomeStreams: applied.listIncomeStreams(),
  areas: network.areas,
  centralCosts: applied.centralCosts,
});

t.test('scenario figures, worked out from the baseline and what the actions changed, are the figures of the scenario network', async (t) => {
  fc.assert(
    fc.property(appliedScenario, ({ network, actions, result }) => {
      const applied = applyActions(network, actions, parameters);
      if (!result.ok || !applied.ok) return true;
      const fromScratch = evaluateNetwork(scenarioNetwork(network, applied.applied), parameters);
      const clusterCodes = ['spoke_too_far', 'hub_over_span'];
      return (
        isDeepStrictEqual(result.evaluation.scenario, fromScratch.figures) &&
        isDeepStrictEqual(
          result.evaluation.warnings.filter((warning) => clusterCodes.includes(warning.code)),
          fromScratch.warnings,
        )
      );
    }),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

t.test('line items: working out only what the actions touched gives what working out everything gives', async (t) => {
  const years = planYears(parameters.startDate, parameters.horizonYears);
  const amounts = (network: Network) =>
    new Map(recurringLineItems(network, sitesById(network.sites), years).map((item) => [`${item.category} ${item.sourceId}`, item.pence]));
  fc.assert(
    fc.property(appliedScenario, ({ network, actions, result }) => {
      const applied = applyActions(network, actions, parameters);
      if (!result.ok || !applied.ok) return true;
      const baseline = amounts(network);
      const scenario = amounts(scenarioNetwork(network, applied.applied));
      const recurring = result.evaluation.lineItems.filter((item) => ['staff', 'premises', 'running', 'central', 'income'].includes(item.category));
      const keys = new Set([...baseline.keys(), ...scenario.keys()]);
      return (
        recurring.length === keys.size &&
        recurring.every((item) => {
          const key = `${item.category} ${item.sourceId}`;
          return item.baselinePence === (baseline.get(key) ?? 0) && item.scenarioPence === (scenario.get(key) ?? 0);
        })
      );
    }),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

t.test('the order the areas are listed in changes no figure, and areas are named in the network’s order', async (t) => {
  type Named = { areaId: string }[];
  const namedAreaLists = (evaluation: ScenarioEvaluation): Named[] => [
    evaluation.areasLosingCoverage,
    ...evaluation.warnings.flatMap((warning) => ('areas' in warning.evidence ? [warning.evidence.areas as Named] : [])),
  ];
  // The evaluation with every list of areas turned round.
  const turned = (evaluation: ScenarioEvaluation): ScenarioEvaluation => ({
    ...evaluation,
    areasLosingCoverage: evaluation.areasLosingCoverage.toReversed(),
    warnings: evaluation.warnings.map((warning) =>
      'areas' in warning.evidence ? ({ ...warning, evidence: { ...warning.evidence, areas: warning.evidence.areas.toReversed() } } as typeof warning) : warning,
    ),
  });
  fc.assert(
    fc.property(appliedScenario, ({ network, actions, result }) => {
      if (!result.ok) return true;
      const reversed = evaluateScenario({ ...network, areas: network.areas.toReversed() }, actions, parameters);
      const position = new Map(network.areas.map((area, index) => [area.id, index]));
      const inNetworkOrder = (areas: Named) =>
        areas.every((area, index) => index === 0 || position.get(areas[index - 1]!.areaId)! < position.get(area.areaId)!);
      return reversed.ok && namedAreaLists(result.evaluation).every(inNetworkOrder) && isDeepStrictEqual(turned(reversed.evaluation), result.evaluation);
    }),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

t.test('the areas named as evidence are those a scan of every area and site finds', async (t) => {
  // Sites and areas drawn into a quarter of the box, so that areas are often nearer another site than
  // the one they are evidence for (the searches find such areas through the sites around that site).
  const centre = { lat: 53.41, lon: -2.9 };
  const denser = (network: Network): Network => {
    const pull = <T extends { lat: number; lon: number }>(point: T): T => ({
      ...point,
      lat: centre.lat + (point.lat - centre.lat) / 4,
      lon: centre.lon + (point.lon - centre.lon) / 4,
    });
    return { ...network, sites: network.sites.map(pull), areas: network.areas.map(pull) };
  };
  const denserScenario = scenariosOn(networkArbitrary.map(denser));
  const within = (area: Area, site: Site) => haversineM(area, site) <= parameters.radiusM;
  const codes = (areas: readonly { code: string }[]) => areas.map((area) => area.code);
  fc.assert(
    fc.property(denserScenario, ({ network, actions, result }) => {
      if (!result.ok) return true;
      const scenarioSites = applyActions(network, actions, parameters);
      if (!scenarioSites.ok) return false;
      const offers = (sites: readonly Site[], area: Area, service: ServiceKind) =>
        sites.some((site) => site.status === 'open' && site.services.includes(service) && within(area, site));
      return result.evaluation.warnings.every((warning) => {
        if (warning.code === 'consultation_required') {
          const site = network.sites.find((candidate) => candidate.id === warning.evidence.siteId)!;
          return isDeepStrictEqual(codes(warning.evidence.areas), codes(network.areas.filter((area) => within(area, site))));
        }
        if (warning.code === 'service_lost') {
          const { service } = warning.evidence;
          const losing = network.areas.filter((area) => offers(network.sites, area, service) && !offers(scenarioSites.applied.sites, area, service));
          return isDeepStrictEqual(codes(warning.evidence.areas), codes(losing));
        }
        return true;
      });
    }),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});

t.test('income lost is the baseline income that counted and, still in the scenario, no longer counts', async (t) => {
  const years = planYears(parameters.startDate, parameters.horizonYears);
  fc.assert(
    fc.property(appliedScenario, ({ network, actions, result }) => {
      const applied = applyActions(network, actions, parameters);
      if (!result.ok || !applied.ok) return true;
      const scenario = scenarioNetwork(network, applied.applied);
      const counts = (stream: IncomeStream, sites: readonly Site[]) =>
        !stream.requiresSiteOpen || sites.find((site) => site.id === stream.siteId)?.status === 'open';
      const expected = network.incomeStreams.filter((stream) => {
        const after = scenario.incomeStreams.find((candidate) => candidate.id === stream.id);
        return after && counts(stream, network.sites) && !counts(after, scenario.sites) && isActiveWithin(stream, years);
      });
      return isDeepStrictEqual(
        result.evaluation.incomeLost.streams.map((stream) => stream.incomeStreamId),
        expected.map((stream) => stream.id),
      );
    }),
    { numRuns },
  );
  t.pass(`the property held for ${numRuns} random cases`);
});
