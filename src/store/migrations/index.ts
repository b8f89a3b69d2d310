import { sql, type Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import { m001Initial } from './001-initial.js'
import { m002Cleanup } from './002-cleanup.js'
import { m003SourceRules } from './003-source-rules.js'
import { m004IdentityRevisions } from './004-identity-revisions.js'
import { m005Politeness } from './005-politeness.js'
import { m006WebSub } from './006-websub.js'
import { m007Stories } from './007-stories.js'
import { m008Ai } from './008-ai.js'
import { m009Accounts } from './009-accounts.js'
import { m010Jobs } from './010-jobs.js'
import { m011HostPacing } from './011-host-pacing.js'
import { m012ReaderState } from './012-reader-state.js'
import { m013SavedSearches } from './013-saved-searches.js'
import { m014FetchLog } from './014-fetch-log.js'
import { m015StoredPages } from './015-stored-pages.js'

export interface Migration {
  version: number
  name: string
  up(db: Kysely<any>, d: DialectSpec): Promise<void>
}

/** In order; never edit one that has shipped: add the next. */
export const MIGRATIONS: Migration[] = [m001Initial, m002Cleanup, m003SourceRules, m004IdentityRevisions, m005Politeness, m006WebSub, m007Stories, m008Ai, m009Accounts, m010Jobs, m011HostPacing, m012ReaderState, m013SavedSearches, m014FetchLog, m015StoredPages]

/** Applies pending migrations, each in its own transaction. Safe to call on every start. */
export async function migrate(db: Kysely<any>, d: DialectSpec): Promise<number[]> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute()
  const applied: number[] = []
  for (const m of MIGRATIONS) {
    await db.transaction().execute(async (trx) => {
      if (d.name === 'postgres') await sql`select pg_advisory_xact_lock(727101)`.execute(trx) // one migrator at a time
      const done = await trx.selectFrom('schema_migrations').select('version').where('version', '=', m.version).executeTakeFirst()
      if (done) return
      await m.up(trx, d)
      await trx.insertInto('schema_migrations').values({ version: m.version, name: m.name, applied_at: new Date().toISOString() }).execute()
      applied.push(m.version)
    })
  }
  return applied
}
