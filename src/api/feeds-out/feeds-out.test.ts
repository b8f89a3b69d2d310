import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Hono } from 'hono'
import type { ParsedFeed } from '../../domain/types.js'
import type { Store } from '../../store/store.js'
import { openStore } from '../../store/open-store.js'
import { article } from '../../store/store.contract.js'
import { parseFeedResponse } from '../../pipeline/parse/parse-feed.js'
import { feedLinks, feedPaths, feedRoutes } from './routes.js'
import { renderAtom, renderJsonFeed, renderRss, type OutFeed } from './render.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
const h = (n: number) => new Date(NOW.getTime() - n * 3_600_000).toISOString()
const ORIGIN = 'https://tidings.example'
// A lone surrogate cannot reach the renderers through SQLite (it is stored as U+FFFD): the renderer test has them.
const HOSTILE_TITLE = 'Ferry ]]> <script>alert(1)</script> & \u0001\u000b\ufffe港 🚢 fin'
const HOSTILE_CLEAN = 'Ferry ]]> <script>alert(1)</script> & 港 🚢 fin'
const HOSTILE_HTML = '<p>Tom &amp; Jerry ]]> said 「こんにちは」 🚢</p><p>\u0002end</p>'

let store: Store
let app: Hono
let ids: { herald: number; kita: number; ferry: number; copy: number; hostile: number; council: number; site: number }

