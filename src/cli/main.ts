#!/usr/bin/env node
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createServer } from 'node:http'
import { serve as serveHttp } from '@hono/node-server'
import { loadConfig, ConfigError, VERSION, type Config } from '../config/config.js'
import { buildApp } from '../app.js'
import { refreshMany } from '../pipeline/ingest.js'
import { createLogger } from '../observability/logger.js'
import { metricsOnlyApp } from '../observability/http.js'
import { subscribe, importOpml, sourceOutline } from '../pipeline/subscribe.js'
import { renderOpml } from '../pipeline/parse/opml.js'
import { runJsonl } from './jsonl.js'
import { enrichRecord, extractRecord, fixTextRecord, parseFeedRecord } from './filters.js'
import { runClusterJsonl, DEFAULT_WINDOW } from './cluster-filter.js'
import { createProgress } from './progress.js'
import { USER_HELP, UserCommandError, userCommand } from './user.js'
import { migrateDataCommand } from './migrate-data.js'

const HELP = `tidings ${VERSION} — a self-hosted news aggregator

Usage: tidings <command> [options]

  serve [--port N] [--no-scheduler] [--no-worker]
                                      run the reading site (and the polling scheduler; --no-worker: pages only, JOBS=queue)
  warm-pages [--shard i/n]            render now every article page missing from the stored pages (PAGE_STORE), newest first;
                                      --shard: only ids ≡ i (mod n), to share the work between n processes
  worker                              take refresh, extract and story jobs (JOBS=queue) until SIGTERM
  add <url>                           subscribe to a feed, a sitemap, or a site (its feed, news sitemap or article links)
  import <file.opml>                  subscribe to every feed in an OPML file
  export [file.opml]                  write subscriptions as OPML (stdout without a file)
  refresh [id|url ...]                fetch sources now (all of them without arguments)
  sources                             list sources with their state and last error
  extract --jsonl                     stage filter: {"id","url"?,"html"} lines → article lines
  parse-feed --jsonl                  stage filter: {"id","body_base64",…} lines → feed lines
  fix-text --jsonl                    stage filter: {"id","text"} lines → {"id","text","fixed"} (mojibake repair)
  enrich --jsonl                      stage filter: {"id","title"?,"text"} lines → {"id","lang","summary","key_points",
                                      "hashtags","keyphrases","entities":{"people","organizations","places"},"reading_minutes"}
  cluster --jsonl [--window N]        stage filter: {"id","title","text","published"?,"source"?,"url"?} lines →
                                      {"id","story","duplicate_of"} (duplicate_of: the group's original; N lines of look-ahead)
${USER_HELP}
  migrate-data --from <url> --to <url>
                                      copy everything to a new, empty database (sqlite:./data/tidings.db → postgres://…), ids kept
  help, version

Configuration comes from the environment (see README): DATABASE_URL, PORT, DEMO, FETCH_*, …`

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`)
    return command ? 0 : 1
  }
  if (command === 'version' || command === '--version') {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  if (command === 'cluster') {
    // Stateful, unlike the per-line filters: it holds a look-ahead window to find each group's original.
    const { values } = parseArgs({ args: rest, options: { jsonl: { type: 'boolean' }, window: { type: 'string' } } })
    if (!values.jsonl) throw new UsageError('cluster reads JSON lines: use --jsonl')
    const window = values.window !== undefined ? Number(values.window) : DEFAULT_WINDOW
    if (!Number.isInteger(window) || window < 1) throw new UsageError(`--window: expected a whole number of lines, got "${values.window}"`)
    const r = await runClusterJsonl({ input: process.stdin, output: process.stdout }, { window })
    if (process.stderr.isTTY) process.stderr.write(`${r.lines} lines, ${r.errors} errors\n`)
    return 0
  }
  const filters: Record<string, (x: Record<string, unknown>) => object> = { extract: extractRecord, 'parse-feed': parseFeedRecord, 'fix-text': fixTextRecord, enrich: enrichRecord }
  const filter = filters[command]
  if (filter) {
    const { values } = parseArgs({ args: rest, options: { jsonl: { type: 'boolean' } } })
    if (!values.jsonl) throw new UsageError(`${command} reads JSON lines: use --jsonl`)
    const r = await runJsonl(filter, { input: process.stdin, output: process.stdout })
    if (process.stderr.isTTY) process.stderr.write(`${r.lines} lines, ${r.errors} errors\n`)
    return 0
  }
  const config = loadConfig(process.env)
  switch (command) {
    case 'serve': return serve(config, rest)
    case 'worker': return worker(config, rest)
    case 'warm-pages': return warmPages(config, rest)
    case 'add': return add(config, rest)
    case 'import': return importCmd(config, rest)
    case 'export': return exportCmd(config, rest)
    case 'refresh': return refresh(config, rest)
    case 'sources': return sources(config)
    case 'user': return userCommand(config, rest, (line) => process.stdout.write(`${line}\n`))
    case 'migrate-data': return migrateDataCommand(rest, (l) => process.stdout.write(`${l}\n`))
    default: throw new UsageError(`unknown command "${command}"`)
  }
}

/**
 * The logger of one-shot commands (add, import, refresh…): their own output is for people on stdout, so
 * operational lines go to stderr, errors only unless LOG_LEVEL says otherwise. `serve` and `worker` log
 * to stdout (JSON lines for a collector; see src/observability/logger.ts).
 */
const commandLogger = (config: Config) => createLogger({ level: config.logLevel ?? 'error', format: config.logFormat, destination: process.stderr })

/** Resolves on the first SIGINT or SIGTERM (a second one while stopping exits at once). */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.once('SIGINT', () => process.exit(130))
      process.once('SIGTERM', () => process.exit(143))
      resolve(signal)
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
}

async function serve(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, 'no-scheduler': { type: 'boolean' }, 'no-worker': { type: 'boolean' } } })
  const port = values.port !== undefined ? Number(values.port) : config.http.port
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected a port number, got "${values.port}"`)
  if (values['no-worker'] && config.jobs.mode !== 'queue') throw new UsageError('--no-worker leaves refreshes to `tidings worker` processes: set JOBS=queue (on every process) to use it')
  // Refreshes, item failures and requests are logged by the app's logger (LOG_LEVEL, LOG_FORMAT).
  const app = await buildApp(config, { schedule: !values['no-scheduler'], role: values['no-worker'] ? 'web' : 'all' })
  // Node's server with the site's listener: kept pages are answered before Hono runs (web/front-door.ts).
  const server = createServer(app.listener()).listen(port, config.http.host)
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new UsageError(`port ${port} is already in use: set PORT or pass --port`) : e))
  }).catch(async (e) => {
    await app.close()
    throw e
  })
  const addr = server.address()
  const shown = typeof addr === 'object' && addr ? addr.port : port
  const role = values['no-worker'] ? ', web only' : config.jobs.mode === 'queue' ? `, web and workers on the ${app.queue?.kind} queue` : ''
  if (config.http.pageStore.warm) app.pageWarmer?.start()
  console.log(`Tidings ${VERSION} on http://localhost:${shown} (${config.database.kind}${role}${app.demo ? `, demo publisher on ${app.demo.url}` : ''})`)
  await untilSignal()
  console.log('stopping…')
  server.close()
  await app.close()
  return 0
}

