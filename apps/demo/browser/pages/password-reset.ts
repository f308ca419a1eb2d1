/** /password-reset (ask for the link) and /reset-password (set the new password with it). */
import { client } from '../client.js';
import { toAuthClientError } from '@koa-auth/client';
import { byId, showMessage } from '../dom.js';
import { onSubmit, showNotice } from '../forms.js';
import { pageData } from '../page-data.js';
import { wireSmsCodeForm } from '../sms-code.js';

export function passwordResetPage(): void {
  const form = byId('reset-request-form', HTMLFormElement);
  onSubmit(form, async ({ email = '' }) => {
    await client.auth.passwordReset.request.mutate({ email });
    form.reset();
    showNotice(form, 'If an account has this email address, a link to choose a new password is on its way. (This demo prints mail in the server’s console.)');
  });
  // By phone: the code's answer is what a mailed link carries; its page sets the password.
  wireSmsCodeForm({
    form: 'reset-sms',
    purpose: 'reset',
    sentNotice: 'If an account has this phone number, a code is on its way. It is valid for 5 minutes. (This demo prints SMS in the server’s console.)',
    onVerified: (result) => {
      if (result.purpose !== 'reset') return;
      location.assign(`/reset-password?uid=${encodeURIComponent(result.uid)}&token=${encodeURIComponent(result.token)}`);
    },
  });
}

export function resetPasswordPage(): void {
  const { uid = '', token = '' } = pageData<{ uid: string; token: string }>();
  const form = byId('reset-confirm-form', HTMLFormElement);
  onSubmit(
    form,
    async ({ newPassword = '', newPassword2 = '' }) => {
      try {
        await client.auth.passwordReset.confirm.mutate({ uid, token, newPassword, newPassword2 });
      } catch (error) {
        // Used meanwhile (another tab): the page would be wrong to keep offering the form.
        if (toAuthClientError(error).code === 'unauthorized') return location.reload();
        throw error;
      }
      form.reset();
      // Done: the form goes (the link is used up now), the way on is logging in.
      byId('reset-confirm-card').hidden = true;
      byId('reset-done').hidden = false;
      showMessage(byId('reset-done-notice'), 'Your password has been changed. Log in with your new password.');
      byId('reset-done-login').focus();
    },
    { password: 'newPassword' },
  );
}
