import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Logger } from './logger.js'
import { METRICS_CONTENT_TYPE, statusClassOf, type Metrics } from './metrics.js'

/** A context key a middleware that answers for the routes sets to its own label (the page cache: `page cache`). */
export const ROUTE_LABEL = 'routeLabel'

/**
 * The route pattern that answered (`/articles/:id{[0-9]+}/:slug?`), never the raw path: bounded label
 * cardinality, and no token from a path (`/reset/:token`, `/websub/:token`) reaches metrics or logs.
 */
function routeOf(c: Context): string {
  const label = c.get(ROUTE_LABEL as never) as string | undefined
  if (label) return label
  const r = routePath(c)
  return r === '*' || r === '/*' ? 'unmatched' : r
}

/** One answer: counted and timed (method, route pattern, status class), and logged at `info`. */
export type RequestObserver = (a: { method: string; route: string; status: number; seconds: number }) => void

export function requestObserver(deps: { metrics: Metrics; log: Logger }): RequestObserver {
  const log = deps.log.child({ component: 'http' })
  return ({ method, route, status, seconds }) => {
    deps.metrics.httpRequests.inc({ method, route, status: statusClassOf(status) })
    deps.metrics.httpDuration.observe({ method, route }, seconds)
    // Method, route, status and time only: no headers, cookies, query strings or client addresses.
    const line = { method, route, status, ms: Math.round(seconds * 10_000) / 10 }
    if (status >= 500) log.error(line, 'request failed')
    else log.info(line, 'request')
  }
}

/** Counts and times every request that reaches Hono (the front door observes its own answers the same way). */
export function observeRequests(deps: { metrics: Metrics; log: Logger; now?: () => number }): MiddlewareHandler {
  const now = deps.now ?? (() => performance.now())
  const observe = requestObserver(deps)
  return async (c, next) => {
    const t0 = now()
    try {
      await next()
    } finally {
      observe({ method: c.req.method, route: routeOf(c), status: c.res?.status ?? 500, seconds: Math.max(0, (now() - t0) / 1000) })
    }
  }
}

/** This machine, asked directly (not through a proxy on it); an in-process request (`app.request`) too. */
export function isLocalRequest(c: Context): boolean {
  if (c.req.header('x-forwarded-for') || c.req.header('forwarded') || c.req.header('x-real-ip')) return false
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  if (!incoming) return true
  const addr = incoming.socket?.remoteAddress ?? ''
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1'
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!m) return false
  const a = createHash('sha256').update(m[1]!).digest()
  const b = createHash('sha256').update(token).digest()
  return timingSafeEqual(a, b)
}

/**
 * `GET /metrics`: from this machine always; from elsewhere only with `Authorization: Bearer
 * $METRICS_TOKEN` (and never without a token set).
 */
export function metricsRoute(app: Hono, deps: { metrics: Metrics; token: string | null }): void {
  app.get('/metrics', async (c) => {
    const allowed = (deps.token !== null && tokenMatches(c.req.header('authorization'), deps.token)) || isLocalRequest(c)
    if (!allowed) {
      return c.text(deps.token ? 'Metrics need Authorization: Bearer <METRICS_TOKEN>.' : 'Metrics are served to this machine only (set METRICS_TOKEN to scrape from elsewhere).', 403, { 'cache-control': 'no-store' })
    }
    return c.body(await deps.metrics.render(), 200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' })
  })
}

/** `/metrics` (and a liveness `/healthz`) alone: what `tidings worker` serves on METRICS_PORT. */
export function metricsOnlyApp(deps: { metrics: Metrics; token: string | null }): Hono {
  const app = new Hono()
  app.get('/healthz', (c) => c.json({ ok: true }))
  metricsRoute(app, deps)
  return app
}
