import type { Context, MiddlewareHandler } from 'hono'
import { etagMatches, strongEtag } from './etag.js'

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
 */
export interface PageCacheOptions {
  ttlMs: number
  maxBytes: number
  now?: () => number
}

interface Entry {
  body: string
  headers: [string, string][]
  etag: string
  bytes: number
  until: number
}

export interface PageCache {
  /** The middleware; `key(c)` is null for a request that must not use the cache. */
  middleware(key: (c: Context) => string | null): MiddlewareHandler
  clear(): void
  stats(): { entries: number; bytes: number; hits: number; misses: number }
}

/** Headers a kept page is served with (the rest are set per request by the middleware around it). */
const KEPT = new Set(['content-type', 'vary', 'link', 'content-language', 'x-robots-tag'])
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
  const off = o.ttlMs <= 0 || o.maxBytes <= 0

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
      const key = off || c.req.method !== 'GET' ? null : keyOf(c)
      if (key === null) return next()
      const hit = entries.get(key)
      if (hit && hit.until > now()) {
        hits++
        // Most recently used last.
        entries.delete(key)
        entries.set(key, hit)
        if (etagMatches(c.req.header('if-none-match'), hit.etag)) return c.body(null, 304, { etag: hit.etag })
        return c.body(hit.body, 200, Object.fromEntries([...hit.headers, ['etag', hit.etag]]))
      }
      if (hit) drop(key)
      misses++
      await next()
      const res = c.res
      const type = res.headers.get('content-type') ?? ''
      if (res.status !== 200 || !type.startsWith('text/html') || res.headers.has('set-cookie')
        || /private|no-store/.test(res.headers.get('cache-control') ?? '')) return
      const body = await res.text()
      const headers = [...res.headers].filter(([k]) => KEPT.has(k.toLowerCase()))
      const etag = strongEtag(body)
      // The body was read: the answer is built again from it.
      c.res = new Response(body, { status: 200, headers: res.headers })
      c.res.headers.set('etag', etag)
      if (body.includes('data-ai-task=')) return
      const size = Buffer.byteLength(body) + key.length
      if (size > o.maxBytes / 8) return
      entries.set(key, { body, headers, etag, bytes: size, until: now() + o.ttlMs })
      bytes += size
      while (bytes > o.maxBytes) drop(entries.keys().next().value!)
    },
  }
}
