/** The "Where you're logged in" card: `auth.sessions.list`, each other session revocable. */
import { client } from '../client.js';
import { byId, el, formatDate, showMessage } from '../dom.js';
import { messageFor } from '../errors.js';

export function wireSessions(): { refresh(): Promise<void> } {
  const list = byId('sessions');
  const alert = byId('sessions-error');

  async function refresh(): Promise<void> {
    showMessage(alert, null);
    try {
      const sessions = await client.auth.sessions.list.query();
      sessions.sort((a, b) => Number(b.current) - Number(a.current) || (b.createdAt ?? 0) - (a.createdAt ?? 0));
      list.replaceChildren(
        ...sessions.map((s) => {
          const revoke = el('button', { className: 'danger small', text: s.current ? 'Log out' : 'Revoke', attrs: { type: 'button', 'data-revoke': s.id } });
          revoke.addEventListener('click', () => void revokeSession(s.id, s.current, revoke));
          return el('li', { attrs: { 'data-session': s.id, ...(s.current ? { 'data-current': 'true' } : {}) } }, [
            el('div', { className: 'grow' }, [
              el('div', { className: 'title' }, [describeAgent(s.userAgent), s.current ? el('span', { className: 'badge green', text: 'this browser' }) : '']),
              el('div', { className: 'meta', text: `${s.ip ?? 'unknown address'} · since ${formatDate(s.createdAt)}` }),
            ]),
            revoke,
          ]);
        }),
      );
    } catch (error) {
      showMessage(alert, messageFor(error));
    }
  }

  async function revokeSession(id: string, current: boolean, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await client.auth.sessions.revoke.mutate({ id });
      if (current) return location.assign('/login');
      await refresh();
    } catch (error) {
      button.disabled = false;
      showMessage(alert, messageFor(error));
    }
  }

  void refresh();
  return { refresh };
}

/** "Chrome on Linux" from a User-Agent, good enough to recognise one's devices. */
function describeAgent(agent: string | null): string {
  if (!agent) return 'Unknown device';
  const browser = /Edg\//.test(agent)
    ? 'Edge'
    : /Chrom(e|ium)\//.test(agent)
      ? 'Chrome'
      : /Firefox\//.test(agent)
        ? 'Firefox'
        : /Safari\//.test(agent)
          ? 'Safari'
          : /MicroMessenger/.test(agent)
            ? 'WeChat'
            : 'Browser';
  const os = /Windows/.test(agent)
    ? 'Windows'
    : /Android/.test(agent)
      ? 'Android'
      : /iPhone|iPad/.test(agent)
        ? 'iOS'
        : /Mac OS X/.test(agent)
          ? 'macOS'
          : /Linux/.test(agent)
            ? 'Linux'
            : 'another system';
  return `${browser} on ${os}`;
}
