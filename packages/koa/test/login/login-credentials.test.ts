import { MixedLoginBackend, ModelBackend, RemoteUserBackend } from '@koa-auth/core';
import { loginCredentials } from '../../src/login/login-credentials.js';

describe('loginCredentials', () => {
  it('is the mixed shape whenever a backend takes it, whatever comes first in the chain', () => {
    for (const backends of [[new MixedLoginBackend()], [new ModelBackend(), new MixedLoginBackend()], [new MixedLoginBackend(), new ModelBackend()]]) {
      expect(loginCredentials({ backends }, 'alice@example.com', 'pw')).toEqual({ identifier: 'alice@example.com', password: 'pw' });
    }
  });

  it('is the username shape when no backend takes identifiers', () => {
    expect(loginCredentials({ backends: [new ModelBackend()] }, 'alice', 'pw')).toEqual({ username: 'alice', password: 'pw' });
    expect(loginCredentials({ backends: [new RemoteUserBackend()] }, 'alice', 'pw')).toEqual({ username: 'alice', password: 'pw' });
  });
});
