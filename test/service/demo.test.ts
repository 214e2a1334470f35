import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { liverpoolCouncil, loadLiverpoolDemo } from '../../src/demo/liverpool.js';
import { issueDemoKey, keptDemoKey, seedDemoIfEmpty } from '../../src/demo/seed.js';
import { bearer, client } from '../helpers/api.js';
import { testDatabase, testEvaluations } from '../helpers/app.js';
import { teardownAtEnd } from '../helpers/folder-suite.js';

// One seeded database and app for the file: the second test only issues and revokes the demo's keys.
const database = await testDatabase(t);
const councilId = await seedDemoIfEmpty(database.db, loadLiverpoolDemo);
const app = await buildApp({ database, evaluations: testEvaluations() });
teardownAtEnd(t, () => app.close());

t.test('the Liverpool demo loads on a fresh database and its three scenarios answer the real question', async (t) => {
  t.ok(councilId, 'seeded');
  const notLoaded = () => Promise.reject(new Error('the demo is read only for an empty database'));
  t.equal(await seedDemoIfEmpty(database.db, notLoaded), null, 'a database that holds a council is left alone');
  const issued = await issueDemoKey(database.db, liverpoolCouncil.code);
  const api = client(app, bearer(issued!.key));

  const network = (await api.get(`/councils/${councilId}/network`)).body;
  t.equal(network.council.code, 'E08000012');
  t.equal(network.sites.length, 26, "Liverpool's 26 children's centres from the register");
  t.equal(network.summary.areas.count, 302, "Liverpool's 302 LSOAs (2021)");
  const formerly = network.sites.filter((s: { name: string }) => s.name.startsWith('Formerly'));
  t.equal(formerly.length, 6);
  t.ok(
    formerly.every((s: { role: string }) => s.role === 'standalone'),
    'the six "Formerly …" sites are standalone before 2012',
  );
  t.equal(network.summary.sites.byRole.hub, 5, 'the family hubs are hubs');
  const outcomes = (await api.get(`/councils/${councilId}/outcomes`)).body.items;
  t.equal(outcomes.length, 4, 'the illustrative default outcomes');
  t.ok(
    outcomes.every((o: { illustrative: boolean; sourceRef: string }) => o.illustrative && o.sourceRef.length > 0),
    'each labelled illustrative, with its source',
  );

  const scenarios = (await api.get(`/councils/${councilId}/scenarios`)).body.items;
  const byName = new Map(scenarios.map((s: { name: string; id: string }) => [s.name, s.id]));
  const close = (await api.get(`/councils/${councilId}/scenarios/${byName.get('Close 6 centres')}/evaluation`)).body;
  const keep = (await api.get(`/councils/${councilId}/scenarios/${byName.get('Keep all open: hub-and-spoke management plus health income')}/evaluation`)).body;

  // Closing six centres saves more a year but loses families within a mile of a centre.
  t.equal(close.postsRemoved.length, 30);
  t.equal(close.savings.oneOff.closureCostsPence, 6 * 2_500_000);
  t.ok(close.scenario.reach.reachedUnder5s < close.baseline.reach.reachedUnder5s, 'closure loses reach');
  t.ok(close.areasLosingCoverage.length > 0);
  t.equal(close.warnings.filter((w: { code: string }) => w.code === 'consultation_required').length, 6, 'each closure needs consultation');
  // Keeping all open as spokes with health income keeps every family's reach.
  t.equal(keep.scenario.reach.reachedUnder5s, keep.baseline.reach.reachedUnder5s, 'hub-and-spoke keeps reach');
  t.equal(keep.areasLosingCoverage.length, 0);
  t.ok(keep.savings.annualSavingPence > 150_000_000, 'and still saves over £1.5m a year');
  t.ok(close.savings.annualSavingPence > keep.savings.annualSavingPence);
  t.equal(keep.savings.annualSavingPence, 186_151_820);
  t.equal(close.savings.annualSavingPence, 227_991_540);

  // The third keeps the six as venues of their hubs: reach by any centre is kept, frontline staff move
  // to the hubs (no redundancy for them), and services the venues no longer host show by service.
  const venues = (await api.get(`/councils/${councilId}/scenarios/${byName.get('Keep the six as venues run from their hubs')}/evaluation`)).body;
  t.equal(venues.scenario.reach.reachedUnder5s, venues.baseline.reach.reachedUnder5s, 'venues still reach families');
  t.equal(venues.scenario.sites.openByRole.venue, 6);
  t.equal(venues.jobs.postsRedeployed.fte, 6 * 4.5, "each centre's 4.5 FTE of frontline staff move to the hub");
  t.equal(venues.postsRemoved.length, 6 * 3, 'the manager, deputy and administrator of each go');
  t.ok(venues.savings.annualSavingPence > 0 && venues.savings.annualSavingPence < close.savings.annualSavingPence);
  const parenting = (side: { reach: { byService: { service: string; reachedUnder5s: number }[] } }) =>
    side.reach.byService.find((entry) => entry.service === 'parenting_support')!.reachedUnder5s;
  t.ok(parenting(venues.scenario) <= parenting(venues.baseline), 'reach by service counts only the sites that still offer it');
});

t.test('the demo key is kept in the data folder, readable by its owner only, and replaced once it stops working', async (t) => {
  const folder = await mkdtemp(join(tmpdir(), 'cn-demo-key-'));
  t.teardown(() => rm(folder, { recursive: true, force: true }));
  const keyFile = join(folder, 'demo-key');

  const first = await keptDemoKey(database.db, liverpoolCouncil.code, keyFile);
  t.equal((await readFile(keyFile, 'utf8')).trim(), first!.key);
  t.equal((await stat(keyFile)).mode & 0o777, 0o600);
  const again = await keptDemoKey(database.db, liverpoolCouncil.code, keyFile);
  t.same(again, first, 'a restart prints the same key');

  const api = client(app, bearer(first!.key));
  t.equal((await api.get(`/councils/${first!.councilId}/sites?limit=1`)).status, 200, 'the kept key works');
  const listed = (await api.get(`/councils/${first!.councilId}/api-keys`)).body.items.find((key: { prefix: string }) => first!.key.startsWith(key.prefix));
  t.equal((await api.delete(`/councils/${first!.councilId}/api-keys/${listed.id}`)).status, 204);
  await chmod(keyFile, 0o644);
  const replaced = await keptDemoKey(database.db, liverpoolCouncil.code, keyFile);
  t.not(replaced!.key, first!.key, 'a revoked key is replaced');
  t.equal((await readFile(keyFile, 'utf8')).trim(), replaced!.key);
  t.equal((await stat(keyFile)).mode & 0o777, 0o600, 'and the file made private again');
});
