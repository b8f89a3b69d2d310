/**
 * Domain types shared by every layer. Plain JSON-friendly data: dates are ISO 8601 strings in UTC
 * (`2026-11-22T03:00:00.000Z`), so stage outputs can be written to golden files and JSON lines as-is.
 */

export type IsoDate = string

// ───────────────────────────── fetch ─────────────────────────────

export type FetchPurpose = 'feed' | 'page' | 'robots' | 'opml'

export interface FetchRequest {
  url: string
  purpose: FetchPurpose
  /** Conditional GET validators from the last successful fetch. */
  etag?: string | null
  lastModified?: string | null
}

export interface FetchResponse {
  /** Final URL after redirects. */
  url: string
  status: number
  /** Lower-cased header names. */
  headers: Record<string, string>
  /** Decompressed body; empty on 304. */
  body: Uint8Array
  notModified: boolean
  /** Every URL visited before `url`, in order. */
  redirects: string[]
  /** `url` when every redirect on the way was permanent (301, 308): the resource has moved there. */
  movedTo?: string | null
}

// ───────────────────────────── decode ─────────────────────────────

export interface DecodedText {
  text: string
  /** Canonical charset name used (`utf-8`, `windows-1252`, `shift_jis`, …). */
  charset: string
  /** Where the charset came from. */
  via: 'bom' | 'header' | 'xml-declaration' | 'meta' | 'utf8-valid' | 'utf8-mixed' | 'detector' | 'default'
}

// ───────────────────────────── parse ─────────────────────────────

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json' | 'cdf'

/**
 * The exact dialect, in feedparser's vocabulary: `rss090`, `rss091n`, `rss091u`, `rss092`, `rss093`,
 * `rss094`, `rss20`, `rss10`, `rss` (version unknown), `atom01`, `atom02`, `atom03`, `atom10`, `atom`,
 * `cdf`, `json1`, `json11`, or '' when it cannot be told.
 */
export type FeedVersion = string

/**
 * A text construct (title, subtitle, summary, content, rights) with what its markup means. `value` is plain
 * text for `text/plain`; for `text/html` and `application/xhtml+xml` it is HTML, relative URLs made absolute
 * and sanitized with a broad feed allow-list (scripts, handlers and unsafe URLs removed).
 */
export interface TextConstruct {
  value: string
  /** `text/plain`, `text/html` or `application/xhtml+xml`; another media type when the feed says so (base64 data). */
  type: string
  /** xml:lang in scope, else the feed's language (or the HTTP Content-Language). */
  language: string | null
  /** The base URL relative links inside resolve against. */
  base: string | null
}

/** A content element: a text construct, or a pointer to content elsewhere (Atom `src`). */
export interface ContentPart extends TextConstruct {
  src?: string
}

export interface Person {
  name: string | null
  email: string | null
  /** Home page (Atom uri/url). */
  href: string | null
}

export interface FeedLink {
  href: string
  /** alternate (the default), enclosure, related, self, via, hub, license, replies, … */
  rel: string
  type: string | null
  title: string | null
  length: number | null
  hreflang: string | null
}

export interface Category {
  /** Atom `term`, RSS element text. */
  term: string
  scheme: string | null
  label: string | null
}

export interface Generator {
  name: string | null
  href: string | null
  version: string | null
}

export interface Enclosure {
  url: string
  type: string | null
  length: number | null
}

export interface FeedImage {
  url: string
  title: string | null
  link: string | null
  width: number | null
  height: number | null
}

/** Dates as the feed wrote them (the element the parsed date came from, else the last unreadable one). */
export interface DateText {
  published: string | null
  updated: string | null
  created: string | null
  expired: string | null
}

/** Where an item was first published (Atom `<source>`, RSS `<source url>`). */
export interface ItemSource {
  id: string | null
  title: string | null
  titleDetail: TextConstruct | null
  link: string | null
  /** RSS `<source url="…">`: the original feed. */
  href: string | null
  links: FeedLink[]
  subtitleDetail: TextConstruct | null
  rightsDetail: TextConstruct | null
  authors: Person[]
  contributors: Person[]
  tags: Category[]
  generator: Generator | null
  updated: IsoDate | null
  icon: string | null
  logo: string | null
}

