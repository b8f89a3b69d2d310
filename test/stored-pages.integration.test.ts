/**
 * Stored pages end to end: article pages rendered by one web process are answered by another from the
 * database without rendering, go when what they show changes, are rendered again when a relative time
 * on them moves on, and the warmer fills them ahead of readers. A real SQLite file, through
 * `app.fetch()`, no socket.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { article } from '../src/store/store.contract.js'
import { createWebApp } from '../src/web/app.js'
import { WARMER_ENV, warmedPagePrefix } from '../src/web/page-key.js'
import { createAiService } from '../src/ai/service.js'
import { createStoredPages, relatedDue } from '../src/web/stored-pages.js'
import { createPageWarmer } from '../src/web/page-warmer.js'

const H = 3_600_000
const T0 = Date.parse('2026-11-22T12:00:00.000Z')
let t = T0
const ago = (ms: number) => new Date(T0 - ms).toISOString()

let dir: string
let store: Store
const ids: number[] = []

/** A web process over `s` (the store, or one that refuses to render article pages). */
function site(s: Store, build = 'b1') {
  const stored = createStoredPages({ store: s, build: () => build, now: () => t })
  const app = createWebApp({
    store: s, now: () => new Date(t), siteTitle: 'Tidings', baseUrl: null, adminPassword: 'set',
    // Nothing in memory: every answer is the database's or a rendering.
    pageCache: { ttlMs: 0, maxBytes: 0 }, storedPages: stored,
    actions: { subscribe: async () => { throw new Error('unused') }, importOpml: async () => { throw new Error('unused') }, refresh: async () => null },
    ai: createAiService({ store: s, now: () => new Date(t), features: null, siteLang: 'en', precompute: false }),
    siteLang: 'en',
  })
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await app.request(path, { headers })
    const body = Buffer.from(await r.arrayBuffer())
    return { status: r.status, headers: r.headers, html: r.headers.get('content-encoding') === 'gzip' ? gunzipSync(body).toString('utf8') : body.toString('utf8') }
  }
  return { app, get }
}
/** The store as a process would see it that cannot render an article page: what it answers came from storage. */
const cannotRender = (s: Store): Store => new Proxy(s, {
  get: (target, p) => p === 'getArticle' ? async () => { throw new Error('rendered') } : (target as never)[p],
})
const storedCount = async () => (await store.storedPageCounts({ build: 'b1', now: t })).pages
/** Pages are stored after the answer is sent: wait for `n` of them. */
async function until(n: number) {
  for (let i = 0; i < 200 && await storedCount() < n; i++) await new Promise((r) => setTimeout(r, 5))
  assert.equal(await storedCount(), n)
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-stored-'))
  store = await openStore(`sqlite:${join(dir, 't.db')}`)
  const { source } = await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald' }, ago(48 * H))
  for (let n = 1; n <= 4; n++) {
    ids.push((await store.saveArticle(article(source.id, n, {
      title: `Ferry report ${n}`, published: ago(n * 3 * H), tags: [{ slug: 'ferries', label: 'Ferries' }],
    }), ago(n * 3 * H))).id)
  }
})
after(async () => {
  await store?.close()
  rmSync(dir, { recursive: true, force: true })
})

test('a page one process rendered is answered by another from the database, gzipped or plain, with its ETag', async () => {
  t = T0
  const first = await site(store).get(`/articles/${ids[0]}`)
  assert.equal(first.status, 200)
  await until(1)
  const other = site(cannotRender(store))
  const again = await other.get(`/articles/${ids[0]}/ferry-report-1`, { 'accept-encoding': 'gzip' })
  assert.equal(again.status, 200, 'answered without rendering (the slug does not matter)')
  assert.equal(again.headers.get('content-encoding'), 'gzip')
  assert.equal(again.html, first.html)
  assert.equal(again.headers.get('content-security-policy'), first.headers.get('content-security-policy'), 'with the first answer’s headers')
  const plain = await other.get(`/articles/${ids[0]}`)
  assert.equal(plain.headers.get('content-encoding'), null)
  assert.equal(plain.html, first.html)
  assert.equal((await other.get(`/articles/${ids[0]}`, { 'if-none-match': plain.headers.get('etag')! })).status, 304)
  // Not for another reader's view, nor for another build.
  assert.equal((await other.get(`/articles/${ids[0]}`, { 'accept-language': 'ja' })).status, 500, 'a Japanese reader’s page is its own')
  assert.equal((await site(cannotRender(store), 'b2').get(`/articles/${ids[0]}`)).status, 500, 'another build renders its own')
  assert.equal((await other.get(`/articles/${ids[0]}`, { cookie: 'tidings_session=x' })).status, 500, 'a signed-in reader never gets a stored page')
})

