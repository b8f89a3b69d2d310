import { createHash, randomBytes } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { csrf } from 'hono/csrf'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import type { Child } from 'hono/jsx'
import type { Result } from '../domain/result.js'
import { HttpError } from '../domain/errors.js'
import type { Article, ArticleSummary, IsoDate, SiteRule, StoryDetail } from '../domain/types.js'
import type { Store } from '../store/store.js'
import type { RefreshReport } from '../pipeline/deps.js'
import { sourceOutline, type ImportReport, type SubscribeResult } from '../pipeline/subscribe.js'
import { isDefaultRule, ruleFromForm, ruleToForm, type SitePick } from '../pipeline/parse/site-links.js'
import { SiteRulePage, type RulePreview } from './pages/admin-sources.js'
import type { WebSubSync } from '../pipeline/websub-sync.js'
import { rankStories } from '../pipeline/cluster/rank-stories.js'
import { renderOpml } from '../pipeline/parse/opml.js'
import { resumePatch } from '../pipeline/schedule/next-check.js'
import { Layout, type LayoutProps } from './components/layout.js'
import { HomePage, SearchPage, SourcePage, SourcesIndex, TagPage } from './pages/lists.js'
import { AuthorPage } from './pages/author.js'
import { RelatedPage } from './pages/related.js'
import { relatedPage, RECENT_POOL_MAX, RELATED_MAX_PAGES, type RelatedInputs } from './related-stream.js'
import { cachedFor } from './cached-for.js'
import { createPageCache, type PageCache } from './page-cache.js'
import { markStoredPage, type StoredPageTier } from './stored-pages.js'
import { homeSections } from './home-sections.js'
import { hasFilter, parseFilters, storeFilters } from './search-filters.js'
import { savedSearchRoutes } from './saved-search-routes.js'
import { ArticlePage, ConfirmDeleteArticlePage } from './pages/article.js'
import { StoryPage } from './pages/story.js'
import { AdminAiPage } from './pages/admin-ai.js'
import { originalFor, storyView } from './story-view.js'
import { ChangesPage, changesOf } from './pages/changes.js'
import { AdminSourcesPage, ConfirmRemovePage, type Notice } from './pages/admin-sources.js'
import { STYLE_CSS } from './assets/style.js'
import { articlePath } from './paths.js'
import { AI_JS } from './assets/ai-script.js'
import type { AiService } from '../ai/service.js'
import { readerLanguage } from '../ai/service.js'
import { splitSentences } from '../pipeline/enrich/sentences.js'
import type { CommunityConfig } from '../config/config.js'
import { loadConfig } from '../config/config.js'
import { hasRole, sessions, siteSecret, viewerOf, type AuthDeps } from './auth/session.js'
import { authRoutes, registrationOpen } from './auth/routes.js'
import { commentRoutes } from './comments/routes.js'
import { CommentThread } from './components/comments.js'
import { CsrfContext } from './components/csrf.js'
import { AdminUsersPage } from './pages/admin-users.js'
import { AdminJobsPage } from './pages/admin-jobs.js'
import type { JobQueue } from '../jobs/queue.js'
import { feedLinks, feedPaths, feedRoutes } from '../api/feeds-out/routes.js'
import { jsonApiRoutes } from '../api/json/routes.js'
import { greaderRoutes } from '../api/greader/routes.js'
import { feverRoutes } from '../api/fever/routes.js'
import { newToken, tokenHash } from './auth/tokens.js'
import { I18nContext, negotiateLocale, translator, useT } from './i18n/i18n.js'
import { getCookie } from 'hono/cookie'
import { MANIFEST_HREF, SITE_JS_HREF, siteRoutes } from './site-routes.js'
import { honoPageRequest, isAdminRequest, isWarmer, pageKeyOf, themeOf } from './page-key.js'
import type { CommentSubject, Role } from '../domain/types.js'
import type { Metrics } from '../observability/metrics.js'
import type { Logger } from '../observability/logger.js'
import { metricsRoute, observeRequests } from '../observability/http.js'
import { AdminHealthPage, healthView } from './pages/admin-health.js'

export interface WebDeps {
  store: Store
  now: () => Date
  siteTitle: string
  /** Public origin when behind a proxy (used for CSRF origin checks and links). */
  baseUrl: string | null
  /** Rendered pages for readers not signed in (see page-cache.ts); without it, none are kept. */
  pageCache?: { ttlMs: number; maxBytes: number }
  /** Article pages kept in the database behind the page cache (see stored-pages.ts). */
  storedPages?: StoredPageTier
  /** Readers' requests are recorded here (the page warmer waits for a pause in them). */
  readers?: ReaderActivity
  /** When set, /admin asks for it (HTTP Basic, any user name); when not, /admin answers only local requests. */
  adminPassword: string | null
  actions: {
    subscribe(url: string): Promise<Result<SubscribeResult>>
    importOpml(text: string): Promise<Result<ImportReport>>
    /** Refreshes one source through the orchestrator; resolves with its report, or null if unknown. */
    refresh(sourceId: number): Promise<RefreshReport | null>
    /** What a site source's link rule picks on its page now (nothing stored); null if the source is unknown. Without it the rule page shows no preview. */
    previewRule?(sourceId: number, rule: SiteRule | null): Promise<Result<SitePick> | null>
  }
  /** How long adding or refreshing a source waits for the refresh before answering (default REFRESH_WAIT_MS). */
  refreshWaitMs?: number
  /** True while the first fetch of a new install is under way (home says so instead of "empty"). */
  isWarmingUp?: () => boolean
  /** True while the story memory is being rebuilt after a start (`/healthz` says so). */
  storiesRebuilding?: () => boolean
  /** WebSub callbacks (only when push is on: BASE_URL set); `maxBodyBytes` bounds a pushed feed. */
  websub?: { sync: Pick<WebSubSync, 'verify' | 'receive'>; maxBodyBytes: number } | null
  /**
   * An operator's split and merge (the story desk, which keeps the clusterer in step with the store).
   * Without it the story page offers neither.
   */
  stories?: {
    split(articleId: number): Promise<unknown>
    merge(from: number, into: number): Promise<boolean>
  }
  /** AI features: built-in always; model-backed ones when a provider is configured. Without it the article page has no AI panel. */
  ai?: AiService
  /** The site's language, for readers whose browser says nothing (AI_LANGUAGE). */
  siteLang?: string
  /** Where the model is served, shown to the operator. */
  aiBaseUrl?: string | null
  /** Accounts, comments and their limits (defaults when omitted). */
  community?: CommunityConfig
  /** The job queue (JOBS=queue): its depth and dead letters in /admin/jobs. */
  jobs?: Pick<JobQueue, 'kind' | 'counts' | 'dead' | 'retryDead'> | null
  /** This process's metrics: every request is counted and timed, and `/metrics` serves them (without it, neither). */
  metrics?: Metrics
  /** `/metrics` from other machines needs `Authorization: Bearer <token>` (METRICS_TOKEN); without one, only this machine. */
  metricsToken?: string | null
  /** Request logs and server errors (without it, errors go to the console). */
  log?: Logger
}

