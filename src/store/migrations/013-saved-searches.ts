import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'
import { authorSlug } from '../../pipeline/enrich/author-slug.js'

/**
 * Readers' saved searches (query and filters, a feed token for following it without cookies), and
 * the authors' slugs that author pages and the `author` list filter look up (see authorSlug).
 */
export const m013SavedSearches: Migration = {
  version: 13,
  name: 'saved-searches',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema.alterTable('authors').addColumn('slug', 'text').execute()
    const authors = await db.selectFrom('authors').select(['id', 'name']).execute() as { id: number; name: string }[]
    for (const a of authors) await db.updateTable('authors').set({ slug: authorSlug(a.name) }).where('id', '=', a.id).execute()
    await db.schema.createIndex('authors_slug').on('authors').column('slug').execute()
    await db.schema.createIndex('articles_author_sort').on('articles').columns(['author_id', 'sort_at', 'id']).execute()

    // source_id is a filter, not a reference: a removed source leaves a search that matches nothing.
    // from_date/to_date are calendar days (YYYY-MM-DD, UTC), both included.
    await db.schema
      .createTable('saved_searches')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('query', 'text', (c) => c.notNull())
      .addColumn('source_id', 'integer')
      .addColumn('lang', 'text')
      .addColumn('from_date', 'text')
      .addColumn('to_date', 'text')
      .addColumn('feed_token', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('saved_searches_user').on('saved_searches').columns(['user_id', 'id']).execute()
    await db.schema.createIndex('saved_searches_token').unique().on('saved_searches').column('feed_token').execute()
  },
}
