import type { AltLink, ExtractedArticle, IsoDate } from '../../domain/types.js'
import { cleanUrl } from '../clean/clean-url.js'
import { imageUrl } from '../clean/image-url.js'
import { normalizeText } from '../clean/text.js'
import { parseDate } from './date.js'
import { articleRoot, attrsOf, isFurniture, textOfElement } from './dom.js'
import { findArticleNode, isNode, readJsonLd, resolveAll, textOf, typesOf } from './json-ld.js'
import type { JsonLdGraph, JsonLdNode } from './json-ld.js'

/** Everything about the page that is not its body text. */
export type PageMetadata = Omit<ExtractedArticle, 'blocks' | 'text' | 'html' | 'captions'>

/** Author boxes: where a page keeps the author's bio. Extraction lifts these out of the body. */
export const AUTHOR_BIO_SELECTOR = [
  '[itemprop="author"] [itemprop="description"]',
  '.author-bio', '.author__bio', '.author-description', '.author_bio', '.byline-bio', '.contributor-bio',
  '[class*="author-bio"]', '[class*="authorbio" i]', '[class*="author-description"]', '.author-box .bio', '.bio',
].join(', ')

/** The boxes that hold an author's name, photo and bio together. */
export const AUTHOR_BOX_SELECTOR = [
  '.author-box', '.author-card', '.author-info', '.about-author', '.about-the-author', '.author-profile',
  '[class*="author-box"]', '[itemprop="author"]',
].join(', ')

/**
 * Reads the page's metadata. Pure over the document: call it before anything mutates the document
 * (readability does), because it looks at the whole page, furniture included.
 */
export function extractMetadata(doc: Document, ctx: { url: string | null }): PageMetadata {
  const baseUrl = documentBaseUrl(doc, ctx.url)
  const meta = indexMeta(doc)
  const graph = readJsonLd(doc)
  const article = findArticleNode(graph)
  const declaredSite = firstText(meta.get('og:site_name'), publisherName(graph, article), meta.get('application-name'))
  const pageTitle = title(doc, meta, article, declaredSite)
  const siteName = declaredSite ?? siteFromTitle(doc, pageTitle)
  const canonicalUrl = canonical(doc, meta, graph, article, baseUrl)
  return {
    title: pageTitle,
    byline: byline(doc, meta, graph, article),
    authorBio: authorBio(doc, graph, article),
    published: firstDate(
      textOf(article?.['datePublished']),
      ...(meta.get('article:published_time') ?? []),
      ...metaValues(meta, ['datepublished', 'og:published_time', 'published_time', 'pubdate', 'publishdate',
        'publish-date', 'date', 'dc.date', 'dc.date.issued', 'dcterms.created', 'dcterms.issued', 'sailthru.date',
        'parsely-pub-date', 'article.published']),
      ...articleTimes(doc, 'published'),
    ),
    updated: firstDate(
      textOf(article?.['dateModified']),
      ...(meta.get('article:modified_time') ?? []),
      ...metaValues(meta, ['datemodified', 'og:updated_time', 'modified_time', 'last-modified', 'dcterms.modified',
        'article.updated']),
      ...articleTimes(doc, 'modified'),
    ),
    lang: language(doc, meta, article),
    siteName,
    description: firstText(
      meta.get('og:description'), meta.get('description'), meta.get('twitter:description'),
      article ? [textOf(article['description']) ?? ''] : undefined,
    ),
    canonicalUrl,
    leadImage: leadImage(doc, meta, graph, article, baseUrl),
    altLinks: altLinks(doc, { baseUrl, own: [ctx.url, canonicalUrl] }),
    keywords: keywords(meta, article),
  }
}

/** The URL relative links resolve against: `<base href>` (itself resolved against the page URL), else the URL. */
export function documentBaseUrl(doc: Document, url: string | null): string | null {
  const href = doc.querySelector('base[href]')?.getAttribute('href')
  if (href) {
    try {
      const base = new URL(href.trim(), url ?? undefined)
      // Only an http(s) base is honoured: `<base href="javascript:…">` must not become every link's prefix.
      if (base.protocol === 'http:' || base.protocol === 'https:') return base.href
    } catch {
      // An unusable <base> is ignored, as browsers do.
    }
  }
  return url
}

