import type { AiTask, AiTaskKey, AiTaskOutcome, AiTaskStatus, AiUsage } from '../domain/types.js'
import type {
  Article, ArticleInput, ArticleSummary, ClusterRecord, IsoDate, NewSource, Page, Revision, Source, SourceFetchState,
  StoryDecision, StoryDetail, StoryPlacement, StorySummary, Tag,
} from '../domain/types.js'
import type { WebSubSubscription } from '../domain/types.js'
import type { Comment, CommentReport, CommentStatus, CommentSubject, Role, Session, User, UserCredentials } from '../domain/types.js'

/** A source with what the sources admin shows next to it. */
export interface SourceWithStats extends Source {
  articleCount: number
  latestArticleAt: IsoDate | null
}

export type SourcePatch = Partial<SourceFetchState & Pick<Source, 'title' | 'siteUrl' | 'description' | 'language' | 'rule' | 'pickedLinks' | 'aiPolicy' | 'aiOptOut'>>

/** `deleted`: the article was deleted by an operator (it may be mid-refresh); nothing was stored. */
export type SaveStatus = 'created' | 'updated' | 'unchanged' | 'deleted'

/**
 * The stored article a feed item is, or the deleted one it was. Matched within one source, strongest
 * first: the same GUID; else the same URL key (pipeline/diff/url-key.ts) as the article's URL or
 * canonical URL; else the same key for the item page's canonical URL. At each level a live article
 * comes before a deleted one.
 */
export interface ArticleRef {
  /** The article's id; for a deleted article, the id it had. */
  id: number
  guid: string
  /** Empty for a deleted article. */
  itemHash: string
  matchedBy: 'guid' | 'url' | 'canonical'
  /** An operator deleted it: it must not be stored again. */
  deleted: boolean
}

export interface ListQuery {
  limit: number
  cursor?: string | null
  sourceId?: number
  tag?: string
  /** Articles by this author: authorSlug(name) of the article's author, across all sources (author pages). */
  author?: string
  /** The article's language or a regional variant of it (`en` matches `en-GB`), without regard to case. */
  lang?: string
  /** Published (else fetched) at or after / before these instants: the list time, as in `since <= t < until`. */
  since?: IsoDate
  until?: IsoDate
}

export interface SearchQuery {
  /** User syntax: words, "quoted phrases", -excluded words. Same meaning on both databases. */
  query: string
  limit: number
  cursor?: string | null
  sourceId?: number
  /** Filters (search page, saved searches, API): the article's language; published (else fetched) in [since, until). */
  lang?: string
  since?: IsoDate
  until?: IsoDate
}

/** A reader's saved search: the search page's query and filters, followed as a feed through `feedToken`. */
export interface SavedSearch {
  id: number
  userId: number
  name: string
  /** Empty: the filters alone (newest first). */
  query: string
  sourceId: number | null
  lang: string | null
  /** Calendar days, YYYY-MM-DD in UTC, both included. */
  from: string | null
  to: string | null
  /** Unguessable (256 bits): the feed's address carries it, so a feed reader needs no cookie. */
  feedToken: string
  createdAt: IsoDate
}

export type NewSavedSearch = Pick<SavedSearch, 'userId' | 'name' | 'query' | 'sourceId' | 'lang' | 'from' | 'to' | 'feedToken'>

/** An author page's heading: the name as first stored under the slug, and a bio where one is known. */
export interface AuthorProfile {
  slug: string
  name: string
  bio: string | null
}

/** A new or replacing WebSub subscription: it starts `pending`. */
export type NewWebSub = Pick<WebSubSubscription, 'sourceId' | 'hub' | 'topic' | 'token' | 'secret' | 'renewAt'>

/** `pushActiveUntil` is written on the source, in the same transaction. */
export type WebSubPatch = Partial<Omit<WebSubSubscription, 'sourceId' | 'hub' | 'topic' | 'token' | 'secret' | 'createdAt'>> & {
  pushActiveUntil?: IsoDate | null
}

export interface NewComment {
  subject: CommentSubject
  subjectId: number
  parentId: number | null
  userId: number
  body: string
  status: 'visible' | 'held'
  statusReason: string | null
}

