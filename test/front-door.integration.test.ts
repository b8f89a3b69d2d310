/**
 * The front door end to end, over a socket: a page kept in memory or stored in the database is answered
 * from Node's request, byte for byte as Hono answered it, and every request it cannot answer for sure
 * goes on to Hono. A real SQLite file and a real HTTP server on loopback.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { getRequestListener } from '@hono/node-server'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { article } from '../src/store/store.contract.js'
import { createWebSite } from '../src/web/app.js'
import { frontDoor } from '../src/web/front-door.js'
import { createAiService } from '../src/ai/service.js'
import { createStoredPages } from '../src/web/stored-pages.js'

const H = 3_600_000
const T0 = Date.parse('2026-11-22T12:00:00.000Z')
const ago = (ms: number) => new Date(T0 - ms).toISOString()

let dir: string
let store: Store
const ids: number[] = []
const servers: Server[] = []

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; html: string }

/** One web process over `s` behind the front door; `answered` lists the front door's own answers (route, status). */
async function site(s: Store, o: { memory: boolean }) {
  const stored = createStoredPages({ store: s, build: () => 'b1', now: () => T0 })
  const { app, pages } = createWebSite({
    store: s, now: () => new Date(T0), siteTitle: 'Tidings', baseUrl: null, adminPassword: 'set',
    pageCache: o.memory ? { ttlMs: 60_000, maxBytes: 8 << 20 } : { ttlMs: 0, maxBytes: 0 }, storedPages: stored,
    actions: { subscribe: async () => { throw new Error('unused') }, importOpml: async () => { throw new Error('unused') }, refresh: async () => null },
    ai: createAiService({ store: s, now: () => new Date(T0), features: null, siteLang: 'en', precompute: false }),
    siteLang: 'en',
  })
  const answered: string[] = []
  const readers = { inFlight: 0, lastAt: 0 }
  const server = createServer(frontDoor({ pages, app: getRequestListener(app.fetch), observe: (a) => answered.push(`${a.route} ${a.status}`), readers }))
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks)
        resolve({ status: res.statusCode!, headers: res.headers, body, html: (res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8') })
      })
    })
    req.on('error', reject)
    req.end()
  })
  return { get, answered, readers }
}
/** The store as a process would see it that cannot render an article page. */
const cannotRender = (s: Store): Store => new Proxy(s, {
  get: (target, p) => p === 'getArticle' ? async () => { throw new Error('rendered') } : (target as never)[p],
})
const GZ = { 'accept-encoding': 'gzip, deflate, br' }
/** The headers a reader's browser and caches act on (Date differs by the second; Connection and Keep-Alive are the socket's). */
const meaningful = (h: Answer['headers']) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)))

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-front-'))
  store = await openStore(`sqlite:${join(dir, 't.db')}`)
  const { source } = await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald' }, ago(48 * H))
  for (let n = 1; n <= 3; n++) {
    ids.push((await store.saveArticle(article(source.id, n, { title: `Ferry report ${n}`, published: ago(n * 3 * H) }), ago(n * 3 * H))).id)
  }
})
after(async () => {
  for (const s of servers) s.close()
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('a page in memory is answered by the front door as Hono answered it: gzipped, plain, 304', async () => {
  const s = await site(store, { memory: true })
  const first = await s.get(`/articles/${ids[0]}`, GZ)
  assert.equal(first.status, 200)
  assert.deepEqual(s.answered, [], 'the first reader’s page is rendered by Hono')
  const again = await s.get(`/articles/${ids[0]}`, GZ)
  assert.deepEqual(s.answered, ['page cache 200'])
  assert.deepEqual(again.body, first.body, 'the same bytes')
  assert.deepEqual(meaningful(again.headers), meaningful(first.headers), 'and the same headers (security policy, ETag, Vary, length)')
  assert.match(String(again.headers['content-security-policy']), /default-src 'self'/)
  const plain = await s.get(`/articles/${ids[0]}`)
  assert.equal(plain.headers['content-encoding'], undefined)
  assert.equal(plain.html, first.html, 'inflated for a reader who does not take gzip')
  assert.equal(Number(plain.headers['content-length']), plain.body.length)
  const revalidated = await s.get(`/articles/${ids[0]}`, { ...GZ, 'if-none-match': String(first.headers['etag']) })
  assert.equal(revalidated.status, 304)
  assert.equal(revalidated.body.length, 0)
  assert.deepEqual(s.answered, ['page cache 200', 'page cache 200', 'page cache 304'])
  assert.equal(s.readers.inFlight, 0)
  assert.ok(s.readers.lastAt > 0, 'the front door’s answers count as readers’ requests (the warmer waits for a pause)')
})

test('a stored page is answered by another process’s front door without a rendering', async () => {
  await store.clearStoredPages()
  const first = await (await site(store, { memory: false })).get(`/articles/${ids[1]}`, GZ)
  for (let i = 0; i < 200 && (await store.storedPageCounts({ build: 'b1', now: T0 })).pages < 1; i++) await new Promise((r) => setTimeout(r, 5))
  const other = await site(cannotRender(store), { memory: false })
  const again = await other.get(`/articles/${ids[1]}`, GZ)
  assert.equal(again.status, 200)
  assert.deepEqual(other.answered, ['stored page 200'])
  assert.equal(again.html, first.html)
  assert.equal(other.readers.inFlight, 0)
})

test('what the front door cannot answer for sure goes on to Hono', async () => {
  const s = await site(store, { memory: true })
  await s.get(`/articles/${ids[2]}`, GZ)
  await s.get(`/articles/${ids[2]}`, GZ)
  assert.deepEqual(s.answered, ['page cache 200'])
  const session = await s.get(`/articles/${ids[2]}`, { ...GZ, cookie: 'tidings_session=not-a-session' })
  assert.equal(session.status, 200)
  const escaped = await s.get(`/articles/${ids[2]}/%66erry`, GZ)
  assert.equal(escaped.status, 200, 'a percent-escaped address is Hono’s to read')
  const dotted = await s.get(`/articles/./${ids[2]}`, GZ)
  assert.ok(dotted.status > 0)
  const head = await s.get(`/articles/${ids[2]}`, GZ, 'HEAD')
  assert.equal(head.status, 200)
  assert.deepEqual(s.answered, ['page cache 200'], 'none of these was the front door’s')
  // A write through this process empties memory: the next reader's page comes from the database.
  await s.get(`/articles/${ids[2]}`, {}, 'POST')
  await s.get(`/articles/${ids[2]}`, GZ)
  assert.deepEqual(s.answered, ['page cache 200', 'stored page 200'])
})