before(async () => {
  store = await openStore('sqlite::memory:')
  const herald = (await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald', language: 'en' }, h(48))).source
  const kita = (await store.addSource({ kind: 'feed', url: 'https://kita.example/feed.json', title: 'Kita Daily' }, h(48))).source
  const site = (await store.addSource({ kind: 'site', url: 'https://town.example/news/', title: 'Town Hall' }, h(48))).source
  const t = (...x: string[]) => x.map((s) => ({ slug: s, label: s[0]!.toUpperCase() + s.slice(1) }))
  const at = NOW.toISOString()
  const ferry = await store.saveArticle(article(herald.id, 1, {
    title: 'Ferry line reopens after storm repairs', url: 'https://herald.example/2026/ferry',
    author: { name: 'Mina Okafor', bio: null }, published: h(4), updated: h(3), summary: 'The harbor ferry is back.',
    html: '<p>The harbor ferry returned to service on Monday.</p>', text: 'The harbor ferry returned to service on Monday.',
    leadImage: 'https://herald.example/ferry.jpg', tags: t('transport', 'harbor'),
  }), at)
  const copy = await store.saveArticle(article(kita.id, 2, {
    title: 'Harbor ferry back in service', url: 'https://kita.example/ferry', published: h(1), tags: t('transport'),
  }), at)
  const hostile = await store.saveArticle(article(kita.id, 3, {
    title: HOSTILE_TITLE, url: 'javascript:alert(1)', published: h(2), lang: 'ja', html: HOSTILE_HTML,
    author: { name: 'A & B <x>', bio: null }, summary: 'Sum ]]> & <b>', leadImage: 'javascript:alert(2)',
    tags: [{ slug: 'odd', label: 'Odd & <tag>' }],
  }), at)
  const council = await store.saveArticle(article(herald.id, 4, { title: 'Council weighs library hours', published: h(30), tags: t('council') }), at)
  await store.saveArticle(article(site.id, 5, { title: 'Town notice', published: h(40) }), at)
  const place = (id: number, storyId: number | null) =>
    store.placeInStory(id, { storyId, duplicateOf: null, similarity: 1, placedBy: 'content' }, at)
  const storyId = await place(ferry.id, null)
  await place(copy.id, storyId)
  ids = { herald: herald.id, kita: kita.id, ferry: ferry.id, copy: copy.id, hostile: hostile.id, council: council.id, site: site.id }
  app = new Hono()
  feedRoutes(app, { store, siteTitle: 'Tidings', baseUrl: null, now: () => NOW })
})
after(async () => { await store.close() })

const get = (path: string, headers: Record<string, string> = {}) => app.request(`${ORIGIN}${path}`, { headers })

async function parsed(path: string): Promise<{ res: Response; feed: ParsedFeed }> {
  const res = await get(path)
  assert.equal(res.status, 200, `${path}: ${res.status}`)
  const body = new Uint8Array(await res.arrayBuffer())
  const r = parseFeedResponse({ body, headers: { 'content-type': res.headers.get('content-type') ?? '' }, url: `${ORIGIN}${path}` })
  assert.ok(r.ok, `${path} parses: ${r.ok ? '' : r.error.message}`)
  return { res, feed: r.value }
}

const itemTitled = (feed: ParsedFeed, title: string) => {
  const item = feed.items.find((i) => i.title === title)
  assert.ok(item, `an item titled ${title} in ${feed.items.map((i) => i.title).join(' | ')}`)
  return item
}

test('home feed in RSS reads back with titles, links, dates, content, author, tags and source', async () => {
  const { res, feed } = await parsed('/feed.xml')
  assert.equal(res.headers.get('content-type'), 'application/rss+xml; charset=utf-8')
  assert.equal(res.headers.get('cache-control'), 'public, max-age=300')
  assert.equal(res.headers.get('access-control-allow-origin'), '*')
  assert.equal(feed.format, 'rss')
  assert.equal(feed.version, 'rss20')
  assert.equal(feed.title, 'Tidings')
  assert.equal(feed.link, `${ORIGIN}/`)
  assert.ok(feed.links.some((l) => l.rel === 'self' && l.href === `${ORIGIN}/feed.xml`))
  assert.equal(feed.items.length, 5)
  assert.match(await (await get('/feed.xml')).text(), new RegExp(`<guid isPermaLink="true">${ORIGIN}/articles/${ids.ferry}</guid>`))
  assert.deepEqual(feed.items.slice(0, 3).map((i) => i.id), [ids.copy, ids.hostile, ids.ferry].map((id) => `${ORIGIN}/articles/${id}`), 'newest first')
  const ferry = itemTitled(feed, 'Ferry line reopens after storm repairs')
  assert.equal(ferry.id, `${ORIGIN}/articles/${ids.ferry}`)
  assert.equal(ferry.link, `${ORIGIN}/articles/${ids.ferry}/ferry-line-reopens-after-storm-repairs`)
  assert.equal(ferry.published, h(4))
  assert.equal(ferry.author, 'Mina Okafor')
  assert.deepEqual([...ferry.categories].sort(), ['Harbor', 'Transport'])
  assert.match(ferry.contentHtml ?? '', /The harbor ferry returned to service on Monday\./)
  assert.match(ferry.summary ?? '', /The harbor ferry is back\./)
  assert.equal(ferry.imageUrl, 'https://herald.example/ferry.jpg')
  assert.equal(ferry.source?.href, 'https://herald.example/feed.xml')
  assert.equal(ferry.source?.title, 'Harbor Herald')
  assert.ok(ferry.links.some((l) => l.rel === 'related' && l.href === 'https://herald.example/2026/ferry'), 'the publisher as related link')
  // A site source has no feed of its own: its item points at ours.
  assert.equal(itemTitled(feed, 'Town notice').source?.href, `${ORIGIN}/sources/${ids.site}/feed.xml`)
  const lastModified = res.headers.get('last-modified')
  assert.equal(lastModified, NOW.toUTCString(), 'when our newest copy was stored')
})

test('home feed in Atom reads back, with the publisher as related link and updated dates', async () => {
  const { res, feed } = await parsed('/feed.atom')
  assert.equal(res.headers.get('content-type'), 'application/atom+xml; charset=utf-8')
  assert.equal(feed.format, 'atom')
  assert.equal(feed.version, 'atom10')
  assert.equal(feed.title, 'Tidings')
  assert.equal(feed.id, `${ORIGIN}/feed.atom`)
  assert.equal(feed.updated, NOW.toISOString())
  assert.ok(feed.links.some((l) => l.rel === 'self' && l.href === `${ORIGIN}/feed.atom`))
  assert.ok(feed.links.some((l) => l.rel === 'alternate' && l.href === `${ORIGIN}/`))
  const ferry = itemTitled(feed, 'Ferry line reopens after storm repairs')
  assert.equal(ferry.id, `${ORIGIN}/articles/${ids.ferry}`)
  assert.equal(ferry.link, `${ORIGIN}/articles/${ids.ferry}/ferry-line-reopens-after-storm-repairs`)
  assert.equal(ferry.published, h(4))
  assert.equal(ferry.updated, h(3))
  assert.equal(ferry.author, 'Mina Okafor')
  assert.deepEqual([...ferry.categories].sort(), ['Harbor', 'Transport'])
  assert.equal(ferry.contentHtml, '<p>The harbor ferry returned to service on Monday.</p>')
  assert.equal(ferry.summary, 'The harbor ferry is back.')
  assert.ok(ferry.links.some((l) => l.rel === 'related' && l.href === 'https://herald.example/2026/ferry'))
  // No byline: the publisher stands in (Atom wants an author).
  assert.equal(itemTitled(feed, 'Harbor ferry back in service').author, 'Kita Daily')
})

test('home feed in JSON Feed 1.1 has the fields and reads back', async () => {
  const res = await get('/feed.json')
  assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8')
  const doc = JSON.parse(await res.text())
  assert.equal(doc.version, 'https://jsonfeed.org/version/1.1')
  assert.equal(doc.title, 'Tidings')
  assert.equal(doc.home_page_url, `${ORIGIN}/`)
  assert.equal(doc.feed_url, `${ORIGIN}/feed.json`)
  const ferry = doc.items.find((i: { title: string }) => i.title === 'Ferry line reopens after storm repairs')
  assert.deepEqual(ferry, {
    id: `${ORIGIN}/articles/${ids.ferry}`,
    url: `${ORIGIN}/articles/${ids.ferry}/ferry-line-reopens-after-storm-repairs`,
    external_url: 'https://herald.example/2026/ferry',
    title: 'Ferry line reopens after storm repairs',
    content_html: '<p>The harbor ferry returned to service on Monday.</p>',
    summary: 'The harbor ferry is back.',
    image: 'https://herald.example/ferry.jpg',
    date_published: h(4),
    date_modified: h(3),
    authors: [{ name: 'Mina Okafor' }],
    tags: ['Harbor', 'Transport'],
    language: 'en',
  })
  const { feed } = await parsed('/feed.json')
  assert.equal(feed.format, 'json')
  assert.equal(itemTitled(feed, 'Ferry line reopens after storm repairs').link, ferry.url)
})

test('hostile text round-trips safely in every format; javascript: URLs are dropped', async () => {
  for (const path of ['/feed.xml', '/feed.atom', '/feed.json']) {
    const raw = await (await get(path)).text()
    assert.doesNotMatch(raw, /javascript:/, `${path}: no javascript: URL`)
    assert.doesNotMatch(raw, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/, `${path}: no invalid XML characters`)
    assert.doesNotMatch(raw, /\\u0001|\\ud800|\\ufffe/i, `${path}: no escaped invalid characters`)
    if (path !== '/feed.json') assert.doesNotMatch(raw, /<script>/, `${path}: markup in text is escaped`)
    const { feed } = await parsed(path)
    const item = feed.items.find((i) => i.id === `${ORIGIN}/articles/${ids.hostile}`)
    assert.ok(item, path)
    if (path === '/feed.json') {
      // Our JSON reader takes markup out of titles (feeds in the wild put HTML there); the exact title is checked below.
      assert.equal(item.title, 'Ferry ]]> & 港 🚢 fin')
    } else {
      assert.equal(item.title, HOSTILE_CLEAN, `${path}: the title comes back as written, as text`)
    }
    assert.ok(item.links.every((l) => /^https?:/.test(l.href)), `${path}: only http(s) links`)
    assert.ok(!item.links.some((l) => l.rel === 'related'), `${path}: the javascript: publisher URL is dropped`)
    assert.equal(item.imageUrl, null)
    assert.equal(item.author, 'A & B <x>')
    assert.deepEqual(item.categories, ['Odd & <tag>'])
    assert.match(item.contentHtml ?? '', /Tom &amp; Jerry \]\]&gt; said 「こんにちは」 🚢/, `${path}: content intact, ]]> survives`)
    assert.match(item.contentHtml ?? '', /<p>end<\/p>/)
  }
  const json = JSON.parse(await (await get('/feed.json')).text())
  const h = json.items.find((i: { id: string }) => i.id === `${ORIGIN}/articles/${ids.hostile}`)
  assert.equal(h.title, HOSTILE_CLEAN)
  assert.equal(h.external_url, undefined)
  assert.equal(h.image, undefined)
  assert.equal(h.summary, 'Sum ]]> & <b>')
  assert.equal(h.language, 'ja')
  assert.equal(h.content_html, HOSTILE_HTML.replace('\u0002', ''))
})

