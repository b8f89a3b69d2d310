import type { JobCounts, JobQueue } from '../../jobs/queue.js'
import type { SourceHealth, SourceWithStats, StatusClass, Store } from '../../store/store.js'

/** Days shown in the articles-per-day charts. */
export const CHART_DAYS = 14
const DAY_MS = 86_400_000
const STATUS_ORDER: StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'none']
const STATUS_NAMES: Record<StatusClass, string> = { '2xx': '2xx', '3xx': '3xx (not modified)', '4xx': '4xx', '5xx': '5xx', none: 'no response' }

export type HealthSort = 'worst' | 'name' | 'articles'

export interface HealthRow {
  source: Pick<SourceWithStats, 'id' | 'title' | 'url' | 'pausedAt' | 'errorCount' | 'lastErrorCode' | 'lastErrorMessage' | 'lastFetchedAt' | 'articleCount'>
  health: SourceHealth
  /** Articles fetched on each of the chart's days, oldest first. */
  perDay: number[]
}

export interface HealthView {
  now: Date
  sort: HealthSort
  days: string[]
  rows: HealthRow[]
  jobs: { kind: string; counts: JobCounts[] } | null
  ai: { status: 'queued' | 'running' | 'done' | 'failed'; count: number }[]
}

const rate = (h: { attempts: number; ok: number }): number | null => (h.attempts === 0 ? null : h.ok / h.attempts)

/** Worst first: the lowest success rate over 24 h (else 7 d), then the longest run of errors; sources not tried last. */
function worstFirst(a: HealthRow, b: HealthRow): number {
  const ra = rate(a.health.day) ?? rate(a.health.week)
  const rb = rate(b.health.day) ?? rate(b.health.week)
  if (ra === null || rb === null) return ra === rb ? b.source.errorCount - a.source.errorCount : ra === null ? 1 : -1
  return ra - rb || b.source.errorCount - a.source.errorCount || a.source.title.localeCompare(b.source.title)
}