// ───────────────────────────── meta tags ─────────────────────────────

type MetaIndex = Map<string, string[]>

/** All `<meta>` values keyed by lower-cased property / name / itemprop / http-equiv, in document order. */
function indexMeta(doc: Document): MetaIndex {
  const index: MetaIndex = new Map()
  for (const m of doc.querySelectorAll('meta')) {
    const content = m.getAttribute('content') ?? m.getAttribute('value') ?? m.getAttribute('datetime')
    if (content === null || !content.trim()) continue
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = m.getAttribute(attr)?.trim().toLowerCase()
      if (!key) continue
      const list = index.get(key) ?? []
      list.push(content.trim())
      index.set(key, list)
    }
  }
  return index
}

function metaValues(meta: MetaIndex, keys: string[]): string[] {
  return keys.flatMap((k) => meta.get(k) ?? [])
}

function firstText(...lists: Array<string[] | string | null | undefined>): string | null {
  for (const list of lists) {
    for (const v of typeof list === 'string' ? [list] : list ?? []) {
      const t = normalizeText(v)
      if (t) return t
    }
  }
  return null
}

/**
 * The first value that parses. A bare day ("2026-02-09") gives way to a later candidate with a time on
 * that same day, since pages often put the day in a meta tag and the full time in `<time datetime>`.
 */
function firstDate(...values: Array<string | null | undefined>): IsoDate | null {
  for (const [i, v] of values.entries()) {
    const d = parseDate(v)
    if (!d) continue
    const day = /^\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(v ?? '')?.[1]
    if (day) {
      for (const later of values.slice(i + 1)) {
        const t = later?.trim() ?? ''
        if (t.startsWith(day) && t.length > day.length) return parseDate(t) ?? d
      }
    }
    return d
  }
  return null
}

// ───────────────────────────── title ─────────────────────────────

const SEPARATORS = [' | ', ' – ', ' — ', ' - ', ' · ', ' :: ', ' » ', '｜', ' ｜ ', ' / ']

function title(doc: Document, meta: MetaIndex, article: JsonLdNode | null, siteName: string | null): string | null {
  const declared = firstText(
    meta.get('og:title'), article ? textOf(article['headline']) ?? textOf(article['name']) : null, meta.get('twitter:title'),
  )
  if (declared) return stripSiteName(declared, siteName)
  const h1 = headline(doc)
  if (h1) return stripSiteName(h1, siteName)
  const docTitle = normalizeText(doc.querySelector('title')?.textContent ?? '')
  if (!docTitle) return null
  const stripped = stripSiteName(docTitle, siteName)
  return stripped !== docTitle ? stripped : stripTitleSuffix(docTitle)
}

/** The article's `<h1>`: one inside the article, else one the `<title>` repeats, else a lone h1 outside furniture. */
function headline(doc: Document): string | null {
  const h1s = [...doc.querySelectorAll('h1')]
  const inArticle = h1s.find((h) => h.closest('article, [itemprop="articleBody"], main, [role="main"]') && !isFurniture(h))
  if (inArticle) return textOfElement(inArticle) || null
  const docTitle = normalizeText(doc.querySelector('title')?.textContent ?? '').toLowerCase()
  const repeated = h1s.find((h) => {
    const t = textOfElement(h).toLowerCase()
    return t.length > 0 && docTitle.includes(t) && t.length >= docTitle.length / 3
  })
  if (repeated) return textOfElement(repeated)
  const outside = h1s.filter((h) => !isFurniture(h))
  return outside.length === 1 ? textOfElement(outside[0]) || null : null
}

function stripSiteName(t: string, siteName: string | null): string {
  if (!siteName) return t
  const lower = t.toLowerCase()
  const site = siteName.toLowerCase()
  for (const sep of SEPARATORS) {
    if (lower.endsWith(`${sep}${site}`) && t.length > sep.length + site.length) {
      return t.slice(0, t.length - sep.length - site.length).trim()
    }
    if (lower.startsWith(`${site}${sep}`) && t.length > sep.length + site.length) {
      return t.slice(site.length + sep.length).trim()
    }
  }
  return t
}

