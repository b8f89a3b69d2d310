import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import zlib from 'node:zlib'
import { createFetcher } from './fetcher.js'
import type { FetchConfig, FetcherDeps } from './fetcher.js'
import type { Result, StageError } from '../../domain/result.js'
import type { FetchResponse } from '../../domain/types.js'

const UA = 'Tidings/0.1 (+https://tidings.test/bot)'
const TEXT = '<rss version="2.0"><channel><title>Hello, wörld</title></channel></rss>\n'.repeat(20)

const config = (over: Partial<FetchConfig> = {}): FetchConfig => ({
  timeoutMs: 5000,
  maxBodyBytes: 1_000_000,
  maxRedirects: 5,
  userAgent: UA,
  allowPrivate: false,
  allowHosts: ['127.0.0.1'],
  perHostConcurrency: 4,
  perHostIntervalMs: 0,
  respectRobots: false,
  ...over,
})

interface Seen {
  path: string
  headers: http.IncomingHttpHeaders
}

interface TestServer {
  port: number
  base: string
  seen: Seen[]
  close(): Promise<void>
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, server: TestServer) => void): Promise<TestServer> {
  const server = http.createServer()
  const t: TestServer = {
    port: 0,
    base: '',
    seen: [],
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
  server.on('request', (req, res) => {
    t.seen.push({ path: req.url ?? '', headers: req.headers })
    handler(req, res, t)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.port = (server.address() as AddressInfo).port
  t.base = `http://127.0.0.1:${t.port}`
  return t
}

function expectOk(r: Result<FetchResponse>): FetchResponse {
  if (!r.ok) assert.fail(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.value
}

function expectErr(r: Result<FetchResponse>, code: string): StageError {
  if (r.ok) assert.fail(`expected ${code}, got HTTP ${r.value.status}`)
  assert.equal(r.error.code, code, r.error.message)
  assert.equal(r.error.stage, 'fetch')
  return r.error
}

const text = (r: FetchResponse): string => new TextDecoder().decode(r.body)

/** Fetcher with the test's settings, closed after the test. */
function fetcherFor(t: { after: (fn: () => void) => void }, over: Partial<FetchConfig> = {}, deps: FetcherDeps = {}) {
  const f = createFetcher(config(over), deps)
  t.after(() => f.close())
  return f
}

const big = Buffer.alloc(2_000_000, 'x')
const bomb = zlib.gzipSync(Buffer.alloc(20_000_000)) // ~20 KB of gzip, 20 MB of zeros

let main: TestServer
before(async () => {
  main = await serve((req, res, self) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const p = url.pathname
    if (p === '/feed') {
      res.setHeader('Content-Type', 'application/rss+xml')
      res.setHeader('X-Multi', ['one', 'two'])
      return res.end(TEXT)
    }
    if (p === '/etag') {
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304, { ETag: '"v1"' }).end()
      return res.writeHead(200, { ETag: '"v1"' }).end(TEXT)
    }
    if (p === '/last-modified') {
      const lm = 'Sun, 22 Nov 2026 03:00:00 GMT'
      if (req.headers['if-modified-since'] === lm) return res.writeHead(304).end()
      return res.writeHead(200, { 'Last-Modified': lm }).end(TEXT)
    }
    if (p === '/gzip') return res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(zlib.gzipSync(TEXT))
    if (p === '/deflate') return res.writeHead(200, { 'Content-Encoding': 'deflate' }).end(zlib.deflateSync(TEXT))
    if (p === '/deflate-raw') return res.writeHead(200, { 'Content-Encoding': 'deflate' }).end(zlib.deflateRawSync(TEXT))
    if (p === '/br') return res.writeHead(200, { 'Content-Encoding': 'br' }).end(zlib.brotliCompressSync(TEXT))
    if (p === '/gzip-br') {
      return res.writeHead(200, { 'Content-Encoding': 'gzip, br' }).end(zlib.brotliCompressSync(zlib.gzipSync(TEXT)))
    }
    if (p === '/corrupt-gzip') {
      const gz = zlib.gzipSync(TEXT)
      gz.fill(0x55, 20, 40)
      return res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gz)
    }
    if (p === '/zstd') return res.writeHead(200, { 'Content-Encoding': 'zstd' }).end('??')
    if (p === '/r1') return res.writeHead(301, { Location: '/r2' }).end()
    if (p === '/r2') return res.writeHead(302, { Location: `${self.base}/r3?x=1` }).end('moved')
    if (p === '/r3') return res.writeHead(307, { Location: 'final' }).end()
    if (p === '/final') return res.end('arrived')
    if (p === '/loop') return res.writeHead(302, { Location: '/loop' }).end()
    if (p === '/to-ftp') return res.writeHead(302, { Location: 'ftp://example.org/x' }).end()
    if (p === '/no-location') return res.writeHead(302).end()
    if (p === '/big-declared') {
      res.writeHead(200, { 'Content-Length': String(big.length) })
      return res.end(big)
    }
    if (p === '/big-chunked') {
      res.writeHead(200) // no Content-Length: chunked
      for (let i = 0; i < 20; i++) res.write(big.subarray(0, 100_000))
      return res.end()
    }
    if (p === '/bomb') return res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) }).end(bomb)
    if (p === '/drip') {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      const timer = setInterval(() => res.write('.'), 50)
      res.on('close', () => clearInterval(timer))
      return
    }
    if (p === '/silent') return // never answers
    if (p.startsWith('/status/')) {
      const status = Number(p.slice('/status/'.length))
      return res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`status ${status}`)
    }
    res.writeHead(404).end('not found')
  })
})
after(() => main.close())

