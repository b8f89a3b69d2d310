import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * Polling politeness: when the current run of failures began and whether polling gave up on a source
 * (paused, with why), and the feed's own polling hints (ttl, skipHours, skipDays as JSON) so that a
 * 304 Not Modified refresh can still honour them.
 */
export const m005Politeness: Migration = {
  version: 5,
  name: 'politeness',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema.alterTable('sources').addColumn('failing_since', ts).execute()
    await db.schema.alterTable('sources').addColumn('paused_at', ts).execute()
    await db.schema.alterTable('sources').addColumn('pause_reason', 'text').execute()
    await db.schema.alterTable('sources').addColumn('poll_hints', 'text').execute()
  },
}