export type UserPatch = Partial<{ role: Role; passwordHash: string; bannedAt: IsoDate | null; banReason: string | null; resetTokenHash: string | null; resetExpiresAt: IsoDate | null }>

/** One refresh attempt of a source, as the fetch log keeps it (the ingestion health dashboard). */
export interface FetchLogEntry {
  sourceId: number
  startedAt: IsoDate
  outcome: 'updated' | 'not_modified' | 'error'
  /** Null when no response came (a network error, a refused address, a timeout). */
  httpStatus: number | null
  durationMs: number
  bytes: number | null
  itemsSeen: number
  created: number
  updated: number
  /** Items handed to workers as extract jobs. */
  queued: number
  /** Articles stored with their page's extracted text, and from the feed's content instead. */
  fullText: number
  feedFallback: number
  mojibakeRepaired: number
  charsetGuessed: number
  itemErrors: number
  errorCode: string | null
  errorMessage: string | null
}

/** A source's fetch health over the last 24 hours and 7 days, from the fetch log. */
export interface SourceHealth {
  sourceId: number
  /** Attempts, and those that succeeded (updated or not modified). */
  day: { attempts: number; ok: number }
  week: { attempts: number; ok: number }
  /** Attempts in 7 days by HTTP status class: `2xx`, `3xx`, `4xx`, `5xx`, `none` (no response). */
  statusMix: Partial<Record<StatusClass, number>>
  /** Sums over 7 days. */
  extraction: { fullText: number; feedFallback: number; mojibakeRepaired: number; charsetGuessed: number; itemErrors: number }
  /** The latest failed attempts (within the log's 30 days), newest first. */
  lastErrors: { at: IsoDate; code: string; message: string | null; httpStatus: number | null }[]
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'none'

/**
 * The one persistence interface, in domain types. Two databases sit behind it (SQLite, Postgres),
 * kept honest by one contract suite (store.contract.ts).
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  close(): Promise<void>

  getSetting(key: string): Promise<string | null>
  setSetting(key: string, value: string): Promise<void>
  /** Stores the value unless the key has one, and returns what is stored: every process agrees. */
  settingOnce(key: string, value: string): Promise<string>

  /** Adds a source, or returns the existing one with the same URL (`created: false`). */
  addSource(input: NewSource, now: IsoDate): Promise<{ source: Source; created: boolean }>
  getSource(id: number): Promise<Source | null>
  findSourceByUrl(url: string): Promise<Source | null>
  listSources(): Promise<SourceWithStats[]>
  /** Sources whose next check is due at `now`, most overdue first; paused sources are never due. */
  dueSources(now: IsoDate, limit: number): Promise<Source[]>
  /**
   * When the source's latest `limit` articles appeared, newest first (publication time, or when
   * we fetched it if that was earlier or missing): how often it publishes, for adaptive polling.
   */
  recentArticleTimes(sourceId: number, limit: number): Promise<IsoDate[]>
  updateSource(id: number, patch: SourcePatch): Promise<void>
  /** Gives the source a new URL (its feed moved permanently); false when another source already has it. */
  moveSource(id: number, url: string): Promise<boolean>
  /** Removes a source and everything ingested from it. */
  deleteSource(id: number): Promise<boolean>

