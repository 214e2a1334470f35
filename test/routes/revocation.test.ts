// A revoked key is refused by every instance of the service at once, not when a cached look-up expires:
// the database notifies each instance of every change to a key (migrations/0004). On PGlite by default,
// on PostgreSQL with DATABASE_URL (where the two instances have connections of their own).
import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { apiKeys } from '../../src/db/schema.js';
import { bearer, client, createCouncil } from '../helpers/api.js';
import { eventually, twoInstances } from '../helpers/instances.js';

const refused = (answer: { status: number }) => answer.status === 401;

t.test('a key revoked on one instance, or by hand, is refused by the others at once', async (t) => {
  const { database, appA, appB } = await twoInstances(t);
  const adminA = client(appA);
  const councilId = await createCouncil(adminA);
  const sitesUrl = `/councils/${councilId}/sites`;

  const first = (await adminA.post(`/councils/${councilId}/api-keys`, { name: 'Integration' })).body;
  const onB = client(appB, bearer(first.key));
  t.equal((await onB.get(sitesUrl)).status, 200, 'B accepts the key (and keeps the look-up)');
  t.equal((await onB.get(sitesUrl)).status, 200);
  t.equal((await adminA.delete(`/councils/${councilId}/api-keys/${first.id}`)).status, 204, 'revoked through A');
  t.equal((await eventually(() => onB.get(sitesUrl), refused)).status, 401, 'B refuses it once notified, long before 30 s');

  const second = (await adminA.post(`/councils/${councilId}/api-keys`, { name: 'Dashboard', readOnly: true })).body;
  const secondOnB = client(appB, bearer(second.key));
  t.equal((await secondOnB.get(sitesUrl)).status, 200);
  await database.db.update(apiKeys).set({ revokedAt: sql`now()` }).where(eq(apiKeys.id, second.id));
  t.equal((await eventually(() => secondOnB.get(sitesUrl), refused)).status, 401, 'a revocation typed in SQL holds too');
  t.equal((await eventually(() => client(appA, bearer(second.key)).get(sitesUrl), refused)).status, 401, 'on A as well');
});
