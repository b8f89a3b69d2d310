import type { Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * AI: the built-in enrichment and the publisher's opt-out signals on each article, the operator's AI
 * policy and the site-wide signals on each source, and `ai_tasks`, which is both the queue of model work
 * and the cache of its results (one row per subject, feature, model, language and input).
 */
export const m008Ai: Migration = {
  version: 8,
  name: 'ai',
  async up(db: Kysely<any>, d: DialectSpec) {
    const ts = d.timestampType
    await db.schema.alterTable('articles').addColumn('enrichment', 'text').execute()
    await db.schema.alterTable('articles').addColumn('ai_optout', 'text').execute()
    await db.schema.alterTable('sources').addColumn('ai_policy', 'text', (c) => c.notNull().defaultTo('follow')).execute()
    await db.schema.alterTable('sources').addColumn('ai_optout', 'text').execute()

    // No foreign key on subject_id: it names an article or a story; deleting an article deletes its tasks (store code).
    await db.schema
      .createTable('ai_tasks')
      .addColumn('id', d.idType, (c) => d.idColumn(c))
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('subject_id', 'integer', (c) => c.notNull())
      .addColumn('feature', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('lang', 'text', (c) => c.notNull())
      .addColumn('input_key', 'text', (c) => c.notNull())
      .addColumn('input', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_try_at', ts, (c) => c.notNull())
      .addColumn('prompt_tokens', 'integer')
      .addColumn('completion_tokens', 'integer')
      .addColumn('latency_ms', 'integer')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('finished_at', ts)
      .execute()
    await db.schema.createIndex('ai_tasks_key').unique().on('ai_tasks')
      .columns(['subject', 'subject_id', 'feature', 'model', 'lang', 'input_key']).execute()
    await db.schema.createIndex('ai_tasks_due').on('ai_tasks').columns(['status', 'next_try_at']).execute()
  },
}
