/**
 * Web figures: the article page of the real server over a large SQLite database, beside a bare Hono
 * hello-world on the same machine with the same client. Figures only, no pass/fail exit:
 *
 *   npm run bench:web [-- --articles 100000 --connections 200 --seconds 20 --warmup 5 --quick]
 *     [--tsx] [--prof] [--only article,popular,kept,home,search] [--seed 1] [--cold] [--client wrk|autocannon]
 *
 * 1. `--articles` synthetic articles (250–900 made-up words, an author with a bio, 3–6 hashtags of
 *    Zipf popularity, stored enrichment, every fifteenth article starting a story of 2–5) are
 *    bulk-loaded into a fresh SQLite file under a temporary directory (removed at the end, on error
 *    and on Ctrl-C), through the real migrations.
 * 2. Every article page is rendered ahead into the stored pages, as the site's warmer does in its idle
 *    time: `tidings warm-pages --shard i/n` in one process per core (timed and reported), then one more
 *    pass for the pages that went stale while it ran (the newest articles' are fresh for 10 minutes). `--cold`
 *    skips this and starts the server with PAGE_STORE=0: every article page is then rendered when asked.
 * 3. `tidings serve` runs on it in a child process (dist/ when built, else the sources under tsx;
 *    `--tsx` forces the sources), and the hello-world in another: the client (autocannon, in this
 *    process) shares no event loop with either. Measuring starts once `/healthz` says the story memory
 *    is rebuilt (the steady state; requests during the rebuild are served, but slower).
 * 4. Each target gets `--warmup` seconds of load first (not counted), then `--seconds` measured, with
 *    `--connections` connections, right after the hello-world is measured the same way: each target's
 *    ratio is to the hello-world run next to it (a shared machine's speed drifts over minutes). The
 *    client is wrk (C, one thread) when it is installed (Debian: apt install wrk), else autocannon (npm,
 *    installed with the project); `--client` chooses. autocannon spends more CPU on an 8 KB answer than
 *    the server does, so on a small machine it measures itself: wrk is the one to quote. Article requests pick an article id uniformly at random from all of
 *    them for every request (no hot page: memory rarely holds it, so this is the stored pages' path,
 *    or with `--cold` the rendering path);
 *    "popular" picks by Zipf popularity (rank r asked for about 1/r as often, the newest first), as
 *    readers crowd the day's articles; "kept" asks for one article page again and again (the page
 *    cache's answer, the least a page can cost); search requests a random word of 50 mid-frequency ones. Every
 *    request (the hello-world's too) carries a browser's Accept-Encoding, so pages that are kept go
 *    gzipped, as they do to readers.
 *
 * `--prof` starts the server with --cpu-prof (a .cpuprofile under the temp directory is moved to
 * ./artifacts/ at the end).
 */
import { cpus, tmpdir, totalmem } from 'node:os'
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { int } from './bench-scale/args.js'
import { createRequire } from 'node:module'
import { cleanupAll, installSignalCleanup, interrupted, onCleanup } from './bench-scale/cleanup.js'
import { busyShare, cpuSecondsOf, machineCpu, mb, memoryOf } from './bench-scale/proc.js'
import { Lexicon } from './bench-scale/synth.js'
import { loadArticles, type LoadResult } from './bench-web/load.js'
import { distState, startHello, startTidings, warmPages, type Server } from './bench-web/server.js'

// autocannon ships CommonJS without types.
const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<AcResult> & { stop?: () => void }
interface Hist { average: number; mean: number; stddev: number; min: number; max: number; total: number; p50: number; p97_5: number; p99: number; p90: number; [k: string]: number }
interface AcResult { requests: Hist; latency: Hist; throughput: Hist; errors: number; timeouts: number; non2xx: number; duration: number; '2xx': number }

const { values: a } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    articles: { type: 'string' },
    connections: { type: 'string' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    only: { type: 'string' },
    tsx: { type: 'boolean' },
    prof: { type: 'boolean' },
    seed: { type: 'string' },
    cold: { type: 'boolean' },
    client: { type: 'string' },
  },
})

