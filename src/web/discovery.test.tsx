import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Store } from '../store/store.js'
import { openStore } from '../store/open-store.js'
import { article } from '../store/store.contract.js'
import { ok } from '../domain/result.js'
import { createWebApp } from './app.js'
import { newToken, tokenHash } from './auth/tokens.js'
import { RELATED_PER_PAGE } from './related-stream.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
const h = (n: number) => new Date(NOW.getTime() - n * 3_600_000).toISOString()
let store: Store
let app: ReturnType<typeof createWebApp>
let ids: { herald: number; kita: number; ferry: number; ja: number; subject: number }
const cookies: Record<string, string> = {}

async function signIn(name: string): Promise<string> {
  const user = (await store.createUser({ name, passwordHash: 'unused', role: 'reader' }, NOW.toISOString()))!
  const token = newToken()
  await store.createSession({ id: tokenHash(token), userId: user.id, createdAt: NOW.toISOString(), lastSeenAt: NOW.toISOString(), expiresAt: h(-24) })
  return `tidings_session=${token}`
}
const get = (path: string, cookie?: string) => app.request(path, { headers: cookie ? { cookie } : {} })
const post = (path: string, body: Record<string, string>, cookie?: string) =>
  app.request(path, { method: 'POST', body: new URLSearchParams(body), headers: { origin: 'http://localhost', ...(cookie ? { cookie } : {}) } })