/** `tidings warm-pages`: one pass of the page warmer, without waiting for readers. */
async function warmPages(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { shard: { type: 'string' } } })
  let shard: { index: number; count: number } | undefined
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard)
    const index = Number(m?.[1]), count = Number(m?.[2])
    if (!m || count < 1 || index >= count) throw new UsageError(`--shard: expected i/n with 0 ≤ i < n, got "${values.shard}"`)
    shard = { index, count }
  }
  if (!config.http.pageStore.enabled) throw new UsageError('stored pages are off (PAGE_STORE=0): there is nothing to warm')
  // Pages only: no demo publisher, no queue workers in this process.
  return withApp({ ...config, demo: { ...config.demo, enabled: false } }, async (app) => {
    const r = await app.pageWarmerFor(shard)!.pass((p) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${p.rendered} pages rendered in ${p.seconds.toFixed(0)} s`)
    })
    if (process.stderr.isTTY) process.stderr.write('\n')
    console.log(`${r.rendered} pages rendered, ${r.failed} failed, in ${r.seconds.toFixed(1)} s (${(r.rendered / Math.max(r.seconds, 1e-9)).toFixed(0)} pages/s)`)
    return r.failed > 0 ? 1 : 0
  }, { role: 'web' })
}

/** `tidings worker`: no pages; takes fetch, extract and cluster jobs and model work until SIGTERM. */
async function worker(config: Config, args: string[]): Promise<number> {
  parseArgs({ args, options: {} })
  if (config.jobs.mode !== 'queue') throw new UsageError('tidings worker takes jobs from the queue: set JOBS=queue (on every process, with DATABASE_URL=postgres://… to run several)')
  const app = await buildApp({ ...config, demo: { ...config.demo, enabled: false } }, { schedule: true, role: 'worker' })
  // A worker has no pages: with METRICS_PORT it serves its own /metrics there (each process counts its own work).
  const metricsServer = config.metrics.port !== null
    ? serveHttp({ fetch: metricsOnlyApp({ metrics: app.metrics, token: config.metrics.token }).fetch, port: config.metrics.port, hostname: config.http.host })
    : null
  if (metricsServer) {
    await new Promise<void>((resolve, reject) => {
      metricsServer.once('listening', resolve)
      metricsServer.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new UsageError(`METRICS_PORT ${config.metrics.port} is already in use`) : e))
    }).catch(async (e) => {
      await app.close()
      throw e
    })
  }
  const maddr = metricsServer?.address()
  const metricsAt = maddr && typeof maddr === 'object' ? `; metrics on http://localhost:${maddr.port}/metrics` : ''
  console.log(`Tidings ${VERSION} worker ${process.pid} (${config.database.kind}, ${app.queue?.kind} queue: ${config.jobs.fetchConcurrency} fetch, ${config.jobs.extractConcurrency} extract slots${metricsAt})`)
  const signal = await untilSignal()
  metricsServer?.close()
  console.log(`${signal}: finishing running jobs (up to ${config.jobs.shutdownTimeoutMs / 1000} s), releasing the rest…`)
  await app.close()
  console.log('worker stopped')
  return 0
}

async function withApp<T>(config: Config, fn: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<T>, opts: { role?: 'all' | 'web' } = {}): Promise<T> {
  const app = await buildApp(config, { schedule: false, logger: commandLogger(config), role: opts.role })
  try {
    return await fn(app)
  } finally {
    await app.close()
  }
}

async function add(config: Config, args: string[]): Promise<number> {
  if (args.length === 0) throw new UsageError('add needs a URL: tidings add https://example.com/feed.xml')
  return withApp(config, async (app) => {
    let failed = 0
    for (const url of args) {
      const r = await subscribe(app.ingest, url)
      if (!r.ok) {
        failed++
        console.error(`${url}: ${r.error.message} (${r.error.code})`)
        continue
      }
      console.log(`${r.value.created ? 'added' : 'already subscribed'}: #${r.value.source.id} ${r.value.source.title} <${r.value.source.url}> (${r.value.source.kind})`)
    }
    return failed ? 1 : 0
  })
}

async function importCmd(config: Config, args: string[]): Promise<number> {
  const file = args[0]
  if (!file) throw new UsageError('import needs an OPML file: tidings import subscriptions.opml')
  const text = await readFile(file, 'utf8').catch((e: Error) => { throw new UsageError(`cannot read ${file}: ${e.message}`) })
  return withApp(config, async (app) => {
    const progress = createProgress('importing')
    const r = await importOpml(app.ingest, text, (done, total) => progress.update(done, total))
    if (!r.ok) {
      progress.done(`${file}: ${r.error.message}`)
      return 1
    }
    for (const f of r.value.failed) progress.note(`skipped ${f.url}: ${f.error}`)
    progress.done(`imported ${r.value.added} new, ${r.value.existing} already subscribed, ${r.value.failed.length} skipped`)
    return 0
  })
}

async function exportCmd(config: Config, args: string[]): Promise<number> {
  return withApp(config, async (app) => {
    const list = await app.store.listSources()
    const xml = renderOpml(list.map(sourceOutline), {
      title: `${config.http.siteTitle} subscriptions`, now: new Date().toISOString(),
    })
    if (args[0]) {
      await writeFile(args[0], xml)
      console.error(`wrote ${list.length} sources to ${args[0]}`)
    } else process.stdout.write(xml)
    return 0
  })
}

async function refresh(config: Config, args: string[]): Promise<number> {
  return withApp(config, async (app) => {
    const all = await app.store.listSources()
    const chosen = args.length === 0 ? all : args.map((a) => {
      const s = all.find((x) => String(x.id) === a || x.url === a)
      if (!s) throw new UsageError(`no source "${a}" (see: tidings sources)`)
      return s
    })
    const progress = createProgress('refreshing')
    const r = await refreshMany(app.ingest, chosen, {
      concurrency: config.scheduler.concurrency,
      onProgress: (rep, done, total) => {
        const s = chosen.find((x) => x.id === rep.sourceId)
        if (rep.outcome === 'error') progress.note(`✗ ${s?.title}: ${rep.error?.message} (${rep.error?.code})`)
        else if (!process.stderr.isTTY) progress.note(`✓ ${s?.title}: ${rep.created} new, ${rep.updated} updated${rep.outcome === 'not_modified' ? ' (not modified)' : ''}`)
        progress.update(done, total, s?.title ?? '')
      },
    })
    progress.done(`${r.reports.length} sources: ${r.ok} ok, ${r.failed} failed; ${r.created} new articles, ${r.updated} updated`)
    return r.failed ? 2 : 0
  })
}

async function sources(config: Config): Promise<number> {
  return withApp(config, async (app) => {
    const list = await app.store.listSources()
    if (list.length === 0) console.log('no sources (add one: tidings add <url>)')
    for (const s of list) {
      const failing = `${s.lastErrorCode}: ${s.lastErrorMessage}`
      const state = s.pausedAt ? `PAUSED since ${s.pausedAt} (${s.pauseReason ?? 'failing'}); last error ${failing}`
        : s.lastErrorCode ? `FAILING ×${s.errorCount}: ${failing}` : s.lastSuccessAt ? `ok ${s.lastSuccessAt}` : 'not fetched yet'
      console.log(`#${s.id}\t${s.title}\t${s.articleCount} articles\t${s.url} (${s.kind})\n\t${state}${s.pausedAt ? ' (resume it in the sources admin)' : `; next check ${s.nextCheckAt}`}`)
    }
    return 0
  })
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (e) => {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof UserCommandError) {
      console.error(`tidings: ${e.message}`)
      process.exitCode = 64
    } else if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      console.error(`tidings: ${(e as Error).message}`)
      process.exitCode = 64
    } else {
      console.error('tidings: unexpected error:', e)
      process.exitCode = 70
    }
  },
)