/** "Headline – Site" in `<title>`, where Headline is the title we chose: the other part names the site. */
function siteFromTitle(doc: Document, chosen: string | null): string | null {
  const docTitle = normalizeText(doc.querySelector('title')?.textContent ?? '')
  if (!chosen || !docTitle) return null
  const key = (t: string): string => t.toLowerCase().replace(/[\s\p{P}]+/gu, '')
  for (const sep of SEPARATORS) {
    const at = docTitle.lastIndexOf(sep)
    if (at > 0 && key(docTitle.slice(0, at)) === key(chosen)) return docTitle.slice(at + sep.length).trim() || null
    const first = docTitle.indexOf(sep)
    if (first > 0 && key(docTitle.slice(first + sep.length)) === key(chosen)) return docTitle.slice(0, first).trim() || null
  }
  return null
}

/** "Headline | Site" → "Headline" when the last part is short (a site name) and the rest is not. */
function stripTitleSuffix(t: string): string {
  for (const sep of SEPARATORS) {
    const at = t.lastIndexOf(sep)
    if (at <= 0) continue
    const head = t.slice(0, at).trim()
    const tail = t.slice(at + sep.length).trim()
    const strong = sep.trim() === '|' || sep.trim() === '｜' || sep.trim() === '·' || sep.trim() === '::' || sep.trim() === '»'
    if (tail.split(/\s+/).length <= (strong ? 5 : 3) && head.length >= tail.length) return head
  }
  return t
}

// ───────────────────────────── author ─────────────────────────────

const BY_PREFIX = /^(?:(?:written|words|reported|text|story|report)\s+)?by[:\s]\s*/i

function byline(doc: Document, meta: MetaIndex, graph: JsonLdGraph, article: JsonLdNode | null): string | null {
  const fromLd = authorNodes(graph, article)
    .map((a) => (typeof a === 'string' ? a : textOf(a['name'])))
    .filter((n): n is string => !!n && !isUrl(n))
  if (fromLd.length) return joinNames(fromLd)
  const fromMeta = metaValues(meta, ['author', 'article:author', 'sailthru.author', 'parsely-author', 'dc.creator', 'byl'])
    .map(cleanByline)
    .filter((n): n is string => !!n && !isUrl(n))
  if (fromMeta.length) return joinNames(fromMeta.slice(0, 1).flatMap((n) => n.split(/\s*;\s*/)))
  const relAuthors = [...doc.querySelectorAll('a[rel~="author"], [itemprop="author"] [itemprop="name"]')]
    .filter((a) => !isFurniture(a) && !a.closest(AUTHOR_BIO_SELECTOR))
    .map((a) => cleanByline(textOfElement(a)))
    .filter((n): n is string => !!n)
  if (relAuthors.length) return joinNames(relAuthors)
  for (const el of doc.querySelectorAll('.byline, .article-byline, .author-name, [itemprop="author"], .author, [class*="byline"]')) {
    if (isFurniture(el)) continue
    const name = cleanByline(textOfElement(el, (child) => child.tagName.toLowerCase() === 'time'))
    if (name) return name
  }
  return null
}

function authorNodes(graph: JsonLdGraph, article: JsonLdNode | null): Array<JsonLdNode | string> {
  if (!article) return []
  const authors = resolveAll(graph, article['author'])
  return authors.length ? authors : resolveAll(graph, article['creator'])
}

function cleanByline(raw: string): string | null {
  let t = normalizeText(raw).replace(/\s+/g, ' ')
  t = t.split(/\s+[|·•]\s+|\s+[—–]\s+(?=\d)/)[0] ?? ''
  t = t.replace(BY_PREFIX, '').replace(/[,;:|\s]+$/, '').trim()
  if (!t || t.length > 120) return null
  return t
}

function joinNames(names: string[]): string {
  const seen = new Set<string>()
  const out: string[] = []
  for (const n of names.map((x) => normalizeText(x).replace(BY_PREFIX, ''))) {
    const key = n.toLowerCase()
    if (n && !seen.has(key)) {
      seen.add(key)
      out.push(n)
    }
  }
  return out.join(', ')
}

function isUrl(s: string): boolean {
  return /^(https?:)?\/\//i.test(s.trim())
}

