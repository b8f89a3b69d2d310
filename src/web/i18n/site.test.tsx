import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Store } from '../../store/store.js'
import { openStore } from '../../store/open-store.js'
import { article } from '../../store/store.contract.js'
import { ok } from '../../domain/result.js'
import { createWebApp } from '../app.js'
import { safeNext } from '../site-routes.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
const h = (n: number) => new Date(NOW.getTime() - n * 3_600_000).toISOString()
let store: Store
let app: ReturnType<typeof createWebApp>
let ids: { en: number; story: number | null }

before(async () => {
  store = await openStore('sqlite::memory:')
  const a = (await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald' }, h(48))).source
  const en = await store.saveArticle(article(a.id, 1, {
    title: 'Ferry line reopens after storm repairs', lang: 'en', published: h(4),
    author: { name: 'Mina Okafor', bio: 'Mina Okafor covers transport.' },
    altLinks: [{ lang: 'ja', url: 'https://herald.example/ja/ferry' }],
    tags: [{ slug: 'transport', label: 'Transport' }],
  }), NOW.toISOString())
  const second = await store.saveArticle(article(a.id, 2, { title: 'Harbor ferry back', lang: 'en', published: h(2), tags: [{ slug: 'transport', label: 'Transport' }] }), NOW.toISOString())
  const place = { duplicateOf: null, similarity: 1, placedBy: 'content' as const }
  await store.placeInStory(en.id, { ...place, storyId: null }, NOW.toISOString())
  await store.placeInStory(second.id, { ...place, storyId: en.id, similarity: 0.5 }, NOW.toISOString())
  ids = { en: en.id, story: en.id }
  app = createWebApp({
    store, now: () => NOW, siteTitle: 'Tidings', baseUrl: null, adminPassword: null,
    actions: { subscribe: async () => ok({} as never), importOpml: async () => ok({ added: 0, existing: 0, failed: [] }), refresh: async () => null },
  })
})
after(async () => { await store.close() })

test('the frame and the article page speak Japanese with ?hl=ja and with Accept-Language: ja; the article keeps its own lang', async () => {
  for (const [path, headers] of [[`/articles/${ids.en}?hl=ja`, {}], [`/articles/${ids.en}`, { 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' }]] as const) {
    const html = await (await app.request(path, { headers })).text()
    assert.match(html, /<html lang="ja">/, path)
    assert.match(html, />最新</)
    assert.match(html, /記事を検索/)
    assert.match(html, /著者: <a class="author" href="\/authors\/mina-okafor">Mina Okafor<\/a>/)
    assert.match(html, /日本語で記事を読む/)
    assert.match(html, /4 時間前/)
    assert.match(html, /title="2026年11月22日 08:00 UTC"/, 'the absolute time in Japanese')
    assert.match(html, /<h1 lang="en">Ferry line reopens after storm repairs<\/h1>/)
    assert.match(html, /<div class="body" lang="en">/)
    assert.match(html, /まだコメントはありません/)
    assert.match(html, /キーボードショートカット/)
    assert.doesNotMatch(html, /Skip to content|Author:|Read the article in/)
  }
})

test('English stays as it was', async () => {
  const html = await (await app.request(`/articles/${ids.en}`)).text()
  assert.match(html, /<html lang="en">/)
  assert.match(html, /<article class="story" lang="en">/)
  assert.match(html, /<h1>Ferry line reopens after storm repairs<\/h1>/)
  assert.match(html, /Author: <a class="author" href="\/authors\/mina-okafor">Mina Okafor<\/a>/)
  assert.match(html, /Read the article in Japanese/)
  assert.match(html, /4 hours ago/)
  assert.match(html, /No comments yet\.\.\./)
})

test('the story page in Japanese', async () => {
  const html = await (await app.request(`/stories/${ids.story}`, { headers: { cookie: 'hl=ja' } })).text()
  assert.match(html, /<html lang="ja">/)
  assert.match(html, /すべての報道/)
  assert.match(html, /タイムライン/)
  assert.match(html, /まとめられた理由/)
})

test('/prefs sets the hl cookie for a year (SameSite=Lax) and the theme, and goes back to same-site paths only', async () => {
  const res = await app.request('/prefs?hl=ja&theme=dark&next=%2Farticles%2F1%3Fhl%3Den%23top')
  assert.equal(res.status, 303)
  assert.equal(res.headers.get('location'), '/articles/1#top')
  const cookies = res.headers.get('set-cookie') ?? ''
  assert.match(cookies, /hl=ja; Max-Age=31536000; Path=\/; SameSite=Lax/)
  assert.match(cookies, /theme=dark/)
  for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/%5Cevil.example', 'javascript:alert(1)', '\t//evil.example', '/\t/evil.example']) {
    const r = await app.request(`/prefs?hl=en&next=${encodeURIComponent(evil)}`)
    const loc = r.headers.get('location') ?? ''
    assert.ok(loc.startsWith('/') && !loc.startsWith('//') && !loc.startsWith('/\\'), `${evil} → ${loc}`)
    assert.equal(new URL(loc, 'http://site.example').origin, 'http://site.example', evil)
  }
  assert.equal(safeNext('https://evil.example'), '/')
  const bad = await app.request('/prefs?hl=xx&next=/')
  assert.doesNotMatch(bad.headers.get('set-cookie') ?? '', /hl=/, 'an unknown language is not stored')
  const dark = await (await app.request('/', { headers: { cookie: 'theme=dark' } })).text()
  assert.match(dark, /<html lang="en" data-theme="dark">/)
})

test('manifest, service worker, site script and icons are served with the right types and headers', async () => {
  const html = await (await app.request('/')).text()
  assert.match(html, /<link rel="manifest" href="\/manifest.webmanifest"\/>/)
  const m = await app.request('/manifest.webmanifest')
  assert.match(m.headers.get('content-type') ?? '', /^application\/manifest\+json/)
  const manifest = await m.json() as { name: string; start_url: string; display: string; icons: { src: string; sizes: string; type: string }[]; theme_color: string }
  assert.equal(manifest.name, 'Tidings')
  assert.equal(manifest.start_url, '/')
  assert.equal(manifest.display, 'standalone')
  assert.ok(manifest.theme_color)
  for (const icon of manifest.icons) {
    const r = await app.request(icon.src)
    assert.equal(r.status, 200, icon.src)
    assert.equal(r.headers.get('content-type'), icon.type)
    if (icon.type === 'image/png') {
      const b = Buffer.from(await r.arrayBuffer())
      assert.equal(b.subarray(1, 4).toString(), 'PNG')
      assert.equal(`${b.readUInt32BE(16)}x${b.readUInt32BE(20)}`, icon.sizes)
    }
  }
  const sw = await app.request('/sw.js')
  assert.equal(sw.status, 200)
  assert.match(sw.headers.get('content-type') ?? '', /^text\/javascript/)
  assert.equal(sw.headers.get('cache-control'), 'no-cache')
  const swText = await sw.text()
  const script = /<script src="(\/assets\/site\.[0-9a-f]+\.js)" defer="">/.exec(html)?.[1]
  const css = /href="(\/assets\/style\.[0-9a-f]+\.css)"/.exec(html)?.[1]
  assert.ok(script && swText.includes(script) && css && swText.includes(css), 'the worker precaches this version’s stylesheet and script')
  assert.match(swText, /tidings-shell-[0-9a-f]{10}/)
  const js = await app.request(script!)
  assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/)
  assert.match(js.headers.get('cache-control') ?? '', /immutable/)
  const offline = await (await app.request('/offline?hl=ja')).text()
  assert.match(offline, /オフラインです/)
  assert.match(offline, /<ul class="offline-list"><\/ul>/)
})
