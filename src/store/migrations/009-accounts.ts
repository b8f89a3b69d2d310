import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * Readers: accounts, their sessions, their comments on articles and stories, the reports other readers
 * make on them, and fixed-window rate limits shared by every process on the database.
 */
export const m009Accounts: Migration = {
  version: 9,
  name: 'accounts',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    // name_key is the name lower-cased in JS (not SQL lower(), whose idea of case differs between the two
    // databases): names are unique without regard to case and shown as their owner typed them.
    await db.schema
      .createTable('users')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('reader'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('password_changed_at', ts, (c) => c.notNull())
      .addColumn('banned_at', ts)
      .addColumn('ban_reason', 'text')
      .addColumn('published_comments', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reset_token_hash', 'text')
      .addColumn('reset_expires_at', ts)
      .execute()
    await db.schema.createIndex('users_name_key').unique().on('users').column('name_key').execute()
    await db.schema.createIndex('users_reset_token').on('users').column('reset_token_hash').execute()

    // The id is the SHA-256 of the cookie's token: the database never holds the token itself.
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('last_seen_at', ts, (c) => c.notNull())
      .addColumn('expires_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()

    // No foreign key on subject_id: it names an article or a story (like ai_tasks). Comments are not
    // deleted but marked `deleted`; should a parent row go (its author removed), its replies go with it.
    await db.schema
      .createTable('comments')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'integer', (c) => c.notNull())
      .addColumn('parent_id', 'integer', (c) => c.references('comments.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_reason', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('edited_at', ts)
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('comments_subject').on('comments').columns(['subject', 'subject_id', 'created_at']).execute()
    await db.schema.createIndex('comments_status').on('comments').column('status').execute()
    // countUserComments runs on every new comment (rate and hold rules).
    await db.schema.createIndex('comments_user').on('comments').columns(['user_id', 'created_at']).execute()

    await db.schema
      .createTable('comment_reports')
      .addColumn('comment_id', 'integer', (c) => c.notNull().references('comments.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('resolved_at', ts)
      .addPrimaryKeyConstraint('comment_reports_pk', ['comment_id', 'user_id'])
      .execute()

    // window_ms is bigint: Postgres's integer ends at about 24.8 days of milliseconds.
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', ts, (c) => c.notNull())
      .addColumn('window_ms', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute()
  },
}
