import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely'
import type {
  Article, ArticleInput, ArticleSummary, ClusterRecord, IsoDate, NewSource, Page, PickedLink, PlacedBy, Revision, SiteRule,
  Source, StoryDecision, StoryDetail, StoryPlacement, StorySummary, Tag,
} from '../domain/types.js'
import type { DB, SourcesTable, StoriesTable } from './schema.js'
import type { AiFeature, AiOptOut, AiTask, AiTaskKey, AiTaskOutcome, AiTaskStatus, AiUsage, Enrichment, PollHints } from '../domain/types.js'
import type { AiTasksTable } from './schema.js'
import type { WebSubSubscription } from '../domain/types.js'
import type { WebSubSubscriptionsTable } from './schema.js'
import type { NewWebSub, WebSubPatch } from './store.js'
import type { DialectSpec } from './dialects/dialect.js'
import type { ListQuery, SaveStatus, SearchQuery, SourcePatch, SourceWithStats, Store } from './store.js'
import type { ArticleRef } from './store.js'
import { identityKeys } from '../pipeline/diff/url-key.js'
import { isMeaningfulEdit } from '../pipeline/diff/normalize.js'
import { parseSearch } from './search-query.js'
import { tagSlug } from '../pipeline/enrich/tags.js'
import * as community from './kysely-community.js'
import * as health from './kysely-health.js'
import * as pages from './kysely-pages.js'
import { decodeCursor, encodeCursor, iso, isoReq } from './cursor.js'
import * as discovery from './kysely-saved-searches.js'
import { authorSlug } from '../pipeline/enrich/author-slug.js'
import * as readerState from './kysely-reader-state.js'

const EXCERPT_CHARS = 400
/**
 * Search ranks the newest this-many matches (more when a page reaches past them): relevance among
 * recent articles, which is what a news reader wants, at a bounded cost however common the words are.
 */
export const SEARCH_WINDOW = 2_000
/** Earlier versions kept per article; a page that changes on every fetch must not grow without bound. */
const MAX_REVISIONS = 50
/** Articles each tag brings to articlesSharingTags, on either side of the subject (more when asked for more). */
const TAG_NEIGHBOURS = 50


function json<T>(s: string | null, fallback: T): T {
  if (!s) return fallback
  try {
    return JSON.parse(s) as T
  } catch {
    return fallback
  }
}

function toSource(r: Selectable<SourcesTable>): Source {
  return {
    id: r.id,
    kind: r.kind === 'site' || r.kind === 'sitemap' ? r.kind : 'feed',
    url: r.url,
    siteUrl: r.site_url,
    title: r.title,
    description: r.description,
    language: r.language,
    etag: r.etag,
    lastModified: r.last_modified,
    errorCount: r.error_count,
    lastErrorCode: r.last_error_code,
    lastErrorMessage: r.last_error_message,
    lastFetchedAt: iso(r.last_fetched_at),
    lastSuccessAt: iso(r.last_success_at),
    nextCheckAt: isoReq(r.next_check_at),
    failingSince: iso(r.failing_since),
    pausedAt: iso(r.paused_at),
    pauseReason: r.pause_reason,
    pollHints: json<PollHints | null>(r.poll_hints, null),
    createdAt: isoReq(r.created_at),
    rule: json<SiteRule | null>(r.rule, null),
    pickedLinks: json<PickedLink[] | null>(r.picked_links, null),
    pushActiveUntil: iso(r.push_active_until),
    aiPolicy: r.ai_policy === 'allow' || r.ai_policy === 'deny' ? r.ai_policy : 'follow',
    aiOptOut: json<AiOptOut | null>(r.ai_optout, null),
  }
}

function toWebSub(r: Selectable<WebSubSubscriptionsTable>): WebSubSubscription {
  const state = r.state === 'active' || r.state === 'denied' || r.state === 'expired' ? r.state : 'pending'
  return {
    sourceId: r.source_id,
    hub: r.hub,
    topic: r.topic,
    token: r.token,
    secret: r.secret,
    state,
    leaseSeconds: r.lease_seconds,
    leaseExpiresAt: iso(r.lease_expires_at),
    renewAt: iso(r.renew_at),
    requestedAt: iso(r.requested_at),
    verifiedAt: iso(r.verified_at),
    lastPushAt: iso(r.last_push_at),
    lastErrorCode: r.last_error_code,
    lastErrorMessage: r.last_error_message,
    createdAt: isoReq(r.created_at),
  }
}


const placedBy = (v: string | null): PlacedBy | null => (v === 'content' || v === 'duplicate' || v === 'operator' ? v : null)

function toStorySummary(r: Selectable<StoriesTable>): StorySummary {
  return {
    id: r.id,
    title: r.title,
    firstAt: isoReq(r.first_at),
    lastAt: isoReq(r.last_at),
    articleCount: Number(r.article_count),
    sourceCount: Number(r.source_count),
  }
}

