// test/service/*.test.ts in one process (test/helpers/folder-suite.ts): the Liverpool demo, and instances
// side by side on one database, kept in step by its notices.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../service/', import.meta.url));
