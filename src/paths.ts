import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The project's root folder, one level above this file. The one place a path is worked out from a module's
// own location: `npm start` runs a bundle (dist/server.js, also one level down) in which every module
// shares the bundle's location.
const projectDir = fileURLToPath(new URL('..', import.meta.url));

/** A path inside the project folder. */
export const projectPath = (...segments: string[]): string => join(projectDir, ...segments);
