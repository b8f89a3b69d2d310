import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Store } from '../store/store.js'
import { openStore } from '../store/open-store.js'
import { article } from '../store/store.contract.js'
import { ok, err, stageError } from '../domain/result.js'
import { createWebApp, type WebDeps } from './app.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
let store: Store
let app: ReturnType<typeof createWebApp>
const calls: string[] = []
let ids: { original: number; copy: number; ja: number; other: number; sourceA: number; sourceB: number }

const h = (n: number) => new Date(NOW.getTime() - n * 3_600_000).toISOString()
const post = (path: string, body: Record<string, string> | FormData, headers: Record<string, string> = {}) =>
  app.request(path, {
    method: 'POST',
    body: body instanceof FormData ? body : new URLSearchParams(body),
    headers: { origin: 'http://localhost', ...headers },
  })

before(async () => {
  store = await openStore('sqlite::memory:')
  const a = (await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald' }, h(48))).source
  const b = (await store.addSource({ kind: 'feed', url: 'https://kita.example/feed.json', title: 'Kita Daily' }, h(48))).source
  await store.updateSource(b.id, { errorCount: 3, lastErrorCode: 'http_server_error', lastErrorMessage: 'HTTP 502 Bad Gateway for https://kita.example/feed.json' })
  const t = (...x: string[]) => x.map((s) => ({ slug: s, label: s[0]!.toUpperCase() + s.slice(1) }))
  const original = await store.saveArticle(article(a.id, 1, {
    title: 'Ferry line reopens after storm repairs',
    author: { name: 'Mina Okafor', bio: 'Mina Okafor covers transport for the Herald.' },
    published: h(4),
    text: 'The harbor ferry returned to service on Monday.\nRepairs to the pier took six weeks.',
    html: '<p>The harbor ferry returned to service on Monday.</p><p>Repairs to the pier took six weeks.</p>',
    captions: [{ text: 'The ferry at the east pier.', credit: 'Photo: Lee Park', imageUrl: 'https://herald.example/ferry.jpg' }],
    leadImage: 'https://herald.example/ferry.jpg',
    altLinks: [{ lang: 'ja', url: 'https://herald.example/ja/ferry' }],
    tags: t('transport', 'harbor'),
    cleanup: { removed: [{ text: 'Where to invest now? Continue »', reason: 'promo' }], injected: [{ text: '华体会', reason: 'Han script in an English article' }], repaired: 1, spacesRestored: 0 },
  }), NOW.toISOString())
  const copy = await store.saveArticle(article(b.id, 2, {
    title: 'Harbor ferry back in service', published: h(1),
    text: 'This report was first published by Harbor Herald.\nThe harbor ferry returned to service on Monday.',
    html: '<p>This report was first published by Harbor Herald.</p><p>The harbor ferry returned to service on Monday.</p>',
    tags: t('transport', 'harbor'),
  }), NOW.toISOString())
  const ja = await store.saveArticle(article(b.id, 3, { title: '港のフェリーが運航再開', lang: 'ja', published: h(0.4), text: 'フェリーが再開した。', tags: t('transport') }), NOW.toISOString())
  const other = await store.saveArticle(article(a.id, 4, { title: 'Council weighs library hours', published: h(30), text: 'The council met.', tags: t('council') }), NOW.toISOString())
  for (let i = 10; i < 40; i++) await store.saveArticle(article(a.id, i, { title: `Filler story ${i}`, published: h(50 + i) }), NOW.toISOString())
  ids = { original: original.id, copy: copy.id, ja: ja.id, other: other.id, sourceA: a.id, sourceB: b.id }
  const deps: WebDeps = {
    store, now: () => NOW, siteTitle: 'Tidings', baseUrl: null, adminPassword: null,
    actions: {
      async subscribe(url) {
        calls.push(`subscribe ${url}`)
        if (url.includes('broken')) return err(stageError('parse', 'no_feed_found', 'https://broken.example/ is not a feed and declares none'))
        const r = await store.addSource({ kind: 'feed', url, title: 'New Source' }, NOW.toISOString())
        return ok(r)
      },
      async importOpml(text) {
        calls.push(`import ${text.length}`)
        return ok({ added: 2, existing: 1, failed: [] })
      },
      async refresh(id) {
        calls.push(`refresh ${id}`)
        return { sourceId: id, url: 'x', outcome: 'updated', created: 3, updated: 1, unchanged: 0, degraded: 0, error: null, nextCheckAt: NOW.toISOString() }
      },
    },
  }
  app = createWebApp(deps)
})
after(async () => { await store.close() })

test('home lists the latest articles with source, relative time and title, and pages on', async () => {
  const res = await app.request('/')
  assert.equal(res.status, 200)
  const html = await res.text()
  assert.match(html, /<html lang="en">/)
  assert.ok(html.indexOf('港のフェリーが運航再開') < html.indexOf('Harbor ferry back in service'), 'newest first')
  assert.ok(html.indexOf('Harbor ferry back in service') < html.indexOf('Ferry line reopens after storm repairs'))
  assert.match(html, /26 minutes ago|24 minutes ago/)
  assert.match(html, /an hour ago/)
  assert.match(html, /4 hours ago/)
  const next = /href="(\/\?after=[^"]+)"/.exec(html)?.[1]
  assert.ok(next, 'an "Older articles" link')
  const page2 = await (await app.request(next!.replace(/&amp;/g, '&'))).text()
  assert.match(page2, /Filler story/)
  assert.doesNotMatch(page2, /Harbor ferry back in service/)
})