function authorBio(doc: Document, graph: JsonLdGraph, article: JsonLdNode | null): string | null {
  for (const a of authorNodes(graph, article)) {
    if (typeof a === 'string') continue
    const d = textOf(a['description'])
    if (d) return normalizeText(d)
  }
  for (const el of doc.querySelectorAll(AUTHOR_BIO_SELECTOR)) {
    const paragraphs = [...el.querySelectorAll('p')]
    const text = paragraphs.length ? paragraphs.map((p) => textOfElement(p)).join(' ') : textOfElement(el)
    const bio = normalizeText(text)
    if (bio && bio.length <= 1000) return bio
  }
  return null
}

// ───────────────────────────── dates ─────────────────────────────

/** `<time datetime>` inside the article (never in related lists or comments), the marked one first. */
function articleTimes(doc: Document, kind: 'published' | 'modified'): string[] {
  const root = articleRoot(doc)
  if (!root) return []
  const prop = kind === 'published' ? 'datePublished' : 'dateModified'
  const marked = [...doc.querySelectorAll(`[itemprop="${prop}"]`)]
    .map((el) => el.getAttribute('datetime') ?? el.getAttribute('content') ?? '')
    .filter(Boolean)
  if (kind === 'modified') {
    const updated = [...root.querySelectorAll('time[datetime]')].filter(
      (t) => !isFurniture(t) && /updat|modif/i.test(`${t.getAttribute('class') ?? ''} ${t.parentElement?.getAttribute('class') ?? ''}`),
    )
    return [...marked, ...updated.map((t) => t.getAttribute('datetime') ?? '')]
  }
  const times = [...root.querySelectorAll('time[datetime]')].filter(
    (t) => !isFurniture(t) && !/updat|modif/i.test(`${t.getAttribute('class') ?? ''} ${t.parentElement?.getAttribute('class') ?? ''}`),
  )
  const pubdate = times.filter((t) => t.hasAttribute('pubdate'))
  return [...marked, ...pubdate, ...times].map((t) => (typeof t === 'string' ? t : t.getAttribute('datetime') ?? ''))
}

// ───────────────────────────── language, site ─────────────────────────────

/** `ja_JP` → `ja-JP`, `EN-us` → `en-US`; null for what is not a language tag. */
export function canonicalLang(raw: string | null | undefined): string | null {
  const t = raw?.split(',')[0]?.trim().replace(/_/g, '-')
  if (!t) return null
  try {
    return Intl.getCanonicalLocales(t)[0] ?? null
  } catch {
    return null
  }
}

function language(doc: Document, meta: MetaIndex, article: JsonLdNode | null): string | null {
  return (
    canonicalLang(doc.documentElement?.getAttribute('lang')) ??
    canonicalLang(doc.documentElement?.getAttribute('xml:lang')) ??
    canonicalLang(meta.get('og:locale')?.[0]) ??
    canonicalLang(meta.get('content-language')?.[0]) ??
    canonicalLang(meta.get('language')?.[0]) ??
    canonicalLang(article ? textOf(article['inLanguage']) : null)
  )
}

function publisherName(graph: JsonLdGraph, article: JsonLdNode | null): string | null {
  if (article) {
    for (const p of resolveAll(graph, article['publisher'])) {
      const name = typeof p === 'string' ? (isUrl(p) ? null : p) : textOf(p['name'])
      if (name) return name
    }
  }
  const site = graph.nodes.find((n) => typesOf(n).includes('website'))
  return site ? textOf(site['name']) : null
}

// ───────────────────────────── URLs ─────────────────────────────

function canonical(
  doc: Document, meta: MetaIndex, graph: JsonLdGraph, article: JsonLdNode | null, baseUrl: string | null,
): string | null {
  const candidates = [
    doc.querySelector('link[rel~="canonical" i][href]')?.getAttribute('href'),
    meta.get('og:url')?.[0],
    article ? textOf(article['url']) : null,
    ...(article ? resolveAll(graph, article['mainEntityOfPage']).map((p) => (typeof p === 'string' ? p : textOf(p['url']) ?? textOf(p['@id']))) : []),
  ]
  for (const c of candidates) {
    if (!c) continue
    const url = cleanUrl(c, baseUrl ? { base: baseUrl } : {})
    if (url) return url
  }
  return null
}

