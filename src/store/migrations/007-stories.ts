import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * Stories (clusters of articles about one event) and the operator's split and merge decisions. A
 * story's id is the id of the article that started it, but it is no foreign key: the story outlives
 * that article (its title is copied), and an emptied story keeps its row so decisions still name it.
 */
export const m007Stories: Migration = {
  version: 7,
  name: 'stories',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema
      .createTable('stories')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('first_at', ts, (c) => c.notNull())
      .addColumn('last_at', ts, (c) => c.notNull())
      .addColumn('article_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('source_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('stories_last').on('stories').columns(['last_at', 'id']).execute()

    // No foreign key on story_id either: stories are never deleted, and the counts are kept by the store.
    await db.schema.alterTable('articles').addColumn('story_id', 'integer').execute()
    await db.schema.alterTable('articles').addColumn('duplicate_of', 'integer').execute()
    // double precision, not real: Postgres's real is 4 bytes and would hand back 0.550000011920929.
    await db.schema.alterTable('articles').addColumn('story_similarity', 'double precision').execute()
    await db.schema.alterTable('articles').addColumn('placed_by', 'text').execute()
    await db.schema.createIndex('articles_story').on('articles').columns(['story_id', 'sort_at']).execute()

    await db.schema
      .createTable('story_decisions')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('article_id', 'integer')
      .addColumn('from_story', 'integer', (c) => c.notNull())
      .addColumn('to_story', 'integer', (c) => c.notNull())
      .addColumn('at', ts, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('story_decisions_from').on('story_decisions').column('from_story').execute()
    await db.schema.createIndex('story_decisions_to').on('story_decisions').column('to_story').execute()
  },
}
