/** Small typed DOM helpers. Text always goes in through textContent: nothing here parses HTML. */

/** The element with this id, of the expected type; throws when the page lacks it (a bug). */
export function byId<T extends HTMLElement = HTMLElement>(id: string, type?: { new (): T }): T {
  const element = document.getElementById(id);
  if (!element || (type && !(element instanceof type))) throw new Error(`#${id} is missing`);
  return element as T;
}

/** The element with this id, or null. */
export function maybeById<T extends HTMLElement = HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

/** A new element with classes and text (or children). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Shows a message in a hidden-by-default alert, or hides it for null. */
export function showMessage(element: HTMLElement, message: string | null): void {
  element.textContent = message ?? '';
  element.hidden = message === null;
}

/** A date as the visitor's locale shows it. */
export function formatDate(value: string | number | null): string {
  if (value === null) return '—';
  return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** An avatar image, or the name's initial when there is none or it fails to load. */
export function avatar(url: string | null, name: string): HTMLElement {
  const initial = Array.from(name)[0]?.toUpperCase() ?? '?';
  const fallback = el('span', { className: 'avatar', text: initial, attrs: { 'aria-hidden': 'true' } });
  if (!url) return fallback;
  const image = el('img', { className: 'avatar', attrs: { src: url, alt: '', referrerpolicy: 'no-referrer', loading: 'lazy' } });
  image.addEventListener('error', () => image.replaceWith(fallback), { once: true });
  return image;
}