test('the renderers alone: CDATA split, escaping and stripped characters', () => {
  const feed: OutFeed = {
    title: 'T <&> \u0000\ud800\udc00\uffff😀', description: 'lone \udc00 low, lone \ud800 high', homeUrl: 'javascript:alert(1)', feedUrl: 'https://x.example/feed.xml', language: 'en"><x',
    updated: NOW.toISOString(),
    items: [{
      id: 'https://x.example/articles/1', url: 'https://x.example/articles/1/a', externalUrl: 'data:text/html,hi', title: 'a"b',
      summary: null, contentHtml: 'x]]>y]]>z', published: 'not a date', updated: null, author: null,
      source: { title: 'S', url: 'javascript:void(0)' }, tags: [], lang: null, image: null,
    }],
  }
  const rss = renderRss(feed)
  assert.match(rss, /<content:encoded><!\[CDATA\[x]]]]><!\[CDATA\[>y]]]]><!\[CDATA\[>z]]><\/content:encoded>/)
  assert.match(rss, /<title>T &lt;&amp;&gt; \u{10000}😀<\/title>/u, 'a surrogate pair is kept, lone ones and U+FFFF go')
  assert.match(rss, /<description>lone  low, lone  high<\/description>/)
  assert.doesNotMatch(rss.slice(0, rss.indexOf('<item>')), /<link>|<language>/, 'no javascript: home link, no bad language')
  assert.doesNotMatch(rss, /<pubDate>|<source|data:|javascript:/)
  const atom = renderAtom(feed)
  assert.match(atom, /<content type="html">x]]&gt;y]]&gt;z<\/content>/)
  assert.doesNotMatch(atom, /xml:lang|data:|javascript:|<published>/)
  const json = JSON.parse(renderJsonFeed(feed))
  assert.equal(json.home_page_url, undefined)
  assert.equal(json.items[0].external_url, undefined)
  assert.equal(json.items[0].date_published, undefined)
  assert.equal(json.language, undefined)
  assert.equal(json.title, 'T <&> \u{10000}😀')
  assert.equal(json.items[0].title, 'a"b')
  assert.match(rss, /<title>a"b<\/title>/)
  const r = parseFeedResponse({ body: new TextEncoder().encode(rss), headers: {}, url: feed.feedUrl })
  assert.ok(r.ok)
  assert.equal(r.value.items[0]?.contentHtml, 'x]]>y]]>z', 'both halves of each split ]]> come back')
})

