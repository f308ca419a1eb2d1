// Feature checks through globalThis: the package compiles without the DOM library and runs in
// browsers, workers and Node alike.

interface DocumentLike {
  cookie: string;
}

/** Whether this runs in a page (it has `document.cookie`). */
export function hasDocument(): boolean {
  return typeof (globalThis as { document?: DocumentLike }).document?.cookie === 'string';
}

/** A cookie of the page, or undefined (outside browsers, or when not set). */
export function readCookie(name: string): string | undefined {
  const doc = (globalThis as { document?: DocumentLike }).document;
  if (!doc || typeof doc.cookie !== 'string') return undefined;
  for (const part of doc.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

/** The native EventSource constructor, where the runtime has one. */
export function nativeEventSource(): (new (url: string, init?: { withCredentials?: boolean }) => unknown) | undefined {
  return (globalThis as { EventSource?: new (url: string, init?: { withCredentials?: boolean }) => unknown }).EventSource;
}

/** Whether `url` is absolute (has a scheme). */
export function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url);
}
