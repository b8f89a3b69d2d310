import { createHash, timingSafeEqual } from 'node:crypto'
import type { Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { User } from '../../domain/types.js'
import type { ReaderItem, ReaderStreamQuery, SourceWithStats } from '../../store/store.js'
import { hashPassword, verifyPassword } from '../../web/auth/password.js'
import { blocked, spend } from '../../web/auth/limits.js'
import { newToken, tokenHash } from '../../web/auth/tokens.js'
import { MAX_BODY_BYTES, folderOf, foldersOf, ipOf, forgetSources, readerSources, type Folder, type ReaderApiDeps } from './reader-core.js'

/**
 * The Google Reader API as FreshRSS and Miniflux speak it (Reeder, NetNewsWire, FeedMe, Fiery Feeds,
 * ReadKit): ClientLogin with the reader's app password, then `Authorization: GoogleLogin auth=…`.
 * Subscriptions are the site's sources; folders are their languages (reader-core.ts).
 */
export const GREADER_PREFIX = '/api/greader'
const API = `${GREADER_PREFIX}/reader/api/0`

const READING_LIST = 'user/-/state/com.google/reading-list'
const STARRED = 'user/-/state/com.google/starred'
const READ = 'user/-/state/com.google/read'
const LABEL = 'user/-/label/'
const ITEM_PREFIX = 'tag:google.com,2005:reader/item/'

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }

/** The 16-hex-digit long form of an item id. */
export const longItemId = (id: number) => `${ITEM_PREFIX}${id.toString(16).padStart(16, '0')}`

/** An item id in any form apps send: long form, bare 16 hex digits, or decimal (also as a signed 64-bit number). */
export function parseItemId(raw: string): number | null {
  const s = raw.trim()
  let n: bigint
  try {
    if (s.startsWith(ITEM_PREFIX)) n = BigInt(`0x${s.slice(ITEM_PREFIX.length)}`)
    else if (/^[0-9a-f]{16}$/i.test(s)) n = BigInt(`0x${s}`)
    else if (/^-?\d{1,20}$/.test(s)) n = BigInt.asUintN(64, BigInt(s))
    else return null
  } catch {
    return null
  }
  return n > 0n && n <= 2_147_483_647n ? Number(n) : null
}

/** A time the protocol sends in seconds, milliseconds or microseconds, as epoch ms. */
function epochMs(raw: string | undefined): number | null {
  if (!raw || !/^\d{1,20}$/.test(raw.trim())) return null
  let n = Number(raw.trim())
  if (n < 1e11) return n * 1000
  while (n > 1e13) n /= 1000
  return Math.floor(n)
}

const usec = (iso: string) => `${Date.parse(iso)}000`
const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000)

/** The T token of an auth token: derived, so nothing more is stored. */
const tTokenOf = (auth: string) => createHash('sha256').update(`greader-T:${auth}`).digest('hex').slice(0, 57)

type Params = { get(k: string): string | undefined; all(k: string): string[] }

/** Query and form parameters together (apps put them in either), repeated keys kept. */
async function params(c: Context): Promise<Params> {
  const q = c.req.queries()
  let form: Record<string, string | File | (string | File)[]> = {}
  if (c.req.method === 'POST' && /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '')) {
    form = await c.req.parseBody({ all: true })
  }
  const all = (k: string): string[] => {
    const f = form[k]
    const fromForm = (Array.isArray(f) ? f : f === undefined ? [] : [f]).filter((x): x is string => typeof x === 'string')
    return [...(q[k] ?? []), ...fromForm]
  }
  return { all, get: (k) => all(k)[0] }
}

interface Caller { user: User; auth: string }

type Stream =
  | { kind: 'all' }
  | { kind: 'starred' }
  | { kind: 'read' }
  | { kind: 'sources'; sourceIds: number[]; title: string }

