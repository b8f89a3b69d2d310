import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Writable } from 'node:stream'
import iconv from 'iconv-lite'
import { loadConfig } from '../src/config/config.js'
import { buildApp, type App } from '../src/app.js'
import { createLogger } from '../src/observability/logger.js'
import { parseExposition, sample } from './support/prometheus.js'
import { serveLoopback } from './support/loopback.js'

/**
 * Metrics, logs, the fetch log and the health dashboard, through a real app refreshing a loopback
 * publisher: a good feed (one article read from its page, one from the feed because its page is gone,
 * one page in windows-1252 that declares no charset) beside a feed that answers 500.
 */
let server: Server
let base = ''
let app: App
const clock = new Date('2026-11-28T12:00:00.000Z')
const lines: string[] = []
const TOKEN = 'metrics-s3cret-token'
let good = 0
let failing = 0

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${text}</p><p>${text} Again, at length, so that the extractor keeps it.</p></article></body></html>`
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const send = (status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type })
    res.end(body)
  }
  switch (new URL(req.url ?? '/', base).pathname) {
    case '/good.xml': return send(200, 'application/rss+xml', `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour News</title><link>${base}/</link><description>d</description>
<item><guid>h1</guid><title>Ferry line opens</title><link>${base}/a1.html</link><description>The ferry.</description><pubDate>Sat, 28 Nov 2026 10:00:00 GMT</pubDate></item>
<item><guid>h2</guid><title>Bridge closed</title><link>${base}/gone.html</link><description>&lt;p&gt;Only the feed has the text about the bridge closing for repairs this winter.&lt;/p&gt;</description><pubDate>Sat, 28 Nov 2026 09:00:00 GMT</pubDate></item>
<item><guid>h3</guid><title>Café reopens</title><link>${base}/latin.html</link><description>The café.</description><pubDate>Sat, 28 Nov 2026 08:00:00 GMT</pubDate></item>
</channel></rss>`)
    case '/a1.html': return send(200, 'text/html; charset=utf-8', page('Ferry line opens', 'The new ferry line between the two harbours opened on Saturday morning with a full boat of commuters.'))
    case '/latin.html': return send(200, 'text/html', iconv.encode(page('Café reopens', 'The café on the quay reopened after the storm, said its owner, who served crème brûlée to the first guests of the season.'), 'windows-1252'))
    case '/down.xml': return send(500, 'text/plain', 'broken')
    default: return send(404, 'text/plain', 'not found')
  }
}

before(async () => {
  ;({ server, base } = await serveLoopback(handler))
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done() } })
  app = await buildApp(loadConfig({
    DATABASE_URL: 'sqlite::memory:', DEMO: '0', SCHEDULER: '0', WEBSUB: '0', METRICS_TOKEN: TOKEN,
    FETCH_ALLOW_HOSTS: new URL(base).host, FETCH_PER_HOST_INTERVAL_MS: '0', FETCH_RESPECT_ROBOTS: '0', FETCH_TIMEOUT_MS: '3000',
  }), { schedule: false, now: () => clock, random: () => 0.5, logger: createLogger({ level: 'info', format: 'json', destination: sink }) })
  good = (await app.store.addSource({ kind: 'feed', url: `${base}/good.xml`, title: 'Harbour News' }, clock.toISOString())).source.id
  failing = (await app.store.addSource({ kind: 'feed', url: `${base}/down.xml?key=feed-secret`, title: 'Down Daily' }, clock.toISOString())).source.id
  // An attempt from 40 days ago: the first refresh recorded prunes it.
  await app.store.recordFetch({
    sourceId: good, startedAt: new Date(clock.getTime() - 40 * 86_400_000).toISOString(), outcome: 'error', httpStatus: 500, durationMs: 10, bytes: null,
    itemsSeen: 0, created: 0, updated: 0, queued: 0, fullText: 0, feedFallback: 0, mojibakeRepaired: 0, charsetGuessed: 0, itemErrors: 0,
    errorCode: 'ancient_error', errorMessage: 'long ago',
  })
  assert.equal((await app.store.fetchHealth({ now: clock.toISOString() })).find((h) => h.sourceId === good)?.lastErrors[0]?.code, 'ancient_error')
  assert.equal((await app.scheduler.refreshNow(good))?.outcome, 'updated')
  assert.equal((await app.scheduler.refreshNow(failing))?.outcome, 'error')
})

after(async () => {
  await app?.close()
  server?.close()
  server?.closeAllConnections()
})

const remote = { incoming: { socket: { remoteAddress: '203.0.113.9' } } }

async function scrape(): Promise<ReturnType<typeof parseExposition>> {
  const res = await app.web.request('/metrics')
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/)
  const text = await res.text()
  if (process.env.SHOW_METRICS) console.log(text)
  return parseExposition(text)
}

test('the fetch log holds each refresh attempt with its status, size, items and extraction facts; old attempts are pruned', async () => {
  const health = await app.store.fetchHealth({ now: clock.toISOString() })
  const g = health.find((h) => h.sourceId === good)!
  const f = health.find((h) => h.sourceId === failing)!
  assert.deepEqual(g.day, { attempts: 1, ok: 1 })
  assert.deepEqual(g.statusMix, { '2xx': 1 })
  assert.deepEqual(g.extraction, { fullText: 2, feedFallback: 1, mojibakeRepaired: 0, charsetGuessed: 1, itemErrors: 0 })
  assert.deepEqual(g.lastErrors, [], 'the 40-day-old attempt was pruned')
  assert.deepEqual(f.day, { attempts: 1, ok: 0 })
  assert.deepEqual(f.statusMix, { '5xx': 1 })
  assert.equal(f.lastErrors[0]?.code, 'http_server_error')
  assert.equal(f.lastErrors[0]?.httpStatus, 500)
  assert.equal(f.lastErrors[0]?.at, clock.toISOString())
})

test('/metrics parses as Prometheus text and its counters move after requests and refreshes', async () => {
  const before_ = await scrape()
  assert.equal(sample(before_, 'tidings_fetches_total', { outcome: 'updated', status: '2xx' }), 1)
  assert.equal(sample(before_, 'tidings_fetches_total', { outcome: 'error', status: '5xx' }), 1)
  assert.equal(sample(before_, 'tidings_fetch_errors_total', { code: 'http_server_error' }), 1)
  assert.equal(sample(before_, 'tidings_articles_stored_total', { status: 'created' }), 3)
  assert.equal(sample(before_, 'tidings_extractions_total', { result: 'full' }), 2)
  assert.equal(sample(before_, 'tidings_extractions_total', { result: 'feed_fallback' }), 1)
  assert.equal(sample(before_, 'tidings_text_repairs_total', { kind: 'charset_guessed' }), 1)
  assert.equal(sample(before_, 'tidings_articles', {}), 3)
  assert.equal(sample(before_, 'tidings_sources', { state: 'failing' }), 1)
  assert.equal(sample(before_, 'tidings_build_info', { version: '0.1.0', node: process.version, role: 'all' }), 1)
  assert.ok((sample(before_, 'process_resident_memory_bytes', {}) ?? 0) > 0)
  assert.ok(before_.types.get('nodejs_eventloop_lag_seconds') === 'gauge')

  const article = (await app.store.listArticles({ limit: 1 })).items[0]!
  assert.equal((await app.web.request(`/articles/${article.id}`)).status, 200)
  assert.equal((await app.web.request(`/articles/${article.id}`)).status, 200)
  assert.equal((await app.web.request('/articles/99999')).status, 404)
  assert.equal((await app.web.request('/no/such/page')).status, 404)
  assert.equal((await app.scheduler.refreshNow(failing))?.outcome, 'error')
  const after_ = await scrape()
  assert.equal(sample(after_, 'tidings_http_requests_total', { method: 'GET', route: '/articles/:id{[0-9]+}/:slug?', status: '2xx' }), 1, 'by route pattern, not by path')
  assert.equal(sample(after_, 'tidings_http_requests_total', { method: 'GET', route: '/articles/:id{[0-9]+}/:slug?', status: '4xx' }), 1)
  assert.equal(sample(after_, 'tidings_http_requests_total', { method: 'GET', route: 'unmatched', status: '4xx' }), 1)
  assert.equal(sample(after_, 'tidings_http_requests_total', { method: 'GET', route: 'page cache', status: '2xx' }), 1, 'the second reader got the kept page')
  assert.ok((sample(after_, 'tidings_http_requests_total', { method: 'GET', route: '/metrics', status: '2xx' }) ?? 0) >= 1)
  assert.equal(sample(after_, 'tidings_http_request_duration_seconds_count', { method: 'GET', route: '/articles/:id{[0-9]+}/:slug?' }), 2)
  assert.equal(sample(after_, 'tidings_http_request_duration_seconds_bucket', { method: 'GET', route: '/articles/:id{[0-9]+}/:slug?', le: '+Inf' }), 2)
  assert.equal(sample(after_, 'tidings_fetches_total', { outcome: 'error', status: '5xx' }), 2)
  assert.ok(!after_.samples.some((s) => s.labels['route']?.includes('99999')), 'no raw path in a label')
})

test('/metrics: refused from elsewhere without the token, served with it; always to this machine', async () => {
  assert.equal((await app.web.request('/metrics', {}, remote)).status, 403)
  assert.equal((await app.web.request('/metrics', { headers: { authorization: 'Bearer wrong' } }, remote)).status, 403)
  assert.equal((await app.web.request('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 403, 'a proxied request is not local')
  const ok = await app.web.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }, remote)
  assert.equal(ok.status, 200)
  assert.match(await ok.text(), /^# TYPE tidings_http_requests_total counter$/m)
  assert.equal((await app.web.request('/metrics', {}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } })).status, 200)
})

test('logs are JSON lines: requests with method, route, status and time; refresh errors with source and code; never cookies or tokens', async () => {
  lines.length = 0
  await app.web.request('/sources', { headers: { cookie: 'tidings_session=cookie-secret-value', authorization: 'Bearer header-secret-value' } })
  await app.web.request(`/reset/reset-token-secret`)
  await app.scheduler.refreshNow(failing)
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
  const req = records.find((r) => r['component'] === 'http' && r['route'] === '/sources')
  assert.ok(req, lines.join('\n'))
  assert.equal(req['method'], 'GET')
  assert.equal(req['status'], 200)
  assert.equal(typeof req['ms'], 'number')
  assert.equal(req['level'], 30)
  assert.equal(typeof req['time'], 'string')
  const refresh = records.find((r) => r['component'] === 'refresh' && r['msg'] === 'refresh failed')
  assert.ok(refresh, lines.join('\n'))
  assert.equal(refresh['sourceId'], failing)
  assert.equal(refresh['code'], 'http_server_error')
  assert.equal(refresh['status'], 500)
  const all = lines.join('\n')
  for (const secret of ['cookie-secret-value', 'header-secret-value', 'reset-token-secret', 'feed-secret', TOKEN]) assert.ok(!all.includes(secret), `${secret} is not logged`)
})

test('/admin/health: success rate, status mix and last error of the failing source first, the chart with its table', async () => {
  const res = await app.web.request('/admin/health')
  assert.equal(res.status, 200)
  const html = await res.text()
  const downAt = html.indexOf('Down Daily')
  const goodAt = html.indexOf('Harbour News')
  assert.ok(downAt > 0 && goodAt > 0 && downAt < goodAt, 'worst first')
  const downRow = html.slice(html.indexOf(`id="health-${failing}"`), html.indexOf(`id="health-${good}"`))
  assert.match(downRow, /0% <span class="meta">\(0\/\d\)<\/span>/)
  assert.match(downRow, /5xx: \d/)
  assert.match(downRow, /<code>http_server_error<\/code> \(HTTP 500\)/)
  assert.match(downRow, /<time datetime="2026-11-28T12:00:00.000Z">2026-11-28 12:00<\/time>/)
  const goodRow = html.slice(html.indexOf(`id="health-${good}"`))
  assert.match(goodRow, /100% <span class="meta">\(1\/1\)<\/span>/)
  assert.match(goodRow, /66.7% full text <span class="meta">\(2 of 3; 1 from the feed\)/)
  assert.match(goodRow, /1 charset guessed/)
  assert.match(html, /<svg class="day-chart" role="img" aria-labelledby="chart-\d+-t chart-\d+-d"/)
  assert.match(html, /<title id="chart-\d+-t">Articles per day: Harbour News<\/title>/)
  assert.match(html, /<desc id="chart-\d+-d">3 articles in 14 days/)
  assert.match(html, /<summary>Articles per day as a table<\/summary>/)
  assert.match(html, /<th scope="row">Harbour News<\/th>(<td>0<\/td>){13}<td>3<\/td><td>3<\/td>/)
  assert.match(html, /Refreshes run in this process/)
  assert.match(html, /AI tasks: queued <strong>0<\/strong>/)
  const byArticles = await (await app.web.request('/admin/health?sort=articles')).text()
  assert.ok(byArticles.indexOf('Harbour News') < byArticles.indexOf('Down Daily'), 'most articles first')
  const sources = await (await app.web.request('/admin/sources')).text()
  assert.match(sources, /<a href="\/admin\/health">Ingestion health<\/a>/)
  assert.equal((await app.web.request('/admin/health', {}, remote)).status, 403, 'admin only')
})
