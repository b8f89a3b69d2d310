import { gunzipSync, gzipSync } from 'node:zlib'
import type { Context, MiddlewareHandler } from 'hono'
import { ROUTE_LABEL } from '../observability/http.js'
import { etagMatches, strongEtag } from './etag.js'
import { storedPageSubject, type StoredPageTier } from './stored-pages.js'

/**
 * Rendered pages for readers who are not signed in, kept for a few seconds (PAGE_CACHE_SECONDS): the
 * home page and a story that is being shared are asked for by many readers at once, and each one
 * would otherwise rank, query and render the same page again.
 *
 * A page is kept only when it is the same for every anonymous reader who asks with the same key
 * (address with its query, the reader's language, theme and whether they see admin links): a 200 HTML
 * answer that sets no cookie, is not `private`/`no-store`, and waits on no AI task (its script would
 * reload it until the result shows). A signed-in reader's request never reads or fills it. Any
 * request that changes something through this process (a POST, PUT, PATCH or DELETE: a comment, a
 * moderation, an admin action) empties it; what other processes and ingest change shows within the
 * TTL. Every kept page carries a strong ETag, so a browser revalidating gets 304.
 *
 * It is kept gzipped (a third of the size: three times the pages in the same memory) and sent so to a
 * reader whose Accept-Encoding takes gzip, as every browser's does; others get it inflated. The
 * middleware goes first in the chain, ahead of the security headers and the session: a kept page is
 * sent with every header its first answer had (the security policy included), so a hit costs a key and
 * a write, and nothing else runs.
 *
 * With `stored`, article pages missing from memory are looked for in the database (stored-pages.ts)
 * before they are rendered, and stored there after.
 */
export interface PageCacheOptions {
  ttlMs: number
  maxBytes: number
  now?: () => number
  /** Behind memory: pages kept in the database (article pages; web/stored-pages.ts). */
  stored?: StoredPageTier
}

interface Entry {
  gz: Uint8Array<ArrayBuffer>
  headers: Record<string, string>
  /** The headers of the gzipped answer, built once. */
  gzHeaders: Record<string, string>
  etag: string
  gzEtag: string
  /** The page inflated, once a reader who does not take gzip asked for it (counted in `bytes` then). */
  plain?: string
  bytes: number
  until: number
}

export interface PageCache {
  /** The middleware; `key(c)` is null for a request that must not use the cache. */
  middleware(key: (c: Context) => string | null): MiddlewareHandler
  clear(): void
  stats(): { entries: number; bytes: number; hits: number; misses: number }
}

/** Headers of the first answer that are not sent again with a kept page (set per answer, or by this cache). */
const NOT_KEPT = new Set(['set-cookie', 'content-length', 'content-encoding', 'date', 'etag', 'transfer-encoding', 'connection', 'keep-alive'])
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

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
  /** A page as it is kept and answered, valid until `until` (its TTL, or sooner when the stored page it came from goes stale). */
  const entryOf = (key: string, gz: Uint8Array<ArrayBuffer>, headers: Record<string, string>, etag: string, until: number): Entry => {
    const gzEtag = `${etag.slice(0, -1)}-gz"`
    let size = gz.length + key.length
    for (const k in headers) size += k.length + headers[k]!.length
    return { gz, headers, gzHeaders: { ...headers, etag: gzEtag, 'content-encoding': 'gzip' }, etag, gzEtag, bytes: size, until }
  }
  /** Keeps it in memory, unless memory is off or it would take more than an eighth of it. */
  const keep = (key: string, e: Entry): Entry => {
    if (memoryOff || e.bytes > o.maxBytes / 8) return e
    entries.set(key, e)
    grow(e.bytes)
    return e
  }
  /** A kept page's answer: 304 when the reader has it, gzipped when they take it, else inflated (kept so once asked for). */
  const answer = (c: Context, key: string, hit: Entry, gzip: boolean) => {
    const etag = gzip ? hit.gzEtag : hit.etag
    if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, { etag, vary: hit.headers['vary']! })
    if (gzip) return c.body(hit.gz, 200, hit.gzHeaders)
    if (hit.plain === undefined) {
      hit.plain = gunzipSync(hit.gz).toString('utf8')
      const more = Buffer.byteLength(hit.plain)
      hit.bytes += more
      if (entries.get(key) === hit) grow(more)
    }
    return c.body(hit.plain, 200, { ...hit.headers, etag })
  }

  return {
    clear,
    stats: () => ({ entries: entries.size, bytes, hits, misses }),
    middleware: (keyOf) => async (c, next) => {
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
      const key = c.req.method !== 'GET' || (memoryOff && !stored) ? null : keyOf(c)
      if (key === null) return next()
      const gzip = acceptsGzip(c.req.header('accept-encoding'))
      const hit = entries.get(key)
      if (hit && hit.until > now()) {
        hits++
        // Counted and timed as the cache's answers, not as a route (none ran).
        c.set(ROUTE_LABEL as never, 'page cache' as never)
        // Most recently used last.
        entries.delete(key)
        entries.set(key, hit)
        return answer(c, key, hit, gzip)
      }
      if (hit) drop(key)
      const storedKey = stored?.accepts(key) ?? null
      let epoch = -1
      if (stored && storedKey !== null) {
        const kept = await stored.get(storedKey)
        if (kept) {
          c.set(ROUTE_LABEL as never, 'stored page' as never)
          return answer(c, key, keep(key, entryOf(key, kept.gz, kept.headers, kept.etag, Math.min(now() + o.ttlMs, kept.freshUntil))), gzip)
        }
        epoch = await stored.epoch()
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
      const e = keepable || gzip ? entryOf(key, new Uint8Array(gzipSync(body)), headers, etag, now() + o.ttlMs) : null
      // The body was read: the answer is built again from it, gzipped for a reader who takes it.
      c.res = gzip && e ? new Response(e.gz, { status: 200, headers: e.gzHeaders }) : new Response(body, { status: 200, headers: { ...headers, etag } })
      if (!keepable || !e) return
      keep(key, e)
      const subject = storedKey === null ? undefined : storedPageSubject(c)
      // Not waited for: the reader has their page; a page that could not be stored is rendered again next time.
      if (stored && subject) void stored.put(storedKey!, epoch, { html: body, headers, etag }, subject)
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
