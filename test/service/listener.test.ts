// Listening for the database's notices on PostgreSQL (src/db/client.ts): every channel on one connection
// of its own, and listening resumed on each by itself when that connection drops. PostgreSQL only
// (DATABASE_URL): PGlite's notices never drop.
import t from 'tap';
import type { ListenHandlers } from '../../src/db/client.js';
import { testDatabase } from '../helpers/app.js';
import { eventually } from '../helpers/instances.js';

t.test(
  'every channel shares one connection, and listening resumes on each after it drops',
  { skip: !process.env.DATABASE_URL && 'PostgreSQL only' },
  async (t) => {
    const database = await testDatabase(t);
    const events: string[] = [];
    const recorder = (channel: string): ListenHandlers => ({
      onNotice: (payload) => events.push(`${channel} notice ${payload}`),
      onListening: () => events.push(`${channel} listening`),
      onLost: () => events.push(`${channel} lost`),
    });
    const stops = [await database.listen('first_channel', recorder('first')), await database.listen('second_channel', recorder('second'))];
    t.teardown(async () => {
      for (const stop of stops) await stop();
    });
    t.same(events, ['first listening', 'second listening']);

    const listeningBackends = async () =>
      (await database.db.execute<{ pid: number }>(
        `select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`,
      )) as unknown as { pid: number }[];
    const backends = await listeningBackends();
    t.equal(backends.length, 1, 'one connection listens on both channels');

    const notify = async (channel: string, payload: string) => {
      await database.db.execute(`select pg_notify('${channel}', '${payload}')`);
    };
    await notify('first_channel', 'a');
    await notify('second_channel', 'b');
    await eventually(
      async () => events,
      (seen) => seen.length === 4,
    );
    t.same(events.slice(2), ['first notice a', 'second notice b']);

    events.length = 0;
    await database.db.execute(`select pg_terminate_backend(${backends[0]!.pid})`);
    await eventually(
      async () => events,
      (seen) => seen.filter((event) => event.endsWith('listening')).length === 2,
    );
    t.same(events.filter((event) => event.endsWith('lost')).sort(), ['first lost', 'second lost'], 'each listener told that listening was lost');
    t.same(events.filter((event) => event.endsWith('listening')).sort(), ['first listening', 'second listening'], 'and that it started again');

    events.length = 0;
    await notify('second_channel', 'c');
    await eventually(
      async () => events,
      (seen) => seen.length === 1,
    );
    t.same(events, ['second notice c'], 'notices arrive again');
    t.equal((await listeningBackends()).length, 1, 'still one connection');

    // A listener that stops leaves the others listening.
    await stops.pop()!();
    await notify('second_channel', 'e');
    await notify('first_channel', 'd');
    // Notices arrive in the order sent: once d is in, e would have been too.
    await eventually(
      async () => events,
      (seen) => seen.includes('first notice d'),
    );
    t.same(events, ['second notice c', 'first notice d'], 'the stopped listener hears nothing more');
  },
);