const QUICK = a.quick === true
const ARTICLES = int('articles', a.articles, QUICK ? 10_000 : 100_000, 100)
const CONNECTIONS = int('connections', a.connections, 200, 1)
const SECONDS = int('seconds', a.seconds, QUICK ? 5 : 20, 1)
const WARMUP = int('warmup', a.warmup, QUICK ? 2 : 5, 0)
const ONLY = (a.only ?? 'article,popular,kept,home,search').split(',')
const SEED = int('seed', a.seed, 1)
const COLD = a.cold === true
const HAS_WRK = spawnSync('wrk', ['--version']).error === undefined
if (a.client !== undefined && a.client !== 'wrk' && a.client !== 'autocannon') throw new Error(`--client: wrk or autocannon, not "${a.client}"`)
if (a.client === 'wrk' && !HAS_WRK) throw new Error('--client wrk: wrk is not installed (Debian: apt install wrk)')
const CLIENT: 'wrk' | 'autocannon' = (a.client as 'wrk' | 'autocannon' | undefined) ?? (HAS_WRK ? 'wrk' : 'autocannon')
const AIM = { ratio: 0.4, p99: 20 }
/** What Chromium and Firefox send. */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd'

const command = `${process.env['npm_lifecycle_event'] === 'bench:web' ? 'npm run bench:web' : 'tsx scripts/bench-web.ts'}${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`
const log = (line: string) => console.log(line)
const n0 = (x: number) => Math.round(x).toLocaleString('en')
const msf = (x: number) => (!Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))

interface Row {
  name: string
  what: string
  rps: number
  p50: number; p97_5: number; p99: number; max: number
  requests: number; errors: number; timeouts: number; non2xx: number
  bytesPerResponse: number
  serverCpuSeconds: number | null
  machineBusy: number
}

const cpu = cpus()
const rows: Row[] = []
let otherLoad = NaN
let load: LoadResult | null = null
let serverHow = ''
let serverPeak = NaN
let startupSeconds = NaN
let readySeconds = NaN
let warmSeconds = NaN
let warmLines: string[] = []
let catchUpLine = ''
let catchUpSeconds = NaN
/** Each target's row with the hello-world run just before it. */
const pairs: { hello: Row; row: Row }[] = []

/** What a target asks for: a path per request, in JavaScript (autocannon) and in Lua (wrk). */
interface Paths { js: () => string; lua: string }
let luaDir = ''

/** wrk over `--seconds`, one thread, with a Lua script that picks each path and prints its figures as JSON. */
function wrkRun(server: Server, paths: Paths, seconds: number): { rps: number; p50: number; p97_5: number; p99: number; max: number; requests: number; errors: number; timeouts: number; non2xx: number; bytes: number } {
  const script = join(luaDir, 'target.lua')
  writeFileSync(script, `math.randomseed(${SEED})
local headers = { ["Accept-Encoding"] = "${ACCEPT_ENCODING}" }
request = function() return wrk.format("GET", ${paths.lua}, headers) end
done = function(s, l)
  io.write(string.format('WRK {"requests":%d,"us":%d,"bytes":%d,"p50":%f,"p97_5":%f,"p99":%f,"max":%f,"errors":%d,"non2xx":%d,"timeouts":%d}\\n',
    s.requests, s.duration, s.bytes, l:percentile(50) / 1000, l:percentile(97.5) / 1000, l:percentile(99) / 1000, l.max / 1000,
    s.errors.connect + s.errors.read + s.errors.write, s.errors.status, s.errors.timeout))
end
`)
  const out = execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '30s', '-s', script, server.origin], { encoding: 'utf8' })
  const m = /WRK (\{.*\})/.exec(out)
  if (!m) throw new Error(`wrk printed no figures:\n${out}`)
  const r = JSON.parse(m[1]!) as { requests: number; us: number; bytes: number; p50: number; p97_5: number; p99: number; max: number; errors: number; non2xx: number; timeouts: number }
  const has = r.requests > 0
  return {
    rps: r.requests / (r.us / 1e6), p50: has ? r.p50 : NaN, p97_5: has ? r.p97_5 : NaN, p99: has ? r.p99 : NaN, max: has ? r.max : NaN,
    requests: r.requests, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, bytes: has ? r.bytes / r.requests : NaN,
  }
}