test('sends User-Agent, Accept and Accept-Encoding; returns body and joined lower-case headers', async (t) => {
  const f = fetcherFor(t)
  const r = expectOk(await f({ url: `${main.base}/feed`, purpose: 'feed' }))
  assert.equal(r.status, 200)
  assert.equal(text(r), TEXT)
  assert.equal(r.url, `${main.base}/feed`)
  assert.equal(r.notModified, false)
  assert.deepEqual(r.redirects, [])
  assert.equal(r.headers['content-type'], 'application/rss+xml')
  assert.equal(r.headers['x-multi'], 'one, two')
  const seen = main.seen.findLast((s) => s.path === '/feed')!
  assert.equal(seen.headers['user-agent'], UA)
  assert.match(seen.headers['accept'] ?? '', /^application\/rss\+xml, application\/atom\+xml, application\/feed\+json/)
  assert.equal(seen.headers['accept-encoding'], 'gzip, deflate, br')
  assert.equal(seen.headers['if-none-match'], undefined)

  expectOk(await f({ url: `${main.base}/feed`, purpose: 'page' }))
  assert.match(main.seen.findLast((s) => s.path === '/feed')!.headers['accept'] ?? '', /^text\/html/)
})

test('ETag round trip gives 304 notModified with an empty body', async (t) => {
  const f = fetcherFor(t)
  const first = expectOk(await f({ url: `${main.base}/etag`, purpose: 'feed' }))
  assert.equal(first.headers['etag'], '"v1"')
  const second = expectOk(await f({ url: `${main.base}/etag`, purpose: 'feed', etag: first.headers['etag'] ?? null }))
  assert.equal(second.status, 304)
  assert.equal(second.notModified, true)
  assert.equal(second.body.length, 0)
  assert.equal(main.seen.findLast((s) => s.path === '/etag')!.headers['if-none-match'], '"v1"')
})

test('Last-Modified round trip gives 304 notModified', async (t) => {
  const f = fetcherFor(t)
  const first = expectOk(await f({ url: `${main.base}/last-modified`, purpose: 'feed' }))
  const second = expectOk(await f({ url: `${main.base}/last-modified`, purpose: 'feed', lastModified: first.headers['last-modified'] ?? null }))
  assert.equal(second.notModified, true)
  assert.equal(second.body.length, 0)
})

