import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { HttpError } from '../../domain/errors.js'
import type { Role, Session, User } from '../../domain/types.js'
import type { Store } from '../../store/store.js'
import { csrfToken, csrfValid, newToken, tokenHash } from './tokens.js'

/** Who is asking: a signed-in user and their session, or nobody. */
export interface Viewer {
  user: User | null
  session: Session | null
  /** The form token to put in every POST form of this session (null when signed out). */
  csrf: string | null
  ip: string
}

export interface AuthDeps {
  store: Store
  now: () => Date
  baseUrl: string | null
  trustProxy: boolean
  sessionIdleMs: number
  sessionMaxMs: number
  /** The site's secret for form tokens (stored in the database, the same for every process). */
  secret: () => Promise<string>
}

const COOKIE = 'tidings_session'
/** lastSeenAt is written at most this often: not a database write per page view. */
const TOUCH_EVERY_MS = 5 * 60_000

const ANON = (ip: string): Viewer => ({ user: null, session: null, csrf: null, ip })

/** Whether the request carries a session cookie at all (valid or not: only the session middleware can tell). */
export function hasSessionCookie(c: Context): boolean {
  return getCookie(c, COOKIE) !== undefined
}

export function viewerOf(c: Context): Viewer {
  return (c.get('viewer' as never) as Viewer | undefined) ?? ANON(clientIp(c, false))
}

export const hasRole = (v: Viewer, ...roles: Role[]) => v.user !== null && v.user.bannedAt === null && roles.includes(v.user.role)

/** The client's address: the socket's, or the first X-Forwarded-For hop when a trusted proxy is in front. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (fwd) return fwd.slice(0, 64)
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress?.replace(/^::ffff:/, '') ?? 'local'
}

/** Over TLS (directly, via a trusted proxy, or as the public address says): cookies get `Secure`. */
export function isSecure(c: Context, d: Pick<AuthDeps, 'baseUrl' | 'trustProxy'>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  if (d.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true
  return d.baseUrl?.startsWith('https:') ?? false
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Reads the session cookie into a Viewer (idle and absolute expiry, banned users signed out), and
 * for a signed-in browser requires the form token on every state-changing request: the Origin check
 * in front of it stops other sites' forms, this stops anything that slips past it.
 */
export function sessions(d: AuthDeps): MiddlewareHandler {
  return async (c, next) => {
    const ip = clientIp(c, d.trustProxy)
    let viewer = ANON(ip)
    const token = getCookie(c, COOKIE)
    if (token && token.length <= 100) {
      const id = tokenHash(token)
      const found = await d.store.getSession(id)
      const now = d.now()
      if (found) {
        const { session, user } = found
        const idleEnd = Date.parse(session.lastSeenAt) + d.sessionIdleMs
        if (Date.parse(session.expiresAt) <= now.getTime() || idleEnd <= now.getTime() || user.bannedAt !== null) {
          await d.store.deleteSession(id)
          deleteCookie(c, COOKIE, { path: '/' })
        } else {
          if (now.getTime() - Date.parse(session.lastSeenAt) > TOUCH_EVERY_MS) await d.store.touchSession(id, now.toISOString())
          viewer = { user, session, csrf: csrfToken(await d.secret(), session.id), ip }
        }
      } else {
        deleteCookie(c, COOKIE, { path: '/' })
      }
    }
    c.set('viewer' as never, viewer as never)
    if (viewer.session && !SAFE.has(c.req.method)) {
      const type = c.req.header('content-type') ?? ''
      const given = c.req.header('x-csrf-token')
        ?? (/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type) ? (await c.req.parseBody())['_csrf'] : undefined)
      if (!csrfValid(await d.secret(), viewer.session.id, given)) {
        throw new HttpError(403, 'csrf', 'This form has expired or did not come from this site. Go back, reload the page and try again.')
      }
    }
    await next()
  }
}

/** Signs a user in: a new session (any earlier one of this browser ends: no fixation) and its cookie. */
export async function startSession(c: Context, d: AuthDeps, user: User): Promise<void> {
  const old = getCookie(c, COOKIE)
  if (old && old.length <= 100) await d.store.deleteSession(tokenHash(old))
  const token = newToken()
  const now = d.now()
  await d.store.createSession({
    id: tokenHash(token), userId: user.id, createdAt: now.toISOString(), lastSeenAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + d.sessionMaxMs).toISOString(),
  })
  setCookie(c, COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'Lax', secure: isSecure(c, d),
    maxAge: Math.floor(d.sessionMaxMs / 1000),
  })
}

export async function endSession(c: Context, d: AuthDeps): Promise<void> {
  const token = getCookie(c, COOKIE)
  if (token && token.length <= 100) await d.store.deleteSession(tokenHash(token))
  deleteCookie(c, COOKIE, { path: '/', secure: isSecure(c, d) })
}

/** The site's secret: made once, kept in settings, shared by every process on the database. */
export function siteSecret(store: Store): () => Promise<string> {
  let cached: Promise<string> | null = null
  return () => {
    cached ??= store.settingOnce('site_secret', newToken()).catch((e) => { cached = null; throw e })
    return cached
  }
}
