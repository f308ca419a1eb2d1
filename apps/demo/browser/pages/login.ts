/**
 * /login: password tab (identifier + password), SMS code tab, and WeChat tab (QR flow; inside WeChat's in-app
 * browser, Official Account login). Then on to `next`.
 */
import { client } from '../client.js';
import { byId } from '../dom.js';
import { onSubmit } from '../forms.js';
import { pageData, safePath } from '../page-data.js';
import { wireWechatOaLogin } from '../wechat-oa.js';
import { wireSmsCodeForm } from '../sms-code.js';
import { wireWechatFlow } from '../wechat-qr.js';

export function loginPage(): void {
  const data = pageData<{ next: string; inWechat?: boolean }>();
  const next = safePath(data.next, '/profile');
  wireTabs(data.inWechat === true);

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

  wireSmsCodeForm({
    form: 'sms',
    purpose: 'login',
    sentNotice: 'A code is on its way if this number can receive one. It is valid for 5 minutes. (This demo prints SMS in the server’s console.)',
    onVerified: () => location.assign(next),
  });

  if (data.inWechat) wireWechatOaLogin({ button: byId('wechat-oa-start', HTMLButtonElement), next });
  else wireWechatFlow({ mode: 'login', button: byId('wechat-start', HTMLButtonElement), onSuccess: () => location.assign(next) });
}

/** Three tabs; `#sms` or `#wechat` in the URL (or being inside WeChat) opens that one. */
function wireTabs(wechatFirst: boolean): void {
  const tabs = [
    { tab: byId('tab-password', HTMLButtonElement), panel: byId('panel-password') },
    { tab: byId('tab-sms', HTMLButtonElement), panel: byId('panel-sms') },
    { tab: byId('tab-wechat', HTMLButtonElement), panel: byId('panel-wechat') },
  ];
  const select = (index: number) =>
    tabs.forEach(({ tab, panel }, i) => {
      tab.setAttribute('aria-selected', String(i === index));
      panel.hidden = i !== index;
    });
  tabs.forEach(({ tab }, i) => {
    tab.addEventListener('click', () => select(i));
  });
  if (wechatFirst || location.hash === '#wechat') select(2);
  else if (location.hash === '#sms') select(1);
}