test('decompresses gzip, deflate (zlib and raw), br and stacked encodings', async (t) => {
  const f = fetcherFor(t)
  for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br', '/gzip-br']) {
    const r = expectOk(await f({ url: `${main.base}${path}`, purpose: 'feed' }))
    assert.equal(text(r), TEXT, path)
  }
})

test('corrupt or unknown encodings are decompress_error', async (t) => {
  const f = fetcherFor(t)
  expectErr(await f({ url: `${main.base}/corrupt-gzip`, purpose: 'feed' }), 'decompress_error')
  const e = expectErr(await f({ url: `${main.base}/zstd`, purpose: 'feed' }), 'decompress_error')
  assert.match(e.message, /zstd/)
})

test('follows a redirect chain with relative and absolute Locations', async (t) => {
  const f = fetcherFor(t)
  const r = expectOk(await f({ url: `${main.base}/r1`, purpose: 'feed' }))
  assert.equal(text(r), 'arrived')
  assert.equal(r.url, `${main.base}/final`)
  assert.deepEqual(r.redirects, [`${main.base}/r1`, `${main.base}/r2`, `${main.base}/r3?x=1`])
})

test('redirect loop → too_many_redirects; bad redirects are reported', async (t) => {
  const f = fetcherFor(t, { maxRedirects: 3 })
  const before = main.seen.filter((s) => s.path === '/loop').length
  const e = expectErr(await f({ url: `${main.base}/loop`, purpose: 'feed' }), 'too_many_redirects')
  assert.equal(e.retryable, false)
  assert.equal(main.seen.filter((s) => s.path === '/loop').length - before, 4, 'the first request and three redirects')
  expectErr(await f({ url: `${main.base}/to-ftp`, purpose: 'feed' }), 'unsupported_protocol')
  expectErr(await f({ url: `${main.base}/no-location`, purpose: 'feed' }), 'invalid_redirect')
})

test('a redirect to a private address is refused', async (t) => {
  const target = await serve((req, res, self) => {
    if (req.url === '/start') return res.writeHead(302, { Location: `http://127.0.0.1:${self.port}/secret` }).end()
    res.end('secret stuff')
  })
  t.after(() => target.close())
  const f = fetcherFor(t, { allowHosts: ['public.example'] }, {
    lookup: async (name) => {
      if (name === 'public.example') return [{ address: '127.0.0.1', family: 4 }]
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
    },
  })
  const e = expectErr(await f({ url: `http://public.example:${target.port}/start`, purpose: 'feed' }), 'blocked_private_address')
  assert.equal(e.retryable, false)
  assert.match(e.message, /127\.0\.0\.1/)
  assert.deepEqual(target.seen.map((s) => s.path), ['/start'], '/secret was never requested')
})

test('loopback is refused unless allowed', async (t) => {
  const before = main.seen.length
  const refused = fetcherFor(t, { allowHosts: [] })
  const e = expectErr(await refused({ url: `${main.base}/feed`, purpose: 'feed' }), 'blocked_private_address')
  assert.match(e.message, /127\.0\.0\.1/)
  expectErr(await refused({ url: `http://[::1]:${main.port}/feed`, purpose: 'feed' }), 'blocked_private_address')
  expectErr(await refused({ url: `http://0x7f.1:${main.port}/feed`, purpose: 'feed' }), 'blocked_private_address')
  expectErr(await refused({ url: `http://[::ffff:127.0.0.1]:${main.port}/feed`, purpose: 'feed' }), 'blocked_private_address')
  assert.equal(main.seen.length, before, 'no request reached the server')

  const otherPort = fetcherFor(t, { allowHosts: ['127.0.0.1:1'] })
  expectErr(await otherPort({ url: `${main.base}/feed`, purpose: 'feed' }), 'blocked_private_address')
  const byPort = fetcherFor(t, { allowHosts: [`127.0.0.1:${main.port}`] })
  expectOk(await byPort({ url: `${main.base}/feed`, purpose: 'feed' }))
  const allowPrivate = fetcherFor(t, { allowHosts: [], allowPrivate: true })
  expectOk(await allowPrivate({ url: `${main.base}/feed`, purpose: 'feed' }))
})

