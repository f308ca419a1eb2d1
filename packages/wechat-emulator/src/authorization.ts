/**
 * Identity rules applied when a user approves an app (§3.1, §5, §2 snapshot mode):
 * - openid is per appid; unionid is per open-platform account.
 * - unionid is present for website apps bound to an account, and for Official Accounts only
 *   when bound *and* the scope includes `snsapi_userinfo`; never for `usersWithoutUnionid`.
 * - Snapshot mode applies to `snsapi_userinfo` on Official Accounts: the ids are those of a
 *   virtual account derived from the user, and the grant is flagged.
 */
import type { EmulatorApp } from './config.js';
import type { EmulatorContext } from './context.js';
import type { Authorization } from './grants.js';
import { deriveOpenid, deriveUnionid } from './ids.js';

export interface AuthorizeAs {
  app: EmulatorApp;
  userKey: string;
  /** Comma-separated scopes, already validated for the app's kind. */
  scope: string;
  /** Force snapshot mode on or off; default: per the `snapshotUsers` knob. */
  snapshot?: boolean;
}

export function buildAuthorization(context: EmulatorContext, input: AuthorizeAs): Authorization {
  const { app, userKey, scope } = input;
  const knobs = context.knobs.get();
  const scopes = scope.split(',');
  const userinfoScope = scopes.includes('snsapi_userinfo');
  const snapshot = input.snapshot ?? (app.kind === 'oa' && userinfoScope && knobs.snapshotUsers.includes(userKey));
  // A snapshot user is a distinct virtual account, so it gets ids of its own.
  const identityKey = snapshot ? `${userKey}#snapshot` : userKey;
  const unionidAllowed = app.openPlatformId !== undefined && !knobs.usersWithoutUnionid.includes(userKey) && (app.kind === 'website' || userinfoScope);
  return {
    appid: app.appid,
    userKey,
    scope,
    openid: deriveOpenid(context.seed, app.appid, identityKey),
    unionid: unionidAllowed && app.openPlatformId ? deriveUnionid(context.seed, app.openPlatformId, identityKey) : undefined,
    snapshot,
  };
}
