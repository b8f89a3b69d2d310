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
}

// ───────────────────────────── decode ─────────────────────────────

export interface DecodedText {
  text: string
  /** Canonical charset name used (`utf-8`, `windows-1252`, `shift_jis`, …). */
  charset: string
  /** Where the charset came from. */
  via: 'bom' | 'header' | 'xml-declaration' | 'meta' | 'utf8-valid' | 'detector' | 'default'
}

// ───────────────────────────── parse ─────────────────────────────

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json'

export interface Enclosure {
  url: string
  type: string | null
  length: number | null
}

export interface FeedItem {
  /** GUID / Atom id / JSON Feed id; falls back to the link when the feed gives none. */
  id: string
  title: string | null
  link: string | null
  published: IsoDate | null
  updated: IsoDate | null
  author: string | null
  /** Full content as the feed gives it (HTML, unsanitized). */
  contentHtml: string | null
  /** Summary/description (HTML or text as the feed gives it, unsanitized). */
  summary: string | null
  categories: string[]
  imageUrl: string | null
  enclosures: Enclosure[]
}

export interface ParsedFeed {
  format: FeedFormat
  title: string | null
  link: string | null
  description: string | null
  language: string | null
  imageUrl: string | null
  /** `<ttl>` minutes, when given. */
  ttlMinutes: number | null
  /** WebSub hub, when advertised. */
  hub: string | null
  items: FeedItem[]
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

export type SourceKind = 'feed' | 'site'

export interface SourceFetchState {
  etag: string | null
  lastModified: string | null
  errorCount: number
  lastErrorCode: string | null
  lastErrorMessage: string | null
  lastFetchedAt: IsoDate | null
  lastSuccessAt: IsoDate | null
  nextCheckAt: IsoDate
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
}

export interface NewSource {
  kind: SourceKind
  url: string
  siteUrl?: string | null
  title?: string | null
  description?: string | null
  language?: string | null
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
  cleanup: CleanupReport | null
}

export interface Article extends Omit<ArticleInput, 'author'> {
  id: number
  author: Author | null
  sourceTitle: string
  fetchedAt: IsoDate
  /** When the stored text or title last changed (null if never edited). */
  revisedAt: IsoDate | null
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
