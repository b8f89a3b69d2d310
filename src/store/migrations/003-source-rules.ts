import type { Kysely } from 'kysely'
import type { Migration } from './index.js'

/** Sources without a feed: the operator's link rule for a site page, and the links it last picked (both JSON). */
export const m003SourceRules: Migration = {
  version: 3,
  name: 'source-rules',
  async up(db: Kysely<any>) {
    await db.schema.alterTable('sources').addColumn('rule', 'text').execute()
    await db.schema.alterTable('sources').addColumn('picked_links', 'text').execute()
  },
}
