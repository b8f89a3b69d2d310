import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

export const m001Initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema
      .createTable('sources')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull().unique())
      .addColumn('site_url', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('language', 'text')
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error_code', 'text')
      .addColumn('last_error_message', 'text')
      .addColumn('last_fetched_at', ts)
      .addColumn('last_success_at', ts)
      .addColumn('next_check_at', ts, (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('sources_next_check').on('sources').column('next_check_at').execute()

    await db.schema
      .createTable('authors')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('bio', 'text')
      .execute()

    await db.schema
      .createTable('articles')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
      .addColumn('guid', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('canonical_url', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('author_id', 'integer', (c) => c.references('authors.id').onDelete('set null'))
      .addColumn('published', ts)
      .addColumn('updated', ts)
      .addColumn('fetched_at', ts, (c) => c.notNull())
      .addColumn('sort_at', ts, (c) => c.notNull())
      .addColumn('lang', 'text')
      .addColumn('summary', 'text')
      .addColumn('blocks', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .addColumn('lead_image', 'text')
      .addColumn('captions', 'text', (c) => c.notNull())
      .addColumn('alt_links', 'text', (c) => c.notNull())
      .addColumn('item_hash', 'text', (c) => c.notNull())
      .addColumn('extract_error', 'text')
      .addColumn('revised_at', ts)
      .addUniqueConstraint('articles_source_guid', ['source_id', 'guid'])
      .execute()
    await db.schema.createIndex('articles_sort').on('articles').columns(['sort_at', 'id']).execute()
    await db.schema.createIndex('articles_source_sort').on('articles').columns(['source_id', 'sort_at', 'id']).execute()
    await db.schema.createIndex('articles_url').on('articles').column('url').execute()

    await db.schema
      .createTable('revisions')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('html', 'text', (c) => c.notNull())
      .addColumn('replaced_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('revisions_article').on('revisions').column('article_id').execute()

    await db.schema
      .createTable('tags')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('label', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('article_tags')
      .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
      .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
      .execute()
    await db.schema.createIndex('article_tags_tag').on('article_tags').columns(['tag_id', 'article_id']).execute()

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute()

    await d.createSearchIndex(db)
  },
}
