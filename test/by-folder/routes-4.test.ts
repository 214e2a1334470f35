// Part 4 of 4 of test/routes/*.test.ts, in one process (test/helpers/folder-suite.ts): the API's operations.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../routes/', import.meta.url), { index: 3, of: 4 });
