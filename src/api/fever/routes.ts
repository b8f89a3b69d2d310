import type { Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { User } from '../../domain/types.js'
import type { ReaderItem } from '../../store/store.js'
import { MAX_BODY_BYTES, foldersOf, ipBlocked, ipOf, readerSources, type ReaderApiDeps } from '../greader/reader-core.js'

/**
 * The Fever API (api_version 3) as Miniflux and FreshRSS serve it (Reeder, Fiery Feeds, Unread,
 * ReadKit): every call is `…/api/fever?api&<what>` with the form field `api_key`, md5("name:password")
 * of the reader's app password. Groups are the same folders as the Google Reader labels.
 */
export const FEVER_PATH = '/api/fever'
const ITEMS_PER_CALL = 50
const ALL_IDS = 100_000

type Obj = Record<string, unknown>

const unix = (iso: string | null) => (iso ? Math.floor(Date.parse(iso) / 1000) : 0)
const idList = (raw: string | undefined, max: number) =>
  (raw ?? '').split(',').slice(0, max).map((x) => x.trim()).filter((x) => /^\d{1,10}$/.test(x)).map(Number)
const intParam = (raw: string | undefined) => (raw !== undefined && /^-?\d{1,12}$/.test(raw.trim()) ? Number(raw.trim()) : null)

/** A minimal XML form of the same answer, for clients that ask `&xml`. */
function toXml(o: Obj): string {
  const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
  const singular = (k: string) => (k.endsWith('ies') ? `${k.slice(0, -3)}y` : k.endsWith('s') ? k.slice(0, -1) : k)
  const node = (k: string, v: unknown): string => {
    if (Array.isArray(v)) return `<${k}>${v.map((x) => node(singular(k), x)).join('')}</${k}>`
    if (v !== null && typeof v === 'object') return `<${k}>${Object.entries(v).map(([kk, vv]) => node(kk, vv)).join('')}</${k}>`
    return `<${k}>${esc(String(v ?? ''))}</${k}>`
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n${node('response', o)}`
}

export function feverRoutes(app: Hono, d: ReaderApiDeps): void {
  const { store } = d
  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ api_version: 3, auth: 0, error: 'too large' }, 413) })

  const handler = async (c: Context) => {
    const form = c.req.method === 'POST' && /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(c.req.header('content-type') ?? '')
      ? await c.req.parseBody() : {}
    const q = c.req.query()
    /** Apps send the commands in the query and the key in the form; some put either anywhere. */
    const p = (k: string): string | undefined => {
      const f = form[k]
      return typeof f === 'string' ? f : q[k]
    }
    const has = (k: string) => p(k) !== undefined
    const send = (o: Obj, status = 200) => {
      c.header('cache-control', 'no-store')
      return has('xml') ? c.body(toXml(o), status as 200, { 'content-type': 'text/xml; charset=utf-8' }) : c.json(o, status as 200)
    }
    const base: Obj = { api_version: 3, auth: 0 }

    const ipKey = `fever:fail:ip:${ipOf(c, d)}`
    const lock = await ipBlocked(d, ipKey)
    if (!lock.ok) {
      c.header('retry-after', String(lock.retryAfterSeconds))
      return send(base, 429)
    }
    const key = (p('api_key') ?? '').trim().toLowerCase()
    const user = /^[0-9a-f]{32}$/.test(key) ? await store.findUserByFeverKey(key) : null
    if (!user || user.bannedAt) {
      await store.hitRateLimit(ipKey, d.limits.loginWindowMs, d.now().toISOString())
      return send(base)
    }
    return send(await answer(user, p, has))
  }

  const answer = async (user: User, p: (k: string) => string | undefined, has: (k: string) => boolean): Promise<Obj> => {
    const sources = await readerSources(store)
    const lastRefreshed = sources.reduce((m, s) => Math.max(m, unix(s.lastSuccessAt)), 0)
    const out: Obj = { api_version: 3, auth: 1, last_refreshed_on_time: lastRefreshed }
    const folders = foldersOf(sources, d.siteTitle)
    const now = d.now()
    const feedsGroups = () => folders.map((f) => ({ group_id: f.groupId, feed_ids: f.sourceIds.join(',') }))

    // Marks first, so the same call's lists show them.
    const mark = p('mark')
    const as = p('as')
    const id = intParam(p('id'))
    if (mark && as && id !== null) {
      const t = now.toISOString()
      if (mark === 'item' && id > 0) {
        if (as === 'read' || as === 'unread') await store.setItemsRead(user.id, [id], as === 'read', t)
        if (as === 'saved' || as === 'unsaved') await store.setItemsStarred(user.id, [id], as === 'saved', t)
      } else if ((mark === 'feed' || mark === 'group') && as === 'read') {
        // `before`: the time of the app's last fetch; what arrived after it stays unread.
        const before = intParam(p('before'))
        const upTo = new Date(before !== null && before > 0 ? Math.min(before * 1000, now.getTime()) : now.getTime()).toISOString()
        if (mark === 'feed') await store.markAllRead(user.id, { sourceIds: [id], upTo }, t)
        else if (id === 0) await store.markAllRead(user.id, { upTo }, t)
        else if (id > 0) await store.markAllRead(user.id, { sourceIds: folders.find((f) => f.groupId === id)?.sourceIds ?? [], upTo }, t)
        // Group -1 (sparks): we have none.
      }
      if (as === 'read' || as === 'unread') out['unread_item_ids'] = await ids(user, { read: false })
      if (as === 'saved' || as === 'unsaved') out['saved_item_ids'] = await ids(user, { starred: true })
    }

    if (has('groups')) {
      out['groups'] = folders.map((f) => ({ id: f.groupId, title: f.label }))
      out['feeds_groups'] = feedsGroups()
    }
    if (has('feeds')) {
      out['feeds'] = sources.map((s) => ({
        id: s.id, favicon_id: 0, title: s.title, url: s.url, site_url: s.siteUrl ?? s.url, is_spark: 0,
        last_updated_on_time: unix(s.lastSuccessAt),
      }))
      out['feeds_groups'] = feedsGroups()
    }
    if (has('favicons')) out['favicons'] = []
    if (has('links')) out['links'] = []
    if (has('unread_item_ids')) out['unread_item_ids'] = await ids(user, { read: false })
    if (has('saved_item_ids')) out['saved_item_ids'] = await ids(user, { starred: true })
    if (has('items')) {
      const withIds = p('with_ids')
      const since = intParam(p('since_id'))
      const max = intParam(p('max_id'))
      let refs
      if (withIds !== undefined) {
        refs = (await store.readerStream({ userId: user.id, limit: ITEMS_PER_CALL, order: 'id-asc', ids: idList(withIds, ITEMS_PER_CALL) })).items
      } else if (since !== null) {
        refs = (await store.readerStream({ userId: user.id, limit: ITEMS_PER_CALL, order: 'id-asc', afterId: Math.max(0, since) })).items
      } else if (max !== null && max > 0) {
        refs = (await store.readerStream({ userId: user.id, limit: ITEMS_PER_CALL, order: 'id-desc', beforeId: max })).items
      } else {
        refs = (await store.readerStream({ userId: user.id, limit: ITEMS_PER_CALL, order: 'id-desc' })).items
      }
      const items = new Map((await store.readerItems(user.id, refs.map((r) => r.id))).map((i) => [i.id, i]))
      out['items'] = refs.flatMap((r) => { const it = items.get(r.id); return it ? [itemJson(it)] : [] })
      out['total_items'] = await store.countArticles()
    }
    return out
  }

  const ids = async (user: User, f: { read?: boolean; starred?: boolean }) =>
    (await store.readerStream({ userId: user.id, limit: ALL_IDS, order: 'id-asc', ...f })).items.map((r) => r.id).join(',')

  const itemJson = (it: ReaderItem) => ({
    id: it.id, feed_id: it.sourceId, title: it.title, author: it.authorName ?? '', html: it.html, url: it.url,
    is_saved: it.starred ? 1 : 0, is_read: it.read ? 1 : 0, created_on_time: unix(it.published ?? it.sortAt),
  })

  for (const path of [FEVER_PATH, `${FEVER_PATH}/`]) {
    app.post(path, limit, handler)
    app.get(path, handler)
  }
}
