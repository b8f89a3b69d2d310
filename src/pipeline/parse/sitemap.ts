import { gunzipSync } from 'node:zlib'
import type { FeedItem, FetchResponse, IsoDate, ParsedFeed } from '../../domain/types.js'
import { err, ok, stageError, type Result } from '../../domain/result.js'
import { decode } from '../decode/decode.js'
import { parseDate } from '../dates/parse-date.js'
import { feedDefaults, itemDefaults } from './common.js'
import { collapse } from './text.js'
import { resolveUrl } from './urls.js'
import { child, childrenNamed, elements, parseXml, textOf, type XEl } from './xml.js'

/**
 * Sitemaps (sitemaps.org urlset and sitemapindex, with image:image), Google News sitemaps (news:news),
 * plain-text sitemaps (one URL a line) and gzip-compressed files of any of them. The fetcher only undoes
 * Content-Encoding, and `.xml.gz` files are usually served as application/gzip, so gzip is undone here.
 */

export interface SitemapNews {
  title: string | null
  publicationDate: IsoDate | null
  publicationName: string | null
  language: string | null
  keywords: string[]
}

export interface SitemapEntry {
  url: string
  lastmod: IsoDate | null
  changefreq: string | null
  priority: number | null
  images: string[]
  news: SitemapNews | null
}

export interface ChildSitemap {
  url: string
  lastmod: IsoDate | null
}

export type Sitemap =
  | { type: 'urlset'; entries: SitemapEntry[]; /** More entries than `maxEntries`: the rest were left out. */ truncated: boolean }
  | { type: 'index'; sitemaps: ChildSitemap[]; truncated: boolean }

export interface SitemapOptions {
  url: string | null
  contentType?: string | null
  /** The protocol's own limit is 50,000 URLs and 50 MB per file. */
  maxEntries?: number
  /**
   * Bound on the decompressed size of a gzip-compressed sitemap. 20 MB by default, below the protocol's
   * 50 MB: the tolerant tree costs about 15 bytes of heap per byte of sitemap.
   */
  maxBytes?: number
}

const MAX_ENTRIES = 50_000
const MAX_BYTES = 20 * 1024 * 1024
const MAX_IMAGES = 5
const MAX_KEYWORDS = 20
const ANY = (): boolean => true

/** Reads a sitemap, sitemap index or plain-text sitemap; anything else is `sitemap_format_unknown`. */
/** A fetched response read as a sitemap (its final URL and Content-Type apply). */
export function parseSitemapResponse(res: Pick<FetchResponse, 'body' | 'headers' | 'url'>): Result<Sitemap> {
  return parseSitemap(res.body, { url: res.url, contentType: res.headers['content-type'] ?? null })
}

export function parseSitemap(bytes: Uint8Array, opts: SitemapOptions): Result<Sitemap> {
  const maxEntries = opts.maxEntries ?? MAX_ENTRIES
  let body = bytes
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      body = gunzipSync(bytes, { maxOutputLength: opts.maxBytes ?? MAX_BYTES })
    } catch (e) {
      const tooLarge = e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      return err(tooLarge
        ? stageError('parse', 'body_too_large', `The compressed sitemap expands beyond ${Math.round((opts.maxBytes ?? MAX_BYTES) / 1048576)} MB.`)
        : stageError('parse', 'sitemap_malformed', `The sitemap is gzip-compressed but cannot be decompressed: ${(e as Error).message}`))
    }
  }
  const text = decode(body, { contentType: opts.contentType ?? null, kind: 'xml' }).text.replace(/^\uFEFF/, '')
  const trimmed = text.trim()
  if (trimmed === '') return err(stageError('parse', 'sitemap_empty', 'The sitemap is empty.'))
  // A PHP notice printed before the XML is common enough to look past.
  if (!trimmed.startsWith('<') && !/<(?:[\w-]+:)?(?:urlset|sitemapindex)[\s>]/i.test(trimmed.slice(0, 4096))) {
    return parseTextSitemap(trimmed, opts.url, maxEntries)
  }
  const root = findRoot(parseXml(text, { url: opts.url }).elements)
  if (!root) return err(stageError('parse', 'sitemap_format_unknown', 'Not a sitemap: no <urlset> or <sitemapindex> element.'))
  return ok(root.local === 'urlset' ? readUrlset(root, opts.url, maxEntries) : readIndex(root, opts.url, maxEntries))
}