/** The one Store implementation; the dialect supplies ids, timestamps and full-text search. */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres'
  /** The stored pages' own read connection (SQLite on a file), once asked for: undefined before, null when there is none. */
  private pageReader: pages.SyncPageReader | null | undefined
  /** `readConnection` opens a read-only connection to the same database without waiting (SQLite on a file). */
  constructor(private readonly db: Kysely<DB>, private readonly spec: DialectSpec, private readonly readConnection?: () => pages.SyncDatabase) {
    this.dialect = spec.name
  }
  /** @internal */ get kysely(): Kysely<DB> { return this.db }

  async close(): Promise<void> {
    this.pageReader?.close()
    this.pageReader = null
    await this.db.destroy()
  }

  async getSetting(key: string): Promise<string | null> {
    const r = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
    return r?.value ?? null
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db.insertInto('settings').values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute()
  }

  async paceHost(host: string, opts: { intervalMs: number; burst: number; now: number }): Promise<number> {
    const interval = Math.max(0, Math.floor(opts.intervalMs))
    if (interval === 0) return 0
    const now = Math.floor(opts.now)
    // tat' = max(tat, now) + interval; this start may begin at tat' − burst·interval (or now).
    const row = await this.db.insertInto('host_pacing').values({ host, tat: now + interval })
      .onConflict((oc) => oc.column('host').doUpdateSet({
        tat: sql<number>`case when ${sql.ref('host_pacing.tat')} > ${now} then ${sql.ref('host_pacing.tat')} else ${now} end + ${interval}`,
      }))
      .returning('tat').executeTakeFirstOrThrow()
    return Math.max(0, Number(row.tat) - Math.max(1, Math.floor(opts.burst)) * interval - now)
  }

  async settingOnce(key: string, value: string): Promise<string> {
    await this.db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute()
    return (await this.getSetting(key)) ?? value
  }

  // ─────────────── sources ───────────────

  async addSource(input: NewSource, now: IsoDate): Promise<{ source: Source; created: boolean }> {
    const row = await this.db.insertInto('sources').values({
      kind: input.kind,
      url: input.url,
      site_url: input.siteUrl ?? null,
      title: input.title?.trim() || new URL(input.url).hostname,
      description: input.description ?? null,
      language: input.language ?? null,
      etag: null,
      last_modified: null,
      last_error_code: null,
      last_error_message: null,
      last_fetched_at: null,
      last_success_at: null,
      next_check_at: now,
      created_at: now,
      rule: input.rule ? JSON.stringify(input.rule) : null,
    }).onConflict((oc) => oc.column('url').doNothing()).returningAll().executeTakeFirst()
    if (row) return { source: toSource(row), created: true }
    const existing = await this.findSourceByUrl(input.url)
    if (!existing) throw new Error(`store: source ${input.url} neither inserted nor found`)
    return { source: existing, created: false }
  }

  async getSource(id: number): Promise<Source | null> {
    const r = await this.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst()
    return r ? toSource(r) : null
  }

  async findSourceByUrl(url: string): Promise<Source | null> {
    const r = await this.db.selectFrom('sources').selectAll().where('url', '=', url).executeTakeFirst()
    return r ? toSource(r) : null
  }

  async listSources(): Promise<SourceWithStats[]> {
    const rows = await this.db.selectFrom('sources as s')
      .leftJoin('articles as a', 'a.source_id', 's.id')
      .selectAll('s')
      .select((eb) => [eb.fn.count<number>('a.id').as('article_count'), eb.fn.max('a.sort_at').as('latest_at')])
      .groupBy('s.id')
      .orderBy('s.title')
      .execute()
    return rows.map((r) => ({ ...toSource(r), articleCount: Number(r.article_count), latestArticleAt: iso(r.latest_at as string | Date | null) }))
  }

  async dueSources(now: IsoDate, limit: number): Promise<Source[]> {
    const rows = await this.db.selectFrom('sources').selectAll()
      .where('next_check_at', '<=', now).where('paused_at', 'is', null)
      .orderBy('next_check_at').orderBy('id').limit(limit).execute()
    return rows.map(toSource)
  }

  async recentArticleTimes(sourceId: number, limit: number): Promise<IsoDate[]> {
    const rows = await this.db.selectFrom('articles').select('sort_at').where('source_id', '=', sourceId)
      .orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(Math.max(0, Math.min(limit, 500))).execute()
    return rows.map((r) => isoReq(r.sort_at))
  }

  async updateSource(id: number, p: SourcePatch): Promise<void> {
    const set: Record<string, unknown> = {}
    const map: [keyof SourcePatch, keyof SourcesTable][] = [
      ['title', 'title'], ['siteUrl', 'site_url'], ['description', 'description'], ['language', 'language'],
      ['etag', 'etag'], ['lastModified', 'last_modified'], ['errorCount', 'error_count'],
      ['lastErrorCode', 'last_error_code'], ['lastErrorMessage', 'last_error_message'],
      ['lastFetchedAt', 'last_fetched_at'], ['lastSuccessAt', 'last_success_at'], ['nextCheckAt', 'next_check_at'],
      ['failingSince', 'failing_since'], ['pausedAt', 'paused_at'], ['pauseReason', 'pause_reason'],
    ]
    for (const [k, col] of map) if (p[k] !== undefined) set[col] = p[k]
    if (p.pollHints !== undefined) set['poll_hints'] = p.pollHints === null ? null : JSON.stringify(p.pollHints)
    // JSON columns: null clears them.
    if (p.rule !== undefined) set['rule'] = p.rule === null ? null : JSON.stringify(p.rule)
    if (p.pickedLinks !== undefined) set['picked_links'] = p.pickedLinks === null ? null : JSON.stringify(p.pickedLinks)
    if (p.aiPolicy !== undefined) set['ai_policy'] = p.aiPolicy
    if (p.aiOptOut !== undefined) set['ai_optout'] = p.aiOptOut === null ? null : JSON.stringify(p.aiOptOut)
    if (Object.keys(set).length === 0) return
    await this.db.updateTable('sources').set(set).where('id', '=', id).execute()
  }

  async moveSource(id: number, url: string): Promise<boolean> {
    try {
      const r = await this.db.updateTable('sources').set({ url }).where('id', '=', id)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('sources as other').select('other.id').where('other.url', '=', url).where('other.id', '<>', id))))
        .executeTakeFirst()
      return Number(r.numUpdatedRows) > 0
    } catch (e) {
      // Another source took the URL at the same moment: the unique index says so (SQLite, Postgres 23505).
      if ((e as { code?: string }).code === '23505' || /UNIQUE constraint/i.test((e as Error).message)) return false
      throw e
    }
  }

  async deleteSource(id: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const stories = await trx.selectFrom('articles').select('story_id').distinct()
        .where('source_id', '=', id).where('story_id', 'is not', null).execute()
      const r = await trx.deleteFrom('sources').where('id', '=', id).executeTakeFirst()
      // Articles go by cascade; the stories they were in are counted again without them.
      await this.recountStories(trx, stories.map((s) => s.story_id), null)
      return Number(r.numDeletedRows) > 0
    })
  }

  // ─────────────── articles ───────────────

  async findArticleRef(q: { sourceId: number; guid: string; url: string; canonicalUrl?: string | null }): Promise<ArticleRef | null> {
    return this.matchArticle(this.db, q.sourceId, q.guid, identityKeys({ url: q.url, canonicalUrl: q.canonicalUrl ?? null }))
  }

  /** Identity within one source, strongest first (see ArticleRef); a live article before a deleted one at each level. */
  private async matchArticle(
    db: Kysely<DB>, sourceId: number, guid: string, keys: { urlKey: string | null; canonicalKey: string | null },
  ): Promise<ArticleRef | null> {
    const byGuid = await this.matchGuid(db, sourceId, guid)
    if (byGuid) return byGuid
    const wanted = [...new Set([keys.urlKey, keys.canonicalKey].filter((k): k is string => k !== null))]
    if (wanted.length === 0) return null
    // Each branch of the OR names the source, so SQLite, like Postgres, searches both indexes (a
    // "MULTI-INDEX OR") instead of scanning every article of the source.
    const live = await db.selectFrom('articles').select(['id', 'guid', 'item_hash', 'url_key', 'canonical_key'])
      .where((eb) => eb.or([
        eb.and([eb('source_id', '=', sourceId), eb('url_key', 'in', wanted)]),
        eb.and([eb('source_id', '=', sourceId), eb('canonical_key', 'in', wanted)]),
      ]))
      .orderBy('id').limit(20).execute()
    const dead = await db.selectFrom('article_tombstones').select(['article_id as id', 'guid', 'url_key', 'canonical_key'])
      .where((eb) => eb.or([
        eb.and([eb('source_id', '=', sourceId), eb('url_key', 'in', wanted)]),
        eb.and([eb('source_id', '=', sourceId), eb('canonical_key', 'in', wanted)]),
      ]))
      .orderBy('id').limit(20).execute()
    const byUrl = (r: { url_key: string | null; canonical_key: string | null }) =>
      keys.urlKey !== null && (r.url_key === keys.urlKey || r.canonical_key === keys.urlKey)
    const ranked = [
      ...live.map((r) => ({ level: byUrl(r) ? 0 : 1, ref: { id: r.id, guid: r.guid, itemHash: r.item_hash, deleted: false } })),
      ...dead.map((r) => ({ level: byUrl(r) ? 0 : 1, ref: { id: r.id, guid: r.guid, itemHash: '', deleted: true } })),
    ].sort((a, b) => a.level - b.level || Number(a.ref.deleted) - Number(b.ref.deleted))
    const best = ranked[0]
    return best ? { ...best.ref, matchedBy: best.level === 0 ? 'url' : 'canonical' } : null
  }

  private async matchGuid(db: Kysely<DB>, sourceId: number, guid: string): Promise<ArticleRef | null> {
    const live = await db.selectFrom('articles').select(['id', 'guid', 'item_hash'])
      .where('source_id', '=', sourceId).where('guid', '=', guid).executeTakeFirst()
    if (live) return { id: live.id, guid: live.guid, itemHash: live.item_hash, matchedBy: 'guid', deleted: false }
    const dead = await db.selectFrom('article_tombstones').select(['article_id', 'guid'])
      .where('source_id', '=', sourceId).where('guid', '=', guid).orderBy('id', 'desc').executeTakeFirst()
    return dead ? { id: dead.article_id, guid: dead.guid, itemHash: '', matchedBy: 'guid', deleted: true } : null
  }

  /** Which stored article a save goes to: `into` is the caller's decision; the GUID always wins (it is unique per source). */
  private async saveTarget(
    trx: Transaction<DB>, input: ArticleInput, keys: { urlKey: string | null; canonicalKey: string | null }, into: number | null | undefined,
  ): Promise<{ id: number | null; deleted: boolean }> {
    if (into === undefined) {
      const ref = await this.matchArticle(trx, input.sourceId, input.guid, keys)
      return ref ? { id: ref.id, deleted: ref.deleted } : { id: null, deleted: false }
    }
    const live = await trx.selectFrom('articles').select('id').where('source_id', '=', input.sourceId).where('guid', '=', input.guid).executeTakeFirst()
    if (live) return { id: live.id, deleted: false }
    if (into !== null) {
      const row = await trx.selectFrom('articles').select('id').where('id', '=', into).where('source_id', '=', input.sourceId).executeTakeFirst()
      if (row) return { id: row.id, deleted: false }
      // Deleted by an operator while its page was being fetched.
      const gone = await trx.selectFrom('article_tombstones').select('article_id').where('article_id', '=', into).executeTakeFirst()
      if (gone) return { id: into, deleted: true }
    }
    const dead = await this.matchGuid(trx, input.sourceId, input.guid)
    return dead?.deleted ? { id: dead.id, deleted: true } : { id: null, deleted: false }
  }

  async saveArticle(input: ArticleInput, now: IsoDate, opts: { into?: number | null } = {}): Promise<{ id: number; status: SaveStatus }> {
    const keys = identityKeys({ url: input.url, canonicalUrl: input.canonicalUrl })
    return this.db.transaction().execute(async (trx) => {
      const target = await this.saveTarget(trx, input, keys, opts.into)
      if (target.deleted && target.id !== null) return { id: target.id, status: 'deleted' as const }
      const authorId = input.author ? await this.upsertAuthor(trx, input.author) : null
      const published = iso(input.published)
      const values = {
        source_id: input.sourceId,
        guid: input.guid,
        url: input.url,
        canonical_url: input.canonicalUrl,
        url_key: keys.urlKey,
        canonical_key: keys.canonicalKey,
        title: input.title,
        author_id: authorId,
        published,
        updated: iso(input.updated),
        lang: input.lang,
        summary: input.summary,
        blocks: JSON.stringify(input.blocks),
        text: input.text,
        html: input.html,
        lead_image: input.leadImage,
        captions: JSON.stringify(input.captions),
        alt_links: JSON.stringify(input.altLinks),
        item_hash: input.itemHash,
        extract_error: input.extractError ? JSON.stringify(input.extractError) : null,
        cleanup: input.cleanup ? JSON.stringify(input.cleanup) : null,
        ...(input.enrichment !== undefined ? { enrichment: input.enrichment ? JSON.stringify(input.enrichment) : null } : {}),
        ...(input.aiOptOut !== undefined ? { ai_optout: input.aiOptOut ? JSON.stringify(input.aiOptOut) : null } : {}),
      }
      const existing = target.id === null ? undefined
        : await trx.selectFrom('articles').selectAll().where('id', '=', target.id).executeTakeFirst()
      // A refresh that could not read the page (no canonical URL this time) must not forget how to recognise it.
      if (existing && values.canonical_key === null) values.canonical_key = existing.canonical_key

      // A future date from a wrong clock must not pin an article to the top of every list.
      const sortAt = published && published < now ? published : now
      let id: number
      let status: SaveStatus
      if (!existing) {
        const row = await trx.insertInto('articles')
          .values({ ...values, fetched_at: now, sort_at: sortAt, revised_at: null })
          .returning('id').executeTakeFirstOrThrow()
        id = row.id
        status = 'created'
      } else {
        id = existing.id
        const changed = (Object.keys(values) as (keyof typeof values)[]).some((k) => {
          const a = values[k]
          const b = existing[k] as unknown
          return k === 'published' || k === 'updated' ? iso(b as string | Date | null) !== a : (b ?? null) !== (a ?? null)
        })
        // Only what a reader would notice is a revision: not whitespace, not invisible characters.
        const edited = isMeaningfulEdit(existing, input)
        if (edited) {
          await trx.insertInto('revisions').values({
            article_id: id, title: existing.title, text: existing.text, html: existing.html, replaced_at: now,
          }).execute()
          const beyond = await trx.selectFrom('revisions').select('id').where('article_id', '=', id)
            .orderBy('replaced_at', 'desc').orderBy('id', 'desc').limit(1000).offset(MAX_REVISIONS).execute()
          if (beyond.length > 0) await trx.deleteFrom('revisions').where('id', 'in', beyond.map((r) => r.id)).execute()
        }
        if (changed) {
          await trx.updateTable('articles').set({
            ...values,
            sort_at: published && published < now ? published : isoReq(existing.sort_at),
            ...(edited ? { revised_at: now } : {}),
          }).where('id', '=', id).execute()
        }
        status = changed ? 'updated' : 'unchanged'
      }
      const tagsChanged = await this.replaceTags(trx, id, input.tags)
      if (status === 'unchanged' && tagsChanged) status = 'updated'
      return { id, status }
    })
  }

  async deleteArticle(id: number, now: IsoDate): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const a = await trx.selectFrom('articles').select(['id', 'source_id', 'guid', 'url_key', 'canonical_key', 'title', 'story_id'])
        .where('id', '=', id).executeTakeFirst()
      if (!a) return false
      await trx.insertInto('article_tombstones').values({
        source_id: a.source_id, article_id: a.id, guid: a.guid, url_key: a.url_key, canonical_key: a.canonical_key, title: a.title, deleted_at: now,
      }).execute()
      // Revisions and tags go by cascade; SQLite's FTS trigger and Postgres's generated column follow the row.
      await trx.deleteFrom('articles').where('id', '=', id).execute()
      await trx.deleteFrom('ai_tasks').where('subject', '=', 'article').where('subject_id', '=', id).execute()
      await this.recountStories(trx, [a.story_id], now)
      return true
    })
  }

  private async upsertAuthor(trx: Transaction<DB>, a: { name: string; bio: string | null }): Promise<number> {
    const name = a.name.trim().slice(0, 200)
    const row = await trx.insertInto('authors').values({ name, bio: a.bio, slug: authorSlug(name) })
      .onConflict((oc) => oc.column('name').doUpdateSet({ bio: sql`coalesce(excluded.bio, authors.bio)` }))
      .returning('id').executeTakeFirstOrThrow()
    return row.id
  }

  /** Sets the article's tags; returns whether the set changed. */
  private async replaceTags(trx: Transaction<DB>, articleId: number, tags: Tag[]): Promise<boolean> {
    const wanted = new Map<string, string>()
    for (const t of tags) {
      const slug = tagSlug(t.slug || t.label)
      if (slug && !wanted.has(slug)) wanted.set(slug, t.label.trim() || slug)
    }
    const current = await trx.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id')
      .select('t.slug').where('at.article_id', '=', articleId).execute()
    const have = new Set(current.map((r) => r.slug))
    if (have.size === wanted.size && [...wanted.keys()].every((s) => have.has(s))) return false
    await trx.deleteFrom('article_tags').where('article_id', '=', articleId).execute()
    if (wanted.size === 0) return true
    await trx.insertInto('tags').values([...wanted].map(([slug, label]) => ({ slug, label })))
      .onConflict((oc) => oc.column('slug').doNothing()).execute()
    const ids = await trx.selectFrom('tags').select('id').where('slug', 'in', [...wanted.keys()]).execute()
    await trx.insertInto('article_tags').values(ids.map((r) => ({ article_id: articleId, tag_id: r.id }))).execute()
    return true
  }

  async getArticle(id: number): Promise<Article | null> {
    const r = await this.db.selectFrom('articles as a')
      .innerJoin('sources as s', 's.id', 'a.source_id')
      .leftJoin('authors as au', 'au.id', 'a.author_id')
      .selectAll('a')
      .select(['s.title as source_title', 'au.name as author_name', 'au.bio as author_bio'])
      .where('a.id', '=', id).executeTakeFirst()
    if (!r) return null
    const tags = await this.tagsFor([id])
    return {
      id: r.id,
      sourceId: r.source_id,
      sourceTitle: r.source_title,
      guid: r.guid,
      url: r.url,
      canonicalUrl: r.canonical_url,
      title: r.title,
      author: r.author_id !== null && r.author_name ? { id: r.author_id, name: r.author_name, bio: r.author_bio ?? null } : null,
      published: iso(r.published),
      updated: iso(r.updated),
      fetchedAt: isoReq(r.fetched_at),
      revisedAt: iso(r.revised_at),
      lang: r.lang,
      summary: r.summary,
      blocks: json(r.blocks, []),
      text: r.text,
      html: r.html,
      leadImage: r.lead_image,
      captions: json(r.captions, []),
      altLinks: json(r.alt_links, []),
      tags: tags.get(id) ?? [],
      itemHash: r.item_hash,
      extractError: json(r.extract_error, null),
      cleanup: json(r.cleanup, null),
      storyId: r.story_id,
      duplicateOf: r.duplicate_of,
      enrichment: json<Enrichment | null>(r.enrichment, null),
      aiOptOut: json<AiOptOut | null>(r.ai_optout, null),
    }
  }

  private summaryQuery() {
    return this.db.selectFrom('articles as a')
      .innerJoin('sources as s', 's.id', 'a.source_id')
      .leftJoin('authors as au', 'au.id', 'a.author_id')
      .select([
        'a.id', 'a.source_id', 's.title as source_title', 'a.url', 'a.title', 'au.name as author_name',
        'a.published', 'a.fetched_at', 'a.sort_at', 'a.lang', 'a.lead_image',
        sql<string>`substr(a.text, 1, ${sql.lit(EXCERPT_CHARS)})`.as('excerpt'),
      ])
  }

  private async toSummaries(rows: Awaited<ReturnType<ReturnType<KyselyStore['summaryQuery']>['execute']>>): Promise<ArticleSummary[]> {
    const tags = await this.tagsFor(rows.map((r) => r.id))
    return rows.map((r) => ({
      id: r.id,
      sourceId: r.source_id,
      sourceTitle: r.source_title,
      url: r.url,
      title: r.title,
      authorName: r.author_name ?? null,
      published: iso(r.published),
      fetchedAt: isoReq(r.fetched_at),
      lang: r.lang,
      leadImage: r.lead_image,
      excerpt: r.excerpt ?? '',
      tags: tags.get(r.id) ?? [],
    }))
  }

  private async tagsFor(ids: number[]): Promise<Map<number, Tag[]>> {
    const out = new Map<number, Tag[]>()
    if (ids.length === 0) return out
    const rows = await this.db.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id')
      .select(['at.article_id', 't.slug', 't.label']).where('at.article_id', 'in', ids).orderBy('t.slug').execute()
    for (const r of rows) {
      const list = out.get(r.article_id) ?? []
      list.push({ slug: r.slug, label: r.label })
      out.set(r.article_id, list)
    }
    return out
  }

  async listArticles(q: ListQuery): Promise<Page<ArticleSummary>> {
    const limit = Math.max(1, Math.min(q.limit, 200))
    let query = this.summaryQuery()
    if (q.sourceId !== undefined) query = query.where('a.source_id', '=', q.sourceId)
    if (q.tag !== undefined) {
      const slug = q.tag
      query = query.where((eb) => eb.exists(
        eb.selectFrom('article_tags as at').innerJoin('tags as t', 't.id', 'at.tag_id')
          .select('at.article_id').whereRef('at.article_id', '=', 'a.id').where('t.slug', '=', slug),
      ))
    }
    if (q.author !== undefined) {
      const slug = q.author
      query = query.where('a.author_id', 'in', (eb) => eb.selectFrom('authors').select('id').where('slug', '=', slug))
    }
    if (q.lang !== undefined) query = query.where(langMatch(q.lang))
    if (q.since !== undefined) query = query.where('a.sort_at', '>=', timeParam(q.since))
    if (q.until !== undefined) query = query.where('a.sort_at', '<', timeParam(q.until))
    const c = decodeCursor(q.cursor)
    if (c && typeof c[0] === 'string' && typeof c[1] === 'number') {
      const [at, id] = c as [string, number]
      query = query.where((eb) => eb.or([eb('a.sort_at', '<', at), eb.and([eb('a.sort_at', '=', at), eb('a.id', '<', id)])]))
    }
    const rows = await query.orderBy('a.sort_at', 'desc').orderBy('a.id', 'desc').limit(limit + 1).execute()
    const more = rows.length > limit
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return {
      items: await this.toSummaries(page),
      next: more && last ? encodeCursor([isoReq(last.sort_at), last.id]) : null,
    }
  }

  async searchArticles(q: SearchQuery): Promise<Page<ArticleSummary>> {
    const limit = Math.max(1, Math.min(q.limit, 100))
    const c = decodeCursor(q.cursor)
    const offset = c && typeof c[0] === 'number' && c[0] > 0 ? Math.min(c[0], 10_000) : 0
    // Filters go inside the ranking window, so a narrow filter still finds its older matches.
    const conds: RawBuilder<unknown>[] = []
    if (q.sourceId !== undefined) conds.push(sql`a.source_id = ${q.sourceId}`)
    if (q.lang !== undefined) conds.push(langMatch(q.lang))
    const at = (iso: string) => {
      const d = new Date(iso)
      if (Number.isNaN(d.getTime())) throw new Error(`store: searchArticles: not a time: ${iso}`)
      return this.spec.name === 'postgres' ? sql`${d.toISOString()}::timestamptz` : sql`${d.toISOString()}`
    }
    if (q.since !== undefined) conds.push(sql`a.sort_at >= ${at(q.since)}`)
    if (q.until !== undefined) conds.push(sql`a.sort_at < ${at(q.until)}`)
    const filter = conds.length ? sql.join(conds, sql` and `) : null
    const window = Math.max(SEARCH_WINDOW, offset + limit + 1)
    const matches = this.spec.searchMatches(parseSearch(q.query), { window, filter })
    if (!matches) return { items: [], next: null }
    const query = this.summaryQuery().innerJoin(sql<{ id: number; rank: number }>`(${matches})`.as('m'), 'm.id', 'a.id')
    const rows = await query.orderBy('m.rank').orderBy('a.sort_at', 'desc').orderBy('a.id', 'desc')
      .limit(limit + 1).offset(offset).execute()
    const more = rows.length > limit
    return { items: await this.toSummaries(rows.slice(0, limit)), next: more ? encodeCursor([offset + limit]) : null }
  }

  async articlesSharingTags(articleId: number, limit: number): Promise<ArticleSummary[]> {
    const n = Math.max(1, Math.min(limit, 200))
    const mine = await this.db.selectFrom('article_tags').select('tag_id').where('article_id', '=', articleId).execute()
    if (mine.length === 0) return []
    // Each tag brings its articles nearest this one, on either side by id (ingest order): a tag on a
    // tenth of the archive costs a short index range, not a tenth of the archive.
    const reach = Math.max(TAG_NEIGHBOURS, n)
    const side = (tag: number, before: boolean, k: number) => sql`select * from (select article_id from article_tags
      where tag_id = ${tag} and article_id ${before ? sql`<` : sql`>`} ${articleId}
      order by article_id ${before ? sql`desc` : sql`asc`} limit ${reach}) as n${sql.lit(k)}`
    const parts = mine.flatMap((t, i) => [side(t.tag_id, true, 2 * i), side(t.tag_id, false, 2 * i + 1)])
    const near = await sql<{ article_id: number }>`${sql.join(parts, sql` union all `)}`.execute(this.db)
    const shared = new Map<number, number>()
    for (const r of near.rows) shared.set(r.article_id, (shared.get(r.article_id) ?? 0) + 1)
    const ids = [...shared.keys()].sort((x, y) => shared.get(y)! - shared.get(x)! || Math.abs(x - articleId) - Math.abs(y - articleId) || y - x).slice(0, n)
    if (ids.length === 0) return []
    const rows = await this.summaryQuery().where('a.id', 'in', ids).execute()
    const at = new Map(ids.map((id, i) => [id, i]))
    return this.toSummaries(rows.sort((x, y) => at.get(x.id)! - at.get(y.id)!))
  }

  async listRevisions(articleId: number): Promise<Revision[]> {
    const rows = await this.db.selectFrom('revisions').selectAll().where('article_id', '=', articleId)
      .orderBy('replaced_at', 'desc').orderBy('id', 'desc').execute()
    return rows.map((r) => ({ id: r.id, articleId: r.article_id, title: r.title, text: r.text, replacedAt: isoReq(r.replaced_at) }))
  }

  async countArticles(): Promise<number> {
    const r = await this.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    return Number(r.n)
  }

  async getTag(slug: string): Promise<Tag | null> {
    const r = await this.db.selectFrom('tags').select(['slug', 'label']).where('slug', '=', slug).executeTakeFirst()
    return r ?? null
  }

  // ─────────────── stories ───────────────

  async placeInStory(articleId: number, p: StoryPlacement, now: IsoDate): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const a = await trx.selectFrom('articles').select(['id', 'title', 'sort_at', 'story_id', 'placed_by'])
        .where('id', '=', articleId).executeTakeFirst()
      // Deleted by an operator between being stored and being placed: the caller logs it.
      if (!a) throw new Error(`store: placeInStory: article ${articleId} is not stored`)
      // An operator's decision stands until another operator decision.
      if (a.placed_by === 'operator' && p.placedBy !== 'operator' && a.story_id !== null) return a.story_id
      const target = p.storyId ?? a.id
      const starter = target === a.id ? a
        : await trx.selectFrom('articles').select(['id', 'title', 'sort_at']).where('id', '=', target).executeTakeFirst()
      await this.ensureStory(trx, target, starter?.title ?? a.title, isoReq(starter?.sort_at ?? a.sort_at), now)
      await trx.updateTable('articles').set({
        story_id: target,
        duplicate_of: p.duplicateOf,
        story_similarity: Number.isFinite(p.similarity) ? p.similarity : 0,
        placed_by: p.placedBy,
      }).where('id', '=', a.id).execute()
      await this.recountStories(trx, [a.story_id, target], now)
      return target
    })
  }

  /** Creates the story row if it is not there; an emptied story keeps its row and title, and comes back as it was. */
  private async ensureStory(trx: Transaction<DB>, id: number, title: string, at: IsoDate, now: IsoDate): Promise<void> {
    await trx.insertInto('stories').values({
      id, title, first_at: at, last_at: at, article_count: 0, source_count: 0, created_at: now, updated_at: now,
    }).onConflict((oc) => oc.column('id').doNothing()).execute()
  }

  /**
   * Counts and times of the given stories from their live articles: the one place they are computed,
   * after every placement, split, merge and deletion. A story left empty keeps its last times.
   */
  private async recountStories(trx: Kysely<DB>, ids: (number | null)[], now: IsoDate | null): Promise<void> {
    const wanted = [...new Set(ids.filter((x): x is number => x !== null))]
    if (wanted.length === 0) return
    await sql`update stories set
      article_count = (select count(*) from articles a where a.story_id = stories.id),
      source_count = (select count(distinct a.source_id) from articles a where a.story_id = stories.id),
      first_at = coalesce((select min(a.sort_at) from articles a where a.story_id = stories.id), stories.first_at),
      last_at = coalesce((select max(a.sort_at) from articles a where a.story_id = stories.id), stories.last_at)
      ${now === null ? sql`` : sql`, updated_at = ${now}`}
      where id in (${sql.join(wanted)})`.execute(trx)
  }

  async getStory(id: number): Promise<StoryDetail | null> {
    const s = await this.db.selectFrom('stories').selectAll().where('id', '=', id).where('article_count', '>', 0).executeTakeFirst()
    if (!s) return null
    const rows = await this.summaryQuery()
      .select(['a.canonical_url', 'a.duplicate_of', 'a.story_similarity', 'a.placed_by'])
      .where('a.story_id', '=', id).orderBy('a.sort_at').orderBy('a.id').execute()
    const cards = await this.toSummaries(rows)
    return {
      ...toStorySummary(s),
      members: cards.map((c, i) => {
        const r = rows[i]!
        return {
          ...c,
          canonicalUrl: r.canonical_url,
          duplicateOf: r.duplicate_of,
          similarity: Number(r.story_similarity ?? 0),
          placedBy: placedBy(r.placed_by) ?? 'content',
        }
      }),
    }
  }

  async recentStories(q: { since: IsoDate; limit: number; minArticles?: number }): Promise<StorySummary[]> {
    const rows = await this.db.selectFrom('stories').selectAll()
      .where('last_at', '>=', q.since).where('article_count', '>=', Math.max(1, q.minArticles ?? 1))
      .orderBy('last_at', 'desc').orderBy('id', 'desc').limit(Math.max(1, Math.min(q.limit, 500))).execute()
    return rows.map(toStorySummary)
  }

  async clusterRecords(q: { since: IsoDate; limit: number }): Promise<ClusterRecord[]> {
    // sort_at is the publication time, or the fetch time when there is none or it lies ahead: one
    // future date must not move the clusterer's clock on and close every open story. When there are
    // more than `limit`, the newest are the ones worth having.
    const rows = await this.db.selectFrom('articles')
      .select(['id', 'source_id', 'title', 'text', 'sort_at', 'story_id', 'duplicate_of', 'placed_by'])
      .where('sort_at', '>=', q.since)
      .orderBy('sort_at', 'desc').orderBy('id', 'desc').limit(Math.max(1, Math.min(q.limit, 200_000))).execute()
    return rows.reverse().map((r) => ({
      id: r.id,
      sourceId: r.source_id,
      title: r.title,
      text: r.text,
      at: isoReq(r.sort_at),
      storyId: r.story_id,
      duplicateOf: r.duplicate_of,
      placedBy: placedBy(r.placed_by),
    }))
  }

  async splitFromStory(articleId: number, now: IsoDate): Promise<{ fromStory: number; toStory: number } | null> {
    return this.db.transaction().execute(async (trx) => {
      const a = await trx.selectFrom('articles').select(['id', 'title', 'sort_at', 'story_id']).where('id', '=', articleId).executeTakeFirst()
      if (!a || a.story_id === null) return null
      const story = a.story_id
      const earliest = await trx.selectFrom('articles').select(['id', 'title', 'sort_at'])
        .where('story_id', '=', story).where('id', '<>', a.id).orderBy('sort_at').orderBy('id').limit(1).executeTakeFirst()
      if (!earliest) return null // alone in its story: nothing to split from
      let fromStory = story
      if (story === a.id) {
        // It started the story, whose id is its own: it keeps that id, and the others move to a
        // story keyed by the earliest of them.
        fromStory = earliest.id
        await this.ensureStory(trx, earliest.id, earliest.title, isoReq(earliest.sort_at), now)
        await trx.updateTable('articles').set({ story_id: earliest.id }).where('story_id', '=', story).where('id', '<>', a.id).execute()
      } else {
        await this.ensureStory(trx, a.id, a.title, isoReq(a.sort_at), now)
      }
      // No longer counted as a copy of an article of the story it left.
      await trx.updateTable('articles').set({ story_id: a.id, duplicate_of: null, story_similarity: 1, placed_by: 'operator' })
        .where('id', '=', a.id).execute()
      await trx.insertInto('story_decisions').values({ kind: 'split', article_id: a.id, from_story: fromStory, to_story: a.id, at: now }).execute()
      await this.recountStories(trx, [story, fromStory, a.id], now)
      return { fromStory, toStory: a.id }
    })
  }

  async mergeStories(from: number, into: number, now: IsoDate): Promise<boolean> {
    if (from === into) return false
    return this.db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('stories').select('id').where('id', 'in', [from, into]).where('article_count', '>', 0).execute()
      if (found.length !== 2) return false
      await trx.updateTable('articles').set({ story_id: into, placed_by: 'operator' }).where('story_id', '=', from).execute()
      await trx.insertInto('story_decisions').values({ kind: 'merge', article_id: null, from_story: from, to_story: into, at: now }).execute()
      await this.recountStories(trx, [from, into], now)
      return true
    })
  }

  async storyDecisions(storyId: number): Promise<StoryDecision[]> {
    const rows = await this.db.selectFrom('story_decisions').selectAll()
      .where((eb) => eb.or([eb('from_story', '=', storyId), eb('to_story', '=', storyId)]))
      .orderBy('at', 'desc').orderBy('id', 'desc').limit(500).execute()
    return rows.map((r) => ({
      kind: r.kind === 'merge' ? 'merge' as const : 'split' as const,
      articleId: r.article_id,
      fromStory: r.from_story,
      toStory: r.to_story,
      at: isoReq(r.at),
    }))
  }

  // ─────────────── push (WebSub) ───────────────

  async getWebSub(sourceId: number): Promise<WebSubSubscription | null> {
    const r = await this.db.selectFrom('websub_subscriptions').selectAll().where('source_id', '=', sourceId).executeTakeFirst()
    return r ? toWebSub(r) : null
  }

  async findWebSubByToken(token: string): Promise<WebSubSubscription | null> {
    const r = await this.db.selectFrom('websub_subscriptions').selectAll().where('token', '=', token).executeTakeFirst()
    return r ? toWebSub(r) : null
  }

  async putWebSub(input: NewWebSub, now: IsoDate): Promise<WebSubSubscription> {
    const fresh = {
      hub: input.hub, topic: input.topic, token: input.token, secret: input.secret, state: 'pending',
      lease_seconds: null, lease_expires_at: null, renew_at: input.renewAt, requested_at: null, verified_at: null,
      last_push_at: null, last_error_code: null, last_error_message: null, created_at: now,
    }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('websub_subscriptions').values({ source_id: input.sourceId, ...fresh })
        .onConflict((oc) => oc.column('source_id').doUpdateSet(fresh)).returningAll().executeTakeFirstOrThrow()
      await trx.updateTable('sources').set({ push_active_until: null }).where('id', '=', input.sourceId).execute()
      return toWebSub(row)
    })
  }

  async updateWebSub(sourceId: number, p: WebSubPatch): Promise<void> {
    const set: Record<string, unknown> = {}
    const map: [keyof WebSubPatch, keyof WebSubSubscriptionsTable][] = [
      ['state', 'state'], ['leaseSeconds', 'lease_seconds'], ['leaseExpiresAt', 'lease_expires_at'], ['renewAt', 'renew_at'],
      ['requestedAt', 'requested_at'], ['verifiedAt', 'verified_at'], ['lastPushAt', 'last_push_at'],
      ['lastErrorCode', 'last_error_code'], ['lastErrorMessage', 'last_error_message'],
    ]
    for (const [k, col] of map) if (p[k] !== undefined) set[col] = p[k]
    await this.db.transaction().execute(async (trx) => {
      if (Object.keys(set).length > 0) await trx.updateTable('websub_subscriptions').set(set).where('source_id', '=', sourceId).execute()
      if (p.pushActiveUntil !== undefined) {
        await trx.updateTable('sources').set({ push_active_until: p.pushActiveUntil }).where('id', '=', sourceId).execute()
      }
    })
  }

  async dueWebSubs(now: IsoDate, limit: number): Promise<WebSubSubscription[]> {
    const rows = await this.db.selectFrom('websub_subscriptions').selectAll()
      .where('renew_at', '<=', now).orderBy('renew_at').orderBy('source_id').limit(limit).execute()
    return rows.map(toWebSub)
  }

  async listWebSubs(): Promise<WebSubSubscription[]> {
    const rows = await this.db.selectFrom('websub_subscriptions').selectAll().orderBy('source_id').execute()
    return rows.map(toWebSub)
  }

  // ─────────────── AI tasks ───────────────

  private aiKeyQuery(key: AiTaskKey) {
    return this.db.selectFrom('ai_tasks').selectAll()
      .where('subject', '=', key.subject).where('subject_id', '=', key.subjectId).where('feature', '=', key.feature)
      .where('model', '=', key.model).where('lang', '=', key.lang).where('input_key', '=', key.inputKey)
  }

  async getAiTask(key: AiTaskKey): Promise<AiTask | null> {
    const r = await this.aiKeyQuery(key).executeTakeFirst()
    return r ? toAiTask(r) : null
  }

  async getAiTaskById(id: number): Promise<AiTask | null> {
    const r = await this.db.selectFrom('ai_tasks').selectAll().where('id', '=', id).executeTakeFirst()
    return r ? toAiTask(r) : null
  }

  async requestAiTask(key: AiTaskKey, opts: { input?: string | null; now: IsoDate; retryFailed?: boolean }): Promise<AiTask> {
    await this.db.insertInto('ai_tasks').values({
      subject: key.subject, subject_id: key.subjectId, feature: key.feature, model: key.model, lang: key.lang,
      input_key: key.inputKey, input: opts.input ?? null, status: 'queued', attempts: 0, next_try_at: opts.now,
      created_at: opts.now, updated_at: opts.now,
    }).onConflict((oc) => oc.columns(['subject', 'subject_id', 'feature', 'model', 'lang', 'input_key']).doNothing()).execute()
    if (opts.retryFailed) {
      await this.db.updateTable('ai_tasks').set({
        status: 'queued', attempts: 0, next_try_at: opts.now, updated_at: opts.now, error_code: null, error_message: null, finished_at: null,
      }).where('status', '=', 'failed')
        .where('subject', '=', key.subject).where('subject_id', '=', key.subjectId).where('feature', '=', key.feature)
        .where('model', '=', key.model).where('lang', '=', key.lang).where('input_key', '=', key.inputKey).execute()
    }
    const r = await this.aiKeyQuery(key).executeTakeFirstOrThrow()
    return toAiTask(r)
  }

  async aiTasksFor(subject: AiTaskKey['subject'], subjectId: number): Promise<AiTask[]> {
    const rows = await this.db.selectFrom('ai_tasks').selectAll().where('subject', '=', subject).where('subject_id', '=', subjectId)
      .orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(200).execute()
    return rows.map(toAiTask)
  }

  async claimAiTasks(q: { now: IsoDate; leaseUntil: IsoDate; limit: number }): Promise<AiTask[]> {
    const limit = Math.max(0, Math.min(1000, Math.floor(q.limit)))
    if (limit === 0) return []
    return this.db.transaction().execute(async (trx) => {
      let due = trx.selectFrom('ai_tasks').select('id')
        .where('status', 'in', ['queued', 'running']).where('next_try_at', '<=', q.now)
        .orderBy('next_try_at').orderBy('id').limit(limit)
      // Postgres: workers on other machines skip rows another transaction holds. SQLite has one writer at a time.
      if (this.dialect === 'postgres') due = due.forUpdate().skipLocked()
      const ids = (await due.execute()).map((r) => r.id)
      if (ids.length === 0) return []
      const rows = await trx.updateTable('ai_tasks')
        .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), next_try_at: q.leaseUntil, updated_at: q.now }))
        .where('id', 'in', ids).returningAll().execute()
      return rows.map(toAiTask).sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
    })
  }

  async finishAiTask(id: number, o: AiTaskOutcome, now: IsoDate): Promise<boolean> {
    const set: Partial<Record<keyof AiTasksTable, unknown>> = { updated_at: now }
    if (o.status === 'done') {
      Object.assign(set, {
        status: 'done', result: JSON.stringify(o.result ?? null), error_code: null, error_message: null, finished_at: now,
        prompt_tokens: o.promptTokens, completion_tokens: o.completionTokens, latency_ms: o.latencyMs,
      })
    } else if (o.status === 'failed') {
      Object.assign(set, { status: 'failed', error_code: o.errorCode, error_message: o.errorMessage.slice(0, 1000), finished_at: now })
      if (o.latencyMs !== undefined) set.latency_ms = o.latencyMs
    } else {
      Object.assign(set, { status: 'queued', error_code: o.errorCode, error_message: o.errorMessage.slice(0, 1000), next_try_at: o.nextTryAt })
      if (o.latencyMs !== undefined) set.latency_ms = o.latencyMs
    }
    const r = await this.db.updateTable('ai_tasks').set(set as never).where('id', '=', id).where('status', '=', 'running').executeTakeFirst()
    return Number(r.numUpdatedRows) > 0
  }

  async listAiTasks(q: { status?: AiTaskStatus; limit: number }): Promise<AiTask[]> {
    let query = this.db.selectFrom('ai_tasks').selectAll()
    if (q.status) query = query.where('status', '=', q.status)
    const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(Math.max(1, Math.min(1000, Math.floor(q.limit)))).execute()
    return rows.map(toAiTask)
  }

  async aiUsage(): Promise<AiUsage[]> {
    const rows = await this.db.selectFrom('ai_tasks')
      .select((eb) => [
        'feature', 'model', 'status',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string | null>('prompt_tokens').as('prompt'),
        eb.fn.sum<number | string | null>('completion_tokens').as('completion'),
        eb.fn.sum<number | string | null>('latency_ms').as('latency'),
        eb.fn.count<number | string>('latency_ms').as('timed'),
      ])
      .groupBy(['feature', 'model', 'status']).execute()
    const out = new Map<string, AiUsage & { latencySum: number; timed: number }>()
    for (const r of rows) {
      const k = `${r.feature}\u0000${r.model}`
      let u = out.get(k)
      if (!u) {
        u = { feature: r.feature as AiFeature, model: r.model, done: 0, failed: 0, queued: 0, running: 0, promptTokens: 0, completionTokens: 0, meanLatencyMs: null, latencySum: 0, timed: 0 }
        out.set(k, u)
      }
      const n = Number(r.n)
      if (r.status === 'done' || r.status === 'failed' || r.status === 'queued' || r.status === 'running') u[r.status] += n
      u.promptTokens += Number(r.prompt ?? 0)
      u.completionTokens += Number(r.completion ?? 0)
      u.latencySum += Number(r.latency ?? 0)
      u.timed += Number(r.timed)
    }
    return [...out.values()]
      .map(({ latencySum, timed, ...u }) => ({ ...u, meanLatencyMs: timed > 0 ? Math.round(latencySum / timed) : null }))
      .sort((a, b) => a.feature.localeCompare(b.feature) || a.model.localeCompare(b.model))
  }

  // ─────────────── readers: accounts, sessions, comments, rate limits (kysely-community.ts) ───────────────

  createUser(...a: Parameters<Store['createUser']>) { return community.createUser(this.db, ...a) }
  getUser(...a: Parameters<Store['getUser']>) { return community.getUser(this.db, ...a) }
  findCredentials(...a: Parameters<Store['findCredentials']>) { return community.findCredentials(this.db, ...a) }
  findUserByResetToken(...a: Parameters<Store['findUserByResetToken']>) { return community.findUserByResetToken(this.db, ...a) }
  listUsers(...a: Parameters<Store['listUsers']>) { return community.listUsers(this.db, ...a) }
  countUsers() { return community.countUsers(this.db) }
  updateUser(...a: Parameters<Store['updateUser']>) { return community.updateUser(this.db, ...a) }
  createSession(...a: Parameters<Store['createSession']>) { return community.createSession(this.db, ...a) }
  getSession(...a: Parameters<Store['getSession']>) { return community.getSession(this.db, ...a) }
  touchSession(...a: Parameters<Store['touchSession']>) { return community.touchSession(this.db, ...a) }
  deleteSession(...a: Parameters<Store['deleteSession']>) { return community.deleteSession(this.db, ...a) }
  deleteUserSessions(...a: Parameters<Store['deleteUserSessions']>) { return community.deleteUserSessions(this.db, ...a) }
  deleteStaleSessions(...a: Parameters<Store['deleteStaleSessions']>) { return community.deleteStaleSessions(this.db, ...a) }
  addComment(...a: Parameters<Store['addComment']>) { return community.addComment(this.db, ...a) }
  getComment(...a: Parameters<Store['getComment']>) { return community.getComment(this.db, ...a) }
  listComments(...a: Parameters<Store['listComments']>) { return community.listComments(this.db, ...a) }
  commentCounts(...a: Parameters<Store['commentCounts']>) { return community.commentCounts(this.db, ...a) }
  editComment(...a: Parameters<Store['editComment']>) { return community.editComment(this.db, ...a) }
  setCommentStatus(...a: Parameters<Store['setCommentStatus']>) { return community.setCommentStatus(this.db, ...a) }
  reportComment(...a: Parameters<Store['reportComment']>) { return community.reportComment(this.db, ...a) }
  reportsFor(...a: Parameters<Store['reportsFor']>) { return community.reportsFor(this.db, ...a) }
  moderationQueue(...a: Parameters<Store['moderationQueue']>) { return community.moderationQueue(this.db, ...a) }
  countUserComments(...a: Parameters<Store['countUserComments']>) { return community.countUserComments(this.db, ...a) }
  notePublished(...a: Parameters<Store['notePublished']>) { return community.notePublished(this.db, ...a) }
  hitRateLimit(...a: Parameters<Store['hitRateLimit']>) { return community.hitRateLimit(this.db, ...a) }
  peekRateLimit(...a: Parameters<Store['peekRateLimit']>) { return community.peekRateLimit(this.db, ...a) }
  clearRateLimit(...a: Parameters<Store['clearRateLimit']>) { return community.clearRateLimit(this.db, ...a) }

  // ─────────────── stored pages (kysely-pages.ts) ───────────────
  getStoredPage(id: number) { return pages.getStoredPage(this.db, this.dialect, id) }
  storedPageReader() {
    if (this.pageReader === undefined) this.pageReader = this.readConnection ? pages.syncPageReader(this.readConnection()) : null
    return this.pageReader?.get ?? null
  }
  putStoredPage(...a: Parameters<Store['putStoredPage']>) { return pages.putStoredPage(this.db, this.dialect, ...a) }
  storedPagesEpoch() { return pages.storedPagesEpoch(this.db, this.dialect) }
  pagesToRender(...a: Parameters<Store['pagesToRender']>) { return pages.pagesToRender(this.db, ...a) }
  storedPageCounts(...a: Parameters<Store['storedPageCounts']>) { return pages.storedPageCounts(this.db, ...a) }
  clearStoredPages() { return pages.clearStoredPages(this.db) }

  // ─────────────── fetch log and ingestion health (kysely-health.ts) ───────────────
  recordFetch(...a: Parameters<Store['recordFetch']>) { return health.recordFetch(this.db, ...a) }
  pruneFetchLog(...a: Parameters<Store['pruneFetchLog']>) { return health.pruneFetchLog(this.db, ...a) }
  fetchHealth(...a: Parameters<Store['fetchHealth']>) { return health.fetchHealth(this.db, ...a) }
  articlesPerDay(...a: Parameters<Store['articlesPerDay']>) { return health.articlesPerDay(this.db, this.dialect, ...a) }
  sourceCounts() { return health.sourceCounts(this.db) }

  // ─────────────── discovery: busy hashtags, authors, saved searches (kysely-saved-searches.ts) ───────────────
  busyTags(...a: Parameters<Store['busyTags']>) { return discovery.busyTags(this.db, ...a) }
  getAuthor(...a: Parameters<Store['getAuthor']>) { return discovery.getAuthor(this.db, ...a) }
  async createSavedSearch(...a: Parameters<Store['createSavedSearch']>) {
    if (await discovery.countSavedSearches(this.db, a[0].userId) >= discovery.MAX_SAVED_SEARCHES) {
      throw new Error(`store: user ${a[0].userId} has ${discovery.MAX_SAVED_SEARCHES} saved searches already`)
    }
    return discovery.createSavedSearch(this.db, ...a)
  }
  listSavedSearches(...a: Parameters<Store['listSavedSearches']>) { return discovery.listSavedSearches(this.db, ...a) }
  renameSavedSearch(...a: Parameters<Store['renameSavedSearch']>) { return discovery.renameSavedSearch(this.db, ...a) }
  deleteSavedSearch(...a: Parameters<Store['deleteSavedSearch']>) { return discovery.deleteSavedSearch(this.db, ...a) }
  findSavedSearchByToken(...a: Parameters<Store['findSavedSearchByToken']>) { return discovery.findSavedSearchByToken(this.db, ...a) }

  // ─────────────── reader apps: app passwords, tokens, read and starred state (kysely-reader-state.ts) ───────────────

  setAppPassword(...a: Parameters<Store['setAppPassword']>) { return readerState.setAppPassword(this.db, ...a) }
  revokeAppPassword(...a: Parameters<Store['revokeAppPassword']>) { return readerState.revokeAppPassword(this.db, ...a) }
  getAppPassword(...a: Parameters<Store['getAppPassword']>) { return readerState.getAppPassword(this.db, ...a) }
  findUserByFeverKey(...a: Parameters<Store['findUserByFeverKey']>) { return readerState.findUserByFeverKey(this.db, ...a) }
  createReaderToken(...a: Parameters<Store['createReaderToken']>) { return readerState.createReaderToken(this.db, ...a) }
  findReaderToken(...a: Parameters<Store['findReaderToken']>) { return readerState.findReaderToken(this.db, ...a) }
  readerStream(...a: Parameters<Store['readerStream']>) { return readerState.readerStream(this.db, ...a) }
  readerItems(...a: Parameters<Store['readerItems']>) { return readerState.readerItems(this.db, ...a) }
  readerUnreadCounts(...a: Parameters<Store['readerUnreadCounts']>) { return readerState.readerUnreadCounts(this.db, ...a) }
  setItemsRead(...a: Parameters<Store['setItemsRead']>) { return readerState.setItemsRead(this.db, ...a) }
  setItemsStarred(...a: Parameters<Store['setItemsStarred']>) { return readerState.setItemsStarred(this.db, ...a) }
  markAllRead(...a: Parameters<Store['markAllRead']>) { return readerState.markAllRead(this.db, ...a) }
}