test('a repeated request with If-None-Match or If-Modified-Since gets 304', async () => {
  for (const path of ['/feed.xml', '/feed.atom', '/feed.json', `/stories/${ids.ferry}/feed.json`]) {
    const first = await get(path)
    const etag = first.headers.get('etag')
    assert.match(etag ?? '', /^"[A-Za-z0-9_-]+"$/)
    const again = await get(path, { 'if-none-match': etag! })
    assert.equal(again.status, 304, path)
    assert.equal(await again.text(), '')
    assert.equal(again.headers.get('etag'), etag)
    assert.equal((await get(path, { 'if-none-match': `W/"other", ${etag}` })).status, 304)
    assert.equal((await get(path, { 'if-none-match': '"other"' })).status, 200)
    const since = first.headers.get('last-modified')!
    assert.equal((await get(path, { 'if-modified-since': since })).status, 304)
    assert.equal((await get(path, { 'if-modified-since': new Date(NOW.getTime() - 1000).toUTCString() })).status, 200)
    // If-None-Match wins over If-Modified-Since.
    assert.equal((await get(path, { 'if-none-match': '"other"', 'if-modified-since': since })).status, 200)
  }
  // Another format of the same feed is another body.
  assert.notEqual((await get('/feed.xml')).headers.get('etag'), (await get('/feed.atom')).headers.get('etag'))
})