/** `user/-/…` or `user/<id>/…`: the same reader. */
const normalize = (id: string) => id.replace(/^user\/[^/]+\//, 'user/-/')

function parseStream(raw: string, sources: SourceWithStats[], folders: Folder[]): Stream | null {
  const id = normalize(raw)
  if (id === READING_LIST) return { kind: 'all' }
  if (id === STARRED) return { kind: 'starred' }
  if (id === READ) return { kind: 'read' }
  if (id.startsWith(LABEL)) {
    const f = folders.find((x) => x.label === id.slice(LABEL.length))
    return { kind: 'sources', sourceIds: f?.sourceIds ?? [], title: f?.label ?? id.slice(LABEL.length) }
  }
  if (id.startsWith('feed/')) {
    const key = id.slice(5)
    const s = /^\d+$/.test(key) ? sources.find((x) => x.id === Number(key)) : sources.find((x) => x.url === key)
    return { kind: 'sources', sourceIds: s ? [s.id] : [], title: s?.title ?? key }
  }
  return null
}

export function greaderRoutes(app: Hono, d: ReaderApiDeps): void {
  const { store } = d
  let dummyHash: Promise<string> | null = null
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.body('Error=TooLarge\n', 413, TEXT) })

  const login = async (c: Context) => {
    const p = await params(c)
    const name = (p.get('Email') ?? '').trim().slice(0, 64)
    const password = (p.get('Passwd') ?? '').slice(0, 512)
    const t = d.now()
    const ip = ipOf(c, d)
    // The site login's limits and keys: the two doors share one count.
    const perIp = await spend(store, t, [{ key: `login:ip:${ip}`, max: d.limits.loginPerIp, windowMs: d.limits.loginWindowMs, what: 'Too many sign-in attempts.' }])
    const accountKey = `login:fail:${name.toLowerCase()}`
    const limited = perIp.ok ? await blocked(store, t, { key: accountKey, max: d.limits.loginPerAccount, what: 'This account is locked for now.' }) : perIp
    if (!limited.ok) return c.body('Error=ServiceUnavailable\n', 429, { ...TEXT, 'retry-after': String(limited.retryAfterSeconds) })
    const cred = name ? await store.findCredentials(name) : null
    const app = cred ? await store.getAppPassword(cred.id) : null
    dummyHash ??= hashPassword('not an app password of anyone')
    const good = password !== '' && await verifyPassword(password, app?.passwordHash ?? await dummyHash)
    if (!cred || !app || !good) {
      if (name) await store.hitRateLimit(accountKey, d.limits.loginWindowMs, t.toISOString())
      return c.body('Error=BadAuthentication\n', 401, TEXT)
    }
    if (cred.bannedAt) return c.body('Error=AccountDisabled\n', 403, TEXT)
    await store.clearRateLimit(accountKey)
    const token = `${cred.id}/${newToken()}`
    await store.createReaderToken(tokenHash(token), cred.id, t.toISOString())
    return c.body(`SID=${token}\nLSID=null\nAuth=${token}\n`, 200, TEXT)
  }
  app.post(`${GREADER_PREFIX}/accounts/ClientLogin`, limit, login)

  /** The caller by their token; banned readers and revoked tokens are refused. */
  const caller = async (c: Context): Promise<Caller | null> => {
    const m = /^GoogleLogin\s+auth=(\S{1,200})$/i.exec(c.req.header('authorization')?.trim() ?? '')
    if (!m) return null
    const user = await store.findReaderToken(tokenHash(m[1]!))
    if (!user || user.bannedAt) return null
    return { user, auth: m[1]! }
  }
  const unauthorized = (c: Context) => c.body('Unauthorized', 401, { ...TEXT, 'www-authenticate': 'GoogleLogin realm="tidings"' })
  const tValid = (who: Caller, given: string | undefined) => {
    if (!given) return false
    const want = Buffer.from(tTokenOf(who.auth))
    const got = Buffer.from(given)
    return got.length === want.length && timingSafeEqual(got, want)
  }

  type Handler = (c: Context, who: Caller, p: Params) => Promise<Response>
  /** An API route: authenticated; `edit` routes also need the T token. */
  const route = (methods: ('GET' | 'POST')[], path: string, opts: { edit?: boolean }, h: Handler) => {
    app.on(methods, `${API}/${path}`, limit, async (c) => {
      const who = await caller(c)
      if (!who) return unauthorized(c)
      const p = await params(c)
      if (opts.edit && !tValid(who, p.get('T'))) return c.body('Unauthorized', 401, { ...TEXT, 'x-reader-google-bad-token': 'true' })
      c.header('cache-control', 'private, no-store')
      return h(c, who, p)
    })
  }

  const catalog = async () => {
    const sources = await readerSources(store)
    return { sources, folders: foldersOf(sources, d.siteTitle), byId: new Map(sources.map((s) => [s.id, s])) }
  }

  route(['GET', 'POST'], 'token', {}, async (c, who) => c.body(`${tTokenOf(who.auth)}\n`, 200, TEXT))

  route(['GET'], 'user-info', {}, async (c, who) => c.json({
    userId: String(who.user.id), userName: who.user.name, userProfileId: String(who.user.id), userEmail: '', isBloggerUser: false,
    signupTimeSec: sec(who.user.createdAt), isMultiLoginEnabled: false,
  }))

  route(['GET'], 'subscription/list', {}, async (c) => {
    const { sources } = await catalog()
    return c.json({
      subscriptions: sources.map((s) => {
        const f = folderOf(s, d.siteTitle)
        return {
          id: `feed/${s.id}`, title: s.title, categories: [{ id: `${LABEL}${f.label}`, label: f.label }],
          url: s.url, htmlUrl: s.siteUrl ?? s.url, iconUrl: '', firstitemmsec: String(Date.parse(s.createdAt)),
        }
      }),
    })
  })

  route(['GET'], 'tag/list', {}, async (c) => {
    const { folders } = await catalog()
    return c.json({ tags: [{ id: STARRED }, ...folders.map((f) => ({ id: `${LABEL}${f.label}`, type: 'folder' }))] })
  })

  route(['GET'], 'unread-count', {}, async (c, who) => {
    const [counts, { folders }] = await Promise.all([store.readerUnreadCounts(who.user.id), catalog()])
    const out: { id: string; count: number; newestItemTimestampUsec: string }[] = []
    const sum = (ids: Set<number> | null) => {
      const mine = counts.filter((x) => !ids || ids.has(x.sourceId))
      const newest = mine.reduce<string | null>((m, x) => (m === null || x.newestAt > m ? x.newestAt : m), null)
      return { count: mine.reduce((n, x) => n + x.unread, 0), newestItemTimestampUsec: newest ? usec(newest) : '0' }
    }
    for (const x of counts) out.push({ id: `feed/${x.sourceId}`, count: x.unread, newestItemTimestampUsec: usec(x.newestAt) })
    for (const f of folders) {
      const s = sum(new Set(f.sourceIds))
      if (s.count > 0) out.push({ id: `${LABEL}${f.label}`, ...s })
    }
    const total = sum(null)
    out.push({ id: READING_LIST, ...total })
    return c.json({ max: total.count, unreadcounts: out })
  })

  /** The store query for a stream and the request's filters; null for a stream we do not know. */
  const streamQuery = async (who: Caller, streamId: string, p: Params, max: number): Promise<{ q: ReaderStreamQuery; title: string } | null> => {
    const { sources, folders } = await catalog()
    const s = parseStream(streamId, sources, folders)
    if (!s) return null
    const n = Number(p.get('n') ?? 20)
    const q: ReaderStreamQuery = {
      userId: who.user.id, limit: Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), max) : 20,
      cursor: p.get('c') ?? null, order: p.get('r') === 'o' ? 'oldest' : 'newest',
    }
    if (s.kind === 'starred') q.starred = true
    if (s.kind === 'read') q.read = true
    if (s.kind === 'sources') q.sourceIds = s.sourceIds
    for (const x of p.all('xt').map(normalize)) {
      if (x === READ) q.read = false
      if (x === STARRED) q.starred = false
    }
    for (const x of p.all('it').map(normalize)) {
      if (x === READ) q.read = true
      if (x === STARRED) q.starred = true
    }
    const ot = epochMs(p.get('ot'))
    const nt = epochMs(p.get('nt'))
    if (ot !== null) q.since = new Date(ot).toISOString()
    if (nt !== null) q.until = new Date(nt).toISOString()
    const title = s.kind === 'sources' ? s.title : s.kind === 'starred' ? 'Starred' : s.kind === 'read' ? 'Read' : d.siteTitle
    return { q, title }
  }

  const itemJson = (it: ReaderItem, byId: Map<number, SourceWithStats>) => {
    const src = byId.get(it.sourceId)
    const categories = [READING_LIST]
    if (src) categories.push(`${LABEL}${folderOf(src, d.siteTitle).label}`)
    if (it.read) categories.push(READ)
    if (it.starred) categories.push(STARRED)
    const published = it.published ?? it.sortAt
    return {
      id: longItemId(it.id),
      crawlTimeMsec: String(Date.parse(it.fetchedAt)),
      timestampUsec: usec(it.sortAt),
      published: sec(published),
      updated: sec(it.sortAt),
      title: it.title,
      ...(it.authorName ? { author: it.authorName } : {}),
      canonical: [{ href: it.canonicalUrl ?? it.url }],
      alternate: [{ href: it.url, type: 'text/html' }],
      summary: { direction: 'ltr', content: it.html },
      categories,
      origin: { streamId: `feed/${it.sourceId}`, title: it.sourceTitle, htmlUrl: src?.siteUrl ?? src?.url ?? it.url },
    }
  }

  const contents = async (c: Context, who: Caller, p: Params, streamId: string) => {
    const sq = await streamQuery(who, streamId, p, 1000)
    if (!sq) return c.json({ error: 'Unknown stream' }, 404)
    const page = await store.readerStream(sq.q)
    const [items, { byId }] = await Promise.all([store.readerItems(who.user.id, page.items.map((r) => r.id)), catalog()])
    const byItem = new Map(items.map((i) => [i.id, i]))
    return c.json({
      direction: 'ltr', id: streamId, title: sq.title, updated: Math.floor(d.now().getTime() / 1000),
      items: page.items.flatMap((r) => { const it = byItem.get(r.id); return it ? [itemJson(it, byId)] : [] }),
      ...(page.next ? { continuation: page.next } : {}),
    })
  }
  // The stream id is the rest of the path (percent-encoded, or not: feed URLs keep their slashes), or `s`.
  route(['GET', 'POST'], 'stream/contents/*', {}, async (c, who, p) => {
    const raw = c.req.path.slice(`${API}/stream/contents/`.length)
    let id: string
    try { id = decodeURIComponent(raw) } catch { id = raw }
    return contents(c, who, p, id || p.get('s') || READING_LIST)
  })
  route(['GET', 'POST'], 'stream/contents', {}, async (c, who, p) => contents(c, who, p, p.get('s') ?? READING_LIST))

  route(['GET', 'POST'], 'stream/items/ids', {}, async (c, who, p) => {
    const sq = await streamQuery(who, p.get('s') ?? READING_LIST, p, 10_000)
    if (!sq) return c.json({ error: 'Unknown stream' }, 404)
    const page = await store.readerStream(sq.q)
    return c.json({
      itemRefs: page.items.map((r) => ({ id: String(r.id), directStreamIds: [], timestampUsec: usec(r.sortAt) })),
      ...(page.next ? { continuation: page.next } : {}),
    })
  })

  route(['GET', 'POST'], 'stream/items/contents', {}, async (c, who, p) => {
    const ids = p.all('i').slice(0, 1000).map(parseItemId).filter((x): x is number => x !== null)
    const [items, { byId }] = await Promise.all([store.readerItems(who.user.id, ids), catalog()])
    const byItem = new Map(items.map((i) => [i.id, i]))
    return c.json({
      direction: 'ltr', id: READING_LIST, updated: Math.floor(d.now().getTime() / 1000),
      // In the order asked for.
      items: [...new Set(ids)].flatMap((id) => { const it = byItem.get(id); return it ? [itemJson(it, byId)] : [] }),
    })
  })

  route(['POST'], 'edit-tag', { edit: true }, async (c, who, p) => {
    const ids = p.all('i').slice(0, 10_000).map(parseItemId).filter((x): x is number => x !== null)
    const now = d.now().toISOString()
    const add = new Set(p.all('a').map(normalize))
    const remove = new Set(p.all('r').map(normalize))
    if (add.has(READ)) await store.setItemsRead(who.user.id, ids, true, now)
    if (remove.has(READ) || add.has('user/-/state/com.google/kept-unread')) await store.setItemsRead(who.user.id, ids, false, now)
    if (add.has(STARRED)) await store.setItemsStarred(who.user.id, ids, true, now)
    if (remove.has(STARRED)) await store.setItemsStarred(who.user.id, ids, false, now)
    return c.body('OK', 200, TEXT)
  })

  route(['POST'], 'mark-all-as-read', { edit: true }, async (c, who, p) => {
    const { sources, folders } = await catalog()
    const s = parseStream(p.get('s') ?? READING_LIST, sources, folders)
    if (!s) return c.body('Unknown stream', 404, TEXT)
    const now = d.now()
    const ts = epochMs(p.get('ts'))
    const upTo = new Date(ts !== null ? Math.min(ts, now.getTime()) : now.getTime()).toISOString()
    if (s.kind === 'all') await store.markAllRead(who.user.id, { upTo }, now.toISOString())
    else if (s.kind === 'sources') await store.markAllRead(who.user.id, { sourceIds: s.sourceIds, upTo }, now.toISOString())
    else if (s.kind === 'starred') {
      const page = await store.readerStream({ userId: who.user.id, limit: 100_000, starred: true, read: false })
      const ids = page.items.filter((r) => Date.parse(r.fetchedAt) <= Date.parse(upTo)).map((r) => r.id)
      await store.setItemsRead(who.user.id, ids, true, now.toISOString())
    }
    return c.body('OK', 200, TEXT)
  })

  // Subscriptions are the site's: only an admin adds one (for everybody); nobody removes one from here.
  route(['POST'], 'subscription/quickadd', { edit: true }, async (c, who, p) => {
    const url = (p.get('quickadd') ?? '').trim().replace(/^feed\//, '')
    if (who.user.role !== 'admin' || !d.subscribe) return c.json({ numResults: 0, error: 'Only the site\'s administrators add sources.' }, 403)
    if (!/^https?:\/\//i.test(url) || url.length > 2000) return c.json({ numResults: 0, error: 'Give a feed or page URL.' }, 400)
    const r = await d.subscribe(url)
    if (!r.ok) return c.json({ numResults: 0, error: r.error.message }, 400)
    forgetSources(store)
    return c.json({ numResults: 1, query: url, streamId: `feed/${r.value.source.id}`, streamName: r.value.source.title })
  })
  route(['POST'], 'subscription/edit', { edit: true }, async (c) => c.body('Subscriptions are the site\'s sources: they are not changed from an app.', 403, TEXT))

  app.all(`${GREADER_PREFIX}/*`, (c) => c.body('Not found', 404, TEXT))
}