/** The root, a few levels deep at most, so junk around it (a PHP notice, a wrapper element) does not hide it. */
function findRoot(tops: XEl[], depth = 0): XEl | null {
  for (const top of tops) {
    if (top.local === 'urlset' || top.local === 'sitemapindex') return top
    if (depth < 3) {
      const found = findRoot(elements(top), depth + 1)
      if (found) return found
    }
  }
  return null
}

function readUrlset(root: XEl, base: string | null, maxEntries: number): Sitemap {
  const entries: SitemapEntry[] = []
  const seen = new Set<string>()
  const urls = childrenNamed(root, ANY, 'url')
  for (const u of urls) {
    if (entries.length >= maxEntries) break
    const url = locOf(u, base)
    if (!url || seen.has(url)) continue
    seen.add(url)
    entries.push({
      url,
      lastmod: dateOf(child(u, ANY, 'lastmod')),
      changefreq: nonEmpty(child(u, ANY, 'changefreq')),
      priority: priorityOf(child(u, ANY, 'priority')),
      images: childrenNamed(u, ANY, 'image').slice(0, MAX_IMAGES).map((i) => locOf(i, base)).filter((x): x is string => x !== null),
      news: newsOf(child(u, ANY, 'news')),
    })
  }
  return { type: 'urlset', entries, truncated: urls.length > entries.length && entries.length >= maxEntries }
}

function readIndex(root: XEl, base: string | null, maxEntries: number): Sitemap {
  const sitemaps: ChildSitemap[] = []
  const all = childrenNamed(root, ANY, 'sitemap')
  for (const s of all) {
    if (sitemaps.length >= maxEntries) break
    const url = locOf(s, base)
    if (url && !sitemaps.some((x) => x.url === url)) sitemaps.push({ url, lastmod: dateOf(child(s, ANY, 'lastmod')) })
  }
  return { type: 'index', sitemaps, truncated: all.length > sitemaps.length && sitemaps.length >= maxEntries }
}

function newsOf(el: XEl | undefined): SitemapNews | null {
  if (!el) return null
  const pub = child(el, ANY, 'publication')
  const lang = nonEmpty(pub ? child(pub, ANY, 'language') : undefined)
  const keywords: string[] = []
  for (const k of (nonEmpty(child(el, ANY, 'keywords')) ?? '').split(',')) {
    const c = collapse(k)
    if (c && keywords.length < MAX_KEYWORDS && !keywords.some((x) => x.toLowerCase() === c.toLowerCase())) keywords.push(c)
  }
  return {
    title: nonEmpty(child(el, ANY, 'title')),
    publicationDate: dateOf(child(el, ANY, 'publication_date')),
    publicationName: nonEmpty(pub ? child(pub, ANY, 'name') : undefined),
    language: lang && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(lang) ? lang : null,
    keywords,
  }
}

function locOf(el: XEl, base: string | null): string | null {
  const loc = child(el, ANY, 'loc')
  if (!loc) return null
  const raw = textOf(loc).trim()
  return raw.length > 2048 ? null : resolveUrl(raw, base)
}

function dateOf(el: XEl | undefined): IsoDate | null {
  const t = el ? textOf(el).trim() : ''
  return t ? parseDate(t) : null
}

function nonEmpty(el: XEl | undefined): string | null {
  if (!el) return null
  const t = collapse(textOf(el))
  return t === '' ? null : t.slice(0, 1000)
}

function priorityOf(el: XEl | undefined): number | null {
  const n = el ? Number(textOf(el).trim()) : Number.NaN
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null
}

/** One absolute URL a line; a document whose first lines are not URLs is not a sitemap. */
function parseTextSitemap(text: string, base: string | null, maxEntries: number): Result<Sitemap> {
  const lines = text.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l !== '')
  const head = lines.slice(0, 100)
  const isUrl = (l: string) => /^https?:\/\/\S+$/i.test(l) && resolveUrl(l, null) !== null
  const good = head.filter(isUrl).length
  if (!isUrl(head[0] ?? '') || good < head.length * 0.9) {
    return err(stageError('parse', 'sitemap_format_unknown', 'Not a sitemap: the document is neither XML nor a list of URLs.'))
  }
  const entries: SitemapEntry[] = []
  const seen = new Set<string>()
  for (const l of lines) {
    if (entries.length >= maxEntries) break
    const url = isUrl(l) && l.length <= 2048 ? resolveUrl(l, base) : null
    if (!url || seen.has(url)) continue
    seen.add(url)
    entries.push({ url, lastmod: null, changefreq: null, priority: null, images: [], news: null })
  }
  return ok({ type: 'urlset', entries, truncated: lines.length > entries.length && entries.length >= maxEntries })
}

