import { sql, type Kysely } from 'kysely'
import type { IsoDate } from '../domain/types.js'
import type { DB } from './schema.js'
import type { FetchLogEntry, SourceHealth, StatusClass } from './store.js'

/**
 * The fetch log and the ingestion health dashboard's figures, as functions over the query layer
 * (KyselyStore's methods call these), the same on both databases.
 */

const DAY_MS = 86_400_000

function iso(v: string | Date): IsoDate {
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString()
}

export function statusClass(status: number | null): StatusClass {
  if (status === null || status < 200) return 'none'
  if (status < 300) return '2xx'
  if (status < 400) return '3xx'
  if (status < 500) return '4xx'
  return '5xx'
}

const int = (n: number) => Math.max(0, Math.round(Number.isFinite(n) ? n : 0))

export async function recordFetch(db: Kysely<DB>, e: FetchLogEntry): Promise<void> {
  await db.insertInto('fetch_log').values({
    source_id: e.sourceId,
    started_at: e.startedAt,
    outcome: e.outcome,
    http_status: e.httpStatus,
    duration_ms: int(e.durationMs),
    bytes: e.bytes === null ? null : int(e.bytes),
    items_seen: int(e.itemsSeen),
    created: int(e.created),
    updated: int(e.updated),
    queued: int(e.queued),
    full_text: int(e.fullText),
    feed_fallback: int(e.feedFallback),
    mojibake_repaired: int(e.mojibakeRepaired),
    charset_guessed: int(e.charsetGuessed),
    item_errors: int(e.itemErrors),
    error_code: e.errorCode,
    error_message: e.errorMessage === null ? null : e.errorMessage.slice(0, 1000),
  }).execute()
}

export async function pruneFetchLog(db: Kysely<DB>, before: IsoDate): Promise<number> {
  const r = await db.deleteFrom('fetch_log').where('started_at', '<', before).executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function fetchHealth(db: Kysely<DB>, q: { now: IsoDate; errors?: number }): Promise<SourceHealth[]> {
  const now = Date.parse(q.now)
  const dayAgo = new Date(now - DAY_MS).toISOString()
  const weekAgo = new Date(now - 7 * DAY_MS).toISOString()
  const perSource = Math.max(1, Math.min(50, Math.floor(q.errors ?? 5)))
  const rows = await db.selectFrom('fetch_log')
    .select((eb) => [
      'source_id', 'outcome', 'http_status',
      eb.fn.countAll<number | string>().as('n'),
      sql<number | string>`sum(case when ${sql.ref('started_at')} >= ${dayAgo} then 1 else 0 end)`.as('n_day'),
      eb.fn.sum<number | string>('full_text').as('full_text'),
      eb.fn.sum<number | string>('feed_fallback').as('feed_fallback'),
      eb.fn.sum<number | string>('mojibake_repaired').as('mojibake_repaired'),
      eb.fn.sum<number | string>('charset_guessed').as('charset_guessed'),
      eb.fn.sum<number | string>('item_errors').as('item_errors'),
    ])
    .where('started_at', '>=', weekAgo).where('started_at', '<=', q.now)
    .groupBy(['source_id', 'outcome', 'http_status'])
    .execute()
  const ranked = db.selectFrom('fetch_log')
    .select(['source_id', 'started_at', 'error_code', 'error_message', 'http_status',
      sql<number>`row_number() over (partition by ${sql.ref('source_id')} order by ${sql.ref('started_at')} desc, ${sql.ref('id')} desc)`.as('rn')])
    .where('outcome', '=', 'error').where('started_at', '<=', q.now)
  const errors = await db.selectFrom(ranked.as('r')).selectAll().where('rn', '<=', perSource)
    .orderBy('source_id').orderBy('started_at', 'desc').execute()

  const out = new Map<number, SourceHealth>()
  const of = (id: number): SourceHealth => {
    let h = out.get(id)
    if (!h) {
      h = {
        sourceId: id, day: { attempts: 0, ok: 0 }, week: { attempts: 0, ok: 0 }, statusMix: {},
        extraction: { fullText: 0, feedFallback: 0, mojibakeRepaired: 0, charsetGuessed: 0, itemErrors: 0 }, lastErrors: [],
      }
      out.set(id, h)
    }
    return h
  }
  for (const r of rows) {
    const h = of(r.source_id)
    const n = Number(r.n)
    const nDay = Number(r.n_day)
    const ok = r.outcome !== 'error'
    h.week.attempts += n
    h.day.attempts += nDay
    if (ok) {
      h.week.ok += n
      h.day.ok += nDay
    }
    const cls = statusClass(r.http_status)
    h.statusMix[cls] = (h.statusMix[cls] ?? 0) + n
    h.extraction.fullText += Number(r.full_text ?? 0)
    h.extraction.feedFallback += Number(r.feed_fallback ?? 0)
    h.extraction.mojibakeRepaired += Number(r.mojibake_repaired ?? 0)
    h.extraction.charsetGuessed += Number(r.charset_guessed ?? 0)
    h.extraction.itemErrors += Number(r.item_errors ?? 0)
  }
  for (const e of errors) {
    of(e.source_id).lastErrors.push({ at: iso(e.started_at), code: e.error_code ?? 'unknown', message: e.error_message, httpStatus: e.http_status })
  }
  return [...out.values()].sort((a, b) => a.sourceId - b.sourceId)
}

export async function articlesPerDay(db: Kysely<DB>, dialect: 'sqlite' | 'postgres', q: { since: IsoDate }): Promise<{ sourceId: number; day: string; count: number }[]> {
  // SQLite keeps ISO text (UTC); Postgres a timestamptz, read in UTC.
  const day = dialect === 'sqlite'
    ? sql<string>`substr(${sql.ref('fetched_at')}, 1, 10)`
    : sql<string>`to_char(${sql.ref('fetched_at')} at time zone 'UTC', 'YYYY-MM-DD')`
  const rows = await db.selectFrom('articles')
    .select((eb) => ['source_id', day.as('day'), eb.fn.countAll<number | string>().as('n')])
    .where('fetched_at', '>=', q.since)
    .groupBy(['source_id', day])
    .execute()
  return rows.map((r) => ({ sourceId: r.source_id, day: String(r.day), count: Number(r.n) }))
    .sort((a, b) => a.sourceId - b.sourceId || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))
}

export async function sourceCounts(db: Kysely<DB>): Promise<{ total: number; failing: number; paused: number }> {
  const r = await db.selectFrom('sources')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('total'),
      sql<number | string>`sum(case when ${sql.ref('paused_at')} is not null then 1 else 0 end)`.as('paused'),
      sql<number | string>`sum(case when ${sql.ref('paused_at')} is null and ${sql.ref('error_count')} > 0 then 1 else 0 end)`.as('failing'),
    ])
    .executeTakeFirstOrThrow()
  return { total: Number(r.total), failing: Number(r.failing ?? 0), paused: Number(r.paused ?? 0) }
}