async function measure(server: Server, name: string, what: string, paths: Paths): Promise<Row> {
  if (CLIENT === 'wrk') {
    if (WARMUP > 0) wrkRun(server, paths, WARMUP)
    const cpu0 = cpuSecondsOf(server.child.pid!)
    const m0 = machineCpu()
    const r = wrkRun(server, paths, SECONDS)
    const cpu1 = cpuSecondsOf(server.child.pid!)
    const row: Row = {
      name, what, rps: r.rps, p50: r.p50, p97_5: r.p97_5, p99: r.p99, max: r.max, requests: r.requests, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
      bytesPerResponse: r.bytes, serverCpuSeconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null, machineBusy: busyShare(m0, machineCpu()),
    }
    rows.push(row)
    log(`  → ${name}: ${n0(row.rps)} requests/s, p50 ${msf(row.p50)} ms, p99 ${msf(row.p99)} ms, max ${msf(row.max)} ms; ${row.errors} errors, ${row.timeouts} timeouts, ${row.non2xx} non-2xx; ${n0(row.bytesPerResponse)} bytes per response`)
    return row
  }
  const path = paths.js
  const opts = (duration: number) => ({
    url: server.origin, connections: CONNECTIONS, duration, pipelining: 1, timeout: 30,
    // A fresh path for every request: setupRequest runs before each one is sent.
    // Every request asks as a browser does (gzip taken), the hello-world's too.
    requests: [{ method: 'GET', headers: { 'accept-encoding': ACCEPT_ENCODING }, setupRequest: (req: Record<string, unknown>) => ({ ...req, path: path() }) }],
  })
  if (WARMUP > 0) await autocannon(opts(WARMUP))
  const cpu0 = cpuSecondsOf(server.child.pid!)
  const m0 = machineCpu()
  const r = await autocannon(opts(SECONDS))
  const cpu1 = cpuSecondsOf(server.child.pid!)
  const responses = r.requests.total
  const row: Row = {
    name, what,
    rps: responses / r.duration,
    // No response, no latency: autocannon's zeros would read as fast.
    p50: responses ? r.latency.p50 : NaN, p97_5: responses ? r.latency.p97_5 : NaN, p99: responses ? r.latency.p99 : NaN, max: responses ? r.latency.max : NaN,
    requests: responses, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
    bytesPerResponse: responses ? r.throughput.total / responses : NaN,
    serverCpuSeconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null,
    machineBusy: busyShare(m0, machineCpu()),
  }
  rows.push(row)
  log(`  → ${name}: ${n0(row.rps)} requests/s, p50 ${msf(row.p50)} ms, p99 ${msf(row.p99)} ms, max ${msf(row.max)} ms; ${row.errors} errors, ${row.timeouts} timeouts, ${row.non2xx} non-2xx; ${n0(row.bytesPerResponse)} bytes per response`)
  return row
}

