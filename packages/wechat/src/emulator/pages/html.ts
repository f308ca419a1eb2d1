/** Tiny HTML helpers for the emulator's pages (no template engine needed for four pages). */

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A JS literal safe inside `<script>`: JSON with `<`, U+2028 and U+2029 escaped. */
export function scriptValue(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export interface LayoutOptions {
  title: string;
  body: string;
  /** Caption colour scheme (wxLogin `style`). */
  dark?: boolean;
  /** Extra stylesheet (wxLogin `href`), already validated. */
  stylesheet?: string;
}

export function layout(options: LayoutOptions): string {
  const colors = options.dark ? 'background:#1e1e1e;color:#fff' : 'background:#fff;color:#222';
  const link = options.stylesheet ? `<link rel="stylesheet" href="${escapeHtml(options.stylesheet)}">` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:16px;${colors}}
.qr{width:180px;height:180px;border:1px solid #aaa;display:flex;align-items:center;justify-content:center;text-align:center;font:12px monospace;word-break:break-all;padding:8px;box-sizing:border-box}
.status{font-weight:600}
.users{list-style:none;padding:0}
.users li{display:flex;align-items:center;gap:8px;margin:6px 0}
.users form{display:inline}
.hint{font-size:12px;opacity:.7}
.error{color:#c00}
</style>
${link}
</head>
<body>
${options.body}
</body>
</html>
`;
}
