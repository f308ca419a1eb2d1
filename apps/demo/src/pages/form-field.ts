/**
 * One labelled input with its error line, the building block of every form. The ids are stable
 * (`<form>-<name>`, error `<form>-<name>-error`): the browser code fills the error line from the
 * server's `fieldErrors[name]`, and the browser tests find inputs by these ids.
 */
import { html, type SafeHtml } from './html.js';

export interface FieldOptions {
  form: string;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'tel' | 'password' | 'url';
  value?: string | null;
  autocomplete?: string;
  placeholder?: string;
  hint?: string;
  autofocus?: boolean;
  inputmode?: 'text' | 'email' | 'tel' | 'url' | 'numeric';
}

export function formField(options: FieldOptions): SafeHtml {
  const id = `${options.form}-${options.name}`;
  const hintId = options.hint ? `${id}-hint` : null;
  return html`<div class="field">
  <label for="${id}">${options.label}</label>
  <input id="${id}" name="${options.name}" type="${options.type ?? 'text'}"${options.value ? html` value="${options.value}"` : ''}${
    options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''
  }${options.placeholder ? html` placeholder="${options.placeholder}"` : ''}${options.inputmode ? html` inputmode="${options.inputmode}"` : ''}${
    options.autofocus ? html` autofocus` : ''
  } aria-describedby="${[hintId, `${id}-error`].filter(Boolean).join(' ')}">
  ${hintId ? html`<p class="hint" id="${hintId}">${options.hint}</p>` : ''}
  <p class="field-error" id="${id}-error" data-error-for="${options.name}" hidden></p>
</div>`;
}

/** The form-level message (wrong credentials, throttling, network errors). */
export function formAlert(form: string): SafeHtml {
  return html`<div class="alert alert-error" id="${form}-error" role="alert" hidden></div>`;
}

/** A success line shown after saving. */
export function formNotice(form: string): SafeHtml {
  return html`<div class="alert alert-success" id="${form}-notice" role="status" hidden></div>`;
}
