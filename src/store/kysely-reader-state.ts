import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, type Transaction } from 'kysely'
import type { IsoDate, User } from '../domain/types.js'
import type { DB } from './schema.js'
import type { AppPassword, ReaderCount, ReaderItem, ReaderRef, ReaderStreamQuery } from './store.js'
import { getUser } from './kysely-community.js'

/**
 * Reader apps' state (migration 012). An article is read for a reader when their item_states row
 * says so, else when it was fetched at or before their read horizon (`reader_apps.read_before`).
 * Rows that only repeat the horizon's answer and hold no star are deleted: the table stays small.
 */

function iso(v: string | Date | null | undefined): IsoDate | null {
  if (v === null || v === undefined) return null
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
const isoReq = (v: string | Date): IsoDate => iso(v) ?? new Date(0).toISOString()

/** Both databases limit a statement's parameters: ids go in chunks. */
const CHUNK = 500
/** ClientLogin tokens kept per reader (one per app and device, in practice). */
const MAX_TOKENS = 20
const MAX_PAGE = 100_000

const validIds = (ids: number[]) => [...new Set(ids.filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647))]
const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK))

type Db = Kysely<DB> | Transaction<DB>

async function horizon(db: Db, userId: number): Promise<IsoDate | null> {
  const r = await db.selectFrom('reader_apps').select('read_before').where('user_id', '=', userId).executeTakeFirst()
  return iso(r?.read_before)
}

const readByDefault = (fetchedAt: IsoDate, h: IsoDate | null) => h !== null && Date.parse(fetchedAt) <= Date.parse(h)

// ─────────────── app passwords and tokens ───────────────

export async function setAppPassword(db: Kysely<DB>, userId: number, p: { passwordHash: string; feverKey: string; readBefore: IsoDate }, now: IsoDate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('reader_apps')
      .values({ user_id: userId, password_hash: p.passwordHash, fever_key: p.feverKey, password_set_at: now, read_before: p.readBefore })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({
        password_hash: p.passwordHash, fever_key: p.feverKey, password_set_at: now,
        read_before: sql`coalesce(${sql.ref('reader_apps.read_before')}, ${sql.ref('excluded.read_before')})`,
      })).execute()
    await trx.deleteFrom('reader_tokens').where('user_id', '=', userId).execute()
  })
}

export async function revokeAppPassword(db: Kysely<DB>, userId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('reader_apps').set({ password_hash: null, fever_key: null, password_set_at: null }).where('user_id', '=', userId).execute()
    await trx.deleteFrom('reader_tokens').where('user_id', '=', userId).execute()
  })
}

export async function getAppPassword(db: Kysely<DB>, userId: number): Promise<AppPassword | null> {
  const r = await db.selectFrom('reader_apps').select(['password_hash', 'fever_key', 'password_set_at']).where('user_id', '=', userId).executeTakeFirst()
  if (!r || r.password_hash === null || r.fever_key === null || r.password_set_at === null) return null
  return { passwordHash: r.password_hash, feverKey: r.fever_key, setAt: isoReq(r.password_set_at) }
}

export async function findUserByFeverKey(db: Kysely<DB>, feverKey: string): Promise<User | null> {
  const r = await db.selectFrom('reader_apps').select('user_id').where('fever_key', '=', feverKey).executeTakeFirst()
  return r ? getUser(db, r.user_id) : null
}

export async function createReaderToken(db: Kysely<DB>, tokenHash: string, userId: number, now: IsoDate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('reader_tokens').values({ id: tokenHash, user_id: userId, created_at: now }).execute()
    const keep = await trx.selectFrom('reader_tokens').select('id').where('user_id', '=', userId)
      .orderBy('created_at', 'desc').orderBy('id').limit(MAX_TOKENS).execute()
    await trx.deleteFrom('reader_tokens').where('user_id', '=', userId).where('id', 'not in', keep.map((k) => k.id)).execute()
  })
}

export async function findReaderToken(db: Kysely<DB>, tokenHash: string): Promise<User | null> {
  const r = await db.selectFrom('reader_tokens').select('user_id').where('id', '=', tokenHash).executeTakeFirst()
  return r ? getUser(db, r.user_id) : null
}

// ─────────────── streams ───────────────

/** Articles with this reader's state row (if any) joined. */
function stateQuery(db: Db, userId: number) {
  return db.selectFrom('articles as a')
    .leftJoin('item_states as st', (j) => j.onRef('st.article_id', '=', 'a.id').on('st.user_id', '=', userId))
}
type StateQuery = ReturnType<typeof stateQuery>
type StateDb = StateQuery extends SelectQueryBuilder<infer D, infer _T, infer _O> ? D : never

/** The read (or unread) condition under horizon `h`: the horizon's answer unless the row says otherwise. */
function readWhere<O>(q: SelectQueryBuilder<StateDb, 'a' | 'st', O>, read: boolean, h: IsoDate | null): SelectQueryBuilder<StateDb, 'a' | 'st', O> {
  const want = read ? 1 : 0
  if (h === null) return read ? q.where('st.is_read', '=', 1) : q.where((eb) => eb.or([eb('st.is_read', 'is', null), eb('st.is_read', '=', 0)]))
  return q.where((eb) => eb.or([
    eb('st.is_read', '=', want),
    eb.and([eb('st.is_read', 'is', null), eb('a.fetched_at', read ? '<=' : '>', h)]),
  ]))
}

