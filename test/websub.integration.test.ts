/**
 * WebSub end to end on loopback: a publisher whose feeds name a hub, a fake hub that verifies intent
 * and pushes signed content, and Tidings itself (buildApp, served with @hono/node-server) as the
 * subscriber. The clock is injected, so lease renewal is driven by moving it.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { buildApp, type App } from '../src/app.js'
import { loadConfig } from '../src/config/config.js'
import { signBody } from '../src/pipeline/websub/websub.js'

const T0 = new Date('2026-11-22T12:00:00.000Z')
let clock = T0
const LEASE = 3600

let app: App
let publisher: Server
let hubServer: Server
let tidings: Server
let pub = ''
let hubBase = ''
let ours = ''
const hits: string[] = []

/** What the fake hub saw and did. */
const hub = {
  /** accept: verify intent; deny: send a denial; silent: answer 202 and never call back. */
  mode: 'accept' as 'accept' | 'deny' | 'silent',
  requests: [] as URLSearchParams[],
  verifications: [] as { topic: string; status: number; body: string; challenge: string }[],
  /** Verifications still under way (the hub answers 202 first, then calls back). */
  pending: [] as Promise<void>[],
  /** Verified subscriptions by topic. */
  subs: new Map<string, { callback: string; secret: string | null }>(),
}

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

function atom(entries: number[], opts: { links: boolean }): string {
  const links = opts.links ? `<link rel="self" href="${pub}/pier.xml"/><link rel="hub" href="${hubBase}/hub"/>` : ''
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Pier Notes</title><id>urn:pier-notes</id><updated>2026-11-22T10:00:00Z</updated>
<link href="${pub}/"/>${links}
${entries.map((n) => `<entry><id>urn:pier-notes:${n}</id><title>Pier note ${n}</title><link href="${pub}/a/${n}.html"/>
<updated>2026-11-22T1${n}:00:00Z</updated><summary>Summary of pier note ${n}.</summary></entry>`).join('\n')}
</feed>`
}

function articlePage(n: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pier note ${n}</title></head><body>
<article><h1>Pier note ${n}</h1><p>The harbour master reported on the state of pier ${n} this morning, after the storm.</p>
<p>Repairs to the railing on pier ${n} will start next week and take about a month.</p></article></body></html>`
}

function publish(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/'
  hits.push(url)
  if (url === '/pier.xml') {
    res.writeHead(200, { 'content-type': 'application/atom+xml' })
    return void res.end(atom([1], { links: true }))
  }
  if (url === '/harbour.xml') {
    // This one declares its hub in HTTP Link headers only.
    res.writeHead(200, { 'content-type': 'application/atom+xml', link: `<${hubBase}/hub>; rel="hub", <${pub}/harbour.xml>; rel="self"` })
    return void res.end(atom([5], { links: false }).replace('Pier Notes', 'Harbour Log'))
  }
  const m = /^\/a\/(\d+)\.html$/.exec(url)
  if (m) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    return void res.end(articlePage(Number(m[1])))
  }
  res.writeHead(404).end()
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The fake hub: 202 to every request, then verification of intent (or denial) at the callback. */
function hubHandler(req: IncomingMessage, res: ServerResponse): void {
  void (async () => {
    if (req.method !== 'POST' || req.url !== '/hub') return void res.writeHead(404).end()
    const form = new URLSearchParams(await readBody(req))
    hub.requests.push(form)
    res.writeHead(202).end()
    hub.pending.push(verifyIntent(form))
  })()
}

async function verifyIntent(form: URLSearchParams): Promise<void> {
  const callback = form.get('hub.callback')!
  const topic = form.get('hub.topic')!
  const u = new URL(callback)
  if (hub.mode === 'silent') return
  if (hub.mode === 'deny') {
    u.search = new URLSearchParams({ 'hub.mode': 'denied', 'hub.topic': topic, 'hub.reason': 'this hub serves its own subscribers only' }).toString()
    const r = await call(u.href)
    hub.verifications.push({ topic, status: r.status, body: r.text, challenge: '' })
    return
  }
  const challenge = randomBytes(12).toString('hex')
  u.search = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.challenge': challenge, 'hub.lease_seconds': form.get('hub.lease_seconds') ?? '600' }).toString()
  const r = await call(u.href)
  hub.verifications.push({ topic, status: r.status, body: r.text, challenge })
  if (r.status >= 200 && r.status < 300 && r.text === challenge) hub.subs.set(topic, { callback, secret: form.get('hub.secret') })
}