const csrfOf = async (cookie: string) => /name="_csrf" value="([^"]+)"/.exec(await (await get('/search?q=ferry', cookie)).text())?.[1] ?? ''
/** Article ids of the cards in a stretch of HTML, in order. */
const cardIds = (html: string) => [...html.matchAll(/<h[23]><a href="\/articles\/(\d+)/g)].map((m) => Number(m[1]))

before(async () => {
  store = await openStore('sqlite::memory:')
  const herald = (await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald', language: 'en' }, h(400))).source
  const kita = (await store.addSource({ kind: 'feed', url: 'https://kita.example/feed.json', title: 'Kita Daily', language: 'ja' }, h(400))).source
  const tags = (...x: string[]) => x.map((s) => ({ slug: s, label: s[0]!.toUpperCase() + s.slice(1) }))
  const save = async (s: number, n: number, over: Parameters<typeof article>[2]) => (await store.saveArticle(article(s, n, over), NOW.toISOString())).id
  const ferry = await save(herald.id, 1, {
    title: 'Ferry line reopens after storm repairs', published: h(4), tags: tags('transport', 'harbor'),
    author: { name: 'Mina Okafor', bio: 'Mina Okafor covers transport for the Herald.' }, text: 'The harbor ferry returned to service.',
  })
  const ja = await save(kita.id, 2, { title: '港のフェリーが運航再開', lang: 'ja', published: h(2), tags: tags('transport'), text: 'フェリー ferry が再開した。', author: { name: 'Mina Okafor', bio: null } })
  await save(herald.id, 3, { title: 'Old ferry timetable', published: '2026-10-01T09:00:00.000Z', tags: tags('transport'), text: 'The ferry timetable of October.' })
  // The related stream's subject and many articles sharing its hashtag.
  const subject = await save(herald.id, 100, { title: 'Lighthouse restoration begins', published: h(1), tags: tags('lighthouse'), text: 'Work on the lighthouse began.' })
  for (let i = 0; i < 30; i++) {
    await save(i % 2 ? herald.id : kita.id, 200 + i, { title: `Lighthouse note ${i}`, published: h(5 + i), tags: tags('lighthouse', i % 3 ? 'coast' : 'weather'), text: `Lighthouse keepers note ${i}.` })
  }
  for (let i = 0; i < 12; i++) await save(kita.id, 300 + i, { title: `Market report ${i}`, published: h(6 + i), tags: tags('market'), text: `Fish prices ${i}.` })
  ids = { herald: herald.id, kita: kita.id, ferry, ja, subject }
  app = createWebApp({
    store, now: () => NOW, siteTitle: 'Tidings', baseUrl: null, adminPassword: null,
    actions: { subscribe: async () => ok(await store.addSource({ kind: 'feed', url: 'https://x.example/' }, NOW.toISOString())), importOpml: async () => ok({ added: 0, existing: 0, failed: [] }), refresh: async () => null },
  })
  cookies['ana'] = await signIn('ana')
  cookies['ben'] = await signIn('ben')
})
after(async () => { await store.close() })

test('home shows sections by hashtag and by source after the latest, a few cards each, linking to their pages', async () => {
  const html = await (await get('/')).text()
  const tagSections = html.slice(html.indexOf('data-sections="tag"'), html.indexOf('data-sections="source"'))
  assert.ok(html.indexOf('id="latest"') < html.indexOf('data-sections="tag"'), 'after the latest')
  assert.match(tagSections, /<h3 id="sections-tag-lighthouse"><a href="\/tags\/lighthouse">#Lighthouse<\/a>/, 'the busiest hashtag')
  const sectionCount = (tagSections.match(/data-section="/g) ?? []).length
  assert.ok(sectionCount >= 2 && sectionCount <= 4, `a few hashtag sections (${sectionCount})`)
  for (const part of tagSections.split('data-section="').slice(1)) assert.ok(cardIds(part).length <= 3, 'a few cards each')
  const sourceSections = html.slice(html.indexOf('data-sections="source"'))
  assert.match(sourceSections, /<a href="\/sources\/\d+">Harbor Herald<\/a>/)
  assert.match(sourceSections, /<a href="\/sources\/\d+">Kita Daily<\/a>/)
  assert.match(sourceSections, /More from Kita Daily/)
  const all = cardIds(html.slice(html.indexOf('data-sections="tag"'), html.indexOf('<aside')))
  assert.equal(new Set(all).size, all.length, 'no card in two sections')
  // Later pages are the list alone.
  const next = /href="(\/\?after=[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&')
  assert.doesNotMatch(await (await get(next)).text(), /data-sections=/)
})

test('an author page gathers the name across sources, with bio, paging and feeds', async () => {
  const res = await get('/authors/mina-okafor')
  assert.equal(res.status, 200)
  const html = await res.text()
  assert.match(html, /<h1 class="page-title">Mina Okafor<\/h1>/)
  assert.match(html, /Mina Okafor covers transport for the Herald\./)
  assert.deepEqual(cardIds(html), [ids.ja, ids.ferry], 'both sources, newest first')
  assert.match(html, /<link rel="alternate" type="application\/rss\+xml" title="Mina Okafor" href="\/authors\/mina-okafor\/feed.xml"/)
  const feed = await get('/authors/mina-okafor/feed.json')
  assert.equal(feed.status, 200)
  const items = (await feed.json() as { items: { title: string }[] }).items.map((i) => i.title)
  assert.deepEqual(items, ['港のフェリーが運航再開', 'Ferry line reopens after storm repairs'])
  assert.equal((await get('/authors/nobody-here')).status, 404)
  assert.equal((await get('/authors/nobody-here/feed.xml')).status, 404)
})

test('search filters by source, language and dates, keeps them across pages, and lists with filters alone', async () => {
  const ferry = await (await get('/search?q=ferry')).text()
  assert.deepEqual(new Set(cardIds(ferry)), new Set([ids.ferry, ids.ja, cardIds(ferry).find((x) => x !== ids.ferry && x !== ids.ja)]))
  assert.equal(cardIds(ferry).length, 3)
  assert.match(ferry, /<select name="source">/)
  assert.match(ferry, /<input type="date" name="from"/)
  assert.deepEqual(cardIds(await (await get(`/search?q=ferry&source=${ids.kita}`)).text()), [ids.ja])
  assert.deepEqual(cardIds(await (await get('/search?q=ferry&lang=ja')).text()), [ids.ja])
  const november = await (await get('/search?q=ferry&from=2026-11-01&to=2026-11-22')).text()
  assert.deepEqual(new Set(cardIds(november)), new Set([ids.ferry, ids.ja]), 'the October timetable is left out')
  assert.match(november, /<input type="date" name="from" value="2026-11-01"/, 'the form keeps the filters')
  const october = await (await get('/search?q=ferry&to=2026-10-01')).text()
  assert.equal(cardIds(october).length, 1, 'the to-day is included')
  assert.match(await (await get('/search?q=ferry&from=yesterday')).text(), /Dates are written YYYY-MM-DD; “yesterday” was left out\./)

  // Filters alone, paged: every page keeps them.
  const first = await (await get(`/search?source=${ids.kita}&lang=ja`)).text()
  assert.equal(cardIds(first).length, 1)
  const market = await (await get(`/search?source=${ids.kita}`)).text()
  const nextHref = /<a class="button" rel="next" href="([^"]+)"/.exec(market)![1]!.replace(/&amp;/g, '&')
  assert.match(nextHref, new RegExp(`^/search\\?source=${ids.kita}&after=`))
  const second = await (await get(nextHref)).text()
  const both = [...cardIds(market), ...cardIds(second)]
  assert.equal(new Set(both).size, both.length, 'no repeats across pages')
  for (const id of cardIds(second)) assert.equal((await store.getArticle(id))?.sourceId, ids.kita)
})

test('a signed-in reader saves a search (form token required), lists, renames and deletes it; others cannot', async () => {
  const anon = await (await get('/search?q=ferry')).text()
  assert.match(anon, /Sign in to save this search/)
  assert.doesNotMatch(anon, /action="\/saved"/)
  assert.equal((await post('/saved', { q: 'ferry' })).status, 403, 'signed out')
  assert.equal((await get('/saved')).headers.get('location'), '/login?next=/saved')

  const ana = cookies['ana']!
  const csrf = await csrfOf(ana)
  assert.ok(csrf)
  assert.equal((await post('/saved', { q: 'ferry', lang: 'ja', name: 'Ferries in Japanese' }, ana)).status, 403, 'without the form token')
  const saved = await post('/saved', { _csrf: csrf, q: 'ferry', lang: 'ja', from: '2026-11-01', name: 'Ferries in Japanese' }, ana)
  assert.equal(saved.status, 303)
  const list = await (await get(saved.headers.get('location')!, ana)).text()
  assert.match(list, /Saved “Ferries in Japanese”\./)
  assert.match(list, /<a href="\/search\?q=ferry&amp;lang=ja&amp;from=2026-11-01">Ferries in Japanese<\/a>/)
  const feed = /href="(http:\/\/localhost\/saved\/feeds\/[A-Za-z0-9_-]{43})\/feed.xml"/.exec(list)![1]!
  const id = Number(/id="saved-(\d+)"/.exec(list)![1])

  // Ben sees none of it and can change none of it.
  const ben = cookies['ben']!
  const benCsrf = await csrfOf(ben)
  assert.doesNotMatch(await (await get('/saved', ben)).text(), /Ferries in Japanese/)
  assert.equal((await post(`/saved/${id}/rename`, { _csrf: benCsrf, name: 'Mine' }, ben)).status, 404)
  assert.equal((await post(`/saved/${id}/delete`, { _csrf: benCsrf }, ben)).status, 404)
  assert.equal((await post(`/saved/${id}/delete`, { _csrf: csrf }, ben)).status, 403, "another session's token")

  const renamed = await post(`/saved/${id}/rename`, { _csrf: csrf, name: 'フェリー' }, ana)
  assert.equal(renamed.status, 303)
  assert.match(await (await get('/saved', ana)).text(), />フェリー<\/a>/)
  assert.equal((await post(`/saved/${id}/delete`, { _csrf: csrf }, ana)).status, 303)
  assert.doesNotMatch(await (await get('/saved', ana)).text(), /フェリー<\/a>/)
  assert.equal((await get(`${feed.replace('http://localhost', '')}/feed.xml`)).status, 404, 'a deleted search has no feed')
})

test('a saved search is followed as a feed by its token, without cookies; a wrong token is 404', async () => {
  const ana = cookies['ana']!
  const csrf = await csrfOf(ana)
  await post('/saved', { _csrf: csrf, q: 'ferry', source: String(ids.herald), name: 'Herald ferries' }, ana)
  const list = await (await get('/saved', ana)).text()
  const path = /href="http:\/\/localhost(\/saved\/feeds\/[A-Za-z0-9_-]{43})\/feed.xml"/.exec(list)![1]!
  const rss = await get(`${path}/feed.xml`)
  assert.equal(rss.status, 200)
  assert.match(rss.headers.get('content-type')!, /rss\+xml/)
  assert.match(rss.headers.get('cache-control')!, /^private/)
  const xml = await rss.text()
  assert.match(xml, /<title>Herald ferries — Tidings<\/title>/)
  assert.match(xml, /Ferry line reopens after storm repairs/)
  assert.doesNotMatch(xml, /港のフェリー/, 'the source filter holds')
  assert.equal((await get(`${path}/feed.atom`)).status, 200)
  assert.equal((await get(`${path}/feed.json`)).status, 200)
  assert.equal((await get(`${path.slice(0, -2)}xx/feed.xml`)).status, 404)
  assert.equal((await get('/saved/feeds/nope/feed.xml')).status, 404)
})

test('related articles continue as a stream of pages, without repeats, and end without a next link', async () => {
  const html = await (await get(`/articles/${ids.subject}`)).text()
  const section = html.slice(html.indexOf('<section class="related"'))
  assert.match(section, /<ul class="cards" data-stream-items="">/)
  const firstIds = cardIds(section.slice(0, section.indexOf('</ul>')))
  assert.equal(firstIds.length, RELATED_PER_PAGE)
  let next = /<a class="button" rel="next" data-stream-next="" href="([^"]+)">More related articles<\/a>/.exec(section)?.[1]
  assert.equal(next, `/articles/${ids.subject}/related?page=2`)
  const seen = [...firstIds]
  let pages = 1
  while (next) {
    const res = await get(next.replace(/&amp;/g, '&'))
    assert.equal(res.status, 200)
    const page = await res.text()
    assert.match(page, /data-stream-items=""/)
    const cards = cardIds(page.slice(page.indexOf('data-stream-items')))
    assert.ok(cards.length > 0, 'a page that is linked has cards')
    seen.push(...cards)
    pages++
    next = /rel="next" data-stream-next="" href="([^"]+)"/.exec(page)?.[1]
    assert.ok(pages < 12, 'the stream ends')
  }
  assert.ok(pages >= 3, `several pages (${pages})`)
  assert.equal(new Set(seen).size, seen.length, 'no card twice')
  assert.ok(!seen.includes(ids.subject))
  assert.equal((await get(`/articles/${ids.subject}/related?page=99`)).status, 404)
  assert.equal((await get(`/articles/${ids.subject}/related?page=0`)).status, 404)
})

test('the pages speak Japanese with ?hl=ja', async () => {
  const home = await (await get('/?hl=ja')).text()
  assert.match(home, /<h1 id="top"|<h1 id="latest" class="page-title">最新<\/h1>/)
  assert.match(home, /ハッシュタグ/)
  assert.match(home, /Kita Daily の記事をもっと見る/)
  const search = await (await get('/search?q=ferry&hl=ja')).text()
  assert.match(search, /<h1 class="page-title">検索: ferry<\/h1>/)
  assert.match(search, /すべてのソース/)
  assert.match(search, /開始日/)
  assert.match(search, /ログインすると、この検索を保存/)
  const author = await (await get('/authors/mina-okafor?hl=ja')).text()
  assert.match(author, /Mina Okafor の記事/)
  const related = await (await get(`/articles/${ids.subject}?hl=ja`)).text()
  assert.match(related, /関連記事をもっと見る/)
  const page2 = await (await get(`/articles/${ids.subject}/related?page=2&hl=ja`)).text()
  assert.match(page2, /「Lighthouse restoration begins」の関連記事/)
  assert.match(page2, /記事に戻る/)
  const saved = await (await get('/saved?hl=ja', cookies['ana'])).text()
  assert.match(saved, /保存した検索/)
})
