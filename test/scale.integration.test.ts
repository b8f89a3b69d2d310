/**
 * Scale-out on Postgres, with real processes: two `tidings worker`s and two `tidings serve --no-worker`
 * web nodes on one database, fed by a loopback publisher. Every article is ingested exactly once (each
 * page fetched once), two copies of one report become one duplicate group and one story although two
 * workers take them, both web nodes serve every page; a worker killed with SIGKILL mid-jobs loses
 * nothing (its jobs run again after they expire); when every database connection is cut (what a
 * Postgres restart does to clients) the workers reconnect and carry on; SIGTERM stops a worker cleanly.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import pg from 'pg'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { serveLoopback } from './support/loopback.js'

const BASE_URL = process.env['TEST_DATABASE_URL']
const skip = BASE_URL ? false : 'TEST_DATABASE_URL is not set (Postgres scale-out runs in CI)'

let server: Server
let base = ''
let dbUrl = ''
let dbName = ''
let store: Store
const hits = new Map<string, number>()
const procs: { name: string; child: ChildProcess; out: string[] }[] = []
const webPorts: number[] = []
const SLOW_MS = 2500

// Invented reports: each page has enough text to be read as an article.
const WIRE = [
  'The harbour board approved a second ferry berth at Calder Quay on Monday, to open before the summer timetable begins in May.',
  'The new berth will let two boats load at once, cutting the wait at peak hours from forty minutes to about ten, the board said.',
  'Board chair Imogen Hartley said the works would close the car park on the east side for six weeks from the start of March.',
  'Ferry crews had asked for a second berth since the island school moved its morning run to the seven o’clock sailing.',
]
const para = (source: number, n: number) => [
  `Report ${n} of outlet ${source}: the ${['council', 'college', 'library', 'market'][n % 4]} in district ${source * 10 + n} announced plans on Tuesday for ${n + 3} new projects.`,
  `Residents of district ${source * 10 + n} were asked for their views at a meeting in the old hall, where ${20 + n} people spoke about the plans.`,
  `Officials said work on project ${n} of outlet ${source} would start next year if the budget of ${n + 1} million is approved.`,
]

function page(title: string, paragraphs: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`
}

/** Feed `s` lists `count` items; feeds 0 and 1 also carry the wire report and its republished copy. */
const feeds = new Map<number, { count: number; slow: boolean }>()
function feed(s: number): string {
  const f = feeds.get(s)!
  const items = Array.from({ length: f.count }, (_, n) => ({ guid: `s${s}-i${n}`, title: `Outlet ${s} report ${n}`, path: `/${f.slow ? 'slow' : 'a'}/${s}/${n}` }))
  if (s === 0) items.push({ guid: 'wire', title: 'Second ferry berth approved at Calder Quay', path: '/wire' })
  if (s === 1) items.push({ guid: 'copy', title: 'Calder Quay to get a second ferry berth', path: '/copy' })
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${s}</title><link>${base}/</link><description>d</description>
${items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>${base}${i.path}</link><pubDate>${new Date(Date.now() - 3_600_000).toUTCString()}</pubDate></item>`).join('\n')}
</channel></rss>`
}

function publisher(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/'
  hits.set(url, (hits.get(url) ?? 0) + 1)
  const send = (type: string, body: string) => { res.writeHead(200, { 'content-type': type }); res.end(body) }
  let m = /^\/feed\/(\d+)\.xml$/.exec(url)
  if (m && feeds.has(Number(m[1]))) return send('application/rss+xml', feed(Number(m[1])))
  if (url === '/wire') return send('text/html; charset=utf-8', page('Second ferry berth approved at Calder Quay', WIRE))
  if (url === '/copy') return send('text/html; charset=utf-8', page('Calder Quay to get a second ferry berth', ['This report first appeared on Outlet 0 and is republished with permission.', ...WIRE]))
  m = /^\/(a|slow)\/(\d+)\/(\d+)$/.exec(url)
  if (m) {
    const body = page(`Outlet ${m[2]} report ${m[3]}`, para(Number(m[2]), Number(m[3])))
    if (m[1] === 'slow') { setTimeout(() => send('text/html; charset=utf-8', body), SLOW_MS); return }
    return send('text/html; charset=utf-8', body)
  }
  res.writeHead(404).end()
}

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env, DATABASE_URL: dbUrl, JOBS: 'queue', DEMO: '0', WEBSUB: '0', LOG_LEVEL: 'warn',
    FETCH_ALLOW_HOSTS: new URL(base).host, FETCH_PER_HOST_INTERVAL_MS: '0', FETCH_RESPECT_ROBOTS: '0', FETCH_TIMEOUT_MS: '10000',
    SCHEDULER_TICK_SECONDS: '1', JOB_EXPIRE_SECONDS: '15', JOB_MAINTENANCE_SECONDS: '1', SHUTDOWN_TIMEOUT_SECONDS: '3',
    // Every feed is on one loopback host: enough slots that no extract job waits long for its turn (and outlives its expiry on a busy machine).
    FETCH_PER_HOST_CONCURRENCY: '8',
    WORKER_FETCH_CONCURRENCY: '2', WORKER_EXTRACT_CONCURRENCY: '4',
  }
}

