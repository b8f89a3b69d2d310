import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/** WebSub subscriptions (one per source), and on sources the time until which push can be relied on. */
export const m006WebSub: Migration = {
  version: 6,
  name: 'websub',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema
      .createTable('websub_subscriptions')
      .addColumn('source_id', 'integer', (c) => c.primaryKey().references('sources.id').onDelete('cascade'))
      .addColumn('hub', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .addColumn('secret', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('lease_seconds', 'integer')
      .addColumn('lease_expires_at', ts)
      .addColumn('renew_at', ts)
      .addColumn('requested_at', ts)
      .addColumn('verified_at', ts)
      .addColumn('last_push_at', ts)
      .addColumn('last_error_code', 'text')
      .addColumn('last_error_message', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('websub_renew').on('websub_subscriptions').column('renew_at').execute()
    await db.schema.alterTable('sources').addColumn('push_active_until', ts).execute()
  },
}