const CSS_HASH = createHash('sha256').update(STYLE_CSS).digest('hex').slice(0, 10)
const CSS_HREF = `/assets/style.${CSS_HASH}.css`
const AI_JS_HREF = `/assets/ai.${createHash('sha256').update(AI_JS).digest('hex').slice(0, 10)}.js`
const PAGE_SIZE = 20
/** Home's top stories: from the last three days, with two articles or more, the best few by rankStories. */
const TOP_STORIES_HOURS = 72
const TOP_STORIES = 6
const MAX_FORM_BYTES = 6 * 1024 * 1024
/** How long the related lists' pool of newest articles is kept (a new article joins them this late at most). */
const RECENT_POOL_SECONDS = 10
/**
 * How long adding or refreshing a source waits for the refresh before answering. Article pages are
 * fetched at the host's polite pace, which can take minutes on a real host: past this, the refresh
 * goes on in the background and the page says so.
 */
const REFRESH_WAIT_MS = 8_000

/** The promise's value if it settles within `ms`, else 'pending' (the work goes on). */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'pending'>((resolve) => { timer = setTimeout(resolve, ms, 'pending') })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}

/** `?cite=3,7`: sentences a summary across sources points at, marked in the text. */
function citeParam(raw: string | undefined): number[] {
  return (raw ?? '').split(',').slice(0, 20).filter((x) => /^\d{1,5}$/.test(x.trim())).map(Number)
}

/** Row ids are 32-bit on every database: anything else names nothing (and must not reach Postgres as an error). */
function idParam(raw: string | undefined): number {
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw new HttpError(404, 'not_found', 'There is nothing at this address.')
  return n
}

export function createWebApp(deps: WebDeps): Hono {
  return createWebSite(deps).app
}

