import type { Enclosure, FeedItem, FeedLink, ParsedFeed, Person, TextConstruct } from '../../domain/types.js'
import { err, ok, stageError, type Result } from '../../domain/result.js'
import { parseDate } from '../dates/parse-date.js'
import { authorName, feedDefaults, finishItem, itemDefaults, joinAuthors, normalizeLanguage, uniqueCategories, uniqueEnclosures } from './common.js'
import { HTML, TEXT } from './construct.js'
import { sanitizeFeedHtml } from './sanitize-feed.js'
import { htmlToText, nonBlank } from './text.js'
import { resolveUrl } from './urls.js'
import { escapeText } from './xml.js'

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null)

/** JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). */
export function parseJsonFeed(text: string, ctx: { url: string | null; contentLanguage?: string | null }): Result<ParsedFeed> {
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    return err(stageError('parse', 'json_invalid', `The feed is not valid JSON: ${detail}`, { cause }))
  }
  const version = isObject(data) ? str(data.version) : null
  const looksLikeJsonFeed = isObject(data) && ((version !== null && /jsonfeed\.org\/version\//i.test(version)) || Array.isArray(data.items))
  if (!isObject(data) || !looksLikeJsonFeed) {
    return err(stageError('parse', 'feed_format_unknown', 'The document is JSON but not a JSON Feed (no "version" or "items").'))
  }

  const homePage = resolveUrl(str(data.home_page_url), ctx.url)
  const base = homePage ?? resolveUrl(str(data.feed_url), ctx.url) ?? ctx.url
  const feedAuthor = authorsOf(data)
  const feedPeople = peopleOf(data)
  const feedLanguage = normalizeLanguage(str(data.language))
  const selfUrl = resolveUrl(str(data.feed_url), ctx.url)
  const plainDetail = (v: unknown): TextConstruct | null => (str(v) ? { value: (str(v) ?? '').trim(), type: TEXT, language: feedLanguage, base } : null)
  const items: FeedItem[] = []
  for (const raw of Array.isArray(data.items) ? data.items : []) {
    if (!isObject(raw)) continue
    const item = parseItem(raw, { base, feedAuthor, feedPeople, feedLanguage })
    if (item) items.push(item)
  }
  const hubs = Array.isArray(data.hubs) ? data.hubs.filter(isObject) : []
  return ok({
    format: 'json',
    version: version !== null && /version\/1\.1/.test(version) ? 'json11' : 'json1',
    title: nonBlank(htmlToText(str(data.title) ?? '')),
    link: homePage,
    description: nonBlank(htmlToText(str(data.description) ?? '')),
    language: feedLanguage ?? normalizeLanguage(ctx.contentLanguage),
    imageUrl: resolveUrl(str(data.icon), base) ?? resolveUrl(str(data.favicon), base),
    ttlMinutes: null,
    hub: hubs.map((h) => resolveUrl(str(h.url), base)).find((u) => u !== null) ?? null,
    items,
    ...feedDefaults(),
    titleDetail: plainDetail(data.title),
    subtitleDetail: plainDetail(data.description),
    authors: feedPeople,
    icon: resolveUrl(str(data.favicon), base),
    logo: resolveUrl(str(data.icon), base),
    links: [
      ...(homePage ? [feedLink(homePage, 'alternate', 'text/html')] : []),
      ...(selfUrl ? [feedLink(selfUrl, 'self', 'application/feed+json')] : []),
    ],
  })
}

const feedLink = (href: string, rel: string, type: string | null, length: number | null = null): FeedLink =>
  ({ href, rel, type, title: null, length, hreflang: null })

function peopleOf(o: Json): Person[] {
  const list = Array.isArray(o.authors) ? o.authors : isObject(o.author) ? [o.author] : []
  return list.filter(isObject).flatMap((a) => {
    const name = str(a.name)?.trim() ?? null
    const href = resolveUrl(str(a.url), null)
    return name || href ? [{ name, email: null, href }] : []
  })
}

/** 1.1 `authors` first, then 1.0 `author`; items inherit the feed's authors (as the spec says). */
function authorsOf(o: Json): string | null {
  const list = Array.isArray(o.authors) ? o.authors : isObject(o.author) ? [o.author] : []
  return joinAuthors(list.filter(isObject).map((a) => authorName(str(a.name))))
}

function parseItem(
  o: Json,
  { base, feedAuthor, feedPeople, feedLanguage }: { base: string | null; feedAuthor: string | null; feedPeople: Person[]; feedLanguage: string | null },
): FeedItem | null {
  const rawId = typeof o.id === 'number' && Number.isFinite(o.id) ? String(o.id) : str(o.id)
  const link = resolveUrl(str(o.url), base) ?? resolveUrl(str(o.external_url), base)
  const title = nonBlank(htmlToText(str(o.title) ?? ''))
  const published = parseDate(str(o.date_published) ?? '')
  const updated = parseDate(str(o.date_modified) ?? '')
  const contentBase = link ?? base
  const html = str(o.content_html)
  const plain = str(o.content_text)
  const contentHtml = html ? sanitizeFeedHtml(html.trim(), { base: contentBase }) : plain ? escapeText(plain.trim()) : null
  const summaryText = str(o.summary)
  const summary = summaryText ? escapeText(summaryText.trim()) : null
  const ownLanguage = normalizeLanguage(str(o.language))
  const language = ownLanguage ?? feedLanguage
  const tags = uniqueCategories((Array.isArray(o.tags) ? o.tags : []).map((t) => (typeof t === 'string' ? t : null)))
  const people = peopleOf(o)
  const content = [
    ...(html ? [{ value: contentHtml ?? '', type: HTML, language, base: contentBase }] : []),
    ...(plain ? [{ value: plain.trim(), type: TEXT, language, base: contentBase }] : []),
  ]

  const enclosures: Enclosure[] = uniqueEnclosures(
    (Array.isArray(o.attachments) ? o.attachments : []).filter(isObject).flatMap((a) => {
      const url = resolveUrl(str(a.url), base)
      const size = a.size_in_bytes
      return url
        ? [{
            url,
            type: str(a.mime_type)?.trim().toLowerCase() ?? null,
            length: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null,
          }]
        : []
    }),
  )

  const partial = {
    title,
    link,
    published,
    updated,
    author: authorsOf(o) ?? feedAuthor,
    contentHtml,
    summary,
    categories: tags,
    imageUrl: resolveUrl(str(o.image), base) ?? resolveUrl(str(o.banner_image), base),
    enclosures,
    ...itemDefaults(),
    titleDetail: title ? { value: (str(o.title) ?? '').trim(), type: TEXT, language, base: contentBase } : null,
    summaryDetail: summaryText ? { value: summaryText.trim(), type: TEXT, language, base: contentBase } : null,
    content,
    authors: people.length > 0 ? people : feedPeople,
    links: [
      ...(link ? [feedLink(link, 'alternate', 'text/html')] : []),
      ...enclosures.map((e) => feedLink(e.url, 'enclosure', e.type, e.length)),
    ],
    tags: tags.map((term) => ({ term, scheme: null, label: null })),
    language: ownLanguage,
  }
  return finishItem(partial, rawId?.trim() || null)
}
