/**
 * /register: creates the account (auth.register logs it in), then on to `next`. The server
 * checks everything, the confirmation too, so every problem shows at once.
 */
import { client } from '../client.js';
import { byId } from '../dom.js';
import { onSubmit } from '../forms.js';
import { pageData, safePath } from '../page-data.js';

export function registerPage(): void {
  const next = safePath(pageData<{ next: string }>().next, '/profile');
  const form = byId('register-form', HTMLFormElement);
  onSubmit(form, async (v) => {
    await client.auth.register.mutate({
      username: v.username ?? '',
      password: v.password ?? '',
      password2: v.password2 ?? '',
      // Optional fields are left out when empty rather than sent as "".
      ...(v.email ? { email: v.email } : {}),
      ...(v.phone ? { phone: v.phone } : {}),
      ...(v.nickname ? { nickname: v.nickname } : {}),
    });
    location.assign(next);
  });
}
