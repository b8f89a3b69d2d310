/**
 * Fault tests (issue 4, section 6): hostile or broken publishers on loopback. Each one must end with a
 * clear error stored on its source, within the fetch deadline and the body cap, while a healthy source
 * refreshed in the same round is ingested as usual.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Server, IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { gzipSync } from 'node:zlib'
import type { Store } from '../src/store/store.js'
import type { Source } from '../src/domain/types.js'
import { openStore } from '../src/store/open-store.js'
import { refreshMany, refreshSource } from '../src/pipeline/ingest.js'
import { DEFAULT_POLICY, type IngestDeps } from '../src/pipeline/deps.js'
import { parseFeed } from '../src/pipeline/parse/parse-feed.js'
import { loopbackFetcher, serveLoopback } from './support/loopback.js'

const TIMEOUT_MS = 1500
const MAX_BODY = 2 * 1024 * 1024

let server: Server
let base = ''
let store: Store
let deps: IngestDeps
let closeFetcher = () => {}
const clock = new Date('2026-11-22T12:00:00.000Z')
const sockets = new Set<Socket>()
const timers = new Set<NodeJS.Timeout>()
/** What /shifting.xml serves next: the publisher changes its feed's format between fetches. */
let shiftingFormat: 'rss' | 'atom' | 'json' | 'html' = 'rss'

const PAGE = (title: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><article><h1>${title}</h1><p>${title} is told here in a paragraph long enough to count as the body of an article page.</p>
<p>A second paragraph adds what happened next, so the extractor has real text to keep.</p></article></body></html>`

function rss(items: { id: string; title: string; path: string; description?: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Fault Post</title><link>${base}/</link>
${items.map((i) => `<item><guid>${i.id}</guid><title>${i.title}</title><link>${base}${i.path}</link><description>${i.description ?? 'Summary.'}</description><pubDate>Sun, 22 Nov 2026 10:00:00 GMT</pubDate></item>`).join('\n')}
</channel></rss>`
}

const SHIFTING_ITEMS = [
  { id: 'shift-1', title: 'Harbour bridge reopens', path: '/shift-1.html' },
  { id: 'shift-2', title: 'Ferry timetable changes', path: '/shift-2.html' },
]

function shifting(): { type: string; body: string } {
  const items = SHIFTING_ITEMS
  switch (shiftingFormat) {
    case 'rss': return { type: 'application/rss+xml', body: rss(items) }
    case 'atom': return {
      type: 'application/atom+xml',
      body: `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Fault Post</title><id>urn:fault</id><updated>2026-11-22T10:00:00Z</updated>
${items.map((i) => `<entry><id>${i.id}</id><title>${i.title}</title><link href="${base}${i.path}"/><updated>2026-11-22T10:00:00Z</updated><summary>Summary.</summary></entry>`).join('')}</feed>`,
    }
    case 'json': return {
      type: 'application/feed+json',
      body: JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1', title: 'Fault Post',
        items: items.map((i) => ({ id: i.id, title: i.title, url: `${base}${i.path}`, content_text: 'Summary.', date_published: '2026-11-22T10:00:00Z' })),
      }),
    }
    case 'html': return { type: 'text/html', body: '<!doctype html><html><body><h1>We are redesigning</h1><p>Back soon.</p></body></html>' }
  }
}

