import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import pg from 'pg'
import { openStore } from '../../src/store/open-store.js'
import { createBenchDatabase, onCleanup } from './cleanup.js'
import { cpus } from 'node:os'
import { CpuTally, cpuSecondsOf, memoryOf, pidsMatching } from './proc.js'
import { startPublisher } from './publisher.js'
import type { Lexicon, SynthOptions } from './synth.js'

export interface IngestOptions {
  adminUrl: string
  feeds: number
  items: number
  workers: number
  /** Time box in seconds from the first stored article; null: until every article is stored and placed. */
  seconds: number | null
  fetchConcurrency: number
  extractConcurrency: number
  perHostConcurrency: number
  /** Stop when nothing moved for this long. */
  stallSeconds: number
  /** Run `dist/cli/main.js` (built) instead of the sources under tsx. */
  dist: boolean
  log: (line: string) => void
}

export interface IngestResult {
  workers: number
  expected: number
  stored: number
  /** Articles stored in the measured window (all of them unless time-boxed). */
  windowStored: number
  windowSeconds: number
  rate: number
  placed: number
  /** Seconds from spawning the workers to the last stored article. */
  wallSeconds: number
  startupSeconds: number
  addSourcesSeconds: number
  outcome: 'complete' | 'time-boxed' | 'stalled'
  peakRss: number[]
  cpuSeconds: number[]
  /** Shares of the machine's CPU (all cores) over the window: everything, and processes not ours (neither the workers, this process nor our database's backends). */
  machineBusy: number
  othersBusy: number
  extractErrors: number
  sourceErrors: number
  failedJobs: number
  backlog: Record<string, number>
  skippedItems: number
  hits: { feeds: number; pages: number; other: number }
}

interface Worker { child: ChildProcess; tail: string[]; skipped: number; exited: boolean }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const ROOT = resolve(import.meta.dirname, '../..')

