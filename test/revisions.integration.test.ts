import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Server, IncomingMessage, ServerResponse } from 'node:http'
import type { Source } from '../src/domain/types.js'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { refreshSource } from '../src/pipeline/ingest.js'
import { DEFAULT_POLICY, type IngestDeps } from '../src/pipeline/deps.js'
import { ok } from '../src/domain/result.js'
import { createWebApp } from '../src/web/app.js'
import { loopbackFetcher, serveLoopback } from './support/loopback.js'

/**
 * A loopback publisher that edits, re-tags and re-identifies its articles between refreshes, as real
 * ones do; and an operator who deletes one. Checked through the store and the pages a reader sees.
 */

interface Item { guid: string; title: string; path: string; description: string }
interface Page { title: string; paragraphs: string[]; canonical?: string }

let server: Server
let base = ''
let store: Store
let deps: IngestDeps
let app: ReturnType<typeof createWebApp>
let source: Source
let clock = new Date('2026-11-22T08:00:00.000Z')
const hits: string[] = []

const items: Item[] = [
  { guid: 'ferry-1', title: 'Ferry line reopens after storm', path: '/news/ferry', description: 'The ferry is back.' },
  { guid: 'council-1', title: 'Council weighs longer library hours', path: '/news/council', description: 'Library hours.' },
  { guid: 'market-1', title: 'Night market returns to the quay', path: '/news/market', description: 'Stalls are back.' },
]
const pages = new Map<string, Page>([
  ['/news/ferry', { title: 'Ferry line reopens after storm', paragraphs: [
    'The harbor ferry returned to service on Monday morning after six weeks of repairs to the east pier.',
    'Crews replaced the damaged pilings and rebuilt the ticket office, the operator said.',
    'Timetables are unchanged for the winter season.',
  ] }],
  ['/news/council', { title: 'Council weighs longer library hours', paragraphs: [
    'The city council debated on Tuesday whether the central library should stay open until ten at night.',
    'A vote is expected next month after a public consultation closes.',
  ] }],
  ['/news/market', { title: 'Night market returns to the quay', paragraphs: [
    'Forty stalls lined the quay on Friday night as the night market returned for the first time since spring.',
    'Organisers expect it to run every weekend until the end of December.',
  ] }],
])

function rss(): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Quay Courier</title><link>${base}/</link><description>Local news</description>
${items.map((i) => `<item><guid isPermaLink="false">${i.guid}</guid><title>${i.title}</title><link>${base}${i.path.replace(/&/g, '&amp;')}</link><description>${i.description}</description><pubDate>Sun, 22 Nov 2026 06:00:00 GMT</pubDate></item>`).join('\n')}
</channel></rss>`
}

function html(p: Page): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${p.title} | Quay Courier</title><meta property="og:title" content="${p.title}">${p.canonical ? `<link rel="canonical" href="${base}${p.canonical}">` : ''}</head>
<body><nav><a href="/">Home</a></nav><article><h1>${p.title}</h1>${p.paragraphs.map((x) => `<p>${x}</p>`).join('')}</article><footer>Quay Courier</footer></body></html>`
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', base)
  hits.push(url.pathname)
  const send = (status: number, type: string, body: string) => { res.writeHead(status, { 'content-type': type }); res.end(body) }
  if (url.pathname === '/feed.xml') return send(200, 'application/rss+xml', rss())
  if (url.pathname === '/robots.txt') return send(200, 'text/plain', 'User-agent: *\nAllow: /\n')
  // Like most sites, the page ignores tracking parameters and a trailing slash.
  const page = pages.get(url.pathname.replace(/\/+$/, ''))
  return page ? send(200, 'text/html; charset=utf-8', html(page)) : send(404, 'text/plain', 'not found')
}

