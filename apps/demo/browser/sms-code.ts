/**
 * The SMS code forms (server: pages/sms-code-form.ts): "Send code" asks `auth.sms.send`, then
 * counts down until the server allows the next send (its `resendAfterSeconds`, or a 429's
 * `retryAfter`); submitting sends phone + code to `auth.sms.verify` and hands the answer on.
 * The notice after sending is the same whether the number has an account or not — the server
 * answers the same, so the page cannot know.
 */
import { toAuthClientError } from '@koa-auth/client';
import { client } from './client.js';
import { byId } from './dom.js';
import { clearErrors, onSubmit, showError, showNotice } from './forms.js';

type Purpose = 'login' | 'verify' | 'reset';
type VerifyResult = Awaited<ReturnType<typeof client.auth.sms.verify.mutate>>;

export interface SmsCodeFormOptions {
  /** The form's id prefix (`sms`, `phone-verify`, `reset-sms`). */
  form: string;
  purpose: Purpose;
  /** What the notice says once the server accepted the send. */
  sentNotice: string;
  onVerified(result: VerifyResult): void | Promise<void>;
}

export function wireSmsCodeForm(options: SmsCodeFormOptions): void {
  const form = byId(`${options.form}-form`, HTMLFormElement);
  const sendButton = byId(`${options.form}-send`, HTMLButtonElement);
  const countdown = byId(`${options.form}-countdown`);
  const phoneInput = byId(`${options.form}-phone`, HTMLInputElement);
  const codeInput = byId(`${options.form}-code`, HTMLInputElement);
  let sendableAt = 0;
  let timer: number | undefined;

  const tick = () => {
    const left = Math.ceil((sendableAt - Date.now()) / 1000);
    // Re-applied on every tick: the form's submit handling re-enables every control it disabled.
    sendButton.disabled = left > 0;
    countdown.textContent = left > 0 ? `You can ask for a new code in ${left} s.` : '';
    if (left <= 0 && timer !== undefined) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
  const waitFor = (seconds: number) => {
    sendableAt = Date.now() + seconds * 1000;
    tick();
    timer ??= window.setInterval(tick, 250);
  };

  sendButton.addEventListener('click', () => {
    if (Date.now() < sendableAt) return;
    void (async () => {
      clearErrors(form);
      sendButton.disabled = true;
      try {
        const sent = await client.auth.sms.send.mutate({ phone: phoneInput.value, purpose: options.purpose });
        showNotice(form, options.sentNotice);
        waitFor(sent.resendAfterSeconds);
        codeInput.focus();
      } catch (error) {
        showError(form, error);
        const e = toAuthClientError(error);
        if (e.code === 'throttled') waitFor(e.retryAfter ?? 60);
      } finally {
        tick();
      }
    })();
  });

  onSubmit(form, async ({ phone = '', code = '' }) => {
    try {
      await options.onVerified(await client.auth.sms.verify.mutate({ phone, purpose: options.purpose, code }));
    } catch (error) {
      codeInput.value = '';
      throw error;
    } finally {
      window.setTimeout(tick, 0);
    }
  });
}
