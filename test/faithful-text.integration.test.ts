import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Server } from 'node:http'
import iconv from 'iconv-lite'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { refreshMany } from '../src/pipeline/ingest.js'
import { DEFAULT_POLICY, type IngestDeps } from '../src/pipeline/deps.js'
import { loopbackFetcher, serveLoopback } from './support/loopback.js'

/**
 * A made-up policy institute whose page carries the defects of the reference seed 002 (our own
 * text): quotes already turned to mojibake by a UTF-8-read-as-GBK round trip, a spam brand name in
 * Chinese where the institute's name stood, navigation words before the text, a caption repeated in
 * the body, and spaces lost around links.
 */
const gbkMojibake = (s: string) => iconv.decode(Buffer.from(s, 'utf8'), 'gbk')

const PARAS = [
  `The ${'华体会'} policy brief argues that the two ports ${gbkMojibake('didn’t')} need a treaty to share shore power.`,
  'Officials from both cities met in March andJapan sent a delegation in April to inspect the new berths.',
  'The brief estimates that each connected berth saves about four thousand tonnes of carbon dioxide every year, according to the harbour authority.',
  'Freight operators welcomed the plan but asked for a clear timetable before they retrofit older vessels with the necessary connections.',
]
const CAPTION = 'Container cranes at the east terminal, where the first berths will be wired.'

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ports can share power without a treaty | Meridian Policy Institute</title>
<meta property="og:site_name" content="Meridian Policy Institute"></head><body>
<header><nav><a href="/">Home</a> <a href="/reports">Reports</a></nav></header>
<article><h1>Ports can share power without a treaty</h1>
<p>SVG</p><p>Reports</p>
<figure><img src="/cranes.jpg" alt=""><figcaption>${CAPTION}</figcaption></figure>
<p>${PARAS[0]}</p>
<p>${CAPTION}</p>
<p>Officials from both cities met in March and<a href="/japan">Japan</a> sent a delegation in April to inspect the new berths.</p>
<p>${PARAS[2]}</p><p>${PARAS[3]}</p>
</article><footer>© Meridian Policy Institute</footer></body></html>`

let server: Server
let base = ''
let store: Store
let deps: IngestDeps
let close = () => {}

before(async () => {
  ;({ server, base } = await serveLoopback((req, res) => {
    if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' })
      res.end(`<rss version="2.0"><channel><title>Meridian</title><link>${base}/</link><item><guid>p1</guid><title>Ports can share power without a treaty</title><link>${base}/brief.html</link><description>A brief.</description></item></channel></rss>`)
    } else if (req.url === '/brief.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(PAGE)
    } else { res.writeHead(404); res.end() }
  }))
  store = await openStore('sqlite::memory:')
  const fetcher = loopbackFetcher([base], { maxBodyBytes: 1_000_000, perHostConcurrency: 2, respectRobots: false })
  close = () => fetcher.close()
  deps = { store, fetch: fetcher, now: () => new Date('2026-11-22T12:00:00Z'), random: () => 0.5, policy: { ...DEFAULT_POLICY } }
})
after(async () => {
  close()
  await store.close()
  server.close()
  server.closeAllConnections()
})

test('the reader gets the publisher’s text: mojibake repaired, injected run hidden, chrome and repeated caption gone, spaces back', async () => {
  const { source } = await store.addSource({ kind: 'feed', url: `${base}/feed.xml` }, '2026-11-22T12:00:00Z')
  const r = await refreshMany(deps, [source], { concurrency: 1 })
  assert.equal(r.created, 1)
  const a = (await store.getArticle((await store.listArticles({ limit: 1 })).items[0]!.id))!
  assert.match(a.text, /the two ports didn’t need a treaty/, 'mojibake repaired')
  assert.doesNotMatch(a.text, /华体会|鈥/, 'injected run and mojibake gone from what the reader sees')
  assert.match(a.text, /met in March and Japan sent a delegation/, 'lost space restored')
  assert.ok(!a.text.split('\n').includes('SVG') && !a.text.split('\n').includes('Reports'), 'navigation residue dropped')
  assert.ok(!a.text.includes(CAPTION), 'the repeated caption is not in the body')
  assert.equal(a.captions[0]?.text, CAPTION, 'the caption is kept apart')
  assert.doesNotMatch(a.html, /华体会|鈥|<p>SVG<\/p>/, 'the HTML the page shows is cleaned too')
  assert.ok(a.cleanup, 'the article is marked as cleaned')
  assert.deepEqual(a.cleanup.injected.map((x) => x.text), ['华体会'], 'the original is kept for inspection')
  assert.ok(a.cleanup.repaired >= 1)
  assert.ok(a.cleanup.spacesRestored >= 1)
})
