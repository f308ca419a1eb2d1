/**
 * The public surface of each package's root entry, pinned: the sorted runtime names an app can
 * import from `@koa-auth/<pkg>`. Adding or removing one is a deliberate change of this list (and
 * of the package README); plumbing goes to `@koa-auth/<pkg>/internal`, test helpers to
 * `@koa-auth/<pkg>/testing`. Type-only exports are not runtime names and are not listed here.
 */
import { describe, expect, it } from '@jest/globals';
import * as core from '@koa-auth/core';
import * as coreInternal from '@koa-auth/core/internal';
import * as coreSms from '@koa-auth/core/sms';
import * as coreTesting from '@koa-auth/core/testing';
import * as koa from '@koa-auth/koa';
import * as koaInternal from '@koa-auth/koa/internal';
import * as koaTesting from '@koa-auth/koa/testing';
import * as wechat from '@koa-auth/wechat';
import * as client from '@koa-auth/client';
import * as cli from '@koa-auth/cli';

/** An app-facing entry stays small (Django's public auth API is about 14 names). */
const BUDGET = 40;

const ROOT_NAMES: Record<string, readonly string[]> = {
  '@koa-auth/core': [
    'AbstractUser',
    'AllowAllUsersModelBackend',
    'AllowAllUsersRemoteUserBackend',
    'AuthError',
    'BaseBackend',
    'CommonPasswordValidator',
    'Group',
    'ImproperlyConfigured',
    'InvalidCredentials',
    'MemoryStore',
    'MinimumLengthValidator',
    'MixedLoginBackend',
    'ModelBackend',
    'NumericPasswordValidator',
    'Permission',
    'PermissionDenied',
    'RedisStore',
    'RemoteUserBackend',
    'ServiceUnavailable',
    'User',
    'UserAttributeSimilarityValidator',
    'ValidationError',
    'addUserToGroup',
    'confirmPasswordReset',
    'coreMigrations',
    'ConsoleMailSender',
    'createAuth',
    'createKnex',
    'defaultHashers',
    'defaultPasswordValidators',
    'ensurePermission',
    'grantGroupPermission',
    'grantUserPermission',
    'legacyDjangoHashers',
    'migrationSource',
    'removeUserFromGroup',
    'requestPasswordReset',
    'revokeGroupPermission',
    'revokeUserPermission',
  ],
  '@koa-auth/koa': [
    'AuthenticationFailed',
    'CsrfFailed',
    'DisallowedHost',
    'Forbidden',
    'LoginThrottle',
    'NotAuthenticated',
    'Throttled',
    'TokenService',
    'allowedHosts',
    'authErrorHandler',
    'authMiddleware',
    'basicAuthenticator',
    'bearerAuthenticator',
    'claimCredentialCheck',
    'createAuthRouter',
    'credentialProcedure',
    'csrfProtection',
    'endUserSessions',
    'ensureCsrfToken',
    'koaAuth',
    'koaTrpc',
    'login',
    'loginRequired',
    'logout',
    'permissionProcedure',
    'permissionRequired',
    'persistentRemoteUserMiddleware',
    'protectedProcedure',
    'publicProcedure',
    'publicUser',
    'remoteUserMiddleware',
    'router',
    'safeRedirectPath',
    'session',
    'sessionAuthenticator',
    'throttledAction',
    'updateSessionAuthHash',
    'userPassesTest',
  ],
  '@koa-auth/wechat': [
    'MiniProgram',
    'MiniProgramClient',
    'MiniProgramCodeRejected',
    'MiniProgramLoginRefused',
    'OaLogin',
    'QrLogin',
    'QrLoginNotReady',
    'WechatApiError',
    'WechatBackend',
    'WechatBinding',
    'WechatClient',
    'WechatProfile',
    'bindWechatLoginTo',
    'createWechat',
    'WechatRetryLater',
    'WechatUpstreamError',
    'createWechatRouter',
    'wechatLoginExistingOnly',
    'wechatMigrations',
    'wechatProfileIdOf',
    'wechatRefusalOf',
    'wechatRoutes',
  ],
  '@koa-auth/client': [
    'AuthClientAbortError',
    'AuthClientError',
    'WechatLoginDenied',
    'WechatLoginExpired',
    'WechatLoginFailed',
    'createAuthClient',
    'fieldError',
    'fieldIssues',
    'isAbortError',
    'isFieldError',
    'isForbidden',
    'isNetworkError',
    'isThrottled',
    'isUnauthorized',
    'isValidationError',
    'localStorageTokenStorage',
    'memoryTokenStorage',
    'toAuthClientError',
    'wxRequestFetch',
    'wxStorageTokenStorage',
  ],
  '@koa-auth/cli': ['CommandError', 'STANDARD_COMMANDS', 'defineConfig', 'runCli', 'runMigrations'],
};

const ROOTS: Record<string, object> = {
  '@koa-auth/core': core,
  '@koa-auth/koa': koa,
  '@koa-auth/wechat': wechat,
  '@koa-auth/client': client,
  '@koa-auth/cli': cli,
};

const SUBPATHS: Array<[string, object, object]> = [
  ['@koa-auth/core/internal', coreInternal, core],
  ['@koa-auth/core/testing', coreTesting, core],
  ['@koa-auth/core/sms', coreSms, core],
  ['@koa-auth/koa/internal', koaInternal, koa],
  ['@koa-auth/koa/testing', koaTesting, koa],
];

const namesOf = (module: object) => Object.keys(module).sort();

describe('root entries', () => {
  it.each(Object.keys(ROOTS))('%s exports exactly the pinned runtime names', (name) => {
    expect(namesOf(ROOTS[name]!)).toEqual([...ROOT_NAMES[name]!].sort());
  });

  it.each(Object.keys(ROOTS))(`%s stays under ${BUDGET} runtime names`, (name) => {
    expect(namesOf(ROOTS[name]!).length).toBeLessThan(BUDGET);
  });
});

describe('/internal and /testing', () => {
  it.each(SUBPATHS)('%s shares no name with its root entry (one home per name)', (_name, subpath, root) => {
    const rootNames = new Set(Object.keys(root));
    expect(Object.keys(subpath).filter((key) => rootNames.has(key))).toEqual([]);
  });
});
