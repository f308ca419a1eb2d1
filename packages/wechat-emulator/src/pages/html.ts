/** Tiny HTML helpers for the emulator's pages (no template engine needed for four pages). */

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
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
.users li{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;margin:6px 0}
.users .buttons{display:inline-flex;gap:4px;white-space:nowrap}
.users form{display:inline}
button{white-space:nowrap}
.meta{overflow-wrap:anywhere}
@media (max-width:360px),(max-height:480px){
body{margin:8px;font-size:13px}
h1{font-size:15px;margin:0 0 6px}
h2{font-size:12px;margin:8px 0 2px}
p{margin:0 0 4px}
.top{display:flex;gap:8px;align-items:flex-start}
.qr{width:90px;height:90px;flex:none;font-size:9px;padding:4px}
.meta{display:none}
.users{margin:0}
.users li{display:block;margin:0 0 5px}
.users .name{display:block;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.users button{font-size:12px;padding:1px 6px}
}
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
