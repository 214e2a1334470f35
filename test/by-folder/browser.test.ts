// test/browser/*.test.ts in one process (test/helpers/folder-suite.ts), sharing one Chromium
// (test/helpers/browser.ts): the planner's pages and Swagger UI.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../browser/', import.meta.url));
