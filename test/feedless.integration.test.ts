import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Server, IncomingMessage, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { refreshSource } from '../src/pipeline/ingest.js'
import { importOpml, subscribe } from '../src/pipeline/subscribe.js'
import { previewRule } from '../src/pipeline/site-rule.js'
import { DEFAULT_POLICY, type IngestDeps } from '../src/pipeline/deps.js'
import { ok } from '../src/domain/result.js'
import { createWebApp } from '../src/web/app.js'
import { loopbackFetcher, serveLoopback } from './support/loopback.js'

/** A made-up publisher without a feed: a news sitemap declared in robots.txt, a sitemap index, a section page. */
let server: Server
let base = ''
let store: Store
let deps: IngestDeps
let web: ReturnType<typeof createWebApp>
const clock = new Date('2026-11-22T12:00:00.000Z')
const hits: string[] = []

function article(title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Quay Courier</title></head>
<body><nav><a href="/">Home</a> <a href="/world/">World</a></nav>
<article><h1>${title}</h1><p>${title} is the story of the day, told here in a first paragraph long enough to be read as the body.</p>
<p>A second paragraph adds what happened next along the quay, and why it matters to the people who live there.</p></article>
<footer>© Quay Courier</footer></body></html>`
}

const ARTICLES: Record<string, string> = {
  '/news/ferry-back-at-the-quay': 'Ferry back at the quay',
  '/news/council-moves-the-market': 'Council moves the market',
  '/world/lighthouse-keeper-retires-after-forty-years': 'Lighthouse keeper retires after forty years',
  '/world/bridge-opens-to-cyclists-today': 'Bridge opens to cyclists today',
  '/world/live/storm-desk-all-day-updates': 'Storm desk: all-day updates',
  '/world/brief': 'The morning brief',
  '/archive/oldest-story-of-them-all': 'Oldest story of them all',
  '/archive/tide-clock-gets-repaired': 'Tide clock gets repaired',
}

const newsSitemap = () => `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${[['/news/ferry-back-at-the-quay', '2026-11-22T08:00:00Z', 'Ferry back at the quay', 'ferry, quay'], ['/news/council-moves-the-market', '2026-11-21T16:00:00Z', 'Council moves the market', 'council']]
    .map(([path, date, title, kw]) => `<url><loc>${base}${path}</loc><news:news><news:publication><news:name>Quay Courier</news:name><news:language>en</news:language></news:publication>
<news:publication_date>${date}</news:publication_date><news:title>${title}</news:title><news:keywords>${kw}</news:keywords></news:news></url>`).join('\n')}
</urlset>`

const WORLD = () => `<!doctype html><html lang="en"><head><title>World | Quay Courier</title></head><body>
<header><a href="/">Quay Courier</a></header>
<nav><a href="/world/">World</a> <a href="/login">Sign in</a></nav>
<main>
  <h2><a href="/world/lighthouse-keeper-retires-after-forty-years">Lighthouse keeper retires</a></h2>
  <h2><a href="/world/bridge-opens-to-cyclists-today">Bridge opens to cyclists</a></h2>
  <h2><a href="/world/live/storm-desk-all-day-updates">Live: storm desk</a></h2>
  <p><a href="/world/brief">Brief</a> · <a href="/tag/lighthouse-and-harbor-news">Lighthouses</a> · <a href="/author/ana-quay-reporter">Ana</a></p>
</main>
<footer><a href="/about/how-we-report-the-news">About us</a></footer></body></html>`

const urlset = (paths: string[]) => `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${base}${p}</loc><lastmod>2026-11-20</lastmod></url>`).join('')}</urlset>`

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/'
  hits.push(url)
  const send = (status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type })
    res.end(body)
  }
  if (ARTICLES[url]) return send(200, 'text/html; charset=utf-8', article(ARTICLES[url]))
  switch (url) {
    case '/robots.txt': return send(200, 'text/plain', `User-agent: *\nAllow: /\nSitemap: ${base}/sitemap_index.xml\nSitemap: ${base}/news-sitemap.xml\n`)
    case '/': return send(200, 'text/html', '<!doctype html><html><head><title>Quay Courier</title></head><body><h1>Quay Courier</h1><a href="/world/">World</a></body></html>')
    case '/news-sitemap.xml': return send(200, 'application/xml', newsSitemap())
    case '/world/': return send(200, 'text/html; charset=utf-8', WORLD())
    case '/sitemap_index.xml': return send(200, 'application/xml', `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>${base}/sitemap-2026-08.xml</loc><lastmod>2026-08-31</lastmod></sitemap>
  <sitemap><loc>${base}/sitemap-2026-11.xml.gz</loc><lastmod>2026-11-22</lastmod></sitemap>
  <sitemap><loc>${base}/sitemap-2026-10.xml</loc><lastmod>2026-10-31</lastmod></sitemap>
  <sitemap><loc>${base}/sitemap-2026-09.xml</loc><lastmod>2026-09-30</lastmod></sitemap>
</sitemapindex>`)
    // Served as a file, not with Content-Encoding: the sitemap stage undoes the gzip.
    case '/sitemap-2026-11.xml.gz': return send(200, 'application/gzip', gzipSync(urlset(['/archive/tide-clock-gets-repaired'])))
    case '/sitemap-2026-10.xml': return send(200, 'application/xml', urlset(['/news/ferry-back-at-the-quay']))
    case '/sitemap-2026-09.xml': return send(500, 'text/plain', 'oops')
    case '/sitemap-2026-08.xml': return send(200, 'application/xml', urlset(['/archive/oldest-story-of-them-all']))
    default: return send(404, 'text/plain', 'not found')
  }
}

