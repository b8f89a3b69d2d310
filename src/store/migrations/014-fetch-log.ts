import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * `fetch_log`: one row per refresh attempt of a source (the ingestion health dashboard reads it).
 * Rows older than 30 days are pruned (Store.pruneFetchLog), so its size follows the number of sources
 * and how often they are polled, not the age of the install. Removing a source removes its rows.
 */
export const m014FetchLog: Migration = {
  version: 14,
  name: 'fetch-log',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema
      .createTable('fetch_log')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
      .addColumn('started_at', ts, (c) => c.notNull())
      // updated | not_modified | error
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('http_status', 'integer')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('bytes', 'bigint')
      .addColumn('items_seen', 'integer', (c) => c.notNull())
      .addColumn('created', 'integer', (c) => c.notNull())
      .addColumn('updated', 'integer', (c) => c.notNull())
      .addColumn('queued', 'integer', (c) => c.notNull())
      .addColumn('full_text', 'integer', (c) => c.notNull())
      .addColumn('feed_fallback', 'integer', (c) => c.notNull())
      .addColumn('mojibake_repaired', 'integer', (c) => c.notNull())
      .addColumn('charset_guessed', 'integer', (c) => c.notNull())
      .addColumn('item_errors', 'integer', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .execute()
    await db.schema.createIndex('fetch_log_source_time').on('fetch_log').columns(['source_id', 'started_at']).execute()
    // Pruning and the dashboard's windows.
    await db.schema.createIndex('fetch_log_time').on('fetch_log').columns(['started_at']).execute()
  },
}
