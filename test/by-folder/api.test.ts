// test/api/*.test.ts in one process (test/helpers/folder-suite.ts): the OpenAPI document, the answers
// checked against it, and the serializer that writes them.
import { runFolder } from '../helpers/folder-suite.js';

await runFolder(new URL('../api/', import.meta.url));