export interface FeedItem {
  /** GUID / Atom id / JSON Feed id; falls back to the link when the feed gives none. */
  id: string
  /** Plain text for display (markup stripped). */
  title: string | null
  link: string | null
  published: IsoDate | null
  updated: IsoDate | null
  /** Display byline: the authors' names joined. */
  author: string | null
  /** Full content as HTML, sanitized (the feed allow-list). */
  contentHtml: string | null
  /** Summary/description as HTML, sanitized; kept apart from the content. */
  summary: string | null
  /** Display labels (Atom label, else term), without repeats. */
  categories: string[]
  imageUrl: string | null
  enclosures: Enclosure[]
  /** The title as the feed gives it, with its type (an HTML title keeps its markup here). */
  titleDetail: TextConstruct | null
  summaryDetail: TextConstruct | null
  /** Every content element, in feed order. */
  content: ContentPart[]
  rightsDetail: TextConstruct | null
  authors: Person[]
  contributors: Person[]
  publisher: Person | null
  links: FeedLink[]
  tags: Category[]
  source: ItemSource | null
  /** True when the id is the item's permalink (an RSS guid without isPermaLink="false"). */
  guidIsLink: boolean
  /** RSS `<comments>` page. */
  comments: string | null
  created: IsoDate | null
  expired: IsoDate | null
  /** Language of the item itself (dc:language), when given. */
  language: string | null
  /** Podcasts: itunes:explicit (true explicit, false clean, null unsaid). */
  explicit?: boolean | null
  /** Podcasts: itunes:block = yes (keep this episode out of directories). */
  block?: boolean
  /** A short subtitle (itunes:subtitle), plain text. */
  subtitle?: string | null
  /** The item's license (cc:license, creativeCommons:license, a rel=license link). */
  license?: string | null
  /** The dates as written, for display or diagnosis when they could not be read. */
  dateText?: DateText
}

export interface ParsedFeed {
  /** 'sitemap' and 'site' when the list was read from a sitemap or a site page (sources without a feed). */
  format: FeedFormat | 'sitemap' | 'site'
  version: FeedVersion
  title: string | null
  link: string | null
  description: string | null
  language: string | null
  imageUrl: string | null
  /** `<ttl>` minutes, when given. */
  ttlMinutes: number | null
  /** WebSub hub, when advertised. */
  hub: string | null
  /** RSS `<skipHours>` (0–23, GMT) and `<skipDays>` (`Monday`…): when not to poll. Absent means none. */
  skipHours?: number[]
  skipDays?: string[]
  items: FeedItem[]
  id: string | null
  titleDetail: TextConstruct | null
  /** Subtitle/tagline/description. */
  subtitleDetail: TextConstruct | null
  /** Copyright. */
  rightsDetail: TextConstruct | null
  /** Atom 0.3 `<info>`. */
  infoDetail: TextConstruct | null
  generator: Generator | null
  authors: Person[]
  contributors: Person[]
  publisher: Person | null
  links: FeedLink[]
  tags: Category[]
  updated: IsoDate | null
  published: IsoDate | null
  icon: string | null
  logo: string | null
  /** RSS `<docs>`: the format's documentation URL. */
  docs: string | null
  created?: IsoDate | null
  /** Podcasts: itunes:explicit (true explicit, false clean, null unsaid). */
  explicit?: boolean | null
  /** Podcasts: itunes:block = yes (keep out of directories). */
  block?: boolean
  /** RSS `<textInput>`: a search or comment box the publisher offers (rare, kept for completeness). */
  textInput?: { title: string | null; description: string | null; name: string | null; link: string | null } | null
  /** The RSS `<image>` (a logo with its link and size), when given. */
  image?: FeedImage | null
  /** Where the feed says it has moved (itunes:new-feed-url, `<redirect><newLocation>`). */
  newLocation?: string | null
  dateText?: DateText
}

export interface DiscoveredFeed {
  url: string
  title: string | null
  type: string
}

