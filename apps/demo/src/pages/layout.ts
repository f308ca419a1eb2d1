/**
 * The page frame: top bar with navigation, the page's content, the stylesheet and the browser
 * bundle. `page` names the browser module that runs on it (`<body data-page>`); `data` is
 * handed to it as JSON (escaped for a script element).
 */
import { html, jsonScript, type SafeHtml } from './html.js';

/** What the top bar shows of the logged-in user. */
export interface NavUser {
  name: string;
  canViewUsers: boolean;
}

export interface LayoutOptions {
  title: string;
  page: string;
  /** Path of the current page, to mark its link. */
  path: string;
  user: NavUser | null;
  content: SafeHtml;
  data?: unknown;
  narrow?: boolean;
}

export function layout(options: LayoutOptions): string {
  const link = (href: string, label: string, id: string) =>
    html`<a href="${href}" id="${id}"${options.path === href ? html` aria-current="page"` : ''}>${label}</a>`;
  const nav = options.user
    ? html`${link('/profile', 'Profile', 'nav-profile')}${options.user.canViewUsers ? link('/admin/users', 'Admin', 'nav-admin') : ''}
      <span class="who" id="nav-user">${options.user.name}</span>
      <button type="button" class="link" id="logout">Log out</button>`
    : html`${link('/login', 'Log in', 'nav-login')}${link('/register', 'Register', 'nav-register')}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · koa-auth demo</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<script type="module" src="/static/app.js"></script>
</head>
<body data-page="${options.page}">
<header class="topbar"><div class="inner">
  <a class="brand" href="/">koa-auth <span>demo</span></a>
  <nav>${nav}</nav>
</div></header>
<main${options.narrow ? html` class="narrow"` : ''}>
${options.content}
</main>
<footer>Django's auth for Koa · sessions, permissions, JWT, tRPC and WeChat login</footer>
${options.data === undefined ? '' : jsonScript('page-data', options.data)}
</body>
</html>`.value;
}
