/**
 * Polite and robust polling against loopback servers: throttling (429 + Retry-After, 403), bot checks,
 * Cache-Control, skipHours, adaptive intervals, and a source that keeps failing being paused, shown as
 * such on the admin page and resumed from there.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { openStore } from '../src/store/open-store.js'
import type { Store } from '../src/store/store.js'
import { refreshSource } from '../src/pipeline/ingest.js'
import { DEFAULT_POLICY, type IngestDeps } from '../src/pipeline/deps.js'
import { createScheduler } from '../src/jobs/scheduler.js'
import { createWebApp } from '../src/web/app.js'
import type { Source } from '../src/domain/types.js'
import { loopbackFetcher, serveLoopback } from './support/loopback.js'

const START = new Date('2026-11-22T12:00:00.000Z') // a Sunday, noon GMT
let clock = START
let store: Store
let deps: IngestDeps
let web: ReturnType<typeof createWebApp>
let closeFetcher = () => {}
const servers: Server[] = []
const hits = new Map<string, number>()
/** One base URL per loopback address: holds and throttling are per host. */
const bases: Record<'throttle' | 'refuse' | 'cf' | 'main', string> = { throttle: '', refuse: '', cf: '', main: '' }

const at = (minutes: number): string => new Date(START.getTime() + minutes * 60_000).toISOString()
const hour = (h: number): string => new Date(START.getTime() - h * 3_600_000).toUTCString()

/** Our own small feed: items without links, so only the feed is fetched. */
function rss(opts: { items: number; channelExtra?: string }): string {
  const items = Array.from({ length: opts.items }, (_, i) =>
    `<item><guid isPermaLink="false">tide-${i}</guid><title>Tide report ${i}</title><pubDate>${hour(i + 1)}</pubDate>` +
    `<description>&lt;p&gt;The evening tide report number ${i} for the harbour, with heights and times for each pier.&lt;/p&gt;</description></item>`,
  ).join('')
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour tides</title><link>https://tides.example/</link>${opts.channelExtra ?? ''}${items}</channel></rss>`
}

const CHALLENGE = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>' +
  '<noscript>Please enable JavaScript and cookies to continue</noscript><script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>'

function handler(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/'
  hits.set(path, (hits.get(path) ?? 0) + 1)
  const xml = { 'content-type': 'application/rss+xml' }
  switch (path) {
    case '/throttled': return void res.writeHead(429, { 'retry-after': '7200', 'content-type': 'text/plain' }).end('slow down')
    case '/refused': return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden')
    case '/challenge': return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(CHALLENGE)
    case '/cf': return void res.writeHead(403, { 'content-type': 'text/html', 'cf-mitigated': 'challenge', server: 'cloudflare' }).end(CHALLENGE)
    case '/cached':
      if (req.headers['if-none-match'] === '"c1"') return void res.writeHead(304, { 'cache-control': 'max-age=7200', etag: '"c1"' }).end()
      return void res.writeHead(200, { ...xml, 'cache-control': 'public, max-age=7200', etag: '"c1"' }).end(rss({ items: 3 }))
    case '/hourly': return void res.writeHead(200, xml).end(rss({ items: 3 }))
    case '/skip':
      if (req.headers['if-none-match'] === '"s1"') return void res.writeHead(304, { etag: '"s1"' }).end()
      return void res.writeHead(200, { ...xml, etag: '"s1"' }).end(rss({ items: 1, channelExtra: '<skipHours><hour>12</hour><hour>13</hour><hour>14</hour></skipHours>' }))
    case '/gone': return void res.writeHead(410, { 'content-type': 'text/plain' }).end('gone')
    case '/broken':
    case '/broken-always': return void res.writeHead(500, { 'content-type': 'text/plain' }).end('oops')
    default: return void res.writeHead(404).end()
  }
}

async function listen(address: string): Promise<string> {
  const { server, base } = await serveLoopback(handler, address)
  servers.push(server)
  return base
}

