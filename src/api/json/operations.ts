/**
 * The JSON API's route table: each operation's path, parameters, response schema and handler. The
 * routes (routes.ts) and the OpenAPI document (openapi.ts) are both made from this one list.
 */
import type { z } from 'zod/v4'
import type { Article, ArticleSummary, StoryMember, StorySummary } from '../../domain/types.js'
import type { SourceWithStats, Store } from '../../store/store.js'
import { HttpError } from '../../domain/errors.js'
import { rankStories } from '../../pipeline/cluster/rank-stories.js'
import { slugify } from '../../pipeline/enrich/tags.js'
import { articlePath, webHref } from '../../web/paths.js'
import { idOf, P, SLUG, type Params } from './params.js'
import type { COMPONENTS, ComponentName } from './schemas.js'

export interface JsonApiDeps {
  store: Store
  siteTitle: string
  /** Public origin; when null, URLs are made from the request's origin. */
  baseUrl: string | null
  now: () => Date
}

/** The parsed parameters (params.ts checked each against its schema). */
export interface Args {
  id: number
  slug: string
  limit: number
  cursor?: string
  source?: number
  tag?: string
  author?: string
  lang?: string
  since?: string
  until?: string
  q: string
  order: 'recent' | 'top'
  hours: number
  minArticles?: number
}

export interface RunContext {
  args: Args
  /** An absolute URL of one of our paths. */
  abs: (path: string) => string
}

export interface Operation<N extends ComponentName = ComponentName> {
  /** OpenAPI path template: `/api/v1/articles/{id}`. */
  path: string
  operationId: string
  summary: string
  description?: string
  pathParams: Params
  query: Params
  response: N
  /** Answers `next` cursors (and a `Link: rel="next"` header). */
  paginated?: boolean
  /** What a 404 means here, when the path names something. */
  notFound?: string
  run(deps: JsonApiDeps, x: RunContext): Promise<z.output<(typeof COMPONENTS)[N]>>
}

const op = <N extends ComponentName>(o: Operation<N>): Operation<N> => o

/** The slug the `author` filter takes for a name. */
export const authorSlug = (name: string): string => slugify(name, 80)

const LIST_FILTERS = { limit: P.limit, cursor: P.cursor, source: P.source, tag: P.tag, author: P.author, lang: P.lang, since: P.since, until: P.until }
const SEARCH_FILTERS = { q: P.q, limit: P.limit, cursor: P.cursor, source: P.source, lang: P.lang, since: P.since, until: P.until }

