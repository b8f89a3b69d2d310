/**
 * The one pipeline stage that does I/O: GET a URL over node:http(s) with an SSRF guard, redirects,
 * conditional requests, decompression, size and time limits, per-host politeness and robots.txt.
 * Every network or HTTP failure comes back as a StageError value; nothing here throws for them.
 */
import http from 'node:http'
import https from 'node:https'
import { promises as dns } from 'node:dns'
import { isIP } from 'node:net'
import type { LookupFunction } from 'node:net'
import { Writable, pipeline } from 'node:stream'
import type { FetchPurpose, FetchRequest, FetchResponse } from '../../domain/types.js'
import { err, ok, stageError } from '../../domain/result.js'
import type { Result, StageError } from '../../domain/result.js'
import { isAllowedHost, isPrivateAddress } from './address-guard.js'
import { backoffMs, parseRetryAfter } from './backoff.js'
import { describeBotCheck, detectBotCheck } from './bot-check.js'
import { createDecoders } from './decompress.js'
import { createHostLimiter } from './host-limiter.js'
import { isAllowedByRobots, parseRobots } from './robots.js'
import type { Robots } from './robots.js'

export interface FetchConfig {
  /** Per hop (each redirect gets its own), from DNS to the last body byte; a slow-drip server hits it. */
  timeoutMs: number
  /** On decompressed bytes, and early on Content-Length. */
  maxBodyBytes: number
  maxRedirects: number
  userAgent: string
  /** FETCH_ALLOW_PRIVATE: permit loopback/private targets. */
  allowPrivate: boolean
  /** Hosts (or host:port) permitted even when they resolve privately. */
  allowHosts: readonly string[]
  perHostConcurrency: number
  /** Per-host token bucket refill: the long-run gap between request starts to one host (waits get up to +25% jitter). */
  perHostIntervalMs: number
  /** Requests an idle host may get back to back before the gap applies (token bucket size; default 1). */
  perHostBurst?: number
  /** Host names exempt from that gap (the built-in loopback demo publisher). */
  unpacedHosts?: readonly string[]
  /** robots.txt checked for purpose 'page'. */
  respectRobots: boolean
}

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

export interface FetcherDeps {
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /**
   * Pacing shared by every process on the database (workers on several machines): reserves the
   * host's next start and says how many ms to wait for it. The local limiter still applies.
   */
  sharedPace?: (host: string) => Promise<number>
}

export type Fetcher = (req: FetchRequest) => Promise<Result<FetchResponse>>

const ACCEPT: Record<FetchPurpose, string> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8',
  page: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8',
  robots: 'text/plain, */*;q=0.8',
  opml: 'text/x-opml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8',
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
/** robots.txt groups are matched on this product token whatever the configured User-Agent says. */
const ROBOTS_TOKEN = 'tidings'
const ROBOTS_TTL_MS = 60 * 60_000
const ROBOTS_RETRY_TTL_MS = 5 * 60_000
/**
 * Retry-After longer than this is not waited out: requests to the host fail fast until it passes,
 * and the orchestrator moves the source's next check past it. Short holds are waited so that one
 * refresh's article pages still arrive; long ones must not tie up a scheduler lane.
 */
const MAX_HOLD_MS = 30_000

/** Statuses whose body is read (its first SNIFF_BYTES) to tell a bot check from a plain refusal. */
const SNIFF_STATUSES = new Set([401, 403, 429, 503])
const SNIFF_BYTES = 64 * 1024
/** A host that refuses a feed (403), throttles without saying how long (429) or serves a bot check is held this long, doubling per repeat. */
const THROTTLE_HOLD_BASE_MS = 60_000
const THROTTLE_HOLD_MAX_MS = 60 * 60_000

/** Status line and headers of one exchange; the body is read for 2xx, and its start for SNIFF_STATUSES. */
interface Exchange {
  status: number
  statusText: string
  headers: Record<string, string>
  body: Uint8Array
}

const fail = (code: string, message: string, extra: Partial<StageError> = {}): StageError =>
  stageError('fetch', code, message, extra)

async function defaultLookup(hostname: string): Promise<ResolvedAddress[]> {
  const found = await dns.lookup(hostname, { all: true, verbatim: true })
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
}

/** Parses and checks the scheme; `base` is set when resolving a redirect's Location. */
function parseTarget(raw: string, base?: URL): Result<URL> {
  let url: URL
  try {
    url = new URL(raw, base)
  } catch {
    const where = base ? ` (redirect from ${base.href})` : ''
    return err(fail('invalid_url', `not a valid URL: ${JSON.stringify(raw)}${where}`))
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const where = base ? ` (redirect from ${base.href})` : ''
    return err(fail('unsupported_protocol', `only http and https URLs can be fetched, not ${url.protocol}${where}`))
  }
  url.hash = ''
  return ok(url)
}

