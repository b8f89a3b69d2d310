import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely'
import type { DB } from '../schema.js'
import type { DialectSpec } from './dialect.js'
import { toFts5 } from '../search-query.js'

export const sqliteSpec: DialectSpec = {
  name: 'sqlite',
  idType: 'integer',
  idColumn: (c) => c.primaryKey().autoIncrement(),
  timestampType: 'text',
  async createSearchIndex(db) {
    // External-content FTS5: the text lives once, in articles; triggers keep the index in step.
    await sql`create virtual table articles_fts using fts5(title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(db)
    await sql`create trigger articles_fts_ai after insert on articles begin
      insert into articles_fts(rowid, title, text) values (new.id, new.title, new.text); end`.execute(db)
    await sql`create trigger articles_fts_ad after delete on articles begin
      insert into articles_fts(articles_fts, rowid, title, text) values ('delete', old.id, old.title, old.text); end`.execute(db)
    await sql`create trigger articles_fts_au after update of title, text on articles begin
      insert into articles_fts(articles_fts, rowid, title, text) values ('delete', old.id, old.title, old.text);
      insert into articles_fts(rowid, title, text) values (new.id, new.title, new.text); end`.execute(db)
  },
  searchMatches(parsed, { window, filter }) {
    const expr = toFts5(parsed)
    if (expr === null) return null
    // FTS5 walks the match list newest first and stops at the window; bm25 is computed for those rows only.
    return sql<{ id: number; rank: number }>`select f.rowid as id, bm25(articles_fts, 8.0, 1.0) as rank
      from articles_fts f join articles a on a.id = f.rowid
      where articles_fts match ${expr}${filter ? sql` and ${filter}` : sql``}
      order by f.rowid desc limit ${window}`
  },
}

/** `sqlite:./data/tidings.db`, `sqlite::memory:` or a bare path. */
export function openSqlite(url: string): Kysely<DB> {
  const path = url.replace(/^sqlite:(\/\/)?/, '') || ':memory:'
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = new Database(path)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  // 64 MB of page cache (the default is 2 MB): a reading site touches the same recent pages all day.
  database.pragma('cache_size = -65536')
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) })
}

/** Prepared statements kept per connection; the store's queries are a few hundred distinct texts. */
const STATEMENTS = 500

/**
 * The connection with its prepared statements kept by SQL text. Kysely prepares every query anew,
 * and on a page's short queries parsing the SQL costs more than running it. Safe because the driver
 * runs one statement at a time to completion (`all` or `run`; nothing here streams), and SQLite
 * re-prepares a kept statement itself when a migration changes the schema.
 */
export function withStatementCache(db: Database.Database, max = STATEMENTS): SqliteDatabase {
  const kept = new Map<string, Database.Statement>()
  return {
    close: () => { kept.clear(); db.close() },
    prepare(text: string) {
      let st = kept.get(text)
      if (st) {
        // Most recently used last: the first key is the one to drop.
        kept.delete(text)
      } else {
        st = db.prepare(text)
        if (kept.size >= max) kept.delete(kept.keys().next().value!)
      }
      kept.set(text, st)
      return st
    },
  }
}
