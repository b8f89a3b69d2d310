import { webHref } from '../../web/paths.js'

/** A feed we publish (home, a source, a hashtag, a story, a search), before it is written in a format. */
export interface OutFeed {
  title: string
  description: string | null
  homeUrl: string
  feedUrl: string
  language: string | null
  /** ISO 8601. */
  updated: string
  items: OutItem[]
}

export interface OutItem {
  /** Our absolute article URL without the slug: stable when the title changes. */
  id: string
  /** Our article page. */
  url: string
  /** The publisher's http(s) URL. */
  externalUrl: string | null
  title: string
  /** Plain text. */
  summary: string | null
  /** Already sanitized HTML (at ingest), absolute URLs. */
  contentHtml: string | null
  published: string | null
  updated: string | null
  author: string | null
  /** Where the article came from; `url` is a feed of that source. */
  source: { title: string; url: string }
  tags: string[]
  lang: string | null
  image: string | null
}

const GENERATOR = 'Tidings'

/**
 * Characters XML 1.0 forbids (C0 controls but tab, newline and CR; lone surrogates; U+FFFE and U+FFFF).
 * One of them anywhere makes the whole document unreadable to a strict parser, so every string loses them.
 */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function xmlSafe(s: string): string {
  return s.replace(INVALID_XML, '')
}

function text(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Whitespace is escaped too: a parser would otherwise normalise a newline in an attribute to a space. */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')
}

/** A `]]>` inside would end the section early: it is split across two sections. */
function cdata(s: string): string {
  return `<![CDATA[${xmlSafe(s).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
}

/** A BCP 47-looking tag, else null (a language is written into attributes and headers as-is). */
function langTag(lang: string | null): string | null {
  return lang && /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(lang) ? lang : null
}

function iso(d: string | null): string | null {
  if (!d) return null
  const t = Date.parse(d)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/** RFC 822 (with a four-digit year, as RSS 2.0 readers expect): `Sun, 22 Nov 2026 12:00:00 GMT`. */
function rfc822(d: string | null): string | null {
  const i = iso(d)
  return i ? new Date(i).toUTCString() : null
}

const el = (name: string, value: string | null | undefined) => (value ? `<${name}>${text(value)}</${name}>` : '')

// ─────────────── RSS 2.0 ───────────────

export function renderRss(feed: OutFeed): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
      + ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">',
    '<channel>',
    `<title>${text(feed.title)}</title>`,
    el('link', webHref(feed.homeUrl)),
    // Required by RSS 2.0: the title stands in when there is no description.
    `<description>${text(feed.description || feed.title)}</description>`,
  ]
  const self = webHref(feed.feedUrl)
  if (self) out.push(`<atom:link href="${attr(self)}" rel="self" type="application/rss+xml"/>`)
  out.push(el('language', langTag(feed.language)), el('lastBuildDate', rfc822(feed.updated)), el('generator', GENERATOR))
  for (const item of feed.items) out.push(rssItem(item))
  out.push('</channel>', '</rss>', '')
  return out.filter(Boolean).join('\n')
}

function rssItem(item: OutItem): string {
  const permalink = webHref(item.id)
  const external = webHref(item.externalUrl)
  const image = webHref(item.image)
  const sourceUrl = webHref(item.source.url)
  const parts = [
    '<item>',
    `<title>${text(item.title)}</title>`,
    el('link', webHref(item.url)),
    permalink ? `<guid isPermaLink="true">${text(permalink)}</guid>` : `<guid isPermaLink="false">${text(item.id)}</guid>`,
    el('pubDate', rfc822(item.published)),
    el('dc:creator', item.author),
    el('dc:language', langTag(item.lang)),
    ...item.tags.map((t) => el('category', t)),
    el('description', item.summary),
    item.contentHtml ? `<content:encoded>${cdata(item.contentHtml)}</content:encoded>` : '',
    external ? `<atom:link href="${attr(external)}" rel="related" type="text/html"/>` : '',
    image ? `<media:thumbnail url="${attr(image)}"/>` : '',
    sourceUrl ? `<source url="${attr(sourceUrl)}">${text(item.source.title)}</source>` : '',
    '</item>',
  ]
  return parts.filter(Boolean).join('\n')
}

// ─────────────── Atom 1.0 ───────────────

export function renderAtom(feed: OutFeed): string {
  const self = webHref(feed.feedUrl)
  const home = webHref(feed.homeUrl)
  const lang = langTag(feed.language)
  const updated = iso(feed.updated) ?? new Date(0).toISOString()
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"${lang ? ` xml:lang="${attr(lang)}"` : ''}>`,
    `<id>${text(self ?? home ?? feed.feedUrl)}</id>`,
    `<title type="text">${text(feed.title)}</title>`,
    feed.description ? `<subtitle type="text">${text(feed.description)}</subtitle>` : '',
    `<updated>${updated}</updated>`,
    self ? `<link rel="self" type="application/atom+xml" href="${attr(self)}"/>` : '',
    home ? `<link rel="alternate" type="text/html" href="${attr(home)}"/>` : '',
    el('generator', GENERATOR),
  ]
  for (const item of feed.items) out.push(atomEntry(item, updated))
  out.push('</feed>', '')
  return out.filter(Boolean).join('\n')
}