/** The site's Hono app, and its page cache (which the front door, web/front-door.ts, answers from too). */
export function createWebSite(deps: WebDeps): { app: Hono; pages: PageCache } {
  const app = new Hono()
  // First, so that every answer is counted and logged, errors and refusals included.
  if (deps.metrics && deps.log) app.use('*', observeRequests({ metrics: deps.metrics, log: deps.log }))
  const readers = deps.readers
  if (readers) {
    app.use('*', async (c, next) => {
      if (isWarmer(c)) return next()
      readers.inFlight++
      try {
        await next()
      } finally {
        readers.inFlight--
        readers.lastAt = performance.now()
      }
    })
  }
  /** The reader's locale for the site's own words: `?hl=`, the `hl` cookie, Accept-Language, the site's language. */
  const localeOf = (c: Context) => negotiateLocale({
    choice: c.req.query('hl') ?? null, cookie: getCookie(c, 'hl') ?? null,
    acceptLanguage: c.req.header('accept-language') ?? null, siteLang: deps.siteLang ?? null,
  })
  // Anonymous readers' pages: the public pages only, one copy per language, theme and admin view
  // (web/page-key.ts). First after the request counter: a kept page is sent with the headers of its first
  // answer, before the security headers, the CSRF check and the session run (a browser with a session
  // cookie is not anonymous).
  const pages = createPageCache({
    ttlMs: deps.pageCache?.ttlMs ?? 0, maxBytes: deps.pageCache?.maxBytes ?? 0, now: () => deps.now().getTime(), stored: deps.storedPages,
    key: (r) => pageKeyOf(r, { siteLang: deps.siteLang ?? null, adminPassword: deps.adminPassword }),
  })
  app.use('*', pages.middleware())
  const notices = new Map<string, Notice>()
  const addNotice = (n: Notice) => {
    const id = randomBytes(6).toString('base64url')
    notices.set(id, n)
    if (notices.size > 200) notices.delete(notices.keys().next().value!)
    return id
  }

  app.use('*', secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      imgSrc: ["'self'", 'https:', 'http:', 'data:'],
      styleSrc: ["'self'"],
      scriptSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'strict-origin-when-cross-origin',
    crossOriginEmbedderPolicy: false,
  }))
  // ─────────────── WebSub callbacks ───────────────
  // Hubs call from elsewhere (no Origin, or a foreign one) and hold no admin rights: these routes come
  // before the CSRF check and outside /admin, with their own body limit. The path's token is the credential.
  if (deps.websub) {
    const { sync, maxBodyBytes } = deps.websub
    const plain = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
    app.get('/websub/:token', async (c) => {
      const a = await sync.verify(c.req.param('token'), c.req.query())
      return c.body(a.body, a.status, plain)
    })
    app.post('/websub/:token', bodyLimit({ maxSize: maxBodyBytes, onError: (c) => c.body('too large', 413, plain) }), async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer())
      const a = await sync.receive(c.req.param('token'), {
        contentType: c.req.header('content-type') ?? null, signature: c.req.header('x-hub-signature') ?? null, body,
      })
      return c.body(a.body, a.status, a.status === 503 ? { ...plain, 'retry-after': '60' } : plain)
    })
  }

  // ─────────────── reader apps: the Google Reader and Fever APIs ───────────────
  // Apps call from elsewhere with form POSTs, no Origin and no cookie: these routes come before the CSRF
  // check and the session middleware, with their own body limit, and authenticate by their protocol only.
  {
    const cc = deps.community ?? loadConfig({}).community
    const readerApi = { store: deps.store, now: deps.now, siteTitle: deps.siteTitle, trustProxy: cc.trustProxy, limits: cc.limits, subscribe: deps.actions.subscribe }
    greaderRoutes(app, readerApi)
    feverRoutes(app, readerApi)
  }

  const allowedOrigins = (origin: string, c: Context) =>
    origin === new URL(c.req.url).origin || (deps.baseUrl !== null && origin === new URL(deps.baseUrl).origin)
  app.use('*', csrf({ origin: allowedOrigins }))
  // Only a request that may carry a body: asking a GET for its body builds a whole Request object.
  const formLimit = bodyLimit({ maxSize: MAX_FORM_BYTES, onError: () => { throw new HttpError(413, 'too_large', 'That upload is too large (6 MB at most).') } })
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : formLimit(c, next)))

  const community = deps.community ?? loadConfig({}).community
  const auth: AuthDeps = {
    store: deps.store, now: deps.now, baseUrl: deps.baseUrl, trustProxy: community.trustProxy,
    sessionIdleMs: community.sessionIdleMs, sessionMaxMs: community.sessionMaxMs, secret: siteSecret(deps.store),
  }
  app.use('*', sessions(auth))

  const page = (c: Context, body: Child, p: Omit<LayoutProps, 'children' | 'siteTitle' | 'cssHref'> & { anonymous?: boolean }, status = 200) => {
    const v = viewerOf(c)
    const account = v.user && !p.anonymous ? { name: v.user.name, staff: hasRole(v, 'admin', 'moderator'), csrf: v.csrf } : null
    // Signed-in pages are theirs alone: never kept by a shared cache.
    if (v.user && !p.anonymous) c.header('cache-control', 'private, no-store')
    const tr = translator(localeOf(c))
    // The site's words follow the reader's language: a shared cache must keep one copy per language.
    c.header('vary', 'Accept-Language, Cookie', { append: true })
    return c.html(
      <I18nContext.Provider value={tr}>
        <CsrfContext.Provider value={v.csrf}>
          <Layout {...p} locale={tr.locale} account={account} siteTitle={deps.siteTitle} cssHref={CSS_HREF}
            theme={themeOf(getCookie(c, 'theme'))} path={new URL(c.req.url).pathname + new URL(c.req.url).search} siteScript={SITE_JS_HREF} manifest={MANIFEST_HREF}>{body}</Layout>
        </CsrfContext.Provider>
      </I18nContext.Provider>, status as 200)
  }
  const communityDeps = { auth, config: community, page }
  authRoutes(app, communityDeps)
  commentRoutes(app, communityDeps, { add: (text) => addNotice({ kind: 'ok', text }) })
  /** The thread under an article or a story, as this viewer may see it. */
  const thread = async (c: Context, subject: CommentSubject, subjectId: number, path: string) => {
    const v = viewerOf(c)
    const staff = hasRole(v, 'admin', 'moderator')
    // All of them: the thread decides what this viewer sees (a held or hidden comment with replies stays as a placeholder).
    const comments = await deps.store.listComments(subject, subjectId, { viewerId: v.user?.id ?? null, withHeld: true, withHidden: true })
    const reply = Number(c.req.query('reply'))
    return (
      <CommentThread subject={subject} subjectId={subjectId} path={path} comments={comments} viewer={v.user} staff={staff} now={deps.now()}
        editMinutes={community.editMinutes} maxChars={community.maxChars} enabled={community.comments}
        replyTo={Number.isSafeInteger(reply) && reply > 0 ? reply : null} notice={noticeOf(c)?.text ?? null} />
    )
  }
  /** Visible comment counts for list cards. */
  const withCounts = async <T extends { items: ArticleSummary[] }>(list: T): Promise<T> => {
    if (list.items.length === 0) return list
    const counts = await deps.store.commentCounts('article', list.items.map((a) => a.id))
    return { ...list, items: list.items.map((a) => ({ ...a, comments: counts.get(a.id) ?? 0 })) }
  }
  /** The source or article a path names, or a 404 page. */
  const sourceOr404 = async (raw: string | undefined) => {
    const s = await deps.store.getSource(idParam(raw))
    if (!s) throw new HttpError(404, 'not_found', 'No such source.')
    return s
  }
  const articleOr404 = async (raw: string | undefined) => {
    const a = await deps.store.getArticle(idParam(raw))
    if (!a) throw new HttpError(404, 'not_found', 'No such article.')
    return a
  }
  const storyOr404 = async (raw: string | undefined) => {
    const s = await deps.store.getStory(idParam(raw))
    if (!s) throw new HttpError(404, 'not_found', 'No such story.')
    return s
  }
  // Every article page ranks the site's newest articles among its related candidates: read at most
  // every few seconds, not on every request.
  const relatedInputs: RelatedInputs = {
    store: deps.store,
    recent: cachedFor(RECENT_POOL_SECONDS * 1000, async () => (await deps.store.listArticles({ limit: RECENT_POOL_MAX })).items, () => deps.now().getTime()),
  }
  const noticeOf = (c: Context) => {
    const n = c.req.query('n')
    return n ? notices.get(n) ?? null : null
  }

  app.get(CSS_HREF, (c) => c.body(STYLE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' }))
  app.get(AI_JS_HREF, (c) => c.body(AI_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' }))
  siteRoutes(app, { siteTitle: deps.siteTitle, cssHref: CSS_HREF, page })
  // Liveness and readiness: `stories` is "rebuilding" for the first minutes after a start on a big install.
  app.get('/healthz', async (c) => {
    c.header('cache-control', 'no-store')
    return c.json({ ok: true, articles: await deps.store.countArticles(), stories: deps.storiesRebuilding?.() ? 'rebuilding' : 'ready' })
  })
  if (deps.metrics) metricsRoute(app, { metrics: deps.metrics, token: deps.metricsToken ?? null })

  app.get('/', async (c) => {
    const now = deps.now()
    const cursor = c.req.query('after') ?? null
    const [list, sources, stories] = await Promise.all([
      deps.store.listArticles({ limit: PAGE_SIZE, cursor }),
      deps.store.listSources(),
      // Top stories head the first page only.
      cursor ? [] : deps.store.recentStories({ since: new Date(now.getTime() - TOP_STORIES_HOURS * 3_600_000).toISOString(), limit: 100, minArticles: 2 }),
    ])
    const top = rankStories(stories, { now, limit: TOP_STORIES })
    // Sections by hashtag and by source follow the first page only, like top stories.
    const sections = cursor ? [] : await homeSections(deps.store, sources, now)
    return page(c, <HomePage page={await withCounts(list)} top={top} sections={sections} sources={sources} now={now} fetching={deps.isWarmingUp?.() ?? false} />, { title: deps.siteTitle, current: 'home', feeds: feedLinks(feedPaths('/'), deps.siteTitle) })
  })

  // ─────────────── stories ───────────────
  app.get('/stories/:id{[0-9]+}', async (c) => {
    const story = await storyOr404(c.req.param('id'))
    const [view, decisions] = await Promise.all([storyView(deps.store, story), deps.store.storyDecisions(story.id)])
    const admin = deps.stories !== undefined && isAdmin(c, deps.adminPassword)
    const readerLang = readerLanguage({ choice: c.req.query('lang'), acceptLanguage: c.req.header('accept-language'), siteLang: deps.siteLang ?? 'en' })
    const ai = deps.ai && story.articleCount > 1
      ? { task: await deps.ai.storyView(story.id, { readerLang, allowed: true }), model: deps.ai.model }
      : undefined
    return page(c, <><StoryPage view={view} now={deps.now()} admin={admin} decisions={decisions} notice={noticeOf(c)} ai={ai} />{await thread(c, 'story', story.id, `/stories/${story.id}`)}</>, { title: story.title, scripts: ai?.task ? [AI_JS_HREF] : undefined, feeds: feedLinks(feedPaths(`/stories/${story.id}`), story.title) })
  })

  // ─────────────── revisions ───────────────
  // Registered before the article route, whose optional slug would otherwise take "changes".
  app.get('/articles/:id{[0-9]+}/changes', async (c) => {
    const id = idParam(c.req.param('id'))
    const [a, revisions] = await Promise.all([deps.store.getArticle(id), deps.store.listRevisions(id)])
    if (!a) throw new HttpError(404, 'not_found', 'No such article.')
    const n = Number(c.req.query('page') ?? '1')
    const view = changesOf(a, revisions, { page: Number.isSafeInteger(n) ? n : 1 })
    return page(c, <ChangesPage a={a} view={view} now={deps.now()} />, { title: `Changes: ${a.title}` })
  })

  // The related stream's next pages: full pages (no JavaScript needed) whose cards the site script appends.
  app.get('/articles/:id{[0-9]+}/related', async (c) => {
    const a = await articleOr404(c.req.param('id'))
    const n = Number(c.req.query('page') ?? '1')
    if (!Number.isSafeInteger(n) || n < 1 || n > RELATED_MAX_PAGES) throw new HttpError(404, 'not_found', 'There is nothing at this address.')
    const story = a.storyId === null ? null : await deps.store.getStory(a.storyId)
    const originalP = story ? originalFor(deps.store, a, story) : Promise.resolve(null)
    const [r, original] = await Promise.all([relatedPage(relatedInputs, a, story, originalP, n), originalP])
    return page(c, <RelatedPage a={a} page={n} picks={r.picks} next={r.next} now={deps.now()} originalId={original?.id ?? null} />, { title: a.title, robots: 'noindex' })
  })

  app.get('/articles/:id{[0-9]+}/:slug?', async (c) => {
    const a = await articleOr404(c.req.param('id'))
    markStoredPage(c, { articleId: a.id, sourceId: a.sourceId, storyId: a.storyId, at: a.published ?? a.fetchedAt })
    const story = a.storyId === null ? null : await deps.store.getStory(a.storyId)
    // The article's own original (provenance reads its group's texts) orders the related list and marks a copy.
    const originalP = story ? originalFor(deps.store, a, story) : Promise.resolve(null)
    const [{ picks: related, next: relatedNext }, original] = await Promise.all([relatedPage(relatedInputs, a, story, originalP, 1), originalP])
    const coverage = story && story.articleCount > 1 ? { id: story.id, sources: story.sourceCount, articles: story.articleCount } : null
    const readerLang = readerLanguage({ choice: c.req.query('lang'), acceptLanguage: c.req.header('accept-language'), siteLang: deps.siteLang ?? 'en' })
    const ai = deps.ai
      ? await deps.ai.articleView(a, await deps.store.getSource(a.sourceId), {
        readerLang, question: c.req.query('q') ?? null, translateTo: c.req.query('translate') ?? null,
      })
      : null
    const sentences = ai ? splitSentences(a.text, { lang: ai.enrichment.lang ?? a.lang }) : []
    const asked = ai?.ask || ai?.translation
    return page(c, <><ArticlePage a={a} related={related} relatedNext={relatedNext} coverage={coverage} original={original && original.id !== a.id ? original : null}
      now={deps.now()} admin={isAdmin(c, deps.adminPassword)} ai={ai} sentences={sentences} cite={citeParam(c.req.query('cite'))} />
      {await thread(c, 'article', a.id, articlePath(a))}</>, {
      title: a.title, description: a.summary ?? a.text.slice(0, 200), canonical: deps.baseUrl ? new URL(articlePath(a), deps.baseUrl).toString() : undefined,
      scripts: ai ? [AI_JS_HREF] : undefined,
      // An answer or a translation is one reader's view of the page, not another address for search engines.
      robots: asked ? 'noindex' : undefined,
    })
  })

  // ─────────────── AI tasks: status for the page's script, and "try again" ───────────────
  app.get('/ai/tasks/:id{[0-9]+}', async (c) => {
    const t = deps.ai ? await deps.store.getAiTaskById(idParam(c.req.param('id'))) : null
    if (!t) throw new HttpError(404, 'not_found', 'No such task.')
    c.header('cache-control', 'no-store')
    return c.json({ id: t.id, status: t.status, attempts: t.attempts, error: t.errorCode ? { code: t.errorCode, message: t.errorMessage } : null, nextTryAt: t.nextTryAt })
  })
  app.post('/ai/tasks/:id{[0-9]+}/retry', async (c) => {
    const t = deps.ai ? await deps.ai.retry(idParam(c.req.param('id'))) : null
    if (!t) throw new HttpError(404, 'not_found', 'No such task.')
    const form = await c.req.parseBody()
    const back = typeof form['back'] === 'string' && /^\/(articles|stories)\/[0-9]+[^\s]*$/.test(form['back']) ? form['back'] : t.subject === 'story' ? `/stories/${t.subjectId}` : `/articles/${t.subjectId}`
    return c.redirect(back, 303)
  })

  app.get('/sources', async (c) => page(c, <SourcesIndex sources={await deps.store.listSources()} now={deps.now()} />, { title: 'Sources', current: 'sources' }))

  app.get('/sources/:id{[0-9]+}', async (c) => {
    const source = await sourceOr404(c.req.param('id'))
    const list = await deps.store.listArticles({ limit: PAGE_SIZE, sourceId: source.id, cursor: c.req.query('after') ?? null })
    return page(c, <SourcePage source={source} page={await withCounts(list)} now={deps.now()} />, { title: source.title, current: 'sources', feeds: feedLinks(feedPaths(`/sources/${source.id}`), source.title) })
  })

  app.get('/tags/:slug', async (c) => {
    const slug = c.req.param('slug')
    const tag = await deps.store.getTag(slug)
    if (!tag) throw new HttpError(404, 'not_found', 'No such tag.')
    const list = await deps.store.listArticles({ limit: PAGE_SIZE, tag: tag.slug, cursor: c.req.query('after') ?? null })
    return page(c, <TagPage label={tag.label} slug={tag.slug} page={await withCounts(list)} now={deps.now()} />, { title: `#${tag.label}`, feeds: feedLinks(feedPaths(`/tags/${encodeURIComponent(tag.slug)}`), `#${tag.label}`) })
  })

  app.get('/search', async (c) => {
    const { filters: f, bad } = parseFilters((k) => c.req.query(k))
    const cursor = c.req.query('after') ?? null
    // Filters alone (no words) list the matching articles newest first.
    const list = f.q ? await deps.store.searchArticles({ query: f.q, limit: PAGE_SIZE, cursor, ...storeFilters(f) })
      : hasFilter(f) ? await deps.store.listArticles({ limit: PAGE_SIZE, cursor, ...storeFilters(f) }) : null
    const sources = await deps.store.listSources()
    const feeds = f.q && !hasFilter(f) ? feedPaths('/search', f.q) : null
    return page(c, <SearchPage filters={f} bad={bad} page={list ? await withCounts(list) : null} now={deps.now()} sources={sources}
      canSave={viewerOf(c).user !== null} feeds={feeds} />,
    { title: f.q ? `Search: ${f.q}` : 'Search', current: 'search', query: f.q, robots: hasFilter(f) || cursor ? 'noindex' : undefined, feeds: feeds ? feedLinks(feeds, `Search: ${f.q}`) : undefined })
  })

  app.get('/authors/:slug', async (c) => {
    const author = await deps.store.getAuthor(c.req.param('slug').slice(0, 200))
    if (!author) throw new HttpError(404, 'not_found', 'No such author.')
    const list = await deps.store.listArticles({ limit: PAGE_SIZE, author: author.slug, cursor: c.req.query('after') ?? null })
    const feeds = feedPaths(`/authors/${encodeURIComponent(author.slug)}`)
    return page(c, <AuthorPage author={author} page={await withCounts(list)} now={deps.now()} feeds={feeds} />, { title: author.name, feeds: feedLinks(feeds, author.name) })
  })

  savedSearchRoutes(app, { store: deps.store, now: deps.now, baseUrl: deps.baseUrl, page, addNotice: (text) => addNotice({ kind: 'ok', text }), notice: (c) => noticeOf(c)?.text ?? null })

  feedRoutes(app, { store: deps.store, siteTitle: deps.siteTitle, baseUrl: deps.baseUrl, now: deps.now })
  jsonApiRoutes(app, { store: deps.store, siteTitle: deps.siteTitle, baseUrl: deps.baseUrl, now: deps.now })

  app.get('/sources.opml', async (c) => {
    const sources = await deps.store.listSources()
    const xml = renderOpml(sources.map(sourceOutline), {
      title: `${deps.siteTitle} subscriptions`, now: deps.now().toISOString() as IsoDate,
    })
    return c.body(xml, 200, { 'content-type': 'text/x-opml; charset=utf-8', 'content-disposition': 'attachment; filename="tidings.opml"' })
  })

  // ─────────────── admin ───────────────
  const admin = new Hono()
  admin.use('*', async (c, next) => {
    if (!isAdmin(c, deps.adminPassword)) {
      if (viewerOf(c).user) throw new HttpError(403, 'forbidden', 'Only administrators can manage Tidings.')
      if (deps.adminPassword) return c.text('Sign in to manage Tidings.', 401, { 'www-authenticate': 'Basic realm="Tidings admin", charset="UTF-8"' })
      throw new HttpError(403, 'forbidden', 'Sign in as an administrator to manage Tidings (an admin account is made with `tidings user add NAME --admin`), or set ADMIN_PASSWORD.')
    }
    await next()
  })

  // ─────────────── readers: accounts, roles, bans, reset links, registration ───────────────
  admin.get('/users', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 64)
    const users = await deps.store.listUsers({ limit: 200, query: q || undefined })
    return page(c, <AdminUsersPage users={users} query={q} registrationOpen={await registrationOpen(communityDeps)} notice={noticeOf(c)} me={viewerOf(c).user?.id ?? null} baseUrl={deps.baseUrl} />, { title: 'Readers', current: 'admin', robots: 'noindex' })
  })
  admin.post('/users/:id{[0-9]+}', async (c) => {
    const user = await deps.store.getUser(idParam(c.req.param('id')))
    if (!user) throw new HttpError(404, 'not_found', 'No such user.')
    const f = await c.req.parseBody()
    const t = deps.now()
    let text: string
    if (f['action'] === 'role' && (f['role'] === 'admin' || f['role'] === 'moderator' || f['role'] === 'reader')) {
      if (user.id === viewerOf(c).user?.id && f['role'] !== 'admin') throw new HttpError(400, 'bad_input', 'You cannot take your own admin role away; another admin can.')
      await deps.store.updateUser(user.id, { role: f['role'] as Role }, t.toISOString())
      text = `${user.name} is now ${f['role']}.`
    } else if (f['action'] === 'ban' || f['action'] === 'unban') {
      if (user.id === viewerOf(c).user?.id) throw new HttpError(400, 'bad_input', 'You cannot ban yourself.')
      const ban = f['action'] === 'ban'
      await deps.store.updateUser(user.id, ban ? { bannedAt: t.toISOString(), banReason: typeof f['reason'] === 'string' ? f['reason'].slice(0, 300).trim() || null : null } : { bannedAt: null, banReason: null }, t.toISOString())
      if (ban) await deps.store.deleteUserSessions(user.id)
      text = ban ? `${user.name} is banned and signed out everywhere.` : `${user.name} is no longer banned.`
    } else if (f['action'] === 'reset') {
      const token = newToken()
      await deps.store.updateUser(user.id, { resetTokenHash: tokenHash(token), resetExpiresAt: new Date(t.getTime() + 86_400_000).toISOString() }, t.toISOString())
      text = `Reset link for ${user.name} (valid 24 hours, once): ${deps.baseUrl ? new URL(`/reset/${token}`, deps.baseUrl).toString() : `/reset/${token}`}`
    } else throw new HttpError(400, 'bad_input', 'Unknown action.')
    return c.redirect(`/admin/users?n=${addNotice({ kind: 'ok', text })}`, 303)
  })
  admin.get('/health', async (c) => {
    const view = await healthView({ store: deps.store, jobs: deps.jobs ?? null, now: deps.now(), sort: c.req.query('sort') ?? null })
    return page(c, <AdminHealthPage view={view} />, { title: 'Ingestion health', current: 'admin', robots: 'noindex' })
  })
  admin.get('/jobs', async (c) => {
    const q = deps.jobs ?? null
    const [counts, dead] = q ? await Promise.all([q.counts(), q.dead({ limit: 100 })]) : [[], []]
    return page(c, <AdminJobsPage kind={q?.kind ?? null} counts={counts} dead={dead} notice={noticeOf(c)} />, { title: 'Jobs', current: 'admin', robots: 'noindex' })
  })
  admin.post('/jobs/:id/retry', async (c) => {
    const ok = deps.jobs ? await deps.jobs.retryDead(c.req.param('id').slice(0, 100)) : false
    return c.redirect(`/admin/jobs?n=${addNotice(ok ? { kind: 'ok', text: 'Queued again.' } : { kind: 'error', text: 'That job is not dead any more (or another with its key is running).' })}`, 303)
  })
  admin.post('/settings', async (c) => {
    const f = await c.req.parseBody()
    const open = f['registration'] === 'open'
    await deps.store.setSetting('registration', open ? 'open' : 'closed')
    return c.redirect(`/admin/users?n=${addNotice({ kind: 'ok', text: open ? 'Registration is open.' : 'Registration is closed: only admins add accounts.' })}`, 303)
  })

  admin.get('/sources', async (c) => {
    const n = c.req.query('n')
    const notice = n ? notices.get(n) ?? null : null
    const [sources, push] = await Promise.all([deps.store.listSources(), deps.store.listWebSubs()])
    return page(c, <AdminSourcesPage sources={sources} now={deps.now()} notice={notice} push={push} />, { title: 'Manage sources', current: 'admin' })
  })

  const back = (c: Context, n: Notice, anchor = '') => c.redirect(`/admin/sources?n=${addNotice(n)}${anchor}`, 303)

  admin.post('/sources', async (c) => {
    const form = await c.req.parseBody()
    const url = typeof form['url'] === 'string' ? form['url'] : ''
    if (!url.trim()) return back(c, { kind: 'error', text: 'Enter the address of a feed or a site.' })
    const r = await deps.actions.subscribe(url)
    if (!r.ok) return back(c, { kind: 'error', text: `Could not add ${url.slice(0, 200)}: ${r.error.message} (${r.error.code})` })
    if (!r.value.created) return back(c, { kind: 'ok', text: `Already subscribed to ${r.value.source.title}.` }, `#source-${r.value.source.id}`)
    // The first refresh paces its page fetches politely (see REFRESH_WAIT_MS).
    const report = await within(deps.actions.refresh(r.value.source.id).catch(() => null), deps.refreshWaitMs ?? REFRESH_WAIT_MS)
    const got = report === 'pending' ? ' — its articles are being fetched and appear as they arrive'
      : report && report.outcome !== 'error' ? ` — ${report.created} articles fetched` : ''
    return back(c, { kind: 'ok', text: `Added ${r.value.source.title}${got}.` }, `#source-${r.value.source.id}`)
  })

  admin.post('/sources/import', async (c) => {
    const form = await c.req.parseBody()
    const file = form['opml']
    if (!(file instanceof File) || file.size === 0) return back(c, { kind: 'error', text: 'Choose an OPML file to import.' })
    const r = await deps.actions.importOpml(await file.text())
    if (!r.ok) return back(c, { kind: 'error', text: `Could not import: ${r.error.message}` })
    const { added, existing, failed } = r.value
    const text = `Imported ${added} new source${added === 1 ? '' : 's'}${existing ? `, ${existing} already subscribed` : ''}${failed.length ? `, ${failed.length} skipped (${failed.slice(0, 3).map((f) => f.url).join(', ')})` : ''}. They are fetched in the background.`
    return back(c, { kind: failed.length && !added ? 'error' : 'ok', text })
  })

  admin.post('/sources/:id{[0-9]+}/refresh', async (c) => {
    const { id } = await sourceOr404(c.req.param('id'))
    const r = await within(deps.actions.refresh(id), deps.refreshWaitMs ?? REFRESH_WAIT_MS)
    if (r === 'pending') return back(c, { kind: 'ok', text: 'Refreshing: new articles appear as they arrive.' }, `#source-${id}`)
    if (!r) throw new HttpError(404, 'not_found', 'No such source.')
    const text = r.outcome === 'error'
      ? `Refresh failed: ${r.error?.message} (${r.error?.code})`
      : r.outcome === 'not_modified' ? 'Refreshed: the feed has not changed.' : `Refreshed: ${r.created} new, ${r.updated} updated.`
    return back(c, { kind: r.outcome === 'error' ? 'error' : 'ok', text }, `#source-${r.sourceId}`)
  })

  admin.post('/sources/:id{[0-9]+}/resume', async (c) => {
    const s = await sourceOr404(c.req.param('id'))
    if (!s.pausedAt) return back(c, { kind: 'ok', text: `${s.title} is not paused.` }, `#source-${s.id}`)
    await deps.store.updateSource(s.id, resumePatch(deps.now()))
    return back(c, { kind: 'ok', text: `Resumed ${s.title}: it will be checked in a moment.` }, `#source-${s.id}`)
  })

  admin.get('/ai', async (c) => {
    const [usage, tasks] = await Promise.all([deps.store.aiUsage(), deps.store.listAiTasks({ limit: 50 })])
    return page(c, <AdminAiPage model={deps.ai?.model ?? null} baseUrl={deps.aiBaseUrl ?? null} usage={usage} tasks={tasks} now={deps.now()} />, { title: 'AI', current: 'admin' })
  })

  admin.post('/sources/:id{[0-9]+}/ai', async (c) => {
    const s = await sourceOr404(c.req.param('id'))
    const form = await c.req.parseBody()
    const policy = form['policy']
    if (policy !== 'follow' && policy !== 'allow' && policy !== 'deny') return back(c, { kind: 'error', text: 'Choose how AI features apply to this source.' }, `#source-${s.id}`)
    await deps.store.updateSource(s.id, { aiPolicy: policy })
    const text = policy === 'deny' ? `AI features are off for ${s.title}.`
      : policy === 'allow' ? `AI features are on for ${s.title}, whatever the publisher’s signals say.`
        : `AI features for ${s.title} follow the publisher’s signals.`
    return back(c, { kind: 'ok', text }, `#source-${s.id}`)
  })

  admin.get('/sources/:id{[0-9]+}/delete', async (c) => {
    const id = idParam(c.req.param('id'))
    const s = (await deps.store.listSources()).find((x) => x.id === id)
    if (!s) throw new HttpError(404, 'not_found', 'No such source.')
    return page(c, <ConfirmRemovePage source={s} />, { title: `Remove ${s.title}?`, current: 'admin' })
  })

  admin.post('/sources/:id{[0-9]+}/delete', async (c) => {
    const s = await sourceOr404(c.req.param('id'))
    await deps.store.deleteSource(s.id)
    return back(c, { kind: 'ok', text: `Removed ${s.title} and its articles.` })
  })

  // ─────────────── article deletion (sticks across refreshes) ───────────────
  admin.get('/articles/:id{[0-9]+}/delete', async (c) => {
    const a = await articleOr404(c.req.param('id'))
    return page(c, <ConfirmDeleteArticlePage a={a} />, { title: `Delete “${a.title}”?`, current: 'admin' })
  })

  admin.post('/articles/:id{[0-9]+}/delete', async (c) => {
    const a = await articleOr404(c.req.param('id'))
    await deps.store.deleteArticle(a.id, deps.now().toISOString())
    return back(c, { kind: 'ok', text: `Deleted “${a.title}” from ${a.sourceTitle}; refreshing the source will not bring it back.` }, `#source-${a.sourceId}`)
  })

  // ─────────────── stories: an operator's split and merge ───────────────
  const storyActions = () => {
    if (!deps.stories) throw new HttpError(404, 'not_found', 'Splitting and merging stories is not available here.')
    return deps.stories
  }
  const toStory = (c: Context, id: number, n: Notice) => c.redirect(`/stories/${id}?n=${addNotice(n)}`, 303)

  admin.post('/stories/:id{[0-9]+}/split', async (c) => {
    const actions = storyActions()
    const story = await storyOr404(c.req.param('id'))
    const form = await c.req.parseBody()
    const articleId = Number(typeof form['article'] === 'string' ? form['article'] : '')
    const m = story.members.find((x) => x.id === articleId)
    if (!m) throw new HttpError(400, 'not_a_member', 'That article is not part of this story.')
    if (story.articleCount < 2) return toStory(c, story.id, { kind: 'error', text: `“${m.title}” is the story's only article: there is nothing to split it from.` })
    const r = await actions.split(m.id)
    // A split of the article that started the story leaves the others under a new id (Store.splitFromStory).
    const from = r && typeof r === 'object' && typeof (r as { fromStory?: unknown }).fromStory === 'number' ? (r as { fromStory: number }).fromStory : story.id
    return toStory(c, from, { kind: 'ok', text: `Split “${m.title}” (${m.sourceTitle}) into a story of its own; it stays there.` })
  })

  admin.post('/stories/:id{[0-9]+}/merge', async (c) => {
    const actions = storyActions()
    const story = await storyOr404(c.req.param('id'))
    const form = await c.req.parseBody()
    const into = Number(typeof form['into'] === 'string' ? form['into'].trim().replace(/^#/, '') : '')
    if (!Number.isSafeInteger(into) || into < 1 || into > 2_147_483_647 || into === story.id) {
      return toStory(c, story.id, { kind: 'error', text: 'Enter the number of another story to merge this one into.' })
    }
    if (!await actions.merge(story.id, into)) return toStory(c, story.id, { kind: 'error', text: `There is no story #${into} to merge into.` })
    return toStory(c, into, { kind: 'ok', text: `Merged story #${story.id} (“${story.title}”) into this one.` })
  })

  // ─────────────── site sources: the link rule ───────────────
  const siteSource = async (raw: string | undefined) => {
    const s = await sourceOr404(raw)
    if (s.kind !== 'site') throw new HttpError(404, 'not_found', `${s.title} is read as a ${s.kind}, which has no link rule.`)
    return s
  }
  const rulePreview = async (id: number, rule: SiteRule | null): Promise<RulePreview | null> => {
    const r = await deps.actions.previewRule?.(id, rule)
    if (!r) return null
    return r.ok ? { ok: true, links: r.value.links, candidates: r.value.candidates } : { ok: false, message: `${r.error.message} (${r.error.code})` }
  }

  admin.get('/sources/:id{[0-9]+}/rule', async (c) => {
    const s = await siteSource(c.req.param('id'))
    const n = c.req.query('n')
    const preview = await rulePreview(s.id, s.rule)
    return page(c, <SiteRulePage source={s} form={ruleToForm(s.rule)} problems={[]} preview={preview} notice={n ? notices.get(n) ?? null : null} />,
      { title: `Link rule: ${s.title}`, current: 'admin' })
  })

  admin.post('/sources/:id{[0-9]+}/rule', async (c) => {
    const s = await siteSource(c.req.param('id'))
    const body = await c.req.parseBody()
    const field = (k: string) => (typeof body[k] === 'string' ? body[k] : '').slice(0, 20_000)
    const form = { include: field('include'), exclude: field('exclude'), selector: field('selector'), maxLinks: field('maxLinks') }
    const r = ruleFromForm(form)
    const title = `Link rule: ${s.title}`
    // A bad pattern is the operator's to fix: the form comes back with each problem next to its field.
    if (!r.ok) return page(c, <SiteRulePage source={s} form={form} problems={r.error} preview={null} notice={null} />, { title, current: 'admin' }, 400)
    const rule = isDefaultRule(r.value) ? null : r.value
    if (field('action') === 'preview') {
      const notice: Notice = { kind: 'ok', text: 'Preview of the rule as typed: it is not saved yet.' }
      return page(c, <SiteRulePage source={s} form={form} problems={[]} preview={await rulePreview(s.id, rule)} notice={notice} />, { title, current: 'admin' })
    }
    await deps.store.updateSource(s.id, { rule })
    const text = rule ? 'Rule saved: the next refresh follows the links it picks.' : 'Saved: the default rule (article-looking links on the same site) applies.'
    return c.redirect(`/admin/sources/${s.id}/rule?n=${addNotice({ kind: 'ok', text })}`, 303)
  })

  app.route('/admin', admin)

  app.notFound((c) => page(c, <ErrorBody status={404} message="There is nothing at this address." />, { title: 'Not found' }, 404))
  app.onError((e, c) => {
    const status = e instanceof HttpError ? e.status : (e as { status?: number }).status ?? 500
    if (status >= 500) {
      if (deps.log) deps.log.error({ component: 'web', err: e }, 'unhandled error')
      else console.error('web:', e)
    }
    const message = e instanceof HttpError ? e.message : status < 500 ? e.message : 'Something went wrong on our side.'
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: e instanceof HttpError ? e.code : 'internal', message } }, status as 500)
    return page(c, <ErrorBody status={status} message={message} />, { title: status === 404 ? 'Not found' : 'Error' }, status)
  })
  return { app, pages }
}

function ErrorBody(p: { status: number; message: string }) {
  const { t } = useT()
  return (
    <section>
      <h1 class="page-title">{t(p.status === 404 ? 'error.notFound' : p.status === 403 ? 'error.forbidden' : 'error.error')}</h1>
      <p>{p.message}</p>
      <p><a href="/">{t('error.back')}</a></p>
    </section>
  )
}

/** When readers last asked for something, and how many answers are under way (the page warmer waits for a pause). */
export interface ReaderActivity { inFlight: number; lastAt: number }

/** A signed-in admin, or the admin password / this machine (web/page-key.ts); never the warmer. */
function isAdmin(c: Context, password: string | null): boolean {
  return !isWarmer(c) && (hasRole(viewerOf(c), 'admin') || isAdminRequest(honoPageRequest(c), password))
}