/** The language or a regional variant of it, without regard to case: the same on both databases. */
function langMatch(lang: string): RawBuilder<boolean> {
  const l = lang.trim().toLowerCase()
  return sql<boolean>`(lower(a.lang) = ${l} or lower(a.lang) like ${`${l.replace(/[%_\\]/g, '')}-%`})`
}

/** An instant for a list filter, normalised (a bad one is the caller's bug). */
function timeParam(v: string): string {
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) throw new Error(`store: not a time: ${v}`)
  return d.toISOString()
}

function toAiTask(r: Selectable<AiTasksTable>): AiTask {
  return {
    id: r.id,
    subject: r.subject === 'story' ? 'story' : 'article',
    subjectId: r.subject_id,
    feature: r.feature as AiFeature,
    model: r.model,
    lang: r.lang,
    inputKey: r.input_key,
    input: r.input,
    status: (['queued', 'running', 'done', 'failed'] as const).find((x) => x === r.status) ?? 'failed',
    result: json<unknown>(r.result, null),
    errorCode: r.error_code,
    errorMessage: r.error_message,
    attempts: r.attempts,
    nextTryAt: isoReq(r.next_try_at),
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    latencyMs: r.latency_ms,
    createdAt: isoReq(r.created_at),
    updatedAt: isoReq(r.updated_at),
    finishedAt: iso(r.finished_at),
  }
}