function leadImage(
  doc: Document, meta: MetaIndex, graph: JsonLdGraph, article: JsonLdNode | null, baseUrl: string | null,
): string | null {
  const declared = [
    ...metaValues(meta, ['og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image', 'twitter:image:src']),
    ...(article ? jsonLdImages(graph, article['image']) : []),
    ...(article ? jsonLdImages(graph, article['thumbnailUrl']) : []),
  ]
  for (const c of declared) {
    const url = imageUrl({ src: c }, { baseUrl })
    if (url) return url
  }
  const root = articleRoot(doc)
  if (!root) return null
  const imgs = [...root.querySelectorAll('figure img, img')].filter((img) => !isFurniture(img) && !looksLikeIcon(img))
  for (const img of imgs) {
    const url = imageUrl(attrsOf(img), { baseUrl })
    if (url) return url
  }
  return null
}

function jsonLdImages(graph: JsonLdGraph, value: unknown): string[] {
  return resolveAll(graph, value).flatMap((v) => {
    if (typeof v === 'string') return [v]
    const url = textOf(v['url']) ?? textOf(v['contentUrl'])
    return url ? [url] : []
  })
}

function looksLikeIcon(img: Element): boolean {
  const hint = `${img.getAttribute('class') ?? ''} ${img.getAttribute('src') ?? ''} ${img.getAttribute('alt') ?? ''}`
  if (/logo|icon|avatar|sprite|badge|emoji|pixel/i.test(hint)) return true
  const w = Number(img.getAttribute('width'))
  const h = Number(img.getAttribute('height'))
  return (w > 0 && w < 100) || (h > 0 && h < 100)
}

/**
 * Other-language versions: `<link rel="alternate" hreflang>` (not x-default, not this page) and links in
 * the article that carry `hreflang` ("Read this article in Japanese"). Links in menus are left out: a
 * language switcher in the site header points to a home page, not to this article.
 */
function altLinks(doc: Document, ctx: { baseUrl: string | null; own: Array<string | null> }): AltLink[] {
  const base = ctx.baseUrl ? { base: ctx.baseUrl } : {}
  const own = new Set(ctx.own.filter((u): u is string => !!u).map((u) => cleanUrl(u, base)).filter(Boolean))
  const out: AltLink[] = []
  const seen = new Set<string>()
  const add = (el: Element): void => {
    const hreflang = el.getAttribute('hreflang')?.trim()
    const href = el.getAttribute('href')
    if (!hreflang || !href || hreflang.toLowerCase() === 'x-default') return
    const lang = canonicalLang(hreflang)
    const url = cleanUrl(href, base)
    if (!lang || !url || own.has(url) || seen.has(url)) return
    seen.add(url)
    out.push({ lang, url })
  }
  for (const link of doc.querySelectorAll('link[hreflang][href]')) {
    if (/(^|\s)alternate(\s|$)/i.test(link.getAttribute('rel') ?? '')) add(link)
  }
  const root = articleRoot(doc)
  for (const a of doc.querySelectorAll('a[hreflang][href]')) if (root?.contains(a) && !isFurniture(a)) add(a)
  return out
}

// ───────────────────────────── keywords ─────────────────────────────

function keywords(meta: MetaIndex, article: JsonLdNode | null): string[] {
  const raw: string[] = [
    ...(meta.get('article:tag') ?? []),
    ...metaValues(meta, ['news_keywords', 'keywords']).flatMap(splitList),
  ]
  const ld = article?.['keywords']
  if (typeof ld === 'string') raw.push(...splitList(ld))
  else if (Array.isArray(ld)) raw.push(...ld.flatMap((k) => (typeof k === 'string' ? splitList(k) : isNode(k) ? [textOf(k) ?? ''] : [])))
  const seen = new Set<string>()
  const out: string[] = []
  for (const k of raw) {
    const t = normalizeText(k).replace(/\s+/g, ' ')
    const key = t.toLowerCase()
    if (t && !seen.has(key)) {
      seen.add(key)
      out.push(t)
    }
  }
  return out
}

function splitList(s: string): string[] {
  return s.split(/[,，、;]/)
}
