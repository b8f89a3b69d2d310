import { sql, type Kysely, type Selectable } from 'kysely'
import type { IsoDate, Tag } from '../domain/types.js'
import type { DB, SavedSearchesTable } from './schema.js'
import type { AuthorProfile, NewSavedSearch, SavedSearch } from './store.js'

/** Discovery: busy hashtags, authors by slug, readers' saved searches (the KyselyStore delegates here). */

const iso = (v: string | Date) => (v instanceof Date ? v : new Date(v)).toISOString()
/** Beyond this, a reader's next save is refused (a form that posts in a loop must not fill the table). */
export const MAX_SAVED_SEARCHES = 100

function toSaved(r: Selectable<SavedSearchesTable>): SavedSearch {
  return {
    id: r.id, userId: r.user_id, name: r.name, query: r.query, sourceId: r.source_id, lang: r.lang,
    from: r.from_date, to: r.to_date, feedToken: r.feed_token, createdAt: iso(r.created_at),
  }
}

export async function busyTags(db: Kysely<DB>, q: { since: IsoDate; limit: number; window?: number }): Promise<(Tag & { count: number })[]> {
  const window = Math.max(1, Math.min(q.window ?? 2_000, 20_000))
  const recent = db.selectFrom('articles').select('id').where('sort_at', '>=', q.since)
    .orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(window)
  const rows = await db.selectFrom('article_tags as at')
    .innerJoin('tags as t', 't.id', 'at.tag_id')
    .where('at.article_id', 'in', recent)
    .select((eb) => ['t.slug', 't.label', eb.fn.countAll<number | string>().as('n')])
    .groupBy(['t.id', 't.slug', 't.label'])
    .orderBy(sql`count(*)`, 'desc').orderBy('t.slug')
    .limit(Math.max(1, Math.min(q.limit, 100))).execute()
  return rows.map((r) => ({ slug: r.slug, label: r.label, count: Number(r.n) }))
}

export async function getAuthor(db: Kysely<DB>, slug: string): Promise<AuthorProfile | null> {
  // The first spelling stored names the page; a bio from any spelling is better than none.
  const rows = await db.selectFrom('authors').select(['name', 'bio']).where('slug', '=', slug).orderBy('id').limit(20).execute()
  const first = rows[0]
  if (!first) return null
  return { slug, name: first.name, bio: rows.find((r) => r.bio)?.bio ?? null }
}

export async function createSavedSearch(db: Kysely<DB>, s: NewSavedSearch, now: IsoDate): Promise<SavedSearch> {
  const row = await db.insertInto('saved_searches').values({
    user_id: s.userId, name: s.name, query: s.query, source_id: s.sourceId, lang: s.lang,
    from_date: s.from, to_date: s.to, feed_token: s.feedToken, created_at: now,
  }).returningAll().executeTakeFirstOrThrow()
  return toSaved(row)
}

export async function countSavedSearches(db: Kysely<DB>, userId: number): Promise<number> {
  const r = await db.selectFrom('saved_searches').select((eb) => eb.fn.countAll<number | string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function listSavedSearches(db: Kysely<DB>, userId: number): Promise<SavedSearch[]> {
  const rows = await db.selectFrom('saved_searches').selectAll().where('user_id', '=', userId).orderBy('id').limit(MAX_SAVED_SEARCHES * 2).execute()
  return rows.map(toSaved)
}

export async function renameSavedSearch(db: Kysely<DB>, id: number, userId: number, name: string): Promise<boolean> {
  const r = await db.updateTable('saved_searches').set({ name }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function deleteSavedSearch(db: Kysely<DB>, id: number, userId: number): Promise<boolean> {
  const r = await db.deleteFrom('saved_searches').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function findSavedSearchByToken(db: Kysely<DB>, token: string): Promise<SavedSearch | null> {
  if (token.length === 0 || token.length > 100) return null
  const r = await db.selectFrom('saved_searches').selectAll().where('feed_token', '=', token).executeTakeFirst()
  return r ? toSaved(r) : null
}
