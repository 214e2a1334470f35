// Bundles the server into dist/server.js, its worker threads' modules beside it (and the key script into
// dist/create-admin-key.js) with esbuild (packages stay in node_modules), so that `npm start`
// runs plain JavaScript: compiling the TypeScript through tsx at each start took longer than the rest of
// the start-up together. Plain JavaScript so that it runs before anything is compiled.
import { build } from 'esbuild';

await build({
  entryPoints: {
    server: 'src/server.ts',
    'create-admin-key': 'scripts/create-admin-key.ts',
    'evaluation-worker': 'src/evaluation-worker.ts',
    'import-worker': 'src/import-worker.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
