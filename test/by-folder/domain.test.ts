// test/domain/*.test.ts in one process (test/helpers/folder-suite.ts): the planning core, no I/O.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../domain/', import.meta.url));
