/**
 * Official Account login inside WeChat's in-app browser: the button asks the server to start
 * (`wechat.oaStart`, a CSRF-checked POST — nothing starts on a mere page visit), then goes to
 * WeChat's consent page. WeChat sends the browser back to the server's callback, which logs in
 * and continues to `next`.
 */
import { client } from './client.js';
import { byId, showMessage } from './dom.js';
import { messageFor } from './errors.js';

export function wireWechatOaLogin(options: { button: HTMLButtonElement; next: string }): void {
  const alert = byId('wechat-error');
  options.button.addEventListener('click', () => {
    options.button.disabled = true;
    showMessage(alert, null);
    client.wechat.oaStart.mutate({ mode: 'login', next: options.next }).then(
      ({ url }) => location.assign(url),
      (error: unknown) => {
        options.button.disabled = false;
        showMessage(alert, messageFor(error));
      },
    );
  });
}
