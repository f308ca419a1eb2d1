/** The JSON the server put into `<script type="application/json" id="page-data">`. */
export function pageData<T>(): Partial<T> {
  const script = document.getElementById('page-data');
  if (!script?.textContent) return {};
  return JSON.parse(script.textContent) as Partial<T>;
}

/** Only same-site paths: the server already checked `next`, this is a second fence. */
export function safePath(path: unknown, fallback: string): string {
  return typeof path === 'string' && /^\/(?![/\\])/.test(path) ? path : fallback;
}