export interface OpmlOutline {
  title: string
  xmlUrl: string
  htmlUrl: string | null
  category: string | null
  /**
   * Absent for feeds. Sources without a feed travel as `type="link"` outlines, which other readers
   * skip, with `tidingsKind` (and a site's rule as JSON in `tidingsRule`) for Tidings to read back.
   */
  kind?: 'site' | 'sitemap'
  rule?: string | null
}

// ───────────────────────────── extract / clean ─────────────────────────────

export type BlockType = 'p' | 'h2' | 'h3' | 'h4' | 'li' | 'quote' | 'pre'

export interface Block {
  type: BlockType
  text: string
}

export interface Caption {
  text: string
  credit: string | null
  imageUrl: string | null
}

export interface AltLink {
  /** BCP 47 language tag, e.g. `ja`, `en-US`. */
  lang: string
  url: string
}

export interface ExtractedArticle {
  title: string | null
  byline: string | null
  /** Short author bio when the page gives one (JSON-LD, author box). */
  authorBio: string | null
  published: IsoDate | null
  updated: IsoDate | null
  lang: string | null
  siteName: string | null
  description: string | null
  canonicalUrl: string | null
  leadImage: string | null
  blocks: Block[]
  /** Body blocks joined with one newline between blocks. */
  text: string
  /** Sanitized body HTML (allow-list), captions and figures removed. */
  html: string
  captions: Caption[]
  altLinks: AltLink[]
  /** Keywords the publisher declares (article:tag, keywords meta, JSON-LD). */
  keywords: string[]
}

// ───────────────────────────── stored entities ─────────────────────────────

/** `sitemap`: a (news) sitemap; `site`: a page whose article links are followed under a SiteRule. */
export type SourceKind = 'feed' | 'site' | 'sitemap'

/**
 * Which links of a `site` source's page are followed; the operator edits it. Patterns: a path prefix
 * (`/news/`), a glob where `*` stands within one path segment and `**` across them (a trailing `$`
 * anchors the end), a glob on host and path (`example.com/news/`), or `re:` and a regular expression on
 * the whole URL. The syntax is checked by `compileRule` in pipeline/parse/site-links.ts.
 */
export interface SiteRule {
  /** Followed links match one of these; empty means the default article-looking heuristic. */
  include: string[]
  exclude: string[]
  /** CSS selector scoping where links are taken from (`main .headlines`), or null for the whole page. */
  selector: string | null
  /** Links taken per refresh, in page order. */
  maxLinks: number
}

/** One link a site rule picked, shown to the operator as a preview. */
export interface PickedLink {
  url: string
  title: string | null
}

export interface SourceFetchState {
  etag: string | null
  lastModified: string | null
  errorCount: number
  lastErrorCode: string | null
  lastErrorMessage: string | null
  lastFetchedAt: IsoDate | null
  lastSuccessAt: IsoDate | null
  nextCheckAt: IsoDate
  /** First failure of the current run of failures; null after a success. */
  failingSince: IsoDate | null
  /** Set when polling gave up on the source (it keeps failing); null while it is polled. */
  pausedAt: IsoDate | null
  pauseReason: string | null
  /** What the feed said about when to poll it, kept for refreshes that get 304 Not Modified. */
  pollHints: PollHints | null
}

/** A feed's own polling hints (RSS `<ttl>`, `<skipHours>`, `<skipDays>`). */
export interface PollHints {
  ttlMinutes: number | null
  skipHours: number[]
  skipDays: string[]
}

export interface Source extends SourceFetchState {
  id: number
  kind: SourceKind
  /** The URL we poll: a feed URL, or a site page for `site` sources. */
  url: string
  siteUrl: string | null
  title: string
  description: string | null
  language: string | null
  createdAt: IsoDate
  /** For `site` sources: the operator's rule, or null for the default heuristic. */
  rule: SiteRule | null
  /** For `site` sources: the links the rule picked on the last refresh. */
  pickedLinks: PickedLink[] | null
  /**
   * Until when pushed content (WebSub) can be relied on for this source; null when push is off.
   * Written by the WebSub sync only; polling slows down to a safety interval before this time.
   */
  pushActiveUntil: IsoDate | null
  /** The operator's setting for AI features on this source's articles. */
  aiPolicy: AiPolicy
  /** Site-wide signals against AI use last seen for the source (its feed's response, its tdmrep.json). */
  aiOptOut: AiOptOut | null
}

