/**
 * Password reset: GET /password-reset asks for the email (the link is mailed, i.e. printed in
 * the server's console by ConsoleMailSender) or the phone (an SMS code, printed likewise, gives
 * the same uid + token a link carries, and the browser goes on to that link's page); GET /reset-password?uid=…&token=… sets the new
 * password. The request page looks the same whether the account exists or not; the link is
 * checked when its page opens (as Django does), so a used, expired or bogus link says so at
 * once instead of after the form is filled in.
 */
import { formAlert, formField, formNotice } from './form-field.js';
import { html } from './html.js';
import { smsCodeForm } from './sms-code-form.js';

export function resetRequestContent() {
  return html`<h1>Forgot your password?</h1>
<p class="lead">Enter the email address of your account and we'll send you a link to choose a new password.</p>
<div class="card">
  <form id="reset-request-form" method="post" novalidate>
    ${formAlert('reset-request')}${formNotice('reset-request')}
    ${formField({ form: 'reset-request', name: 'email', label: 'Email', type: 'email', autocomplete: 'email', inputmode: 'email', autofocus: true })}
    <button type="submit" class="block" id="reset-request-submit">Send the link</button>
  </form>
  <p class="below"><a href="/login">Back to log in</a></p>
</div>
<h2>Or with your phone</h2>
<div class="card">
  <p class="hint">We text a code to the phone of your account; with it you choose a new password.</p>
  ${smsCodeForm({ form: 'reset-sms', submitLabel: 'Continue' })}
</div>`;
}

/** The new-password form of a valid link; its script swaps it for `resetDoneContent` once set. */
export function resetConfirmContent() {
  return html`<h1>Choose a new password</h1>
<p class="lead">Your other sessions will be logged out.</p>
<div class="card" id="reset-confirm-card">
  <form id="reset-confirm-form" method="post" novalidate>
    ${formAlert('reset-confirm')}
    ${formField({ form: 'reset-confirm', name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', autofocus: true })}
    ${formField({ form: 'reset-confirm', name: 'newPassword2', label: 'New password again', type: 'password', autocomplete: 'new-password' })}
    <button type="submit" class="block" id="reset-confirm-submit">Set the password</button>
  </form>
  <p class="below"><a href="/login">Back to log in</a></p>
</div>
<div class="card" id="reset-done" hidden>
  ${formNotice('reset-done')}
  <a class="button block" id="reset-done-login" href="/login">Log in</a>
</div>`;
}

/** A link that cannot be used (bogus, expired, or used already): no form, a way to get a new one. */
export function resetLinkInvalidContent() {
  return html`<h1>This link can't be used</h1>
<div class="card" id="reset-invalid">
  <div class="alert alert-error" id="reset-invalid-message" role="alert">This password reset link is invalid, has expired or has been used already. Ask for a new one.</div>
  <a class="button block" id="reset-invalid-new" href="/password-reset">Ask for a new link</a>
  <p class="below"><a href="/login">Back to log in</a></p>
</div>`;
}