test('unknown source, tag or story is a plain 404; a search without words a 400', async () => {
  for (const path of ['/sources/999/feed.xml', '/sources/999/feed.json', '/tags/nothing-here/feed.atom', '/stories/999/feed.xml', '/stories/99999999999999999999999/feed.xml']) {
    const res = await get(path)
    assert.equal(res.status, 404, path)
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/)
    assert.match(await res.text(), /^No such (source|tag|story)\.$/)
  }
  const res = await get('/search/feed.xml?q=%20')
  assert.equal(res.status, 400)
  assert.match(await res.text(), /q=/)
})

test('a source feed lists only that source, with its title and language', async () => {
  const { feed } = await parsed(`/sources/${ids.herald}/feed.atom`)
  assert.equal(feed.title, 'Harbor Herald — Tidings')
  assert.equal(feed.language, 'en')
  assert.deepEqual(feed.items.map((i) => i.title), ['Ferry line reopens after storm repairs', 'Council weighs library hours'])
  assert.ok(feed.links.some((l) => l.rel === 'alternate' && l.href === `${ORIGIN}/sources/${ids.herald}`))
})

test('a tag feed lists only its tag', async () => {
  const { feed } = await parsed('/tags/transport/feed.xml')
  assert.equal(feed.title, '#Transport — Tidings')
  assert.equal(feed.link, `${ORIGIN}/tags/transport`)
  assert.deepEqual(feed.items.map((i) => i.title), ['Harbor ferry back in service', 'Ferry line reopens after storm repairs'])
  const council = await parsed('/tags/council/feed.json')
  assert.deepEqual(council.feed.items.map((i) => i.title), ['Council weighs library hours'])
})

test('a story feed lists its members, newest first', async () => {
  const { feed } = await parsed(`/stories/${ids.ferry}/feed.xml`)
  assert.equal(feed.title, 'Ferry line reopens after storm repairs — Tidings')
  assert.equal(feed.link, `${ORIGIN}/stories/${ids.ferry}`)
  assert.deepEqual(feed.items.map((i) => i.id), [`${ORIGIN}/articles/${ids.copy}`, `${ORIGIN}/articles/${ids.ferry}`])
})

test('a search as a feed: matching articles, the query kept in its links', async () => {
  const { feed } = await parsed('/search/feed.atom?q=ferry')
  assert.ok(feed.items.length >= 2)
  assert.ok(feed.items.every((i) => /ferry/i.test(i.title ?? '')), feed.items.map((i) => i.title).join(' | '))
  assert.ok(!feed.items.some((i) => i.title === 'Council weighs library hours'))
  assert.ok(feed.links.some((l) => l.rel === 'self' && l.href === `${ORIGIN}/search/feed.atom?q=ferry`))
  assert.ok(feed.links.some((l) => l.rel === 'alternate' && l.href === `${ORIGIN}/search?q=ferry`))
  const dates = feed.items.map((i) => i.published ?? '')
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first')
})

test('links are made from baseUrl when it is set', async () => {
  const other = new Hono()
  feedRoutes(other, { store, siteTitle: 'Tidings', baseUrl: 'https://news.example.org', now: () => NOW })
  const doc = JSON.parse(await (await other.request('http://127.0.0.1:8080/feed.json')).text())
  assert.equal(doc.feed_url, 'https://news.example.org/feed.json')
  assert.ok(doc.items.every((i: { id: string; url: string }) => i.id.startsWith('https://news.example.org/articles/') && i.url.startsWith('https://news.example.org/articles/')))
})

test('feedPaths and feedLinks give what a page links to', () => {
  assert.deepEqual(feedPaths('/'), { rss: '/feed.xml', atom: '/feed.atom', json: '/feed.json' })
  assert.deepEqual(feedPaths('/sources/3'), { rss: '/sources/3/feed.xml', atom: '/sources/3/feed.atom', json: '/sources/3/feed.json' })
  assert.equal(feedPaths('/search', 'a b&c').json, '/search/feed.json?q=a%20b%26c')
  const links = feedLinks(feedPaths('/tags/harbor'), '#Harbor')
  assert.deepEqual(links.map((l) => [l.type, l.href]), [
    ['application/rss+xml', '/tags/harbor/feed.xml'], ['application/atom+xml', '/tags/harbor/feed.atom'], ['application/feed+json', '/tags/harbor/feed.json'],
  ])
  assert.ok(links.every((l) => l.rel === 'alternate' && l.title.startsWith('#Harbor')))
})
