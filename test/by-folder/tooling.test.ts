// test/tooling/*.test.ts in one process (test/helpers/folder-suite.ts): the lint rules and the worker
// threads' bundle.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../tooling/', import.meta.url));