test('localhost through the real resolver, when allow-listed', async (t) => {
  const f = fetcherFor(t, { allowHosts: ['localhost'] })
  const r = expectOk(await f({ url: `http://localhost:${main.port}/feed`, purpose: 'feed' }))
  assert.equal(text(r), TEXT)
  const refused = fetcherFor(t, { allowHosts: [] })
  expectErr(await refused({ url: `http://localhost:${main.port}/feed`, purpose: 'feed' }), 'blocked_private_address')
})

test('a name resolving to 10.0.0.1 is refused without connecting', async (t) => {
  const lookups: string[] = []
  const f = fetcherFor(t, { allowHosts: [] }, {
    lookup: async (name) => {
      lookups.push(name)
      return [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ]
    },
  })
  const e = expectErr(await f({ url: 'http://intranet.example/feed.xml', purpose: 'feed' }), 'blocked_private_address')
  assert.deepEqual(lookups, ['intranet.example'])
  assert.match(e.message, /intranet\.example/)
  assert.match(e.message, /10\.0\.0\.1/)
})

test('DNS failure → dns_error; refused connection → connection_error', async (t) => {
  const f = fetcherFor(t, { allowPrivate: true }, {
    lookup: async (name) => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' })
    },
  })
  const dnsErr = expectErr(await f({ url: 'http://nowhere.example/', purpose: 'feed' }), 'dns_error')
  assert.equal(dnsErr.retryable, true)
  assert.match(dnsErr.message, /nowhere\.example/)

  const closed = await serve(() => {})
  const port = closed.port
  await closed.close()
  const conn = expectErr(await f({ url: `http://127.0.0.1:${port}/`, purpose: 'feed' }), 'connection_error')
  assert.equal(conn.retryable, true)
})

test('TLS failure → tls_error (https to a plain-HTTP port)', async (t) => {
  const f = fetcherFor(t)
  const e = expectErr(await f({ url: `https://127.0.0.1:${main.port}/feed`, purpose: 'feed' }), 'tls_error')
  assert.match(e.message, /TLS failure talking to 127\.0\.0\.1/)
})

test('bad URLs', async (t) => {
  const f = fetcherFor(t)
  expectErr(await f({ url: 'not a url', purpose: 'feed' }), 'invalid_url')
  expectErr(await f({ url: 'file:///etc/passwd', purpose: 'feed' }), 'unsupported_protocol')
  expectErr(await f({ url: 'ftp://example.org/feed', purpose: 'feed' }), 'unsupported_protocol')
})

test('oversized bodies → body_too_large (declared, undeclared, gzip bomb)', async (t) => {
  const f = fetcherFor(t, { maxBodyBytes: 100_000 })
  for (const path of ['/big-declared', '/big-chunked', '/bomb']) {
    const e = expectErr(await f({ url: `${main.base}${path}`, purpose: 'feed' }), 'body_too_large')
    assert.match(e.message, /100000 bytes/, path)
  }
  // The limit is on what we keep, so a body right at the limit passes.
  const exact = fetcherFor(t, { maxBodyBytes: Buffer.byteLength(TEXT) })
  assert.equal(text(expectOk(await exact({ url: `${main.base}/gzip`, purpose: 'feed' }))), TEXT)
})

test('a server that drips bytes or never answers → timeout', async (t) => {
  const f = fetcherFor(t, { timeoutMs: 300 })
  for (const path of ['/drip', '/silent']) {
    const e = expectErr(await f({ url: `${main.base}${path}`, purpose: 'feed' }), 'timeout')
    assert.equal(e.retryable, true)
  }
})

