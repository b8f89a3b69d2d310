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
  searchMatches(parsed) {
    const q = toTsquery(parsed)
    if (q === null) return null
    return sql<{ id: number; rank: number }>`select id, -ts_rank_cd(search, to_tsquery('simple', ${q})) as rank from articles where search @@ to_tsquery('simple', ${q})`
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
