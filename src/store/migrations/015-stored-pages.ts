import { sql, type Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import type { Migration } from './index.js'

/**
 * `stored_pages`: article pages as they were rendered for anonymous readers, gzipped, with the headers
 * of their answer (web/stored-pages.ts). A cache: any row may go at any time, and the site renders the
 * page again.
 *
 * Triggers drop a page whenever something it shows changes, whichever process wrote it (a worker, the
 * CLI, another web process): the article itself, its hashtags, its comments, its AI results, its story
 * (coverage, the original), its source's name, address or AI policy, its author's name or bio; and every
 * page when a site setting changes. What they do not see (the related list going stale as new articles
 * arrive, relative times) the row's `fresh_until` bounds.
 *
 * Every trigger also moves the drop counter on (`stored_pages_epoch`: a one-row table on SQLite, a
 * sequence on Postgres). A page is stored only if the counter has not moved since its rendering began
 * (Store.putStoredPage), so a page rendered from what a concurrent write was replacing is not kept.
 *
 * `id` is a hash of the page's key (`page_key`, checked on reading): the lookup a reader's request waits
 * on is one by integer primary key, the cheapest there is.
 */
export const m015StoredPages: Migration = {
  version: 15,
  name: 'stored-pages',
  async up(db: Kysely<any>, d: DialectSpec) {
    const pg = d.name === 'postgres'
    await db.schema
      .createTable('stored_pages')
      .addColumn('id', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
      .addColumn('page_key', 'text', (c) => c.notNull())
      .addColumn('article_id', 'integer', (c) => c.notNull())
      .addColumn('source_id', 'integer', (c) => c.notNull())
      .addColumn('story_id', 'integer')
      // What rendered it (the code and the settings that shape a page): another build's pages are not served.
      .addColumn('build', 'text', (c) => c.notNull())
      .addColumn('body', pg ? 'bytea' : 'blob', (c) => c.notNull())
      .addColumn('headers', 'text', (c) => c.notNull())
      .addColumn('etag', 'text', (c) => c.notNull())
      // Epoch milliseconds.
      .addColumn('rendered_at', 'bigint', (c) => c.notNull())
      .addColumn('fresh_until', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('stored_pages_article').on('stored_pages').column('article_id').execute()
    await db.schema.createIndex('stored_pages_source').on('stored_pages').column('source_id').execute()
    await db.schema.createIndex('stored_pages_story').on('stored_pages').column('story_id').execute()

    if (pg) {
      await sql`create sequence stored_pages_epoch`.execute(db)
      // Called once, so that `last_value` moves with the first drop.
      await sql`select nextval('stored_pages_epoch')`.execute(db)
    }
    if (!pg) {
      await db.schema.createTable('stored_pages_epoch').addColumn('n', 'integer', (c) => c.notNull()).execute()
      await sql`insert into stored_pages_epoch (n) values (0)`.execute(db)
    }

    /** [table, events, condition or null, which pages go (a condition on stored_pages, NEW/OLD as `r`)] */
    const rules: [string, string, string | null, string][] = [
      ['articles', 'update', null, 'article_id = r.id'],
      ['articles', 'delete', null, 'article_id = r.id'],
      ['article_tags', 'insert', null, 'article_id = r.article_id'],
      ['article_tags', 'delete', null, 'article_id = r.article_id'],
      ['comments', 'insert', "r.subject = 'article'", 'article_id = r.subject_id'],
      ['comments', 'update', "r.subject = 'article'", 'article_id = r.subject_id'],
      ['comments', 'delete', "r.subject = 'article'", 'article_id = r.subject_id'],
      ['ai_tasks', 'insert', "r.subject = 'article'", 'article_id = r.subject_id'],
      ['ai_tasks', 'update', "r.subject = 'article'", 'article_id = r.subject_id'],
      ['stories', 'update', null, 'story_id = r.id'],
      ['stories', 'delete', null, 'story_id = r.id'],
      ['sources', 'update', 'old.title IS DISTINCT FROM new.title OR old.site_url IS DISTINCT FROM new.site_url OR old.ai_policy IS DISTINCT FROM new.ai_policy OR old.ai_optout IS DISTINCT FROM new.ai_optout', 'source_id = r.id'],
      ['sources', 'delete', null, 'source_id = r.id'],
      ['authors', 'update', 'old.name IS DISTINCT FROM new.name OR old.bio IS DISTINCT FROM new.bio OR old.slug IS DISTINCT FROM new.slug', 'article_id IN (SELECT id FROM articles WHERE author_id = r.id)'],
      ['settings', 'insert', null, 'true'],
      ['settings', 'update', null, 'true'],
    ]
    for (const [table, event, when, which] of rules) {
      const row = event === 'delete' ? 'old' : 'new'
      const name = `stored_pages_drop_${table}_${event}`
      const cond = when?.replaceAll('r.', `${row}.`)
      const target = which.replaceAll('r.', `${row}.`)
      if (pg) {
        await sql.raw(`create or replace function ${name}() returns trigger language plpgsql as $$
          begin delete from stored_pages where ${target}; perform nextval('stored_pages_epoch'); return null; end $$`).execute(db)
        await sql.raw(`create trigger ${name} after ${event} on ${table} for each row${cond ? ` when (${cond})` : ''} execute function ${name}()`).execute(db)
      } else {
        // SQLite spells IS DISTINCT FROM as IS NOT.
        await sql.raw(`create trigger ${name} after ${event} on ${table} for each row${cond ? ` when ${cond.replaceAll('IS DISTINCT FROM', 'IS NOT')}` : ''}
          begin delete from stored_pages where ${target}; update stored_pages_epoch set n = n + 1; end`).execute(db)
      }
    }
  },
}