export interface NewSource {
  kind: SourceKind
  url: string
  siteUrl?: string | null
  title?: string | null
  description?: string | null
  language?: string | null
  rule?: SiteRule | null
}

export interface Author {
  id: number
  name: string
  bio: string | null
}

export interface Tag {
  slug: string
  label: string
}

/** What cleaning changed in an article, kept so an operator can inspect it (and a reader can see it was changed). */
export interface CleanupReport {
  /** Blocks taken out of the body (navigation residue, repeated captions, promos), with why. */
  removed: { text: string; reason: string }[]
  /** Out-of-place runs hidden from the reader (e.g. a spam brand name in another script), with why. */
  injected: { text: string; reason: string }[]
  /** Pieces of text repaired from mojibake (bytes read with the wrong charset). */
  repaired: number
  /** Spaces put back where inline markup had swallowed them (`andJapan`). */
  spacesRestored: number
}

/** What the orchestrator hands the store for one article. */
export interface ArticleInput {
  sourceId: number
  guid: string
  /** Where we read it (the item's link after redirects, tracking parameters dropped). */
  url: string
  /** What the page declares as its canonical address; for a syndicated copy, often the original's. */
  canonicalUrl: string | null
  title: string
  author: { name: string; bio: string | null } | null
  published: IsoDate | null
  updated: IsoDate | null
  lang: string | null
  summary: string | null
  blocks: Block[]
  text: string
  html: string
  leadImage: string | null
  captions: Caption[]
  altLinks: AltLink[]
  tags: Tag[]
  /** Hash of what the feed said about the item; unchanged hash means no refetch needed. */
  itemHash: string
  /** Set when the page could not be fetched or extracted and the feed content was used instead. */
  extractError: { code: string; message: string } | null
  /** What cleaning changed; null when it changed nothing. */
  cleanup: CleanupReport | null  /** What the built-in methods made of it (language, summary, key points, hashtags, entities); null before enrichment. */
  enrichment?: Enrichment | null
  /** The publisher's signals against AI use seen on the article's page or response. */
  aiOptOut?: AiOptOut | null
}

export interface Article extends Omit<ArticleInput, 'author'> {
  id: number
  author: Author | null
  sourceTitle: string
  fetchedAt: IsoDate
  /** When the stored text or title last changed (null if never edited). */
  revisedAt: IsoDate | null
  /** Its story (null until clustered) and the duplicate group key it copies (null if none). */
  storyId: number | null
  duplicateOf: number | null
  enrichment: Enrichment | null
  aiOptOut: AiOptOut | null
}

/** The card shape used by lists (home, source, search, related). */
export interface ArticleSummary {
  id: number
  sourceId: number
  sourceTitle: string
  url: string
  title: string
  authorName: string | null
  published: IsoDate | null
  fetchedAt: IsoDate
  lang: string | null
  leadImage: string | null
  /** The start of the text (about 300 characters). */
  excerpt: string
  tags: Tag[]
  /** Visible comments, when the page asked for them. */
  comments?: number
}

// ───────────────────────────── stories ─────────────────────────────

/**
 * How an article came to be in its story: `content` (the clusterer placed it by shared words,
 * entities and time), `duplicate` (a syndicated copy follows its original), `operator` (an operator
 * split or merged; the clusterer never moves it again).
 */
export type PlacedBy = 'content' | 'duplicate' | 'operator'

/** Where the clusterer (or an operator) put an article. */
export interface StoryPlacement {
  /** The story to join; null starts a new story (its id is then the article's id). */
  storyId: number | null
  /** The article of the same duplicate group seen first (the group's key), or null. */
  duplicateOf: number | null
  /** Similarity to the story (or containment in the original, for a copy), 0–1. */
  similarity: number
  placedBy: PlacedBy
}

