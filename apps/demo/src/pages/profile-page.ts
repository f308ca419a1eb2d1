/**
 * GET /profile (logged in): the user's details and five cards — profile fields, phone verification, password,
 * linked WeChat accounts and open sessions. Lists are filled by the browser code (it refreshes
 * them after each change).
 */
import type { PublicUser } from '@koa-auth/koa';
import { formAlert, formField, formNotice } from './form-field.js';
import { html } from './html.js';
import { smsCodeForm } from './sms-code-form.js';
import { wechatQrPanel } from './wechat-qr-panel.js';

/** `phone` is the user's number as people write it (national in the demo's region), or null. */
export function profileContent(user: PublicUser, phone: string | null) {
  const name = user.nickname || user.username;
  const avatar = user.avatar
    ? html`<img class="avatar large" id="profile-avatar-img" src="${user.avatar}" alt="" referrerpolicy="no-referrer" data-initial="${initial(name)}">`
    : html`<span class="avatar large" id="profile-avatar-img" aria-hidden="true">${initial(name)}</span>`;
  const details = [user.email, phone].filter(Boolean).join(' · ');
  return html`<div class="profile-head">
  ${avatar}
  <div>
    <h1 id="profile-name">${name}</h1>
    <p class="lead flush">Signed in as <strong id="profile-username">${user.username}</strong><span id="profile-details">${details ? ` · ${details}` : ''}</span>${
      user.isSuperuser ? html`<span class="badge blue">superuser</span>` : user.isStaff ? html`<span class="badge">staff</span>` : ''
    }</p>
  </div>
</div>
<div class="grid">
  <section class="card" aria-labelledby="profile-heading">
    <h2 id="profile-heading">Profile</h2>
    <form id="profile-form" method="post" novalidate>
      ${formAlert('profile')}${formNotice('profile')}
      ${formField({ form: 'profile', name: 'nickname', label: 'Nickname', value: user.nickname, autocomplete: 'nickname' })}
      ${formField({ form: 'profile', name: 'avatar', label: 'Avatar URL', type: 'url', value: user.avatar, inputmode: 'url', placeholder: 'https://…' })}
      ${formField({ form: 'profile', name: 'phone', label: 'Mobile phone', type: 'tel', value: phone, autocomplete: 'tel', inputmode: 'tel', hint: 'You can log in with it. National numbers are read as Chinese (+86).' })}
      <button type="submit" id="profile-submit">Save profile</button>
    </form>
  </section>
  <section class="card" aria-labelledby="phone-verify-heading">
    <h2 id="phone-verify-heading">Verify your phone</h2>
    <p class="hint">Prove a number is yours with a code we text to it; it then becomes your phone, and you can log in with SMS codes.</p>
    ${smsCodeForm({ form: 'phone-verify', submitLabel: 'Verify phone' })}
  </section>
  <section class="card" aria-labelledby="password-heading">
    <h2 id="password-heading">Password</h2>
    ${
      user.hasUsablePassword
        ? html`<form id="password-form" method="post" novalidate>
      ${formAlert('password')}${formNotice('password')}
      ${formField({ form: 'password', name: 'oldPassword', label: 'Current password', type: 'password', autocomplete: 'current-password' })}
      ${formField({ form: 'password', name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password' })}
      ${formField({ form: 'password', name: 'newPassword2', label: 'New password again', type: 'password', autocomplete: 'new-password' })}
      <button type="submit" id="password-submit">Change password</button>
      <p class="hint">Changing it logs out your other sessions and devices.</p>
    </form>`
        : html`<p class="empty" id="password-none">Your account has no password (it was created with WeChat or an SMS code). To set one, use <a href="/password-reset">password reset</a> by email or phone.</p>`
    }
  </section>
  <section class="card" aria-labelledby="wechat-heading">
    <h2 id="wechat-heading">WeChat</h2>
    <ul class="list" id="wechat-accounts"><li class="empty">Loading…</li></ul>
    ${formNotice('wechat')}
    <p><button type="button" class="wechat" id="wechat-bind">Link a WeChat account</button></p>
    ${wechatQrPanel()}
  </section>
  <section class="card" aria-labelledby="sessions-heading">
    <h2 id="sessions-heading">Where you're logged in</h2>
    ${formAlert('sessions')}
    <ul class="list" id="sessions"><li class="empty">Loading…</li></ul>
  </section>
</div>`;
}

function initial(name: string): string {
  return Array.from(name)[0]?.toUpperCase() ?? '?';
}
