import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { refreshMany } from '../src/pipeline/ingest.js'
import { subscribe } from '../src/pipeline/subscribe.js'
import { DEFAULT_POLICY, type IngestDeps } from '../src/pipeline/deps.js'
import { loopbackFetcher, serveLoopback } from './support/loopback.js'

/** A made-up publisher on loopback whose behaviour each test can change. */
let server: Server
let base = ''
/** A second host: its 429 holds that host only, not the publisher above. */
let throttler: Server
let throttledBase = ''
let store: Store
let deps: IngestDeps
let clock = new Date('2026-11-22T12:00:00.000Z')
const hits: string[] = []
const state = { title2: 'Second story', body2: 'The second story has two paragraphs of text about the bridge.', page2Status: 200 }

function page(title: string, paragraphs: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Test Post</title>
<meta property="og:title" content="${title}"><meta name="author" content="Ana Ruiz"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article>
<aside class="newsletter">Sign up for our newsletter</aside><footer>© Test Post</footer></body></html>`
}

function rss(items: { guid: string; title: string; link: string; description: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test Post</title><link>${base}/</link><description>d</description>
${items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>${i.link}</link><description>${i.description}</description><pubDate>Sun, 22 Nov 2026 10:00:00 GMT</pubDate><category>Bridges</category></item>`).join('\n')}
</channel></rss>`
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/'
  hits.push(url)
  const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, ...headers })
    res.end(body)
  }
  switch (url) {
    case '/good.xml': {
      const etag = `"v-${state.title2.length}-${state.body2.length}"`
      if (req.headers['if-none-match'] === etag) return send(304, 'application/rss+xml', '', { etag })
      return send(200, 'application/rss+xml', rss([
        { guid: 'g1', title: 'First story', link: `${base}/a1.html?utm_source=rss`, description: 'First.' },
        { guid: 'g2', title: state.title2, link: `${base}/a2.html`, description: 'Second.' },
        { guid: 'g3', title: 'Third story', link: `${base}/missing.html`, description: '<p>Only the feed has this text about the third story.</p>' },
      ]), { etag })
    }
    case '/a1.html': return send(200, 'text/html; charset=utf-8', page('First story', ['The first story opens here with a long paragraph about the harbor bridge.', 'It continues with a second paragraph that the extractor must keep.']))
    case '/a2.html': return send(state.page2Status, 'text/html; charset=utf-8', page(state.title2, [state.body2, 'A closing paragraph about what happens next at the bridge.']))
    case '/broken.xml': return send(200, 'application/rss+xml', '<html><body><h1>Welcome!</h1><p>We moved things around.</p></body></html>')
    case '/moved.xml': return send(301, 'text/plain', '', { location: '/good.xml' })
    case '/old-home.xml': return send(301, 'text/plain', '', { location: '/interim.xml' })
    case '/interim.xml': return send(308, 'text/plain', '', { location: '/new-home.xml' })
    case '/on-holiday.xml': return send(302, 'text/plain', '', { location: '/holiday-home.xml' })
    case '/new-home.xml':
    case '/holiday-home.xml':
      return send(200, 'application/rss+xml', rss([{ guid: `${url}-1`, title: 'First story', link: `${base}/a1.html`, description: 'First.' }]))
    case '/huge.xml': return send(200, 'application/rss+xml', Buffer.alloc(300_000, 0x41))
    case '/slow.xml': {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      res.write('<?xml version="1.0"?><rss>')
      setTimeout(() => res.end('</rss>'), 5_000).unref()
      return
    }
    case '/site.html': return send(200, 'text/html', `<html><head><link rel="alternate" type="application/rss+xml" title="Feed" href="/good.xml"></head><body>Hi</body></html>`)
    case '/robots.txt': return send(200, 'text/plain', 'User-agent: *\nAllow: /\n')
    default: return send(404, 'text/plain', 'not found')
  }
}

before(async () => {
  ;({ server, base } = await serveLoopback(handler))
  throttler = createServer((_req, res) => { res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '120' }); res.end('slow down') })
  await new Promise<void>((r) => throttler.listen(0, '127.0.0.3', r)) // another host: limits are per host name
  throttledBase = `http://127.0.0.3:${(throttler.address() as AddressInfo).port}`
  store = await openStore('sqlite::memory:')
  const fetcher = loopbackFetcher([base, throttledBase], { timeoutMs: 1500, maxBodyBytes: 200_000 })
  deps = { store, fetch: fetcher, now: () => clock, random: () => 0.5, policy: { ...DEFAULT_POLICY } }
  closeFetcher = () => fetcher.close()
})
let closeFetcher = () => {}
after(async () => {
  closeFetcher()
  await store.close()
  server.close()
  throttler.close()
  server.closeAllConnections()
  throttler.closeAllConnections()
})

async function source(path: string) {
  return (await store.addSource({ kind: 'feed', url: `${base}${path}` }, clock.toISOString())).source
}

