import { gunzipSync, gzipSync } from 'node:zlib'
import type { Context, MiddlewareHandler } from 'hono'
import { ROUTE_LABEL } from '../observability/http.js'
import { etagMatches, strongEtag } from './etag.js'
import { honoPageRequest, storedPageKey, type PageRequest } from './page-key.js'
import { hash48, storedPageSubject, type KeptPage, type StoredPageTier } from './stored-pages.js'

/**
 * Rendered pages for readers who are not signed in, kept for a few seconds (PAGE_CACHE_SECONDS): the
 * home page and a story that is being shared are asked for by many readers at once, and each one
 * would otherwise rank, query and render the same page again.
 *
 * A page is kept only when it is the same for every anonymous reader who asks with the same key
 * (web/page-key.ts: address with its query, the reader's languages, theme and whether they see admin
 * links): a 200 HTML answer that sets no cookie, is not `private`/`no-store`, and waits on no AI task
 * (its script would reload it until the result shows). A signed-in reader's request never reads or
 * fills it. Any request that changes something through this process (a POST, PUT, PATCH or DELETE: a
 * comment, a moderation, an admin action) empties it; what other processes and ingest change shows
 * within the TTL. Every kept page carries a strong ETag, so a browser revalidating gets 304.
 *
 * It is kept gzipped (a third of the size: three times the pages in the same memory) and sent so to a
 * reader whose Accept-Encoding takes gzip, as every browser's does; others get it inflated. A kept page
 * is sent with every header its first answer had (the security policy included), so a hit costs a key
 * and a write, and nothing else runs: the front door (web/front-door.ts) answers it from Node's request
 * before Hono is asked at all (`find`); the middleware, first in Hono's chain after the request counter,
 * answers the requests that did not come through it (in-process ones) and fills the cache after a
 * rendering.
 *
 * With `stored`, article pages missing from memory are looked for in the database (stored-pages.ts)
 * before they are rendered, and stored there after.
 */
export interface PageCacheOptions {
  ttlMs: number
  maxBytes: number
  /** The key of a request's copy, null when the request must not use the cache (web/page-key.ts). */
  key: (r: PageRequest) => string | null
  now?: () => number
  /** Behind memory: pages kept in the database (article pages; web/stored-pages.ts). */
  stored?: StoredPageTier
}

/** A kept page's answer to one request, its headers as Node's `writeHead` takes them (name, value, name, value…). */
export interface CachedAnswer {
  status: 200 | 304
  flat: string[]
  body: Uint8Array | null
}

export interface Found {
  answer: CachedAnswer
  /** The metrics' route label: `page cache` (memory) or `stored page` (the database). */
  route: 'page cache' | 'stored page'
}

interface Entry {
  gz: Uint8Array<ArrayBuffer>
  headers: Record<string, string>
  etag: string
  gzEtag: string
  /** The gzipped answer, built once. */
  gzAnswer: CachedAnswer
  /** The inflated answer, once a reader who does not take gzip asked for it (counted in `bytes` then). */
  plain?: CachedAnswer
  bytes: number
  until: number
}

export interface PageCache {
  /** The middleware (first in the chain after the request counter). */
  middleware(): MiddlewareHandler
  /**
   * The answer to a request from memory or the stored pages, or null (then Hono renders the page, and
   * the middleware does not look again for the request `incoming`). Synchronous for a page in memory.
   */
  find(r: PageRequest, incoming: object): Found | null | Promise<Found | null>
  clear(): void
  stats(): { entries: number; bytes: number; hits: number; misses: number }
}

/** Headers of the first answer that are not sent again with a kept page (set per answer, or by this cache). */
const NOT_KEPT = new Set(['set-cookie', 'content-length', 'content-encoding', 'date', 'etag', 'transfer-encoding', 'connection', 'keep-alive'])
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * A page's headers as pairs, and what they take in memory: worked out once per header set (the stored
 * pages hand out one object for each distinct set, and most pages share one).
 */
const prepared = new WeakMap<Record<string, string>, { pairs: string[]; bytes: number }>()
function pairsOf(headers: Record<string, string>): { pairs: string[]; bytes: number } {
  let p = prepared.get(headers)
  if (!p) {
    const pairs: string[] = []
    let bytes = 0
    for (const k in headers) {
      pairs.push(k, headers[k]!)
      bytes += 2 * (k.length + headers[k]!.length)
    }
    prepared.set(headers, p = { pairs, bytes })
  }
  return p
}

function answerOf(headers: Record<string, string>, more: string[], body: Uint8Array): CachedAnswer {
  return { status: 200, flat: [...pairsOf(headers).pairs, ...more, 'content-length', String(body.length)], body }
}

