import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Hono } from 'hono'
import { randomBytes } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'
import { acceptsGzip, createPageCache } from './page-cache.js'

/** A site whose pages count their renders, with a cache in front keyed by path unless `?me` is given. */
function site(o: { ttlMs?: number; maxBytes?: number } = {}) {
  let t = 0
  let renders = 0
  const cache = createPageCache({
    ttlMs: o.ttlMs ?? 30_000, maxBytes: o.maxBytes ?? 1_000_000, now: () => t,
    key: (r) => (new URLSearchParams(r.search).has('me') ? null : r.path + r.search),
  })
  const app = new Hono()
  app.use('*', cache.middleware())
  // After the cache, as the site's security headers are: a kept page must still carry them.
  app.use('*', async (c, next) => { await next(); c.header('content-security-policy', "default-src 'self'") })
  app.get('/page/:n', (c) => c.html(`<p>page ${c.req.param('n')}, render ${++renders}</p>`))
  app.get('/big', (c) => c.html(`<p>${randomBytes(300_000).toString('base64')} ${++renders}</p>`))
  app.get('/private', (c) => { c.header('cache-control', 'private, no-store'); return c.html(`<p>${++renders}</p>`) })
  app.get('/cookie', (c) => { c.header('set-cookie', 'a=1'); return c.html(`<p>${++renders}</p>`) })
  app.get('/waiting', (c) => c.html(`<p data-ai-task="7">${++renders}</p>`))
  app.get('/missing', (c) => c.html(`<p>${++renders}</p>`, 404))
  app.get('/json', (c) => c.json({ n: ++renders }))
  app.post('/comment', (c) => c.text('ok'))
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await app.request(path, { headers })
    return { status: r.status, body: await r.text(), etag: r.headers.get('etag'), type: r.headers.get('content-type') }
  }
  return { app, cache, get, tick: (ms: number) => { t += ms } }
}

test('an anonymous page is rendered once while fresh, then again; with its content type and an ETag', async () => {
  const s = site()
  const a = await s.get('/page/1')
  const b = await s.get('/page/1')
  assert.equal(a.body, '<p>page 1, render 1</p>')
  assert.equal(b.body, a.body, 'the second reader gets the kept page')
  assert.match(b.type!, /^text\/html/)
  assert.ok(a.etag && a.etag === b.etag)
  assert.equal((await s.get('/page/1', { 'if-none-match': a.etag! })).status, 304)
  assert.equal((await s.get('/page/1?x=2')).body, '<p>page 1, render 2</p>', 'the query is part of the key')
  s.tick(30_000)
  assert.equal((await s.get('/page/1')).body, '<p>page 1, render 3</p>', 'stale after the TTL')
  assert.deepEqual(s.cache.stats().hits, 2)
})

test('a write through the site empties the cache', async () => {
  const s = site()
  await s.get('/page/1')
  assert.equal((await s.app.request('/comment', { method: 'POST' })).status, 200)
  assert.equal((await s.get('/page/1')).body, '<p>page 1, render 2</p>')
})

test('pages that are not the same for every reader are never kept', async () => {
  const s = site()
  for (const p of ['/private', '/cookie', '/waiting', '/missing', '/json', '/page/1?me']) {
    const first = await s.get(p)
    const second = await s.get(p)
    assert.notEqual(first.body, second.body, `${p} is rendered for each request`)
  }
})

test('the cache stays within its memory, dropping the least recently used', async () => {
  // Room for about eight pages: one page's size, with its key and headers, measured first.
  const probe = site()
  await probe.get('/page/1')
  const one = probe.cache.stats().bytes
  const s = site({ maxBytes: Math.floor(one * 8.5) })
  for (let n = 1; n <= 8; n++) await s.get(`/page/${n}`)
  await s.get('/page/1') // now the most recent
  for (let n = 9; n <= 10; n++) await s.get(`/page/${n}`)
  assert.ok(s.cache.stats().bytes <= one * 8.5, `${s.cache.stats().bytes} bytes`)
  assert.equal((await s.get('/page/1')).body, '<p>page 1, render 1</p>', 'kept')
  assert.equal((await s.get('/page/2')).body, '<p>page 2, render 11</p>', 'dropped')
  const big = site({ maxBytes: 1_000_000 })
  await big.get('/big')
  const renders = async () => Number(/ (\d+)<\/p>$/.exec((await big.get('/big')).body)![1])
  assert.notEqual(await renders(), await renders(), 'a page bigger than an eighth of the cache, gzipped, is not kept')
})