test('HTTP error statuses map to stable codes', async (t) => {
  const f = fetcherFor(t)
  const cases: [status: number, code: string, retryable: boolean][] = [
    [404, 'http_not_found', false],
    [410, 'http_gone', false],
    [401, 'http_forbidden', false],
    [400, 'http_client_error', false],
    [500, 'http_server_error', true],
    [502, 'http_server_error', true],
    // Last: a refused feed is throttling, retried later, and holds the host (see below).
    [403, 'http_forbidden', true],
  ]
  for (const [status, code, retryable] of cases) {
    const url = `${main.base}/status/${status}`
    const e = expectErr(await f({ url, purpose: 'feed' }), code)
    assert.equal(e.status, status)
    assert.equal(e.retryable, retryable)
    assert.equal(e.message, `HTTP ${status} ${http.STATUS_CODES[status]} for ${url}`)
  }
})

test('429 with Retry-After → http_throttled; later requests to the host wait, long holds fail fast', async (t) => {
  let clock = 1_000_000
  const slept: number[] = []
  let answer: { status: number; retryAfter?: string } = { status: 429, retryAfter: '2' }
  const server = await serve((_req, res) => {
    const headers: Record<string, string> = answer.retryAfter ? { 'Retry-After': answer.retryAfter } : {}
    res.writeHead(answer.status, headers).end('busy')
  })
  t.after(() => server.close())
  const f = fetcherFor(t, {}, {
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms)
      clock += ms
    },
  })
  const url = `${server.base}/feed`
  const e = expectErr(await f({ url, purpose: 'feed' }), 'http_throttled')
  assert.equal(e.status, 429)
  assert.equal(e.retryable, true)
  assert.equal(e.retryAfterSeconds, 2)

  answer = { status: 200 }
  expectOk(await f({ url, purpose: 'feed' }))
  assert.deepEqual(slept, [2000], 'the second request waited out the Retry-After')
  assert.equal(server.seen.length, 2)

  answer = { status: 503, retryAfter: new Date(clock + 3_600_000).toUTCString() }
  const e503 = expectErr(await f({ url, purpose: 'feed' }), 'http_throttled')
  assert.equal(e503.status, 503)
  assert.equal(e503.retryAfterSeconds, 3600)
  answer = { status: 200 }
  const held = expectErr(await f({ url, purpose: 'feed' }), 'http_throttled')
  assert.equal(held.status, undefined, 'not from a response')
  assert.equal(held.retryAfterSeconds, 3600)
  assert.equal(server.seen.length, 3, 'the host was not contacted during a long hold')
})

test('403 on a feed holds the host, longer each time in a row; a success resets the count', async (t) => {
  let clock = 1_000_000
  let status = 403
  const server = await serve((_req, res) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status === 200 ? TEXT : 'no'))
  t.after(() => server.close())
  const f = fetcherFor(t, {}, { now: () => clock, sleep: async (ms) => void (clock += ms) })
  const url = `${server.base}/feed`
  const first = expectErr(await f({ url, purpose: 'feed' }), 'http_forbidden')
  assert.equal(first.retryable, true)
  assert.equal(first.retryAfterSeconds, 60)
  const held = expectErr(await f({ url, purpose: 'feed' }), 'http_throttled')
  assert.match(held.message, /not contacting it before/)
  assert.equal(server.seen.length, 1, 'not contacted while held')

  clock += 61_000
  assert.equal(expectErr(await f({ url, purpose: 'feed' }), 'http_forbidden').retryAfterSeconds, 120, 'second 403 in a row: twice as long')
  clock += 121_000
  assert.equal(expectErr(await f({ url, purpose: 'feed' }), 'http_forbidden').retryAfterSeconds, 240)
  clock += 241_000
  status = 200
  expectOk(await f({ url, purpose: 'feed' }))
  status = 403
  assert.equal(expectErr(await f({ url, purpose: 'feed' }), 'http_forbidden').retryAfterSeconds, 60, 'counted afresh after a success')

  // An article page refused (say, a paywall) is not throttling: no hold on the next host.
  const pages = await serve((_req, res) => res.writeHead(403).end('subscribers only'))
  t.after(() => pages.close())
  const g = fetcherFor(t, { allowHosts: ['127.0.0.1', 'localhost'] }, { now: () => clock, sleep: async (ms) => void (clock += ms) })
  const pageUrl = `http://localhost:${pages.port}/article`
  const p = expectErr(await g({ url: pageUrl, purpose: 'page' }), 'http_forbidden')
  assert.equal(p.retryable, false)
  expectErr(await g({ url: pageUrl, purpose: 'page' }), 'http_forbidden')
  assert.equal(pages.seen.length, 2)
})

