/** /profile: profile fields, phone verification by SMS code, password change, linked WeChat accounts, open sessions. */
import { client } from '../client.js';
import { avatar, byId, maybeById } from '../dom.js';
import { onSubmit, showNotice } from '../forms.js';
import { wireSessions } from './profile-sessions.js';
import { wireWechatAccounts } from './profile-wechat.js';
import { wireSmsCodeForm } from '../sms-code.js';

export function profilePage(): void {
  fallBackOnBrokenAvatar();
  const sessions = wireSessions();
  wireProfileForm();
  wirePasswordForm(() => void sessions.refresh());
  wireWechatAccounts();
  wireSmsCodeForm({
    form: 'phone-verify',
    purpose: 'verify',
    sentNotice: 'A code is on its way. It is valid for 5 minutes. (This demo prints SMS in the server’s console.)',
    // The page shows the stored number as people write it: the server renders it.
    onVerified: () => location.reload(),
  });
}

function wireProfileForm(): void {
  const form = byId('profile-form', HTMLFormElement);
  onSubmit(form, async ({ nickname = '', avatar: avatarUrl = '', phone = '' }) => {
    const user = await client.profile.update.mutate({ nickname, avatar: avatarUrl, phone });
    // Show what the server stored, written as people write it (national format at home).
    byId('profile-phone', HTMLInputElement).value = user.phoneDisplay ?? '';
    const details = [user.email, user.phoneDisplay].filter(Boolean).join(' · ');
    byId('profile-details').textContent = details ? ` · ${details}` : '';
    const name = user.nickname || user.username;
    byId('profile-name').textContent = name;
    const navName = maybeById('nav-user');
    if (navName) navName.textContent = name;
    const image = avatar(user.avatar, name);
    image.classList.add('large');
    image.id = 'profile-avatar-img';
    byId('profile-avatar-img').replaceWith(image);
    showNotice(form, 'Profile saved.');
  });
}

function wirePasswordForm(onChanged: () => void): void {
  const form = maybeById<HTMLFormElement>('password-form');
  if (!form) return;
  onSubmit(
    form,
    async ({ oldPassword = '', newPassword = '', newPassword2 = '' }) => {
      // The server checks the old password, the confirmation and the validators together.
      await client.auth.changePassword.mutate({ oldPassword, newPassword, newPassword2 });
      form.reset();
      showNotice(form, 'Password changed. Your other sessions have been logged out.');
      onChanged();
    },
    // The validators speak of `password`.
    { password: 'newPassword' },
  );
}

/** The server-rendered avatar: its initial instead when the image cannot be loaded. */
function fallBackOnBrokenAvatar(): void {
  const image = maybeById('profile-avatar-img');
  if (!(image instanceof HTMLImageElement)) return;
  const replace = () => {
    const initial = avatar(null, image.dataset.initial ?? '?');
    initial.classList.add('large');
    initial.id = 'profile-avatar-img';
    image.replaceWith(initial);
  };
  // The image may have failed before this script ran.
  if (image.complete && image.naturalWidth === 0) replace();
  else image.addEventListener('error', replace, { once: true });
}