before(async () => {
  ;({ server, base } = await serveLoopback(handler))
  store = await openStore('sqlite::memory:')
  const fetcher = loopbackFetcher([base], { maxBodyBytes: 200_000 })
  closeFetcher = () => fetcher.close()
  deps = { store, fetch: fetcher, now: () => clock, random: () => 0.5, policy: { ...DEFAULT_POLICY } }
  app = createWebApp({
    store, now: () => clock, siteTitle: 'Tidings', baseUrl: null, adminPassword: null,
    actions: {
      subscribe: async () => { throw new Error('not used') },
      importOpml: async () => ok({ added: 0, existing: 0, failed: [] }),
      refresh: async () => null,
    },
  })
  source = (await store.addSource({ kind: 'feed', url: `${base}/feed.xml` }, clock.toISOString())).source
})
let closeFetcher = () => {}
after(async () => {
  closeFetcher()
  await store.close()
  server.close()
  server.closeAllConnections()
})

/** One refresh, an hour after the last; returns the report and the paths the publisher served. */
async function refresh() {
  clock = new Date(clock.getTime() + 3_600_000)
  hits.length = 0
  const report = await refreshSource(deps, (await store.getSource(source.id))!)
  assert.equal(report.outcome, 'updated', report.error?.message)
  return { report, hits: [...hits] }
}
const articles = async () => (await store.listArticles({ limit: 50, sourceId: source.id })).items
const idOf = async (titleStart: string) => (await articles()).find((a) => a.title.startsWith(titleStart))?.id
const text = async (path: string) => {
  const res = await app.request(path)
  return { status: res.status, body: await res.text() }
}

test('the first refresh stores one article per item', async () => {
  const { report } = await refresh()
  assert.equal(report.created, 3)
  assert.equal((await articles()).length, 3)
})

test('an edited title and body become a revision of the same article, with a visible diff', async () => {
  const before = await idOf('Ferry line')
  const ferry = items[0]!
  ferry.title = 'Ferry line reopens after long storm repairs'
  pages.set('/news/ferry', { title: ferry.title, paragraphs: [
    'The harbor ferry returned to service on Tuesday morning after six weeks of repairs to the east pier.',
    'Crews replaced the damaged pilings and rebuilt the ticket office, the operator said.',
    'Timetables are unchanged for the winter season.',
  ] })
  const { report } = await refresh()
  assert.equal(report.created, 0)
  assert.equal(report.updated, 1)
  assert.equal((await articles()).length, 3, 'no duplicate')
  const after = await idOf('Ferry line')
  assert.equal(after, before, 'same article id')
  const revisions = await store.listRevisions(after!)
  assert.equal(revisions.length, 1)
  assert.equal(revisions[0]?.title, 'Ferry line reopens after storm')

  // The article page says it was updated and links to the changes.
  clock = new Date(clock.getTime() + 2 * 3_600_000)
  const page = await text(`/articles/${after}`)
  assert.equal(page.status, 200)
  assert.match(page.body, /Updated <time[^>]*>2 hours ago<\/time> — <a href="\/articles\/\d+\/changes">see changes<\/a>/)

  // The changes page shows what went and what came, marked for sight and for screen readers.
  const changes = await text(`/articles/${after}/changes`)
  assert.equal(changes.status, 200)
  const words = (s: string) => s.replace(/<span class="visually-hidden"[^>]*>[^<]*<\/span>/g, '')
  assert.match(words(changes.body), /<ins>long<\/ins>/, 'inserted title word')
  assert.match(words(changes.body), /<ins>repairs<\/ins>/)
  assert.match(words(changes.body), /<del>Monday<\/del> <ins>Tuesday<\/ins>/, 'replaced body word')
  assert.match(changes.body, /<del><span class="visually-hidden" lang="en">deleted: <\/span>Monday/)
  assert.match(changes.body, /<ins><span class="visually-hidden" lang="en">inserted: <\/span>Tuesday/)
  assert.match(changes.body, /Changed <time[^>]*>2 hours ago<\/time>/)
  assert.doesNotMatch(changes.body, /Timetables are unchanged/, 'far unchanged paragraphs are folded away')
  assert.match(changes.body, /1 unchanged paragraph/)

  // An unedited article has no "see changes", and its changes page says so.
  const council = await idOf('Council')
  assert.doesNotMatch((await text(`/articles/${council}`)).body, /see changes/)
  assert.match((await text(`/articles/${council}/changes`)).body, /has not changed this article/)
})