/** Content distribution as a hub does it, with a signature made with `secret` (or none). */
async function push(topic: string, body: string, opts: { secret?: string | null; contentType?: string; headers?: Record<string, string>; token?: string } = {}) {
  const sub = hub.subs.get(topic)
  assert.ok(sub, `hub has a verified subscription for ${topic}`)
  const secret = opts.secret === undefined ? sub.secret : opts.secret
  const headers: Record<string, string> = { 'content-type': opts.contentType ?? 'application/atom+xml', ...opts.headers }
  if (secret) headers['x-hub-signature'] = signBody(body, secret, 'sha256')
  const callback = opts.token ? `${ours}/websub/${opts.token}` : sub.callback
  return call(callback, { method: 'POST', headers, body })
}

/** One request on its own connection (a 413 may close a pooled one mid-upload). */
function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    // The server may answer (413) and close before the whole body is sent.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)))
    req.end(opts.body)
  })
}

async function settle(): Promise<void> {
  await app.websub!.idle()
  while (hub.pending.length) await Promise.all(hub.pending.splice(0))
  await app.websub!.idle()
}

const feedHits = (path: string) => hits.filter((h) => h === path).length

before(async () => {
  publisher = createServer(publish)
  pub = await listen(publisher)
  hubServer = createServer(hubHandler)
  hubBase = await listen(hubServer)
  // Our own server first, so its address can be the public BASE_URL the hub calls back.
  let handle: ReturnType<typeof getRequestListener> | null = null
  tidings = createServer((req, res) => void handle?.(req, res))
  ours = await listen(tidings)
  app = await buildApp(loadConfig({
    DATABASE_URL: 'sqlite::memory:', DEMO: '0', SCHEDULER: '0', BASE_URL: ours,
    FETCH_ALLOW_HOSTS: `${new URL(pub).host},${new URL(hubBase).host}`, FETCH_PER_HOST_INTERVAL_MS: '0', FETCH_RESPECT_ROBOTS: '0',
    FETCH_TIMEOUT_MS: '3000', FETCH_MAX_BODY_BYTES: '200000', WEBSUB_LEASE_SECONDS: String(LEASE),
  }), { schedule: false, now: () => clock, random: () => 0.5 })
  handle = getRequestListener(app.web.fetch)
})

after(async () => {
  await app?.close()
  for (const s of [publisher, hubServer, tidings]) {
    s?.closeAllConnections()
    s?.close()
  }
})

test('a feed that names a hub is subscribed to, and the hub’s verification of intent is answered', async () => {
  const { source } = await app.store.addSource({ kind: 'feed', url: `${pub}/pier.xml` }, clock.toISOString())
  const report = await app.scheduler.refreshNow(source.id)
  assert.equal(report?.outcome, 'updated')
  assert.equal(report?.created, 1)
  await settle()

  assert.equal(hub.requests.length, 1)
  const form = hub.requests[0]!
  assert.equal(form.get('hub.mode'), 'subscribe')
  assert.equal(form.get('hub.topic'), `${pub}/pier.xml`)
  assert.match(form.get('hub.callback') ?? '', new RegExp(`^${ours}/websub/[A-Za-z0-9_-]{32}$`))
  assert.equal(form.get('hub.lease_seconds'), String(LEASE))
  assert.ok((form.get('hub.secret') ?? '').length >= 32, 'a per-subscription secret')

  const v = hub.verifications[0]!
  assert.equal(v.status, 200)
  assert.equal(v.body, v.challenge, 'the challenge is echoed')
  const sub = await app.store.getWebSub(source.id)
  assert.equal(sub?.state, 'active')
  assert.equal(sub?.leaseExpiresAt, new Date(T0.getTime() + LEASE * 1000).toISOString())
  assert.equal((await app.store.getSource(source.id))?.pushActiveUntil, sub?.leaseExpiresAt, 'polling may slow down until the lease ends')

  const admin = await (await app.web.request('/admin/sources')).text()
  assert.match(admin, new RegExp(`Push via ${new URL(hubBase).host.replace(/\./g, '\\.')}: active until`))
})