/** True when the entries carry Google News markup (a list of recent articles, not every page of a site). */
export function isNewsSitemap(s: Sitemap): boolean {
  return s.type === 'urlset' && s.entries.some((e) => e.news !== null)
}

/**
 * The children of an index worth reading: the most recently modified first (undated ones after, in
 * document order), at most `max`.
 */
export function pickChildSitemaps(index: ChildSitemap[], opts: { max: number }): ChildSitemap[] {
  return index
    .map((s, i) => ({ s, i, t: s.lastmod ? Date.parse(s.lastmod) : Number.NaN }))
    .sort((a, b) => (Number.isNaN(b.t) ? -Infinity : b.t) - (Number.isNaN(a.t) ? -Infinity : a.t) || a.i - b.i)
    .slice(0, Math.max(0, opts.max))
    .map((x) => x.s)
}

/** `Sitemap:` lines of a robots.txt, made absolute against its URL. */
export function sitemapsFromRobots(text: string, ctx: { url: string }): string[] {
  const out: string[] = []
  for (const m of text.slice(0, 500_000).matchAll(/^[ \t]*sitemap[ \t]*:[ \t]*(\S+)/gim)) {
    const url = resolveUrl(m[1], ctx.url)
    if (url && !out.includes(url)) out.push(url)
    if (out.length >= 50) break
  }
  return out
}

/**
 * Sitemap entries as a feed for the orchestrator: the newest first (news publication date, else
 * lastmod; undated ones after, in document order), at most `maxItems`. Items already stored are
 * skipped cheaply downstream, so taking the newest each time follows a sitemap as it grows.
 */
export function sitemapFeed(entries: SitemapEntry[], ctx: { url: string; maxItems: number }): ParsedFeed {
  const dated = entries
    .map((e, i) => ({ e, i, t: Date.parse(e.news?.publicationDate ?? e.lastmod ?? '') }))
    .sort((a, b) => (Number.isNaN(b.t) ? -Infinity : b.t) - (Number.isNaN(a.t) ? -Infinity : a.t) || a.i - b.i)
    .slice(0, Math.max(0, ctx.maxItems))
  const items = dated.map(({ e }) => listingItem({
    url: e.url,
    title: e.news?.title ?? null,
    // lastmod is when the page last changed, not when it was published: the page's own date is preferred to it.
    published: e.news?.publicationDate ?? null,
    updated: e.lastmod,
    categories: e.news?.keywords ?? [],
    imageUrl: e.images[0] ?? null,
  }))
  const firstNews = entries.find((e) => e.news)?.news ?? null
  let site: string | null = null
  try {
    site = new URL('/', ctx.url).href
  } catch {
    site = null
  }
  return listingFeed({ format: 'sitemap', title: firstNews?.publicationName ?? null, link: site, language: firstNews?.language ?? null, items })
}

/** A feed item for a link found in a sitemap or on a site page: the URL is its id. */
export function listingItem(p: {
  url: string; title: string | null; published?: IsoDate | null; updated?: IsoDate | null; categories?: string[]; imageUrl?: string | null
}): FeedItem {
  return {
    ...itemDefaults(),
    id: p.url, title: p.title, link: p.url, published: p.published ?? null, updated: p.updated ?? null, author: null,
    contentHtml: null, summary: null, categories: p.categories ?? [], imageUrl: p.imageUrl ?? null, enclosures: [], guidIsLink: true,
  }
}

/** The list read from a sitemap or a site page, in the shape the orchestrator takes from feeds. */
export function listingFeed(p: {
  format: 'sitemap' | 'site'; title: string | null; link: string | null; language: string | null; items: FeedItem[]
}): ParsedFeed {
  return {
    ...feedDefaults(),
    format: p.format, version: '', title: p.title, link: p.link, description: null, language: p.language, imageUrl: null,
    ttlMinutes: null, hub: null, items: p.items,
  }
}
