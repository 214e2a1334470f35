// Reach of a council's core offer (parameter coreOffer), worked by hand on the three-site network
// (test/helpers/planning-fixtures.ts): an area counts only when one open site within radiusM offers
// every service of the offer.
import t from 'tap';
import { compareOptions } from '../../src/domain/comparison.js';
import { evaluationToCsv } from '../../src/domain/evaluation-csv.js';
import type { ParameterOverrides, ScenarioAction } from '../../src/schemas/scenario.js';
import { evaluated, fixtureParameters, ids, threeSiteNetwork } from '../helpers/planning-fixtures.js';
import { referenceEvaluation } from '../reference/evaluate.js';

// Antenatal and stay and play: H (antenatal, health visiting, stay and play) and A (antenatal, stay and
// play) offer both, S (stay and play) does not. Within 1,609 m of H or A: L1 (at H, 100 under-5s,
// decile 1) and L3 (at A, 150, decile 5); L2 (200, decile 2) is 1,668 m from both, reached by S alone.
const coreOffer: ParameterOverrides = { coreOffer: ['antenatal', 'stay_and_play'] };
/** The core offer's figures for `reached` under-5s, `deprivedReached` of them deprived (of 650 and 380). */
const offerReach = (reached: number, deprivedReached: number) => ({
  services: ['antenatal', 'stay_and_play'],
  reachedUnder5s: reached,
  reachShare: reached / 650,
  deprivedReachedUnder5s: deprivedReached,
  deprivedReachShare: deprivedReached / 380,
});
const downgradeA: ScenarioAction = {
  type: 'make_venue',
  siteId: ids.standalone,
  hubId: ids.hub,
  services: ['stay_and_play'],
  openingHoursPerWeek: 6,
  annualPremisesCostPence: 0,
  annualRunningCostPence: 500_000,
};
// A new site at L2 (53.415°) offering both.
const addAtL2: ScenarioAction = {
  type: 'add_site',
  newSiteId: '00000000-0000-4000-8000-00000000b001',
  name: 'New centre at L2',
  lat: 53.415,
  lon: -2.9,
  role: 'standalone',
  services: ['antenatal', 'stay_and_play'],
  openingHoursPerWeek: 20,
  annualPremisesCostPence: 0,
  annualRunningCostPence: 1_000_000,
};

t.test('no core offer, no figure', async (t) => {
  t.equal(evaluated([]).baseline.reach.coreOffer, null);
});

t.test('a downgrade that withdraws a service of the offer loses its areas; a new site offering it all gains its own', async (t) => {
  const evaluation = evaluated([downgradeA, addAtL2], coreOffer);
  t.same(evaluation.baseline.reach.coreOffer, offerReach(250, 100));
  // A no longer offers antenatal: L3 is lost (no other site offering both within 1,609 m of it: the
  // new one is 1,668 m away). The new site reaches L2 (0 m) and L1 (1,668 m: no).
  t.same(evaluation.scenario.reach.coreOffer, offerReach(300, 300));
  // Any centre still reaches L3: the core offer is a figure of its own.
  t.equal(evaluation.scenario.reach.reachedUnder5s, 450);
  const csv = evaluationToCsv(evaluation);
  t.match(csv, /reach,core_offer_reached_under5s,antenatal stay_and_play,[^\n]*250,300/);
  const reference = referenceEvaluation(threeSiteNetwork(), [downgradeA, addAtL2], fixtureParameters(coreOffer));
  t.same(reference.scenario.reach, evaluation.scenario.reach, 'the reference, from the rule, agrees');
  t.same(reference.baseline.reach, evaluation.baseline.reach);
});

t.test('the comparison shows the core offer reach of each option and its change', async (t) => {
  const { rows } = compareOptions([
    { id: 'downgrade', name: 'Downgrade A', evaluation: evaluated([downgradeA], coreOffer) },
    { id: 'both', name: 'Downgrade A, open at L2', evaluation: evaluated([downgradeA, addAtL2], coreOffer) },
  ]);
  t.same(
    rows.map((row) => [row.optionId, row.coreOfferReachedUnder5s, row.deltas.coreOfferReachedUnder5s]),
    [
      ['baseline', 250, 0],
      ['downgrade', 100, -150],
      ['both', 300, 50],
    ],
  );
  const without = compareOptions([{ id: 'plain', name: 'No core offer', evaluation: evaluated([downgradeA]) }]).rows;
  t.same(
    without.map((row) => [row.coreOfferReachedUnder5s, row.coreOfferReachShare, row.deltas.coreOfferReachedUnder5s]),
    [
      [null, null, null],
      [null, null, null],
    ],
  );
});
