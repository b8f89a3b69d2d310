import pg from 'pg'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { DB } from '../schema.js'
import type { DialectSpec } from './dialect.js'
import { toTsquery } from '../search-query.js'

export const postgresSpec: DialectSpec = {
  name: 'postgres',
  idType: 'integer',
  idColumn: (c) => c.primaryKey().generatedByDefaultAsIdentity(),
  timestampType: 'timestamptz',
  async createSearchIndex(db) {
    // 'simple' configuration: no stemming, like FTS5's unicode61, so both engines match the same words.
    await sql`alter table articles add column search tsvector generated always as (
      setweight(to_tsvector('simple', coalesce(title, '')), 'A') || setweight(to_tsvector('simple', coalesce(text, '')), 'B')
    ) stored`.execute(db)
    await sql`create index articles_search on articles using gin (search)`.execute(db)
  },
  searchMatches(parsed, { window, filter }) {
    const q = toTsquery(parsed)
    if (q === null) return null
    // Rank (which reads each row's tsvector) only the newest matches within the window.
    return sql<{ id: number; rank: number }>`select w.id, -ts_rank_cd(w.search, to_tsquery('simple', ${q})) as rank from (
      select a.id, a.search from articles a where a.search @@ to_tsquery('simple', ${q})${filter ? sql` and ${filter}` : sql``}
      order by a.id desc limit ${window}) w`
  },
}

// Counts come back as int8; our ids and counts fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))

/** A pool on `postgres://…`; `schema` (tests) puts every table in its own namespace. */
export function openPostgres(url: string, opts: { schema?: string; max?: number } = {}): Kysely<DB> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  })
  // An idle client's error (e.g. the server restarting) must not crash the process; the pool replaces it.
  pool.on('error', () => {})
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
}
