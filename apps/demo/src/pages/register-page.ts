/** GET /register: create an account (then logged in). Server-side validators decide; errors go under fields. */
import { formAlert, formField } from './form-field.js';
import { html } from './html.js';

export function registerContent() {
  return html`<h1>Create an account</h1>
<p class="lead">A username and a password are enough; email and phone let you log in with them too.</p>
<div class="card">
  <form id="register-form" method="post" novalidate>
    ${formAlert('register')}
    ${formField({ form: 'register', name: 'username', label: 'Username', autocomplete: 'username', autofocus: true, hint: 'Letters, digits and @ . + - _ only.' })}
    ${formField({ form: 'register', name: 'email', label: 'Email (optional)', type: 'email', autocomplete: 'email', inputmode: 'email' })}
    ${formField({ form: 'register', name: 'phone', label: 'Mobile phone (optional)', type: 'tel', autocomplete: 'tel', inputmode: 'tel', placeholder: '138 0013 8000 or +86 138 0013 8000' })}
    ${formField({ form: 'register', name: 'nickname', label: 'Nickname (optional)', autocomplete: 'nickname' })}
    ${formField({ form: 'register', name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', hint: 'At least 8 characters, not too common, not all digits, not like your username.' })}
    ${formField({ form: 'register', name: 'password2', label: 'Password again', type: 'password', autocomplete: 'new-password' })}
    <button type="submit" class="block" id="register-submit">Create account</button>
  </form>
  <p class="below">Already registered? <a href="/login">Log in</a></p>
</div>`;
}
