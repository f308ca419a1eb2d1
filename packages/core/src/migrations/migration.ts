import type { Knex } from 'knex';

/** One knex migration, named so that names stay unique across packages (`core/0001_initial`). */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * A knex MigrationSource over in-code migrations. Shipping migrations as code rather than files
 * keeps them working from `src` (tests), from `dist` and from a bundle alike.
 * Pass it as `knex.migrate.latest({ migrationSource })`; several packages' lists are combined
 * in the order given (core first, then packages that reference its tables).
 */
export function migrationSource(...lists: Migration[][]): Knex.MigrationSource<Migration> {
  const all = lists.flat();
  const names = new Set<string>();
  for (const m of all) {
    if (names.has(m.name)) throw new Error(`Duplicate migration name: ${m.name}`);
    names.add(m.name);
  }
  return {
    getMigrations: async () => all,
    getMigrationName: (m) => m.name,
    getMigration: async (m) => ({ up: (knex: Knex) => m.up(knex), down: (knex: Knex) => m.down(knex) }),
  };
}

/** True when knex talks to MySQL or MariaDB (which need charset and collation settings). */
export function isMysql(knex: Knex): boolean {
  const client = knex.client.config.client;
  return client === 'mysql' || client === 'mysql2';
}
