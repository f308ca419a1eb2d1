/** /register: creates the account (auth.register logs it in), then on to `next`. */
import { client } from '../client.js';
import { byId } from '../dom.js';
import { onSubmit, showFieldError } from '../forms.js';
import { pageData, safePath } from '../page-data.js';

export function registerPage(): void {
  const next = safePath(pageData<{ next: string }>().next, '/profile');
  const form = byId('register-form', HTMLFormElement);
  onSubmit(form, async (v) => {
    if (v.password !== v.password2) {
      showFieldError(form, 'password2', "The two password fields didn't match.");
      return;
    }
    await client.auth.register.mutate({
      username: v.username ?? '',
      password: v.password ?? '',
      // Optional fields are left out when empty rather than sent as "".
      ...(v.email ? { email: v.email } : {}),
      ...(v.phone ? { phone: v.phone } : {}),
      ...(v.nickname ? { nickname: v.nickname } : {}),
    });
    location.assign(next);
  });
}
