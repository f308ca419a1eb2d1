/**
 * GET /static/app.js (+ its source map, except in production), the browser bundle written by `pnpm build`, and
 * GET /static/style.css and /static/favicon.svg. Files are read once, at start-up; an ETag
 * lets browsers revalidate cheaply (`no-cache`: always revalidated, so a rebuilt bundle is
 * picked up at the next start).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAVICON_SVG, STYLESHEET } from '../pages/style.js';
import type { KoaMiddleware } from './koa.js';

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

export interface StaticAssets {
  middleware: KoaMiddleware;
  /** False when the bundle has not been built: pages then work without their scripts. */
  hasBundle: boolean;
}

export interface StaticAssetsOptions {
  /** Serve /static/app.js.map. Production leaves it out: it hands out the readable source. */
  sourceMap: boolean;
}

export function staticAssets(publicDir: string, options: StaticAssetsOptions): StaticAssets {
  const assets = new Map<string, Asset>();
  const add = (path: string, body: Buffer, type: string) =>
    assets.set(path, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
  add('/static/style.css', Buffer.from(STYLESHEET), 'text/css; charset=utf-8');
  add('/static/favicon.svg', Buffer.from(FAVICON_SVG), 'image/svg+xml');
  const bundle = readOptional(join(publicDir, 'app.js'));
  if (bundle) add('/static/app.js', bundle, 'text/javascript; charset=utf-8');
  const map = options.sourceMap ? readOptional(join(publicDir, 'app.js.map')) : null;
  if (map) add('/static/app.js.map', map, 'application/json; charset=utf-8');

  const middleware: KoaMiddleware = async (ctx, next) => {
    const asset = ctx.method === 'GET' || ctx.method === 'HEAD' ? assets.get(ctx.path) : undefined;
    if (!asset) return next();
    ctx.set('ETag', asset.etag);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (ctx.get('if-none-match') === asset.etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = asset.type;
    ctx.body = asset.body;
  };
  return { middleware, hasBundle: bundle !== null };
}

function readOptional(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