test('a new GUID for the same URL is the same article', async () => {
  const before = await idOf('Council')
  items[1]!.guid = 'urn:quay:council:v2'
  items[1]!.description = 'Library hours, updated summary.'
  const { report } = await refresh()
  assert.equal(report.created, 0)
  assert.equal((await articles()).length, 3, 'no duplicate')
  assert.equal(await idOf('Council'), before)
  assert.equal((await store.getArticle(before!))?.guid, 'urn:quay:council:v2', 'the article now answers to the new GUID')
})

test('a link that gains tracking parameters and a trailing slash (with a new GUID) is the same article', async () => {
  const before = await idOf('Night market')
  items[2]!.guid = 'market-regenerated'
  items[2]!.path = '/news/market/?utm_source=rss&utm_medium=feed&utm_campaign=weekend'
  items[2]!.description = 'Stalls are back, every weekend.'
  const { report } = await refresh()
  assert.equal(report.created, 0)
  assert.equal((await articles()).length, 3, 'no duplicate')
  assert.equal(await idOf('Night market'), before)
})

test('a new GUID and a new link whose page names the article as canonical is the same article', async () => {
  const before = await idOf('Council')
  const council = items[1]!
  council.guid = 'urn:quay:council:amp'
  council.path = '/amp/council-hours'
  pages.set('/amp/council-hours', { ...pages.get('/news/council')!, canonical: '/news/council' })
  const { report, hits } = await refresh()
  assert.ok(hits.includes('/amp/council-hours'), 'an unknown link is fetched: only its page can say what it is')
  assert.equal(report.created, 0)
  assert.equal((await articles()).length, 3, 'no duplicate')
  assert.equal(await idOf('Council'), before)
  assert.equal((await store.listRevisions(before!)).length, 0, 'same title and text: no revision')
})

test('two items the feed lists side by side are two articles, even when they share a link', async () => {
  items.push({ guid: 'ferry-live', title: 'Live: ferry passengers queue at the pier', path: '/news/ferry', description: 'Live updates.' })
  const { report } = await refresh()
  assert.equal(report.created, 1)
  assert.equal((await articles()).length, 4)
  assert.equal((await store.getArticle((await idOf('Ferry line'))!))?.title, 'Ferry line reopens after long storm repairs', 'the first one is untouched')
  items.pop()
})