test('a verification for another topic, an unknown callback or an unrequested unsubscribe gets 404', async () => {
  const callback = new URL(hub.subs.get(`${pub}/pier.xml`)!.callback)
  const ask = async (path: string, q: Record<string, string>) => (await call(`${ours}${path}?${new URLSearchParams(q)}`)).status
  assert.equal(await ask(callback.pathname, { 'hub.mode': 'subscribe', 'hub.topic': `${pub}/other.xml`, 'hub.challenge': 'x' }), 404)
  assert.equal(await ask(callback.pathname, { 'hub.mode': 'unsubscribe', 'hub.topic': `${pub}/pier.xml`, 'hub.challenge': 'x' }), 404)
  assert.equal(await ask('/websub/no-such-token', { 'hub.mode': 'subscribe', 'hub.topic': `${pub}/pier.xml`, 'hub.challenge': 'x' }), 404)
  const source = await app.store.findSourceByUrl(`${pub}/pier.xml`)
  assert.equal((await app.store.getWebSub(source!.id))?.state, 'active', 'still active')
})

test('a signed push stores the new article without polling the feed', async () => {
  const before = feedHits('/pier.xml')
  // Sent as text/plain from a foreign origin: the callback must not be caught by the CSRF check.
  const r = await push(`${pub}/pier.xml`, atom([2], { links: true }), { contentType: 'text/plain; charset=utf-8', headers: { origin: 'https://hub.example' } })
  assert.equal(r.status, 202)
  await settle()
  const source = (await app.store.findSourceByUrl(`${pub}/pier.xml`))!
  const titles = (await app.store.listArticles({ limit: 10, sourceId: source.id })).items.map((a) => a.title)
  assert.deepEqual(titles.sort(), ['Pier note 1', 'Pier note 2'])
  assert.equal(feedHits('/pier.xml'), before, 'the feed was not fetched')
  const sub = await app.store.getWebSub(source.id)
  assert.equal(sub?.lastPushAt, clock.toISOString())
  assert.equal(sub?.lastErrorCode, null)
})

test('pushes with a wrong signature or none are acknowledged but ignored; garbage never gives a 500', async () => {
  const topic = `${pub}/pier.xml`
  const source = (await app.store.findSourceByUrl(topic))!
  const count = async () => (await app.store.listArticles({ limit: 50, sourceId: source.id })).items.length
  const n = await count()

  const forged = await push(topic, atom([3], { links: true }), { secret: 'not-the-secret' })
  assert.equal(forged.status, 202)
  await settle()
  assert.equal(await count(), n, 'forged content is not stored')
  assert.equal((await app.store.getWebSub(source.id))?.lastErrorCode, 'websub_bad_signature')

  const unsigned = await push(topic, atom([4], { links: true }), { secret: null })
  assert.equal(unsigned.status, 202)
  await settle()
  assert.equal(await count(), n)
  assert.equal((await app.store.getWebSub(source.id))?.lastErrorCode, 'websub_unsigned')

  const garbage = await push(topic, '\u0000\u0001 not a feed {{{')
  assert.equal(garbage.status, 202, 'signed garbage is accepted, then fails to parse')
  await settle()
  const sub = await app.store.getWebSub(source.id)
  assert.ok(sub?.lastErrorCode?.startsWith('feed_'), `parse error recorded, got ${sub?.lastErrorCode}`)
  assert.equal(sub?.state, 'active', 'a bad push does not end the subscription')
  assert.equal(await count(), n)

  assert.equal((await push(topic, atom([3], { links: true }), { token: 'no-such-token' })).status, 410, 'unknown callback: the hub should stop')
  const huge = await push(topic, `<feed>${'x'.repeat(300_000)}</feed>`)
  assert.equal(huge.status, 413)
})

