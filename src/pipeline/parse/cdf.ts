import type { FeedItem, FeedLink, ParsedFeed, TextConstruct } from '../../domain/types.js'
import { parseDate } from '../dates/parse-date.js'
import { baseAt, feedDefaults, finishItem, itemDefaults, noDates, normalizeLanguage, urlAt, type UrlScope } from './common.js'
import { constructHtml, readConstruct, TEXT } from './construct.js'
import { collapse, htmlToText, nonBlank } from './text.js'
import { attr, childrenNamed, descendants, type XEl } from './xml.js'

/**
 * Microsoft's Channel Definition Format (`<CHANNEL HREF="…" LASTMOD="…">` with `<TITLE>`, `<ABSTRACT>` and
 * `<ITEM HREF="…">`), still served by a few old sites. Items nested in sub-channels count as the channel's.
 */
export function parseCdf(root: XEl, ctx: { url: string | null; contentLanguage?: string | null }): ParsedFeed {
  // CDF's own BASE attribute plays the part of xml:base.
  const base = urlAt(attr(root, 'base'), root, { fallbackBase: ctx.url })
  const link = urlAt(attr(root, 'href'), root, { fallbackBase: base ?? ctx.url })
  const scope: UrlScope = { fallbackBase: base ?? link ?? ctx.url }
  const language = normalizeLanguage(root.lang) ?? normalizeLanguage(ctx.contentLanguage)
  const itemEls: XEl[] = []
  descendants(root, (e) => {
    if (e.local === 'item') itemEls.push(e)
    return e.local === 'channel'
  })
  const items: FeedItem[] = []
  for (const el of itemEls) {
    if (!el.complete) continue
    const href = urlAt(attr(el, 'href'), el, scope)
    const titleDetail = text(el, 'title', scope, language)
    const summaryDetail = text(el, 'abstract', scope, language)
    const item = finishItem({
      title: plain(titleDetail),
      link: href,
      published: null,
      updated: parseDate(attr(el, 'lastmod') ?? ''),
      author: null,
      contentHtml: null,
      summary: constructHtml(summaryDetail),
      categories: [],
      imageUrl: null,
      enclosures: [],
      ...itemDefaults(),
      titleDetail,
      summaryDetail,
      links: href ? [alternate(href)] : [],
      dateText: { ...noDates(), updated: nonBlank(attr(el, 'lastmod')?.trim()) },
    }, null)
    if (item) items.push(item)
  }
  const titleDetail = text(root, 'title', scope, language)
  const subtitleDetail = text(root, 'abstract', scope, language)
  return {
    format: 'cdf',
    version: 'cdf',
    title: plain(titleDetail),
    link,
    description: plain(subtitleDetail),
    language,
    imageUrl: null,
    ttlMinutes: null,
    hub: null,
    items,
    ...feedDefaults(),
    titleDetail,
    subtitleDetail,
    links: link ? [alternate(link)] : [],
    updated: parseDate(attr(root, 'lastmod') ?? ''),
    dateText: { ...noDates(), updated: nonBlank(attr(root, 'lastmod')?.trim()) },
  }
}

const alternate = (href: string): FeedLink => ({ href, rel: 'alternate', type: 'text/html', title: null, length: null, hreflang: null })

function text(el: XEl, local: string, scope: UrlScope, language: string | null): TextConstruct | null {
  const found = childrenNamed(el, '', local)[0]
  return found ? readConstruct(found, { dialect: 'rss', defaultType: TEXT, base: baseAt(found, scope), language: found.lang ?? language }) : null
}

function plain(c: TextConstruct | null): string | null {
  if (!c) return null
  return nonBlank(c.type === TEXT ? collapse(c.value) : htmlToText(c.value))
}
