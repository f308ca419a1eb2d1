/**
 * Procedures whose successful answer carries a token pair the client must keep, and where in
 * the answer it is. Seeing them in the link (rather than only in helpers) means calling
 * `client.auth.token.mutate(…)` directly logs the client in too.
 */
export function tokensInResult(path: string, data: unknown): unknown {
  switch (path) {
    case 'auth.token':
    case 'auth.refresh':
      return data;
    case 'wechat.complete':
    // Bearer-mode WeChat logins answer `{ mode: 'login', userId, tokens }`; Mini Program logins `{ user, created, tokens }`.
    case 'wechat.miniProgram.login':
      return typeof data === 'object' && data !== null && 'tokens' in data ? (data as { tokens: unknown }).tokens : undefined;
    default:
      return undefined;
  }
}

/** Calls after which the client's tokens are dropped, whatever the answer. */
export function dropsTokens(path: string): boolean {
  return path === 'auth.logout';
}

/** Calls that must go without an access token (and so never wait for a refresh). */
export function sendsNoToken(path: string): boolean {
  return path === 'auth.token' || path === 'auth.refresh' || path === 'wechat.miniProgram.login';
}