before(async () => {
  bases.throttle = await listen('127.0.0.2')
  bases.refuse = await listen('127.0.0.3')
  bases.cf = await listen('127.0.0.4')
  bases.main = await listen('127.0.0.5')
  store = await openStore('sqlite::memory:')
  const fetcher = loopbackFetcher(Object.values(bases), { timeoutMs: 3000, maxBodyBytes: 200_000, perHostConcurrency: 2, respectRobots: false }, {
    now: () => clock.getTime(), random: () => 0.5,
  })
  closeFetcher = () => fetcher.close()
  deps = { store, fetch: fetcher, now: () => clock, random: () => 0.5, policy: { ...DEFAULT_POLICY } }
  web = createWebApp({
    store, now: () => clock, siteTitle: 'Tidings', baseUrl: null, adminPassword: null,
    actions: {
      subscribe: async () => { throw new Error('not used') },
      importOpml: async () => { throw new Error('not used') },
      refresh: async (id) => {
        const s = await store.getSource(id)
        return s ? refreshSource(deps, s) : null
      },
    },
  })
})

after(async () => {
  closeFetcher()
  await store.close()
  for (const s of servers) {
    s.closeAllConnections()
    s.close()
  }
})

async function add(base: keyof typeof bases, path: string): Promise<Source> {
  return (await store.addSource({ kind: 'feed', url: `${bases[base]}${path}` }, clock.toISOString())).source
}
const reload = async (s: Source): Promise<Source> => (await store.getSource(s.id))!
const adminPage = async (): Promise<string> => (await web.request('/admin/sources')).text()
/** The admin table row of one source, as text without tags. */
async function adminRow(s: Source): Promise<string> {
  const html = await adminPage()
  const row = new RegExp(`<tr id="source-${s.id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? ''
  return row.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
}

test('429 with Retry-After: stored as throttling, next check after the Retry-After, host not contacted meanwhile', async () => {
  clock = START
  const s = await add('throttle', '/throttled')
  const r = await refreshSource(deps, s)
  assert.equal(r.error?.code, 'http_throttled')
  const stored = await reload(s)
  assert.equal(stored.lastErrorCode, 'http_throttled')
  assert.equal(stored.nextCheckAt, at(120), 'two hours, as the server asked')
  assert.equal(stored.pausedAt, null)

  const again = await refreshSource(deps, stored) // "refresh now" during the hold
  assert.equal(again.error?.code, 'http_throttled')
  assert.equal(hits.get('/throttled'), 1, 'the held host was not contacted')
  assert.match(await adminRow(s), /http_throttled.*Next retry in 2 hours/)
})

test('403 on a feed is throttling: longer back-off than an ordinary error', async () => {
  clock = START
  const refused = await add('refuse', '/refused')
  const broken = await add('main', '/broken')
  assert.equal((await refreshSource(deps, refused)).error?.code, 'http_forbidden')
  assert.equal((await refreshSource(deps, broken)).error?.code, 'http_server_error')
  // Base 5 min, jitter 0.75: an ordinary error waits 3:45, throttling four times that.
  assert.equal((await reload(broken)).nextCheckAt, '2026-11-22T12:03:45.000Z')
  assert.equal((await reload(refused)).nextCheckAt, at(15))
})

test('a bot check served instead of the feed is reported as bot_challenge, with 200 or 403', async () => {
  clock = START
  const plain = await add('main', '/challenge')
  const r = await refreshSource(deps, plain)
  assert.equal(r.error?.code, 'bot_challenge')
  const stored = await reload(plain)
  assert.equal(stored.lastErrorCode, 'bot_challenge')
  assert.match(stored.lastErrorMessage ?? '', /challenge \(HTTP 200, "Just a moment\.\.\." page\)/)
  assert.equal(stored.nextCheckAt, at(15), 'backs off like throttling')

  const cf = await add('cf', '/cf')
  await refreshSource(deps, cf)
  const cfStored = await reload(cf)
  assert.equal(cfStored.lastErrorCode, 'bot_challenge')
  assert.match(cfStored.lastErrorMessage ?? '', /^Cloudflare bot protection answered with a challenge \(HTTP 403, cf-mitigated: challenge\)/)
  assert.match(await adminRow(cf), /bot_challenge/)
})

test('Cache-Control max-age sets the next check, also after 304; without it the publishing rhythm does', async () => {
  clock = START
  const cached = await add('main', '/cached')
  const r = await refreshSource(deps, cached)
  assert.equal(r.outcome, 'updated')
  assert.equal(r.created, 3)
  assert.equal((await reload(cached)).nextCheckAt, at(120))
  const again = await refreshSource(deps, await reload(cached))
  assert.equal(again.outcome, 'not_modified')
  assert.equal((await reload(cached)).nextCheckAt, at(120))

  // Items an hour apart, the latest an hour ago: 3·√60 ≈ 23 min, plus 5% jitter.
  const hourly = await add('main', '/hourly')
  await refreshSource(deps, hourly)
  assert.equal((await reload(hourly)).nextCheckAt, '2026-11-22T12:24:09.000Z')
})

test('skipHours moves the next check past the skipped hours, also after 304', async () => {
  clock = START
  const s = await add('main', '/skip')
  await refreshSource(deps, s)
  const stored = await reload(s)
  assert.deepEqual(stored.pollHints, { ttlMinutes: null, skipHours: [12, 13, 14], skipDays: [] })
  assert.equal(stored.nextCheckAt, at(180), 'hours 12–14 GMT skipped')
  const r = await refreshSource(deps, stored)
  assert.equal(r.outcome, 'not_modified')
  assert.equal((await reload(s)).nextCheckAt, at(180))
})

test('410 Gone pauses at once: not polled, shown as paused, resumed from the admin page', async () => {
  clock = START
  const s = await add('main', '/gone')
  await refreshSource(deps, s)
  const paused = await reload(s)
  assert.equal(paused.lastErrorCode, 'http_gone')
  assert.equal(paused.pausedAt, START.toISOString())
  assert.match(paused.pauseReason ?? '', /410 Gone/)

  clock = new Date(START.getTime() + 7 * 86_400_000)
  const before = hits.get('/gone')
  const scheduler = createScheduler(deps, { tickMs: 60_000, concurrency: 2, autoStart: false })
  await scheduler.tick()
  await scheduler.stop()
  assert.equal(hits.get('/gone'), before, 'the scheduler did not poll the paused source')

  const row = await adminRow(s)
  assert.match(row, /Paused since 7 days ago — the publisher removed this feed \(HTTP 410 Gone\)\. Not polled until resumed\./)
  assert.match(row, /Last error: http_gone/)
  assert.match(row, /Resume/)

  const res = await web.request(`/admin/sources/${s.id}/resume`, { method: 'POST', headers: { origin: 'http://localhost' } })
  assert.equal(res.status, 303)
  assert.match(await (await web.request(res.headers.get('location')!)).text(), /Resumed [^<]*: it will be checked in a moment\./)
  const resumed = await reload(s)
  assert.equal(resumed.pausedAt, null)
  assert.equal(resumed.nextCheckAt, clock.toISOString(), 'checked now')
  assert.ok((await store.dueSources(clock.toISOString(), 100)).some((x) => x.id === s.id), 'due again')
  assert.doesNotMatch(await adminRow(s), /Paused/)
})

test('a source that keeps failing is paused after 10 failures over at least 3 days, with its last error', async () => {
  clock = new Date(START.getTime() + 8 * 86_400_000) // after the test above: the clock never goes back
  const source = await add('main', '/broken-always')
  const seen: { count: number; days: number; paused: boolean }[] = []
  for (let i = 0; i < 30; i++) {
    const cur = await reload(source)
    if (cur.pausedAt) break
    clock = new Date(cur.nextCheckAt)
    await refreshSource(deps, cur)
    const after = await reload(source)
    seen.push({ count: after.errorCount, days: (clock.getTime() - Date.parse(after.failingSince!)) / 86_400_000, paused: after.pausedAt !== null })
    if (!after.pausedAt) assert.match(await adminRow(source), /http_server_error.*Next retry in/)
  }
  const pausedAt = seen.findIndex((x) => x.paused)
  assert.ok(pausedAt > 0, 'paused in the end')
  const p = seen[pausedAt]!
  const prev = seen[pausedAt - 1]!
  assert.ok(p.count >= 10 && p.days >= 3, `paused after ${p.count} failures over ${p.days.toFixed(1)} days`)
  assert.ok(prev.count < 10 || prev.days < 3, 'not a failure earlier')
  const stored = await reload(source)
  assert.equal(stored.lastErrorCode, 'http_server_error')
  assert.match(stored.pauseReason ?? '', new RegExp(`^failed ${p.count} times in a row over 3 days \\(last: http_server_error\\)$`))
  assert.equal((await store.dueSources(new Date(clock.getTime() + 30 * 86_400_000).toISOString(), 100)).some((x) => x.id === source.id), false)
  assert.match(await adminRow(source), /Paused since a few seconds ago — failed \d+ times in a row over 3 days/)
})
