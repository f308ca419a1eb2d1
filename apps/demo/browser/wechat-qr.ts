/**
 * The WeChat QR flow on a page, driven by the client SDK's `loginWithWechat`: it starts the
 * login (or binding), we show WeChat's QR page — framed, through its `login_type=jssdk` variant
 * that WeChat allows in frames, and as a link for a window of its own — and the SDK waits for
 * the phone (server-sent events, polling as fallback), completes the login and resolves.
 *
 * The status line under the code says only what the site knows. WeChat tells a scan (and a
 * cancel on the phone) to its own QR page, never to the site, so while the login is open the
 * line waits for the confirmation and counts down the code's validity instead of claiming
 * "scan the code" next to a frame that already says "scanned"; `scanned` is shown where the
 * server reports it. A login that ends without success (expired, cancelled, refused) keeps the
 * panel with the one true reason and a "New code" button; so does a cancel on the phone that
 * the site cannot see, through the same button.
 */
import { isAbortError, WechatLoginDenied, WechatLoginExpired, type WechatStatusView } from '@koa-auth/client';
import { client } from './client.js';
import { byId, maybeById, showMessage } from './dom.js';
import { messageFor } from './errors.js';

const STATUS_TEXT: Partial<Record<WechatStatusView['status'], string>> = {
  scanned: 'Scanned. Confirm on your phone.',
  confirmed: 'Confirmed. Finishing…',
};

export interface WechatFlowOptions {
  mode: 'login' | 'bind';
  /** The button that starts the flow (disabled while it runs). */
  button: HTMLButtonElement;
  onSuccess(): void;
}

/** Wires `button` to run the flow; one flow at a time, cancellable with #wechat-cancel, restartable with #wechat-new-code. */
export function wireWechatFlow(options: WechatFlowOptions): void {
  const panel = byId('wechat-qr');
  const frame = byId('wechat-qr-frame', HTMLIFrameElement);
  const link = byId('wechat-qr-link', HTMLAnchorElement);
  const status = byId('wechat-status');
  const newCode = byId('wechat-new-code', HTMLButtonElement);
  const alert = byId('wechat-error');
  // A success notice of an earlier flow (the profile's "WeChat account linked") must not stay
  // next to this flow's outcome.
  const notice = maybeById('wechat-notice');
  let running: AbortController | null = null;
  let countdown: ReturnType<typeof setInterval> | undefined;

  const setStatus = (state: string, text: string) => {
    status.dataset.status = state;
    showMessage(status, text);
  };
  const stopCountdown = () => clearInterval(countdown);
  const showCode = (show: boolean) => {
    frame.hidden = !show;
    link.hidden = !show;
    if (!show) {
      frame.src = 'about:blank';
      link.removeAttribute('href');
    }
  };
  const close = () => {
    stopCountdown();
    showCode(false);
    panel.hidden = true;
    options.button.disabled = false;
    running = null;
  };
  /** The login ended without success: the reason stays on the panel, with a new code a click away. */
  const ended = (state: string, text: string) => {
    stopCountdown();
    showCode(false);
    setStatus(state, text);
    newCode.hidden = false;
    options.button.disabled = false;
    running = null;
  };

  function start(): void {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const current = () => running === controller;
    options.button.disabled = true;
    newCode.hidden = true;
    stopCountdown();
    showMessage(alert, null);
    if (notice) showMessage(notice, null);
    setStatus('starting', 'Preparing the QR code…');
    void client
      .loginWithWechat({
        mode: options.mode,
        signal: controller.signal,
        onQrCode({ qrUrl, expiresAt }) {
          if (!current()) return;
          frame.src = framedQrUrl(qrUrl);
          link.href = qrUrl;
          showCode(true);
          panel.hidden = false;
          newCode.hidden = false;
          const tick = () => setStatus('pending', `Waiting for the confirmation on your phone · code valid for ${remaining(expiresAt)}`);
          tick();
          countdown = setInterval(() => {
            if (status.dataset.status === 'pending') tick();
          }, 1000);
        },
        onStatus(view) {
          const text = STATUS_TEXT[view.status];
          if (current() && text) setStatus(view.status, text);
        },
      })
      .then(
        () => {
          if (!current()) return;
          close();
          options.onSuccess();
        },
        (error: unknown) => {
          if (!current() || isAbortError(error)) return;
          if (error instanceof WechatLoginExpired) return ended('expired', 'The QR code expired. Get a new code to try again.');
          // The server's reasons (cancelled, account disabled, linked to someone else…) are written for people.
          if (error instanceof WechatLoginDenied) return ended('denied', error.message);
          close();
          showMessage(alert, messageFor(error));
        },
      );
  }

  byId('wechat-cancel').addEventListener('click', () => {
    running?.abort();
    close();
  });
  newCode.addEventListener('click', start);
  options.button.addEventListener('click', () => {
    if (!running) start();
  });
}

/** WeChat's QR page in its frameable variant, redirecting inside the frame when confirmed. */
export function framedQrUrl(qrUrl: string): string {
  const url = new URL(qrUrl);
  url.searchParams.set('login_type', 'jssdk');
  url.searchParams.set('self_redirect', 'true');
  return url.toString();
}

/** `m:ss` until `expiresAt` (0:00 once past). */
function remaining(expiresAt: Date): string {
  const seconds = Math.max(0, Math.round((expiresAt.getTime() - Date.now()) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