function spawnWorker(env: NodeJS.ProcessEnv, dist: boolean): Promise<Worker> {
  const args = dist ? [resolve(ROOT, 'dist/cli/main.js'), 'worker'] : ['--import', 'tsx', resolve(ROOT, 'src/cli/main.ts'), 'worker']
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const w: Worker = { child, tail: [], skipped: 0, exited: false }
  const kill = onCleanup(`worker ${child.pid}`, async () => { if (!w.exited) { child.kill('SIGKILL'); await sleep(200) } })
  child.once('exit', () => { w.exited = true; kill() })
  let banner = false
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 120 s:\n${w.tail.join('')}`)), 120_000)
    const onData = (d: Buffer) => {
      const s = d.toString()
      w.skipped += s.match(/ skipped: /g)?.length ?? 0
      w.tail.push(s)
      if (w.tail.length > 60) w.tail.shift()
      if (!banner && /Tidings .* worker \d+/.test(s)) { banner = true; clearTimeout(timer); resolveStart(w) }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => { clearTimeout(timer); if (!banner) reject(new Error(`worker exited (${code}) before starting:\n${w.tail.join('')}`)) })
  })
}

async function stopWorker(w: Worker): Promise<void> {
  if (w.exited) return
  const exited = new Promise<void>((r) => w.child.once('exit', () => r()))
  w.child.kill('SIGTERM')
  const t = setTimeout(() => { if (!w.exited) w.child.kill('SIGKILL') }, 45_000)
  await exited
  clearTimeout(t)
}

async function poolEach<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: n }, async () => { while (next < items.length) await fn(items[next++]!) }))
}

/** One configuration: a fresh database, `workers` worker processes, the loopback publisher. */
export async function runIngest(lex: Lexicon, synth: SynthOptions, o: IngestOptions): Promise<IngestResult> {
  const db = await createBenchDatabase(o.adminUrl, `ingest${o.workers}w`)
  const pub = await startPublisher(lex, synth, { feeds: o.feeds, items: o.items })
  const unPub = onCleanup('publisher', () => pub.close())
  const expected = o.feeds * o.items
  const workers: Worker[] = []
  const client = new pg.Client({ connectionString: db.url })
  client.on('error', () => {}) // a dropped database on Ctrl-C: the query fails, the process must not
  try {
    const t0 = performance.now()
    const store = await openStore(db.url)
    const due = new Date(Date.now() - 60_000).toISOString()
    await poolEach(Array.from({ length: o.feeds }, (_, f) => f), 8, async (f) => {
      await store.addSource({ kind: 'feed', url: `${pub.base}/feed/${f}.xml`, title: `Outlet ${f}` }, due)
    })
    await store.close()
    const addSourcesSeconds = (performance.now() - t0) / 1000
    o.log(`  ${o.workers} worker(s): ${db.name}: ${o.feeds} sources added in ${addSourcesSeconds.toFixed(1)} s; starting workers…`)

    const env: NodeJS.ProcessEnv = { ...process.env }
    for (const k of Object.keys(env)) if (k.startsWith('AI_') || k.startsWith('FETCH_') || k.startsWith('WORKER_') || k.startsWith('POLL_')) delete env[k]
    Object.assign(env, {
      DATABASE_URL: db.url, JOBS: 'queue', DEMO: '0', WEBSUB: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production',
      FETCH_ALLOW_HOSTS: new URL(pub.base).host, FETCH_PER_HOST_INTERVAL_MS: '0', FETCH_RESPECT_ROBOTS: '0',
      FETCH_PER_HOST_CONCURRENCY: String(o.perHostConcurrency),
      WORKER_FETCH_CONCURRENCY: String(o.fetchConcurrency), WORKER_EXTRACT_CONCURRENCY: String(o.extractConcurrency),
      SCHEDULER_TICK_SECONDS: '1',
      // One fetch per source in the run: the next check is a day away whatever the feed's rhythm.
      POLL_INTERVAL_MINUTES: '1440', POLL_MIN_MINUTES: '1440', POLL_MAX_MINUTES: '1440',
    })
    const spawnAt = performance.now()
    const spawnWall = Date.now() / 1000
    workers.push(...await Promise.all(Array.from({ length: o.workers }, () => spawnWorker(env, o.dist))))
    const startupSeconds = (performance.now() - spawnAt) / 1000
    await client.connect()

    const count = async () => {
      const r = await client.query<{ stored: number; placed: number; first: number | null; last: number | null }>(
        `select count(*)::int as stored, count(story_id)::int as placed,
                extract(epoch from min(fetched_at))::float8 as first, extract(epoch from max(fetched_at))::float8 as last from articles`)
      return r.rows[0]!
    }
    let outcome: IngestResult['outcome'] = 'complete'
    let lastChange = Date.now()
    let prev = ''
    const tally = new CpuTally()
    const ours = () => [process.pid, ...workers.map((w) => w.child.pid!), ...pidsMatching(db.name)]
    let windowStart = 0
    let firstSeen = 0
    let lastLog = 0
    for (;;) {
      await sleep(1000)
      const dead = workers.find((w) => w.exited)
      if (dead) throw new Error(`a worker exited during the run:\n${dead.tail.join('')}`)
      const c = await count()
      if (c.stored > 0 && !firstSeen) { tally.start(ours()); windowStart = performance.now(); firstSeen = Date.now() } else if (firstSeen) tally.sample(ours())
      const key = `${c.stored}/${c.placed}`
      if (key !== prev) { prev = key; lastChange = Date.now() }
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now()
        const el = firstSeen ? ((Date.now() - firstSeen) / 1000).toFixed(0) : '–'
        o.log(`    ${el} s since the first article: ${c.stored}/${expected} stored, ${c.placed} placed in stories`)
      }
      if (c.stored >= expected && c.placed >= c.stored) break
      if (o.seconds !== null && c.first !== null && Date.now() / 1000 - c.first >= o.seconds + 1) { outcome = 'time-boxed'; break }
      if (Date.now() - lastChange > o.stallSeconds * 1000) { outcome = 'stalled'; break }
    }
    tally.sample(ours())
    const cpu = tally.read()
    const capacity = ((performance.now() - windowStart) / 1000) * cpus().length
    const peakRss = workers.map((w) => memoryOf(w.child.pid!)?.peak ?? NaN)
    const cpuSeconds = workers.map((w) => cpuSecondsOf(w.child.pid!) ?? NaN)
    const end = await count()
    let windowStored = end.stored
    let windowSeconds = (end.last ?? 0) - (end.first ?? 0)
    if (outcome === 'time-boxed') {
      const r = await client.query<{ n: number }>(`select count(*)::int as n from articles where fetched_at <= (select min(fetched_at) from articles) + make_interval(secs => $1)`, [o.seconds])
      windowStored = r.rows[0]!.n
      windowSeconds = o.seconds!
    }
    const q = async (text: string) => (await client.query<{ n: number }>(text)).rows[0]!.n
    const extractErrors = await q(`select count(*)::int as n from articles where extract_error is not null`)
    const sourceErrors = await q(`select count(*)::int as n from sources where last_error_code is not null`)
    const jobs = await client.query<{ name: string; state: string; n: number }>(`select name, state::text as state, count(*)::int as n from pgboss.job group by 1, 2`)
    const failedJobs = jobs.rows.filter((r) => r.state === 'failed').reduce((a, r) => a + r.n, 0)
    const backlog: Record<string, number> = {}
    for (const r of jobs.rows) if (r.state === 'created' || r.state === 'retry' || r.state === 'active') backlog[`${r.name} ${r.state}`] = r.n
    await Promise.all(workers.map(stopWorker))
    return {
      workers: o.workers, expected, stored: end.stored, windowStored, windowSeconds,
      rate: windowSeconds > 0 ? (windowStored - (outcome === 'time-boxed' ? 0 : 1)) / windowSeconds : NaN,
      placed: end.placed,
      wallSeconds: end.last !== null ? end.last - spawnWall : NaN,
      startupSeconds, addSourcesSeconds, outcome, peakRss, cpuSeconds,
      machineBusy: windowStart ? cpu.machine / capacity : NaN,
      othersBusy: windowStart ? Math.max(0, cpu.machine - cpu.ours) / capacity : NaN,
      extractErrors, sourceErrors, failedJobs, backlog,
      skippedItems: workers.reduce((a, w) => a + w.skipped, 0),
      hits: { ...pub.hits },
    }
  } finally {
    for (const w of workers) if (!w.exited) w.child.kill('SIGKILL')
    await client.end().catch(() => {})
    await pub.close()
    unPub()
    await db.drop()
  }
}

export const distAvailable = () => existsSync(resolve(ROOT, 'dist/cli/main.js'))