/** The answer's headers as Hono takes them (it sets Content-Length from the body). */
function recordOf(flat: string[]): Record<string, string> {
  const r: Record<string, string> = {}
  for (let i = 0; i < flat.length; i += 2) if (flat[i] !== 'content-length') r[flat[i]!] = flat[i + 1]!
  return r
}

/** A power of two: four sightings per page that `maxBytes` holds at 16 KB a page, 1,024 to 65,536. */
function sightingSlots(maxBytes: number): number {
  const want = Math.max(1024, Math.min(65_536, (4 * maxBytes) / 16_384))
  return 2 ** Math.ceil(Math.log2(want))
}

export function createPageCache(o: PageCacheOptions): PageCache {
  const now = o.now ?? Date.now
  const entries = new Map<string, Entry>()
  let bytes = 0
  let hits = 0
  let misses = 0
  const drop = (k: string) => {
    const e = entries.get(k)
    if (!e) return
    entries.delete(k)
    bytes -= e.bytes
  }
  const clear = () => { entries.clear(); bytes = 0 }
  /** Counts `n` more bytes, then drops the least recently used until the cache is within its memory (the newest stays). */
  const grow = (n: number) => {
    bytes += n
    while (bytes > o.maxBytes && entries.size > 1) drop(entries.keys().next().value!)
  }
  /** Nothing in memory: stored pages (if any) are still read and written. */
  const memoryOff = o.ttlMs <= 0 || o.maxBytes <= 0
  const stored = o.stored
  /** Requests that came through `find` and found nothing: the drop counter read then (the middleware does not look again). */
  const missed = new WeakMap<object, number>()
  /** A page as it is kept and answered, valid until `until` (its TTL, or sooner when the stored page it came from goes stale). */
  const entryOf = (key: string, gz: Uint8Array<ArrayBuffer>, headers: Record<string, string>, etag: string, until: number): Entry => {
    const gzEtag = `${etag.slice(0, -1)}-gz"`
    const size = gz.length + key.length + 2 * pairsOf(headers).bytes
    return { gz, headers, etag, gzEtag, gzAnswer: answerOf(headers, ['etag', gzEtag, 'content-encoding', 'gzip'], gz), bytes: size, until }
  }
  /** Keeps it in memory, unless memory is off or it would take more than an eighth of it. */
  const keep = (key: string, e: Entry): Entry => {
    if (memoryOff || e.bytes > o.maxBytes / 8) return e
    entries.set(key, e)
    grow(e.bytes)
    return e
  }
  /** A kept page's answer: 304 when the reader has it, gzipped when they take it, else inflated (kept so once asked for). */
  const answer = (r: PageRequest, key: string, e: Entry): CachedAnswer => {
    const gzip = acceptsGzip(r.header('accept-encoding'))
    const etag = gzip ? e.gzEtag : e.etag
    if (etagMatches(r.header('if-none-match'), etag)) {
      return { status: 304, flat: ['etag', etag, 'vary', e.headers['vary']!], body: null }
    }
    if (gzip) return e.gzAnswer
    if (e.plain === undefined) {
      e.plain = answerOf(e.headers, ['etag', etag], gunzipSync(e.gz))
      const more = e.plain.body!.length
      e.bytes += more
      if (entries.get(key) === e) grow(more)
    }
    return e.plain
  }
  /** The page in memory, fresh, moved to the most recently used end; else null (a stale one is dropped). */
  const inMemory = (key: string): Entry | null => {
    const hit = entries.get(key)
    if (!hit) return null
    entries.delete(key)
    if (hit.until > now()) {
      hits++
      entries.set(key, hit)
      return hit
    }
    bytes -= hit.bytes
    return null
  }
  /**
   * Stored pages asked for once lately: memory keeps one only when it is asked for again while its first
   * sighting is remembered (readers spread over many articles would otherwise push the popular ones out,
   * and keep the collector busy copying pages that are never asked for again). Sightings are a table of
   * key hashes, a newer one taking an older one's slot: nothing is kept per request, and a page must come
   * back within about as many other pages' sightings as there are slots (four per page memory holds, at
   * 16 KB a page), which a popular page does and one of a uniform spread over many does not.
   */
  const seen = new Uint32Array(sightingSlots(o.maxBytes))
  const seenMask = seen.length - 1
  /** True when the key was seen lately (and forgets it); else remembers it. */
  const seenBefore = (key: string): boolean => {
    // The low 32 bits of the stored pages' own key hash (0 marks an empty slot).
    const h = (hash48(key) % 0x1_0000_0000) || 1
    const i = h & seenMask
    if (seen[i] === h) {
      seen[i] = 0
      return true
    }
    seen[i] = h
    return false
  }
  /**
   * The stored page (kept in memory if asked for before), without waiting where the store reads so;
   * else the drop counter, read before rendering it.
   */
  const fromStorage = (key: string, storedKey: string): Entry | Promise<Entry | number> => {
    const kept = stored!.get(storedKey)
    return kept instanceof Promise ? kept.then<Entry | number>((k) => storedEntry(key, k)) : storedEntry(key, kept)
  }
  const storedEntry = (key: string, kept: KeptPage | null): Entry | Promise<number> => {
    if (!kept) return stored!.epoch()
    const e = entryOf(key, kept.gz, kept.headers, kept.etag, Math.min(now() + o.ttlMs, kept.freshUntil))
    return seenBefore(key) ? keep(key, e) : e
  }
  const honoAnswer = (c: Context, a: CachedAnswer) => a.body === null ? c.body(null, a.status, recordOf(a.flat)) : c.body(a.body as Uint8Array<ArrayBuffer>, 200, recordOf(a.flat))

  return {
    clear,
    stats: () => ({ entries: entries.size, bytes, hits, misses }),
    find(r, incoming) {
      if (r.method !== 'GET' || (memoryOff && !stored)) return null
      const key = o.key(r)
      if (key === null) return null
      const hit = inMemory(key)
      if (hit) return { answer: answer(r, key, hit), route: 'page cache' }
      const storedKey = stored ? storedPageKey(key) : null
      if (storedKey === null) return null
      const found = (e: Entry | number): Found | null => {
        if (typeof e !== 'number') return { answer: answer(r, key, e), route: 'stored page' }
        missed.set(incoming, e)
        return null
      }
      const e = fromStorage(key, storedKey)
      return e instanceof Promise ? e.then(found) : found(e)
    },
    middleware: () => async (c, next) => {
      if (WRITES.has(c.req.method)) {
        // Emptied before and after: a page rendered while the write ran must not outlive it.
        clear()
        try {
          await next()
        } finally {
          clear()
        }
        return
      }
      if (c.req.method !== 'GET' || (memoryOff && !stored)) return next()
      const r = honoPageRequest(c)
      const key = o.key(r)
      if (key === null) return next()
      const storedKey = stored ? storedPageKey(key) : null
      const incoming = (c.env as { incoming?: object } | undefined)?.incoming
      let epoch = incoming ? missed.get(incoming) : undefined
      if (epoch === undefined) {
        const hit = inMemory(key)
        if (hit) {
          // Counted and timed as the cache's answers, not as a route (none ran).
          c.set(ROUTE_LABEL as never, 'page cache' as never)
          return honoAnswer(c, answer(r, key, hit))
        }
        if (storedKey !== null) {
          const e = await fromStorage(key, storedKey)
          if (typeof e !== 'number') {
            c.set(ROUTE_LABEL as never, 'stored page' as never)
            return honoAnswer(c, answer(r, key, e))
          }
          epoch = e
        }
      }
      misses++
      await next()
      const res = c.res
      const type = res.headers.get('content-type') ?? ''
      if (res.status !== 200 || !type.startsWith('text/html') || res.headers.has('set-cookie') || res.headers.has('content-encoding')
        || /private|no-store/.test(res.headers.get('cache-control') ?? '')) return
      const body = await res.text()
      const headers: Record<string, string> = {}
      for (const [k, v] of res.headers) if (!NOT_KEPT.has(k)) headers[k] = v
      // The kept page differs by encoding: caches between here and the reader must know it.
      headers['vary'] = headers['vary'] ? `${headers['vary']}, Accept-Encoding` : 'Accept-Encoding'
      const etag = strongEtag(body)
      const keepable = !body.includes('data-ai-task=')
      const gzip = acceptsGzip(r.header('accept-encoding'))
      const e = keepable || gzip ? entryOf(key, new Uint8Array(gzipSync(body)), headers, etag, now() + o.ttlMs) : null
      // The body was read: the answer is built again from it, gzipped for a reader who takes it. Hono
      // would copy the rendered answer's headers over the new one's (its Vary, without Accept-Encoding):
      // it is let go first.
      c.res = undefined
      c.res = gzip && e ? new Response(e.gz, { status: 200, headers: recordOf(e.gzAnswer.flat) }) : new Response(body, { status: 200, headers: { ...headers, etag } })
      if (!keepable || !e) return
      keep(key, e)
      const subject = storedKey === null ? undefined : storedPageSubject(c)
      // Not waited for: the reader has their page; a page that could not be stored is rendered again next time.
      if (stored && subject) void stored.put(storedKey!, epoch ?? -1, { html: body, headers, etag }, subject)
    },
  }
}

/** Whether an Accept-Encoding header takes gzip (`gzip`, `x-gzip` or `*`, without `;q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue
    const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  }
  return false
}