export const OPERATIONS: Operation[] = [
  op({
    path: '/api/v1/articles', operationId: 'listArticles', summary: 'Latest articles',
    description: 'Newest first (publication time, else fetch time), across sources or narrowed by the filters. Walk the pages with `cursor`.',
    pathParams: {}, query: LIST_FILTERS, response: 'ArticleList', paginated: true,
    async run(deps, { args, abs }) {
      checkRange(args)
      const page = await deps.store.listArticles({
        limit: args.limit, cursor: args.cursor ?? null, sourceId: args.source, tag: args.tag, author: args.author,
        lang: args.lang, since: args.since, until: args.until,
      })
      return { items: await cards(deps.store, page.items, abs), next: page.next, nextUrl: null }
    },
  }),
  op({
    path: '/api/v1/articles/{id}', operationId: 'getArticle', summary: 'One article, with its full text',
    pathParams: idOf('article'), query: {}, response: 'Article', notFound: 'No article has this id (or it was deleted).',
    async run(deps, { args, abs }) {
      const a = await deps.store.getArticle(args.id)
      if (!a) throw new HttpError(404, 'not_found', `No article has the id ${args.id}.`)
      const counts = await deps.store.commentCounts('article', [a.id])
      return fullArticle(a, counts.get(a.id) ?? 0, abs)
    },
  }),
  op({
    path: '/api/v1/search', operationId: 'searchArticles', summary: 'Full-text search',
    description: 'Best matches first. The same syntax as the search page: all words must match, "quoted phrases", -excluded words, prefix*.',
    pathParams: {}, query: SEARCH_FILTERS, response: 'ArticleList', paginated: true,
    async run(deps, { args, abs }) {
      checkRange(args)
      const page = await deps.store.searchArticles({
        query: args.q, limit: args.limit, cursor: args.cursor ?? null, sourceId: args.source, lang: args.lang, since: args.since, until: args.until,
      })
      return { items: await cards(deps.store, page.items, abs), next: page.next, nextUrl: null }
    },
  }),
  op({
    path: '/api/v1/stories', operationId: 'listStories', summary: 'Stories: the same event told by several articles',
    description: 'Stories with an article in the last `hours`. `order=top` ranks them as the home page does (more sources and newer first); `recent` lists the latest first. No cursor: at most `limit`.',
    pathParams: {}, query: { order: P.order, hours: P.hours, minArticles: P.minArticles, limit: P.limit }, response: 'StoryList',
    async run(deps, { args, abs }) {
      const now = deps.now()
      const since = new Date(now.getTime() - args.hours * 3_600_000).toISOString()
      if (args.order === 'top') {
        // As home: a pool of recent stories, ranked by a pure function.
        const pool = await deps.store.recentStories({ since, limit: 100, minArticles: args.minArticles ?? 2 })
        return { items: rankStories(pool, { now, limit: args.limit }).map((r) => storyCard(r.story, abs, r.score)) }
      }
      const list = await deps.store.recentStories({ since, limit: args.limit, minArticles: args.minArticles ?? 1 })
      return { items: list.map((s) => storyCard(s, abs, null)) }
    },
  }),
  op({
    path: '/api/v1/stories/{id}', operationId: 'getStory', summary: 'One story, with its articles',
    pathParams: idOf('story'), query: {}, response: 'Story', notFound: 'No story has this id.',
    async run(deps, { args, abs }) {
      const s = await deps.store.getStory(args.id)
      if (!s) throw new HttpError(404, 'not_found', `No story has the id ${args.id}.`)
      const counts = await deps.store.commentCounts('article', s.members.map((m) => m.id))
      const { score: _, ...card } = storyCard(s, abs, null)
      return { ...card, members: s.members.map((m) => member(m, counts.get(m.id) ?? 0, abs)) }
    },
  }),
  op({
    path: '/api/v1/sources', operationId: 'listSources', summary: 'Every source, with its fetch health',
    pathParams: {}, query: {}, response: 'SourceList',
    async run(deps, { abs }) {
      return { items: (await deps.store.listSources()).map((s) => source(s, abs)) }
    },
  }),
  op({
    path: '/api/v1/sources/{id}', operationId: 'getSource', summary: 'One source, with its fetch health',
    pathParams: idOf('source'), query: {}, response: 'Source', notFound: 'No source has this id.',
    async run(deps, { args, abs }) {
      const s = (await deps.store.listSources()).find((x) => x.id === args.id)
      if (!s) throw new HttpError(404, 'not_found', `No source has the id ${args.id}.`)
      return source(s, abs)
    },
  }),
  op({
    path: '/api/v1/tags/{slug}', operationId: 'getTag', summary: 'One tag',
    description: 'Its articles are at `articlesUrl` (/api/v1/articles?tag=…).',
    pathParams: SLUG, query: {}, response: 'TagDetail', notFound: 'No article has this tag.',
    async run(deps, { args, abs }) {
      const t = await deps.store.getTag(args.slug)
      if (!t) throw new HttpError(404, 'not_found', `No tag has the slug "${args.slug.slice(0, 100)}".`)
      const slug = encodeURIComponent(t.slug)
      return {
        slug: t.slug, label: t.label, url: abs(`/api/v1/tags/${slug}`), webUrl: abs(`/tags/${slug}`), articlesUrl: abs(`/api/v1/articles?tag=${slug}`),
      }
    },
  }),
]

/** `since` must come before `until`: the other way round nothing can match, which is a mistake worth saying. */
function checkRange(args: Args): void {
  if (args.since && args.until && args.since >= args.until) {
    throw new HttpError(400, 'bad_input', `Parameter "until" must be later than "since" (${args.since} is not before ${args.until}).`)
  }
}

