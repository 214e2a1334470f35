// fast-check generators of small random networks and scenario actions.
import fc from 'fast-check';
import { serviceKinds, type Network, type Site } from '../../src/domain/types.js';
import { applyActions } from '../../src/domain/actions.js';
import { isoDate, planYears } from '../../src/domain/dates.js';
import type { ScenarioAction, ScenarioParameters } from '../../src/schemas/scenario.js';

const id = (kind: number, index: number) => `00000000-0000-4000-8${String(kind).padStart(3, '0')}-${String(index).padStart(12, '0')}`;

// A town-sized box (about 13 km by 22 km) so that some areas are within a mile of a site and some not.
const lat = fc.double({ min: 53.35, max: 53.47, noNaN: true });
const lon = fc.double({ min: -3.05, max: -2.75, noNaN: true });

const siteFields = fc.record({
  lat,
  lon,
  role: fc.constantFrom('hub', 'spoke', 'standalone', 'venue'),
  closed: fc.boolean(),
  openingHoursPerWeek: fc.integer({ min: 0, max: 50 }),
  services: fc.subarray([...serviceKinds]),
  annualPremisesCostPence: fc.integer({ min: 0, max: 10_000_000 }),
  annualRunningCostPence: fc.integer({ min: 0, max: 20_000_000 }),
  posts: fc.array(
    fc.record({
      kind: fc.constantFrom('management', 'frontline', 'admin'),
      fte: fc.integer({ min: 1, max: 20_000 }).map((units) => units / 10_000),
      annualCostPerFtePence: fc.integer({ min: 2_000_000, max: 7_000_000 }),
    }),
    { maxLength: 4 },
  ),
});

const areaFields = fc.record({
  lat,
  lon,
  under5Population: fc.integer({ min: 0, max: 300 }),
  deprivationDecile: fc.integer({ min: 1, max: 10 }),
});

const incomeFields = fc.record({
  site: fc.option(fc.nat(), { nil: null }),
  annualValuePence: fc.integer({ min: 0, max: 5_000_000 }),
  startDate: fc.constantFrom('2020-04-01', '2026-10-15', '2028-01-01'),
  endDate: fc.constantFrom(null, '2025-03-31', '2027-06-30', '2029-03-31', '2040-01-01'),
  requiresSiteOpen: fc.boolean(),
});

// A central post (FTE and cost per FTE) or a budget line.
const centralFields = fc.oneof(
  fc.record({
    fte: fc.integer({ min: 1, max: 30_000 }).map((units): number | null => units / 10_000),
    annualCostPerFtePence: fc.integer({ min: 2_000_000, max: 8_000_000 }).map((pence): number | null => pence),
    annualBudgetPence: fc.constant(null),
  }),
  fc.record({ fte: fc.constant(null), annualCostPerFtePence: fc.constant(null), annualBudgetPence: fc.integer({ min: 1, max: 20_000_000 }) }),
);

export const networkArbitrary: fc.Arbitrary<Network> = fc
  .record({
    sites: fc.array(siteFields, { maxLength: 8 }),
    areas: fc.array(areaFields, { maxLength: 20 }),
    income: fc.array(incomeFields, { maxLength: 4 }),
    central: fc.array(centralFields, { maxLength: 3 }),
  })
  .map(({ sites: siteDraws, areas, income, central }) => {
    // Hubs stay open and spokes and venues join the first hub, so that the network itself is consistent.
    const firstHub = siteDraws.findIndex((draw) => draw.role === 'hub');
    const sites: Site[] = siteDraws.map((draw, index) => {
      const runFromHub = draw.role === 'spoke' || draw.role === 'venue';
      const role = runFromHub && firstHub < 0 ? 'standalone' : draw.role;
      return {
        id: id(1, index),
        name: `Site ${index}`,
        role,
        hubId: role === 'spoke' || role === 'venue' ? id(1, firstHub) : null,
        status: draw.closed && role !== 'hub' ? 'closed' : 'open',
        lat: draw.lat,
        lon: draw.lon,
        openingHoursPerWeek: draw.openingHoursPerWeek,
        services: draw.services,
        annualPremisesCostPence: draw.annualPremisesCostPence,
        annualRunningCostPence: draw.annualRunningCostPence,
      };
    });
    return {
      sites,
      posts: siteDraws.flatMap((draw, siteIndex) =>
        draw.posts.map((post, postIndex) => ({ ...post, id: id(2, siteIndex * 10 + postIndex), siteId: id(1, siteIndex), title: `Post ${postIndex}` })),
      ),
      incomeStreams: income.map((draw, index) => {
        const siteId = draw.site === null || sites.length === 0 ? null : sites[draw.site % sites.length]!.id;
        return {
          id: id(3, index),
          partner: `Partner ${index}`,
          kind: 'health_contract' as const,
          annualValuePence: draw.annualValuePence,
          startDate: draw.startDate,
          endDate: draw.endDate !== null && draw.endDate < draw.startDate ? null : draw.endDate,
          siteId,
          requiresSiteOpen: draw.requiresSiteOpen && siteId !== null,
        };
      }),
      areas: areas.map((area, index) => ({ ...area, id: id(4, index), code: `E0${index}`, name: `Area ${index}`, idaciDecile: null })),
      centralCosts: central.map((line, index) => ({ ...line, id: id(5, index), title: `Central ${index}`, category: 'back_office' as const })),
    };
  });

