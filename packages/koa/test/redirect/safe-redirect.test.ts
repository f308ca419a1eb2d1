import { isSafeRedirect, safeRedirectPath } from '../../src/redirect/safe-redirect.js';

// Known open-redirect payloads (Django's own tests, OWASP and PortSwigger cheat sheets). None
// may be followed, whatever allowedHosts says (none of them is an allowed absolute URL).
const UNSAFE: string[] = [
  // scheme-relative and slash/backslash variants
  '//evil.com',
  '///evil.com',
  '////evil.com',
  '//evil.com/path',
  '/\\evil.com',
  '/\\/evil.com',
  '\\\\evil.com',
  '\\/evil.com',
  '\\evil.com',
  '/\\\\evil.com',
  '//\\evil.com',
  '/../\\evil.com',
  '/foo\\bar',
  // dot segments that resolve to a scheme-relative-looking path
  '/..//evil.com',
  '/.//evil.com',
  '/a/..//evil.com',
  '/%2e%2e//evil.com',
  // absolute URLs to other hosts and other schemes
  'https://evil.com',
  'http://evil.com',
  'HTTPS://evil.com',
  'https://evil.com/profile',
  'ftp://evil.com',
  'https://example.com@evil.com',
  'https://evil.com#@example.com',
  'https:///evil.com',
  'http:/evil.com',
  'http:evil.com',
  'https:evil.com',
  'http:\\\\evil.com',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'javascript://%0aalert(1)',
  'javascript:alert(1)//',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'mailto:a@evil.com',
  // relative references whose meaning depends on the current URL
  'evil.com',
  'profile',
  '.',
  '..',
  '?next=1',
  '#top',
  'evil.com/path',
  // whitespace and control characters (browsers strip or drop them, then read //evil.com)
  ' //evil.com',
  '\t//evil.com',
  '\n//evil.com',
  '/\t/evil.com',
  '/\n/evil.com',
  '/\r/evil.com',
  '//evil.com\t',
  '\x00//evil.com',
  '\x01/evil.com',
  '\x1f//evil.com',
  '\x7f//evil.com',
  ' /profile',
  '/profile ',
  '/profile\r\nSet-Cookie: a=b',
  '/pro file',
  '\u00a0//evil.com',
  '\u2028//evil.com',
  '\ufeff//evil.com',
  // Unicode lookalikes of / and \ (fullwidth, division slash, fraction slash, small reverse solidus)
  '\uff0f\uff0fevil.com',
  '/\uff0fevil.com',
  '\u2215\u2215evil.com',
  '/\u2044evil.com',
  '\ufe68evil.com',
  '/\uff3cevil.com',
  '\u3002evil.com',
  '/caf\u00e9',
  // empty and non-strings
  '',
  '   ',
];

const NOT_STRINGS: unknown[] = [undefined, null, 0, 1, true, {}, [], ['/profile'], { toString: () => '/profile' }, new URL('http://x/a')];

// Same-origin absolute paths, including percent-encoded tricks the browser does not decode.
const SAFE_PATHS = [
  '/',
  '/profile',
  '/profile?x=1#y',
  '/profile?next=//evil.com',
  '/a/b/c.html',
  '/search?q=a%20b&lang=zh',
  '/%2F%2Fevil.com',
  '/%5Cevil.com',
  '/%09/evil.com',
  '/%E4%BD%A0%E5%A5%BD',
  '/@evil.com',
  '/.evil.com',
  '/path:with:colons',
  '/../%2Fevil.com',
  '/#//evil.com',
  '/?//evil.com',
];

describe('isSafeRedirect', () => {
  it.each(UNSAFE)('refuses %j', (url) => {
    expect(isSafeRedirect(url)).toBe(false);
    expect(isSafeRedirect(url, { allowedHosts: ['example.com'] })).toBe(false);
  });

  it.each(NOT_STRINGS)('refuses the non-string %p', (url) => {
    expect(isSafeRedirect(url)).toBe(false);
  });

  it.each(SAFE_PATHS)('allows the same-origin path %j', (url) => {
    expect(isSafeRedirect(url)).toBe(true);
    expect(isSafeRedirect(url, { requireHttps: true })).toBe(true);
  });

  it('allows absolute URLs only on allowed hosts', () => {
    const options = { allowedHosts: ['example.com', 'Admin.Example.com:8443'] };
    expect(isSafeRedirect('https://example.com/profile?x=1', options)).toBe(true);
    expect(isSafeRedirect('http://example.com/', options)).toBe(true);
    expect(isSafeRedirect('https://EXAMPLE.com', options)).toBe(true);
    expect(isSafeRedirect('https://example.com:443/a', options)).toBe(true);
    expect(isSafeRedirect('https://admin.example.com:8443/a', options)).toBe(true);
    // another port, a subdomain, a suffix trick, credentials
    expect(isSafeRedirect('https://example.com:8443/', options)).toBe(false);
    expect(isSafeRedirect('https://admin.example.com/', options)).toBe(false);
    expect(isSafeRedirect('https://sub.example.com/', options)).toBe(false);
    expect(isSafeRedirect('https://example.com.evil.com/', options)).toBe(false);
    expect(isSafeRedirect('https://evilexample.com/', options)).toBe(false);
    expect(isSafeRedirect('https://user:pw@example.com/', options)).toBe(false);
    expect(isSafeRedirect('https://evil.com\\@example.com/', options)).toBe(false);
    expect(isSafeRedirect('https:///example.com/', options)).toBe(false);
    expect(isSafeRedirect('//example.com/', options)).toBe(false);
    expect(isSafeRedirect('ftp://example.com/', options)).toBe(false);
    expect(isSafeRedirect('https://example.com/\tx', options)).toBe(false);
    // without allowedHosts no absolute URL passes, even to the app's own host
    expect(isSafeRedirect('https://example.com/')).toBe(false);
  });

  it('refuses http on allowed hosts when https is required', () => {
    const options = { allowedHosts: ['example.com'], requireHttps: true };
    expect(isSafeRedirect('http://example.com/', options)).toBe(false);
    expect(isSafeRedirect('https://example.com/', options)).toBe(true);
  });
});

describe('safeRedirectPath', () => {
  it.each(SAFE_PATHS)('returns the same-origin path %j unchanged', (url) => {
    expect(safeRedirectPath(url)).toBe(url);
  });

  it.each([...UNSAFE, ...NOT_STRINGS])('falls back for %j', (url) => {
    expect(safeRedirectPath(url)).toBe('/');
    expect(safeRedirectPath(url, '/home')).toBe('/home');
  });

  it('never returns an absolute URL, even to a host that would be allowed', () => {
    expect(safeRedirectPath('https://example.com/profile')).toBe('/');
  });
});