test('with a TTL of 0 nothing is kept', async () => {
  const s = site({ ttlMs: 0 })
  await s.get('/page/1')
  assert.equal((await s.get('/page/1')).body, '<p>page 1, render 2</p>')
})

test('a kept page goes gzipped to a reader who takes gzip, plain to others, each with its own ETag and every header of the first answer', async () => {
  const s = site()
  const first = await s.app.request('/page/1', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
  assert.equal(first.headers.get('content-encoding'), 'gzip', 'the first answer is gzipped too')
  const hit = await s.app.request('/page/1', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
  assert.equal(hit.headers.get('content-encoding'), 'gzip')
  assert.equal(gunzipSync(Buffer.from(await hit.arrayBuffer())).toString(), '<p>page 1, render 1</p>')
  assert.equal(hit.headers.get('content-security-policy'), "default-src 'self'", 'the security policy of the first answer')
  assert.match(hit.headers.get('vary') ?? '', /Accept-Encoding/)
  const gzOnly = s.cache.stats().bytes
  const plain = await s.app.request('/page/1', { headers: { 'accept-encoding': 'gzip;q=0, identity' } })
  assert.ok(s.cache.stats().bytes > gzOnly, 'the inflated page is kept, and counted, once asked for')
  assert.equal(plain.headers.get('content-encoding'), null)
  assert.equal(await plain.text(), '<p>page 1, render 1</p>', 'inflated for a reader who does not take gzip')
  assert.notEqual(plain.headers.get('etag'), hit.headers.get('etag'), 'two representations, two strong ETags')
  assert.equal((await s.app.request('/page/1', { headers: { 'accept-encoding': 'gzip', 'if-none-match': hit.headers.get('etag')! } })).status, 304)
  assert.equal((await s.app.request('/page/1', { headers: { 'if-none-match': hit.headers.get('etag')! } })).status, 200, 'the gzip ETag does not validate the plain page')
})

test('Accept-Encoding: gzip is taken unless refused with q=0', () => {
  assert.equal(acceptsGzip('gzip, deflate, br'), true)
  assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1'), true)
  assert.equal(acceptsGzip('*'), true)
  assert.equal(acceptsGzip('gzip;q=0'), false)
  assert.equal(acceptsGzip('identity'), false)
  assert.equal(acceptsGzip(undefined), false)
  assert.equal(acceptsGzip(''), false)
})

test('a stored page is kept in memory once asked for again soon; readers spread over many pages leave memory to the popular ones', async () => {
  let reads = 0
  const gz = new Uint8Array(gzipSync('<p>stored</p>'))
  const cache = createPageCache({
    ttlMs: 30_000, maxBytes: 1_000_000, key: (r) => `en en auto - ${r.path}`,
    stored: {
      get: () => { reads++; return { gz, headers: { 'content-type': 'text/html; charset=UTF-8', vary: 'Accept-Encoding' }, etag: '"s"', freshUntil: Date.now() + 60_000 } },
      epoch: async () => 0,
      put: async () => true,
    },
  })
  const ask = async (n: number) => {
    const r = { method: 'GET', path: `/articles/${n}`, search: '', header: (h: string) => (h === 'accept-encoding' ? 'gzip' : undefined), remoteAddress: null, warmer: false }
    return (await cache.find(r, {}))?.route
  }
  assert.equal(await ask(1), 'stored page')
  assert.equal(await ask(1), 'stored page', 'the second asking reads it again, and keeps it')
  assert.equal(await ask(1), 'page cache')
  assert.equal(reads, 2)
  // 20,000 pages, each asked for once, then again: every sighting is long forgotten by its second asking.
  for (let n = 2; n <= 20_001; n++) await ask(n)
  let fromMemory = 0
  for (let n = 2; n <= 20_001; n++) if (await ask(n) === 'page cache') fromMemory++
  assert.equal(fromMemory, 0)
  assert.ok(cache.stats().entries <= 2, `memory holds the pages asked for again soon, not the spread (${cache.stats().entries})`)
  assert.equal(await ask(1), 'page cache', 'the popular page is still in memory')
})
