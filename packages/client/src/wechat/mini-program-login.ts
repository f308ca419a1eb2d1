/**
 * `client.wechat.miniProgram.login(code)`: logs a Mini Program in with a `wx.login()` code.
 * The pair in the answer is stored by the bearer link (as for `auth.token`); the helper hands
 * back the user and whether this login created them, never the tokens.
 */
import type { TRPCUntypedClient } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

/** What `client.wechat.miniProgram.login` resolves to. */
export interface MiniProgramLoginAnswer<TUser> {
  user: TUser;
  /** True when this login created the account. */
  created: boolean;
}

/** Options of `client.wechat.miniProgram.login`. */
export interface MiniProgramLoginOptions {
  /** The Mini Program's appid, when the server has several (default: its first). */
  appid?: string;
}

/** The helper's call (see the module comment); the caller makes sure the client is in bearer mode. */
export async function miniProgramLogin<TUser>(
  client: TRPCUntypedClient<AnyRouter>,
  code: string,
  options: MiniProgramLoginOptions = {},
): Promise<MiniProgramLoginAnswer<TUser>> {
  const answer = (await client.mutation('wechat.miniProgram.login', { code, ...(options.appid ? { appid: options.appid } : {}) })) as {
    user: TUser;
    created: boolean;
  };
  return { user: answer.user, created: answer.created };
}
