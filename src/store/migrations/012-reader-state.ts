import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * Reader apps (Google Reader and Fever APIs): each reader's app password (as the two protocols need
 * it, never in clear), the tokens ClientLogin hands out, and per-article read and starred state.
 *
 * State is kept compact: a reader's `read_before` horizon says that everything fetched up to then is
 * read, and `item_states` holds a row only where an article differs from that default (read after
 * the horizon, unread before it) or is starred.
 */
export const m012ReaderState: Migration = {
  version: 12,
  name: 'reader-state',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    // password_hash (scrypt) and fever_key (md5 of "name:password", the Fever protocol's own key) are
    // null once revoked; the row stays for read_before.
    await db.schema
      .createTable('reader_apps')
      .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('password_hash', 'text')
      .addColumn('fever_key', 'text')
      .addColumn('password_set_at', ts)
      .addColumn('read_before', ts)
      .execute()
    await db.schema.createIndex('reader_apps_fever_key').unique().on('reader_apps').column('fever_key').execute()

    // The id is the SHA-256 of the token the app holds.
    await db.schema
      .createTable('reader_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('reader_tokens_user').on('reader_tokens').column('user_id').execute()

    // is_read: 1 read, 0 unread, null as the horizon says (the row is then kept for its star).
    await db.schema
      .createTable('item_states')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('is_read', 'integer')
      .addColumn('read_changed_at', ts)
      .addColumn('starred_at', ts)
      .addPrimaryKeyConstraint('item_states_pk', ['user_id', 'article_id'])
      .execute()
    await db.schema.createIndex('item_states_starred').on('item_states').columns(['user_id', 'starred_at']).execute()
    await db.schema.createIndex('item_states_read').on('item_states').columns(['user_id', 'is_read']).execute()
    // Unread queries start from the articles fetched after the reader's horizon.
    await db.schema.createIndex('articles_fetched').on('articles').columns(['fetched_at', 'id']).execute()
  },
}