function atomEntry(item: OutItem, feedUpdated: string): string {
  const url = webHref(item.url)
  const external = webHref(item.externalUrl)
  const image = webHref(item.image)
  const sourceUrl = webHref(item.source.url)
  const lang = langTag(item.lang)
  const published = iso(item.published)
  const parts = [
    `<entry${lang ? ` xml:lang="${attr(lang)}"` : ''}>`,
    `<id>${text(item.id)}</id>`,
    `<title type="text">${text(item.title)}</title>`,
    url ? `<link rel="alternate" type="text/html" href="${attr(url)}"/>` : '',
    external ? `<link rel="related" type="text/html" href="${attr(external)}"/>` : '',
    published ? `<published>${published}</published>` : '',
    `<updated>${iso(item.updated) ?? published ?? feedUpdated}</updated>`,
    // Atom wants an author on every entry (or the feed): the publisher stands in for a missing byline.
    `<author><name>${text(item.author || item.source.title)}</name></author>`,
    ...item.tags.map((t) => `<category term="${attr(t)}"/>`),
    item.summary ? `<summary type="text">${text(item.summary)}</summary>` : '',
    item.contentHtml ? `<content type="html">${text(item.contentHtml)}</content>` : '',
    image ? `<media:thumbnail url="${attr(image)}"/>` : '',
    `<source><title type="text">${text(item.source.title)}</title>${sourceUrl ? `<link rel="self" href="${attr(sourceUrl)}"/>` : ''}</source>`,
    '</entry>',
  ]
  return parts.filter(Boolean).join('\n')
}

// ─────────────── JSON Feed 1.1 ───────────────

export function renderJsonFeed(feed: OutFeed): string {
  const doc = {
    version: 'https://jsonfeed.org/version/1.1',
    title: xmlSafe(feed.title),
    home_page_url: webHref(feed.homeUrl) ?? undefined,
    feed_url: webHref(feed.feedUrl) ?? undefined,
    description: feed.description ? xmlSafe(feed.description) : undefined,
    language: langTag(feed.language) ?? undefined,
    items: feed.items.map(jsonItem),
  }
  return JSON.stringify(doc, null, 1) + '\n'
}

function jsonItem(item: OutItem) {
  const opt = (s: string | null) => (s ? xmlSafe(s) : undefined)
  return {
    id: xmlSafe(item.id),
    url: webHref(item.url) ?? undefined,
    external_url: webHref(item.externalUrl) ?? undefined,
    title: xmlSafe(item.title),
    // One of content_html and content_text is required.
    ...(item.contentHtml ? { content_html: xmlSafe(item.contentHtml) } : { content_text: xmlSafe(item.summary ?? '') }),
    summary: opt(item.summary),
    image: webHref(item.image) ?? undefined,
    date_published: iso(item.published) ?? undefined,
    date_modified: iso(item.updated) ?? undefined,
    authors: item.author ? [{ name: xmlSafe(item.author) }] : undefined,
    tags: item.tags.length ? item.tags.map(xmlSafe) : undefined,
    language: langTag(item.lang) ?? undefined,
  }
}