before(async () => {
  ;({ server, base } = await serveLoopback(handler))
  store = await openStore('sqlite::memory:')
  const fetcher = loopbackFetcher([base])
  deps = { store, fetch: fetcher, now: () => clock, random: () => 0.5, policy: { ...DEFAULT_POLICY } }
  closeFetcher = () => fetcher.close()
  web = createWebApp({
    store, now: () => clock, siteTitle: 'Tidings', baseUrl: null, adminPassword: null,
    actions: {
      subscribe: (url) => subscribe(deps, url),
      importOpml: async () => ok({ added: 0, existing: 0, failed: [] }),
      refresh: async (id) => {
        const s = await store.getSource(id)
        return s ? refreshSource(deps, s) : null
      },
      previewRule: async (id, rule) => {
        const s = await store.getSource(id)
        return s ? previewRule(deps, s, rule) : null
      },
    },
  })
})
let closeFetcher = () => {}
after(async () => {
  closeFetcher()
  await store.close()
  server.close()
  server.closeAllConnections()
})

const titles = async (sourceId: number) => (await store.listArticles({ limit: 50, sourceId })).items.map((a) => a.title).sort()

test('a home page without a feed leads to the news sitemap robots.txt declares; its articles are ingested once', async () => {
  const r = await subscribe(deps, `${base}/`)
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error))
  assert.equal(r.value.source.kind, 'sitemap')
  assert.equal(r.value.source.url, `${base}/news-sitemap.xml`)
  assert.equal(r.value.source.title, 'Quay Courier', 'named after the news publication')

  const first = await refreshSource(deps, r.value.source)
  assert.equal(first.outcome, 'updated', JSON.stringify(first.error))
  assert.equal(first.created, 2)
  assert.deepEqual(await titles(r.value.source.id), ['Council moves the market', 'Ferry back at the quay'])
  const ferry = (await store.listArticles({ limit: 5, sourceId: r.value.source.id })).items.find((a) => a.title === 'Ferry back at the quay')!
  assert.equal(ferry.published, '2026-11-22T08:00:00.000Z', 'the news publication date')
  const labels = ferry.tags.map((t) => t.label)
  assert.ok(labels.includes('ferry') && labels.includes('quay'), `the publisher’s tags are kept: ${labels.join(', ')}`)
  const ferryText = `${ferry.title}\n${(await store.getArticle(ferry.id))!.text}`.toLowerCase()
  for (const t of ferry.tags) assert.ok(ferryText.includes(t.label.toLowerCase()), `hashtag ${t.label} is the article’s own word`)

  hits.length = 0
  const again = await refreshSource(deps, (await store.getSource(r.value.source.id))!)
  assert.equal(again.created, 0)
  assert.equal(again.updated, 0)
  assert.ok(!hits.some((h) => h.startsWith('/news/')), 'known articles are not fetched again')
  const same = await subscribe(deps, `${base}/news-sitemap.xml`)
  assert.ok(same.ok && !same.value.created)
})

test('a sitemap index is read through its newest children only, gzip-compressed files included', async () => {
  const r = await subscribe(deps, `${base}/sitemap_index.xml`)
  assert.ok(r.ok)
  assert.equal(r.value.source.kind, 'sitemap')
  hits.length = 0
  const rep = await refreshSource(deps, r.value.source)
  assert.equal(rep.outcome, 'updated', JSON.stringify(rep.error))
  assert.deepEqual(await titles(r.value.source.id), ['Ferry back at the quay', 'Tide clock gets repaired'])
  assert.ok(!hits.includes('/sitemap-2026-08.xml'), 'the oldest child is not read')
  assert.ok(hits.includes('/sitemap-2026-09.xml'), 'a failing child is skipped, the rest still read')
})

