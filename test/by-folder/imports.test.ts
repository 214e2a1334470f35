// test/imports/*.test.ts in one process (test/helpers/folder-suite.ts): reading councils' files.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../imports/', import.meta.url));
