import type { Hono } from 'hono'
import type { Config } from './config/config.js'
import type { Store } from './store/store.js'
import { openStore } from './store/open-store.js'
import { createFetcher } from './pipeline/fetch/fetcher.js'
import { importOpml, subscribe } from './pipeline/subscribe.js'
import { previewRule } from './pipeline/site-rule.js'
import { DEFAULT_POLICY, type IngestDeps, type IngestEvent } from './pipeline/deps.js'
import { createScheduler, type Scheduler } from './jobs/scheduler.js'
import { createWebSubSync, type WebSubSync } from './pipeline/websub-sync.js'
import { createStoryDesk, type StoryDesk } from './pipeline/story-desk.js'
import type { JobQueue } from './jobs/queue.js'
import { PgBossQueue } from './jobs/pgboss-queue.js'
import { EmbeddedQueue } from './jobs/embedded-queue.js'
import { createPipelineWorkers } from './jobs/pipeline-jobs.js'
import { LOCAL_STORY_LOCK, pgClusterLeader, pgStoryLock, sharedStoryDesk } from './jobs/shared-stories.js'
import { rawDb } from './store/raw-db.js'
import { createWebSite, type ReaderActivity } from './web/app.js'
import { WARMER_ENV, warmedPagePrefix } from './web/page-key.js'
import { buildId, createStoredPages } from './web/stored-pages.js'
import { createPageWarmer, type PageWarmer } from './web/page-warmer.js'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startDemo, type DemoHandle } from './demo/setup.js'
import { createTdmRepLookup } from './pipeline/fetch/tdmrep-cache.js'
import { createAiService, type AiService } from './ai/service.js'
import { createModelFeatures } from './ai/model-features.js'
import { createAiWorker, type AiWorker, type AiWorkerEvent } from './jobs/ai-worker.js'
import { VERSION } from './config/config.js'
import { createLogger, type Logger } from './observability/logger.js'
import { Metrics } from './observability/metrics.js'
import { requestObserver } from './observability/http.js'
import { frontDoor } from './web/front-door.js'
import { inTurns } from './web/in-turns.js'
import { getRequestListener } from '@hono/node-server'
import type { RequestListener } from 'node:http'
import { createIngestObserver, observedQueue } from './observability/observe.js'

export interface App {
  config: Config
  store: Store
  ingest: IngestDeps
  scheduler: Scheduler
  /** Push (WebSub), when BASE_URL is set. */
  websub: WebSubSync | null
  /** Stories: places each new article; split and merge for the operator. */
  stories: StoryDesk
  /** AI features: built-in ones, and the model-backed ones when AI_BASE_URL is set. */
  ai: AiService
  /** Runs queued model work (only with a provider). */
  aiWorker: AiWorker | null
  web: Hono
  /**
   * What `serve` listens with: kept pages from the front door (web/front-door.ts), everything else from
   * `web`. Built when asked for (Hono's Node adapter puts its own Request and Response in the globals).
   */
  listener(): RequestListener
  /** Renders article pages ahead into the stored pages (PAGE_STORE), or null; `serve` starts it (PAGE_WARM). */
  pageWarmer: PageWarmer | null
  /** Another warmer over the same stored pages (`tidings warm-pages --shard`), or null without them. */
  pageWarmerFor(shard?: { index: number; count: number }): PageWarmer | null
  demo: DemoHandle | null
  /** The job queue (JOBS=queue), else null. */
  queue: JobQueue | null
  /** This process's metrics (served at /metrics, or on METRICS_PORT by `tidings worker`). */
  metrics: Metrics
  log: Logger
  close(): Promise<void>
}

export interface BuildOptions {
  /** Run the polling loop (serve) or not (one-shot CLI commands, tests). */
  schedule: boolean
  now?: () => Date
  random?: () => number
  log?: (event: IngestEvent) => void
  aiLog?: (event: AiWorkerEvent) => void
  /** Replaces the model features built from config (tests use a loopback fake). */
  fetchForAi?: typeof fetch
  /**
   * What this process does (JOBS=queue): `all` (web, scheduler and workers), `web` (`serve --no-worker`:
   * pages only; refreshes and model work are left to workers) or `worker` (`tidings worker`: no pages).
   */
  role?: 'all' | 'web' | 'worker'
  /** Replaces the logger built from config (LOG_LEVEL, LOG_FORMAT). */
  logger?: Logger
}

