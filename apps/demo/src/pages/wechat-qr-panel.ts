/**
 * Where a WeChat QR login (or binding) is shown: WeChat's QR page framed (its `login_type=jssdk`
 * variant, which WeChat allows in frames), a link opening it in a window of its own, the
 * status (`data-status`: starting, pending, scanned, confirmed, expired, denied), a "New code"
 * button once a login ended without success, and a cancel button. The browser code fills it
 * when the flow starts.
 */
import { formAlert } from './form-field.js';
import { html, type SafeHtml } from './html.js';

export function wechatQrPanel(): SafeHtml {
  return html`<div class="qr-panel" id="wechat-qr" hidden>
  <iframe id="wechat-qr-frame" title="WeChat QR code" referrerpolicy="no-referrer"></iframe>
  <p class="qr-status" id="wechat-status" role="status" aria-live="polite"></p>
  <div class="qr-actions">
    <a id="wechat-qr-link" class="button secondary" target="_blank" rel="noopener noreferrer">Open the QR page in a new window</a>
    <button type="button" class="wechat" id="wechat-new-code" hidden>New code</button>
    <button type="button" class="secondary" id="wechat-cancel">Cancel</button>
  </div>
</div>
${formAlert('wechat')}`;
}