function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}
function decodeCursor(c: string | null | undefined): unknown[] | null {
  if (!c || c.length > 200) return null
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'))
    return Array.isArray(v) ? v : null
  } catch {
    return null
  }
}

export async function readerStream(db: Kysely<DB>, q: ReaderStreamQuery): Promise<{ items: ReaderRef[]; next: string | null }> {
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(q.limit) || 1))
  const order = q.order ?? 'newest'
  const h = await horizon(db, q.userId)
  let query = stateQuery(db, q.userId).select(['a.id', 'a.source_id', 'a.sort_at', 'a.fetched_at', 'st.is_read', 'st.starred_at'])
  if (q.sourceIds !== undefined) {
    if (q.sourceIds.length === 0) return { items: [], next: null }
    query = query.where('a.source_id', 'in', q.sourceIds.slice(0, CHUNK))
  }
  if (q.ids !== undefined) {
    const ids = validIds(q.ids).slice(0, CHUNK * 2)
    if (ids.length === 0) return { items: [], next: null }
    query = query.where('a.id', 'in', ids)
  }
  if (q.read !== undefined) query = readWhere(query, q.read, h)
  if (q.starred !== undefined) query = query.where('st.starred_at', q.starred ? 'is not' : 'is', null)
  if (q.since !== undefined) query = query.where('a.sort_at', '>=', q.since)
  if (q.until !== undefined) query = query.where('a.sort_at', '<', q.until)
  if (q.afterId !== undefined) query = query.where('a.id', '>', q.afterId)
  if (q.beforeId !== undefined) query = query.where('a.id', '<', q.beforeId)

  const c = decodeCursor(q.cursor)
  if (order === 'newest' || order === 'oldest') {
    const op = order === 'newest' ? '<' : '>'
    if (c && typeof c[0] === 'string' && typeof c[1] === 'number' && !Number.isNaN(Date.parse(c[0]))) {
      const [at, id] = c as [string, number]
      query = query.where((eb) => eb.or([eb('a.sort_at', op, at), eb.and([eb('a.sort_at', '=', at), eb('a.id', op, id)])]))
    }
    const dir = order === 'newest' ? 'desc' : 'asc'
    query = query.orderBy('a.sort_at', dir).orderBy('a.id', dir)
  } else {
    if (c && typeof c[0] === 'number') query = query.where('a.id', order === 'id-asc' ? '>' : '<', c[0])
    query = query.orderBy('a.id', order === 'id-asc' ? 'asc' : 'desc')
  }
  const rows = await query.limit(limit + 1).execute()
  const more = rows.length > limit
  const page = rows.slice(0, limit)
  const items = page.map((r) => {
    const fetchedAt = isoReq(r.fetched_at)
    return {
      id: r.id, sourceId: r.source_id, sortAt: isoReq(r.sort_at), fetchedAt,
      read: r.is_read === null || r.is_read === undefined ? readByDefault(fetchedAt, h) : Number(r.is_read) === 1,
      starred: r.starred_at !== null && r.starred_at !== undefined,
    }
  })
  const last = items[items.length - 1]
  const next = more && last ? encodeCursor(order === 'newest' || order === 'oldest' ? [last.sortAt, last.id] : [last.id]) : null
  return { items, next }
}

export async function readerItems(db: Kysely<DB>, userId: number, ids: number[]): Promise<ReaderItem[]> {
  const h = await horizon(db, userId)
  const out: ReaderItem[] = []
  for (const chunk of chunks(validIds(ids))) {
    const rows = await stateQuery(db, userId)
      .innerJoin('sources as s', 's.id', 'a.source_id')
      .leftJoin('authors as au', 'au.id', 'a.author_id')
      .select([
        'a.id', 'a.source_id', 'a.sort_at', 'a.fetched_at', 'a.url', 'a.canonical_url', 'a.title', 'a.published', 'a.html', 'a.lang',
        's.title as source_title', 'au.name as author_name', 'st.is_read', 'st.starred_at',
      ])
      .where('a.id', 'in', chunk).orderBy('a.id').execute()
    for (const r of rows) {
      const fetchedAt = isoReq(r.fetched_at)
      out.push({
        id: r.id, sourceId: r.source_id, sortAt: isoReq(r.sort_at), fetchedAt,
        read: r.is_read === null || r.is_read === undefined ? readByDefault(fetchedAt, h) : Number(r.is_read) === 1,
        starred: r.starred_at !== null && r.starred_at !== undefined, starredAt: iso(r.starred_at),
        url: r.url, canonicalUrl: r.canonical_url, title: r.title, authorName: r.author_name ?? null,
        published: iso(r.published), html: r.html, lang: r.lang, sourceTitle: r.source_title,
      })
    }
  }
  return out.sort((x, y) => x.id - y.id)
}

