import { etagMatches, strongEtag } from '../../web/etag.js'
import type { Context, Hono } from 'hono'
import { HttpError } from '../../domain/errors.js'
import { OPERATIONS, type Args, type JsonApiDeps, type Operation } from './operations.js'
import { openApiDocument } from './openapi.js'
import { parseParams } from './params.js'
import { apiPage } from './api-page.js'

export type { JsonApiDeps } from './operations.js'

const CACHE = 'public, max-age=60'
const OPENAPI_PATH = '/api/openapi.json'

/** `/api/v1/articles/{id}` → Hono's `/api/v1/articles/:id{[0-9]+}` (anything else falls to the JSON 404). */
const honoPath = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? `:${name}{[0-9]+}` : `:${name}`))

/**
 * The public read API under /api/v1 and its OpenAPI document. GET only, no session or credentials: the
 * answers are the same for everyone, so they are cacheable and readable from any origin.
 */
export function jsonApiRoutes(app: Hono, deps: JsonApiDeps): void {
  const origin = (c: Context) => deps.baseUrl ? new URL(deps.baseUrl).origin : new URL(c.req.url).origin
  const isOurs = (path: string) => path === OPENAPI_PATH || path === '/api/v1' || path.startsWith('/api/v1/')

  app.use('/api/*', async (c, next) => {
    if (!isOurs(c.req.path)) return next()
    if (c.req.method === 'OPTIONS') {
      // A browser asks first when a GET carries If-None-Match.
      return c.body(null, 204, {
        'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-allow-headers': 'If-None-Match, Accept, Cache-Control', 'access-control-max-age': '86400',
      })
    }
    await next()
    const h = c.res.headers
    h.set('access-control-allow-origin', '*')
    h.set('access-control-expose-headers', 'ETag, Link')
    // Errors, and a stale sign-in cookie being cleared by the session middleware, are no one else's to keep.
    if (c.res.status >= 400 || h.has('set-cookie')) h.set('cache-control', 'no-store')
  })

  for (const o of OPERATIONS) {
    app.get(honoPath(o.path), async (c) => {
      const args = { ...pathArgs(o, c), ...parseParams(o.query, c.req.queries()) } as unknown as Args
      const base = origin(c)
      const abs = (path: string) => new URL(path, base).href
      const body = await o.run(deps, { args, abs })
      let link: string | undefined
      if (o.paginated) {
        const page = body as { next: string | null; nextUrl: string | null }
        if (page.next) {
          const u = new URL(c.req.url)
          u.searchParams.set('cursor', page.next)
          page.nextUrl = abs(`${u.pathname}${u.search}`)
          link = `<${page.nextUrl}>; rel="next"`
        }
      }
      return send(c, body, link ? { link } : {})
    })
    app.on(['POST', 'PUT', 'PATCH', 'DELETE'], honoPath(o.path), () => {
      throw new HttpError(405, 'method_not_allowed', 'This API is read-only: use GET.')
    })
  }

  app.get(OPENAPI_PATH, (c) => send(c, openApiDocument(OPERATIONS, { siteTitle: deps.siteTitle, origin: origin(c) })))
  app.get('/api', (c) => c.html(apiPage({ siteTitle: deps.siteTitle, operations: OPERATIONS }), 200, { 'cache-control': CACHE }))

  // Under /api/v1 an unknown path is answered in JSON, not with the site's HTML page.
  app.all('/api/v1/*', (c) => {
    throw new HttpError(404, 'not_found', `There is nothing at ${c.req.path.slice(0, 200)}; the paths are listed in ${OPENAPI_PATH}.`)
  })
  app.all('/api/v1', () => {
    throw new HttpError(404, 'not_found', `The paths are listed in ${OPENAPI_PATH}.`)
  })
}

/** A path that names nothing (an id past what rows can have) is a 404 like any unknown id. */
function pathArgs(o: Operation, c: Context): Record<string, unknown> {
  const raw = Object.fromEntries(Object.keys(o.pathParams).map((k) => [k, [c.req.param(k) ?? '']]))
  try {
    return parseParams(o.pathParams, raw)
  } catch (e) {
    if (e instanceof HttpError) throw new HttpError(404, 'not_found', o.notFound ?? 'There is nothing at this address.')
    throw e
  }
}

/** JSON with a strong ETag over its bytes; a matching If-None-Match gets 304. */
function send(c: Context, body: unknown, extra: Record<string, string> = {}): Response {
  const text = JSON.stringify(body)
  const etag = strongEtag(text)
  const headers = { etag, 'cache-control': CACHE, ...extra }
  if (etagMatches(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
  return c.body(text, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' })
}
