// Loaded first in every test process (package.json: tap's test-env puts it in NODE_OPTIONS, whose
// --import runs before the command line's). Tap starts each test file with @tapjs/processinfo's --import,
// which records every module loaded (its source read again, sent between threads, split into lines) for
// tap's own coverage and `tap --changed`, neither of which this project uses (npm test collects V8
// coverage for c8); it also puts itself in NODE_OPTIONS, so every process a test starts (npm start, the
// server, scripts) pays for it too. Here its --import resolves to an empty module instead.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const processinfoImport = '/@tapjs/processinfo/dist/esm/import.mjs';

/** The module resolution hook: tap's process-tracking import becomes an empty module. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith(processinfoImport)) return { url: 'data:text/javascript,', shortCircuit: true };
  return nextResolve(specifier, context);
}

// This module is loaded again in the loader hooks' thread, as the hook: it registers itself only once.
if (isMainThread) {
  register(import.meta.url);
  // What a test starts needs neither this nor tap's tracking.
  delete process.env.NODE_OPTIONS;
}
