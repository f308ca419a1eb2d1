/**
 * Form handling shared by every page: read the fields, disable the form while the call runs,
 * and show the server's answer — field errors under their inputs (`<p data-error-for=name>`),
 * everything else in the form's alert (`#<form>-error`).
 */
import { fieldIssues, toAuthClientError } from '@koa-auth/client';
import { byId, maybeById, showMessage } from './dom.js';
import { messageFor } from './errors.js';

export type Values = Record<string, string>;

/** The form's named text inputs. */
export function formValues(form: HTMLFormElement): Values {
  const values: Values = {};
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[name]'))) values[input.name] = input.value;
  return values;
}

/** Clears every error line and the alert and notice. */
export function clearErrors(form: HTMLFormElement): void {
  for (const line of Array.from(form.querySelectorAll<HTMLElement>('[data-error-for]'))) showMessage(line, null);
  for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[aria-invalid]'))) input.removeAttribute('aria-invalid');
  const alert = maybeById(`${form.id.replace(/-form$/, '')}-error`);
  if (alert) showMessage(alert, null);
  const notice = maybeById(`${form.id.replace(/-form$/, '')}-notice`);
  if (notice) showMessage(notice, null);
}

/** One message under one field (client-side checks such as "passwords differ"). */
export function showFieldError(form: HTMLFormElement, field: string, message: string): void {
  const line = form.querySelector<HTMLElement>(`[data-error-for="${field}"]`);
  if (line) showMessage(line, message);
  form.querySelector<HTMLInputElement>(`input[name="${field}"]`)?.setAttribute('aria-invalid', 'true');
}

/**
 * Shows a failed call's errors: each field error under its field (`aliases` maps server field
 * names to this form's, e.g. `password` → `newPassword`), the rest in the alert.
 */
export function showError(form: HTMLFormElement, error: unknown, aliases: Record<string, string> = {}): void {
  const e = toAuthClientError(error);
  const leftover: string[] = [];
  if (e.code === 'validation' && e.fieldErrors) {
    for (const field of Object.keys(e.fieldErrors)) {
      const name = aliases[field] ?? field;
      const messages = fieldIssues(e, field).map((issue) => issue.message);
      if (form.querySelector(`[data-error-for="${name}"]`)) showFieldError(form, name, messages.join(' '));
      else leftover.push(...messages);
    }
  } else {
    leftover.push(messageFor(e));
  }
  if (leftover.length > 0) showAlert(form, leftover.join(' '));
}

export function showAlert(form: HTMLFormElement, message: string): void {
  showMessage(byId(`${form.id.replace(/-form$/, '')}-error`), message);
}

export function showNotice(form: HTMLFormElement, message: string): void {
  showMessage(byId(`${form.id.replace(/-form$/, '')}-notice`), message);
}

/**
 * Runs `submit` on each submission with the form disabled meanwhile; a thrown error is shown
 * with showError. Returns nothing: the handler navigates or shows its own success.
 */
export function onSubmit(form: HTMLFormElement, submit: (values: Values) => Promise<void>, aliases?: Record<string, string>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(form);
      const controls = Array.from(form.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input'));
      const values = formValues(form);
      form.setAttribute('aria-busy', 'true');
      for (const control of controls) control.disabled = true;
      try {
        await submit(values);
      } catch (error) {
        showError(form, error, aliases);
      } finally {
        form.removeAttribute('aria-busy');
        for (const control of controls) control.disabled = false;
      }
      // After re-enabling: disabled inputs cannot take the focus.
      form.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
    })();
  });
}