test('429 without Retry-After holds the host for a while of our choosing', async (t) => {
  let clock = 5_000_000
  const server = await serve((_req, res) => res.writeHead(429).end())
  t.after(() => server.close())
  const f = fetcherFor(t, {}, { now: () => clock, sleep: async (ms) => void (clock += ms) })
  const e = expectErr(await f({ url: `${server.base}/feed`, purpose: 'feed' }), 'http_throttled')
  assert.equal(e.retryAfterSeconds, 60)
  expectErr(await f({ url: `${server.base}/other`, purpose: 'page' }), 'http_throttled')
  assert.equal(server.seen.length, 1)
})

test('a bot check served instead of the feed → bot_challenge, with the host held', async (t) => {
  let clock = 9_000_000
  const challenge = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>'
  const server = await serve((req, res) => {
    if (req.url === '/cf-header') return res.writeHead(200, { 'content-type': 'text/html', 'cf-mitigated': 'challenge' }).end('<html></html>')
    if (req.url === '/gzip-challenge') return res.writeHead(403, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(zlib.gzipSync(challenge))
    if (req.url === '/endless-challenge') {
      // An error page that never ends: only its start is read.
      res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '30' })
      res.write(challenge)
      const timer = setInterval(() => res.write('<p>'.repeat(10_000)), 5)
      res.on('close', () => clearInterval(timer))
      return
    }
    res.writeHead(503, { 'content-type': 'text/html' }).end(challenge)
  })
  t.after(() => server.close())
  const deps = { now: () => clock, sleep: async (ms: number) => void (clock += ms) }

  const e = expectErr(await fetcherFor(t, {}, deps)({ url: `${server.base}/feed`, purpose: 'feed' }), 'bot_challenge')
  assert.equal(e.status, 503)
  assert.equal(e.retryable, true)
  assert.equal(e.retryAfterSeconds, 60)
  assert.match(e.message, /bot protection answered with a challenge \(HTTP 503, "Just a moment\.\.\." page\)/)

  const h = expectErr(await fetcherFor(t, {}, deps)({ url: `${server.base}/cf-header`, purpose: 'feed' }), 'bot_challenge')
  assert.equal(h.status, 200)
  assert.match(h.message, /^Cloudflare bot protection/)

  expectErr(await fetcherFor(t, {}, deps)({ url: `${server.base}/gzip-challenge`, purpose: 'feed' }), 'bot_challenge')

  const endless = expectErr(await fetcherFor(t, { timeoutMs: 2000 }, deps)({ url: `${server.base}/endless-challenge`, purpose: 'feed' }), 'bot_challenge')
  assert.equal(endless.retryAfterSeconds, 30, 'Retry-After wins over our own hold')
})

test('per-host pacing spaces request starts (injected clock)', async (t) => {
  let clock = 0
  const slept: number[] = []
  const f = fetcherFor(t, { perHostIntervalMs: 1000 }, {
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms)
      clock += ms
    },
    random: () => 0.5,
  })
  for (let i = 0; i < 3; i++) expectOk(await f({ url: `${main.base}/feed`, purpose: 'feed' }))
  assert.deepEqual(slept, [1125, 1125])
})

