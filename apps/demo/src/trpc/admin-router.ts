/**
 * `admin.*`: data for the admin page. Every procedure needs `auth.view_user` (403 without it,
 * 401 when logged out), checked again on each call: the page's own guard is not enough, the
 * API is reachable without the page.
 */
import { CANONICAL_COLUMNS } from '@koa-auth/core/internal';
import { permissionProcedure, publicUser, router, type PublicUser } from '@koa-auth/koa';
import { parseUserSearch } from './input.js';

/** One row of the user list: the public view, the phone as people write it, and how many WeChat accounts are linked. */
export type AdminUserRow = PublicUser & { phoneDisplay: string | null; wechatAccounts: number };

const PAGE_SIZE = 100;

export function createAdminRouter() {
  return router({
    /** The first 100 users (oldest first) matching `search`, and how many match in all. */
    users: permissionProcedure('auth.view_user')
      .input(parseUserSearch)
      .query(async ({ ctx, input }) => {
        const { auth } = ctx;
        const table = auth.userModel.tableName;
        const query = auth.userModel.query(auth.knex);
        if (input.search) {
          // Case-insensitive on every database (MySQL keeps identifiers in a binary collation):
          // usernames and emails are matched on their canonical columns with the search text in
          // the same canonical form (core's one definition), the rest with lower(). LIKE
          // wildcards typed by the admin are taken literally; '!' escapes them because a
          // backslash would itself need escaping in MySQL string literals.
          const like = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
          const patterns: [string, string][] = [
            [CANONICAL_COLUMNS.username, like(auth.users.canonicalIdentifier('username', input.search))],
            [CANONICAL_COLUMNS.email, like(auth.users.canonicalIdentifier('email', input.search))],
          ];
          query.where((q) => {
            for (const [column, pattern] of patterns) q.orWhereRaw(`?? like ? escape '!'`, [`${table}.${column}`, pattern]);
            for (const column of ['username', 'phone', 'nickname'])
              q.orWhereRaw(`lower(??) like ? escape '!'`, [`${table}.${column}`, like(input.search.toLowerCase())]);
          });
        }
        const total = Number(((await query.clone().count({ n: '*' }).first()) as unknown as { n: number | string } | undefined)?.n ?? 0);
        const users = await query.orderBy(`${table}.id`).limit(PAGE_SIZE);
        const counts = await linkedWechatAccounts(
          auth.knex,
          users.map((u) => u.id),
        );
        const rows: AdminUserRow[] = users.map((u) => ({
          ...publicUser(auth, u),
          phoneDisplay: u.phone ? auth.users.formatPhone(u.phone) : null,
          wechatAccounts: counts.get(u.id) ?? 0,
        }));
        return { users: rows, total };
      }),
  });
}

type Knex = Parameters<typeof publicUser>[0]['knex'];

async function linkedWechatAccounts(knex: Knex, userIds: number[]): Promise<Map<number, number>> {
  if (userIds.length === 0) return new Map();
  const rows = (await knex('wechat_profile').whereIn('user_id', userIds).groupBy('user_id').select('user_id').count({ n: '*' })) as {
    user_id: number;
    n: number | string;
  }[];
  return new Map(rows.map((r) => [Number(r.user_id), Number(r.n)]));
}
