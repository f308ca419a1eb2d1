/** The pages of the Official Account flow (all through renderResultPage: no-store, framed by the site only). */
import type { Context } from 'koa';
import { renderResultPage, type ResultPage, type StartAgainAction } from '../routes/result-page.js';
import type { OaMode } from './oa-records.js';

/** Where the pages' buttons lead. */
export interface OaPageLinks {
  startPath: string;
  homeUrl: string;
}

/** The form action starting a flow again with the same mode and destination (a same-site POST). */
export function startAgain(links: OaPageLinks, mode: OaMode, next: string, label?: string): StartAgainAction {
  const query = new URLSearchParams({ mode, next });
  return { href: `${links.startPath}?${query}`, method: 'post', ...(label ? { label } : {}) };
}

/** Render a page with `status`; failures get "Start again" and "Home". */
export function oaPage(ctx: Context, status: number, content: ResultPage): void {
  ctx.status = status;
  renderResultPage(ctx, content);
}

export const OA_TEXT = {
  expired: { title: 'Login link expired', message: 'The login link expired. Please start again.' },
  cancelled: { title: 'Login cancelled', message: 'The WeChat login was cancelled.' },
  failed: { title: 'WeChat login failed', message: 'WeChat could not confirm the login. Please try again.' },
  refused: { title: 'Login refused', message: 'WeChat login was refused for this account.' },
  otherUser: { title: 'Link refused', message: 'This link was started by another account. Log in again and start again.' },
  alreadyBound: { title: 'Link refused', message: 'This WeChat account is already linked to another user. Unlink it there first.' },
  loginNeeded: { title: 'Log in first', message: 'Log in to the account you want to link WeChat to, then start again.' },
  forbidden: { title: 'Not started', message: 'A WeChat login can only be started from this site. Please start again.' },
} as const satisfies Record<string, ResultPage>;
