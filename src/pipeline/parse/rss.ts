import type { Enclosure, FeedItem, ParsedFeed } from '../../domain/types.js'
import { parseDate } from '../dates/parse-date.js'
import {
  authorName, baseAt, finishItem, itemImage, itunesImage, joinAuthors, mimeType, normalizeLanguage,
  parseLength, parseTtl, uniqueCategories, uniqueEnclosures, urlAt, type UrlScope,
} from './common.js'
import { htmlToText, nonBlank } from './text.js'
import { absolutizeHtml, resolveUrl } from './urls.js'
import { attr, child, childrenNamed, elements, firstText, innerHtml, NS, textOf, type NsTest, type XEl } from './xml.js'

/**
 * RSS 0.9x/2.0 (`<rss>`) and RDF (RSS 1.0 and RSS 0.90, `<rdf:RDF>`). Core elements are matched in no
 * namespace or the RSS 1.0 / Netscape 0.90 namespaces; module elements by their namespace URI.
 */
export function parseRss(root: XEl, ctx: { url: string | null; format: 'rss' | 'rdf' }): ParsedFeed {
  const core: NsTest = coreNamespaces(root)
  const channel = child(root, core, 'channel') ?? root
  // RSS 1.0 puts items and image beside the channel; broken RSS 0.9x sometimes does too.
  const itemEls = [...childrenNamed(channel, core, 'item'), ...(channel === root ? [] : childrenNamed(root, core, 'item'))]

  const rawLink = firstText(channel, [[core, 'link']])?.text ?? atomLink(channel, 'alternate')
  const feedLink = resolveUrl(rawLink, channel.xmlBase ?? ctx.url)
  const scope: UrlScope = { fallbackBase: feedLink ?? ctx.url }

  const titleEl = firstText(channel, [[core, 'title'], [NS.dc, 'title']])
  const descEl = firstText(channel, [[core, 'description'], [NS.dc, 'description'], [NS.itunes, 'subtitle'], [NS.itunes, 'summary']])
  const language =
    normalizeLanguage(firstText(channel, [[core, 'language'], [NS.dc, 'language']])?.text) ??
    normalizeLanguage(channel.lang) ??
    normalizeLanguage(root.lang)

  const items: FeedItem[] = []
  for (const el of itemEls) {
    // A truncated download leaves the last item half-written; it will be whole on the next fetch.
    if (!el.complete) continue
    const item = parseItem(el, core, scope)
    if (item) items.push(item)
  }

  return {
    format: ctx.format,
    title: titleEl ? nonBlank(htmlToText(textHtml(titleEl.el))) : null,
    link: feedLink,
    description: descEl ? nonBlank(htmlToText(textHtml(descEl.el))) : null,
    language,
    imageUrl: feedImage(root, channel, core, scope),
    ttlMinutes: parseTtl(firstText(channel, [[core, 'ttl']])?.text),
    hub: resolveUrl(atomLink(channel, 'hub') ?? atomLink(root, 'hub'), channel.xmlBase ?? ctx.url),
    items,
  }
}

function coreNamespaces(root: XEl): NsTest {
  const known = new Set<string>(['', NS.rss10, NS.rss090])
  // `<rss xmlns="…something odd…">`: whatever the root is in counts as core.
  if (root.local === 'rss') known.add(root.ns)
  return [...known]
}

