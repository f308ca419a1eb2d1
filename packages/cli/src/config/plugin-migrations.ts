/**
 * The migrations of koa-auth plugins installed beside the CLI (optional peer dependencies): an
 * app that installs @koa-auth/wechat gets its tables from `migrate` without listing them.
 */
import type { Migration } from '@koa-auth/core';

interface Plugin {
  name: string;
  load(): Promise<Migration[]>;
}

const PLUGINS: readonly Plugin[] = [
  {
    name: '@koa-auth/wechat',
    // A variable specifier: TypeScript must not require the optional package at build time.
    load: async () => ((await import(specifier('@koa-auth/wechat'))) as { wechatMigrations: Migration[] }).wechatMigrations,
  },
];

/** The migrations of every installed plugin, in PLUGINS' order. */
export async function pluginMigrations(): Promise<Migration[]> {
  const found: Migration[] = [];
  for (const plugin of PLUGINS) {
    try {
      found.push(...(await plugin.load()));
    } catch (error) {
      if (!isNotInstalled(error, plugin.name)) throw error;
    }
  }
  return found;
}

function specifier(name: string): string {
  return name;
}

function isNotInstalled(error: unknown, name: string): boolean {
  const e = error as NodeJS.ErrnoException | null;
  return (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'MODULE_NOT_FOUND') && String(e.message).includes(name);
}
