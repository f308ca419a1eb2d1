/** The site's icon, served at /static/favicon.svg. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#101828"/><path d="M11 14v-3a5 5 0 0 1 10 0v3" fill="none" stroke="#07c160" stroke-width="3"/><rect x="8" y="14" width="16" height="12" rx="2" fill="#07c160"/></svg>`;

/** The demo's stylesheet, served at /static/style.css (a constant: no user data). */
export const STYLESHEET = `
:root {
  --bg: #f5f6f8; --card: #fff; --text: #1d2330; --muted: #667085; --border: #d9dde4;
  --accent: #1f6feb; --accent-dark: #1958c0; --wechat: #07c160; --wechat-dark: #06a552;
  --danger: #c4320a; --danger-bg: #fef3f2; --ok: #067647; --ok-bg: #ecfdf3; --radius: 10px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
  color: var(--text); background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.topbar { background: #101828; color: #fff; }
header.topbar .inner { max-width: 960px; margin: 0 auto; padding: 0 20px; height: 56px; display: flex; align-items: center; gap: 20px; }
header.topbar .brand { color: #fff; font-weight: 700; letter-spacing: .2px; font-size: 17px; }
header.topbar .brand span { color: var(--wechat); }
header.topbar nav { margin-left: auto; display: flex; align-items: center; gap: 16px; }
header.topbar nav a { color: #d0d5dd; }
header.topbar nav a[aria-current="page"] { color: #fff; font-weight: 600; }
header.topbar .who { color: #98a2b3; font-size: 14px; }
header.topbar button.link { background: none; border: 1px solid #475467; color: #fff; border-radius: 6px; padding: 4px 12px; font: inherit; font-size: 14px; cursor: pointer; }
header.topbar button.link:hover { background: #1d2939; }
main { flex: 1; width: 100%; max-width: 960px; margin: 0 auto; padding: 32px 20px 48px; }
main.narrow { max-width: 460px; }
footer { text-align: center; color: var(--muted); font-size: 13px; padding: 20px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 0 0 14px; }
p.lead { color: var(--muted); margin: 0 0 24px; }
p.lead.flush { margin: 0; }
.center { text-align: center; }
.intro { margin: 0 0 16px; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: var(--radius); padding: 24px; box-shadow: 0 1px 2px rgba(16,24,40,.05); margin-bottom: 20px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 20px; align-items: start; }
.grid .card { margin-bottom: 0; }
.field { margin-bottom: 16px; }
.field label { display: block; font-weight: 600; font-size: 14px; margin-bottom: 6px; }
.field input { width: 100%; padding: 10px 12px; border: 1px solid var(--border); border-radius: 8px; font: inherit; background: #fff; }
.field input:focus { outline: 2px solid rgba(31,111,235,.35); border-color: var(--accent); }
.field input[aria-invalid="true"] { border-color: var(--danger); }
.hint { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
.field-error { color: var(--danger); font-size: 13px; margin: 6px 0 0; }
.alert { border-radius: 8px; padding: 10px 14px; margin-bottom: 16px; font-size: 14px; }
.alert-error { background: var(--danger-bg); color: var(--danger); border: 1px solid #fecdca; }
.alert-success { background: var(--ok-bg); color: var(--ok); border: 1px solid #abefc6; }
.alert-info { background: #eff8ff; color: #175cd3; border: 1px solid #b2ddff; }
[hidden] { display: none !important; }
button, .button { display: inline-flex; align-items: center; justify-content: center; gap: 8px; padding: 10px 18px; border-radius: 8px; border: 1px solid transparent; font: inherit; font-weight: 600; cursor: pointer; background: var(--accent); color: #fff; text-decoration: none; }
button:hover, .button:hover { background: var(--accent-dark); text-decoration: none; }
button:disabled { opacity: .6; cursor: progress; }
button.block { width: 100%; }
button.secondary, .button.secondary { background: #fff; color: var(--text); border-color: var(--border); }
button.secondary:hover, .button.secondary:hover { background: #f2f4f7; }
button.danger { background: #fff; color: var(--danger); border-color: #fda29b; }
button.danger:hover { background: var(--danger-bg); }
button.wechat, .button.wechat { background: var(--wechat); }
button.wechat:hover, .button.wechat:hover { background: var(--wechat-dark); }
button.small { padding: 5px 12px; font-size: 13px; }
.tabs { display: flex; border-bottom: 1px solid var(--border); margin: -8px 0 20px; }
.tabs button { background: none; color: var(--muted); border: 0; border-bottom: 2px solid transparent; border-radius: 0; padding: 10px 16px; font-weight: 600; }
.tabs button:hover { background: none; color: var(--text); }
.tabs button[aria-selected="true"] { color: var(--text); border-bottom-color: var(--accent); }
.tabs button#tab-wechat[aria-selected="true"] { border-bottom-color: var(--wechat); }
.sms-send { display: flex; align-items: center; gap: 12px; margin: 0 0 16px; }
.sms-send .hint { margin: 0; }
.below { margin-top: 18px; font-size: 14px; color: var(--muted); text-align: center; }
.qr-panel { text-align: center; margin-top: 16px; }
.qr-panel iframe { width: 300px; height: 420px; border: 1px solid var(--border); border-radius: 8px; background: #fff; }
.qr-status { font-size: 14px; color: var(--muted); margin: 10px 0; }
.qr-status[data-status="expired"], .qr-status[data-status="denied"] { color: var(--danger); font-weight: 600; }
.qr-actions { display: flex; gap: 10px; justify-content: center; flex-wrap: wrap; }
.list { list-style: none; margin: 0; padding: 0; }
.list li { display: flex; align-items: center; gap: 12px; padding: 12px 0; border-top: 1px solid #eaecf0; }
.list li:first-child { border-top: 0; }
.list .grow { flex: 1; min-width: 0; }
.list .title { font-weight: 600; overflow-wrap: anywhere; }
.list .meta { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
.empty { color: var(--muted); font-size: 14px; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 999px; background: #f2f4f7; color: #344054; margin-left: 6px; }
.badge.green { background: var(--ok-bg); color: var(--ok); }
.badge.blue { background: #eff8ff; color: #175cd3; }
.avatar { width: 44px; height: 44px; border-radius: 50%; object-fit: cover; background: #e4e7ec; flex: none; display: inline-flex; align-items: center; justify-content: center; font-weight: 700; color: #475467; overflow: hidden; }
.avatar.large { width: 64px; height: 64px; font-size: 24px; }
.profile-head { display: flex; align-items: center; gap: 16px; margin-bottom: 24px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
/* Words are broken only when one cannot fit at all; headers, emails and phone numbers never (the table scrolls instead). */
.table-wrap { overflow-x: auto; }
th, td { text-align: left; padding: 10px 8px; border-bottom: 1px solid #eaecf0; vertical-align: top; overflow-wrap: break-word; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .4px; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.user-cell { display: flex; align-items: center; gap: 10px; }
.user-cell .avatar { width: 32px; height: 32px; font-size: 14px; }
.toolbar { display: flex; gap: 10px; margin-bottom: 16px; }
.toolbar input { flex: 1; padding: 9px 12px; border: 1px solid var(--border); border-radius: 8px; font: inherit; }
.error-page { text-align: center; padding: 40px 0; }
.error-page .code { font-size: 64px; font-weight: 800; color: #d0d5dd; line-height: 1; }
@media (max-width: 520px) { header.topbar .who { display: none; } main { padding-top: 20px; } }
`;