const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1')
const effectivePort = (url: URL): string => url.port || (url.protocol === 'https:' ? '443' : '80')

/**
 * Hands net.connect the addresses we already checked, so the socket goes exactly where the guard
 * looked (a second DNS answer cannot rebind it to an internal address).
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const fam = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family
    const usable = fam === 4 || fam === 6 ? addresses.filter((a) => a.family === fam) : addresses
    const first = usable[0]
    if (!first) {
      const e: NodeJS.ErrnoException = Object.assign(new Error(`no IPv${fam} address`), { code: 'ENOTFOUND' })
      return callback(e, '')
    }
    if (options.all) callback(null, usable.map((a) => ({ address: a.address, family: a.family })))
    else callback(null, first.address, first.family)
  }
}

/** Lower-cased names, repeated headers joined with ', ' (rawHeaders keeps what res.headers drops). */
function collectHeaders(raw: string[]): Record<string, string> {
  const out = new Map<string, string>()
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    const prev = out.get(name)
    out.set(name, prev === undefined ? raw[i + 1]! : `${prev}, ${raw[i + 1]!}`)
  }
  return Object.fromEntries(out)
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/

function networkError(e: unknown, url: URL): StageError {
  const error = e as NodeJS.ErrnoException
  const code = error.code ?? ''
  const detail = code ? `${error.message} (${code})` : error.message
  if (TLS_CODE.test(code) || /\bSSL\b|\bTLS\b|certificate/i.test(error.message)) {
    return fail('tls_error', `TLS failure talking to ${url.host}: ${detail}, for ${url.href}`, { cause: e })
  }
  if (code.startsWith('HPE_')) {
    return fail('http_protocol_error', `malformed HTTP response from ${url.host}: ${detail}, for ${url.href}`, { cause: e })
  }
  const what = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ECONNRESET' ? 'connection reset' : 'connection failed'
  return fail('connection_error', `${what} by ${url.host}: ${detail}, for ${url.href}`, { retryable: true, cause: e })
}

function httpError(ex: Exchange, url: URL, nowMs: number, purpose: FetchPurpose): StageError {
  const { status } = ex
  const message = `HTTP ${status} ${ex.statusText} for ${url.href}`.replace(/ {2,}/g, ' ')
  const extra = { status }
  const check = SNIFF_STATUSES.has(status) ? detectBotCheck(ex) : null
  if (check) {
    const after = parseRetryAfter(ex.headers['retry-after'], nowMs)
    return fail('bot_challenge', describeBotCheck(check, { url: url.href, status }), { ...extra, retryable: true, ...(after === null ? {} : { retryAfterSeconds: after }) })
  }
  if (status === 404) return fail('http_not_found', message, extra)
  if (status === 410) return fail('http_gone', message, extra)
  // A feed refused outright is most often a rate limit or a bot rule, not a permanent "no": it is
  // retried like throttling (with a host hold and a longer back-off), not given up.
  if (status === 403) return fail('http_forbidden', message, { ...extra, retryable: purpose === 'feed' })
  if (status === 401) return fail('http_forbidden', message, extra)
  if (status === 429 || status === 503) {
    const after = parseRetryAfter(ex.headers['retry-after'], nowMs)
    return after === null
      ? fail('http_throttled', message, { ...extra, retryable: true })
      : fail('http_throttled', `${message} (retry after ${after} s)`, { ...extra, retryable: true, retryAfterSeconds: after })
  }
  if (status >= 400 && status < 500) return fail('http_client_error', message, extra)
  if (status >= 500 && status < 600) return fail('http_server_error', message, { ...extra, retryable: true })
  return fail('http_unexpected_status', message, extra)
}