  /** The stored or deleted article this feed item is (see ArticleRef), or null for a new one. */
  findArticleRef(q: { sourceId: number; guid: string; url: string; canonicalUrl?: string | null }): Promise<ArticleRef | null>
  /**
   * Creates the article, or updates it in place; when the title or text changed meaningfully (more than
   * whitespace), the earlier version is kept as a revision (the newest 50 are kept). `into` is the
   * caller's decision from findArticleRef: a number updates that article (status `deleted` if an
   * operator deleted it meanwhile), null creates a new one (or updates the one with the same GUID).
   * Without it the store matches as findArticleRef does and never re-creates a deleted article.
   */
  saveArticle(input: ArticleInput, now: IsoDate, opts?: { into?: number | null }): Promise<{ id: number; status: SaveStatus }>
  /**
   * Deletes the article with its revisions and tags, out of lists, search and related articles, and
   * leaves a tombstone (GUID, URL keys) so no refresh stores it again. Removing the source clears them.
   */
  deleteArticle(id: number, now: IsoDate): Promise<boolean>
  getArticle(id: number): Promise<Article | null>
  listArticles(q: ListQuery): Promise<Page<ArticleSummary>>
  searchArticles(q: SearchQuery): Promise<Page<ArticleSummary>>
  /**
   * Articles sharing at least one tag with the given one, most shared tags first, then nearest to it in
   * ingest order (id). Each tag is read only around the subject (a bounded number of articles on either
   * side), so a tag on much of the archive stays cheap.
   */
  articlesSharingTags(articleId: number, limit: number): Promise<ArticleSummary[]>
  listRevisions(articleId: number): Promise<Revision[]>
  countArticles(): Promise<number>
  getTag(slug: string): Promise<Tag | null>
  /**
   * The hashtags on most articles at or after `since` (list time), most first, then by slug; only the
   * newest `window` articles of that span are counted, so a busy site pays a bounded cost.
   */
  busyTags(q: { since: IsoDate; limit: number; window?: number }): Promise<(Tag & { count: number })[]>
  /** The author a slug names (authorSlug of the name; several stored spellings may share it), or null. */
  getAuthor(slug: string): Promise<AuthorProfile | null>

  // ─────────────── saved searches ───────────────
  createSavedSearch(input: NewSavedSearch, now: IsoDate): Promise<SavedSearch>
  /** The user's saved searches, oldest first. */
  listSavedSearches(userId: number): Promise<SavedSearch[]>
  /** Only its owner's: false when the id is not one of the user's. */
  renameSavedSearch(id: number, userId: number, name: string): Promise<boolean>
  deleteSavedSearch(id: number, userId: number): Promise<boolean>
  findSavedSearchByToken(token: string): Promise<SavedSearch | null>

  // ─────────────── stories (clustering and syndication) ───────────────
  /**
   * Records where an article goes (creating the story when `storyId` is null, with the article's id
   * as the story's id) and updates the story's counts and times. Placing an article again moves it;
   * an article placed by an operator is only moved by another `placedBy: 'operator'` placement.
   * Returns the story id (the current one, when an operator's placement stood). Throws for an
   * article that is not stored (deleted meanwhile). Times are the articles' list times: publication,
   * or fetch time when there is none or it lies in the future.
   */
  placeInStory(articleId: number, placement: StoryPlacement, now: IsoDate): Promise<number>
  getStory(id: number): Promise<StoryDetail | null>
  /**
   * Stories with at least `minArticles` live articles whose latest article is at or after `since`,
   * latest first (callers rank them); deleted articles do not count.
   */
  recentStories(q: { since: IsoDate; limit: number; minArticles?: number }): Promise<StorySummary[]>
  /**
   * The live articles at or after `since` (publication time, else fetch time; a future date counts as
   * the fetch time), oldest first: what the clusterer is rebuilt from. Beyond `limit`, the newest.
   */
  clusterRecords(q: { since: IsoDate; limit: number }): Promise<ClusterRecord[]>
  /**
   * Takes an article out of its story into a new one of its own (id = the article's id), remembered as
   * a decision; it is no longer marked as a copy. When the article started its story (the story has
   * its id), it keeps that id and the other articles move to a story keyed by the earliest of them,
   * which is then `fromStory`. Null when the article is unknown, in no story, or alone in its story.
   */
  splitFromStory(articleId: number, now: IsoDate): Promise<{ fromStory: number; toStory: number } | null>
  /**
   * Moves every article of story `from` into story `into` (placed by the operator from then on),
   * remembered as a decision; false if either is unknown or empty, or they are the same story.
   */
  mergeStories(from: number, into: number, now: IsoDate): Promise<boolean>
  /** Operator decisions touching a story (as from or to), newest first. */
  storyDecisions(storyId: number): Promise<StoryDecision[]>

  // ─────────────── push (WebSub) ───────────────
  getWebSub(sourceId: number): Promise<WebSubSubscription | null>
  findWebSubByToken(token: string): Promise<WebSubSubscription | null>
  /** Creates the source's subscription or replaces it (hub, topic, token, secret); the source's push is off until verified. */
  putWebSub(input: NewWebSub, now: IsoDate): Promise<WebSubSubscription>
  updateWebSub(sourceId: number, patch: WebSubPatch): Promise<void>
  /** Subscriptions whose `renewAt` has come, earliest first. */
  dueWebSubs(now: IsoDate, limit: number): Promise<WebSubSubscription[]>
  listWebSubs(): Promise<WebSubSubscription[]>

