import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type {
  Article, ArticleInput, ArticleSummary, IsoDate, NewSource, Page, Revision, Source, Tag,
} from '../domain/types.js'
import type { DB, SourcesTable } from './schema.js'
import type { DialectSpec } from './dialects/dialect.js'
import type { ListQuery, SaveStatus, SearchQuery, SourcePatch, SourceWithStats, Store } from './store.js'
import { parseSearch } from './search-query.js'
import { tagSlug } from '../pipeline/enrich/tags.js'

const EXCERPT_CHARS = 400

function iso(v: string | Date | null | undefined): IsoDate | null {
  if (v === null || v === undefined) return null
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
const isoReq = (v: string | Date): IsoDate => iso(v) ?? new Date(0).toISOString()

function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}
function decodeCursor(c: string | null | undefined): unknown[] | null {
  if (!c) return null
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'))
    return Array.isArray(v) ? v : null
  } catch {
    return null
  }
}

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
    kind: r.kind === 'site' ? 'site' : 'feed',
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
    createdAt: isoReq(r.created_at),
  }
}



/** The one Store implementation; the dialect supplies ids, timestamps and full-text search. */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres'
  constructor(private readonly db: Kysely<DB>, private readonly spec: DialectSpec) {
    this.dialect = spec.name
  }

  async close(): Promise<void> {
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
      .where('next_check_at', '<=', now).orderBy('next_check_at').orderBy('id').limit(limit).execute()
    return rows.map(toSource)
  }

  async updateSource(id: number, p: SourcePatch): Promise<void> {
    const set: Record<string, unknown> = {}
    const map: [keyof SourcePatch, keyof SourcesTable][] = [
      ['title', 'title'], ['siteUrl', 'site_url'], ['description', 'description'], ['language', 'language'],
      ['etag', 'etag'], ['lastModified', 'last_modified'], ['errorCount', 'error_count'],
      ['lastErrorCode', 'last_error_code'], ['lastErrorMessage', 'last_error_message'],
      ['lastFetchedAt', 'last_fetched_at'], ['lastSuccessAt', 'last_success_at'], ['nextCheckAt', 'next_check_at'],
    ]
    for (const [k, col] of map) if (p[k] !== undefined) set[col] = p[k]
    if (Object.keys(set).length === 0) return
    await this.db.updateTable('sources').set(set).where('id', '=', id).execute()
  }

  async deleteSource(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('sources').where('id', '=', id).executeTakeFirst()
    return Number(r.numDeletedRows) > 0
  }

  // ─────────────── articles ───────────────

  async findArticleRef(q: { sourceId: number; guid: string; url: string }): Promise<{ id: number; itemHash: string } | null> {
    const r = await this.db.selectFrom('articles').select(['id', 'item_hash', 'guid'])
      .where('source_id', '=', q.sourceId)
      .where((eb) => eb.or([eb('guid', '=', q.guid), eb('url', '=', q.url)]))
      .orderBy('id').limit(2).execute()
    // Prefer the GUID match when both exist.
    const hit = r.find((x) => x.guid === q.guid) ?? r[0]
    return hit ? { id: hit.id, itemHash: hit.item_hash } : null
  }

  async saveArticle(input: ArticleInput, now: IsoDate): Promise<{ id: number; status: SaveStatus }> {
    return this.db.transaction().execute(async (trx) => {
      const authorId = input.author ? await this.upsertAuthor(trx, input.author) : null
      const published = iso(input.published)
      const values = {
        source_id: input.sourceId,
        guid: input.guid,
        url: input.url,
        canonical_url: input.canonicalUrl,
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
      }
      const existing = await trx.selectFrom('articles').selectAll()
        .where('source_id', '=', input.sourceId)
        .where((eb) => eb.or([eb('guid', '=', input.guid), eb('url', '=', input.url)]))
        .orderBy('id').executeTakeFirst()

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
        const edited = existing.title !== input.title || existing.text !== input.text
        if (edited) {
          await trx.insertInto('revisions').values({
            article_id: id, title: existing.title, text: existing.text, html: existing.html, replaced_at: now,
          }).execute()
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

  private async upsertAuthor(trx: Transaction<DB>, a: { name: string; bio: string | null }): Promise<number> {
    const name = a.name.trim().slice(0, 200)
    const row = await trx.insertInto('authors').values({ name, bio: a.bio })
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
    const matches = this.spec.searchMatches(parseSearch(q.query))
    if (!matches) return { items: [], next: null }
    const c = decodeCursor(q.cursor)
    const offset = c && typeof c[0] === 'number' && c[0] > 0 ? Math.min(c[0], 10_000) : 0
    let query = this.summaryQuery().innerJoin(sql<{ id: number; rank: number }>`(${matches})`.as('m'), 'm.id', 'a.id')
    if (q.sourceId !== undefined) query = query.where('a.source_id', '=', q.sourceId)
    const rows = await query.orderBy('m.rank').orderBy('a.sort_at', 'desc').orderBy('a.id', 'desc')
      .limit(limit + 1).offset(offset).execute()
    const more = rows.length > limit
    return { items: await this.toSummaries(rows.slice(0, limit)), next: more ? encodeCursor([offset + limit]) : null }
  }

  async articlesSharingTags(articleId: number, limit: number): Promise<ArticleSummary[]> {
    const shared = this.db.selectFrom('article_tags as mine')
      .innerJoin('article_tags as other', 'other.tag_id', 'mine.tag_id')
      .select((eb) => ['other.article_id as id', eb.fn.count<number>('other.tag_id').as('n')])
      .where('mine.article_id', '=', articleId).where('other.article_id', '!=', articleId)
      .groupBy('other.article_id')
    const rows = await this.summaryQuery().innerJoin(shared.as('sh'), 'sh.id', 'a.id')
      .orderBy('sh.n', 'desc').orderBy('a.sort_at', 'desc').limit(Math.min(limit, 200)).execute()
    return this.toSummaries(rows)
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
}
