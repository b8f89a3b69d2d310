import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { CompiledQuery, Kysely, SqliteDialect, sql, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase } from 'kysely'
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

/** The file of `sqlite:./data/tidings.db`, `sqlite::memory:` or a bare path. */
const sqlitePath = (url: string) => url.replace(/^sqlite:(\/\/)?/, '') || ':memory:'

export function openSqlite(url: string): Kysely<DB> {
  const path = sqlitePath(url)
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = new Database(path)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  // 64 MB of page cache (the default is 2 MB): a reading site touches the same recent pages all day.
  database.pragma('cache_size = -65536')
  // Reads map the file instead of copying each page through a system call (a stored page, 8 KB over
  // three overflow pages, is read in half the time). Address space only: the memory is the kernel's
  // page cache, shared and given back under pressure.
  database.pragma(`mmap_size = ${MMAP_BYTES}`)
  return new Kysely<DB>({ dialect: new FairSqliteDialect(withStatementCache(database)) })
}

/**
 * A read-only connection to the same file, for reads that must not wait (the stored pages'): in WAL
 * mode it reads the last commit beside the writing connection, and takes no turn in its lock. It never
 * waits for a lock either (busy_timeout 0: it would stop the event loop): a busy file throws, and the
 * caller asks the main connection instead. None for an in-memory database (another connection would
 * open another, empty, database).
 */
export function sqliteReadConnection(url: string): (() => Database.Database) | undefined {
  const path = sqlitePath(url)
  if (path === ':memory:' || path.startsWith('file:')) return undefined
  return () => {
    const db = new Database(path, { readonly: true, fileMustExist: true })
    db.pragma('busy_timeout = 0')
    db.pragma('cache_size = -8192')
    db.pragma(`mmap_size = ${MMAP_BYTES}`)
    return db
  }
}

/** SQLite maps at most 2 GB unless built otherwise (SQLITE_MAX_MMAP_SIZE); past that it reads as before. */
const MMAP_BYTES = 2 * 1024 ** 3

/**
 * Kysely's SQLite dialect with a driver of our own, whose lock on the one connection is first come,
 * first served. Kysely's own wakes every waiter on each release, and the first to run takes it: with
 * a few hundred readers waiting (a busy site), each query woke them all, and some waited seconds.
 */
class FairSqliteDialect extends SqliteDialect {
  readonly #db: SqliteDatabase
  constructor(db: SqliteDatabase) {
    super({ database: db })
    this.#db = db
  }
  override createDriver(): Driver {
    return new FairSqliteDriver(this.#db)
  }
}

class FairSqliteDriver implements Driver {
  readonly #db: SqliteDatabase
  readonly #connection: DatabaseConnection
  readonly #waiting: (() => void)[] = []
  #held = false
  constructor(db: SqliteDatabase) {
    this.#db = db
    this.#connection = {
      executeQuery: <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
        const stmt = db.prepare(q.sql)
        if (stmt.reader) return Promise.resolve({ rows: stmt.all(q.parameters) as R[] })
        const { changes, lastInsertRowid } = stmt.run(q.parameters)
        return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] })
      },
      streamQuery: async function* <R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
        const stmt = db.prepare(q.sql)
        if (!stmt.reader) throw new Error('sqlite: only queries that return rows can be streamed')
        for (const row of stmt.iterate(q.parameters)) yield { rows: [row as R] }
      },
    }
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // Handed over by the release below, still held; else taken now.
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve))
    else this.#held = true
    return this.#connection
  }
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin'))
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'))
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'))
  }
  async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift()
    if (next) next()
    else this.#held = false
  }
  async destroy(): Promise<void> {
    this.#db.close()
  }
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
