import { CompiledQuery, sql, type Kysely } from 'kysely'
import type { DB } from './schema.js'
import type { StoredPage, StoredPageToSend } from './store.js'
import { decodeCursor, encodeCursor, isoReq } from './cursor.js'

/**
 * Stored pages (migration 015), as functions over the query layer (KyselyStore's methods call these),
 * the same on both databases. Reading one is what a reader's request waits on: it runs a query written
 * once, by primary key, without building it each time.
 */

type Dialect = 'sqlite' | 'postgres'

const COLUMNS = 'id, page_key, article_id, source_id, story_id, build, body, headers, etag, rendered_at, fresh_until'
const GET: Record<Dialect, string> = {
  sqlite: `select ${COLUMNS} from stored_pages where id = ?`,
  postgres: `select ${COLUMNS} from stored_pages where id = $1`,
}

interface Row {
  id: number | string; page_key: string; article_id: number; source_id: number; story_id: number | null; build: string
  body: Uint8Array; headers: string; etag: string; rendered_at: number | string; fresh_until: number | string
}

export async function getStoredPage(db: Kysely<DB>, dialect: Dialect, id: number): Promise<StoredPage | null> {
  return pageOf((await db.executeQuery<Row>(CompiledQuery.raw(GET[dialect], [id]))).rows[0])
}

/** What a synchronous reader needs of a database connection (better-sqlite3's). */
export interface SyncDatabase {
  prepare(sql: string): { raw(on: boolean): { get(...params: unknown[]): unknown } }
  close(): unknown
}
export interface SyncPageReader { get(id: number): StoredPageToSend | null; close(): void }

/**
 * getStoredPage over a connection that reads without waiting (SQLite's), with only what sending needs:
 * its statement prepared once, its row as an array (no object per row).
 */
export function syncPageReader(db: SyncDatabase): SyncPageReader {
  const st = db.prepare('select page_key, build, body, headers, etag, fresh_until from stored_pages where id = ?').raw(true)
  return {
    get(id) {
      const r = st.get(id) as [string, string, Uint8Array, string, string, number] | undefined
      const headers = r ? headerSet(r[3]) : null
      return r && headers ? { key: r[0], build: r[1], body: r[2], headers, etag: r[4], freshUntil: Number(r[5]) } : null
    },
    close: () => { db.close() },
  }
}

function pageOf(r: Row | undefined): StoredPage | null {
  if (!r) return null
  const headers = headerSet(r.headers)
  if (!headers) return null
  return {
    id: Number(r.id), key: r.page_key, articleId: r.article_id, sourceId: r.source_id, storyId: r.story_id, build: r.build,
    body: r.body, headers, etag: r.etag, renderedAt: Number(r.rendered_at), freshUntil: Number(r.fresh_until),
  }
}

/**
 * A stored page's headers, parsed once per distinct text and handed out as the same frozen object:
 * most pages share one set (their cache, security and language headers), so a read parses nothing and
 * whoever answers with them can prepare them once (web/page-cache.ts).
 */
const HEADER_SETS = 256
const headerSets = new Map<string, Readonly<Record<string, string>>>()
function headerSet(text: string): Record<string, string> | null {
  let h = headerSets.get(text)
  if (h) return h
  try {
    h = Object.freeze(JSON.parse(text) as Record<string, string>)
  } catch {
    return null
  }
  if (headerSets.size >= HEADER_SETS) headerSets.delete(headerSets.keys().next().value!)
  headerSets.set(text, h)
  return h
}

/** The drop counter's value: a one-row table on SQLite, a sequence on Postgres (migration 015). */
const epochOf = (dialect: Dialect) => sql.raw(dialect === 'postgres' ? '(select last_value from stored_pages_epoch)' : '(select n from stored_pages_epoch)')

