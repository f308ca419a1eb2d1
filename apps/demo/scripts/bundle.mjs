// Bundles the browser code (browser/main.ts and what it imports, including @koa-auth/client
// and @trpc/client) into dist/public/app.js, an ES module the pages load from /static/app.js.
// Type-checking is `tsc -p browser/tsconfig.json`; esbuild only strips types.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['browser/main.ts'],
  outfile: 'dist/public/app.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
