import { etagMatches, strongEtag } from '../../web/etag.js'
import type { Context, Hono } from 'hono'
import type { Article, ArticleSummary, Source } from '../../domain/types.js'
import type { Store } from '../../store/store.js'
import { eachLimited } from '../../pipeline/each-limited.js'
import { articlePath, webHref } from '../../web/paths.js'
import { searchHref, storeFilters, type SearchFilters } from '../../web/search-filters.js'
import { renderAtom, renderJsonFeed, renderRss, type OutFeed, type OutItem } from './render.js'

export interface FeedDeps {
  store: Store
  siteTitle: string
  /** Public origin; when null, links are made from the request's origin. */
  baseUrl: string | null
  now: () => Date
}

const LATEST = 50
/** A story's feed lists every article; this only bounds a runaway cluster. */
const STORY_MAX = 200
/** Searches come back by relevance: the best this many are taken, then the newest LATEST of them. */
const SEARCH_POOL = 100
const FETCH_CONCURRENCY = 8

const FORMATS = {
  xml: { render: renderRss, type: 'application/rss+xml; charset=utf-8' },
  atom: { render: renderAtom, type: 'application/atom+xml; charset=utf-8' },
  json: { render: renderJsonFeed, type: 'application/feed+json; charset=utf-8' },
} as const
type Ext = keyof typeof FORMATS
const EXTS = Object.keys(FORMATS) as Ext[]

/** The three feed paths of a page: `feedPaths('/sources/3')`, `feedPaths('/')`, `feedPaths('/search', 'ferry')`. */
export function feedPaths(pagePath: string, query?: string): { rss: string; atom: string; json: string } {
  const base = pagePath === '/' ? '' : pagePath.replace(/\/+$/, '')
  const q = query ? `?q=${encodeURIComponent(query)}` : ''
  return { rss: `${base}/feed.xml${q}`, atom: `${base}/feed.atom${q}`, json: `${base}/feed.json${q}` }
}

export interface AlternateLink {
  rel: 'alternate'
  type: 'application/rss+xml' | 'application/atom+xml' | 'application/feed+json'
  title: string
  href: string
}

/** What a page's `<link rel="alternate">` tags say, so feed readers find the page's feeds. */
export function feedLinks(paths: { rss: string; atom: string; json: string }, title: string): AlternateLink[] {
  return [
    { rel: 'alternate', type: 'application/rss+xml', title, href: paths.rss },
    { rel: 'alternate', type: 'application/atom+xml', title: `${title} (Atom)`, href: paths.atom },
    { rel: 'alternate', type: 'application/feed+json', title: `${title} (JSON Feed)`, href: paths.json },
  ]
}

/** What a route found: the feed's own data and its articles in feed order, or a short refusal. */
type Found =
  | {
    title: string; description: string | null; page: string; language: string | null; articles: ArticleSummary[]; query?: string
    /** Where the feed lives when that is not beside its page (saved searches); `private`: not for shared caches. */
    feedPath?: string; private?: boolean
  }
  | { status: 400 | 404; message: string }