/** The card of a story: what home and the story list show. */
export interface StorySummary {
  /** The id of the article that started it. */
  id: number
  /** The starting article's title. */
  title: string
  /** Earliest and latest publication (or fetch, when not published) of its live articles. */
  firstAt: IsoDate
  lastAt: IsoDate
  articleCount: number
  sourceCount: number
}

/** One article of a story, with what the story page needs to mark originals and copies. */
export interface StoryMember extends ArticleSummary {
  canonicalUrl: string | null
  duplicateOf: number | null
  similarity: number
  placedBy: PlacedBy
}

export interface StoryDetail extends StorySummary {
  /** Oldest first (publication time, else fetch time). */
  members: StoryMember[]
}

/** What the in-memory clusterer is rebuilt from at start-up: an article with its stored decision. */
export interface ClusterRecord {
  id: number
  sourceId: number
  title: string
  text: string
  /** Publication time, else fetch time. */
  at: IsoDate
  storyId: number | null
  duplicateOf: number | null
  placedBy: PlacedBy | null
}

/** An operator's decision, remembered: `split` took an article out of a story, `merge` moved one story into another. */
export interface StoryDecision {
  kind: 'split' | 'merge'
  /** split: the article taken out; merge: null. */
  articleId: number | null
  /** split: the story it left; merge: the story merged away. */
  fromStory: number
  /** split: the new story; merge: the story kept. */
  toStory: number
  at: IsoDate
}

export interface Revision {
  id: number
  articleId: number
  title: string
  text: string
  /** When this earlier version was replaced. */
  replacedAt: IsoDate
}

export interface Page<T> {
  items: T[]
  /** Opaque cursor for the next page, null at the end. */
  next: string | null
}

// ───────────────────────────── push (WebSub) ─────────────────────────────

/**
 * pending: asked, the hub has not confirmed yet; active: the hub verified our intent and pushes until
 * the lease ends; denied: the hub refused (or could not be asked); expired: the lease ran out unrenewed.
 */
export type WebSubState = 'pending' | 'active' | 'denied' | 'expired'

/** One source's subscription at a WebSub hub (at most one per source). */
export interface WebSubSubscription {
  sourceId: number
  hub: string
  topic: string
  /** Unguessable id in our callback URL (`/websub/<token>`). */
  token: string
  /** HMAC key given to the hub; pushes not signed with it are ignored. */
  secret: string | null
  state: WebSubState
  leaseSeconds: number | null
  leaseExpiresAt: IsoDate | null
  /** When to ask the hub again: lease renewal, a confirmation that never came, or a retry after a refusal. */
  renewAt: IsoDate | null
  requestedAt: IsoDate | null
  verifiedAt: IsoDate | null
  lastPushAt: IsoDate | null
  lastErrorCode: string | null
  lastErrorMessage: string | null
  createdAt: IsoDate
}

// ───────────────────────────── enrichment and AI ─────────────────────────────

export interface Entities {
  people: string[]
  organizations: string[]
  places: string[]
}

/** One sentence of an article's text, with where it sits (character offsets into `text`). */
export interface Sentence {
  index: number
  text: string
  start: number
  end: number
  /** Index of the paragraph (newline-separated block) it belongs to. */
  paragraph: number
}

/** What the built-in methods give every article: no network, no model. */
export interface Enrichment {
  /** ISO 639-1 code where one exists (`en`, `ja`), else ISO 639-3; null when the text is too short to tell. */
  lang: string | null
  /** About three sentences of the article's own text, in article order. */
  summary: string[]
  keyPoints: string[]
  /** Best first. */
  keyphrases: string[]
  hashtags: Tag[]
  entities: Entities
  readingMinutes: number
}

/** An answer made of the article's own sentences; `found: false` means "the article does not say". */
export interface ExtractiveAnswer {
  found: boolean
  sentences: { index: number; text: string; start: number; end: number; score: number }[]
}

/**
 * What a publisher or the operator says about AI use of a source's articles. `signals` lists what
 * was seen (`robots meta noai`, `X-Robots-Tag: noai`, `tdm-reservation: 1`, `tdmrep.json`).
 */
