import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

/**
 * Prometheus metrics in the text exposition format 0.0.4, written by hand: counters, gauges and
 * histograms with labels are a few dozen lines, and a registry per app keeps tests apart (prom-client's
 * default registry is global). Label values come from bounded sets only (route patterns, outcomes,
 * status classes, error codes), never from raw paths or URLs.
 */

type Labels = Record<string, string>

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

function labelText(labels: Labels): string {
  const keys = Object.keys(labels)
  return keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`
}

function num(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return '+Inf'
  if (n === -Infinity) return '-Inf'
  return String(n)
}

/** Keys are the label values in the metric's label order. */
const keyOf = (names: readonly string[], labels: Labels) => JSON.stringify(names.map((n) => labels[n] ?? ''))
const labelsOf = (names: readonly string[], key: string): Labels => {
  const values = JSON.parse(key) as string[]
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]))
}

interface Metric {
  readonly name: string
  render(): string
}

export class Counter<L extends string = never> implements Metric {
  private readonly values = new Map<string, number>()
  constructor(readonly name: string, private readonly help: string, private readonly labelNames: readonly L[] = []) {}
  inc(labels: Record<L, string> = {} as Record<L, string>, by = 1): void {
    if (!(by >= 0)) return
    const k = keyOf(this.labelNames, labels)
    this.values.set(k, (this.values.get(k) ?? 0) + by)
  }
  get(labels: Record<L, string> = {} as Record<L, string>): number {
    return this.values.get(keyOf(this.labelNames, labels)) ?? 0
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} counter`]
    if (this.labelNames.length === 0 && this.values.size === 0) lines.push(`${this.name} 0`)
    for (const [k, v] of this.values) lines.push(`${this.name}${labelText(labelsOf(this.labelNames, k))} ${num(v)}`)
    return lines.join('\n')
  }
}

export class Gauge<L extends string = never> implements Metric {
  private values = new Map<string, number>()
  constructor(readonly name: string, private readonly help: string, private readonly labelNames: readonly L[] = []) {}
  set(labels: Record<L, string>, value: number): void {
    this.values.set(keyOf(this.labelNames, labels), value)
  }
  /** Replaces every series at once (a scrape-time snapshot, so series that went away do not linger). */
  replace(series: { labels: Record<L, string>; value: number }[]): void {
    this.values = new Map(series.map((s) => [keyOf(this.labelNames, s.labels), s.value]))
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} gauge`]
    for (const [k, v] of this.values) lines.push(`${this.name}${labelText(labelsOf(this.labelNames, k))} ${num(v)}`)
    return lines.join('\n')
  }
}

export class Histogram<L extends string = never> implements Metric {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>()
  constructor(readonly name: string, private readonly help: string, private readonly labelNames: readonly L[], private readonly buckets: readonly number[]) {}
  observe(labels: Record<L, string>, value: number): void {
    const k = keyOf(this.labelNames, labels)
    let s = this.series.get(k)
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }
      this.series.set(k, s)
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++
    s.sum += value
    s.count++
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`]
    for (const [k, s] of this.series) {
      const labels = labelsOf(this.labelNames, k)
      this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket${labelText({ ...labels, le: num(b) })} ${s.counts[i]}`))
      lines.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${s.count}`)
      lines.push(`${this.name}_sum${labelText(labels)} ${num(s.sum)}`)
      lines.push(`${this.name}_count${labelText(labels)} ${s.count}`)
    }
    return lines.join('\n')
  }
}

export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const
const FETCH_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 60, 300] as const

export type StatusClassLabel = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none'
export const statusClassOf = (status: number | null | undefined): StatusClassLabel =>
  status === null || status === undefined || status < 100 || status > 599 ? 'none' : (`${Math.floor(status / 100)}xx` as StatusClassLabel)

/** What a scrape reads fresh (cheap figures from the store and the queue), each behind a short cache. */
export interface ScrapeSources {
  jobs?: () => Promise<{ name: string; queued: number; active: number; failed: number; completed: number }[]>
  aiTasks?: () => Promise<{ feature: string; status: string; count: number }[]>
  store?: () => Promise<{ articles: number; sources: { total: number; failing: number; paused: number } }>
}