export async function storedPagesEpoch(db: Kysely<DB>, dialect: Dialect): Promise<number> {
  const r = (await sql<{ n: string | number }>`select ${epochOf(dialect)} as n`.execute(db)).rows[0]
  return Number(r?.n ?? 0)
}

export async function putStoredPage(db: Kysely<DB>, dialect: Dialect, p: StoredPage, epoch: number): Promise<boolean> {
  const body = dialect === 'postgres' ? Buffer.from(p.body.buffer, p.body.byteOffset, p.body.byteLength) : p.body
  // One statement: the counter is compared where the row is written. Casts, as Postgres cannot tell the
  // parameters' types in a SELECT.
  const r = await sql`insert into stored_pages (${sql.raw(COLUMNS)})
    select cast(${p.id} as bigint), cast(${p.key} as text), cast(${p.articleId} as integer), cast(${p.sourceId} as integer),
      cast(${p.storyId} as integer), cast(${p.build} as text), cast(${body} as ${sql.raw(dialect === 'postgres' ? 'bytea' : 'blob')}),
      cast(${JSON.stringify(p.headers)} as text), cast(${p.etag} as text), cast(${Math.round(p.renderedAt)} as bigint), cast(${Math.round(p.freshUntil)} as bigint)
    where ${epochOf(dialect)} = ${epoch}
    on conflict (id) do update set page_key = excluded.page_key, article_id = excluded.article_id, source_id = excluded.source_id,
      story_id = excluded.story_id, build = excluded.build, body = excluded.body, headers = excluded.headers, etag = excluded.etag,
      rendered_at = excluded.rendered_at, fresh_until = excluded.fresh_until`.execute(db)
  return Number(r.numAffectedRows ?? 0) > 0
}

export async function pagesToRender(db: Kysely<DB>, q: { keyPrefix: string; build: string; now: number; cursor: string | null; window: number }): Promise<{ ids: number[]; next: string | null }> {
  const window = Math.max(1, Math.min(Math.floor(q.window), 10_000))
  let articles = db.selectFrom('articles').select(['id', 'sort_at'])
  const c = decodeCursor(q.cursor)
  if (c && typeof c[0] === 'string' && typeof c[1] === 'number') {
    const [at, id] = c as [string, number]
    articles = articles.where((eb) => eb.or([eb('sort_at', '<', at), eb.and([eb('sort_at', '=', at), eb('id', '<', id)])]))
  }
  const rows = await db.selectFrom(articles.orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(window).as('a'))
    .leftJoin('stored_pages as p', (j) => j.onRef('p.article_id', '=', 'a.id').on('p.page_key', '=', sql<string>`${q.keyPrefix} || cast(a.id as text)`))
    .select(['a.id', 'a.sort_at', 'p.build', 'p.fresh_until'])
    .orderBy('a.sort_at', 'desc').orderBy('a.id', 'desc')
    .execute()
  const last = rows[rows.length - 1]
  return {
    ids: rows.filter((r) => r.build !== q.build || Number(r.fresh_until) <= q.now).map((r) => r.id),
    next: rows.length >= window && last ? encodeCursor([isoReq(last.sort_at), last.id]) : null,
  }
}

export async function storedPageCounts(db: Kysely<DB>, q: { build: string; now: number }): Promise<{ pages: number; fresh: number; bytes: number }> {
  const r = (await sql<{ pages: number | string; fresh: number | string | null; bytes: number | string | null }>`
    select count(*) as pages,
      sum(case when build = ${q.build} and fresh_until > ${q.now} then 1 else 0 end) as fresh,
      sum(length(body)) as bytes
    from stored_pages`.execute(db)).rows[0]
  return { pages: Number(r?.pages ?? 0), fresh: Number(r?.fresh ?? 0), bytes: Number(r?.bytes ?? 0) }
}

export async function clearStoredPages(db: Kysely<DB>): Promise<number> {
  const r = await db.deleteFrom('stored_pages').executeTakeFirst()
  return Number(r.numDeletedRows)
}
