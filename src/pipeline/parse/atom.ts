import type { Enclosure, FeedItem, ParsedFeed } from '../../domain/types.js'
import { parseDate } from '../dates/parse-date.js'
import {
  authorName, baseAt, finishItem, itemImage, itunesImage, joinAuthors, mimeType, normalizeLanguage,
  parseLength, uniqueCategories, uniqueEnclosures, urlAt, type UrlScope,
} from './common.js'
import { collapse, htmlToText, nonBlank } from './text.js'
import { absolutizeHtml, resolveUrl } from './urls.js'
import { attr, childrenNamed, elements, escapeText, firstText, innerHtml, NS, textOf, type XEl } from './xml.js'

/** Atom 1.0 and 0.3 (`<feed>`, or a lone `<entry>` document). Elements are matched in the root's namespace. */
export function parseAtom(root: XEl, ctx: { url: string | null }): ParsedFeed {
  const ns = root.ns
  const isFeed = root.local === 'feed'
  const feedLinkEl = isFeed ? pickLink(root, ns) : null
  const feedLink = feedLinkEl ? resolveUrl(hrefOf(feedLinkEl), feedLinkEl.xmlBase ?? ctx.url) : null
  const scope: UrlScope = { fallbackBase: feedLink ?? ctx.url }
  const feedAuthors = isFeed ? authorsOf(root, ns) : null

  const items: FeedItem[] = []
  for (const el of isFeed ? childrenNamed(root, ns, 'entry') : [root]) {
    if (!el.complete) continue // truncated download: the last entry is half-written
    const item = parseEntry(el, ns, scope, feedAuthors)
    if (item) items.push(item)
  }

  if (!isFeed) {
    return { format: 'atom', title: null, link: null, description: null, language: null, imageUrl: null, ttlMinutes: null, hub: null, items }
  }

  const title = childrenNamed(root, ns, 'title')[0]
  const subtitle = childrenNamed(root, ns, 'subtitle')[0] ?? childrenNamed(root, ns, 'tagline')[0] ?? childrenNamed(root, ns, 'info')[0]
  const hubEl = childrenNamed(root, ns, 'link').find((l) => relOf(l) === 'hub' && attr(l, 'href'))
  return {
    format: 'atom',
    title: title ? plainText(title) : null,
    link: feedLink,
    description: subtitle ? plainText(subtitle) : null,
    language: normalizeLanguage(root.lang) ?? normalizeLanguage(firstText(root, [[NS.dc, 'language']])?.text),
    imageUrl: feedImage(root, ns, scope),
    ttlMinutes: null,
    hub: hubEl ? resolveUrl(attr(hubEl, 'href'), hubEl.xmlBase ?? ctx.url) : null,
    items,
  }
}

