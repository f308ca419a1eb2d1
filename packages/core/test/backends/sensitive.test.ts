import { cleanseCredentials } from '../../src/backends/sensitive.js';

const SECRET = 'hunter2-do-not-leak';

describe('cleanseCredentials', () => {
  it('masks secrets under sensitive keys at the top level and in nested objects', () => {
    const out = cleanseCredentials({ username: 'ada', password: SECRET, extra: { apiKey: SECRET, note: 'ok' } });
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out.username).toBe('ada');
    expect((out.extra as Record<string, unknown>).note).toBe('ok');
  });

  it('masks secrets inside arrays', () => {
    const out = cleanseCredentials({ attempts: [{ code: SECRET }, { otp: 'x', token: SECRET }], tags: ['a', 'b'] });
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out.tags).toEqual(['a', 'b']);
  });

  it('masks structures nested deeper than it reads, rather than copying them unread', () => {
    const out = cleanseCredentials({ a: { b: { c: { d: { password: SECRET } } } }, list: [[[[{ secret: SECRET }]]]] });
    expect(JSON.stringify(out)).not.toContain(SECRET);
  });

  it('cuts long strings and returns {} for non-objects', () => {
    const out = cleanseCredentials({ username: 'x'.repeat(1000) });
    expect((out.username as string).length).toBeLessThanOrEqual(257);
    expect(cleanseCredentials('password')).toEqual({});
    expect(cleanseCredentials([{ password: SECRET }])).toEqual({});
  });
});
