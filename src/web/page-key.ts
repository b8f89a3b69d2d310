import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Context } from 'hono'
import { parse as parseCookies } from 'hono/utils/cookie'
import { readerLanguage } from '../ai/service.js'
import { negotiateLocale } from './i18n/i18n.js'

/**
 * The page cache's key, in one place: which anonymous readers get the same copy of a public page. It is
 * worked out from a request as Hono sees it (the page cache's middleware) and from Node's own request
 * (the front door, web/front-door.ts, which answers kept pages before Hono runs): both must agree, so
 * both read the request through `PageRequest`.
 *
 * `<language> <reader language> <theme> <admin|-> <path><query>`: one copy per language of the site's
 * words, reader language (the AI offers: "Read in French"), theme and admin view.
 */
export interface PageRequest {
  method: string
  /** The path, without the query. */
  path: string
  /** `?…`, or '' without a query. */
  search: string
  /** A request header (lower-case name). */
  header(name: string): string | undefined
  /** The client's address; null for an in-process request (`app.request` in tests, the CLI). */
  remoteAddress: string | null
  /** The page warmer's own request (renders what an anonymous reader sees). */
  warmer: boolean
}

export interface PageKeyOptions {
  /** The site's language (AI_LANGUAGE), for readers whose browser says nothing. */
  siteLang: string | null
  /** ADMIN_PASSWORD: with one, the admin view needs it; without, requests from this machine are the admin. */
  adminPassword: string | null
}

/** Home, articles, stories, sources, tags, authors, search: the pages the cache may keep. */
const PUBLIC_PAGE = /^\/(?:$|articles\/\d+(?:\/[^/]*)?(?:\/related)?$|stories\/\d+$|sources(?:\/\d+)?$|tags\/[^/]+$|authors\/[^/]+$|search$)/
export const SESSION_COOKIE = 'tidings_session'

interface ReaderView { locale: string; readerLang: string; theme: string | null; admin: boolean }
const readerPart = (k: ReaderView) => `${k.locale} ${k.readerLang} ${k.theme ?? 'auto'} ${k.admin ? 'admin' : '-'}`

export function pageKey(k: ReaderView & { path: string }): string {
  return `${readerPart(k)} ${k.path}`
}

/** The key of an anonymous reader's copy of this public page, or null when the cache must not be used. */
export function pageKeyOf(r: PageRequest, o: PageKeyOptions): string | null {
  if (!PUBLIC_PAGE.test(r.path)) return null
  const query = r.search ? new URLSearchParams(r.search) : null
  if (query?.has('n')) return null
  const reader = readerOf(r, query?.get('hl') ?? null, o)
  return reader === null ? null : `${reader} ${r.path}${r.search}`
}

/**
 * The reader's part of the key (`<language> <reader language> <theme> <admin|->`), or null for a
 * session. It depends on a few headers only, which most requests repeat: worked out once per distinct
 * set (but for requests with credentials, which are not kept).
 */
const readers = new Map<string, string | null>()
const READERS = 512
function readerOf(r: PageRequest, hl: string | null, o: PageKeyOptions): string | null {
  const auth = r.header('authorization')
  const cookie = r.header('cookie')
  const acceptLanguage = r.header('accept-language')
  const memo = auth === undefined && !r.warmer
    ? `${hl}\n${cookie}\n${acceptLanguage}\n${o.siteLang}\n${o.adminPassword === null && fromThisMachine(r)}`
    : null
  if (memo !== null) {
    const hit = readers.get(memo)
    if (hit !== undefined) return hit
  }
  const cookies = cookie ? parseCookies(cookie) : {}
  const reader = cookies[SESSION_COOKIE] !== undefined ? null : readerPart({
    locale: negotiateLocale({ choice: hl, cookie: cookies['hl'] ?? null, acceptLanguage: acceptLanguage ?? null, siteLang: o.siteLang }),
    readerLang: readerLanguage({ acceptLanguage, siteLang: o.siteLang ?? 'en' }),
    theme: themeOf(cookies['theme']), admin: isAdminRequest(r, o.adminPassword),
  })
  if (memo !== null) {
    if (readers.size >= READERS) readers.clear()
    readers.set(memo, reader)
  }
  return reader
}

