/** /password-reset (ask for the link) and /reset-password (set the new password with it). */
import { client } from '../client.js';
import { byId } from '../dom.js';
import { onSubmit, showFieldError, showNotice } from '../forms.js';
import { pageData } from '../page-data.js';

export function passwordResetPage(): void {
  const form = byId('reset-request-form', HTMLFormElement);
  onSubmit(form, async ({ email = '' }) => {
    await client.auth.passwordReset.request.mutate({ email });
    form.reset();
    showNotice(form, 'If an account has this email address, a link to choose a new password is on its way. (This demo prints mail in the server’s console.)');
  });
}

export function resetPasswordPage(): void {
  const { uid = '', token = '' } = pageData<{ uid: string; token: string }>();
  const form = byId('reset-confirm-form', HTMLFormElement);
  onSubmit(
    form,
    async ({ newPassword = '', newPassword2 = '' }) => {
      if (newPassword !== newPassword2) {
        showFieldError(form, 'newPassword2', "The two password fields didn't match.");
        return;
      }
      await client.auth.passwordReset.confirm.mutate({ uid, token, newPassword });
      form.reset();
      showNotice(form, 'Your password has been set. You can log in with it now.');
    },
    { password: 'newPassword' },
  );
}