function start(name: string, args: string[]): Promise<{ child: ChildProcess; out: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
  const out: string[] = []
  procs.push({ name, child, out })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out.join("")}`)), 150_000)
    const onData = (d: Buffer) => {
      out.push(d.toString())
      if (/Tidings .* (on http|worker)/.test(out.join(''))) { clearTimeout(timer); resolve({ child, out }) }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (d: Buffer) => out.push(d.toString()))
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}): ${out.join('')}`)) })
  })
}

async function until<T>(what: string, fn: () => Promise<T | null | false>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; logs:\n${procs.map((p) => `--- ${p.name}\n${p.out.join('').slice(-2000)}`).join('\n')}`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

async function addFeed(s: number, count: number, slow = false) {
  feeds.set(s, { count, slow })
  await store.addSource({ kind: 'feed', url: `${base}/feed/${s}.xml` }, new Date(Date.now() - 60_000).toISOString())
}
const all = async () => (await store.listArticles({ limit: 500 })).items
const byGuidOnce = async () => {
  const seen = new Map<string, number>()
  for (const a of await all()) {
    const full = (await store.getArticle(a.id))!
    seen.set(full.guid, (seen.get(full.guid) ?? 0) + 1)
  }
  return seen
}

before(async () => {
  if (skip) return
  ;({ server, base } = await serveLoopback(publisher))
  dbName = `tidings_scale_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: BASE_URL })
  await admin.connect()
  await admin.query(`create database ${dbName}`)
  await admin.end()
  const u = new URL(BASE_URL!)
  u.pathname = `/${dbName}`
  dbUrl = u.toString()
  store = await openStore(dbUrl)
  for (let s = 0; s < 4; s++) await addFeed(s, 8)
})

after(async () => {
  if (skip) return
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
  await store?.close()
  server?.closeAllConnections()
  server?.close()
  const admin = new pg.Client({ connectionString: BASE_URL })
  await admin.connect()
  await admin.query(`drop database if exists ${dbName} with (force)`)
  await admin.end()
})