async function main(): Promise<void> {
  installSignalCleanup((signal) => report(`interrupted by ${signal}: only what finished before it`))
  const before = machineCpu()
  await new Promise((r) => setTimeout(r, 3000))
  otherLoad = busyShare(before, machineCpu())
  const dist = distState()
  const useDist = dist.exists && a.tsx !== true
  log(`bench:web ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, os.cpus().length = ${cpu.length} (${cpu[0]?.model.trim() ?? '?'}), ${mb(totalmem())} RAM`)
  log(`command: ${command}`)
  log(`machine busy before the run (3 s sample, other work included): ${(otherLoad * 100).toFixed(0)}% of ${cpu.length} cores`)
  if (useDist && dist.stale) log('warning: dist/ is older than src/ (npm run build, or --tsx to run the sources)')

  const dir = mkdtempSync(join(tmpdir(), 'tidings-bench-web-'))
  onCleanup(`directory ${dir}`, () => rmSync(dir, { recursive: true, force: true }))
  const dbPath = join(dir, 'bench.db')
  log(`\n1. Loading ${n0(ARTICLES)} synthetic articles into ${dbPath}`)
  load = await loadArticles(new Lexicon(SEED), { path: dbPath, articles: ARTICLES, sources: 200, authors: 2000, tags: 2000, seed: SEED, log })
  log(`   loaded in ${load.seconds.toFixed(0)} s: ${(load.bytes / 1e6).toFixed(0)} MB on disk, ${n0(load.meanWords)} words per article on average, ${n0(load.stories)} stories`)

  if (!COLD) {
    const n = Math.max(1, cpu.length)
    log(`\n2. Rendering every article page ahead (tidings warm-pages, ${n} processes)`)
    const w0 = performance.now()
    warmLines = await Promise.all(Array.from({ length: n }, (_, i) => warmPages({ dbPath, dist: useDist, shard: `${i}/${n}` })))
    warmSeconds = (performance.now() - w0) / 1000
    for (const [i, line] of warmLines.entries()) log(`   shard ${i}/${n}: ${line}`)
    log(`   all pages rendered in ${warmSeconds.toFixed(0)} s (${n0(ARTICLES / warmSeconds)} pages/s)`)
    // The newest articles' pages are rendered first and stay fresh 10 minutes (their related lists change
    // soonest): on a long warm they are stale again at its end. One more pass renders those, as the site's
    // own warmer does in its idle time (the steady state measured here).
    const c0 = performance.now()
    catchUpLine = await warmPages({ dbPath, dist: useDist, shard: '0/1' })
    catchUpSeconds = (performance.now() - c0) / 1000
    log(`   pages gone stale meanwhile, rendered again: ${catchUpLine}`)
  }

  const profDir = join(dir, 'prof')
  const t0 = performance.now()
  const tidings = await startTidings({ dbPath, dist: useDist, nodeArgs: a.prof ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [], env: COLD ? { PAGE_STORE: '0' } : {} })
  serverHow = tidings.how
  const hello = await startHello()
  startupSeconds = (performance.now() - t0) / 1000
  // The story memory is rebuilt in the background after a start: measured once it is done (steady state).
  for (;;) {
    const h = await (await fetch(`${tidings.origin}/healthz`)).json() as { stories?: string }
    if (h.stories !== 'rebuilding') break
    if (performance.now() - t0 > 900_000) throw new Error('the story memory was still rebuilding 15 min after the start')
    await new Promise((r) => setTimeout(r, 500))
  }
  readySeconds = (performance.now() - t0) / 1000
  log(`\n3. Servers: Tidings (${tidings.how}, listening ${startupSeconds.toFixed(1)} s after its start, story memory rebuilt after ${readySeconds.toFixed(1)} s) on ${tidings.origin}, hello-world (${hello.how}) on ${hello.origin}`)
  // One request of each kind first: a broken page must not be measured as a fast one.
  for (const p of ['/articles/1', '/', `/search?q=${load.searchWords[0]}`]) {
    const res = await fetch(tidings.origin + p)
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status}\n${(await res.text()).slice(0, 500)}`)
  }

  log(`\n4. ${CLIENT === 'wrk' ? 'wrk (one thread)' : 'autocannon'}: ${CONNECTIONS} connections, no pipelining, ${WARMUP} s warm-up then ${SECONDS} s measured per target, each after a hello-world run${CLIENT === 'autocannon' ? (HAS_WRK ? '' : ' (wrk is not installed: apt install wrk for figures of the server rather than of the client)') : ''}`)
  let seed = SEED
  const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296 }
  const words = load.searchWords
  luaDir = dir
  const luaWords = `{ ${words.map((w) => JSON.stringify(w)).join(', ')} }`
  const targets: { key: string; name: string; what: string; paths: Paths }[] = [
    { key: 'article', name: 'article page', what: `\`GET /articles/:id\`, id uniform over all ${n0(ARTICLES)}${COLD ? ' (cold: rendered)' : ' (stored pages)'}`,
      paths: { js: () => `/articles/${1 + Math.floor(rand() * ARTICLES)}`, lua: `"/articles/" .. math.random(1, ${ARTICLES})` } },
    // Readers crowd the newest articles: rank r (1 = newest, id 1) is asked for about 1/r as often (Zipf, s = 1).
    { key: 'popular', name: 'article page, popular', what: `\`GET /articles/:id\`, Zipf over all ${n0(ARTICLES)}, newest most read`,
      paths: { js: () => `/articles/${Math.min(ARTICLES, Math.floor(Math.pow(ARTICLES + 1, rand())))}`, lua: `"/articles/" .. math.min(${ARTICLES}, math.floor((${ARTICLES} + 1) ^ math.random()))` } },
    { key: 'kept', name: 'article page, kept', what: '`GET /articles/1` again and again (the page cache answers)', paths: { js: () => '/articles/1', lua: '"/articles/1"' } },
    { key: 'home', name: 'home page', what: '`GET /`', paths: { js: () => '/', lua: '"/"' } },
    { key: 'search', name: 'search', what: `\`GET /search?q=word\`, one of ${words.length} mid-frequency words`,
      paths: { js: () => `/search?q=${words[Math.floor(rand() * words.length)]}`, lua: `"/search?q=" .. (${luaWords})[math.random(1, ${words.length})]` } },
  ]
  for (const t of targets.filter((x) => ONLY.includes(x.key))) {
    const helloRow = await measure(hello, 'hello-world', `\`GET /\` → "Hello Hono!", just before ${t.name}`, { js: () => '/', lua: '"/"' })
    const row = await measure(tidings, t.name, t.what, t.paths)
    pairs.push({ hello: helloRow, row })
  }
  serverPeak = memoryOf(tidings.child.pid!)?.peak ?? NaN
  await Promise.all([tidings.stop(), hello.stop()])
  if (a.prof) {
    mkdirSync('artifacts', { recursive: true })
    for (const f of readdirSync(profDir)) { renameSync(join(profDir, f), join('artifacts', f)); log(`CPU profile of the server: artifacts/${f}`) }
  }
  report()
}