  // ─────────────── AI tasks: the queue of model work and the cache of its results ───────────────
  /**
   * The task for a key, created `queued` (due now) when there is none. A failed task stays failed
   * unless `retryFailed`, which queues it again with its attempts reset (the reader's "try again").
   */
  requestAiTask(key: AiTaskKey, opts: { input?: string | null; now: IsoDate; retryFailed?: boolean }): Promise<AiTask>
  getAiTask(key: AiTaskKey): Promise<AiTask | null>
  getAiTaskById(id: number): Promise<AiTask | null>
  /** Every task of one article or story, newest first. */
  aiTasksFor(subject: AiTaskKey['subject'], subjectId: number): Promise<AiTask[]>
  /**
   * Claims up to `limit` due tasks, oldest due first: queued ones whose time has come, and running ones
   * whose lease ended (their worker died). Each is marked running until `leaseUntil`, attempts + 1.
   * Two workers (processes, machines) never claim the same task.
   */
  claimAiTasks(q: { now: IsoDate; leaseUntil: IsoDate; limit: number }): Promise<AiTask[]>
  /** Records how a claimed task ended; false if it is no longer running (reclaimed, deleted). */
  finishAiTask(id: number, outcome: AiTaskOutcome, now: IsoDate): Promise<boolean>
  /** Tasks by status (all when omitted), most recently updated first. */
  listAiTasks(q: { status?: AiTaskStatus; limit: number }): Promise<AiTask[]>
  /** Counts, tokens and mean latency per feature and model. */
  aiUsage(): Promise<AiUsage[]>

  // ─────────────── readers: accounts and sessions ───────────────
  /** Null when the name is taken (without regard to case). */
  createUser(input: { name: string; passwordHash: string; role: Role }, now: IsoDate): Promise<User | null>
  getUser(id: number): Promise<User | null>
  /** By name without regard to case, with the password hash: for signing in only. */
  findCredentials(name: string): Promise<UserCredentials | null>
  /** The user holding an unexpired reset token (its SHA-256). */
  findUserByResetToken(tokenHash: string, now: IsoDate): Promise<User | null>
  /** Users, newest first; `query` matches names. */
  listUsers(q: { limit: number; query?: string }): Promise<User[]>
  countUsers(): Promise<number>
  /** A new password hash also sets passwordChangedAt and clears any reset token. */
  updateUser(id: number, patch: UserPatch, now: IsoDate): Promise<void>

  createSession(s: Session): Promise<void>
  /** The session and its user when the session exists (expiry is the caller's rule). */
  getSession(id: string): Promise<{ session: Session; user: User } | null>
  touchSession(id: string, now: IsoDate): Promise<void>
  deleteSession(id: string): Promise<void>
  /** Signs a user out everywhere (but `except`, the session making the change). */
  deleteUserSessions(userId: number, except?: string): Promise<number>
  /** Removes sessions idle since before `idleBefore` or past their absolute end. */
  deleteStaleSessions(q: { now: IsoDate; idleBefore: IsoDate }): Promise<number>

  // ─────────────── comments and moderation ───────────────
  /** Throws when the parent is not a top-level comment on the same subject. */
  addComment(c: NewComment, now: IsoDate): Promise<Comment>
  getComment(id: number): Promise<Comment | null>
  /** The subject's comments oldest first; held ones only when `withHeld`, plus the author's own held (`viewerId`). Hidden ones only for moderators (`withHidden`). */
  listComments(subject: CommentSubject, subjectId: number, opts?: { viewerId?: number | null; withHeld?: boolean; withHidden?: boolean }): Promise<Comment[]>
  /** Visible comments per subject id. */
  commentCounts(subject: CommentSubject, ids: number[]): Promise<Map<number, number>>
  /** The author's edit: body and editedAt. */
  editComment(id: number, body: string, now: IsoDate): Promise<void>
  /** Moderation or deletion; `deleted` empties the body. Resolving (any moderator decision) closes its open reports. */
  setCommentStatus(id: number, status: CommentStatus, opts: { reason?: string | null; resolveReports?: boolean; now: IsoDate }): Promise<void>
  /** One report per user and comment; false when this user had already reported it. */
  reportComment(commentId: number, userId: number, reason: string, now: IsoDate): Promise<boolean>
  reportsFor(commentId: number): Promise<CommentReport[]>
  /** Held comments and visible ones with open reports, most reported first, then oldest. */
  moderationQueue(q: { limit: number }): Promise<Comment[]>
  /** Comments by a user since a time (for rate and hold rules). */
  countUserComments(userId: number, since: IsoDate): Promise<number>
  /** Counts a published comment toward the author's record (not held, or let through). */
  notePublished(userId: number): Promise<void>