/** Billion laughs: ten levels of ten references each would expand to 10^9 copies of "lol". */
function entityBomb(): string {
  const levels = ['<!ENTITY lol0 "lol">']
  for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`)
  return `<?xml version="1.0"?><!DOCTYPE rss [${levels.join('')}]><rss version="2.0"><channel><title>&lol9;</title>
<item><guid>bomb-1</guid><title>&lol9;</title><link>${base}/bomb-1.html</link><description>&lol9;</description></item></channel></rss>`
}

function later(ms: number, fn: () => void): void {
  const t = setTimeout(() => { timers.delete(t); fn() }, ms)
  timers.add(t)
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/'
  const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, ...headers })
    res.end(body)
  }
  if (url === '/robots.txt') return send(404, 'text/plain', '')
  if (/^\/(healthy|shift|long|bomb)-\d\.html$/.test(url)) return send(200, 'text/html; charset=utf-8', PAGE(url.slice(1, -5)))
  switch (url) {
    case '/healthy.xml':
      return send(200, 'application/rss+xml', rss([{ id: 'healthy-1', title: 'Healthy story', path: '/healthy-1.html' }]))
    case '/reset.xml': {
      // Promise a long body, send a little of it, then drop the connection.
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '50000' })
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut')
      later(50, () => res.socket?.destroy())
      return
    }
    case '/endless.xml': {
      // A body that never ends, served as fast as the socket takes it.
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>')
      const chunk = `<item><title>${'more '.repeat(200)}</title></item>`
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) { /* until the socket pushes back */ }
        if (!res.destroyed) res.once('drain', pump)
      }
      pump()
      return
    }
    case '/slowloris.xml': {
      // A byte at a time, forever: every read makes progress, so only an overall deadline ends it.
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      const drip = () => {
        if (res.destroyed) return
        res.write(' ')
        later(100, drip)
      }
      drip()
      return
    }
    case '/silent.xml':
      return // accepts the request and never answers
    case '/loop-a.xml': return send(302, 'text/plain', '', { location: '/loop-b.xml' })
    case '/loop-b.xml': return send(302, 'text/plain', '', { location: '/loop-a.xml' })
    case '/gzip-bomb.xml':
      // 64 MB of zeros compressed to about 64 KB.
      return send(200, 'application/rss+xml', gzipBomb, { 'content-encoding': 'gzip' })
    case '/entity-bomb.xml': return send(200, 'application/rss+xml', entityBomb())
    case '/long-line.xml': {
      // A 10 MB description on one line beside an ordinary item; served to the roomier fetcher.
      return send(200, 'application/rss+xml', rss([
        { id: 'long-1', title: 'Long line story', path: '/long-1.html', description: 'word '.repeat(2_000_000) },
        { id: 'long-2', title: 'Short story', path: '/long-2.html' },
      ]))
    }
    case '/shifting.xml': {
      const s = shifting()
      return send(200, s.type, s.body)
    }
    default: return send(404, 'text/plain', 'not found')
  }
}

let gzipBomb: Buffer

before(async () => {
  gzipBomb = gzipSync(Buffer.alloc(64 * 1024 * 1024))
  ;({ server, base } = await serveLoopback(handler))
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  store = await openStore('sqlite::memory:')
  const fetcher = loopbackFetcher([base], { timeoutMs: TIMEOUT_MS, maxBodyBytes: MAX_BODY, maxRedirects: 5, perHostConcurrency: 16 })
  deps = { store, fetch: fetcher, now: () => clock, random: () => 0.5, policy: { ...DEFAULT_POLICY } }
  closeFetcher = () => fetcher.close()
})

after(async () => {
  closeFetcher()
  for (const t of timers) clearTimeout(t)
  for (const s of sockets) s.destroy()
  server.close()
  await store.close()
})

async function source(path: string): Promise<Source> {
  return (await store.addSource({ kind: 'feed', url: `${base}${path}` }, clock.toISOString())).source
}

test('hostile publishers each end with a stored error, within the deadline, and a healthy source beside them is ingested', async () => {
  const healthy = await source('/healthy.xml')
  const faults: Record<string, { source: Source; code: RegExp; message: RegExp }> = {
    reset: { source: await source('/reset.xml'), code: /^connection_error$/, message: /reset|closed|aborted|socket hang up/i },
    endless: { source: await source('/endless.xml'), code: /^body_too_large$/, message: /over the limit/ },
    slowloris: { source: await source('/slowloris.xml'), code: /^timeout$/, message: new RegExp(`${TIMEOUT_MS} ms`) },
    silent: { source: await source('/silent.xml'), code: /^timeout$/, message: new RegExp(`${TIMEOUT_MS} ms`) },
    redirectLoop: { source: await source('/loop-a.xml'), code: /^too_many_redirects$/, message: /redirect/i },
    gzipBomb: { source: await source('/gzip-bomb.xml'), code: /^body_too_large$/, message: /over the limit/ },
  }
  const started = performance.now()
  const r = await refreshMany(deps, [healthy, ...Object.values(faults).map((f) => f.source)], { concurrency: 8 })
  const elapsed = performance.now() - started

  assert.equal(r.ok, 1, 'only the healthy source succeeds')
  assert.equal(r.failed, Object.keys(faults).length)
  assert.equal(r.reports.find((x) => x.sourceId === healthy.id)?.created, 1, 'the healthy source is ingested in the same round')
  for (const [name, f] of Object.entries(faults)) {
    const s = await store.getSource(f.source.id)
    assert.match(s?.lastErrorCode ?? 'none', f.code, `${name}: stored error code`)
    assert.match(s?.lastErrorMessage ?? '', f.message, `${name}: the message says what happened`)
    assert.equal(s?.errorCount, 1, `${name}: counted once`)
    assert.ok(Date.parse(s!.nextCheckAt) > clock.getTime(), `${name}: backs off`)
  }
  // Everything runs at once, so the round lasts about one fetch deadline, not the sum of them.
  assert.ok(elapsed < TIMEOUT_MS * 4, `all faults ended within the deadline (took ${elapsed.toFixed(0)} ms)`)
  assert.equal(await store.countArticles(), 1, 'nothing was stored from the broken sources')
})

test('an XML entity bomb (billion laughs) is parsed without expanding it', () => {
  const started = performance.now()
  const r = parseFeed(entityBomb(), { url: `${base}/entity-bomb.xml` })
  const elapsed = performance.now() - started
  assert.ok(elapsed < 2000, `bounded time (took ${elapsed.toFixed(0)} ms)`)
  if (r.ok) {
    const sizes = [r.value.title ?? '', ...r.value.items.flatMap((i) => [i.title ?? '', i.summary ?? '', i.contentHtml ?? ''])].map((s) => s.length)
    assert.ok(Math.max(...sizes) < 1_000_000, `no field holds the expansion (largest ${Math.max(...sizes)} chars)`)
  } else {
    assert.match(r.error.message, /entit/i, 'refused with a message about entities')
  }
})

test('an entity bomb served as a feed ends with the source either read safely or failed clearly', async () => {
  const bomb = await source('/entity-bomb.xml')
  const r = await refreshSource(deps, bomb)
  const s = await store.getSource(bomb.id)
  if (r.outcome === 'error') assert.ok(s?.lastErrorCode, 'a stored error code')
  else {
    const list = await store.listArticles({ limit: 5, sourceId: bomb.id })
    for (const a of list.items) assert.ok(a.title.length < 1000, 'no expanded title was stored')
  }
})

test('a 10 MB single line is read within bounds and does not hold up the ordinary item beside it', async () => {
  const roomy = loopbackFetcher([base], { timeoutMs: 10_000, maxBodyBytes: 16 * 1024 * 1024, maxRedirects: 5, perHostConcurrency: 16 })
  try {
    const long = await source('/long-line.xml')
    const started = performance.now()
    const r = await refreshSource({ ...deps, fetch: roomy }, long)
    const elapsed = performance.now() - started
    assert.equal(r.outcome, 'updated', r.error?.message)
    assert.equal(r.created, 2, 'both items stored')
    assert.ok(elapsed < 10_000, `bounded time (took ${elapsed.toFixed(0)} ms)`)
    const list = await store.listArticles({ limit: 5, sourceId: long.id })
    const stored = await store.getArticle(list.items.find((a) => a.title === 'Long line story')!.id)
    assert.match(stored!.text, /long-1 is told here/, 'the article page is the body, not the giant feed line')
  } finally {
    roomy.close()
  }
})

test('a feed that changes format between fetches keeps one article per item, and a detour to HTML is a stored, recoverable error', async () => {
  const src = await source('/shifting.xml')
  const seen: string[] = []
  for (const format of ['rss', 'atom', 'json', 'html', 'rss'] as const) {
    shiftingFormat = format
    const r = await refreshSource(deps, (await store.getSource(src.id))!)
    const s = await store.getSource(src.id)
    if (format === 'html') {
      assert.equal(r.outcome, 'error')
      assert.equal(s?.lastErrorCode, 'feed_format_unknown', 'an HTML page where the feed was is reported as such')
    } else {
      assert.equal(r.outcome, 'updated', `${format}: ${r.error?.message ?? ''}`)
      assert.equal(s?.lastErrorCode, null, `${format}: a success clears the error`)
      assert.equal(s?.errorCount, 0)
    }
    seen.push(`${format}:${r.created}`)
  }
  assert.deepEqual(seen, ['rss:2', 'atom:0', 'json:0', 'html:0', 'rss:0'], 'the same items in another format are the same articles')
  assert.equal((await store.listArticles({ limit: 10, sourceId: src.id })).items.length, 2)
})