export interface MetricsOptions {
  version: string
  /** `web`, `worker`, `all`: which kind of process serves these. */
  role?: string
  now?: () => number
  /** How long scrape-time figures from the store and the queue are kept (default 15 s). */
  cacheMs?: number
}

/** The metrics of one process: what the web app, the orchestrator and the jobs count, and a scrape. */
export class Metrics {
  readonly httpRequests = new Counter('tidings_http_requests_total', 'HTTP requests answered, by method, route pattern and status class.', ['method', 'route', 'status'] as const)
  readonly httpDuration = new Histogram('tidings_http_request_duration_seconds', 'Time to answer an HTTP request, by method and route pattern.', ['method', 'route'] as const, HTTP_BUCKETS)
  readonly fetches = new Counter('tidings_fetches_total', 'Source refreshes, by outcome (updated, not_modified, error) and HTTP status class of the feed request (none: no response).', ['outcome', 'status'] as const)
  readonly fetchDuration = new Histogram('tidings_fetch_duration_seconds', 'Time a source refresh took, articles included.', [] as const, FETCH_BUCKETS)
  readonly fetchErrors = new Counter('tidings_fetch_errors_total', 'Failed source refreshes by error code.', ['code'] as const)
  readonly articles = new Counter('tidings_articles_stored_total', 'Articles stored, by status (created, updated).', ['status'] as const)
  readonly extraction = new Counter('tidings_extractions_total', 'Articles stored by where their text came from: the page (full) or the feed (feed_fallback).', ['result'] as const)
  readonly extractionFailures = new Counter('tidings_extraction_failures_total', 'Feed items that could not be stored, by error code.', ['code'] as const)
  readonly repairs = new Counter('tidings_text_repairs_total', 'Articles whose text needed repair: mojibake fixed, or a charset detected because none declared decoded it.', ['kind'] as const)
  readonly jobFailures = new Counter('tidings_job_failures_total', 'Job attempts that failed, by queue.', ['queue'] as const)
  readonly logErrors = new Counter('tidings_log_errors_total', 'Errors written to the log, by component.', ['component'] as const)

  private readonly jobsGauge = new Gauge('tidings_jobs', 'Jobs in the queue by queue and state (queued, active, failed: dead letters, completed: about a day).', ['queue', 'state'] as const)
  private readonly aiGauge = new Gauge('tidings_ai_tasks', 'AI tasks by feature and status.', ['feature', 'status'] as const)
  private readonly articlesGauge = new Gauge('tidings_articles', 'Articles stored.')
  private readonly sourcesGauge = new Gauge('tidings_sources', 'Sources by state (ok, failing, paused).', ['state'] as const)
  private readonly scrapeErrors = new Counter('tidings_scrape_errors_total', 'Scrape-time figures that could not be read (the previous values are served).', ['part'] as const)

  private readonly loop: IntervalHistogram
  private readonly started: number
  private readonly now: () => number
  private readonly cacheMs: number
  private readonly cached = new Map<string, { at: number; p: Promise<void> }>()

  constructor(private readonly opts: MetricsOptions, private sources: ScrapeSources = {}) {
    this.now = opts.now ?? Date.now
    this.cacheMs = opts.cacheMs ?? 15_000
    this.started = Date.now()
    this.loop = monitorEventLoopDelay({ resolution: 20 })
    this.loop.enable()
  }

  /** Set once the store and the queue exist (the composition root builds them after the metrics). */
  setSources(sources: ScrapeSources): void {
    this.sources = { ...this.sources, ...sources }
  }

  /** A refresh's report (from the orchestrator's recorder). */
  refresh(r: { outcome: string; httpStatus?: number | null; durationMs?: number; error: { code: string } | null; created: number; updated: number }): void {
    this.fetches.inc({ outcome: r.outcome, status: statusClassOf(r.httpStatus) })
    if (r.durationMs !== undefined) this.fetchDuration.observe({}, r.durationMs / 1000)
    if (r.error) this.fetchErrors.inc({ code: r.error.code })
  }

