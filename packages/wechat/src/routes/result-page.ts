/**
 * The small HTML page the callback routes answer with (seed 002's "login succeeded" page).
 * It is shown in the browser window or the wxLogin iframe (`self_redirect: true`), so it may be
 * framed by this site only. Never cached, never leaking the callback URL (which holds the code)
 * through Referer.
 */
import type { Context } from 'koa';

export interface ResultPage {
  title: string;
  message: string;
}

export function renderResultPage(ctx: Context, content: ResultPage): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(content.title)}</title>
<style>body{font-family:system-ui,sans-serif;display:flex;min-height:90vh;align-items:center;justify-content:center;text-align:center;color:#222}</style></head>
<body><main><h1>${escapeHtml(content.title)}</h1><p>${escapeHtml(content.message)}</p></main></body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