function report(partial?: string): void {
  log(`\n## Results (${command})${partial ? ` — ${partial}` : ''}\n`)
  log(`Machine: ${cpu.length} cores (os.cpus().length), Node ${process.version}; busy ${(otherLoad * 100).toFixed(0)}% with other work before the run. `
    + `Server: ${serverHow || '–'}${Number.isFinite(serverPeak) ? `, peak RSS ${mb(serverPeak)}` : ''}${Number.isFinite(startupSeconds) ? `, listening ${startupSeconds.toFixed(0)} s after start` : ''}${Number.isFinite(readySeconds) ? ` and measured once its story memory was rebuilt (${readySeconds.toFixed(0)} s)` : ''}; client: ${CLIENT === 'wrk' ? 'wrk, one thread' : 'autocannon in the bench process'}, on the same machine.`)
  if (load) log(`Database: ${n0(ARTICLES)} articles, ${n0(load.meanWords)} words on average, ${n0(load.stories)} stories, ${(load.bytes / 1e6).toFixed(0)} MB SQLite file.`)
  log(COLD ? 'Stored pages off (--cold, PAGE_STORE=0): every article page is rendered when asked for.'
    : Number.isFinite(warmSeconds) ? `Article pages rendered ahead into the stored pages in ${warmSeconds.toFixed(0)} s (${n0(ARTICLES / warmSeconds)} pages/s; ${warmLines.join('; ')}); then those gone stale meanwhile (${catchUpLine || '–'}${Number.isFinite(catchUpSeconds) ? `, ${catchUpSeconds.toFixed(0)} s in all` : ''}).` : '')
  if (rows.length === 0) return
  log('\n| target | requests | req/s | p50 ms | p97.5 ms | p99 ms | max ms | errors / timeouts / non-2xx | bytes per response | server CPU s | machine busy |')
  log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of rows) {
    log(`| ${r.name}: ${r.what} | ${n0(r.requests)} | **${n0(r.rps)}** | ${msf(r.p50)} | ${msf(r.p97_5)} | **${msf(r.p99)}** | ${msf(r.max)} | ${r.errors} / ${r.timeouts} / ${r.non2xx} | ${n0(r.bytesPerResponse)} | ${r.serverCpuSeconds?.toFixed(1) ?? '–'} | ${(r.machineBusy * 100).toFixed(0)}% |`)
  }
  if (pairs.length === 0) return
  log('')
  for (const { hello, row } of pairs) {
    const ratio = row.rps / hello.rps
    if (row.name === 'article page') {
      log(`Article page / hello-world: **${(ratio * 100).toFixed(1)}%** of its throughput (aim ≥ ${AIM.ratio * 100}%: ${ratio >= AIM.ratio ? 'met' : 'not met'}); `
        + `article p99 **${msf(row.p99)} ms** (aim < ${AIM.p99} ms: ${row.requests > 0 && row.p99 < AIM.p99 ? 'met' : 'not met'}); the hello-world's own p99 in that pair: ${msf(hello.p99)} ms.`)
      if (row.timeouts > 0) log(`${row.timeouts} article requests waited more than 30 s (the client's timeout): the server answers its ${CONNECTIONS} connections in lockstep, so each waits about ${CONNECTIONS} × the time of one page.`)
    } else log(`${row.name} / hello-world: ${(ratio * 100).toFixed(1)}%`)
  }
}

main().then(() => cleanupAll(), async (e) => {
  if (interrupted.signal) return
  console.error('bench: failed:', e)
  await cleanupAll()
  process.exitCode = 1
})
