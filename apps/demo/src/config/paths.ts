/**
 * Where the demo's own files are. Paths are relative to the package (apps/demo), not to the
 * working directory, so `pnpm demo` from the repository root and `node dist/cli.js` from
 * apps/demo use the same data directory. This file sits at the same depth in src/ and dist/.
 */
import { fileURLToPath } from 'node:url';

/** Default DATA_DIR: apps/demo/data (gitignored). */
export const defaultDataDir = fileURLToPath(new URL('../../data', import.meta.url));

/** The browser bundle written by `pnpm build` (scripts/bundle.mjs). */
export const publicDir = fileURLToPath(new URL('../../dist/public', import.meta.url));
