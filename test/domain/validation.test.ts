// Action lists that cannot apply: every error names its action index and why.
import t from 'tap';
import type { ScenarioAction } from '../../src/schemas/scenario.js';
import { evaluate, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';

function errorsOf(actions: ScenarioAction[], network = threeSiteNetwork()) {
  const result = evaluate(actions, {}, network);
  return result.ok ? [] : result.errors;
}

const cases: { name: string; actions: ScenarioAction[]; actionIndex: number; reason: RegExp }[] = [
  {
    name: 'closing a hub with an open spoke',
    actions: [{ type: 'close_site', siteId: ids.hub }],
    actionIndex: 0,
    reason: /cannot close hub "Hub H".*still has open spokes "Spoke S"/,
  },
  {
    name: 'closing an unknown site (or one of another council)',
    actions: [{ type: 'close_site', siteId: ids.unknown }],
    actionIndex: 0,
    reason: /unknown site .*9ff: not a site of this council/,
  },
  {
    name: 'closing a site twice',
    actions: [
      { type: 'close_site', siteId: ids.standalone },
      { type: 'close_site', siteId: ids.standalone },
    ],
    actionIndex: 1,
    reason: /already closed/,
  },
  {
    name: 'relocating income to a closed site',
    actions: [
      { type: 'close_site', siteId: ids.spoke },
      { type: 'close_site', siteId: ids.standalone, relocateIncomeToSiteId: ids.spoke },
    ],
    actionIndex: 1,
    reason: /cannot relocate income to "Spoke S".*it is closed/,
  },
  {
    name: 'relocating income to the site being closed',
    actions: [{ type: 'close_site', siteId: ids.standalone, relocateIncomeToSiteId: ids.standalone }],
    actionIndex: 0,
    reason: /the site being closed/,
  },
  {
    name: 'relocating income to an unknown site',
    actions: [{ type: 'close_site', siteId: ids.standalone, relocateIncomeToSiteId: ids.unknown }],
    actionIndex: 0,
    reason: /unknown site to relocate income to/,
  },
  {
    name: 'reopening an open site',
    actions: [{ type: 'reopen_site', siteId: ids.hub }],
    actionIndex: 0,
    reason: /already open/,
  },
  {
    name: 'reopening a spoke whose hub has closed',
    actions: [
      { type: 'close_site', siteId: ids.spoke },
      { type: 'close_site', siteId: ids.hub },
      { type: 'reopen_site', siteId: ids.spoke },
    ],
    actionIndex: 2,
    reason: /its hub is not an open hub/,
  },
  {
    name: 'a spoke of a site that is not a hub',
    actions: [{ type: 'make_spoke', siteId: ids.hub, hubId: ids.standalone }],
    actionIndex: 0,
    reason: /"Standalone A".*is not a hub \(it is standalone\)/,
  },
  {
    name: 'a spoke of a closed hub',
    actions: [
      { type: 'make_standalone', siteId: ids.spoke },
      { type: 'close_site', siteId: ids.hub },
      { type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub },
    ],
    actionIndex: 2,
    reason: /hub "Hub H".*is closed/,
  },
  {
    name: 'a closed site made a spoke',
    actions: [
      { type: 'close_site', siteId: ids.standalone },
      { type: 'make_spoke', siteId: ids.standalone, hubId: ids.hub },
    ],
    actionIndex: 1,
    reason: /site "Standalone A".*is closed/,
  },
  {
    name: 'a site as its own hub',
    actions: [{ type: 'make_spoke', siteId: ids.hub, hubId: ids.hub }],
    actionIndex: 0,
    reason: /cannot be its own hub/,
  },
  {
    name: 'a spoke of the hub it already has',
    actions: [{ type: 'make_spoke', siteId: ids.spoke, hubId: ids.hub }],
    actionIndex: 0,
    reason: /already a spoke of "Hub H"/,
  },
  {
    name: 'a hub with open spokes made a spoke',
    actions: [
      { type: 'make_hub', siteId: ids.standalone },
      { type: 'make_spoke', siteId: ids.hub, hubId: ids.standalone },
    ],
    actionIndex: 1,
    reason: /cannot make a spoke of hub "Hub H"/,
  },
  {
    name: 'an unknown hub',
    actions: [{ type: 'make_spoke', siteId: ids.standalone, hubId: ids.unknown }],
    actionIndex: 0,
    reason: /unknown hub/,
  },
  {
    name: 'a hub made a hub',
    actions: [{ type: 'make_hub', siteId: ids.hub }],
    actionIndex: 0,
    reason: /already a hub/,
  },
  {
    name: 'a hub with open spokes made standalone',
    actions: [{ type: 'make_standalone', siteId: ids.hub }],
    actionIndex: 0,
    reason: /cannot make standalone hub "Hub H"/,
  },
  {
    name: 'a standalone site made standalone',
    actions: [{ type: 'make_standalone', siteId: ids.standalone }],
    actionIndex: 0,
    reason: /already standalone/,
  },
  {
    name: 'income that needs its site open, without a site',
    actions: [{ type: 'add_income', partner: 'NHS', kind: 'health_contract', annualValuePence: 1, requiresSiteOpen: true }],
    actionIndex: 0,
    reason: /needs a siteId/,
  },
  {
    name: 'income tied to a closed site',
    actions: [
      { type: 'close_site', siteId: ids.standalone },
      { type: 'add_income', partner: 'NHS', kind: 'health_contract', annualValuePence: 1, siteId: ids.standalone, requiresSiteOpen: true },
    ],
    actionIndex: 1,
    reason: /"Standalone A".*is closed/,
  },
  {
    name: 'income ending before it starts',
    actions: [{ type: 'add_income', partner: 'NHS', kind: 'grant', annualValuePence: 1, requiresSiteOpen: false, startYear: 3, endYear: 2 }],
    actionIndex: 0,
    reason: /endYear 2 is before startYear 3/,
  },
  {
    name: 'income at an unknown site',
    actions: [{ type: 'add_income', partner: 'NHS', kind: 'grant', annualValuePence: 1, siteId: ids.unknown, requiresSiteOpen: false }],
    actionIndex: 0,
    reason: /unknown site/,
  },
  {
    name: 'removing an unknown income stream',
    actions: [{ type: 'remove_income', incomeStreamId: ids.unknown }],
    actionIndex: 0,
    reason: /unknown income stream/,
  },
  {
    name: 'removing an income stream twice',
    actions: [
      { type: 'remove_income', incomeStreamId: ids.grant },
      { type: 'remove_income', incomeStreamId: ids.grant },
    ],
    actionIndex: 1,
    reason: /unknown income stream/,
  },
  {
    name: 'removing more FTE than a site has',
    actions: [{ type: 'change_posts', siteId: ids.standalone, kind: 'frontline', fteDelta: -1.5001 }],
    actionIndex: 0,
    reason: /cannot remove 1.5001 FTE of frontline at "Standalone A".*it has 1.5 FTE/,
  },
  {
    name: 'posts at a closed site',
    actions: [
      { type: 'close_site', siteId: ids.standalone },
      { type: 'change_posts', siteId: ids.standalone, kind: 'frontline', fteDelta: 1 },
    ],
    actionIndex: 1,
    reason: /is closed/,
  },
  {
    name: 'hours of a closed site',
    actions: [
      { type: 'close_site', siteId: ids.standalone },
      { type: 'change_hours', siteId: ids.standalone, openingHoursPerWeek: 10 },
    ],
    actionIndex: 1,
    reason: /is closed/,
  },
  {
    name: 'hours unchanged',
    actions: [{ type: 'change_hours', siteId: ids.standalone, openingHoursPerWeek: 30 }],
    actionIndex: 0,
    reason: /already opens 30 hours a week/,
  },
];

for (const { name, actions, actionIndex, reason } of cases) {
  t.test(name, async (t) => {
    const errors = errorsOf(actions);
    t.equal(errors.length, 1);
    t.equal(errors[0]?.actionIndex, actionIndex);
    t.match(errors[0]?.reason, reason);
  });
}

t.test('posts added without a cost, where the network has none of that kind', async (t) => {
  const network = threeSiteNetwork();
  network.posts = network.posts.filter((post) => post.kind !== 'admin');
  const errors = errorsOf([{ type: 'change_posts', siteId: ids.hub, kind: 'admin', fteDelta: 1 }], network);
  t.same(errors, [{ actionIndex: 0, reason: 'annualCostPerFtePence is needed: the network has no admin post to take a cost from' }]);
});

t.test('every failing action is reported; a failed action is skipped', async (t) => {
  const errors = errorsOf([
    { type: 'close_site', siteId: ids.hub },
    { type: 'close_site', siteId: ids.standalone },
    { type: 'reopen_site', siteId: ids.unknown },
    { type: 'close_site', siteId: ids.standalone },
  ]);
  t.same(
    errors.map((error) => error.actionIndex),
    [0, 2, 3],
  );
});

t.test('reassigning the spokes earlier in the list lets a hub close', async (t) => {
  const result = evaluate([
    { type: 'make_spoke', siteId: ids.spoke, hubId: ids.hub },
    { type: 'make_hub', siteId: ids.standalone },
  ]);
  t.notOk(result.ok, 'already a spoke of that hub');
  const reassigned = evaluate([
    { type: 'make_hub', siteId: ids.standalone },
    { type: 'make_spoke', siteId: ids.spoke, hubId: ids.standalone },
    { type: 'close_site', siteId: ids.hub },
  ]);
  t.ok(reassigned.ok);
});

t.test('the network given is not changed', async (t) => {
  const network = threeSiteNetwork();
  evaluate(
    [
      { type: 'close_site', siteId: ids.standalone },
      { type: 'change_hours', siteId: ids.spoke, openingHoursPerWeek: 10 },
      { type: 'change_posts', siteId: ids.hub, kind: 'frontline', fteDelta: -1 },
    ],
    {},
    network,
  );
  t.same(network, threeSiteNetwork());
});

t.test('network rules: open spokes hold a hub open, any spoke keeps it a hub', async (t) => {
  // As the API and imports decide (network-rules.ts): test/routes/site-rules.test.ts, test/routes/imports.test.ts.
  t.match(errorsOf([{ type: 'close_site', siteId: ids.hub }]), [{ actionIndex: 0, reason: /still has open spokes/ }]);
  const spokeClosed = threeSiteNetwork();
  spokeClosed.sites[1] = { ...spokeClosed.sites[1]!, status: 'closed' };
  t.same(errorsOf([{ type: 'close_site', siteId: ids.hub }], spokeClosed), [], 'a closed spoke does not hold its hub open');
  t.same(
    errorsOf([
      { type: 'close_site', siteId: ids.spoke },
      { type: 'close_site', siteId: ids.hub },
    ]),
    [],
    'nor does one closed earlier in the list',
  );
  t.match(
    errorsOf([{ type: 'make_standalone', siteId: ids.hub }], spokeClosed),
    [{ actionIndex: 0, reason: /cannot make standalone hub "Hub H".*still has spokes "Spoke S".*make them standalone/ }],
    'a closed spoke still names its hub: the hub stays a hub',
  );
  t.same(
    errorsOf(
      [
        { type: 'make_standalone', siteId: ids.spoke },
        { type: 'make_standalone', siteId: ids.hub },
      ],
      spokeClosed,
    ),
    [],
    'once the closed spoke is made standalone, the hub may be',
  );
  t.match(
    errorsOf(
      [
        { type: 'close_site', siteId: ids.hub },
        { type: 'reopen_site', siteId: ids.spoke },
      ],
      spokeClosed,
    ),
    [{ actionIndex: 1, reason: /its hub is not an open hub/ }],
    'a closed spoke of a closed hub cannot reopen',
  );
});