/** Actions naming random sites of the network, keeping those that apply after the ones kept before. */
export function actionsArbitrary(network: Network, parameters: ScenarioParameters): fc.Arbitrary<ScenarioAction[]> {
  if (network.sites.length === 0) return fc.constant([]);
  // Sites the scenario may add (add_site), which later actions may name like the network's own.
  const newSiteId = fc.constantFrom(id(6, 0), id(6, 1));
  const siteId = fc.constantFrom(...network.sites.map((site) => site.id), id(6, 0), id(6, 1));
  const incomeStreamIds = network.incomeStreams.map((stream) => stream.id);
  // The network's central costs and those the first actions may add.
  const centralCostId = fc.constantFrom(...(network.centralCosts ?? []).map((line) => line.id), 'action-0-central', 'action-1-central');
  const postKind = fc.constantFrom('management' as const, 'frontline' as const, 'admin' as const);
  const fte = fc.integer({ min: 1, max: 20_000 }).map((units) => units / 10_000);
  const postId = network.posts.length > 0 ? fc.constantFrom(...network.posts.map((post) => post.id)) : fc.constant('no-post');
  const action: fc.Arbitrary<ScenarioAction> = fc.oneof(
    fc.record(
      { type: fc.constant('close_site' as const), siteId, oneOffCostPence: fc.integer({ min: 0, max: 1_000_000 }), relocateIncomeToSiteId: siteId },
      { requiredKeys: ['type', 'siteId', 'oneOffCostPence'] },
    ),
    ...(incomeStreamIds.length > 0 ? [fc.record({ type: fc.constant('remove_income' as const), incomeStreamId: fc.constantFrom(...incomeStreamIds) })] : []),
    fc.record({ type: fc.constant('reopen_site' as const), siteId }),
    fc.record({ type: fc.constant('make_spoke' as const), siteId, hubId: siteId }),
    fc.record({ type: fc.constant('make_hub' as const), siteId }),
    fc.record({ type: fc.constant('make_standalone' as const), siteId }),
    fc.record({
      type: fc.constant('add_income' as const),
      partner: fc.constant('Partner'),
      kind: fc.constant('grant' as const),
      annualValuePence: fc.integer({ min: 0, max: 1_000_000 }),
      requiresSiteOpen: fc.constant(false),
      startYear: fc.integer({ min: 1, max: 5 }),
    }),
    fc.record({
      type: fc.constant('change_posts' as const),
      siteId,
      kind: fc.constantFrom('management' as const, 'frontline' as const, 'admin' as const),
      fteDelta: fc
        .integer({ min: -20_000, max: 20_000 })
        .filter((units) => units !== 0)
        .map((units) => units / 10_000),
      annualCostPerFtePence: fc.integer({ min: 2_000_000, max: 6_000_000 }),
    }),
    fc.record(
      {
        type: fc.constant('change_hours' as const),
        siteId,
        openingHoursPerWeek: fc.integer({ min: 0, max: 60 }),
        scaleStaffKinds: fc.subarray(['management', 'frontline', 'admin'] as const),
      },
      { requiredKeys: ['type', 'siteId', 'openingHoursPerWeek'] },
    ),
    fc.record(
      {
        type: fc.constant('make_venue' as const),
        siteId,
        hubId: siteId,
        services: fc.subarray([...serviceKinds]),
        openingHoursPerWeek: fc.integer({ min: 0, max: 20 }),
        annualPremisesCostPence: fc.integer({ min: 0, max: 2_000_000 }),
        annualRunningCostPence: fc.integer({ min: 0, max: 2_000_000 }),
        keepPosts: fc.array(fc.record({ kind: postKind, fte }), { maxLength: 2 }),
        redeploy: fc.array(fc.record({ kind: postKind, fte, toSiteId: siteId }), { maxLength: 2 }),
        oneOffCostPence: fc.integer({ min: 0, max: 1_000_000 }),
      },
      { requiredKeys: ['type', 'siteId', 'hubId', 'services', 'openingHoursPerWeek', 'annualPremisesCostPence', 'annualRunningCostPence'] },
    ),
    fc.record({
      type: fc.constant('form_cluster' as const),
      hubId: siteId,
      spokeIds: fc.uniqueArray(siteId, { minLength: 1, maxLength: 3 }),
      management: fc.record(
        {
          keep: fc.array(fc.oneof(fc.record({ postId }), fc.record({ siteId, fte })), { maxLength: 2 }),
          move: fc.array(fc.oneof(fc.record({ postId, toSiteId: siteId }), fc.record({ fromSiteId: siteId, fte, toSiteId: siteId })), { maxLength: 2 }),
          add: fc.array(
            fc.record({ siteId, title: fc.constant('Locality manager'), fte, annualCostPerFtePence: fc.integer({ min: 2_000_000, max: 7_000_000 }) }),
            {
              maxLength: 2,
            },
          ),
        },
        { requiredKeys: [] },
      ),
    }),
    // A new hub or standalone site (no hubId), or a spoke or venue of a hub (perhaps one added before).
    ...(['hub', 'spoke'] as const).map((kind) =>
      fc.record(
        {
          type: fc.constant('add_site' as const),
          newSiteId,
          name: fc.constant('New site'),
          lat,
          lon,
          role: kind === 'hub' ? fc.constantFrom('hub' as const, 'standalone' as const) : fc.constantFrom('spoke' as const, 'venue' as const),
          ...(kind === 'hub' ? {} : { hubId: siteId }),
          services: fc.subarray([...serviceKinds]),
          openingHoursPerWeek: fc.integer({ min: 0, max: 50 }),
          annualPremisesCostPence: fc.integer({ min: 0, max: 5_000_000 }),
          annualRunningCostPence: fc.integer({ min: 0, max: 5_000_000 }),
          posts: fc.array(
            fc.record({ title: fc.constant('New post'), kind: postKind, fte, annualCostPerFtePence: fc.integer({ min: 2_000_000, max: 7_000_000 }) }),
            { maxLength: 3 },
          ),
          capitalCostPence: fc.integer({ min: 0, max: 50_000_000 }),
        },
        {
          requiredKeys: [
            'type',
            'newSiteId',
            'name',
            'lat',
            'lon',
            'role',
            'services',
            'openingHoursPerWeek',
            'annualPremisesCostPence',
            'annualRunningCostPence',
          ],
        },
      ),
    ),
    fc.record({
      type: fc.constant('transfer_site' as const),
      siteId,
      provider: fc.constant('Provider'),
      annualPaymentPence: fc.integer({ min: 0, max: 5_000_000 }),
    }),
    fc.record(
      {
        type: fc.constant('change_central_cost' as const),
        centralCostId,
        fte: fc.integer({ min: 0, max: 30_000 }).map((units) => units / 10_000),
        annualCostPerFtePence: fc.integer({ min: 2_000_000, max: 8_000_000 }),
        annualBudgetPence: fc.integer({ min: 0, max: 20_000_000 }),
      },
      { requiredKeys: ['type', 'centralCostId'] },
    ),
    fc.oneof(
      fc.record({
        type: fc.constant('add_central_cost' as const),
        title: fc.constant('Locality manager'),
        category: fc.constant('central_management' as const),
        fte: fc.integer({ min: 1, max: 20_000 }).map((units) => units / 10_000),
        annualCostPerFtePence: fc.integer({ min: 2_000_000, max: 8_000_000 }),
      }),
      fc.record({
        type: fc.constant('add_central_cost' as const),
        title: fc.constant('Commissioning budget'),
        category: fc.constant('commissioning' as const),
        annualBudgetPence: fc.integer({ min: 1, max: 20_000_000 }),
      }),
    ),
  );
  const years = planYears(parameters.startDate, parameters.horizonYears);
  const firstDay = years[0]!.firstDay;
  // Some actions dated: days into the horizon, in order (a day of 0 is the start date, as undated).
  const days = fc.array(fc.option(fc.integer({ min: 0, max: years.at(-1)!.lastDay - firstDay }), { freq: 2 }), { maxLength: 8 });
  return fc
    .tuple(fc.array(action, { maxLength: 8 }), days)
    .map(([drawn, offsets]) => {
      const sorted = offsets.filter((offset) => offset !== null).sort((a, b) => a - b);
      return drawn.map((next, index): ScenarioAction => {
        const offset = offsets[index] === null || offsets[index] === undefined ? undefined : sorted.shift();
        return offset === undefined ? next : { ...next, effectiveDate: isoDate(firstDay + offset) };
      });
    })
    .map((drawn) => {
      const kept: ScenarioAction[] = [];
      for (const next of drawn) if (applyActions(network, [...kept, next], parameters).ok) kept.push(next);
      return kept;
    });
}
