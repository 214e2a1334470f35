// test/limits/*.test.ts in one process (test/helpers/folder-suite.ts): one council's heaviest evaluation
// beside another's reads, every limit on an evaluation's work, and slow or huge uploads cut off.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../limits/', import.meta.url));