  // ─────────────── rate limits (shared by every process on the database) ───────────────
  /**
   * Counts one hit on `key` in the fixed window of `windowMs` that holds `now`, and returns the count
   * so far in that window and when it ends. Atomic across processes.
   */
  hitRateLimit(key: string, windowMs: number, now: IsoDate): Promise<{ count: number; resetAt: IsoDate }>
  /** The count without a hit. */
  peekRateLimit(key: string, now: IsoDate): Promise<{ count: number; resetAt: IsoDate } | null>
  clearRateLimit(key: string): Promise<void>

  // ─────────────── per-host pacing shared by worker processes ───────────────
  /**
   * Reserves the next request start to `host` under a token bucket of one token per `intervalMs`, up to
   * `burst` saved (GCRA, atomic across processes), and returns how many ms from `now` that start is.
   */
  paceHost(host: string, opts: { intervalMs: number; burst: number; now: number }): Promise<number>

  // ─────────────── fetch log and ingestion health (kysely-health.ts) ───────────────
  recordFetch(entry: FetchLogEntry): Promise<void>
  /** Removes attempts that started before `before`; returns how many. */
  pruneFetchLog(before: IsoDate): Promise<number>
  /** Per source with attempts in the 7 days before `now` or errors in the log; `errors` latest errors each (default 5). */
  fetchHealth(q: { now: IsoDate; errors?: number }): Promise<SourceHealth[]>
  /** Articles fetched per UTC day (`YYYY-MM-DD`) and source, from `since` on; days without articles are left out. */
  articlesPerDay(q: { since: IsoDate }): Promise<{ sourceId: number; day: string; count: number }[]>
  /** Sources in all, failing (an error in a row, not paused) and paused. */
  sourceCounts(): Promise<{ total: number; failing: number; paused: number }>

  // ─────────────── stored pages: rendered article pages kept in the database (kysely-pages.ts) ───────────────
  /** The page stored under this key hash, or null. */
  getStoredPage(id: number): Promise<StoredPage | null>
  /**
   * getStoredPage without waiting, where the database can read so (SQLite on a file: a read-only
   * connection of its own, opened on first use), else null (Postgres, an in-memory database). What a
   * reader's request waits on most: answered in the same turn of the event loop, with no promise, no
   * connection lock and no query builder. It may throw (a busy or broken file): ask getStoredPage then.
   */
  storedPageReader(): ((id: number) => StoredPageToSend | null) | null
  /**
   * Stores (or replaces) a page, unless a page was dropped anywhere since `epoch` was read (then it may
   * have been rendered from what a write was replacing): returns whether it was stored.
   */
  putStoredPage(page: StoredPage, epoch: number): Promise<boolean>
  /** The drop counter, read before a page is rendered (it moves whenever a trigger drops pages). */
  storedPagesEpoch(): Promise<number>
  /**
   * A window of `window` articles, newest first after `cursor`, and which of them have no fresh page of
   * this build under `keyPrefix + id` (the pages to render); `next` is null at the oldest article.
   */
  pagesToRender(q: { keyPrefix: string; build: string; now: number; cursor: string | null; window: number }): Promise<{ ids: number[]; next: string | null }>
  /** Stored pages in all, those of this build still fresh at `now`, and their bytes. */
  storedPageCounts(q: { build: string; now: number }): Promise<{ pages: number; fresh: number; bytes: number }>
  /** Drops every stored page; returns how many. */
  clearStoredPages(): Promise<number>