function parseEntry(el: XEl, ns: string, scope: UrlScope, feedAuthors: string | null): FeedItem | null {
  const titleEl = childrenNamed(el, ns, 'title')[0] ?? childrenNamed(el, NS.media, 'title')[0]
  const title = titleEl ? plainText(titleEl) : null
  const id = nonBlank(firstText(el, [[ns, 'id']])?.text ?? null)

  const linkEl = pickLink(el, ns)
  const link = (linkEl ? urlAt(hrefOf(linkEl), linkEl, scope) : null) ?? (id && /^https?:\/\//i.test(id) ? resolveUrl(id, null) : null)

  const published = dateOf(el, [[ns, 'published'], [ns, 'issued'], [ns, 'created'], [NS.dc, 'date']])
  const updated = dateOf(el, [[ns, 'updated'], [ns, 'modified']])

  const source = childrenNamed(el, ns, 'source')[0]
  const author = authorsOf(el, ns) ?? (source ? authorsOf(source, ns) : null) ?? feedAuthors

  const contentEl = childrenNamed(el, ns, 'content').find((c) => !attr(c, 'src'))
  const contentHtml = contentEl ? htmlOf(contentEl, scope) : null
  const summaryEl = childrenNamed(el, ns, 'summary')[0]
  const summary = summaryEl ? htmlOf(summaryEl, scope) : null

  const enclosures: Enclosure[] = uniqueEnclosures(
    childrenNamed(el, ns, 'link').flatMap((l) => {
      if (relOf(l) !== 'enclosure') return []
      const url = urlAt(hrefOf(l), l, scope)
      return url ? [{ url, type: mimeType(attr(l, 'type')), length: parseLength(attr(l, 'length')) }] : []
    }),
  )

  const categories = uniqueCategories([
    ...childrenNamed(el, ns, 'category').map((c) => nonBlank(attr(c, 'label')) ?? attr(c, 'term') ?? textOf(c)),
    ...childrenNamed(el, NS.dc, 'subject').map(textOf),
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
    imageUrl: itemImage(el, scope, enclosures) ?? itunesImage(el, scope),
    enclosures,
  }
  return finishItem(partial, id)
}

const relOf = (l: XEl): string => (attr(l, 'rel') ?? 'alternate').trim().toLowerCase() || 'alternate'

/** `href`, or the element's text for feeds that write `<link>https://…</link>` as in RSS. */
const hrefOf = (l: XEl): string | null => nonBlank(attr(l, 'href')) ?? nonBlank(textOf(l).trim())

/** rel=alternate (the default), preferring text/html over other representations. */
function pickLink(el: XEl, ns: string): XEl | null {
  const alternates = childrenNamed(el, ns, 'link').filter((l) => relOf(l) === 'alternate' && hrefOf(l) !== null)
  const typeOf = (l: XEl): string => (attr(l, 'type') ?? '').trim().toLowerCase()
  return (
    alternates.find((l) => typeOf(l) === 'text/html') ??
    alternates.find((l) => typeOf(l) === '') ??
    alternates.find((l) => typeOf(l) === 'application/xhtml+xml') ??
    alternates[0] ??
    null
  )
}

function authorsOf(el: XEl, ns: string): string | null {
  const people = childrenNamed(el, ns, 'author').map((a) => {
    const name = firstText(a, [[ns, 'name']])?.text
    return name ? collapse(name) : authorName(firstText(a, [[ns, 'email']])?.text)
  })
  return joinAuthors([...people, ...childrenNamed(el, NS.dc, 'creator').map((c) => authorName(textOf(c)))])
}

function dateOf(el: XEl, candidates: ReadonlyArray<[string, string]>): string | null {
  for (const [ns, local] of candidates) {
    for (const d of childrenNamed(el, ns, local)) {
      const parsed = parseDate(textOf(d))
      if (parsed) return parsed
    }
  }
  return null
}

function feedImage(root: XEl, ns: string, scope: UrlScope): string | null {
  for (const local of ['logo', 'icon']) {
    const el = elements(root).find((e) => e.ns === ns && e.local === local)
    const url = el ? urlAt(textOf(el), el, scope) : null
    if (url) return url
  }
  return itunesImage(root, scope)
}

// ───────────────────────────── text constructs ─────────────────────────────

type Construct = { kind: 'text' | 'html'; value: string }

/**
 * Reads an Atom text construct (title, subtitle, summary, content). Atom 1.0 says `type="text|html|xhtml"`
 * or a media type; Atom 0.3 adds `mode="xml|escaped|base64"`.
 */
function construct(el: XEl): Construct | null {
  const type = (attr(el, 'type') ?? '').trim().toLowerCase()
  const mode = (attr(el, 'mode') ?? '').trim().toLowerCase()
  const kind: 'text' | 'html' | 'xhtml' | 'other' =
    type === '' || type === 'text' || type === 'text/plain' ? 'text'
      : type === 'html' || type === 'text/html' ? 'html'
        : type === 'xhtml' || type === 'application/xhtml+xml' ? 'xhtml'
          : type.endsWith('+xml') || type.endsWith('/xml') ? 'xhtml'
            : type.startsWith('text/') ? 'text'
              : 'other'

  // Atom 1.0: any other media type is base64-encoded binary, which a reader cannot show.
  if (kind === 'other') return null
  if (mode === 'base64') {
    const decoded = base64Text(textOf(el))
    return decoded === null ? null : { kind: kind === 'text' ? 'text' : 'html', value: decoded }
  }
  if (kind === 'text') return { kind: 'text', value: textOf(el) }
  if (kind === 'html' || mode === 'escaped') {
    // TypePad wrapped escaped HTML in an XHTML div: <content type="html"><div xmlns="…xhtml">&lt;b&gt;…</div></content>.
    const kids = elements(el)
    const wrapper = kids.length === 1 && kids[0]?.ns === NS.xhtml && kids[0].local === 'div' ? kids[0] : null
    if (wrapper && elements(wrapper).length === 0 && el.children.every((c) => c.type === 'el' || c.value.trim() === '')) {
      return { kind: 'html', value: textOf(wrapper) }
    }
    return { kind: 'html', value: innerHtml(el, { topTextIsHtml: true }) }
  }
  // xhtml: the content is the children of one wrapping div (which is not part of the content).
  const kids = elements(el)
  const onlyDiv = kids.length === 1 && kids[0]?.local === 'div' && el.children.every((c) => c.type === 'el' || c.value.trim() === '')
  return { kind: 'html', value: innerHtml(onlyDiv && kids[0] ? kids[0] : el, { topTextIsHtml: false }) }
}

function base64Text(s: string): string | null {
  const compact = s.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'))
  } catch {
    return null
  }
}

function plainText(el: XEl): string | null {
  const c = construct(el)
  if (!c) return null
  return nonBlank(c.kind === 'text' ? collapse(c.value) : htmlToText(c.value))
}

function htmlOf(el: XEl, scope: UrlScope): string | null {
  const c = construct(el)
  if (!c) return null
  const value = c.value.trim()
  if (value === '') return null
  return c.kind === 'text' ? escapeText(value) : absolutizeHtml(value, baseAt(el, scope))
}
