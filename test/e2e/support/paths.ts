/** Where the browser tests find the demo and put their screenshots. */
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The built CLI (`pnpm build`). */
export const demoCli = fileURLToPath(new URL('../../../apps/demo/dist/cli.js', import.meta.url));
export const demoBundle = fileURLToPath(new URL('../../../apps/demo/dist/public/app.js', import.meta.url));
/** Gitignored (test-artefacts/). */
export const screenshotsDir = fileURLToPath(new URL('../../../test-artefacts/screenshots/', import.meta.url));
