/**
 * WeChat API error bodies (§4, §9): `{ errcode, errmsg }` with a `, rid: …` suffix on errmsg, always
 * sent with HTTP 200. Messages for 41009/42002/42003 are not confirmed [?].
 */
import { newRid } from './ids.js';

export const ERRMSG = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40030: 'invalid refresh_token',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'high risk user, login blocked',
  41001: 'access_token missing',
  41002: 'appid missing',
  41003: 'refresh_token missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41009: 'missing openid',
  42001: 'access_token expired',
  42002: 'refresh_token expired',
  42003: 'code expired',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  48001: 'api unauthorized',
} as const;

export type Errcode = keyof typeof ERRMSG;

export interface ErrorBody {
  errcode: number;
  errmsg: string;
}

export function errorBody(errcode: Errcode): ErrorBody {
  return { errcode, errmsg: `${ERRMSG[errcode]}, rid: ${newRid()}` };
}