test('article page carries title, source, author with bio, time, body, captions apart, languages, tags and related cards', async () => {
  const res = await app.request(`/articles/${ids.original}`)
  assert.equal(res.status, 200)
  const html = await res.text()
  assert.match(html, /<h1>Ferry line reopens after storm repairs<\/h1>/)
  assert.match(html, /class="source" href="\/sources\/\d+">Harbor Herald</)
  assert.match(html, /Author: <a class="author" href="\/authors\/mina-okafor">Mina Okafor<\/a>/)
  assert.match(html, /Mina Okafor covers transport for the Herald\./)
  assert.match(html, /4 hours ago/)
  assert.match(html, /<div class="body"><p>The harbor ferry returned to service on Monday\.<\/p>/)
  assert.match(html, /<figcaption[^>]*>The ferry at the east pier\. <span class="credit">Photo: Lee Park<\/span><\/figcaption>/)
  assert.doesNotMatch(html.slice(html.indexOf('class="body"'), html.indexOf('</div>', html.indexOf('class="body"'))), /east pier/, 'caption not glued into the body')
  assert.match(html, /Read the article in Japanese/)
  assert.match(html, /Tidings cleaned this article/)
  assert.match(html, /Hid text that looks injected: <q>华体会<\/q>/)
  assert.match(html, /Removed from the body \(promo\)/)
  assert.match(html, /href="\/tags\/transport">#Transport</)
  const related = html.slice(html.indexOf('Related Articles'))
  assert.match(related, /Harbor ferry back in service/, 'the copy on the same topic is related')
  assert.match(related, /Kita Daily/)
  assert.ok(!related.includes('Ferry line reopens after storm repairs'), 'not related to itself')
})

test('pages that do not exist answer 404 with a page', async () => {
  for (const p of ['/articles/999999', '/articles/99999999999999999999999', '/sources/99999', '/sources/0', '/tags/nope', '/nowhere']) {
    const res = await app.request(p)
    assert.equal(res.status, 404, p)
    assert.match(await res.text(), /Not found/)
  }
})

test('source, tag, sources and search pages', async () => {
  const source = await (await app.request(`/sources/${ids.sourceB}`)).text()
  assert.match(source, /Kita Daily/)
  assert.match(source, /HTTP 502 Bad Gateway/, 'a failing source shows its error')
  const tag = await (await app.request('/tags/transport')).text()
  assert.match(tag, /#Transport/)
  assert.match(tag, /港のフェリーが運航再開/)
  assert.doesNotMatch(tag, /Council weighs library hours/)
  const index = await (await app.request('/sources')).text()
  assert.match(index, /Harbor Herald/)
  const search = await (await app.request('/search?q=ferry+-storm')).text()
  assert.match(search, /Harbor ferry back in service/)
  assert.doesNotMatch(search, /Ferry line reopens/)
  const none = await (await app.request('/search?q=zzzzqqq')).text()
  assert.match(none, /Nothing matches/)
  const evil = await (await app.request('/search?q=%3Cscript%3Ealert(1)%3C/script%3E')).text()
  assert.doesNotMatch(evil, /<script>alert/, 'the query is escaped')
})

test('responses carry a strict content security policy and no inline script', async () => {
  const res = await app.request(`/articles/${ids.original}`)
  const csp = res.headers.get('content-security-policy') ?? ''
  assert.match(csp, /script-src 'self'/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
  // Scripts are same-origin files, deferred: none inline, none render-blocking.
  assert.doesNotMatch(await res.text(), /<script(?! src="\/assets\/[a-z]+\.[0-9a-f]+\.js" defer="">)/)
  const css = /href="(\/assets\/style\.[0-9a-f]+\.css)"/.exec(await (await app.request('/')).text())?.[1]
  const cssRes = await app.request(css!)
  assert.equal(cssRes.status, 200)
  assert.match(cssRes.headers.get('cache-control') ?? '', /immutable/)
})

test('sources admin: add, errors shown, refresh now, remove, OPML export', async () => {
  const admin = await (await app.request('/admin/sources')).text()
  assert.match(admin, /http_server_error/)
  assert.match(admin, /3 failures in a row/)

  const added = await post('/admin/sources', { url: 'https://new.example/feed' })
  assert.equal(added.status, 303)
  const shown = await (await app.request(added.headers.get('location')!)).text()
  assert.match(shown, /Added New Source — 3 articles fetched\./)

  const failed = await post('/admin/sources', { url: 'https://broken.example/' })
  const failedPage = await (await app.request(failed.headers.get('location')!)).text()
  assert.match(failedPage, /Could not add https:\/\/broken\.example\/: .*not a feed.*\(no_feed_found\)/)

  const refreshed = await post(`/admin/sources/${ids.sourceA}/refresh`, {})
  assert.match(await (await app.request(refreshed.headers.get('location')!)).text(), /Refreshed: 3 new, 1 updated\./)
  assert.ok(calls.includes(`refresh ${ids.sourceA}`))

  const fd = new FormData()
  fd.set('opml', new File(['<opml/>'], 'subs.opml', { type: 'text/xml' }))
  const imported = await post('/admin/sources/import', fd)
  assert.match(await (await app.request(imported.headers.get('location')!)).text(), /Imported 2 new sources, 1 already subscribed/)

  const opml = await app.request('/sources.opml')
  assert.match(opml.headers.get('content-type') ?? '', /opml/)
  assert.match(await opml.text(), /xmlUrl="https:\/\/herald\.example\/feed\.xml"/)

  const extra = (await store.addSource({ kind: 'feed', url: 'https://gone.example/rss' , title: 'Gone'}, NOW.toISOString())).source
  const confirm = await (await app.request(`/admin/sources/${extra.id}/delete`)).text()
  assert.match(confirm, /Remove Gone\?/)
  assert.ok(await store.getSource(extra.id), 'asking is not removing')
  const removed = await post(`/admin/sources/${extra.id}/delete`, {})
  assert.match(await (await app.request(removed.headers.get('location')!)).text(), /Removed Gone/)
  assert.equal(await store.getSource(extra.id), null)
})

test('adding or refreshing a slow source answers without waiting for the whole refresh', async () => {
  const slow = createWebApp({
    store, now: () => NOW, siteTitle: 'Tidings', baseUrl: null, adminPassword: null, refreshWaitMs: 50,
    actions: {
      subscribe: async (url) => ok(await store.addSource({ kind: 'feed', url, title: 'Slow Source' }, NOW.toISOString())),
      importOpml: async () => ok({ added: 0, existing: 0, failed: [] }),
      refresh: () => new Promise(() => {}), // a refresh still pacing its page fetches
    },
  })
  const post = (path: string, body: Record<string, string>) =>
    slow.request(path, { method: 'POST', body: new URLSearchParams(body), headers: { origin: 'http://localhost' } })
  const added = await post('/admin/sources', { url: 'https://slow.example/feed.xml' })
  assert.equal(added.status, 303)
  const page = await (await slow.request(added.headers.get('location')!)).text()
  assert.match(page, /Added Slow Source — its articles are being fetched and appear as they arrive\./)
  const id = (await store.findSourceByUrl('https://slow.example/feed.xml'))!.id
  const refreshed = await post(`/admin/sources/${id}/refresh`, {})
  assert.match(await (await slow.request(refreshed.headers.get('location')!)).text(), /Refreshing: new articles appear as they arrive\./)
})

test('an oversized upload is refused with a clear message', async () => {
  const fd = new FormData()
  fd.set('opml', new File([new Uint8Array(7 * 1024 * 1024)], 'big.opml'))
  const res = await post('/admin/sources/import', fd)
  assert.equal(res.status, 413)
  assert.match(await res.text(), /too large/)
})

test('state-changing requests from another site are refused (CSRF)', async () => {
  const res = await post('/admin/sources', { url: 'https://evil.example/feed' }, { origin: 'https://evil.example' })
  assert.equal(res.status, 403)
  assert.ok(!calls.includes('subscribe https://evil.example/feed'))
})

test('admin refuses requests forwarded by a proxy when no password is set, and asks for one when set', async () => {
  const res = await app.request('/admin/sources', { headers: { 'x-forwarded-for': '203.0.113.9' } })
  assert.equal(res.status, 403)
  const locked = createWebApp({ ...({} as WebDeps), store, now: () => NOW, siteTitle: 'T', baseUrl: null, adminPassword: 's3cret', actions: {} as WebDeps['actions'] })
  assert.equal((await locked.request('/admin/sources')).status, 401)
  const auth = { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` }
  assert.equal((await locked.request('/admin/sources', { headers: auth })).status, 200)
  const wrong = { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` }
  assert.equal((await locked.request('/admin/sources', { headers: wrong })).status, 401)
})
