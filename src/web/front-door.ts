import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { PageCache, Found } from './page-cache.js'
import { nodePageRequest } from './page-key.js'
import type { RequestObserver } from '../observability/http.js'

/**
 * The reading site's Node request listener: an anonymous reader's page that is kept (in memory or in the
 * stored pages) is answered here, from Node's own request, before Hono builds a Request, routes it and
 * runs the middleware chain; everything else, and anything the front door cannot tell for sure, goes on
 * to Hono (`app`), which would answer the same (its page cache middleware keeps and reads the same
 * pages under the same key, web/page-key.ts).
 *
 * A kept page's answer is a header list and bytes built when it was kept, so a hit costs the key, a
 * lookup and a write: about what a bare hello-world costs, plus the page's bytes. It is counted and
 * timed like every other answer (`observe`), and it counts as a reader's request for the page warmer.
 */
export interface FrontDoorOptions {
  pages: PageCache
  /** Hono, for every request the front door does not answer. */
  app: RequestListener
  /** Counts and logs an answer (the request counter's, observability/http.ts). */
  observe?: RequestObserver
  /** Readers' requests in flight and the last one's end (the page warmer waits for a pause). */
  readers?: { inFlight: number; lastAt: number }
  onError?: (e: unknown) => void
}

export function frontDoor(o: FrontDoorOptions): RequestListener {
  const send = (req: IncomingMessage, res: ServerResponse, f: Found, t0: number) => {
    const a = f.answer
    try {
      res.writeHead(a.status, a.flat)
      res.end(a.body ?? undefined)
    } catch (e) {
      // Not expected (the answer was built from a good one): Hono answers if nothing was sent yet.
      o.onError?.(e)
      if (!res.headersSent) void o.app(req, res)
      else res.destroy()
      return
    }
    if (o.readers) o.readers.lastAt = performance.now()
    o.observe?.({ method: 'GET', route: f.route, status: a.status, seconds: (performance.now() - t0) / 1000 })
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET') return o.app(req, res)
    const t0 = performance.now()
    let found: Found | null | Promise<Found | null>
    try {
      const r = nodePageRequest(req)
      found = r ? o.pages.find(r, req) : null
    } catch (e) {
      o.onError?.(e)
      found = null
    }
    if (found === null) return o.app(req, res)
    if (!(found instanceof Promise)) return send(req, res, found, t0)
    const readers = o.readers
    if (readers) readers.inFlight++
    found.then(
      (f) => {
        if (readers) readers.inFlight--
        if (f) send(req, res, f, t0)
        else void o.app(req, res)
      },
      (e) => {
        if (readers) readers.inFlight--
        o.onError?.(e)
        void o.app(req, res)
      },
    )
  }
}