export function themeOf(raw: string | undefined): 'light' | 'dark' | null {
  return raw === 'light' || raw === 'dark' ? raw : null
}

/**
 * The admin, before any session is read: the admin password in Basic auth, or (without a password) a
 * request from this machine that no proxy forwarded. A signed-in admin has a session cookie, and such
 * requests never use the cache.
 */
export function isAdminRequest(r: PageRequest, password: string | null): boolean {
  if (r.warmer) return false
  if (password) {
    const m = /^Basic\s+(.+)$/i.exec(r.header('authorization') ?? '')
    if (!m) return false
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
    const given = decoded.slice(decoded.indexOf(':') + 1)
    return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(password).digest())
  }
  return fromThisMachine(r)
}

/** Asked from this machine, and not forwarded by a proxy on it (or in-process). */
function fromThisMachine(r: PageRequest): boolean {
  if (r.header('x-forwarded-for') || r.header('forwarded')) return false
  const addr = r.remoteAddress
  return addr === null || addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1'
}

/** Requests the site makes of itself to render pages ahead (web/page-warmer.ts): `app.fetch(req, WARMER_ENV)`. */
export const WARMER_ENV = { tidingsWarmer: true } as const

export const isWarmer = (c: Context): boolean => (c.env as { tidingsWarmer?: boolean } | undefined)?.tidingsWarmer === true

/** The request as Hono has it. */
export function honoPageRequest(c: Context): PageRequest {
  const url = c.req.url
  const q = url.indexOf('?')
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return {
    method: c.req.method, path: c.req.path, search: q < 0 ? '' : url.slice(q),
    header: (name) => c.req.header(name),
    remoteAddress: incoming ? incoming.socket?.remoteAddress ?? '' : null,
    warmer: isWarmer(c),
  }
}

/**
 * A request target that Hono reads as written: an absolute path of plain characters (no percent-escape,
 * dot segment or empty segment, which URL parsing would rewrite) and a query URL parsing leaves alone.
 * Any other is left to Hono, so that both sides always work out the same key.
 */
const SEGMENT = String.raw`[\w\-~]+(?:\.[\w\-~]+)*`
const PLAIN_TARGET = new RegExp(String.raw`^(\/(?:${SEGMENT}(?:\/${SEGMENT})*\/?)?)(\?[\w\-.~%&=+,:@!$()*;/?]*)?$`)

/** Node's request, or null when its target is not a plain one (the caller leaves such requests to Hono). */
export function nodePageRequest(req: IncomingMessage): PageRequest | null {
  const m = PLAIN_TARGET.exec(req.url ?? '')
  if (!m) return null
  const headers = req.headers
  return {
    method: req.method ?? 'GET', path: m[1]!, search: m[2] ?? '',
    header: (name) => {
      const v = headers[name]
      return Array.isArray(v) ? v.join(', ') : v
    },
    remoteAddress: req.socket.remoteAddress ?? '',
    warmer: false,
  }
}

/** `<language> <reader language> <theme> - /articles/<id>[/<slug>]` with no query: an anonymous reader's article page. */
const ARTICLE_KEY = /^(\S+ \S+ \S+ - \/articles\/\d+)(?:\/[^/?]*)?$/

/** The stored pages' key for a page key (the article page without its slug), or null for any other page. */
export function storedPageKey(key: string): string | null {
  return ARTICLE_KEY.exec(key)?.[1] ?? null
}

/** The stored pages' key prefix of the article pages the warmer renders: an anonymous reader's, in the site's language. */
export function warmedPagePrefix(siteLang: string | null): string {
  const locale = negotiateLocale({ choice: null, cookie: null, acceptLanguage: null, siteLang })
  return pageKey({ locale, readerLang: readerLanguage({ siteLang: siteLang ?? 'en' }), theme: null, admin: false, path: '/articles/' })
}
