/** The demo's bundled emulator serves the website app, the Official Account and the Mini Program the demo configures. */
import { describe, expect, it } from '@jest/globals';
import { EMULATOR_MINI_PROGRAM_APP, startEmulator } from '../src/wechat/emulator.js';

describe('the demo emulator', () => {
  it('lists its website app, Official Account and Mini Program in GET /__emulator, and answers jscode2session', async () => {
    const emulator = await startEmulator({ port: 0, host: '127.0.0.1', publicHostname: 'localhost' });
    try {
      const overview = (await (await fetch(`${emulator.apiUrl}/__emulator`)).json()) as { apps: Array<{ kind: string; appid: string }> };
      expect(overview.apps.map((app) => app.kind).sort()).toEqual(['miniprogram', 'oa', 'website']);
      const minted = await fetch(`${emulator.apiUrl}/__emulator/codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appid: EMULATOR_MINI_PROGRAM_APP.appid, user: 'xiaoming', kind: 'miniprogram-login' }),
      });
      const { code } = (await minted.json()) as { code: string };
      const query = new URLSearchParams({
        appid: EMULATOR_MINI_PROGRAM_APP.appid,
        secret: EMULATOR_MINI_PROGRAM_APP.secret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      const session = (await (await fetch(`${emulator.apiUrl}/sns/jscode2session?${query}`)).json()) as Record<string, unknown>;
      expect(session).toMatchObject({ openid: expect.any(String), unionid: expect.any(String) });
    } finally {
      await emulator.close();
    }
  });
});
