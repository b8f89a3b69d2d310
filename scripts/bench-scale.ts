/**
 * Scale figures: ingest throughput of `tidings worker` processes on Postgres, and search latency at a
 * million articles on SQLite and on Postgres. Figures only, no pass/fail:
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:scale [-- --quick]
 *     [--feeds 10000] [--items 10] [--workers 1,2] [--rounds 1] [--seconds N | --seconds 0] [--articles 1000000]
 *     [--queries 200] [--warmup 20] [--only ingest,search] [--engines sqlite,postgres] [--dist]
 *     [--fetch-concurrency 4] [--extract-concurrency 6] [--per-host-concurrency 32] [--seed 1]
 *
 * Postgres comes from BENCH_DATABASE_URL (or TEST_DATABASE_URL); the script creates its own
 * `tidings_bench_*` databases next to it and drops them at the end, on error and on Ctrl-C.
 *
 * 1. Ingest: a loopback publisher serves `--feeds` RSS feeds of `--items` items (synthetic pages made of
 *    made-up words), each configuration on a fresh database: 1 worker, then 2 worker processes, started
 *    as `tidings worker` with JOBS=queue. The figure is articles stored per second between the first and
 *    the last stored article (the articles' own `fetched_at`), or, time-boxed, the articles stored in the
 *    `--seconds` after the first one (the default at full size: 180 s; --quick runs to the end); peak RSS
 *    (VmHWM) and CPU seconds of each worker process, and the CPU share other processes took meanwhile.
 * 2. Search: `--articles` synthetic articles bulk-loaded into a fresh SQLite file and a fresh Postgres
 *    database (indexes and the full-text index built after the load), then a seeded mix of queries (a
 *    common word, a rare name, two words, a "quoted phrase", a word with -exclusion) through the real
 *    `store.searchArticles({ query, limit: 20 })`, after warm-up; a full count and a LIKE over 10k rows
 *    on the same database are the peers.
 */
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { int } from './bench-scale/args.js'
import { cleanupAll, installSignalCleanup, interrupted } from './bench-scale/cleanup.js'
import { distAvailable, runIngest, type IngestResult } from './bench-scale/ingest.js'
import { busyShare, machineCpu, mb, memoryOf } from './bench-scale/proc.js'
import { QUERY_KINDS, runPostgresSearch, runSqliteSearch, type SearchResult } from './bench-scale/search.js'
import { Lexicon, type SynthOptions } from './bench-scale/synth.js'

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    feeds: { type: 'string' },
    items: { type: 'string' },
    workers: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    articles: { type: 'string' },
    queries: { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
    engines: { type: 'string' },
    dist: { type: 'boolean' },
    'fetch-concurrency': { type: 'string' },
    'extract-concurrency': { type: 'string' },
    'per-host-concurrency': { type: 'string' },
    seed: { type: 'string' },
    pg: { type: 'string' },
  },
})

const QUICK = a.quick === true
const FEEDS = int('feeds', a.feeds, QUICK ? 500 : 10_000, 1)
const ITEMS = int('items', a.items, 10, 1)
const WORKERS = (a.workers ?? '1,2').split(',').map((w) => int('workers', w, 1, 1))
// Several rounds alternate the order (1, 2, then 2, 1, …) so that a change in other load hits both alike.
const ROUNDS = int('rounds', a.rounds, 1, 1)
// The full size is time-boxed by default: one worker stores about 25 articles/s on a 2-core machine, so
// 100,000 articles would take over an hour per configuration. --seconds 0 runs every configuration to the end.
const DEFAULT_SECONDS = 180
const SECONDS_ARG = int('seconds', a.seconds, QUICK ? 0 : DEFAULT_SECONDS)
const SECONDS = SECONDS_ARG > 0 ? SECONDS_ARG : null
const ARTICLES = int('articles', a.articles, QUICK ? 100_000 : 1_000_000, 100)
const QUERIES = int('queries', a.queries, 200, 5)
const WARMUP = int('warmup', a.warmup, 20, 0)
const ONLY = (a.only ?? 'ingest,search').split(',')
const ENGINES = (a.engines ?? 'sqlite,postgres').split(',')
const SEED = int('seed', a.seed, 1)
const PG = a.pg ?? process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? null
const FETCH_C = int('fetch-concurrency', a['fetch-concurrency'], 4, 1)
const EXTRACT_C = int('extract-concurrency', a['extract-concurrency'], 6, 1)
const HOST_C = int('per-host-concurrency', a['per-host-concurrency'], 32, 1)

