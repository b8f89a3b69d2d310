import { createHash } from 'node:crypto'
import type { DateText, Enclosure, FeedItem, ParsedFeed } from '../../domain/types.js'
import { resolveUrl } from './urls.js'
import { attr, childrenNamed, NS, textOf, type XEl } from './xml.js'
import { collapse } from './text.js'

/** Resolves URLs found on one element: its xml:base first, then the feed's link, then the document URL. */
export interface UrlScope {
  fallbackBase: string | null
}

export function urlAt(raw: string | null | undefined, el: XEl | null, scope: UrlScope): string | null {
  return resolveUrl(raw, el?.xmlBase ?? scope.fallbackBase)
}

/** The base for relative URLs inside content found on `el`; an xml:base that is not a web address is ignored. */
export function baseAt(el: XEl | null, scope: UrlScope): string | null {
  for (let e = el; e; e = e.parent) {
    const b = e.xmlBase
    if (b === null) break
    if (/^https?:/i.test(b)) return b
  }
  return scope.fallbackBase
}

/** Stable id for an item without guid or link. */
export function hashId(parts: Array<string | null>): string {
  return `sha1:${createHash('sha1').update(parts.map((p) => p ?? '').join('\n')).digest('hex')}`
}

/**
 * A display name from the author forms feeds use: `jo@example.com (Jo Doe)`, `Jo Doe <jo@example.com>`,
 * `Jo Doe (jo@example.com)`, `mailto:jo@example.com`; a bare address is kept as the name.
 */
export function authorName(raw: string | null | undefined): string | null {
  if (!raw) return null
  const s = collapse(raw).replace(/^mailto:/i, '')
  if (s === '') return null
  // Every form below contains an address.
  if (!s.includes('@')) return s
  const emailThenName = EMAIL_THEN_NAME.exec(s)
  if (emailThenName?.[1]) return emailThenName[1].trim()
  const nameThenEmail = NAME_THEN_EMAIL.exec(s)
  if (nameThenEmail?.[1]) return nameThenEmail[1].replace(/^["']|["']$/g, '').trim()
  const bare = BARE_EMAIL.exec(s)
  if (bare?.[1]) return bare[1]
  return s
}

const EMAIL = '[^\\s()<>@]+@[^\\s()<>@]+'
const EMAIL_THEN_NAME = new RegExp(`^<?${EMAIL}>?\\s*\\((.+)\\)$`)
const NAME_THEN_EMAIL = new RegExp(`^(.+?)\\s*[(<\\[]\\s*(?:mailto:)?${EMAIL}\\s*[)>\\]]$`)
const BARE_EMAIL = new RegExp(`^<(${EMAIL})>$`)

/** Several authors become one byline, in feed order, without repeats. */
export function joinAuthors(names: Array<string | null>): string | null {
  const out: string[] = []
  for (const n of names) if (n && !out.some((o) => o.toLowerCase() === n.toLowerCase())) out.push(n)
  return out.length > 0 ? out.join(', ') : null
}

export function uniqueCategories(values: Array<string | null | undefined>): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const v of values) {
    const c = v ? collapse(v) : ''
    if (c === '' || seen.has(c.toLowerCase())) continue
    seen.add(c.toLowerCase())
    out.push(c)
  }
  return out
}

export function parseLength(raw: string | null): number | null {
  if (raw === null) return null
  const t = raw.trim()
  if (!/^\d+$/.test(t)) return null
  const n = Number(t)
  return Number.isSafeInteger(n) ? n : null
}

export function mimeType(raw: string | null): string | null {
  const t = raw?.trim().toLowerCase()
  return t ? t : null
}

export function uniqueEnclosures(list: Enclosure[]): Enclosure[] {
  const out: Enclosure[] = []
  for (const e of list) if (!out.some((o) => o.url === e.url)) out.push(e)
  return out
}

export function normalizeLanguage(raw: string | null | undefined): string | null {
  const t = raw?.trim().replace(/_/g, '-')
  return t && /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(t) ? t : null
}

export function parseTtl(raw: string | null | undefined): number | null {
  const t = raw?.trim()
  if (!t || !/^\d+$/.test(t)) return null
  const n = Number(t)
  return n > 0 && Number.isSafeInteger(n) ? n : null
}

