// What every test process loads before its first test: tap's process tracking (@tapjs/processinfo) is
// turned off by test/helpers/without-processinfo.mjs (package.json's tap test-env). Should a new tap move
// the import that helper turns into an empty module, this fails rather than the suite silently slowing.
import t from 'tap';

t.test('a test process run by tap does not track its modules, nor passes tracking to what it starts', async (t) => {
  t.notOk(Symbol.for('@tapjs/processinfo.ProcessInfoNodeData') in globalThis, 'no @tapjs/processinfo in this process');
  t.notMatch(process.env.NODE_OPTIONS ?? '', /processinfo/, 'nor passes it to the processes a test starts');
});
