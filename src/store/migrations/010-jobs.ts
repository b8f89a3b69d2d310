import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * `jobs`: the embedded job queue (src/jobs/embedded-queue.ts). Created on both databases so the schema
 * is one; on Postgres installs pg-boss keeps its jobs in its own schema and this table stays empty.
 *
 * state: queued | active | completed | failed. An active job is held until `locked_until`; past it the
 * worker is taken for dead and another may claim it. `attempt` counts claims and doubles as the claim's
 * token: a worker finishes a job only while the attempt it claimed is still the current one.
 * "One queued-or-active job per singleton key" is enforced by the queue inside its send transaction, not
 * by a partial unique index (which kysely's schema builder does not express for both databases).
 */
export const m010Jobs: Migration = {
  version: 10,
  name: 'jobs',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema
      .createTable('jobs')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('data', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('singleton_key', 'text')
      .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('retry_limit', 'integer', (c) => c.notNull())
      .addColumn('retry_delay', 'integer', (c) => c.notNull())
      .addColumn('expire_seconds', 'integer', (c) => c.notNull())
      .addColumn('start_after', ts, (c) => c.notNull())
      .addColumn('locked_until', ts)
      .addColumn('last_error', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('completed_at', ts)
      .execute()
    // Claiming: due jobs of one name in start order.
    await db.schema.createIndex('jobs_due').on('jobs').columns(['name', 'state', 'start_after']).execute()
    await db.schema.createIndex('jobs_singleton').on('jobs').columns(['name', 'singleton_key']).execute()
    // Dead letters for the admin page and the daily clean-up of completed jobs.
    await db.schema.createIndex('jobs_finished').on('jobs').columns(['state', 'completed_at']).execute()
  },
}
