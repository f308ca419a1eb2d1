/**
 * HTML building with escaping by default: every value interpolated into an `html` template is
 * escaped unless it is itself the result of `html` (or `raw`, for constants only). That makes
 * a forgotten escape impossible rather than unlikely: user data (nicknames with emoji, avatar
 * URLs, `next` parameters) is always text.
 */

/** Markup that is already safe to insert. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[];

/** `html\`<p>${text}</p>\``: strings are escaped, SafeHtml kept, arrays joined, null/false/undefined dropped. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted markup written in this code base (never data). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Text escaped for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A value as JSON inside `<script type="application/json">`: `<` is escaped so no string can
 * close the script element, and U+2028/2029 so older parsers cannot break on them.
 */
export function jsonScript(id: string, value: unknown): SafeHtml {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return html`<script type="application/json" id="${id}">${raw(json)}</script>`;
}

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}