const command = `${process.env['npm_lifecycle_event'] === 'bench:scale' ? 'npm run bench:scale' : 'tsx scripts/bench-scale.ts'}${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
const log = (line: string) => console.log(line)
const n0 = (x: number) => Math.round(x).toLocaleString('en')
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–')
const msf = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))

const cpu = cpus()
const ingests: IngestResult[] = []
const searches: SearchResult[] = []
const skipped: string[] = []
let otherLoad = NaN

async function main(): Promise<void> {
  installSignalCleanup((signal) => report(`interrupted by ${signal}: only what finished before it`))
  if (a.dist && !distAvailable()) throw new Error('--dist: dist/cli/main.js is missing (npm run build first)')
  const before = machineCpu()
  await new Promise((r) => setTimeout(r, 3000))
  otherLoad = busyShare(before, machineCpu())
  log(`bench:scale ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, os.cpus().length = ${cpu.length} (${cpu[0]?.model.trim() ?? '?'}), ${mb(totalmem())} RAM`)
  log(`command: ${command}`)
  log(`machine busy before the run (3 s sample, other work included): ${(otherLoad * 100).toFixed(0)}% of ${cpu.length} cores`)

  const lex = new Lexicon(SEED)

  if (ONLY.includes('ingest')) {
    if (!PG) skipped.push('ingest: skipped (no Postgres: set BENCH_DATABASE_URL)')
    else {
      const synth: SynthOptions = { seed: SEED, minWords: 120, maxWords: 480, namePool: Math.max(1000, Math.floor((FEEDS * ITEMS) / 4)) }
      log(`\n1. Ingest: ${n0(FEEDS)} feeds × ${ITEMS} items = ${n0(FEEDS * ITEMS)} articles from a loopback publisher (pages of 120–480 made-up words)`)
      log(`   ${SECONDS ? `time-boxed: ${SECONDS} s from the first stored article` : 'until every article is stored and placed in a story'}; per worker ${FETCH_C} fetch, ${EXTRACT_C} extract slots, ${HOST_C} requests at once to the host;`)
      log(`   no politeness pacing (FETCH_PER_HOST_INTERVAL_MS=0: the publisher is our own loopback server), robots.txt off, WebSub off, no model;`)
      log(`   workers run as ${a.dist ? '`node dist/cli/main.js worker`' : '`node --import tsx src/cli/main.ts worker` (the tsx loader is in their RSS)'}`)
      const order = Array.from({ length: ROUNDS }, (_, r) => (r % 2 === 0 ? WORKERS : [...WORKERS].reverse())).flat()
      for (const w of order) {
        ingests.push(await runIngest(lex, synth, {
          adminUrl: PG, feeds: FEEDS, items: ITEMS, workers: w, seconds: SECONDS, fetchConcurrency: FETCH_C, extractConcurrency: EXTRACT_C,
          perHostConcurrency: HOST_C, stallSeconds: 90, dist: a.dist === true, log,
        }))
        const r = ingests[ingests.length - 1]!
        log(`  → ${r.workers} worker(s): ${r.outcome}: ${n0(r.windowStored)} articles in ${f1(r.windowSeconds)} s = ${f1(r.rate)} articles/s; peak RSS ${r.peakRss.map(mb).join(', ')}`)
      }
    }
  }

  if (ONLY.includes('search')) {
    const synth: SynthOptions = { seed: SEED + 1, minWords: 120, maxWords: 480, namePool: Math.max(1000, Math.floor(ARTICLES / 4)) }
    const o = { articles: ARTICLES, sources: 10_000, queries: QUERIES, warmup: WARMUP, batch: 5000, seed: SEED, log }
    log(`\n2. Search: ${n0(ARTICLES)} synthetic articles (120–480 made-up words, Zipf frequencies; 2 of ${n0(synth.namePool)} names each) in 10,000 sources;`)
    log(`   ${QUERIES} queries after ${WARMUP} warm-up, ${QUERIES / QUERY_KINDS.length} of each kind, one at a time, limit 20, warm cache`)
    const done = (r: SearchResult) => {
      searches.push(r)
      log(`  → ${r.engine}: p50 ${msf(r.all.p50)} ms, p95 ${msf(r.all.p95)} ms, p99 ${msf(r.all.p99)} ms, max ${msf(r.all.max)} ms; `
        + QUERY_KINDS.map((k) => `${k} p50 ${msf(r.byKind[k]?.p50 ?? NaN)}`).join(', '))
    }
    if (ENGINES.includes('sqlite')) done(await runSqliteSearch(lex, synth, o))
    if (ENGINES.includes('postgres')) {
      if (!PG) skipped.push('search on Postgres: skipped (no Postgres: set BENCH_DATABASE_URL)')
      else done(await runPostgresSearch(lex, synth, { ...o, adminUrl: PG }))
    }
  }
  report()
}

/** The tables, from whatever has finished (all of it, unless a signal cut the run short). */
function report(partial?: string): void {
  const self = memoryOf(process.pid)
  log(`\n## Results (${command})${partial ? ` — ${partial}` : ''}\n`)
  log(`Machine: ${cpu.length} cores (os.cpus().length), Node ${process.version}; busy ${(otherLoad * 100).toFixed(0)}% with other work before the run.`)
  if (ingests.length) {
    log('\n| ingest | articles | seconds | articles/s | peak RSS per worker | CPU s per worker | machine busy (others) | outcome |')
    log('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const r of ingests) {
      log(`| ${r.workers} worker${r.workers > 1 ? 's' : ''} | ${n0(r.windowStored)} of ${n0(r.expected)} | ${f1(r.windowSeconds)} | **${f1(r.rate)}** | ${r.peakRss.map(mb).join(', ')} | ${r.cpuSeconds.map((c) => c.toFixed(0)).join(', ')} | ${(r.machineBusy * 100).toFixed(0)}% (${(r.othersBusy * 100).toFixed(0)}%) | ${r.outcome}${r.outcome === 'time-boxed' ? ` (${n0(r.stored)} stored by the stop)` : ''}; ${n0(r.placed)} placed in stories |`)
    }
    const meanRate = (w: number) => { const rs = ingests.filter((r) => r.workers === w).map((r) => r.rate); return rs.reduce((x, y) => x + y, 0) / rs.length }
    if (ingests.some((r) => r.workers === 1)) {
      for (const w of [...new Set(WORKERS)].filter((x) => x > 1)) {
        log(`\nRatio ${w} workers / 1 worker: **${(meanRate(w) / meanRate(1)).toFixed(2)}×**${ROUNDS > 1 ? ` (mean of ${ROUNDS} rounds each)` : ''} (on ${cpu.length} cores shared by the workers, Postgres, the publisher and any other work).`)
      }
    }
    for (const r of ingests) {
      const backlog = Object.entries(r.backlog).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
      log(`- ${r.workers} worker(s): sources added in ${f1(r.addSourcesSeconds)} s, workers up in ${f1(r.startupSeconds)} s, first spawn to last article ${f1(r.wallSeconds)} s; `
        + `served ${n0(r.hits.feeds)} feeds, ${n0(r.hits.pages)} pages, ${r.hits.other} other; extract errors ${r.extractErrors}, items skipped ${r.skippedItems}, failing sources ${r.sourceErrors}, failed jobs ${r.failedJobs}; jobs left at the stop: ${backlog}`)
    }
  }
  if (searches.length) {
    log('\n| search | articles | p50 ms | p95 ms | p99 ms | max ms | load s (insert + index) | size on disk | peers: count(*) ms, LIKE on 10k rows ms |')
    log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const s of searches) {
      log(`| ${s.engine} | ${n0(s.articles)} | **${msf(s.all.p50)}** | ${msf(s.all.p95)} | **${msf(s.all.p99)}** | ${msf(s.all.max)} | ${f1(s.insertSeconds + s.indexSeconds)} (${f1(s.insertSeconds)} + ${f1(s.indexSeconds)}) | ${(s.bytes / 1e9).toFixed(2)} GB | ${msf(s.peers.countMs)}, ${msf(s.peers.like10kMs)} |`)
    }
    log(`\n| query kind (example) | ${searches.map((s) => `${s.engine} p50 / p99 ms (mean results, ≤ 20)`).join(' | ')} |`)
    log(`| --- | ${searches.map(() => '---').join(' | ')} |`)
    for (const k of QUERY_KINDS) log(`| ${k} (\`${searches[0]!.examples[k] ?? ''}\`) | ${searches.map((s) => { const x = s.byKind[k]; return x ? `${msf(x.p50)} / ${msf(x.p99)} (${x.meanHits.toFixed(1)})` : '–' }).join(' | ')} |`)
    for (const s of searches) log(`- ${s.engine}: ${s.notes.join('; ')}; rows generated in ${f1(s.generateSeconds)} s (not counted in the load)`)
  }
  log(`\nThis process (publisher, loader, queries): peak RSS ${self ? mb(self.peak) : '–'}, ${self ? mb(self.rss) : '–'} at the end.`)
  for (const s of skipped) log(s)
}

main().then(() => cleanupAll(), async (e) => {
  if (interrupted.signal) return // the signal handler reports, cleans up and exits
  console.error('bench: failed:', e)
  await cleanupAll()
  process.exitCode = 1
})
