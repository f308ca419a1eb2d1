import { describe, expect, test } from '@jest/globals';
import { html, jsonScript, raw } from '../src/pages/html.js';
import { formField } from '../src/pages/form-field.js';

describe('html', () => {
  test('escapes every interpolated value, keeps nested html, drops empty values', () => {
    const name = '<img src=x onerror=alert(1)>"\'`&';
    const out = html`<p title="${name}">${name}${html`<b>${'ok'}</b>`}${null}${false}${[name, raw('<i>')]}</p>`.value;
    expect(out).toBe(
      '<p title="&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#96;&#38;">&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#96;&#38;<b>ok</b>&#60;img src=x onerror=alert(1)&#62;&#34;&#39;&#96;&#38;<i></p>',
    );
  });

  test('JSON for a script element cannot close it', () => {
    const out = jsonScript('page-data', { next: '</script><script>alert(1)</script>', line: '\u2028' }).value;
    expect(out).not.toContain('</script><script>');
    expect(out).toContain('\\u003c/script>');
    expect(JSON.parse(out.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, ''))).toEqual({ next: '</script><script>alert(1)</script>', line: '\u2028' });
  });

  test('form fields have stable ids and escape their value', () => {
    const out = formField({ form: 'profile', name: 'nickname', label: 'Nickname', value: '"><script>' }).value;
    expect(out).toContain('id="profile-nickname" name="nickname"');
    expect(out).toContain('id="profile-nickname-error" data-error-for="nickname"');
    expect(out).toContain('value="&#34;&#62;&#60;script&#62;"');
  });
});
