/**
 * A WeChat identity linked (or not yet linked) to a user: the `WechatUserProfile` of a Django
 * WeChat login, keyed as WeChat's identifiers require: an openid names a person within one app
 * only, the unionid across every app of one open-platform account. So: one row per app identity
 * (`appid` + `openid`, unique); all rows of one person share the `unionid` (indexed, not unique),
 * which is how a login through a new app of the same open-platform account finds the person's user.
 *
 * Snapshot-mode users (`is_snapshotuser = 1`) are virtual accounts and are never stored. No
 * WeChat token is ever stored either: the row holds only what `/sns/userinfo` shows.
 */
import { toDate } from '@koa-auth/core/internal';
import { Model, snakeCaseColumns, type Pojo } from './objection-model.js';

/**
 * One WeChat app identity (`appid` + `openid`, unique) and the profile `/sns/userinfo` showed,
 * linked to a user or to nobody yet; rows of one person share `unionid`. Holds no token.
 */
export class WechatProfile extends Model {
  static override tableName = 'wechat_profile';
  static override columnNameMappers: typeof Model.columnNameMappers = snakeCaseColumns;

  declare id: number;
  /** The linked user; null while the identity is known but linked to nobody. */
  declare userId: number | null;
  /** The app this identity belongs to (website app, Official Account, Mini Program…). */
  declare appid: string;
  /** The user's id within `appid`. */
  declare openid: string;
  /** The user's id within the open-platform account; null when WeChat did not send one. */
  declare unionid: string | null;
  /**
   * `unionid` on the first row recorded for that unionid, null on the person's other rows;
   * unique, so concurrent first logins of one person through several apps found one account.
   */
  declare unionidAnchor: string | null;
  /** UTF-8 with emoji (stored as utf8mb4 on MySQL/MariaDB); may be empty. */
  declare nickname: string;
  /** Avatar URL; empty when the user has none. WeChat retires the URL when the user changes avatar. */
  declare headimgurl: string;
  /** Always 0 since 2021-10-20. */
  declare sex: number;
  declare province: string;
  declare city: string;
  declare country: string;
  declare language: string;
  declare privilege: string[];
  declare createdAt: Date;
  declare updatedAt: Date;

  /** A row as read: `privilege` as a string array (bad JSON gives []), `sex` a number, timestamps Dates. */
  override $parseDatabaseJson(json: Pojo): Pojo {
    const parsed = super.$parseDatabaseJson(json);
    if ('privilege' in parsed) parsed.privilege = parsePrivilege(parsed.privilege);
    if ('sex' in parsed) parsed.sex = Number(parsed.sex) || 0;
    for (const key of ['createdAt', 'updatedAt']) {
      if (key in parsed) parsed[key] = toDate(parsed[key]);
    }
    return parsed;
  }

  /** A row to write: `privilege` as JSON text, the same on SQLite and MySQL. */
  override $formatDatabaseJson(json: Pojo): Pojo {
    const formatted = { ...json };
    // A JSON text column: portable across SQLite and MySQL without JSON-type quirks.
    if (Array.isArray(formatted.privilege)) formatted.privilege = JSON.stringify(formatted.privilege);
    return super.$formatDatabaseJson(formatted);
  }
}

function parsePrivilege(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string' || value === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