const IMAGE_EXT = /\.(?:jpe?g|png|gif|webp|avif|svg)(?:[?#]|$)/i

function isImage(type: string | null, medium: string | null, url: string): boolean {
  if (medium !== null) return medium.trim().toLowerCase() === 'image'
  if (type !== null && type.trim() !== '') return type.trim().toLowerCase().startsWith('image/')
  return IMAGE_EXT.test(url)
}

/**
 * The item's picture from Media RSS (an image media:content, else a thumbnail), enclosures and iTunes, in
 * that order. Media RSS elements may sit in the item, inside media:group, or thumbnails inside media:content.
 */
export function itemImage(item: XEl, scope: UrlScope, enclosures: Enclosure[]): string | null {
  return (hasMediaChild(item) ? mediaImage(item, scope) : null) ?? enclosureImage(enclosures) ?? itunesImage(item, scope)
}

function hasMediaChild(el: XEl): boolean {
  for (const c of el.children) if (c.type === 'el' && c.ns === NS.media) return true
  return false
}

function enclosureImage(enclosures: Enclosure[]): string | null {
  for (const e of enclosures) if (isImage(e.type, null, e.url)) return e.url
  return null
}

function mediaImage(item: XEl, scope: UrlScope): string | null {
  const containers = [item, ...childrenNamed(item, NS.media, 'group')]
  const contents = containers.flatMap((c) => childrenNamed(c, NS.media, 'content'))
  // The full-size picture first: a reader can always scale it down, never up.
  for (const content of contents) {
    const url = urlAt(attr(content, 'url'), content, scope)
    if (url && isImage(attr(content, 'type'), attr(content, 'medium'), url)) return url
  }
  for (const el of [...containers, ...contents]) {
    for (const thumb of childrenNamed(el, NS.media, 'thumbnail')) {
      const url = urlAt(attr(thumb, 'url'), thumb, scope)
      if (url) return url
    }
  }
  return null
}

export function itunesImage(el: XEl, scope: UrlScope): string | null {
  for (const img of childrenNamed(el, NS.itunes, 'image')) {
    const url = urlAt(attr(img, 'href') ?? attr(img, 'url') ?? textOf(img), img, scope)
    if (url) return url
  }
  // The old form: <itunes:link rel="image">.
  for (const img of childrenNamed(el, NS.itunes, 'link')) {
    if ((attr(img, 'rel') ?? '').trim().toLowerCase() !== 'image') continue
    const url = urlAt(attr(img, 'href') ?? attr(img, 'url') ?? textOf(img), img, scope)
    if (url) return url
  }
  return null
}

/**
 * Gives a parsed item its id (the feed's own, else the link, else a hash of title and date), or
 * null when it holds nothing at all.
 */
export function finishItem(item: Omit<FeedItem, 'id'>, explicitId: string | null): FeedItem | null {
  if (isEmptyItem(item, explicitId)) return null
  const { title, published, updated, summary, contentHtml } = item
  return { id: explicitId ?? item.link ?? hashId([title, published ?? updated, title || published ? null : (summary ?? contentHtml)]), ...item }
}

/**
 * finishItem for an item built with every field in place (`id` first, as a placeholder): the id is set
 * on it rather than copied into a new object, which for thirty fields costs more than reading them.
 */
export function identify(item: FeedItem, explicitId: string | null): FeedItem | null {
  if (isEmptyItem(item, explicitId)) return null
  const { title, published, updated, summary, contentHtml } = item
  item.id = explicitId ?? item.link ?? hashId([title, published ?? updated, title || published ? null : (summary ?? contentHtml)])
  return item
}

/** Only an item with nothing at all in it is dropped; anything else the orchestrator may still use. */
function isEmptyItem(item: Omit<FeedItem, 'id'>, explicitId: string | null): boolean {
  return (
    explicitId === null && !item.title && !item.link && !item.contentHtml && !item.summary && !item.author &&
    !item.published && !item.updated && !item.imageUrl && item.categories.length === 0 && item.enclosures.length === 0 &&
    !item.titleDetail && !item.summaryDetail && item.content.length === 0 && !item.rightsDetail && item.authors.length === 0 &&
    item.contributors.length === 0 && !item.publisher && item.links.length === 0 && item.tags.length === 0 && !item.source &&
    !item.comments && !item.created && !item.expired && !item.language && !item.license && !item.subtitle &&
    (item.explicit ?? null) === null && !item.block
  )
}

/** The ParsedFeed fields most feeds leave empty, for parsers to override what they find. */
export function feedDefaults(): Omit<ParsedFeed, 'format' | 'version' | 'title' | 'link' | 'description' | 'language' | 'imageUrl' | 'ttlMinutes' | 'hub' | 'items'> {
  return {
    id: null, titleDetail: null, subtitleDetail: null, rightsDetail: null, infoDetail: null, generator: null,
    authors: [], contributors: [], publisher: null, links: [], tags: [], updated: null, published: null,
    icon: null, logo: null, docs: null, created: null, newLocation: null, dateText: noDates(),
  }
}

export const noDates = (): DateText => ({ published: null, updated: null, created: null, expired: null })

/** The FeedItem detail fields, empty. */
export function itemDefaults(): Omit<FeedItem, 'id' | 'title' | 'link' | 'published' | 'updated' | 'author' | 'contentHtml' | 'summary' | 'categories' | 'imageUrl' | 'enclosures'> {
  return {
    titleDetail: null, summaryDetail: null, content: [], rightsDetail: null, authors: [], contributors: [],
    publisher: null, links: [], tags: [], source: null, guidIsLink: false, comments: null, created: null,
    expired: null, language: null, license: null, dateText: noDates(),
  }
}

/**
 * An id as the feed wrote it, made absolute when it is a relative reference (`/posts/12`) and there is a
 * base; ids with a scheme (`tag:`, `urn:`, `http:`) are kept exactly.
 */
export function resolveId(raw: string | null, base: string | null): string | null {
  const id = raw?.trim() ?? ''
  if (id === '') return null
  if (!base || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(id)) return id
  try {
    return new URL(id, base).href
  } catch {
    return id
  }
}

/** itunes:explicit: yes/true/explicit → true, no/false/clean → false, anything else unsaid. */
export function itunesExplicit(el: XEl): boolean | null {
  const v = childrenNamed(el, NS.itunes, 'explicit').map((e) => textOf(e).trim().toLowerCase()).find((t) => t !== '')
  if (v === 'yes' || v === 'true' || v === 'explicit') return true
  if (v === 'no' || v === 'false' || v === 'clean') return false
  return null
}

/** itunes:block: only "yes" blocks (Apple's rule); case and padding do not matter. */
export function itunesBlock(el: XEl): boolean {
  return childrenNamed(el, NS.itunes, 'block').some((e) => textOf(e).trim().toLowerCase() === 'yes')
}