test('a section page without a feed becomes a site source; the rule an operator saves changes what is followed', async () => {
  const r = await subscribe(deps, `${base}/world/`)
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error))
  assert.equal(r.value.source.kind, 'site')
  assert.equal(r.value.source.rule, null)
  const id = r.value.source.id

  const first = await refreshSource(deps, r.value.source)
  assert.equal(first.created, 3, JSON.stringify(first))
  assert.deepEqual(await titles(id), ['Bridge opens to cyclists today', 'Lighthouse keeper retires after forty years', 'Storm desk: all-day updates'],
    'titles come from the article pages, not from the text of the links that led to them')
  const picked = (await store.getSource(id))!.pickedLinks
  assert.deepEqual(picked?.map((l) => new URL(l.url).pathname), [
    '/world/lighthouse-keeper-retires-after-forty-years', '/world/bridge-opens-to-cyclists-today', '/world/live/storm-desk-all-day-updates',
  ])
  assert.equal((await refreshSource(deps, (await store.getSource(id))!)).created, 0, 'a second refresh creates nothing')

  const list = await (await web.request('/admin/sources')).text()
  assert.match(list, new RegExp(`>site</span> <span>${base}/world/<`), 'the kind is shown')
  assert.match(list, new RegExp(`href="/admin/sources/${id}/rule"`))
  const form = await (await web.request(`/admin/sources/${id}/rule`)).text()
  assert.match(form, /Links this rule picks on the page now/)
  assert.match(form, /3 of \d+ links on the page/)
  assert.match(form, /Live: storm desk/)

  const post = (body: Record<string, string>) => web.request(`/admin/sources/${id}/rule`, {
    method: 'POST', body: new URLSearchParams(body), headers: { origin: 'http://localhost' },
  })
  const preview = await (await post({ include: '/world/', exclude: '/world/live/', selector: 'main', maxLinks: '10', action: 'preview' })).text()
  assert.match(preview, /not saved yet/)
  assert.match(preview, />Brief<\/a>/, 'the link the default rule passed over')
  assert.equal((await store.getSource(id))!.rule, null, 'a preview stores nothing')

  const saved = await post({ include: '/world/', exclude: '/world/live/', selector: 'main', maxLinks: '10', action: 'save' })
  assert.equal(saved.status, 303)
  assert.deepEqual((await store.getSource(id))!.rule, { include: ['/world/'], exclude: ['/world/live/'], selector: 'main', maxLinks: 10 })
  hits.length = 0
  const after = await refreshSource(deps, (await store.getSource(id))!)
  assert.equal(after.created, 1, 'the brief, which the default rule passed over, is followed now')
  assert.ok(hits.includes('/world/brief'))
  assert.ok(!hits.includes('/world/live/storm-desk-all-day-updates'), 'the excluded link is no longer followed')
  assert.ok(!hits.some((h) => h.startsWith('/tag/')), 'tag pages outside the include pattern are not followed')
  assert.deepEqual((await store.getSource(id))!.pickedLinks?.map((l) => l.title), ['Lighthouse keeper retires', 'Bridge opens to cyclists', 'Brief'])
  assert.equal((await titles(id)).length, 4, 'what was stored before stays')

  // The OPML export carries the site and its rule; importing it elsewhere gives the same source back.
  const opml = await (await web.request('/sources.opml')).text()
  const elsewhere = await openStore('sqlite::memory:')
  try {
    const imported = await importOpml({ ...deps, store: elsewhere }, opml)
    assert.ok(imported.ok && imported.value.failed.length === 0, JSON.stringify(imported))
    const copy = (await elsewhere.findSourceByUrl(`${base}/world/`))!
    assert.equal(copy.kind, 'site')
    assert.deepEqual(copy.rule, { include: ['/world/'], exclude: ['/world/live/'], selector: 'main', maxLinks: 10 })
  } finally {
    await elsewhere.close()
  }
})

test('the rule form turns a bad pattern away with a message next to it, and stores nothing', async () => {
  const site = (await store.findSourceByUrl(`${base}/world/`))!
  const before = (await store.getSource(site.id))!.rule
  const res = await web.request(`/admin/sources/${site.id}/rule`, {
    method: 'POST',
    body: new URLSearchParams({ include: '/world/\nre:(a+)+$', exclude: '', selector: 'main >>> a', maxLinks: '10', action: 'save' }),
    headers: { origin: 'http://localhost' },
  })
  assert.equal(res.status, 400)
  const html = await res.text()
  assert.match(html, /The rule was not saved/)
  assert.match(html, /id="include-problems"[^>]*>.*re:\(a\+\)\+\$.*exponential time/s)
  assert.match(html, /id="selector-problems"[^>]*>.*not a CSS selector/s)
  assert.match(html, /<textarea id="rule-include"[^>]*>\/world\/\nre:\(a\+\)\+\$<\/textarea>/, 'what was typed is kept for correcting')
  assert.deepEqual((await store.getSource(site.id))!.rule, before)

  const sitemap = (await store.findSourceByUrl(`${base}/news-sitemap.xml`))!
  assert.equal((await web.request(`/admin/sources/${sitemap.id}/rule`)).status, 404, 'sitemaps have no link rule')
})

test('a page with neither feed, sitemap nor article links is refused, and nothing is stored', async () => {
  const before = (await store.listSources()).length
  const r = await subscribe(deps, `${base}/world/lighthouse-keeper-retires-after-forty-years`)
  assert.ok(!r.ok)
  assert.equal(r.error.code, 'no_feed_found')
  assert.equal((await store.listSources()).length, before)
})