/** Output feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) for home, each source, hashtag, story and search. */
export function feedRoutes(app: Hono, deps: FeedDeps): void {
  const { store, siteTitle } = deps
  const routes: [string, (c: Context) => Promise<Found>][] = [
    ['', async () => ({
      title: siteTitle, description: `The latest articles on ${siteTitle}`, page: '/', language: null,
      articles: (await store.listArticles({ limit: LATEST })).items,
    })],
    ['/sources/:id{[0-9]+}', async (c) => {
      const id = idOf(c)
      const source = id === null ? null : await store.getSource(id)
      if (!source) return { status: 404, message: 'No such source.' }
      return {
        title: `${source.title} — ${siteTitle}`, description: source.description, page: `/sources/${source.id}`, language: source.language,
        articles: (await store.listArticles({ limit: LATEST, sourceId: source.id })).items,
      }
    }],
    ['/tags/:slug', async (c) => {
      const tag = await store.getTag(c.req.param('slug') ?? '')
      if (!tag) return { status: 404, message: 'No such tag.' }
      return {
        title: `#${tag.label} — ${siteTitle}`, description: `Articles tagged #${tag.label}`, page: `/tags/${encodeURIComponent(tag.slug)}`, language: null,
        articles: (await store.listArticles({ limit: LATEST, tag: tag.slug })).items,
      }
    }],
    ['/stories/:id{[0-9]+}', async (c) => {
      const id = idOf(c)
      const story = id === null ? null : await store.getStory(id)
      if (!story) return { status: 404, message: 'No such story.' }
      return {
        title: `${story.title} — ${siteTitle}`, description: `Every article of the story, newest first`, page: `/stories/${story.id}`, language: null,
        articles: newestFirst(story.members).slice(0, STORY_MAX),
      }
    }],
    ['/search', async (c) => {
      const query = (c.req.query('q') ?? '').trim().slice(0, 300)
      if (!query) return { status: 400, message: 'Say what to search for: /search/feed.xml?q=words' }
      return {
        title: `Search: ${query} — ${siteTitle}`, description: `Articles matching “${query}”`, page: `/search?q=${encodeURIComponent(query)}`, language: null,
        articles: newestFirst((await store.searchArticles({ query, limit: SEARCH_POOL })).items).slice(0, LATEST), query,
      }
    }],
    ['/authors/:slug', async (c) => {
      const author = await store.getAuthor((c.req.param('slug') ?? '').slice(0, 200))
      if (!author) return { status: 404, message: 'No such author.' }
      return {
        title: `${author.name} — ${siteTitle}`, description: author.bio, page: `/authors/${encodeURIComponent(author.slug)}`, language: null,
        articles: (await store.listArticles({ limit: LATEST, author: author.slug })).items,
      }
    }],
    // A reader's saved search: the token in the path is the only credential (feed readers send no cookie).
    ['/saved/feeds/:token', async (c) => {
      const saved = await store.findSavedSearchByToken(c.req.param('token') ?? '')
      if (!saved) return { status: 404, message: 'No such feed.' }
      const f: SearchFilters = { q: saved.query, source: saved.sourceId, lang: saved.lang, from: saved.from, to: saved.to }
      const articles = f.q
        ? newestFirst((await store.searchArticles({ query: f.q, limit: SEARCH_POOL, ...storeFilters(f) })).items).slice(0, LATEST)
        : (await store.listArticles({ limit: LATEST, ...storeFilters(f) })).items
      return {
        title: `${saved.name} — ${siteTitle}`, description: f.q ? `Articles matching “${f.q}”` : null,
        page: searchHref(f), language: f.lang, articles, feedPath: `/saved/feeds/${saved.feedToken}`, private: true,
      }
    }],
  ]

  for (const [prefix, find] of routes) {
    for (const ext of EXTS) {
      app.get(`${prefix}/feed.${ext}`, async (c) => {
        const found = await find(c)
        if ('status' in found) return c.text(found.message, found.status, { 'cache-control': 'no-store' })
        const base = deps.baseUrl ?? new URL(c.req.url).origin
        const abs = (path: string) => new URL(path, base).href
        const paths = feedPaths(found.feedPath ?? found.page.split('?')[0]!, found.feedPath ? undefined : found.query)
        const articles = await fullArticles(store, found.articles)
        const sourceOf = sourceCache(store)
        const items = await Promise.all(articles.map(async (a) => toItem(a, { abs, source: await sourceOf(a.sourceId) })))
        // When our newest copy changed: our clock, so never in the future and steady between requests.
        const modified = articles.reduce<string | null>((m, a) => maxIso(m, maxIso(a.fetchedAt, a.revisedAt)), null)
        const feed: OutFeed = {
          title: found.title, description: found.description, homeUrl: abs(found.page), language: found.language,
          feedUrl: abs(ext === 'xml' ? paths.rss : ext === 'atom' ? paths.atom : paths.json),
          updated: modified ?? deps.now().toISOString(), items,
        }
        const res = respond(c, FORMATS[ext].render(feed), FORMATS[ext].type, modified)
        if (found.private) {
          res.headers.set('cache-control', 'private, max-age=300')
          res.headers.set('x-robots-tag', 'noindex')
        }
        return res
      })
    }
  }
}

