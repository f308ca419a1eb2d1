/** /login: password tab (identifier + password) and WeChat tab (QR flow). Then on to `next`. */
import { client } from '../client.js';
import { byId } from '../dom.js';
import { onSubmit } from '../forms.js';
import { pageData, safePath } from '../page-data.js';
import { wireWechatFlow } from '../wechat-qr.js';

export function loginPage(): void {
  const next = safePath(pageData<{ next: string }>().next, '/profile');
  wireTabs();

  const form = byId('login-form', HTMLFormElement);
  const password = byId('login-password', HTMLInputElement);
  onSubmit(form, async ({ identifier = '', password: secret = '' }) => {
    try {
      await client.login({ identifier, password: secret });
    } catch (error) {
      password.value = '';
      throw error;
    }
    location.assign(next);
  });

  wireWechatFlow({ mode: 'login', button: byId('wechat-start', HTMLButtonElement), onSuccess: () => location.assign(next) });
}

/** Two tabs; `#wechat` in the URL opens the WeChat one. */
function wireTabs(): void {
  const tabs = [
    { tab: byId('tab-password', HTMLButtonElement), panel: byId('panel-password') },
    { tab: byId('tab-wechat', HTMLButtonElement), panel: byId('panel-wechat') },
  ];
  const select = (index: number) =>
    tabs.forEach(({ tab, panel }, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      panel.hidden = i !== index;
    });
  tabs.forEach(({ tab }, i) => tab.addEventListener('click', () => select(i)));
  if (location.hash === '#wechat') select(1);
}
