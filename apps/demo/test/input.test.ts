import { describe, expect, test } from '@jest/globals';
import { ValidationError } from '@koa-auth/core';
import { parseProfilePatch, parseUserSearch } from '../src/trpc/input.js';

describe('parseProfilePatch', () => {
  test('trims, and turns an empty avatar or phone into null', () => {
    expect(parseProfilePatch({ nickname: ' 小明🐱 ', avatar: '', phone: ' ' })).toEqual({ nickname: '小明🐱', avatar: null, phone: null });
    expect(parseProfilePatch({})).toEqual({});
  });

  test('refuses other fields, other types and overlong values, per field', () => {
    let error: unknown;
    try {
      parseProfilePatch({ isSuperuser: true, nickname: 5, avatar: `https://x/${'a'.repeat(2000)}` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fields).sort()).toEqual(['avatar', 'isSuperuser', 'nickname']);
    expect(() => parseProfilePatch(null)).toThrow(ValidationError);
    expect(() => parseProfilePatch(['nickname'])).toThrow(ValidationError);
  });
});

describe('parseUserSearch', () => {
  test('optional, trimmed, bounded', () => {
    expect(parseUserSearch(undefined)).toEqual({ search: '' });
    expect(parseUserSearch({ search: ' bob ' })).toEqual({ search: 'bob' });
    expect(() => parseUserSearch({ search: 'x'.repeat(101) })).toThrow(ValidationError);
    expect(() => parseUserSearch({ search: 3 })).toThrow(ValidationError);
  });
});
