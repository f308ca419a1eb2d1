/**
 * Default apps and test users, and loading users from a JSON file. Nicknames deliberately hold
 * emoji (including a ZWJ sequence and a flag) and one private-use code point, as old accounts
 * have, so UTF-8 handling is exercised end to end. Region fields are empty and `sex` is 0, as
 * in real answers since 2021-10-20.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EmulatorAppInput, EmulatorUser } from './config.js';

const avatar = (id: string) => `https://thirdwx.qlogo.cn/mmopen/vi_32/emulator${id}/132`;

export const DEFAULT_USERS: readonly EmulatorUser[] = [
  {
    key: 'xiaoming',
    nickname: '小明🐱',
    sex: 0,
    province: '',
    city: '',
    country: '',
    headimgurl: avatar('XiaoMing'),
    privilege: [],
    language: 'zh_CN',
    phone: { countryCode: '86', number: '13800138001' },
  },
  {
    key: 'hanmeimei',
    nickname: '韩梅梅🌸✨',
    sex: 0,
    province: '',
    city: '',
    country: '',
    headimgurl: avatar('HanMeimei'),
    privilege: [],
    language: 'zh_CN',
    phone: { countryCode: '86', number: '13900139002' },
  },
  // No avatar: WeChat sends an empty headimgurl then.
  {
    key: 'lilei',
    nickname: '李雷👨‍💻',
    sex: 0,
    province: '',
    city: '',
    country: '',
    headimgurl: '',
    privilege: [],
    language: 'zh_CN',
    phone: { countryCode: '86', number: '15000150003' },
  },
  // A number outside China: WeChat's `phoneNumber` then carries the country code.
  {
    key: 'alice',
    nickname: 'Alice 🇬🇧',
    sex: 0,
    province: '',
    city: '',
    country: '',
    headimgurl: avatar('Alice'),
    privilege: ['chinaunicom'],
    language: 'en',
    phone: { countryCode: '44', number: '7911123456' },
  },
  // Older accounts carry emoji as private-use code points (U+E415 is a SoftBank smiley).
  {
    key: 'laowang',
    nickname: '老王\uE415',
    sex: 0,
    province: '',
    city: '',
    country: '',
    headimgurl: avatar('LaoWang'),
    privilege: [],
    language: 'zh_TW',
    phone: { countryCode: '86', number: '18600186005' },
  },
];

/** Open-platform account shared by the default apps, so their unionids match. */
export const DEFAULT_OPEN_PLATFORM_ID = 'emulator-open-platform';

export const DEFAULT_APPS: readonly EmulatorAppInput[] = [
  {
    appid: 'wx00000000000000a1',
    secret: 'emulator-website-secret',
    allowedCallbackHosts: ['localhost', '127.0.0.1'],
    openPlatformId: DEFAULT_OPEN_PLATFORM_ID,
    kind: 'website',
  },
  {
    appid: 'wx00000000000000b2',
    secret: 'emulator-oa-secret',
    allowedCallbackHosts: ['localhost', '127.0.0.1'],
    openPlatformId: DEFAULT_OPEN_PLATFORM_ID,
    kind: 'oa',
  },
  {
    appid: 'wx00000000000000c3',
    secret: 'emulator-miniprogram-secret',
    openPlatformId: DEFAULT_OPEN_PLATFORM_ID,
    kind: 'miniprogram',
  },
];

const userSchema = z.object({
  key: z.string().min(1),
  nickname: z.string(),
  sex: z.number().int().default(0),
  province: z.string().default(''),
  city: z.string().default(''),
  country: z.string().default(''),
  headimgurl: z.string().default(''),
  privilege: z.array(z.string()).default([]),
  language: z.string().default('zh_CN'),
  phone: z.object({ countryCode: z.string().regex(/^\d{1,4}$/), number: z.string().regex(/^\d{4,15}$/) }).optional(),
});

/** A users file holds either an array of users or `{ "users": [...] }`; only key and nickname are required. */
const usersFileSchema = z.union([z.array(userSchema), z.object({ users: z.array(userSchema) }).transform((f) => f.users)]);

/** Parses users from JSON text (as found in a users file). */
export function parseUsers(json: string, source = 'users file'): EmulatorUser[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new Error(`WeChat emulator: ${source} is not valid JSON: ${(error as Error).message}`);
  }
  const result = usersFileSchema.safeParse(data);
  if (!result.success) throw new Error(`WeChat emulator: ${source} is invalid:\n${z.prettifyError(result.error)}`);
  const keys = new Set<string>();
  for (const user of result.data) {
    if (keys.has(user.key)) throw new Error(`WeChat emulator: ${source} has the user key "${user.key}" twice`);
    keys.add(user.key);
  }
  return result.data;
}

/** Reads and validates a JSON file of test users; throws naming the file and field on bad input. */
export function loadUsersFile(path: string): EmulatorUser[] {
  return parseUsers(readFileSync(path, 'utf8'), path);
}