test('the lease is renewed before it ends', async () => {
  const source = (await app.store.findSourceByUrl(`${pub}/pier.xml`))!
  const requests = hub.requests.length
  clock = new Date(T0.getTime() + 0.75 * LEASE * 1000)
  await app.scheduler.tick()
  await settle()
  assert.equal(hub.requests.length, requests, 'not yet at 75% of the lease')

  clock = new Date(T0.getTime() + 0.9 * LEASE * 1000)
  await app.scheduler.tick()
  await settle()
  assert.equal(hub.requests.length, requests + 1, 'renewed by 90% of the lease')
  const renewal = hub.requests.at(-1)!
  assert.equal(renewal.get('hub.topic'), `${pub}/pier.xml`)
  assert.equal(renewal.get('hub.callback'), hub.subs.get(`${pub}/pier.xml`)!.callback, 'same callback')
  const sub = await app.store.getWebSub(source.id)
  assert.equal(sub?.state, 'active')
  assert.equal(sub?.leaseExpiresAt, new Date(clock.getTime() + LEASE * 1000).toISOString(), 'the new lease runs from the renewal')
  assert.ok(Date.parse(sub!.leaseExpiresAt!) > T0.getTime() + LEASE * 1000)
})

test('when the hub denies, the subscription is recorded as denied and polling goes on', async () => {
  hub.mode = 'deny'
  const { source } = await app.store.addSource({ kind: 'feed', url: `${pub}/harbour.xml` }, clock.toISOString())
  const asked = () => hub.requests.filter((f) => f.get('hub.topic') === `${pub}/harbour.xml`).length
  await app.scheduler.refreshNow(source.id)
  await settle()
  assert.equal(asked(), 1, 'the hub named in the Link header was asked')
  assert.equal(hub.verifications.at(-1)?.status, 200, 'the denial is acknowledged')

  const sub = await app.store.getWebSub(source.id)
  assert.equal(sub?.state, 'denied')
  assert.equal(sub?.lastErrorCode, 'websub_denied')
  assert.match(sub?.lastErrorMessage ?? '', /serves its own subscribers only/)
  const s = (await app.store.getSource(source.id))!
  assert.equal(s.pushActiveUntil, null)
  assert.ok(Date.parse(s.nextCheckAt) - clock.getTime() <= 60 * 60_000, 'next poll on the normal schedule')

  const polls = feedHits('/harbour.xml')
  clock = new Date(clock.getTime() + 60 * 60_000)
  await app.scheduler.tick()
  await settle()
  assert.equal(feedHits('/harbour.xml'), polls + 1, 'polled again')
  assert.equal(asked(), 1, 'a denying hub is not asked again within the hour')
  const admin = await (await app.web.request('/admin/sources')).text()
  assert.match(admin, /not active \(polling as usual\)/)
  assert.match(admin, /websub_denied/)
})

test('a denied subscription is asked for again a day later; when its lease then runs out unrenewed, push is no longer relied on', async () => {
  // The last test's renewal of the pier feed was denied too; the hub now accepts again.
  hub.mode = 'accept'
  const source = (await app.store.findSourceByUrl(`${pub}/pier.xml`))!
  assert.equal((await app.store.getWebSub(source.id))?.state, 'denied')
  clock = new Date(clock.getTime() + 25 * 3_600_000)
  await app.scheduler.tick()
  await settle()
  const before = (await app.store.getWebSub(source.id))!
  assert.equal(before.state, 'active', 'asked again and confirmed')
  assert.ok((await app.store.getSource(source.id))?.pushActiveUntil)

  hub.mode = 'silent'
  clock = new Date(Date.parse(before.leaseExpiresAt!) + 60_000)
  await app.scheduler.tick()
  await settle()
  const sub = await app.store.getWebSub(source.id)
  assert.equal(sub?.state, 'expired')
  assert.equal((await app.store.getSource(source.id))?.pushActiveUntil, null, 'normal polling again')
  assert.ok(Date.parse(sub!.requestedAt!) === clock.getTime(), 'asked again at once')
  const admin = await (await app.web.request('/admin/sources')).text()
  assert.match(admin, /lease ran out \(polling as usual\)/)
})
