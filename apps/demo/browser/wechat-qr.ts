/**
 * The WeChat QR flow on a page, driven by the client SDK's `loginWithWechat`: it starts the
 * login (or binding), we show WeChat's QR page — framed, through its `login_type=jssdk` variant
 * that WeChat allows in frames, and as a link for a window of its own — and the SDK waits for
 * the phone (server-sent events, polling as fallback), completes the login and resolves.
 */
import { isAbortError, WechatLoginDenied, WechatLoginExpired, type WechatStatusView } from '@koa-auth/client';
import { client } from './client.js';
import { byId, showMessage } from './dom.js';
import { messageFor } from './errors.js';

const STATUS_TEXT: Partial<Record<WechatStatusView['status'], string>> = {
  pending: 'Scan the code with WeChat, then confirm on your phone.',
  scanned: 'Scanned. Confirm on your phone.',
  confirmed: 'Confirmed. Finishing…',
};

export interface WechatFlowOptions {
  mode: 'login' | 'bind';
  /** The button that starts the flow (disabled while it runs). */
  button: HTMLButtonElement;
  onSuccess(): void;
}

/** Wires `button` to run the flow; one flow at a time, cancellable with #wechat-cancel. */
export function wireWechatFlow(options: WechatFlowOptions): void {
  const panel = byId('wechat-qr');
  const frame = byId('wechat-qr-frame', HTMLIFrameElement);
  const link = byId('wechat-qr-link', HTMLAnchorElement);
  const status = byId('wechat-status');
  const alert = byId('wechat-error');
  let running: AbortController | null = null;

  const reset = () => {
    panel.hidden = true;
    frame.src = 'about:blank';
    link.removeAttribute('href');
    options.button.disabled = false;
    running = null;
  };

  byId('wechat-cancel').addEventListener('click', () => running?.abort());
  options.button.addEventListener('click', () => {
    if (running) return;
    const controller = new AbortController();
    running = controller;
    options.button.disabled = true;
    showMessage(alert, null);
    showMessage(status, 'Preparing the QR code…');
    void client
      .loginWithWechat({
        mode: options.mode,
        signal: controller.signal,
        onQrCode({ qrUrl }) {
          frame.src = framedQrUrl(qrUrl);
          link.href = qrUrl;
          panel.hidden = false;
          showMessage(status, STATUS_TEXT.pending ?? '');
        },
        onStatus(view) {
          const text = STATUS_TEXT[view.status];
          if (text) showMessage(status, text);
        },
      })
      .then(
        () => {
          reset();
          options.onSuccess();
        },
        (error: unknown) => {
          reset();
          if (isAbortError(error)) return;
          showMessage(alert, wechatMessage(error));
        },
      );
  });
}

/** WeChat's QR page in its frameable variant, redirecting inside the frame when confirmed. */
export function framedQrUrl(qrUrl: string): string {
  const url = new URL(qrUrl);
  url.searchParams.set('login_type', 'jssdk');
  url.searchParams.set('self_redirect', 'true');
  return url.toString();
}

function wechatMessage(error: unknown): string {
  if (error instanceof WechatLoginExpired) return 'The QR code expired. Start again for a new one.';
  // The server's reasons (account disabled, linked to someone else…) are written for people.
  if (error instanceof WechatLoginDenied) return error.message;
  return messageFor(error);
}
