/** The WeChat card: linked accounts (`wechat.profiles`), unlinking, and linking one by QR code. */
import { client } from '../client.js';
import { avatar, byId, el, formatDate, showMessage } from '../dom.js';
import { messageFor } from '../errors.js';
import { wireWechatFlow } from '../wechat-qr.js';

export function wireWechatAccounts(): void {
  const list = byId('wechat-accounts');
  const alert = byId('wechat-error');
  const notice = byId('wechat-notice');

  async function refresh(): Promise<void> {
    try {
      const profiles = await client.wechat.profiles.query();
      if (profiles.length === 0) {
        list.replaceChildren(el('li', { className: 'empty', text: 'No WeChat account is linked. Link one to log in by scanning a QR code.' }));
        return;
      }
      list.replaceChildren(
        ...profiles.map((p) => {
          const unlink = el('button', { className: 'danger small', text: 'Unlink', attrs: { type: 'button', 'data-unbind': String(p.id) } });
          unlink.addEventListener('click', () => void unbind(p.id, unlink));
          return el('li', { attrs: { 'data-wechat-profile': String(p.id) } }, [
            avatar(p.headimgurl || null, p.nickname || 'W'),
            el('div', { className: 'grow' }, [
              el('div', { className: 'title', text: p.nickname || 'WeChat user' }),
              el('div', { className: 'meta', text: `linked ${formatDate(p.linkedAt)} · app ${p.appid}` }),
            ]),
            unlink,
          ]);
        }),
      );
    } catch (error) {
      showMessage(alert, messageFor(error));
    }
  }

  async function unbind(profileId: number, button: HTMLButtonElement): Promise<void> {
    showMessage(alert, null);
    showMessage(notice, null);
    button.disabled = true;
    try {
      await client.wechat.unbind.mutate({ profileId });
      showMessage(notice, 'WeChat account unlinked.');
      await refresh();
    } catch (error) {
      button.disabled = false;
      showMessage(alert, messageFor(error));
    }
  }

  wireWechatFlow({
    mode: 'bind',
    button: byId('wechat-bind', HTMLButtonElement),
    onSuccess() {
      showMessage(notice, 'WeChat account linked. You can now log in with it.');
      void refresh();
    },
  });
  void refresh();
}
