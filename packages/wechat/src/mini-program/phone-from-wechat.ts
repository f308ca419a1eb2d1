/** A WeChat phone answer as the E.164 number koa-auth stores, through core's one phone normalisation. */
import type { AbstractUser, Auth } from '@koa-auth/core';
import type { WechatPhoneInfo } from '../client/mini-program-schemas.js';

/**
 * The number in E.164, or null when it is not a valid number. Read from `countryCode` +
 * `purePhoneNumber` (unambiguous), else from `phoneNumber` in the app's phone region
 * (createAuth's `phoneRegion`): Chinese numbers come without their country code there.
 */
export function phoneFromWechat(auth: Auth<AbstractUser>, info: WechatPhoneInfo): string | null {
  const countryCode = info.countryCode.replace(/^\+/, '');
  const fromParts =
    /^\d{1,4}$/.test(countryCode) && /^\d{4,15}$/.test(info.purePhoneNumber) ? auth.users.normalizePhone(`+${countryCode}${info.purePhoneNumber}`) : null;
  return fromParts ?? auth.users.normalizePhone(info.phoneNumber);
}