test('an article the operator deleted does not come back, and its page is not fetched again', async () => {
  const id = (await idOf('Night market'))!
  const confirm = await text(`/admin/articles/${id}/delete`)
  assert.equal(confirm.status, 200)
  assert.match(confirm.body, /Delete “Night market returns to the quay”\?/)
  assert.match(confirm.body, new RegExp(`<form method="post" action="/admin/articles/${id}/delete">`))
  const crossSite = await app.request(`/admin/articles/${id}/delete`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
  assert.equal(crossSite.status, 403, 'a cross-site form cannot delete')
  const res = await app.request(`/admin/articles/${id}/delete`, { method: 'POST', headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
  assert.equal(res.status, 303)
  assert.match((await text(res.headers.get('location')!)).body, /Deleted “Night market returns to the quay”/)
  assert.equal((await text(`/articles/${id}`)).status, 404)
  assert.equal((await store.searchArticles({ query: 'quay market', limit: 5 })).items.length, 0, 'out of search')
  assert.doesNotMatch((await text('/')).body, /Night market/, 'out of the home page')

  // The publisher edits it, then re-issues it under a new GUID and another tagged link.
  items[2]!.description = 'Stalls are back, now with music.'
  let r = await refresh()
  assert.equal(r.report.created, 0)
  assert.ok(!r.hits.some((h) => h.startsWith('/news/market')), 'its page was not fetched')
  items[2]!.guid = 'market-third-guid'
  items[2]!.path = '/news/market?utm_source=newsletter&fbclid=abc'
  r = await refresh()
  assert.equal(r.report.created, 0)
  assert.ok(!r.hits.some((h) => h.startsWith('/news/market')), 'not fetched under its new GUID either')
  assert.deepEqual((await articles()).map((a) => a.title.split(' ')[0]).sort(), ['Council', 'Ferry', 'Live:'], 'everything else stays')
  assert.equal(await idOf('Night market'), undefined)
})

test('the admin sees a Delete link on an article; a reader behind a proxy does not', async () => {
  const id = (await idOf('Council'))!
  assert.match((await text(`/articles/${id}`)).body, new RegExp(`href="/admin/articles/${id}/delete"`))
  const proxied = await app.request(`/articles/${id}`, { headers: { 'x-forwarded-for': '203.0.113.9' } })
  assert.doesNotMatch(await proxied.text(), /\/admin\/articles\/\d+\/delete/)
})

test('a long history of changes is paged, newest first', async () => {
  const id = (await idOf('Ferry line'))!
  const ferry = pages.get('/news/ferry')!
  for (let n = 1; n <= 11; n++) {
    pages.set('/news/ferry', { ...ferry, paragraphs: [...ferry.paragraphs.slice(0, 2), `Timetables change for the winter season, notice ${n}.`] })
    items[0]!.description = `The ferry is back (update ${n}).`
    const { report } = await refresh()
    assert.equal(report.updated, 1)
  }
  assert.equal((await store.listRevisions(id)).length, 12)
  const first = (await text(`/articles/${id}/changes`)).body
  assert.match(first, /12 earlier versions, newest first \(page 1 of 2\)/)
  assert.equal(first.match(/<li class="revision">/g)?.length, 10)
  assert.match(first, /notice <del><span class="visually-hidden" lang="en">deleted: <\/span>10\.<span[^>]*>[^<]*<\/span><\/del> <ins><span class="visually-hidden" lang="en">inserted: <\/span>11\./, 'the newest change comes first')
  assert.match(first, new RegExp(`rel="next" href="/articles/${id}/changes\\?page=2"`))
  assert.doesNotMatch(first, /Monday/, 'the oldest change is on the next page')
  const second = (await text(`/articles/${id}/changes?page=2`)).body
  assert.equal(second.match(/<li class="revision">/g)?.length, 2)
  assert.match(second, /<ol class="revisions" lang="en" start="11">/)
  assert.match(second, /Monday/)
  assert.match(second, new RegExp(`rel="prev" href="/articles/${id}/changes"`))
  assert.equal((await text(`/articles/${id}/changes?page=99`)).body.match(/<li class="revision">/g)?.length, 2, 'past the end: the last page')
})

test('with ADMIN_PASSWORD set, only a signed-in operator can delete', async () => {
  const guarded = createWebApp({
    store, now: () => clock, siteTitle: 'Tidings', baseUrl: null, adminPassword: 'quay-secret',
    actions: { subscribe: async () => { throw new Error('not used') }, importOpml: async () => ok({ added: 0, existing: 0, failed: [] }), refresh: async () => null },
  })
  const id = (await idOf('Council'))!
  const post = (auth?: string) => guarded.request(`/admin/articles/${id}/delete`, {
    method: 'POST', headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) }, body: '',
  })
  const basic = (pw: string) => `Basic ${Buffer.from(`admin:${pw}`).toString('base64')}`
  assert.doesNotMatch(await (await guarded.request(`/articles/${id}`)).text(), /\/admin\/articles\/\d+\/delete/, 'no Delete link for a reader')
  assert.equal((await post()).status, 401)
  assert.equal((await post(basic('wrong'))).status, 401)
  assert.equal((await guarded.request(`/articles/${id}`)).status, 200, 'still there')
  assert.equal((await post(basic('quay-secret'))).status, 303)
  assert.equal((await guarded.request(`/articles/${id}`)).status, 404)
  assert.equal((await refresh()).report.created, 0, 'and the next refresh does not bring it back')
})