/** What the dashboard shows, read from the store (fetch log, articles per day, AI tasks) and the queue. */
export async function healthView(deps: { store: Store; jobs: Pick<JobQueue, 'kind' | 'counts'> | null; now: Date; sort: string | null }): Promise<HealthView> {
  const sort: HealthSort = deps.sort === 'name' || deps.sort === 'articles' ? deps.sort : 'worst'
  const today = Date.UTC(deps.now.getUTCFullYear(), deps.now.getUTCMonth(), deps.now.getUTCDate())
  const days = Array.from({ length: CHART_DAYS }, (_, i) => new Date(today - (CHART_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10))
  const [sources, health, perDay, usage, counts] = await Promise.all([
    deps.store.listSources(),
    deps.store.fetchHealth({ now: deps.now.toISOString(), errors: 3 }),
    deps.store.articlesPerDay({ since: new Date(today - (CHART_DAYS - 1) * DAY_MS).toISOString() }),
    deps.store.aiUsage(),
    deps.jobs ? deps.jobs.counts() : Promise.resolve(null),
  ])
  const bySource = new Map(health.map((h) => [h.sourceId, h]))
  const rows: HealthRow[] = sources.map((s) => ({
    source: s,
    health: bySource.get(s.id) ?? {
      sourceId: s.id, day: { attempts: 0, ok: 0 }, week: { attempts: 0, ok: 0 }, statusMix: {},
      extraction: { fullText: 0, feedFallback: 0, mojibakeRepaired: 0, charsetGuessed: 0, itemErrors: 0 }, lastErrors: [],
    },
    perDay: days.map((d) => perDay.find((x) => x.sourceId === s.id && x.day === d)?.count ?? 0),
  }))
  rows.sort(sort === 'name' ? (a, b) => a.source.title.localeCompare(b.source.title)
    : sort === 'articles' ? (a, b) => sum(b.perDay) - sum(a.perDay) || a.source.title.localeCompare(b.source.title)
      : worstFirst)
  const ai = (['queued', 'running', 'done', 'failed'] as const).map((status) => ({ status, count: usage.reduce((n, u) => n + u[status], 0) }))
  return { now: deps.now, sort, days, rows, jobs: deps.jobs && counts ? { kind: deps.jobs.kind, counts } : null, ai }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`)

function Rate(p: { h: { attempts: number; ok: number } }) {
  const r = rate(p.h)
  return <span class={r !== null && r < 0.5 ? 'bad' : undefined}>{pct(r)} <span class="meta">({p.h.ok}/{p.h.attempts})</span></span>
}

/** A small bar chart of one source's articles per day: an SVG image with a title and a description. */
export function DayChart(p: { id: string; title: string; days: string[]; counts: number[] }) {
  const w = 6
  const gap = 2
  const h = 28
  const max = Math.max(1, ...p.counts)
  const total = sum(p.counts)
  const desc = `${total} articles in ${p.days.length} days, from ${p.days[0]} to ${p.days[p.days.length - 1]}; most in a day: ${Math.max(0, ...p.counts)}.`
  return (
    <svg class="day-chart" role="img" aria-labelledby={`${p.id}-t ${p.id}-d`} width={p.counts.length * (w + gap)} height={h} viewBox={`0 0 ${p.counts.length * (w + gap)} ${h}`}>
      <title id={`${p.id}-t`}>Articles per day: {p.title}</title>
      <desc id={`${p.id}-d`}>{desc}</desc>
      <line x1="0" y1={h - 0.5} x2={p.counts.length * (w + gap)} y2={h - 0.5} stroke="currentColor" stroke-opacity="0.3" />
      {p.counts.map((n, i) => {
        const bh = n === 0 ? 0 : Math.max(2, Math.round((n / max) * (h - 2)))
        return <rect x={i * (w + gap)} y={h - bh} width={w} height={bh} fill="currentColor"><title>{p.days[i]}: {n}</title></rect>
      })}
    </svg>
  )
}

/** The ingestion health dashboard: per source fetch success, status mix, extraction, repairs and errors; the queue's depth. */
export function AdminHealthPage(p: { view: HealthView }) {
  const v = p.view
  const sortLink = (s: HealthSort, label: string) => (v.sort === s ? <strong aria-current="true">{label}</strong> : <a href={`/admin/health?sort=${s}`}>{label}</a>)
  return (
    <section class="admin-health">
      <h1 class="page-title">Ingestion health</h1>
      <p class="meta"><a href="/admin/sources">Sources</a> · <a href="/admin/jobs">Jobs</a> · <a href="/admin/ai">AI</a> · Figures from the fetch log (30 days kept); times in UTC.</p>

      <h2>Pipeline</h2>
      {v.jobs ? (
        <table class="users">
          <caption>Job queue ({v.jobs.kind})</caption>
          <thead><tr><th scope="col">Job</th><th scope="col">Waiting</th><th scope="col">Running</th><th scope="col">Dead</th><th scope="col">Done (about a day)</th></tr></thead>
          <tbody>{v.jobs.counts.map((c) => <tr><th scope="row">{c.name}</th><td>{c.queued}</td><td>{c.active}</td><td>{c.failed}</td><td>{c.completed}</td></tr>)}</tbody>
        </table>
      ) : <p>Refreshes run in this process (<code>JOBS=inline</code>): there is no job queue.</p>}
      <p>AI tasks: {v.ai.map((a, i) => <>{i > 0 ? ' · ' : ''}{a.status} <strong>{a.count}</strong></>)}</p>

      <h2>Sources</h2>
      <p class="meta">Sort: {sortLink('worst', 'worst first')} · {sortLink('name', 'by name')} · {sortLink('articles', 'most articles')}</p>
      {v.rows.length === 0 ? <p class="empty">No sources yet.</p> : (
        <table class="sources health">
          <thead>
            <tr>
              <th scope="col">Source</th><th scope="col">Success 24 h</th><th scope="col">Success 7 d</th><th scope="col">Status mix (7 d)</th>
              <th scope="col">Extraction (7 d)</th><th scope="col">Encodings repaired (7 d)</th><th scope="col">Articles per day ({CHART_DAYS} d)</th><th scope="col">Last errors</th>
            </tr>
          </thead>
          <tbody>
            {v.rows.map((r) => {
              const x = r.health.extraction
              const stored = x.fullText + x.feedFallback
              const errors = r.health.lastErrors.length > 0 ? r.health.lastErrors
                : r.source.lastErrorCode ? [{ at: r.source.lastFetchedAt ?? '', code: r.source.lastErrorCode, message: r.source.lastErrorMessage, httpStatus: null }] : []
              return (
                <tr id={`health-${r.source.id}`}>
                  <th scope="row"><a href={`/sources/${r.source.id}`}>{r.source.title}</a>{r.source.pausedAt ? <span class="badge"> paused</span> : r.source.errorCount > 0 ? <span class="badge"> failing ×{r.source.errorCount}</span> : null}</th>
                  <td><Rate h={r.health.day} /></td>
                  <td><Rate h={r.health.week} /></td>
                  <td class="status-mix">{STATUS_ORDER.filter((k) => r.health.statusMix[k]).map((k) => <span>{STATUS_NAMES[k]}: {r.health.statusMix[k]} </span>)}{r.health.week.attempts === 0 ? '—' : null}</td>
                  <td>{stored === 0 ? '—' : <>{pct(x.fullText / stored)} full text <span class="meta">({x.fullText} of {stored}; {x.feedFallback} from the feed{x.itemErrors ? `; ${x.itemErrors} skipped` : ''})</span></>}</td>
                  <td>{x.mojibakeRepaired + x.charsetGuessed === 0 ? '0' : <>{x.mojibakeRepaired} mojibake, {x.charsetGuessed} charset guessed</>}</td>
                  <td><DayChart id={`chart-${r.source.id}`} title={r.source.title} days={v.days} counts={r.perDay} /></td>
                  <td>{errors.length === 0 ? '—' : (
                    <ul class="errors">{errors.map((e) => <li><time datetime={e.at}>{e.at.replace('T', ' ').slice(0, 16)}</time> <code>{e.code}</code>{e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''}{e.message ? <> — {e.message.slice(0, 200)}</> : null}</li>)}</ul>
                  )}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}

      {v.rows.length > 0 ? (
        <details>
          <summary>Articles per day as a table</summary>
          <table class="sources">
            <caption>Articles fetched per day and source, {v.days[0]} to {v.days[v.days.length - 1]}</caption>
            <thead><tr><th scope="col">Source</th>{v.days.map((d) => <th scope="col">{d.slice(5)}</th>)}<th scope="col">Total</th></tr></thead>
            <tbody>{v.rows.map((r) => <tr><th scope="row">{r.source.title}</th>{r.perDay.map((n) => <td>{n}</td>)}<td>{sum(r.perDay)}</td></tr>)}</tbody>
          </table>
        </details>
      ) : null}
    </section>
  )
}