function parseItem(el: XEl, core: NsTest, scope: UrlScope): FeedItem | null {
  const titleEl = firstText(el, [[core, 'title'], [NS.dc, 'title'], [NS.media, 'title']])
  const title = titleEl ? nonBlank(htmlToText(textHtml(titleEl.el))) : null

  const guidEl = childrenNamed(el, core, 'guid').find((g) => textOf(g).trim() !== '')
  const guid = guidEl ? textOf(guidEl).trim() : null
  const about = el.ns === NS.rss10 || el.ns === NS.rss090 ? nonBlank(attr(el, 'about', NS.rdf)?.trim()) : null
  const linkEl = firstText(el, [[core, 'link']])
  const guidIsPermalink = guidEl !== undefined && (attr(guidEl, 'ispermalink') ?? 'true').trim().toLowerCase() !== 'false'
  const link =
    urlAt(linkEl?.text, linkEl?.el ?? el, scope) ??
    urlAt(atomLink(el, 'alternate'), el, scope) ??
    (guidIsPermalink && guid && /^https?:\/\//i.test(guid) ? resolveUrl(guid, null) : null) ??
    (about && /^https?:\/\//i.test(about) ? resolveUrl(about, null) : null)

  const published = dateOf(el, [[core, 'pubdate'], [NS.dc, 'date'], [NS.dcterms, 'issued'], [NS.dcterms, 'created'], [NS.atom, 'published']])
  const updated = dateOf(el, [[NS.dcterms, 'modified'], [NS.atom, 'updated']])

  const author = joinAuthors(
    [
      ...childrenNamed(el, NS.dc, 'creator'),
      ...childrenNamed(el, NS.dc, 'author'),
      ...childrenNamed(el, core, 'author'),
      ...childrenNamed(el, NS.itunes, 'author'),
    ].map((a) => authorName(textOf(a))),
  ) ?? joinAuthors(childrenNamed(el, NS.atom, 'author').map((a) => authorName(firstText(a, [[NS.atom, 'name'], [NS.atom, 'email']])?.text)))

  const contentEl =
    [...childrenNamed(el, NS.content, 'encoded'), ...childrenNamed(el, core, 'fullitem')].find(
      (c) => textOf(c).trim() !== '' || c.children.some((x) => x.type === 'el'),
    ) ?? childrenNamed(el, NS.xhtml, 'body')[0]
  const contentHtml = contentEl
    ? nonBlank(absolutizeHtml(contentEl.ns === NS.xhtml ? innerHtml(contentEl, { topTextIsHtml: false }).trim() : textHtml(contentEl), baseAt(contentEl, scope)))
    : null

  const summaryEl = [
    ...childrenNamed(el, core, 'description'),
    ...childrenNamed(el, NS.dc, 'description'),
    ...childrenNamed(el, NS.itunes, 'summary'),
  ].find((d) => textOf(d).trim() !== '' || d.children.some((x) => x.type === 'el'))
  const summary = summaryEl ? nonBlank(absolutizeHtml(textHtml(summaryEl), baseAt(summaryEl, scope))) : null

  const enclosures: Enclosure[] = uniqueEnclosures([
    ...childrenNamed(el, core, 'enclosure').flatMap((e) => {
      const url = urlAt(attr(e, 'url') ?? attr(e, 'href'), e, scope)
      return url ? [{ url, type: mimeType(attr(e, 'type')), length: parseLength(attr(e, 'length')) }] : []
    }),
    ...atomEnclosures(el, scope),
  ])

  const categories = uniqueCategories([
    ...childrenNamed(el, core, 'category').map(textOf),
    ...childrenNamed(el, NS.dc, 'subject').map(textOf),
    ...childrenNamed(el, NS.atom, 'category').map((c) => attr(c, 'label') ?? attr(c, 'term')),
    ...childrenNamed(el, NS.media, 'category').map(textOf),
    // Podcast items copy the channel's form: <itunes:category text="…">, possibly nested one level.
    ...childrenNamed(el, NS.itunes, 'category').flatMap((c) => [
      attr(c, 'text'),
      ...childrenNamed(c, NS.itunes, 'category').map((sub) => attr(sub, 'text')),
    ]),
  ])

  const partial = {
    title,
    link,
    published,
    updated,
    author,
    contentHtml,
    summary,
    categories,
    imageUrl: itemImage(el, scope, enclosures),
    enclosures,
  }
  return finishItem(partial, guid ?? about)
}

/** An RSS text field as HTML: entity-escaped HTML text, CDATA, and markup that was not escaped at all. */
function textHtml(el: XEl): string {
  return innerHtml(el, { topTextIsHtml: true }).trim()
}

function dateOf(el: XEl, candidates: ReadonlyArray<[NsTest, string]>): string | null {
  for (const [ns, local] of candidates) {
    for (const d of childrenNamed(el, ns, local)) {
      const parsed = parseDate(textOf(d))
      if (parsed) return parsed
    }
  }
  return null
}

/** `<atom:link rel="…" href="…">` inside RSS (rel defaults to alternate). */
function atomLink(el: XEl, rel: string): string | null {
  for (const l of childrenNamed(el, NS.atom, 'link')) {
    const r = (attr(l, 'rel') ?? 'alternate').trim().toLowerCase()
    const href = attr(l, 'href')
    if (r === rel && href && href.trim() !== '') return href
  }
  return null
}

function atomEnclosures(el: XEl, scope: UrlScope): Enclosure[] {
  return childrenNamed(el, NS.atom, 'link').flatMap((l) => {
    if ((attr(l, 'rel') ?? '').trim().toLowerCase() !== 'enclosure') return []
    const url = urlAt(attr(l, 'href'), l, scope)
    return url ? [{ url, type: mimeType(attr(l, 'type')), length: parseLength(attr(l, 'length')) }] : []
  })
}

function feedImage(root: XEl, channel: XEl, core: NsTest, scope: UrlScope): string | null {
  const images = [...childrenNamed(channel, core, 'image'), ...(channel === root ? [] : childrenNamed(root, core, 'image'))]
  for (const img of images) {
    const urlEl = firstText(img, [[core, 'url']])
    const url = urlAt(urlEl?.text ?? attr(img, 'resource', NS.rdf) ?? attr(img, 'about', NS.rdf), urlEl?.el ?? img, scope)
    if (url) return url
  }
  const itunes = itunesImage(channel, scope)
  if (itunes) return itunes
  for (const local of ['logo', 'icon']) {
    const el = elements(channel).find((e) => e.ns === NS.atom && e.local === local)
    const url = el ? urlAt(textOf(el), el, scope) : null
    if (url) return url
  }
  return null
}