/** The composition root: builds Store, Fetcher, orchestrator deps, scheduler and web app from Config. */
export async function buildApp(config: Config, opts: BuildOptions): Promise<App> {
  const now = opts.now ?? (() => new Date())
  const random = opts.random ?? Math.random
  const store = await openStore(config.database.url)
  const role = opts.role ?? 'all'
  const log = opts.logger ?? createLogger({ level: config.logLevel, format: config.logFormat })
  /** Failures of a part's own machinery (a queue's claim, a worker's bookkeeping) as error lines. */
  const onError = (component: string) => (message: string, e: unknown) => log.error({ component, err: e }, message)
  const metrics = new Metrics({ version: VERSION, role })
  const observer = createIngestObserver({ store, metrics, log, now })
  // Ingest events become log lines (and reach the caller's own listener, if any).
  const ingestLog = (e: IngestEvent) => {
    observer.ingestEvent(e)
    opts.log?.(e)
  }
  const queued = config.jobs.mode === 'queue'
  // With several processes, story changes take a lock and a process rebuilds its memory when another moved stories.
  const storyLock = queued && config.database.kind === 'postgres' ? pgStoryLock(config.database.url) : LOCAL_STORY_LOCK
  const stories = queued ? sharedStoryDesk(createStoryDesk({ store, now, log: ingestLog }), storyLock) : createStoryDesk({ store, now, log: ingestLog })
  // The desk's memory is rebuilt from the store in the background (minutes on a big install): the site
  // serves meanwhile, and the desk holds placements, splits and merges until it is done.
  void stories.hydrate().catch((e: unknown) => {
    log.error({ component: 'stories', err: e }, 'could not rebuild the story desk from the store')
  })
  let demo: DemoHandle | null = null
  try {
    // The demo publisher is a loopback server; it must be up before the fetcher learns its port.
    demo = config.demo.enabled ? await startDemo({ store, port: config.demo.port, now }) : null
  } catch (e) {
    log.error({ component: 'demo', port: config.demo.port, err: e }, 'could not start the demo publisher')
  }
  const fetcher = createFetcher({
    ...config.fetch,
    allowHosts: [...config.fetch.allowHosts, ...(demo ? [demo.host] : [])],
    // Our own loopback publisher needs no politeness delay; every real host keeps it.
    unpacedHosts: demo ? [new URL(demo.url).hostname] : [],
  }, {
    now: () => now().getTime(), random,
    // Workers on several machines keep one pace per host between them.
    sharedPace: queued ? (host) => store.paceHost(host, { intervalMs: config.fetch.perHostIntervalMs, burst: config.fetch.perHostBurst ?? 1, now: now().getTime() }) : undefined,
  })
  // The site-wide TDM reservation: fetched through the same guarded, paced fetcher, once a day per site.
  const tdmRep = createTdmRepLookup({
    now: () => now().getTime(),
    fetch: async (url) => {
      const r = await fetcher({ url, purpose: 'robots' })
      return r.ok ? { ok: true, value: { status: r.value.status, body: new TextDecoder('utf-8').decode(r.value.body) } } : r
    },
  })
  const features = config.ai.provider ? createModelFeatures(config.ai.provider, { fetch: opts.fetchForAi }) : null
  let aiWorker: AiWorker | null = null
  const ai = createAiService({
    store, now, features, siteLang: config.ai.language, precompute: config.ai.precompute, kick: () => aiWorker?.kick(),
  })
  aiWorker = features ? createAiWorker({ store, run: ai.run, now, log: (e) => { observer.aiEvent(e); opts.aiLog?.(e) }, onError: onError('ai') }, {
    concurrency: config.ai.concurrency, maxAttempts: config.ai.maxAttempts,
    // A lease well past the request timeout: a task is taken from a worker only when it has surely died.
    leaseMs: config.ai.provider!.timeoutMs * 3 + 60_000, idleMs: 5_000, autoStart: opts.schedule && role !== 'web',
  }) : null
  const polling: IngestDeps = {
    store,
    fetch: fetcher,
    now,
    random,
    log: ingestLog,
    recordRefresh: observer.recordRefresh,
    observeItem: observer.observeItem,
    stories,
    aiSignals: { tdmRep },
    ai,
    policy: {
      ...DEFAULT_POLICY,
      pollIntervalMinutes: config.scheduler.pollIntervalMinutes,
      backoffBaseMinutes: config.scheduler.backoffBaseMinutes,
      backoffMaxMinutes: config.scheduler.backoffMaxMinutes,
      minIntervalMinutes: config.scheduler.minIntervalMinutes,
      maxIntervalMinutes: config.scheduler.maxIntervalMinutes,
      pauseAfterFailures: config.scheduler.pauseAfterFailures,
      pauseAfterDays: config.scheduler.pauseAfterDays,
      pushPollMinutes: config.websub.pollHours * 60,
    },
  }
  // Push (WebSub) needs a public address for the hub to call back; every polled feed is checked for a hub.
  const websub: WebSubSync | null = config.websub.enabled && config.http.baseUrl
    ? createWebSubSync(polling, {
      baseUrl: config.http.baseUrl,
      leaseSeconds: config.websub.leaseSeconds,
      maxSilenceMs: config.websub.maxSilenceHours * 3_600_000,
      post: config.fetch,
    })
    : null
  const ingest: IngestDeps = websub ? { ...polling, onFeedFetched: websub.feedFetched } : polling
  if (demo) await demo.subscribeOnce(ingest)
  const baseQueue: JobQueue | null = queued
    ? config.database.kind === 'postgres'
      ? new PgBossQueue({ url: config.database.url, maintenanceIntervalSeconds: config.jobs.maintenanceSeconds, onError: onError('jobs') })
      : new EmbeddedQueue({ db: rawDb(store), dialect: config.database.kind, now, onError: onError('jobs') })
    : null
  // Every failed job attempt is logged and counted.
  const queue = baseQueue ? observedQueue(baseQueue, { metrics, log }) : null
  metrics.setSources({
    jobs: queue ? () => queue.counts() : undefined,
    aiTasks: async () => (await store.aiUsage()).flatMap((u) => (['queued', 'running', 'done', 'failed'] as const).map((status) => ({ feature: u.feature, status, count: u[status] }))),
    store: async () => ({ articles: await store.countArticles(), sources: await store.sourceCounts() }),
  })
  if (queue) await queue.start()
  const workers = queue ? createPipelineWorkers(queue, ingest, { expireSeconds: config.jobs.expireSeconds }) : null
  // On Postgres one worker at a time places articles in stories (the others take over if it dies).
  const leader = workers && role !== 'web' && config.database.kind === 'postgres' ? pgClusterLeader(config.database.url) : null
  let leaderTimer: NodeJS.Timeout | null = null
  let closing = false
  if (workers && role !== 'web') {
    await workers.start({ fetch: config.jobs.fetchConcurrency, extract: config.jobs.extractConcurrency, cluster: leader === null })
    if (leader) {
      const campaign = async () => {
        if (await leader.tryAcquire()) await workers.start({ fetch: 0, extract: 0, cluster: true })
        else if (!closing) leaderTimer = setTimeout(() => void campaign().catch((e) => log.error({ component: 'stories', err: e }, 'cluster leadership failed')), 5_000)
      }
      await campaign()
    }
  }
  const scheduler = createScheduler(ingest, {
    dispatch: workers ? (source) => workers.queueFetch(source.id) : undefined,
    tickMs: config.scheduler.tickSeconds * 1000, concurrency: config.scheduler.concurrency, autoStart: opts.schedule && config.scheduler.enabled && role !== 'web',
    renewPush: websub ? () => websub.renewDue() : undefined,
    onError: onError('scheduler'),
  })
  // Stored pages are served only to the build and settings that rendered them; hashed when first needed
  // (about 50 ms), so commands that show no page do not pay for it.
  let buildHash: string | null = null
  const build = () => buildHash ??= buildId({
    root: dirname(fileURLToPath(import.meta.url)),
    settings: [VERSION, config.http.siteTitle, config.http.baseUrl, config.ai.language, config.ai.provider?.baseUrl ?? null, config.ai.provider?.model ?? null, config.community, config.http.pageCache.seconds],
  })
  const storedPages = config.http.pageStore.enabled && role !== 'worker' ? createStoredPages({ store, build, now: () => now().getTime(), onError: onError('stored pages') }) : undefined
  const readers: ReaderActivity = { inFlight: 0, lastAt: 0 }
  const { app: web, pages } = createWebSite({
    store,
    now,
    siteTitle: config.http.siteTitle,
    baseUrl: config.http.baseUrl,
    pageCache: { ttlMs: config.http.pageCache.seconds * 1000, maxBytes: config.http.pageCache.mb * 1024 * 1024 },
    storedPages,
    // Only the warmer waits for readers' pauses.
    readers: config.http.pageStore.warm ? readers : undefined,
    adminPassword: config.adminPassword,
    stories: { split: (id) => stories.split(id), merge: (from, into) => stories.merge(from, into) },
    actions: {
      subscribe: (url) => subscribe(ingest, url),
      importOpml: (text) => importOpml(ingest, text),
      refresh: (id) => scheduler.refreshNow(id),
      previewRule: async (id, rule) => {
        const source = await store.getSource(id)
        return source ? previewRule(ingest, source, rule) : null
      },
    },
    isWarmingUp: () => scheduler.warmingUp(),
    storiesRebuilding: () => stories.rebuilding(),
    ai,
    siteLang: config.ai.language,
    aiBaseUrl: config.ai.provider?.baseUrl ?? null,
    community: config.community,
    jobs: queue,
    websub: websub ? { sync: websub, maxBodyBytes: config.fetch.maxBodyBytes } : null,
    metrics,
    metricsToken: config.metrics.token,
    log,
  })
  const pageWarmerFor = (shard?: { index: number; count: number }) => storedPages ? createPageWarmer({
    store, build, shard, keyPrefix: warmedPagePrefix(config.ai.language), now: () => now().getTime(),
    render: async (path) => {
      const res = await web.fetch(new Request(`http://tidings.internal${path}`, { headers: { 'accept-encoding': 'gzip' } }), WARMER_ENV)
      await res.arrayBuffer()
      return res.status
    },
    // A pause of 50 ms in readers' requests.
    idle: () => readers.inFlight === 0 && performance.now() - readers.lastAt > 50,
    onError: onError('page warmer'),
  }) : null
  const pageWarmer = pageWarmerFor()
  let listener: RequestListener | null = null
  // Answered in turns of the event loop (web/in-turns.ts), so a busy site still lets new connections in.
  const listen = () => listener ??= inTurns(frontDoor({
    pages, app: getRequestListener(web.fetch, { hostname: config.http.host }), observe: requestObserver({ metrics, log }),
    readers: config.http.pageStore.warm ? readers : undefined, onError: (e) => onError('front door')('a kept page could not be answered', e),
  }), { onError: (e) => onError('web')('a request could not be answered', e) })
  return {
    config, store, ingest, scheduler, websub, stories, ai, aiWorker, web, listener: listen, pageWarmer, pageWarmerFor, demo, queue, metrics, log,
    async close() {
      await pageWarmer?.stop()
      await scheduler.stop()
      // Running jobs get the shutdown time to finish; the rest are released to other workers.
      closing = true
      if (leaderTimer) clearTimeout(leaderTimer)
      await queue?.stop({ timeoutMs: config.jobs.shutdownTimeoutMs })
      await leader?.close()
      await aiWorker?.stop()
      await websub?.idle()
      await stories.idle()
      fetcher.close()
      await demo?.close()
      await storyLock.close()
      metrics.close()
      await store.close()
    },
  }
}
