/**
 * The small HTML pages the WeChat routes answer with ("logged in", "login failed"). They
 * are shown in the browser window, WeChat's in-app browser or the wxLogin iframe
 * (`self_redirect: true`), so they may be framed by this site only, and their links and forms
 * target the top window. Never cached, never leaking the callback URL (which holds the code)
 * through Referer.
 */
import type { Context } from 'koa';

/** A button that starts the flow again: a link (GET) or a same-site form POST. */
export interface StartAgainAction {
  href: string;
  method: 'get' | 'post';
  label?: string;
}

export interface ResultPage {
  title: string;
  message: string;
  /** A "Start again" button (dead ends help nobody in an in-app browser). */
  startAgain?: StartAgainAction;
  /** A link home. */
  homeUrl?: string;
  /**
   * Go on to this same-site path at once. Done with a refresh, not a 302: a redirect would carry
   * the `#wechat_redirect` fragment of WeChat's link over to the next page's address.
   */
  continueTo?: string;
}

/** Write `content` as the response's HTML page (the caller sets the status). */
export function renderResultPage(ctx: Context, content: ResultPage): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
  ctx.type = 'text/html; charset=utf-8';
  const refresh = content.continueTo ? `<meta http-equiv="refresh" content="0;url=${escapeHtml(content.continueTo)}">` : '';
  const actions = [
    content.continueTo ? `<a class="button" href="${escapeHtml(content.continueTo)}" target="_top" id="continue">Continue</a>` : '',
    content.startAgain ? startAgainHtml(content.startAgain) : '',
    content.homeUrl ? `<a href="${escapeHtml(content.homeUrl)}" target="_top" id="home">Home</a>` : '',
  ].filter(Boolean);
  ctx.body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}<title>${escapeHtml(content.title)}</title>
<style>body{font-family:system-ui,sans-serif;display:flex;min-height:90vh;align-items:center;justify-content:center;text-align:center;color:#222}
.actions{display:flex;gap:1em;justify-content:center;align-items:center;flex-wrap:wrap}
button,.button{font:inherit;padding:.6em 1.2em;border-radius:6px;border:0;background:#07c160;color:#fff;text-decoration:none;cursor:pointer}
form{margin:0}</style></head>
<body><main><h1>${escapeHtml(content.title)}</h1><p>${escapeHtml(content.message)}</p>${actions.length > 0 ? `<div class="actions">${actions.join('')}</div>` : ''}</main></body>
</html>`;
}

function startAgainHtml(action: StartAgainAction): string {
  const label = escapeHtml(action.label ?? 'Start again');
  if (action.method === 'get') return `<a class="button" href="${escapeHtml(action.href)}" target="_top" id="start-again">${label}</a>`;
  return `<form method="post" action="${escapeHtml(action.href)}" target="_top"><button type="submit" id="start-again">${label}</button></form>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
