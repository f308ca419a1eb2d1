/**
 * GET /login: identifier + password, an SMS code, or WeChat (tabs). `next` is where to go afterwards;
 * `signedOut` says the browser's session had ended without it logging out.
 * Inside WeChat's in-app browser (`inWechat`, with an Official Account configured) the WeChat
 * tab offers the Official Account login — a button — instead of a QR code to scan with the
 * very phone showing it.
 */
import { formAlert, formField } from './form-field.js';
import { html } from './html.js';
import { smsCodeForm } from './sms-code-form.js';
import { wechatQrPanel } from './wechat-qr-panel.js';

export function loginContent(options: { next: string; signedOut?: boolean; inWechat?: boolean }) {
  const registerHref = options.next === '/profile' ? '/register' : `/register?next=${encodeURIComponent(options.next)}`;
  return html`<h1>Log in</h1>
<p class="lead">With your username, email address or phone number — or with an SMS code, or with WeChat.</p>
${
  options.signedOut
    ? html`<div class="alert alert-info" id="login-signed-out" role="status">You were signed out: your session ended on another device (or by a password change) or expired. Please log in again.</div>`
    : ''
}
<div class="card">
  <div class="tabs" role="tablist">
    <button type="button" role="tab" id="tab-password" aria-controls="panel-password" aria-selected="true">Password</button>
    <button type="button" role="tab" id="tab-sms" aria-controls="panel-sms" aria-selected="false">SMS code</button>
    <button type="button" role="tab" id="tab-wechat" aria-controls="panel-wechat" aria-selected="false">WeChat</button>
  </div>
  <section id="panel-password" role="tabpanel" aria-labelledby="tab-password">
    <form id="login-form" method="post" novalidate>
      ${formAlert('login')}
      ${formField({ form: 'login', name: 'identifier', label: 'Username, email or phone', autocomplete: 'username', autofocus: true, hint: 'A phone number in any format, e.g. 138 0013 8000 or +86 138 0013 8000.' })}
      ${formField({ form: 'login', name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' })}
      <button type="submit" class="block" id="login-submit">Log in</button>
    </form>
    <p class="below"><a href="/password-reset">Forgot your password?</a> · No account yet? <a href="${registerHref}" id="login-register-link">Register</a></p>
  </section>
  <section id="panel-sms" role="tabpanel" aria-labelledby="tab-sms" hidden>
    <p class="hint intro">We text you a 6-digit code. A number without an account gets a new account.</p>
    ${smsCodeForm({ form: 'sms', submitLabel: 'Log in with SMS code' })}
  </section>
  <section id="panel-wechat" role="tabpanel" aria-labelledby="tab-wechat" hidden>
    ${options.inWechat ? wechatOaLogin() : wechatQrLogin()}
  </section>
</div>`;
}

function wechatQrLogin() {
  return html`<p class="hint center intro">Scan the code with WeChat and confirm on your phone. A first WeChat login creates an account.</p>
    <div class="center"><button type="button" class="wechat" id="wechat-start">Log in with WeChat</button></div>
    ${wechatQrPanel()}`;
}

/** Official Account login: the button asks the server to start (a POST), then goes to WeChat's consent page. */
function wechatOaLogin() {
  return html`<p class="hint center intro">You are in WeChat: log in with your WeChat account. A first WeChat login creates an account.</p>
    <div class="center"><button type="button" class="wechat" id="wechat-oa-start">Log in with WeChat</button></div>
    ${formAlert('wechat')}`;
}
