/**
 * Password reset: GET /password-reset asks for the email (the link is mailed, i.e. printed in
 * the server's console by ConsoleMailSender); GET /reset-password?uid=…&token=… sets the new
 * password. Both always look the same whether the account exists or not.
 */
import { formAlert, formField, formNotice } from './form-field.js';
import { html } from './html.js';

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
</div>`;
}

export function resetConfirmContent() {
  return html`<h1>Choose a new password</h1>
<p class="lead">Your other sessions will be logged out.</p>
<div class="card">
  <form id="reset-confirm-form" method="post" novalidate>
    ${formAlert('reset-confirm')}${formNotice('reset-confirm')}
    ${formField({ form: 'reset-confirm', name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', autofocus: true })}
    ${formField({ form: 'reset-confirm', name: 'newPassword2', label: 'New password again', type: 'password', autocomplete: 'new-password' })}
    <button type="submit" class="block" id="reset-confirm-submit">Set the password</button>
  </form>
  <p class="below"><a href="/login">Back to log in</a></p>
</div>`;
}
