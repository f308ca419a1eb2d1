/**
 * The SMS code form the login tab, the profile's "verify your phone" and the phone reset share:
 * phone, a "Send code" button with its countdown until the next send is allowed, the code, and
 * the submit button. Ids are `<form>-…` like every form (`<form>-send`, `<form>-countdown`); the
 * browser code (browser/sms-code.ts) wires it.
 */
import { formAlert, formField, formNotice } from './form-field.js';
import { html, type SafeHtml } from './html.js';

export interface SmsCodeFormOptions {
  form: string;
  submitLabel: string;
  phoneLabel?: string;
  autofocus?: boolean;
}

export function smsCodeForm(options: SmsCodeFormOptions): SafeHtml {
  const { form } = options;
  return html`<form id="${form}-form" method="post" novalidate>
  ${formAlert(form)}${formNotice(form)}
  ${formField({ form, name: 'phone', label: options.phoneLabel ?? 'Mobile phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel', autofocus: options.autofocus, hint: 'National numbers are read as Chinese (+86), e.g. 138 0013 8000.' })}
  <p class="sms-send"><button type="button" class="secondary" id="${form}-send">Send code</button> <span class="hint" id="${form}-countdown" aria-live="polite"></span></p>
  ${formField({ form, name: 'code', label: 'Code from the SMS (6 digits)', autocomplete: 'one-time-code', inputmode: 'numeric' })}
  <button type="submit" class="block" id="${form}-submit">${options.submitLabel}</button>
</form>`;
}