  // ─────────────── reader apps (Google Reader, Fever): app passwords, tokens, read and starred state (kysely-reader-state.ts) ───────────────
  /**
   * Sets or replaces the reader's app password (its scrypt hash and its Fever key) and ends the tokens
   * issued under the old one. `readBefore` becomes the reader's read horizon unless they have one.
   */
  setAppPassword(userId: number, p: { passwordHash: string; feverKey: string; readBefore: IsoDate }, now: IsoDate): Promise<void>
  /** Removes the app password and its tokens; read and starred state stay. */
  revokeAppPassword(userId: number): Promise<void>
  getAppPassword(userId: number): Promise<AppPassword | null>
  /** The user whose Fever key (md5 of "name:password") this is. */
  findUserByFeverKey(feverKey: string): Promise<User | null>
  /** A ClientLogin token (its SHA-256); only the newest few per reader are kept. */
  createReaderToken(tokenHash: string, userId: number, now: IsoDate): Promise<void>
  findReaderToken(tokenHash: string): Promise<User | null>
  /** One reader's articles with their state, a page at a time. */
  readerStream(q: ReaderStreamQuery): Promise<{ items: ReaderRef[]; next: string | null }>
  /** The articles with these ids (unknown ones left out), with the reader's state, by id. */
  readerItems(userId: number, ids: number[]): Promise<ReaderItem[]>
  /** Unread articles per source (sources with none left out) and the newest one's list time. */
  readerUnreadCounts(userId: number): Promise<ReaderCount[]>
  setItemsRead(userId: number, ids: number[], read: boolean, now: IsoDate): Promise<void>
  setItemsStarred(userId: number, ids: number[], starred: boolean, now: IsoDate): Promise<void>
  /** Marks read every article fetched at or before `upTo`, of these sources or (without) of all. */
  markAllRead(userId: number, q: { sourceIds?: number[]; upTo: IsoDate }, now: IsoDate): Promise<void>
}

// ─────────────── reader apps: types ───────────────

export interface AppPassword {
  passwordHash: string
  feverKey: string
  setAt: IsoDate
}

export interface ReaderStreamQuery {
  userId: number
  limit: number
  /** The previous page's `next` (same query, same order). */
  cursor?: string | null
  /** `newest`/`oldest` by list time (then id); `id-asc`/`id-desc` by id (Fever). Default newest. */
  order?: 'newest' | 'oldest' | 'id-asc' | 'id-desc'
  sourceIds?: number[]
  /** Only read (true) or only unread (false) articles. */
  read?: boolean
  starred?: boolean
  /** List time at or after / before. */
  since?: IsoDate
  until?: IsoDate
  /** Ids above / below. */
  afterId?: number
  beforeId?: number
  ids?: number[]
}

export interface ReaderRef {
  id: number
  sourceId: number
  /** The list time: publication, else fetch time. */
  sortAt: IsoDate
  fetchedAt: IsoDate
  read: boolean
  starred: boolean
}

export interface ReaderItem extends ReaderRef {
  url: string
  canonicalUrl: string | null
  title: string
  authorName: string | null
  published: IsoDate | null
  /** The stored, sanitized body. */
  html: string
  lang: string | null
  sourceTitle: string
  starredAt: IsoDate | null
}

export interface ReaderCount {
  sourceId: number
  unread: number
  newestAt: IsoDate
}

// ─────────────── stored pages: types ───────────────

/** What sending a stored page needs of it. */
export type StoredPageToSend = Pick<StoredPage, 'key' | 'build' | 'body' | 'headers' | 'etag' | 'freshUntil'>

/** One rendered page as it is answered: the page (gzipped, web/spliced-page.ts) and its headers. */
export interface StoredPage {
  /** A hash of `key` (web/stored-pages.ts); `key` is compared on reading. */
  id: number
  key: string
  articleId: number
  sourceId: number
  storyId: number | null
  /** What rendered it: pages of another build are not served. */
  build: string
  /** The HTML, gzipped. */
  body: Uint8Array
  headers: Record<string, string>
  etag: string
  /** Epoch ms. */
  renderedAt: number
  /** Epoch ms: after this it reads differently (a relative time) or its related list is due again. */
  freshUntil: number
}
