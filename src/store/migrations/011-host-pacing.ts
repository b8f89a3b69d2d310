import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * Per-host pacing shared by every worker process: the token bucket's "theoretical arrival time"
 * (GCRA) per host, in epoch milliseconds, advanced atomically by each request start.
 */
export const m011HostPacing: Migration = {
  version: 11,
  name: 'host-pacing',
  async up(db: Kysely<any>, _d: DialectSpec) {
    await db.schema
      .createTable('host_pacing')
      .addColumn('host', 'text', (c) => c.primaryKey())
      .addColumn('tat', 'bigint', (c) => c.notNull())
      .execute()
  },
}