test('per-host token bucket: a burst starts at once, then one per interval (injected clock)', async (t) => {
  let clock = 0
  const starts: number[] = []
  const f = fetcherFor(t, { perHostIntervalMs: 3000, perHostBurst: 3 }, {
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    random: () => 0,
  })
  for (let i = 0; i < 5; i++) {
    expectOk(await f({ url: `${main.base}/feed`, purpose: 'feed' }))
    starts.push(clock)
  }
  assert.deepEqual(starts, [0, 0, 0, 3000, 6000])
})

test('per-host concurrency limits requests in flight', async (t) => {
  let active = 0
  let maxActive = 0
  const server = await serve((_req, res) => {
    maxActive = Math.max(maxActive, ++active)
    setTimeout(() => {
      active--
      res.end('ok')
    }, 20)
  })
  t.after(() => server.close())
  const f = fetcherFor(t, { perHostConcurrency: 2 })
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => f({ url: `${server.base}/${i}`, purpose: 'page' })))
  for (const r of results) expectOk(r)
  assert.equal(maxActive, 2)
})

test('robots.txt: disallowed pages refused, feeds not checked, file fetched once per origin', async (t) => {
  const server = await serve((req, res) => {
    if (req.url === '/robots.txt') {
      return res.writeHead(200, { 'Content-Type': 'text/plain' }).end('User-agent: *\nDisallow: /\n\nUser-agent: tidings\nDisallow: /private/\n')
    }
    if (req.url === '/jump') return res.writeHead(302, { Location: '/private/x' }).end()
    res.end('page')
  })
  t.after(() => server.close())
  const f = fetcherFor(t, { respectRobots: true })
  const e = expectErr(await f({ url: `${server.base}/private/a`, purpose: 'page' }), 'robots_disallowed')
  assert.equal(e.retryable, false)
  assert.match(e.message, /\/private\/a/)
  expectOk(await f({ url: `${server.base}/public`, purpose: 'page' }))
  expectErr(await f({ url: `${server.base}/jump`, purpose: 'page' }), 'robots_disallowed')
  expectOk(await f({ url: `${server.base}/private/feed.xml`, purpose: 'feed' }))
  assert.equal(server.seen.filter((s) => s.path === '/robots.txt').length, 1)
  assert.equal(server.seen.find((s) => s.path === '/robots.txt')!.headers['user-agent'], UA)
  assert.ok(!server.seen.some((s) => s.path === '/private/a' || s.path === '/private/x'))

  const ignoring = fetcherFor(t, { respectRobots: false })
  expectOk(await ignoring({ url: `${server.base}/private/a`, purpose: 'page' }))
})

test('robots.txt: 404 allows everything, 5xx allows and is asked again after 5 minutes', async (t) => {
  let robotsStatus = 404
  const server = await serve((req, res) => {
    if (req.url === '/robots.txt') return res.writeHead(robotsStatus).end()
    res.end('page')
  })
  t.after(() => server.close())
  let clock = 0
  const f = fetcherFor(t, { respectRobots: true }, { now: () => clock })
  const robotsFetches = () => server.seen.filter((s) => s.path === '/robots.txt').length
  expectOk(await f({ url: `${server.base}/a`, purpose: 'page' }))
  clock += 30 * 60_000
  expectOk(await f({ url: `${server.base}/b`, purpose: 'page' }))
  assert.equal(robotsFetches(), 1, '404 cached for an hour')
  clock += 31 * 60_000
  robotsStatus = 500
  expectOk(await f({ url: `${server.base}/c`, purpose: 'page' }))
  assert.equal(robotsFetches(), 2)
  clock += 4 * 60_000
  expectOk(await f({ url: `${server.base}/d`, purpose: 'page' }))
  assert.equal(robotsFetches(), 2)
  clock += 2 * 60_000
  expectOk(await f({ url: `${server.base}/e`, purpose: 'page' }))
  assert.equal(robotsFetches(), 3)
})
