/**
 * The QR login page (`/connect/qrconnect`) and the Official Account consent page
 * (`/connect/oauth2/authorize`). Since there is no phone, the page also lists the test users
 * with the buttons a phone would offer; each button posts to `/__emulator/confirm`.
 *
 * The confirm button targets the window WeChat would navigate: the top window for wxLogin's
 * default `self_redirect`, the iframe itself for `self_redirect=true` (§1.1). The QR page also
 * long-polls `/connect/l/qrconnect` like the real one, so a confirmation made through the
 * control API while the page is open moves the browser on as well.
 */
import type { EmulatorUser } from '../config.js';
import type { LoginSession, SessionStatus } from '../login-sessions.js';
import { escapeHtml, layout, scriptValue } from './html.js';

const STATUS_TEXT: Record<SessionStatus, string> = {
  waiting: '请使用微信扫描二维码登录 · Waiting for a scan',
  scanned: '扫描成功，请在微信中点击确认 · Scanned, awaiting confirmation on the phone',
  confirmed: '已确认 · Confirmed',
  cancelled: '你已取消此次登录 · Login cancelled',
  expired: '二维码已失效 · QR code expired',
};

/** The consent page has no QR code: no scan, no "QR code expired" (a waiting page says nothing). */
const OA_STATUS_TEXT: Record<SessionStatus, string> = {
  waiting: '',
  scanned: '',
  confirmed: '已授权 · Authorized',
  cancelled: '你已取消此次授权 · Authorization cancelled',
  expired: '页面已失效 · This page expired, go back and start again',
};

export function renderLoginPage(session: LoginSession, status: SessionStatus, users: Iterable<EmulatorUser>): string {
  const { request } = session;
  const qrFlow = request.flow === 'qrconnect';
  const open = status === 'waiting' || status === 'scanned';
  const confirmTarget = request.jssdk && !request.selfRedirect ? '_top' : '_self';
  const silent = !qrFlow && request.scope.split(',').every((s) => s === 'snsapi_base');

  const form = (user: EmulatorUser, action: string, label: string, target = '_self') =>
    `<form method="post" action="/__emulator/confirm" target="${target}">` +
    `<input type="hidden" name="ticket" value="${escapeHtml(session.ticket)}">` +
    `<input type="hidden" name="user" value="${escapeHtml(user.key)}">` +
    `<input type="hidden" name="action" value="${action}">` +
    `<input type="hidden" name="respond" value="browser">` +
    `<button type="submit" data-action="${action}" data-user="${escapeHtml(user.key)}">${label}</button></form>`;

  const rows = [...users]
    .map((user) => {
      const buttons = !open
        ? ''
        : silent
          ? form(user, 'confirm', 'Continue as this user', confirmTarget)
          : [
              qrFlow && status === 'waiting' ? form(user, 'scan', 'Scan') : '',
              form(user, 'confirm', 'Confirm 确认登录', confirmTarget),
              form(user, 'deny', 'Deny 取消'),
            ].join(' ');
      return `<li><span class="name">${escapeHtml(user.nickname)} <span class="hint">(${escapeHtml(user.key)})</span></span> <span class="buttons">${buttons}</span></li>`;
    })
    .join('\n');

  const heading = qrFlow
    ? `<h1>微信登录 · WeChat login</h1>
<div class="top"><div class="qr" title="QR code">QR ${escapeHtml(session.ticket)}</div><div>`
    : `<h1>微信授权 · Authorize</h1>
<div class="top"><div><p>${escapeHtml(request.app.appid)} requests ${silent ? 'your openid (silent in WeChat)' : 'your public profile (nickname, avatar)'}.</p>`;

  // In a small viewport (wxLogin's 300×400 frame, a phone) the layout is compact, so the
  // phone's buttons are on screen without scrolling (see layout()).
  const statusText = (qrFlow ? STATUS_TEXT : OA_STATUS_TEXT)[status];
  const body = `${heading}
${statusText ? `<p class="status" id="status">${escapeHtml(statusText)}</p>` : ''}
<p class="hint meta">app ${escapeHtml(request.app.appid)} · scope ${escapeHtml(request.scope)} · ticket ${escapeHtml(session.ticket)}</p>
</div></div>
<h2>Phone (WeChat emulator)</h2>
<ul class="users">
${rows}
</ul>
${qrFlow && open ? pollScript(session, confirmTarget) : ''}`;

  return layout({
    title: qrFlow ? '微信登录' : '微信授权',
    body,
    dark: request.style === 'white',
    ...(request.href ? { stylesheet: request.href } : {}),
  });
}

function pollScript(session: LoginSession, target: string): string {
  const config = {
    uuid: session.ticket,
    redirectUri: session.request.redirectUri,
    state: session.request.state ?? '',
    top: target === '_top',
    text: STATUS_TEXT,
  };
  return `<script>
(function () {
  var c = ${scriptValue(config)};
  var submitted = false;
  Array.prototype.forEach.call(document.forms, function (f) { f.addEventListener('submit', function () { submitted = true; }); });
  function callback(code) {
    var i = c.redirectUri.indexOf('#');
    var base = i < 0 ? c.redirectUri : c.redirectUri.slice(0, i);
    var frag = i < 0 ? '' : c.redirectUri.slice(i);
    var join = base.indexOf('?') < 0 ? '?' : /[?&]$/.test(base) ? '' : '&';
    return base + join + 'code=' + encodeURIComponent(code) + '&state=' + encodeURIComponent(c.state) + frag;
  }
  function show(key) { document.getElementById('status').textContent = c.text[key]; }
  function poll() {
    if (submitted) return;
    fetch('/connect/l/qrconnect?uuid=' + encodeURIComponent(c.uuid)).then(function (r) { return r.text(); }).then(function (t) {
      if (submitted) return;
      var e = /wx_errcode=(\\d+)/.exec(t), k = /wx_code='([^']*)'/.exec(t);
      var errcode = e ? Number(e[1]) : 0;
      if (errcode === 405 && k && k[1]) { var url = callback(k[1]); if (c.top) { window.top.location.href = url; } else { location.href = url; } return; }
      if (errcode === 404) show('scanned');
      if (errcode === 403) { show('cancelled'); return; }
      if (errcode === 402) { show('expired'); return; }
      setTimeout(poll, 1000);
    }, function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
</script>`;
}