export function createFetcher(config: FetchConfig, deps: FetcherDeps = {}): Fetcher & { close(): void } {
  const lookup = deps.lookup ?? defaultLookup
  const now = deps.now ?? Date.now
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const random = deps.random ?? Math.random
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) }
  const limiter = createHostLimiter({
    concurrency: config.perHostConcurrency,
    intervalMs: config.perHostIntervalMs,
    burst: config.perHostBurst ?? 1,
    unpacedHosts: config.unpacedHosts ?? [],
    maxHoldMs: MAX_HOLD_MS,
    now,
    sleep,
    random,
  })
  /** Per origin; `expiresAt` is Infinity while the fetch is in flight so concurrent pages share it. */
  const robotsCache = new Map<string, { robots: Promise<Robots | null>; expiresAt: number }>()

  /** DNS (unless the host is an IP literal), then the SSRF check on every address returned. */
  async function resolveTarget(url: URL): Promise<Result<ResolvedAddress[]>> {
    const host = bareHost(url)
    const literal = isIP(host)
    let addresses: ResolvedAddress[]
    if (literal === 4 || literal === 6) addresses = [{ address: host, family: literal }]
    else {
      try {
        addresses = await lookup(host)
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        return err(fail('dns_error', `could not resolve ${host}${code ? ` (${code})` : ''} for ${url.href}`, { retryable: true, cause: e }))
      }
      if (addresses.length === 0) return err(fail('dns_error', `no address found for ${host} for ${url.href}`, { retryable: true }))
    }
    if (config.allowPrivate || isAllowedHost(host, effectivePort(url), config.allowHosts)) return ok(addresses)
    const bad = addresses.find((a) => isPrivateAddress(a.address))
    if (!bad) return ok(addresses)
    const what = literal ? `${host} is` : `${host} resolves to ${bad.address}, which is`
    return err(
      fail(
        'blocked_private_address',
        `refused to fetch ${url.href}: ${what} a private or reserved address (allow it with FETCH_ALLOW_PRIVATE or the host allow list)`,
      ),
    )
  }

  function requestHeaders(req: FetchRequest): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': config.userAgent,
      accept: ACCEPT[req.purpose],
      'accept-encoding': 'gzip, deflate, br',
    }
    if (req.etag) headers['if-none-match'] = req.etag
    if (req.lastModified) headers['if-modified-since'] = req.lastModified
    return headers
  }

  /** One HTTP exchange to pinned addresses; the body is read (and size-checked) only for 2xx. */
  function send(url: URL, req: FetchRequest, addresses: ResolvedAddress[], signal: AbortSignal): Promise<Result<Exchange>> {
    return new Promise((resolve) => {
      let settled = false
      // The first failure cause wins: a timeout or size overrun also surfaces as a socket error later.
      let failure: StageError | null = null
      const finish = (r: Result<Exchange>): void => {
        if (settled) return
        settled = true
        signal.removeEventListener('abort', onAbort)
        resolve(r)
      }
      const timedOut = (): StageError =>
        fail('timeout', `no complete response within ${config.timeoutMs} ms for ${url.href}`, { retryable: true })
      // The timer may have fired in the same tick DNS finished; an aborted signal fires no more events.
      if (signal.aborted) return finish(err(timedOut()))
      const secure = url.protocol === 'https:'
      let hreq: http.ClientRequest
      try {
        hreq = (secure ? https : http).request({
          protocol: url.protocol,
          hostname: bareHost(url),
          port: effectivePort(url),
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: requestHeaders(req),
          agent: secure ? agents.https : agents.http,
          lookup: pinnedLookup(addresses),
        })
      } catch (e) {
        // Only bad header values (say, a stored ETag with control characters) get here.
        return finish(err(fail('invalid_request', `could not build the request for ${url.href}: ${(e as Error).message}`, { cause: e })))
      }
      function onAbort(): void {
        failure ??= timedOut()
        hreq.destroy(new Error('fetch timeout'))
      }
      signal.addEventListener('abort', onAbort)
      hreq.on('error', (e) => finish(err(failure ?? networkError(e, url))))
      hreq.on('response', (res) => {
        const status = res.statusCode ?? 0
        const head = { status, statusText: http.STATUS_CODES[status] ?? res.statusMessage ?? '', headers: collectHeaders(res.rawHeaders) }
        // The start of a refusal or throttling page is read: it may be a bot check (bot-check.ts).
        const sniff = SNIFF_STATUSES.has(status) && head.headers['content-length'] !== '0'
        if ((status < 200 || status >= 300) && !sniff) {
          // Redirect and error bodies are not wanted. Drain an empty one to keep the connection alive;
          // anything else could be endless, so drop the connection.
          if (status === 304 || head.headers['content-length'] === '0') res.resume()
          else res.destroy()
          return finish(ok({ ...head, body: new Uint8Array(0) }))
        }
        const limit = sniff ? SNIFF_BYTES : config.maxBodyBytes
        const declared = Number(head.headers['content-length'])
        if (!sniff && declared > limit) {
          res.destroy()
          return finish(err(tooLarge(url, declared)))
        }
        const decoders = createDecoders(head.headers['content-encoding'])
        if (!decoders.ok) {
          res.destroy()
          return finish(sniff ? ok({ ...head, body: new Uint8Array(0) }) : err(fail('decompress_error', `${decoders.error} for ${url.href}`)))
        }
        for (const d of decoders.value) {
          d.on('error', (e) => {
            if (!sniff) failure ??= fail('decompress_error', `corrupt ${head.headers['content-encoding']} body from ${url.href}: ${e.message}`, { cause: e })
          })
        }
        const chunks: Buffer[] = []
        let size = 0
        const collected = (): Uint8Array => {
          const body = new Uint8Array(Math.min(size, limit))
          let offset = 0
          for (const c of chunks) {
            body.set(c.subarray(0, body.length - offset), offset)
            offset += Math.min(c.length, body.length - offset)
          }
          return body
        }
        const sink = new Writable({
          write(chunk: Buffer, _enc, cb) {
            size += chunk.length
            chunks.push(chunk)
            if (size <= limit) return cb()
            if (sniff) {
              // Enough to recognise it; the rest of an error page is not wanted.
              finish(ok({ ...head, body: collected() }))
              res.destroy()
              return cb()
            }
            chunks.pop()
            failure ??= tooLarge(url)
            cb(new Error('body too large'))
          },
        })
        pipeline([res, ...decoders.value, sink], (e) => {
          // A broken error page still carries its status; what arrived is enough.
          if (e && !sniff) return finish(err(failure ?? networkError(e, url)))
          finish(ok({ ...head, body: collected() }))
        })
      })
      hreq.end()
    })
  }

  function tooLarge(url: URL, declared?: number): StageError {
    const how = declared === undefined ? '' : ` (Content-Length: ${declared})`
    return fail('body_too_large', `response body over the limit of ${config.maxBodyBytes} bytes${how} for ${url.href}`)
  }

  /** Consecutive throttling answers (403 to a feed, 429 without Retry-After, bot checks) per host. */
  const strikes = new Map<string, number>()

  /** Holds a host that throttled or refused us, longer each time in a row; the hold in seconds. */
  function throttleHost(host: string): number {
    const n = (strikes.get(host) ?? 0) + 1
    if (strikes.size >= 1000 && !strikes.has(host)) strikes.clear()
    strikes.set(host, n)
    const holdMs = backoffMs({ errorCount: n, baseMs: THROTTLE_HOLD_BASE_MS, maxMs: THROTTLE_HOLD_MAX_MS, random: () => 1 })
    limiter.hold(host, now() + holdMs)
    return Math.ceil(holdMs / 1000)
  }

  function heldError(url: URL, until: number): StageError {
    return fail('http_throttled', `${url.host} asked us to wait or refused us; not contacting it before ${new Date(until).toISOString()}, for ${url.href}`, {
      retryable: true,
      retryAfterSeconds: Math.ceil((until - now()) / 1000),
    })
  }

  /** One hop: wait for the host's turn, then resolve, guard and send, all within timeoutMs. */
  async function exchange(url: URL, req: FetchRequest): Promise<Result<Exchange>> {
    const host = bareHost(url)
    const held = limiter.heldUntil(host)
    if (held - now() > MAX_HOLD_MS) return err(heldError(url, held))
    return limiter.run(host, async () => {
      // The limiter waits out short holds; a long one set while we queued means fail fast.
      const stillHeld = limiter.heldUntil(host)
      if (stillHeld - now() > MAX_HOLD_MS) return err(heldError(url, stillHeld))
      if (deps.sharedPace && !(config.unpacedHosts ?? []).includes(host)) {
        const wait = await deps.sharedPace(host).catch(() => 0)
        // Past the hold limit the host is busy with other workers: fail fast, retried later like throttling.
        if (wait > MAX_HOLD_MS) return err(heldError(url, now() + wait))
        if (wait > 0) await sleep(wait)
      }
      const ac = new AbortController()
      const timer = setTimeout(() => ac.abort(), config.timeoutMs)
      try {
        const aborted = new Promise<'timeout'>((resolve) => ac.signal.addEventListener('abort', () => resolve('timeout')))
        const resolved = await Promise.race([resolveTarget(url), aborted])
        if (resolved === 'timeout') {
          return err(fail('timeout', `DNS lookup of ${host} took longer than ${config.timeoutMs} ms, for ${url.href}`, { retryable: true }))
        }
        if (!resolved.ok) return resolved
        const result = await send(url, req, resolved.value, ac.signal)
        if (result.ok && (result.value.status === 429 || result.value.status === 503)) {
          const after = parseRetryAfter(result.value.headers['retry-after'], now())
          if (after) limiter.hold(host, now() + after * 1000)
        }
        return result
      } finally {
        clearTimeout(timer)
      }
    })
  }

  async function robotsFor(origin: string): Promise<Robots | null> {
    const hit = robotsCache.get(origin)
    if (hit && hit.expiresAt > now()) return hit.robots
    if (robotsCache.size >= 1000) for (const [o, e] of robotsCache) if (e.expiresAt <= now()) robotsCache.delete(o)
    const loading = (async () => {
      const res = await follow({ url: `${origin}/robots.txt`, purpose: 'robots' }, new URL('/robots.txt', origin))
      if (res.ok) return { robots: parseRobots(new TextDecoder().decode(res.value.body)), ttl: ROBOTS_TTL_MS }
      // RFC 9309 allows everything when robots.txt is "unavailable" (4xx). We also allow when it is
      // unreachable (5xx, network), where the RFC says disallow, but ask again sooner.
      const s = res.error.status
      const missing = s !== undefined && s >= 400 && s < 500 && s !== 429
      return { robots: null, ttl: missing ? ROBOTS_TTL_MS : ROBOTS_RETRY_TTL_MS }
    })().catch(() => ({ robots: null, ttl: ROBOTS_RETRY_TTL_MS }))
    const robots = loading.then((r) => r.robots)
    robotsCache.set(origin, { robots, expiresAt: Infinity })
    void loading.then((r) => robotsCache.set(origin, { robots, expiresAt: now() + r.ttl }))
    return robots
  }

  async function checkRobots(url: URL): Promise<Result<true>> {
    const robots = await robotsFor(url.origin)
    const path = `${url.pathname}${url.search}`
    if (robots === null || isAllowedByRobots(robots, { userAgent: ROBOTS_TOKEN, path })) return ok(true)
    return err(fail('robots_disallowed', `robots.txt of ${url.origin} disallows ${path} for ${ROBOTS_TOKEN}`))
  }

  async function follow(req: FetchRequest, start: URL): Promise<Result<FetchResponse>> {
    const redirects: string[] = []
    let permanent = true
    let url = start
    for (;;) {
      // Every hop is checked: a redirect can lead to a disallowed path or another origin.
      if (req.purpose === 'page' && config.respectRobots) {
        const allowed = await checkRobots(url)
        if (!allowed.ok) return allowed
      }
      const res = await exchange(url, req)
      if (!res.ok) return res
      const ex = res.value
      if (REDIRECT_STATUSES.has(ex.status)) {
        const location = ex.headers['location']
        if (!location) return err(fail('invalid_redirect', `HTTP ${ex.status} without a Location header for ${url.href}`, { status: ex.status }))
        if (redirects.length >= config.maxRedirects) {
          return err(fail('too_many_redirects', `more than ${config.maxRedirects} redirects, starting at ${redirects[0] ?? url.href}`, { status: ex.status }))
        }
        const next = parseTarget(location, url)
        if (!next.ok) return next
        redirects.push(url.href)
        if (ex.status !== 301 && ex.status !== 308) permanent = false
        url = next.value
        continue
      }
      const movedTo = redirects.length > 0 && permanent ? url.href : null
      const response = { url: url.href, status: ex.status, headers: ex.headers, redirects, movedTo }
      const host = bareHost(url)
      if (ex.status === 304) {
        strikes.delete(host)
        return ok({ ...response, body: new Uint8Array(0), notModified: true })
      }
      if (ex.status >= 200 && ex.status < 300) {
        // A challenge served with 200 says so in a header; a body that only looks like one is left to the caller.
        const check = detectBotCheck({ status: ex.status, headers: ex.headers, body: '' })
        if (!check) {
          strikes.delete(host)
          return ok({ ...response, body: ex.body, notModified: false })
        }
        const held = throttleHost(host)
        return err(fail('bot_challenge', describeBotCheck(check, { url: url.href, status: ex.status }), { status: ex.status, retryable: true, retryAfterSeconds: held }))
      }
      const error = httpError(ex, url, now(), req.purpose)
      const refused = error.code === 'bot_challenge' || (ex.status === 403 && req.purpose === 'feed') || ex.status === 429
      if (refused && error.retryAfterSeconds === undefined) error.retryAfterSeconds = throttleHost(host)
      return err(error)
    }
  }

  const fetcher: Fetcher = async (req) => {
    const start = parseTarget(req.url)
    return start.ok ? follow(req, start.value) : start
  }
  return Object.assign(fetcher, {
    close(): void {
      agents.http.destroy()
      agents.https.destroy()
    },
  })
}
