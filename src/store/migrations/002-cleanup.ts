import type { Kysely } from 'kysely'
import type { Migration } from './index.js'

/** What cleaning removed or hid from an article, kept for inspection (JSON). */
export const m002Cleanup: Migration = {
  version: 2,
  name: 'article-cleanup',
  async up(db: Kysely<any>) {
    await db.schema.alterTable('articles').addColumn('cleanup', 'text').execute()
  },
}