type Abs = (path: string) => string
const sourceRef = (id: number, title: string, abs: Abs) => ({ id, title, url: abs(`/api/v1/sources/${id}`) })

async function cards(store: Store, items: ArticleSummary[], abs: Abs) {
  const counts = items.length ? await store.commentCounts('article', items.map((a) => a.id)) : new Map<number, number>()
  return items.map((a) => card(a, counts.get(a.id) ?? 0, abs))
}

function card(a: ArticleSummary, comments: number, abs: Abs) {
  return {
    id: a.id, url: abs(`/api/v1/articles/${a.id}`), webUrl: abs(articlePath(a)), originalUrl: webHref(a.url),
    title: a.title, source: sourceRef(a.sourceId, a.sourceTitle, abs), author: a.authorName,
    published: a.published, fetchedAt: a.fetchedAt, lang: a.lang, leadImage: webHref(a.leadImage), excerpt: a.excerpt,
    tags: a.tags.map((t) => ({ slug: t.slug, label: t.label })), commentCount: comments,
  }
}

function member(m: StoryMember, comments: number, abs: Abs) {
  return { ...card(m, comments, abs), canonicalUrl: webHref(m.canonicalUrl), duplicateOf: m.duplicateOf, similarity: m.similarity, placedBy: m.placedBy }
}

function fullArticle(a: Article, comments: number, abs: Abs) {
  return {
    id: a.id, url: abs(`/api/v1/articles/${a.id}`), webUrl: abs(articlePath(a)), originalUrl: webHref(a.url), canonicalUrl: webHref(a.canonicalUrl),
    title: a.title, source: sourceRef(a.sourceId, a.sourceTitle, abs),
    authors: a.author ? [{ name: a.author.name, slug: authorSlug(a.author.name), bio: a.author.bio }] : [],
    published: a.published, updated: a.updated, fetchedAt: a.fetchedAt, revisedAt: a.revisedAt,
    lang: a.lang, leadImage: webHref(a.leadImage), summary: a.summary, text: a.text, html: a.html,
    captions: a.captions.map((c) => ({ text: c.text, credit: c.credit, imageUrl: webHref(c.imageUrl) })),
    editions: a.altLinks.flatMap((l) => { const url = webHref(l.url); return url ? [{ lang: l.lang, url }] : [] }),
    tags: a.tags.map((t) => ({ slug: t.slug, label: t.label })),
    storyId: a.storyId, storyUrl: a.storyId === null ? null : abs(`/api/v1/stories/${a.storyId}`), duplicateOf: a.duplicateOf,
    commentCount: comments,
  }
}

function storyCard(s: StorySummary, abs: Abs, score: number | null) {
  return {
    id: s.id, url: abs(`/api/v1/stories/${s.id}`), webUrl: abs(`/stories/${s.id}`), title: s.title,
    firstAt: s.firstAt, lastAt: s.lastAt, articleCount: s.articleCount, sourceCount: s.sourceCount, score,
  }
}

/** Public fields only: no validators, rule, error messages (they can quote private addresses), push or AI settings. */
function source(s: SourceWithStats, abs: Abs) {
  return {
    id: s.id, url: abs(`/api/v1/sources/${s.id}`), webUrl: abs(`/sources/${s.id}`), articlesUrl: abs(`/api/v1/articles?source=${s.id}`),
    kind: s.kind, title: s.title, siteUrl: webHref(s.siteUrl), feedUrl: webHref(s.url), description: s.description, language: s.language,
    createdAt: s.createdAt, articleCount: s.articleCount, latestArticleAt: s.latestArticleAt,
    health: {
      lastSuccessAt: s.lastSuccessAt, lastFetchedAt: s.lastFetchedAt, errorCount: s.errorCount, lastErrorCode: s.lastErrorCode,
      failingSince: s.failingSince, pausedAt: s.pausedAt, nextCheckAt: s.nextCheckAt,
    },
  }
}