  /** One item's outcome (in a refresh or an extract job). */
  item(r: { ok: true; value: { status: string; degraded: boolean; extracted: boolean; mojibakeRepaired: boolean; charsetGuessed: boolean } } | { ok: false; error: { code: string } }): void {
    if (!r.ok) {
      this.extractionFailures.inc({ code: r.error.code })
      return
    }
    const v = r.value
    if (v.status === 'created' || v.status === 'updated') this.articles.inc({ status: v.status })
    if (v.extracted && v.status !== 'unchanged') this.extraction.inc({ result: v.degraded ? 'feed_fallback' : 'full' })
    if (v.mojibakeRepaired) this.repairs.inc({ kind: 'mojibake' })
    if (v.charsetGuessed) this.repairs.inc({ kind: 'charset_guessed' })
  }

  /** The whole exposition, with scrape-time figures refreshed when their cache ran out. */
  async render(): Promise<string> {
    await Promise.all([
      this.fresh('jobs', async () => {
        if (!this.sources.jobs) return
        const counts = await this.sources.jobs()
        this.jobsGauge.replace(counts.flatMap((c) => (['queued', 'active', 'failed', 'completed'] as const).map((state) => ({ labels: { queue: c.name, state }, value: c[state] }))))
      }),
      this.fresh('ai', async () => {
        if (!this.sources.aiTasks) return
        this.aiGauge.replace((await this.sources.aiTasks()).map((t) => ({ labels: { feature: t.feature, status: t.status }, value: t.count })))
      }),
      this.fresh('store', async () => {
        if (!this.sources.store) return
        const s = await this.sources.store()
        this.articlesGauge.set({}, s.articles)
        this.sourcesGauge.replace([
          { labels: { state: 'ok' }, value: s.sources.total - s.sources.failing - s.sources.paused },
          { labels: { state: 'failing' }, value: s.sources.failing },
          { labels: { state: 'paused' }, value: s.sources.paused },
        ])
      }),
    ])
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage()
    const proc = [
      gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', mem.rss),
      gauge('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', mem.heapUsed),
      gauge('nodejs_heap_size_total_bytes', 'V8 heap allocated, in bytes.', mem.heapTotal),
      gauge('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript (buffers), in bytes.', mem.external),
      `# HELP process_cpu_seconds_total User and system CPU time spent, in seconds.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ${num((cpu.user + cpu.system) / 1e6)}`,
      gauge('process_start_time_seconds', 'When the process started, in seconds since the epoch.', Math.round((Date.now() - process.uptime() * 1000) / 1000)),
      gauge('tidings_process_uptime_seconds', 'Seconds since the process started.', Math.round(process.uptime())),
      [
        '# HELP nodejs_eventloop_lag_seconds Event-loop delay since the previous scrape (p50, p99, max).',
        '# TYPE nodejs_eventloop_lag_seconds gauge',
        `nodejs_eventloop_lag_seconds{quantile="0.5"} ${num(safe(this.loop.percentile(50)) / 1e9)}`,
        `nodejs_eventloop_lag_seconds{quantile="0.99"} ${num(safe(this.loop.percentile(99)) / 1e9)}`,
        `nodejs_eventloop_lag_seconds{quantile="1"} ${num(safe(this.loop.max) / 1e9)}`,
      ].join('\n'),
      `# HELP tidings_build_info The running version.\n# TYPE tidings_build_info gauge\ntidings_build_info${labelText({ version: this.opts.version, node: process.version, role: this.opts.role ?? 'all' })} 1`,
    ]
    this.loop.reset()
    const parts: Metric[] = [
      this.httpRequests, this.httpDuration, this.fetches, this.fetchDuration, this.fetchErrors, this.articles, this.extraction,
      this.extractionFailures, this.repairs, this.jobFailures, this.logErrors, this.jobsGauge, this.aiGauge, this.articlesGauge,
      this.sourcesGauge, this.scrapeErrors,
    ]
    return `${[...parts.map((m) => m.render()), ...proc].join('\n')}\n`
  }

  close(): void {
    this.loop.disable()
  }

  private fresh(part: string, read: () => Promise<void>): Promise<void> {
    const c = this.cached.get(part)
    if (c && this.now() - c.at < this.cacheMs) return c.p
    const p = read().catch(() => this.scrapeErrors.inc({ part }))
    this.cached.set(part, { at: this.now(), p })
    return p
  }
}

const safe = (n: number) => (Number.isFinite(n) ? n : 0)

function gauge(name: string, help: string, value: number): string {
  return `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} gauge\n${name} ${num(value)}`
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