export async function readerUnreadCounts(db: Kysely<DB>, userId: number): Promise<ReaderCount[]> {
  const h = await horizon(db, userId)
  const rows = await readWhere(stateQuery(db, userId), false, h)
    .select((eb) => ['a.source_id', eb.fn.countAll<number | string>().as('n'), eb.fn.max('a.sort_at').as('newest')])
    .groupBy('a.source_id').orderBy('a.source_id').execute()
  return rows.map((r) => ({ sourceId: r.source_id, unread: Number(r.n), newestAt: isoReq(r.newest as string | Date) }))
}

// ─────────────── changing state ───────────────

/** Drops rows that say nothing the horizon does not, and hold no star. */
async function prune(trx: Db, userId: number, ids?: number[]): Promise<void> {
  let q = trx.deleteFrom('item_states').where('user_id', '=', userId).where('is_read', 'is', null).where('starred_at', 'is', null)
  if (ids) q = q.where('article_id', 'in', ids)
  await q.execute()
}

async function setRead(trx: Db, userId: number, ids: number[], read: boolean, now: IsoDate): Promise<void> {
  const h = await horizon(trx, userId)
  for (const chunk of chunks(validIds(ids))) {
    const arts = await trx.selectFrom('articles').select(['id', 'fetched_at']).where('id', 'in', chunk).execute()
    const asDefault = arts.filter((a) => readByDefault(isoReq(a.fetched_at), h) === read).map((a) => a.id)
    const explicit = arts.filter((a) => readByDefault(isoReq(a.fetched_at), h) !== read).map((a) => a.id)
    if (asDefault.length) {
      await trx.updateTable('item_states').set({ is_read: null, read_changed_at: now })
        .where('user_id', '=', userId).where('article_id', 'in', asDefault).execute()
      await prune(trx, userId, asDefault)
    }
    if (explicit.length) {
      const value = read ? 1 : 0
      await trx.insertInto('item_states')
        .values(explicit.map((id) => ({ user_id: userId, article_id: id, is_read: value, read_changed_at: now, starred_at: null })))
        .onConflict((oc) => oc.columns(['user_id', 'article_id']).doUpdateSet({ is_read: value, read_changed_at: now }))
        .execute()
    }
  }
}

export async function setItemsRead(db: Kysely<DB>, userId: number, ids: number[], read: boolean, now: IsoDate): Promise<void> {
  await db.transaction().execute((trx) => setRead(trx, userId, ids, read, now))
}

export async function setItemsStarred(db: Kysely<DB>, userId: number, ids: number[], starred: boolean, now: IsoDate): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const chunk of chunks(validIds(ids))) {
      if (!starred) {
        await trx.updateTable('item_states').set({ starred_at: null }).where('user_id', '=', userId).where('article_id', 'in', chunk).execute()
        await prune(trx, userId, chunk)
        continue
      }
      const arts = await trx.selectFrom('articles').select('id').where('id', 'in', chunk).execute()
      if (arts.length === 0) continue
      // Starring again keeps the first star's time.
      await trx.insertInto('item_states')
        .values(arts.map((a) => ({ user_id: userId, article_id: a.id, is_read: null, read_changed_at: null, starred_at: now })))
        .onConflict((oc) => oc.columns(['user_id', 'article_id']).doUpdateSet({
          starred_at: sql`coalesce(${sql.ref('item_states.starred_at')}, ${sql.ref('excluded.starred_at')})`,
        })).execute()
    }
  })
}

export async function markAllRead(db: Kysely<DB>, userId: number, q: { sourceIds?: number[]; upTo: IsoDate }, now: IsoDate): Promise<void> {
  if (Number.isNaN(Date.parse(q.upTo))) throw new Error(`store: not a time: ${q.upTo}`)
  await db.transaction().execute(async (trx) => {
    if (q.sourceIds === undefined) {
      // Everything: the horizon moves (never back), and the rows it now covers go.
      const h = await horizon(trx, userId)
      const next = h !== null && Date.parse(h) > Date.parse(q.upTo) ? h : q.upTo
      await trx.insertInto('reader_apps').values({ user_id: userId, password_hash: null, fever_key: null, password_set_at: null, read_before: next })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ read_before: next })).execute()
      const covered = (upTo: IsoDate, values: number[]): Expression<SqlBool> => sql<SqlBool>`${sql.ref('is_read')} in (${sql.join(values)}) and ${sql.ref('article_id')} in (select id from articles where fetched_at <= ${upTo})`
      await trx.updateTable('item_states').set({ is_read: null, read_changed_at: now }).where('user_id', '=', userId)
        .where((eb) => eb.or([covered(q.upTo, [0, 1]), covered(next, [1])])).execute()
      await prune(trx, userId)
      return
    }
    for (const sources of chunks(validIds(q.sourceIds))) {
      const h = await horizon(trx, userId)
      const unread = await readWhere(stateQuery(trx, userId), false, h).select('a.id')
        .where('a.source_id', 'in', sources).where('a.fetched_at', '<=', q.upTo).execute()
      await setRead(trx, userId, unread.map((r) => r.id), true, now)
    }
  })
}
