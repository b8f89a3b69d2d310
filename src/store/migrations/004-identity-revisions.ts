import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'
import { identityKeys } from '../../pipeline/diff/url-key.js'

/**
 * Article identity beyond the exact GUID and URL: normalized URL keys (the article's own and its
 * page's canonical one), and tombstones for articles an operator deleted, so a refresh never brings
 * them back. Tombstones go with their source.
 */
export const m004IdentityRevisions: Migration = {
  version: 4,
  name: 'identity-revisions',
  async up(db: Kysely<any>, d: DialectSpec) {
    await db.schema.alterTable('articles').addColumn('url_key', 'text').execute()
    await db.schema.alterTable('articles').addColumn('canonical_key', 'text').execute()
    await db.schema.createIndex('articles_source_url_key').on('articles').columns(['source_id', 'url_key']).execute()
    await db.schema.createIndex('articles_source_canonical_key').on('articles').columns(['source_id', 'canonical_key']).execute()

    // Existing rows get their keys here, in batches, so matching works for them from the first refresh.
    let after = 0
    for (;;) {
      const rows: { id: number; url: string; canonical_url: string | null }[] = await db.selectFrom('articles')
        .select(['id', 'url', 'canonical_url']).where('id', '>', after).orderBy('id').limit(500).execute()
      if (rows.length === 0) break
      for (const r of rows) {
        const k = identityKeys({ url: r.url, canonicalUrl: r.canonical_url })
        if (k.urlKey || k.canonicalKey) {
          await db.updateTable('articles').set({ url_key: k.urlKey, canonical_key: k.canonicalKey }).where('id', '=', r.id).execute()
        }
      }
      after = rows[rows.length - 1]!.id
    }

    await db.schema
      .createTable('article_tombstones')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
      // The id the article had, so a save racing with the delete can say which article it was.
      .addColumn('article_id', 'integer', (c) => c.notNull())
      .addColumn('guid', 'text', (c) => c.notNull())
      .addColumn('url_key', 'text')
      .addColumn('canonical_key', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('deleted_at', d.timestampType, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('tombstones_source_guid').on('article_tombstones').columns(['source_id', 'guid']).execute()
    await db.schema.createIndex('tombstones_source_url_key').on('article_tombstones').columns(['source_id', 'url_key']).execute()
    await db.schema.createIndex('tombstones_source_canonical_key').on('article_tombstones').columns(['source_id', 'canonical_key']).execute()
    await db.schema.createIndex('tombstones_article').on('article_tombstones').column('article_id').execute()
  },
}