test('a stored page is read without waiting on a SQLite file; when that read fails, through the main connection', async () => {
  t = T0
  await store.clearStoredPages()
  const first = await site(store).get(`/articles/${ids[2]}`)
  await until(1)
  const tier = createStoredPages({ store, build: () => 'b1', now: () => t })
  const key = `${warmedPagePrefix('en')}${ids[2]}`
  const now = tier.get(key)
  assert.ok(now !== null && !(now instanceof Promise), 'answered in the same turn, without a promise')
  assert.equal(gunzipSync(now.gz).toString('utf8'), first.html)
  // A busy file (or a broken one): the error is told, and the page comes the slower way.
  const errors: string[] = []
  const busy = new Proxy(store, { get: (target, p) => p === 'storedPageReader' ? () => () => { throw new Error('SQLITE_BUSY') } : (target as never)[p] })
  const slow = createStoredPages({ store: busy, build: () => 'b1', now: () => t, onError: (m) => errors.push(m) }).get(key)
  assert.ok(slow instanceof Promise)
  assert.equal(gunzipSync((await slow)!.gz).toString('utf8'), first.html)
  assert.deepEqual(errors, ['could not read a stored page without waiting'])
})

test('a new comment drops the page, whichever process writes it; the next reader sees the comment', async () => {
  t = T0
  await store.clearStoredPages()
  await site(store).get(`/articles/${ids[1]}`)
  await until(1)
  const u = (await store.createUser({ name: 'commenter', passwordHash: 'x', role: 'reader' }, ago(H)))!
  await store.addComment({ subject: 'article', subjectId: ids[1]!, parentId: null, userId: u.id, body: 'The evening sailing was on time.', status: 'visible', statusReason: null }, ago(1000))
  assert.equal(await storedCount(), 0)
  const next = await site(store).get(`/articles/${ids[1]}`)
  assert.ok(next.html.includes('The evening sailing was on time.'))
})

test('a stored page is sent with its relative times as they read now, without a rendering', async () => {
  t = T0
  await store.clearStoredPages()
  const first = await site(store).get(`/articles/${ids[2]}`, { 'accept-encoding': 'gzip' })
  assert.ok(first.html.includes('>9 hours ago</time>'))
  assert.ok(first.html.includes('>9 hours ago</time>'))
  await until(1)
  const same = await site(cannotRender(store)).get(`/articles/${ids[2]}`, { 'accept-encoding': 'gzip' })
  assert.equal(same.html, first.html, 'the same page while the times read the same')
  t = T0 + 31 * 60_000
  const later = await site(cannotRender(store)).get(`/articles/${ids[2]}`, { 'accept-encoding': 'gzip' })
  assert.equal(later.status, 200, 'still from storage')
  assert.ok(later.html.includes('>10 hours ago</time>'), 'at 9.5 hours it reads "10 hours ago"')
  assert.ok(later.html.includes('>4 hours ago</time>'), 'and the card of the 3-hour-old article "4 hours ago"')
  assert.equal(later.html, (await site(store).get(`/articles/${ids[2]}?fresh`)).html.replace('?fresh', ''), 'as a rendering now would read')
  assert.notEqual(later.headers.get('etag'), same.headers.get('etag'), 'a new ETag for the new texts')
  const ja = await site(store).get(`/articles/${ids[2]}`, { 'accept-language': 'ja' })
  await until(2)
  assert.ok(ja.html.includes('>10 時間前</time>'))
  t = T0 + 92 * 60_000
  assert.ok((await site(cannotRender(store)).get(`/articles/${ids[2]}`, { 'accept-language': 'ja' })).html.includes('>11 時間前</time>'), 'in the page’s language')
})

test('relatedDue: an eighth of the article’s age, from 10 minutes to a day', () => {
  assert.equal(relatedDue({ now: T0, at: ago(2 * H) }), T0 + 15 * 60_000)
  assert.equal(relatedDue({ now: T0, at: ago(10 * 60_000) }), T0 + 10 * 60_000)
  assert.equal(relatedDue({ now: T0, at: ago(40 * 24 * H) }), T0 + 24 * H)
  assert.equal(relatedDue({ now: T0, at: 'not a date' }), T0 + 10 * 60_000)
})

test('the warmer renders every missing page newest first, then finds none; readers get them from storage', async () => {
  t = T0
  await store.clearStoredPages()
  const web = site(store)
  const rendered: string[] = []
  const warmer = createPageWarmer({
    store, build: () => 'b1', keyPrefix: warmedPagePrefix('en'), now: () => t, window: 3,
    render: async (path) => {
      rendered.push(path)
      const r = await web.app.fetch(new Request(`http://tidings.internal${path}`), WARMER_ENV)
      await r.arrayBuffer()
      return r.status
    },
  })
  const r = await warmer.pass()
  assert.deepEqual(rendered, ids.map((id) => `/articles/${id}`), 'newest first, each once')
  assert.equal(r.rendered, 4)
  assert.equal(r.failed, 0)
  await until(4)
  assert.equal((await warmer.pass()).rendered, 0, 'nothing left to render')
  for (const id of ids) assert.equal((await site(cannotRender(store)).get(`/articles/${id}`)).status, 200, `article ${id} from storage`)
})
