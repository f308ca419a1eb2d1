/** The top bar's "Log out" button (on every page with a user). */
import { client } from '../client.js';
import { maybeById } from '../dom.js';

export function wireLogout(): void {
  const button = maybeById<HTMLButtonElement>('logout');
  button?.addEventListener('click', () => {
    button.disabled = true;
    // Logged out or not (e.g. the session had already ended), the login page is next.
    void client.logout().finally(() => location.assign('/login'));
  });
}
