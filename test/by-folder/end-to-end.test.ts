// test/end-to-end/*.test.ts in one process (test/helpers/folder-suite.ts): the service started as its
// users start it (npm start, the README's tour, the typed client's example), each in processes of its own.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../end-to-end/', import.meta.url));