test('two workers and two web nodes: every article ingested exactly once, one story for two copies, every page on both nodes', { skip, timeout: 180_000 }, async () => {
  await Promise.all([start('worker-a', ['worker']), start('worker-b', ['worker'])])
  for (const name of ['web-1', 'web-2']) {
    const { out } = await start(name, ['serve', '--no-worker', '--port', '0'])
    webPorts.push(Number(/on http:\/\/localhost:(\d+)/.exec(out.join(''))![1]))
  }
  const expected = 4 * 8 + 2
  await until('the first round of articles', async () => (await store.countArticles()) >= expected)
  // A moment more: nothing further may arrive (no second copy of anything).
  await new Promise((r) => setTimeout(r, 2000))
  assert.equal(await store.countArticles(), expected)
  for (const [guid, n] of await byGuidOnce()) assert.equal(n, 1, `${guid} stored once`)
  for (const [path, n] of hits) if (/^\/(a\/|wire|copy)/.test(path)) assert.equal(n, 1, `${path} fetched once`)

  const items = await all()
  const wire = items.find((a) => a.title === 'Second ferry berth approved at Calder Quay')!
  const copy = items.find((a) => a.title === 'Calder Quay to get a second ferry berth')!
  await until('both copies placed', async () => {
    const [w, c] = await Promise.all([store.getArticle(wire.id), store.getArticle(copy.id)])
    return w?.storyId != null && c?.storyId != null
  })
  const [w, c] = await Promise.all([store.getArticle(wire.id), store.getArticle(copy.id)])
  assert.equal(c!.storyId, w!.storyId, 'one story for the report and its copy')
  // One duplicate group, whichever worker placed its article first (the original is chosen at read time).
  assert.ok(c!.duplicateOf === w!.id || w!.duplicateOf === c!.id, `one duplicate group: ${JSON.stringify([w!.duplicateOf, c!.duplicateOf])}`)
  const story = await store.getStory(w!.storyId!)
  assert.equal(story?.articleCount, 2)

  for (const port of webPorts) {
    const home = await fetch(`http://127.0.0.1:${port}/`)
    assert.equal(home.status, 200)
    assert.match(await home.text(), /Second ferry berth approved at Calder Quay/)
    for (const a of items.slice(0, 6)) {
      const r = await fetch(`http://127.0.0.1:${port}/articles/${a.id}`)
      assert.equal(r.status, 200, `article ${a.id} on port ${port}`)
      assert.match(await r.text(), new RegExp(a.title))
    }
    assert.equal((await fetch(`http://127.0.0.1:${port}/stories/${w!.storyId}`)).status, 200)
  }
})

test('a worker killed with SIGKILL in the middle of jobs: its jobs run again elsewhere after they expire; nothing lost or doubled', { skip, timeout: 180_000 }, async () => {
  const before = await store.countArticles()
  await addFeed(4, 8, true)
  // Wait until the slow pages are being fetched, then kill one worker outright.
  await until('slow pages in flight', async () => [...hits.keys()].filter((k) => k.startsWith('/slow/')).length >= 3)
  const victim = procs.find((p) => p.name === 'worker-a')!
  victim.child.kill('SIGKILL')
  await until('the killed worker’s jobs done by the other', async () => (await store.countArticles()) >= before + 8, 120_000)
  await new Promise((r) => setTimeout(r, 2000))
  assert.equal(await store.countArticles(), before + 8)
  for (const [guid, n] of await byGuidOnce()) assert.equal(n, 1, `${guid} stored once`)
})

test('every database connection cut (a Postgres restart, as clients see it): workers reconnect and carry on; web nodes too', { skip, timeout: 180_000 }, async () => {
  const admin = new pg.Client({ connectionString: BASE_URL })
  await admin.connect()
  const cut = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName])
  await admin.end()
  assert.ok(cut.rowCount! > 0, 'connections were cut')
  // Our own store lost its connections too: it reconnects like the others.
  const before = await until('the store back', async () => store.countArticles().catch(() => null))
  await addFeed(5, 5)
  await until('articles after the cut', async () => (await store.countArticles()) >= before + 5, 120_000)
  for (const port of webPorts) assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200, `web node ${port} serves after the cut`)
})

test('SIGTERM: a worker finishes or releases its jobs and exits cleanly', { skip, timeout: 60_000 }, async () => {
  const w = procs.find((p) => p.name === 'worker-b')!
  const exited = new Promise<number | null>((resolve) => w.child.once('exit', (code) => resolve(code)))
  w.child.kill('SIGTERM')
  assert.equal(await exited, 0, w.out.join('').slice(-1500))
  assert.match(w.out.join(''), /worker stopped/)
  for (const name of ['web-1', 'web-2']) {
    const p = procs.find((x) => x.name === name)!
    const done = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)))
    p.child.kill('SIGTERM')
    assert.equal(await done, 0)
  }
})
