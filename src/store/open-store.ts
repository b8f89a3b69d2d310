import type { Store } from './store.js'
import { KyselyStore } from './kysely-store.js'
import { migrate } from './migrations/index.js'
import { openSqlite, sqliteReadConnection, sqliteSpec } from './dialects/sqlite.js'
import { openPostgres, postgresSpec } from './dialects/postgres.js'

/** Opens the store named by a database URL and brings its schema up to date. */
export async function openStore(url: string, opts: { schema?: string } = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const db = openPostgres(url, opts)
    if (opts.schema) {
      const { sql } = await import('kysely')
      await sql`create schema if not exists ${sql.id(opts.schema)}`.execute(db)
    }
    await migrate(db, postgresSpec)
    return new KyselyStore(db, postgresSpec)
  }
  const db = openSqlite(url)
  await migrate(db, sqliteSpec)
  return new KyselyStore(db, sqliteSpec, sqliteReadConnection(url))
}
