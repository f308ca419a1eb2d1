/**
 * WeChat's "this link cannot be accessed" page, shown instead of redirecting when an authorize
 * link is invalid (§1, §2). Tests read the `x-emulator-error` header rather than the HTML.
 */
import type { PageError } from '../authorize-request.js';
import { escapeHtml, layout } from './html.js';

export function renderErrorPage(error: PageError): string {
  const code = error.wechatCode === undefined ? '' : ` (${error.wechatCode})`;
  return layout({
    title: '微信登录 - 出错了',
    body: `<h1>无法访问此链接 / This link cannot be accessed</h1>
<p class="error">${escapeHtml(error.message)}${code}</p>
<p class="hint">WeChat emulator · ${escapeHtml(error.slug)}</p>`,
  });
}