export interface AiOptOut {
  optedOut: boolean
  /** Images only (`noimageai`): text features still run. */
  imagesOnly: boolean
  signals: string[]
  /** Where the TDM policy lives, when a publisher gave one. */
  policyUrl: string | null
}

/** What the operator says about AI use of a source: obey the publisher's signals, or override them. */
export type AiPolicy = 'follow' | 'allow' | 'deny'

/** Model-backed features; each result is cached per subject, feature, model, language and input. */
export type AiFeature = 'summary' | 'answer' | 'translation' | 'story_summary'

export type AiTaskStatus = 'queued' | 'running' | 'done' | 'failed'

/** The cache key of one model result. `lang` is the output language ('' when none); `inputKey` tells questions apart ('' otherwise). */
export interface AiTaskKey {
  subject: 'article' | 'story'
  subjectId: number
  feature: AiFeature
  model: string
  lang: string
  inputKey: string
}

/** One queued, running, finished or failed model task: the queue and the cache are the same row. */
export interface AiTask extends AiTaskKey {
  id: number
  /** What the feature needs besides the subject (the question asked). */
  input: string | null
  status: AiTaskStatus
  /** Feature-specific JSON value once done. */
  result: unknown
  errorCode: string | null
  errorMessage: string | null
  attempts: number
  /** When a queued task may run (after a back-off), or when a running task's lease ends. */
  nextTryAt: IsoDate
  promptTokens: number | null
  completionTokens: number | null
  latencyMs: number | null
  createdAt: IsoDate
  updatedAt: IsoDate
  finishedAt: IsoDate | null
}

/** How a claimed task ended: done with a value, failed for good, or back in the queue for a later try. */
export type AiTaskOutcome =
  | { status: 'done'; result: unknown; promptTokens: number | null; completionTokens: number | null; latencyMs: number | null }
  | { status: 'failed'; errorCode: string; errorMessage: string; latencyMs?: number | null }
  | { status: 'retry'; errorCode: string; errorMessage: string; nextTryAt: IsoDate; latencyMs?: number | null }

/** Per feature and model: what the operator's AI admin shows. */
export interface AiUsage {
  feature: AiFeature
  model: string
  done: number
  failed: number
  queued: number
  running: number
  promptTokens: number
  completionTokens: number
  meanLatencyMs: number | null
}

// ───────────────────────────── readers, comments, moderation ─────────────────────────────

/** admin: sources, users, settings; moderator: comments; reader: comments of their own. */
export type Role = 'admin' | 'moderator' | 'reader'

export interface User {
  id: number
  /** Shown with their comments and used to sign in; unique without regard to case. */
  name: string
  role: Role
  createdAt: IsoDate
  bannedAt: IsoDate | null
  banReason: string | null
  /** Comments of theirs that were published (never held, or let through by a moderator). */
  publishedComments: number
}

/** A user with what signing in needs; never leaves the auth code. */
export interface UserCredentials extends User {
  passwordHash: string
  passwordChangedAt: IsoDate
}

/** A signed-in browser. `id` is the SHA-256 of the cookie's token: the database never holds the token. */
export interface Session {
  id: string
  userId: number
  createdAt: IsoDate
  lastSeenAt: IsoDate
  /** The absolute end, whatever the activity. */
  expiresAt: IsoDate
}

export type CommentSubject = 'article' | 'story'
/** visible: shown; held: waiting for a moderator; hidden: taken down by one; deleted: by its author or a moderator. */
export type CommentStatus = 'visible' | 'held' | 'hidden' | 'deleted'

export interface Comment {
  id: number
  subject: CommentSubject
  subjectId: number
  /** The top-level comment this replies to (one level of replies). */
  parentId: number | null
  userId: number
  userName: string
  /** The author's Markdown source; rendered at read time. Empty once deleted. */
  body: string
  status: CommentStatus
  /** Why it is held or hidden (`first_comment`, `many_links`, `reported`, a moderator's note). */
  statusReason: string | null
  createdAt: IsoDate
  editedAt: IsoDate | null
  /** Open reports (not yet dealt with by a moderator). */
  reports: number
}

export interface CommentReport {
  commentId: number
  userId: number
  userName: string
  reason: string
  createdAt: IsoDate
}