/** The path's id, or null when it is too large to name anything. */
function idOf(c: Context): number | null {
  const n = Number(c.req.param('id'))
  return Number.isSafeInteger(n) ? n : null
}

/** One request's look-ups of the sources its articles came from. */
function sourceCache(store: Store): (id: number) => Promise<Source | null> {
  const seen = new Map<number, Promise<Source | null>>()
  return (id) => {
    let p = seen.get(id)
    if (!p) seen.set(id, (p = store.getSource(id)))
    return p
  }
}

/** The full articles (content, author, revision time) of the list, in its order; one deleted meanwhile is left out. */
async function fullArticles(store: Store, list: ArticleSummary[]): Promise<Article[]> {
  const out: (Article | null)[] = list.map(() => null)
  let failure: unknown = null
  await eachLimited(list.map((a, i) => ({ id: a.id, i })), FETCH_CONCURRENCY, async ({ id, i }) => {
    out[i] = await store.getArticle(id)
  }, (e) => { failure ??= e })
  if (failure) throw new Error('feeds-out: reading an article failed', { cause: failure })
  return out.filter((a): a is Article => a !== null)
}

function toItem(a: Article, ctx: { abs: (path: string) => string; source: Source | null }): OutItem {
  const sourcePath = `/sources/${a.sourceId}`
  // RSS `<source url>` names a feed: the publisher's own, else (a site or sitemap source) ours of that source.
  const sourceFeed = ctx.source?.kind === 'feed' ? webHref(ctx.source.url) : null
  return {
    id: ctx.abs(`/articles/${a.id}`),
    url: ctx.abs(articlePath(a)),
    externalUrl: webHref(a.url),
    title: a.title,
    summary: a.summary ?? (a.text ? excerpt(a.text, 300) : null),
    contentHtml: a.html || null,
    published: a.published ?? a.fetchedAt,
    updated: maxIso(a.updated, a.revisedAt),
    author: a.author?.name ?? null,
    source: { title: ctx.source?.title ?? a.sourceTitle, url: sourceFeed ?? ctx.abs(`${sourcePath}/feed.xml`) },
    tags: a.tags.map((t) => t.label),
    lang: a.lang,
    image: webHref(a.leadImage),
  }
}

/** The body with its validators; a matching If-None-Match (else If-Modified-Since) gets 304. */
function respond(c: Context, body: string, type: string, modified: string | null): Response {
  const etag = strongEtag(body)
  // Public and without credentials: web-based readers may fetch it from their own origin.
  const headers: Record<string, string> = { etag, 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }
  if (modified) headers['last-modified'] = new Date(modified).toUTCString()
  const inm = c.req.header('if-none-match')
  const ims = c.req.header('if-modified-since')
  const notModified = inm !== undefined
    ? etagMatches(inm, etag)
    : ims !== undefined && modified !== null && Math.floor(Date.parse(modified) / 1000) <= Math.floor(Date.parse(ims) / 1000)
  if (notModified) return c.body(null, 304, headers)
  return c.body(body, 200, { ...headers, 'content-type': type })
}

/** The time the store lists an article by: publication, or fetch time when there is none or it lies ahead of the fetch. */
function listTime(a: { published: string | null; fetchedAt: string }): string {
  return a.published && a.published < a.fetchedAt ? a.published : a.fetchedAt
}

function newestFirst<T extends ArticleSummary>(list: T[]): T[] {
  return [...list].sort((x, y) => (listTime(y) < listTime(x) ? -1 : listTime(y) > listTime(x) ? 1 : y.id - x.id))
}

function maxIso(a: string | null, b: string | null): string | null {
  if (!a) return b
  if (!b) return a
  return Date.parse(a) >= Date.parse(b) ? a : b
}

function excerpt(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
}