test('a good feed ingests beside broken, throttled, huge, slow and private ones, each failure stored on its source', async () => {
  const good = await source('/good.xml')
  const broken = await source('/broken.xml')
  const throttled = (await store.addSource({ kind: 'feed', url: `${throttledBase}/feed.xml` }, clock.toISOString())).source
  const huge = await source('/huge.xml')
  const slow = await source('/slow.xml')
  const priv = (await store.addSource({ kind: 'feed', url: 'http://10.0.0.1/feed.xml' }, clock.toISOString())).source
  const otherLoopback = (await store.addSource({ kind: 'feed', url: 'http://127.0.0.2:9/feed.xml' }, clock.toISOString())).source

  const r = await refreshMany(deps, [good, broken, throttled, huge, slow, priv, otherLoopback], { concurrency: 7 })
  assert.equal(r.ok, 1)
  assert.equal(r.failed, 6)
  const goodReport = r.reports.find((x) => x.sourceId === good.id)!
  assert.equal(goodReport.created, 3)
  assert.equal(goodReport.degraded, 1, 'the item whose page is missing is stored from feed content')

  const codes = async (id: number) => (await store.getSource(id))?.lastErrorCode
  assert.equal(await codes(good.id), null)
  assert.equal(await codes(broken.id), 'feed_format_unknown')
  assert.equal(await codes(throttled.id), 'http_throttled')
  assert.equal(await codes(huge.id), 'body_too_large')
  assert.equal(await codes(slow.id), 'timeout')
  assert.equal(await codes(priv.id), 'blocked_private_address')
  assert.equal(await codes(otherLoopback.id), 'blocked_private_address')

  const t = await store.getSource(throttled.id)
  assert.equal(t?.errorCount, 1)
  assert.ok(Date.parse(t!.nextCheckAt) >= clock.getTime() + 120_000, 'Retry-After is honoured')
  const b = await store.getSource(broken.id)
  assert.match(b!.lastErrorMessage ?? '', /HTML/i, 'the message says what was found instead of a feed')
  assert.ok(Date.parse(b!.nextCheckAt) > clock.getTime(), 'a failing source backs off')

  const g = await store.getSource(good.id)
  assert.equal(g?.title, 'Test Post', 'title learned from the feed')
  assert.ok(g?.etag)

  const list = await store.listArticles({ limit: 10, sourceId: good.id })
  const first = list.items.find((a) => a.title === 'First story')!
  const full = await store.getArticle(first.id)
  assert.equal(full?.url, `${base}/a1.html`, 'tracking parameters dropped')
  assert.match(full!.text, /^The first story opens here/)
  assert.match(full!.text, /\nIt continues with a second paragraph/, 'a newline between blocks')
  assert.doesNotMatch(full!.text, /newsletter|Home|World/i, 'navigation and promos stay out')
  assert.ok(full!.tags.some((t) => t.slug === 'bridges'), 'the publisher’s tag is kept')
  assert.ok(!full!.tags.some((t) => t.slug === 'bridge'), 'a hashtag does not repeat a publisher tag in the singular')
  for (const t of full!.tags.filter((x) => x.slug !== 'bridges')) assert.ok(`${full!.title} ${full!.text}`.toLowerCase().includes(t.label.toLowerCase()), `hashtag ${t.label} comes from the article`)
  assert.equal(full?.author?.name, 'Ana Ruiz')
  const third = list.items.find((a) => a.title === 'Third story')!
  const thirdFull = await store.getArticle(third.id)
  assert.match(thirdFull!.text, /Only the feed has this text/)
  assert.equal(thirdFull?.extractError?.code, 'http_not_found')
})

test('a second refresh is a conditional GET answered 304; nothing is refetched', async () => {
  const good = (await store.findSourceByUrl(`${base}/good.xml`))!
  hits.length = 0
  clock = new Date(clock.getTime() + 3_600_000)
  const r = await refreshMany(deps, [good], { concurrency: 1 })
  assert.equal(r.reports[0]?.outcome, 'not_modified')
  assert.deepEqual(hits, ['/good.xml'])
})

test('an edited article is updated in place with its earlier version kept', async () => {
  const good = (await store.findSourceByUrl(`${base}/good.xml`))!
  state.title2 = 'Second story (corrected)'
  state.body2 = 'The second story now says something different about the bridge.'
  clock = new Date(clock.getTime() + 3_600_000)
  const r = await refreshMany(deps, [(await store.getSource(good.id))!], { concurrency: 1 })
  assert.equal(r.reports[0]?.updated, 1)
  assert.equal(r.reports[0]?.created, 0)
  const list = await store.listArticles({ limit: 10, sourceId: good.id })
  assert.equal(list.items.length, 3, 'still one article per item')
  const a = list.items.find((x) => x.title.startsWith('Second story'))!
  assert.equal(a.title, 'Second story (corrected)')
  const revs = await store.listRevisions(a.id)
  assert.equal(revs.length, 1)
  assert.equal(revs[0]?.title, 'Second story')
})

test('subscribing to a site page finds its declared feed; a redirecting feed URL works', async () => {
  const viaSite = await subscribe(deps, `${base}/site.html`)
  assert.ok(viaSite.ok)
  assert.equal(viaSite.value.source.url, `${base}/good.xml`)
  assert.equal(viaSite.value.created, false, 'already subscribed to that feed')
  const moved = await subscribe(deps, `${base}/moved.xml`)
  assert.ok(moved.ok)
  const notFeed = await subscribe(deps, `${base}/a1.html`)
  assert.ok(!notFeed.ok)
  assert.equal(notFeed.error.code, 'no_feed_found')
  const bad = await subscribe(deps, 'javascript:alert(1)')
  assert.ok(!bad.ok)
  assert.equal(bad.error.code, 'invalid_url')
})

test('a feed that moved permanently is polled at its new address from then on; a temporary redirect changes nothing', async () => {
  const moved = await source('/old-home.xml')
  const away = await source('/on-holiday.xml')
  const r = await refreshMany(deps, [moved, away], { concurrency: 2 })
  assert.equal(r.ok, 2)
  assert.equal((await store.getSource(moved.id))?.url, `${base}/new-home.xml`, '301 then 308: moved')
  assert.equal((await store.getSource(away.id))?.url, `${base}/on-holiday.xml`, '302: still polled where the operator subscribed')
  hits.length = 0
  await refreshMany(deps, [(await store.getSource(moved.id))!], { concurrency: 1 })
  assert.ok(!hits.includes('/old-home.xml') && hits.includes('/new-home.xml'), 'the old address is not asked again')
})
