import type { AltLink, ExtractedArticle, IsoDate } from '../../domain/types.js'
import { cleanUrl } from '../clean/clean-url.js'
import { imageUrl } from '../clean/image-url.js'
import { normalizeText } from '../clean/text.js'
import type { Document, Element, ParentNode } from 'domhandler'
import { parseDate } from './date.js'
import {
  PageIndex, articleRoot, attrsOf, closest, contains, documentElement, isFurniture, parentElement, query, textOfElement,
} from './dom.js'
import { findAll, rawText } from './engine/tree.js'
import { findArticleNode, isNode, readJsonLd, resolveAll, textOf, typesOf } from './json-ld.js'
import type { JsonLdGraph, JsonLdNode } from './json-ld.js'

/** Everything about the page that is not its body text. */
export type PageMetadata = Omit<ExtractedArticle, 'blocks' | 'text' | 'html' | 'captions'>

/**
 * Author boxes: where a page keeps the author's bio. Written out rather than as the selector list it
 * implements (`[itemprop="author"] [itemprop="description"]`, `.bio`, `.author-box .bio`, `.author__bio`,
 * `.author_bio`, `.byline-bio`, `.contributor-bio`, `[class*="author-bio"]`, `[class*="author-description"]`,
 * `[class*="authorbio" i]`) because it is tested against every element of the page, and css-select runs
 * each alternative in turn.
 */
function isAuthorBio(el: Element): boolean {
  const cls = el.attribs['class']
  if (cls && (AUTHOR_BIO_CLASS.test(cls) || AUTHOR_BIO_CLASS_I.test(cls))) return true
  if (el.attribs['itemprop'] !== 'description') return false
  const parent = parentElement(el)
  return !!parent && !!closest(parent, (e) => e.attribs['itemprop'] === 'author')
}
const AUTHOR_BIO_CLASS = /author-bio|author-description|(?:^|[ \t\n\f\r])(?:bio|author__bio|author_bio|byline-bio|contributor-bio)(?:[ \t\n\f\r]|$)/
const AUTHOR_BIO_CLASS_I = /authorbio/i

/**
 * Reads the page's metadata. Pure over the document: call it before anything mutates the document
 * (the engine does), because it looks at the whole page, furniture included. `index` is the page's
 * element index when the caller already has one.
 */
export function extractMetadata(doc: Document, ctx: { url: string | null; index?: PageIndex }): PageMetadata {
  const page = ctx.index ?? new PageIndex(doc)
  const baseUrl = documentBaseUrl(page, ctx.url)
  const meta = indexMeta(page)
  const root = articleRoot(page)
  const graph = readJsonLd(page.tag('script'))
  const article = findArticleNode(graph)
  const declaredSite = firstText(meta.get('og:site_name'), publisherName(graph, article), meta.get('application-name'))
  const pageTitle = title(page, meta, article, declaredSite)
  const siteName = declaredSite ?? siteFromTitle(page, pageTitle)
  const canonicalUrl = canonical(page, meta, graph, article, baseUrl)
  return {
    title: pageTitle,
    byline: byline(page, meta, graph, article),
    authorBio: authorBio(page, graph, article),
    published: firstDate(
      textOf(article?.['datePublished']),
      ...(meta.get('article:published_time') ?? []),
      ...metaValues(meta, ['datepublished', 'og:published_time', 'published_time', 'pubdate', 'publishdate',
        'publish-date', 'date', 'dc.date', 'dc.date.issued', 'dcterms.created', 'dcterms.issued', 'sailthru.date',
        'parsely-pub-date', 'article.published']),
      ...articleTimes(page, root, 'published'),
    ),
    updated: firstDate(
      textOf(article?.['dateModified']),
      ...(meta.get('article:modified_time') ?? []),
      ...metaValues(meta, ['datemodified', 'og:updated_time', 'modified_time', 'last-modified', 'dcterms.modified',
        'article.updated']),
      ...articleTimes(page, root, 'modified'),
    ),
    lang: language(page, meta, article),
    siteName,
    description: firstText(
      meta.get('og:description'), meta.get('description'), meta.get('twitter:description'),
      article ? [textOf(article['description']) ?? ''] : undefined,
    ),
    canonicalUrl,
    leadImage: leadImage(page, root, meta, graph, article, baseUrl),
    altLinks: altLinks(page, { root, baseUrl, own: [ctx.url, canonicalUrl] }),
    keywords: keywords(meta, article),
  }
}

/** The URL relative links resolve against: `<base href>` (itself resolved against the page URL), else the URL. */
export function documentBaseUrl(page: PageIndex, url: string | null): string | null {
  const base = page.tag('base').find((el) => el.attribs['href'] !== undefined)
  const href = base ? base.attribs['href'] : null
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
function indexMeta(page: PageIndex): MetaIndex {
  const index: MetaIndex = new Map()
  for (const m of page.tag('meta')) {
    const content = m.attribs['content'] ?? m.attribs['value'] ?? m.attribs['datetime']
    if (content === undefined || !content.trim()) continue
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = m.attribs[attr]?.trim().toLowerCase()
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

function title(page: PageIndex, meta: MetaIndex, article: JsonLdNode | null, siteName: string | null): string | null {
  const declared = firstText(
    meta.get('og:title'), article ? textOf(article['headline']) ?? textOf(article['name']) : null, meta.get('twitter:title'),
  )
  if (declared) return stripSiteName(declared, siteName)
  const h1 = headline(page)
  if (h1) return stripSiteName(h1, siteName)
  const docTitle = documentTitle(page)
  if (!docTitle) return null
  const stripped = stripSiteName(docTitle, siteName)
  return stripped !== docTitle ? stripped : stripTitleSuffix(docTitle)
}

const IN_ARTICLE = query('article, [itemprop="articleBody"], main, [role="main"]')

function documentTitle(page: PageIndex): string {
  const el = page.tag('title')[0]
  return normalizeText(el ? rawText(el) : '')
}

/** The article's `<h1>`: one inside the article, else one the `<title>` repeats, else a lone h1 outside furniture. */
function headline(page: PageIndex): string | null {
  const h1s = page.tag('h1')
  const inArticle = h1s.find((h) => closest(h, IN_ARTICLE) && !isFurniture(h))
  if (inArticle) return textOfElement(inArticle) || null
  const docTitle = documentTitle(page).toLowerCase()
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
function siteFromTitle(page: PageIndex, chosen: string | null): string | null {
  const docTitle = documentTitle(page)
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

const REL_AUTHOR = query('a[rel~="author"], [itemprop="author"] [itemprop="name"]')
const BYLINE = query('.byline, .article-byline, .author-name, [itemprop="author"], .author, [class*="byline"]')
const BY_PREFIX = /^(?:(?:written|words|reported|text|story|report)\s+)?by[:\s]\s*/i

function byline(page: PageIndex, meta: MetaIndex, graph: JsonLdGraph, article: JsonLdNode | null): string | null {
  const fromLd = authorNodes(graph, article)
    .map((a) => (typeof a === 'string' ? a : textOf(a['name'])))
    .filter((n): n is string => !!n && !isUrl(n))
  if (fromLd.length) return joinNames(fromLd)
  const fromMeta = metaValues(meta, ['author', 'article:author', 'sailthru.author', 'parsely-author', 'dc.creator', 'byl'])
    .map(cleanByline)
    .filter((n): n is string => !!n && !isUrl(n))
  if (fromMeta.length) return joinNames(fromMeta.slice(0, 1).flatMap((n) => n.split(/\s*;\s*/)))
  const relAuthors = page.select(REL_AUTHOR)
    .filter((a) => !isFurniture(a) && !closest(a, isAuthorBio))
    .map((a) => cleanByline(textOfElement(a)))
    .filter((n): n is string => !!n)
  if (relAuthors.length) return joinNames(relAuthors)
  for (const el of page.select(BYLINE)) {
    if (isFurniture(el)) continue
    const name = cleanByline(textOfElement(el, (child) => child.name === 'time'))
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

const P = query('p')

function authorBio(page: PageIndex, graph: JsonLdGraph, article: JsonLdNode | null): string | null {
  for (const a of authorNodes(graph, article)) {
    if (typeof a === 'string') continue
    const d = textOf(a['description'])
    if (d) return normalizeText(d)
  }
  for (const el of page.select(isAuthorBio)) {
    const paragraphs = findAll(el, P)
    const text = paragraphs.length ? paragraphs.map((p) => textOfElement(p)).join(' ') : textOfElement(el)
    const bio = normalizeText(text)
    if (bio && bio.length <= 1000) return bio
  }
  return null
}

// ───────────────────────────── dates ─────────────────────────────

const MARKED_TIME = { published: query('[itemprop="datePublished"]'), modified: query('[itemprop="dateModified"]') }

/** `time[datetime]` under `root`. */
function timesIn(page: PageIndex, root: ParentNode): Element[] {
  return page.tag('time').filter((t) => t !== root && t.attribs['datetime'] !== undefined && contains(root, t))
}

/** `<time datetime>` inside the article (never in related lists or comments), the marked one first. */
function articleTimes(page: PageIndex, root: ParentNode | null, kind: 'published' | 'modified'): string[] {
  if (!root) return []
  const marked = page.select(MARKED_TIME[kind])
    .map((el) => el.attribs['datetime'] ?? el.attribs['content'] ?? '')
    .filter(Boolean)
  const isUpdate = (t: Element): boolean => {
    const parent = parentElement(t)
    return /updat|modif/i.test(`${t.attribs['class'] ?? ''} ${(parent && parent.attribs['class']) ?? ''}`)
  }
  const datetime = (t: Element): string => t.attribs['datetime'] ?? ''
  if (kind === 'modified') {
    const updated = timesIn(page, root).filter((t) => !isFurniture(t) && isUpdate(t))
    return [...marked, ...updated.map(datetime)]
  }
  const times = timesIn(page, root).filter((t) => !isFurniture(t) && !isUpdate(t))
  const pubdate = times.filter((t) => 'pubdate' in t.attribs)
  return [...marked, ...pubdate.map(datetime), ...times.map(datetime)]
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

function language(page: PageIndex, meta: MetaIndex, article: JsonLdNode | null): string | null {
  const html = documentElement(page)
  return (
    canonicalLang(html && html.attribs['lang']) ??
    canonicalLang(html && html.attribs['xml:lang']) ??
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

const CANONICAL = query('link[rel~="canonical" i][href]')

function canonical(
  page: PageIndex, meta: MetaIndex, graph: JsonLdGraph, article: JsonLdNode | null, baseUrl: string | null,
): string | null {
  const link = page.tag('link').find(CANONICAL)
  const candidates = [
    link ? link.attribs['href'] : null,
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
  page: PageIndex, root: ParentNode | null, meta: MetaIndex, graph: JsonLdGraph, article: JsonLdNode | null, baseUrl: string | null,
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
  if (!root) return null
  const imgs = page.tag('img').filter((img) => contains(root, img)).filter((img) => !isFurniture(img) && !looksLikeIcon(img))
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
  const hint = `${img.attribs['class'] ?? ''} ${img.attribs['src'] ?? ''} ${img.attribs['alt'] ?? ''}`
  if (/logo|icon|avatar|sprite|badge|emoji|pixel/i.test(hint)) return true
  const w = Number(img.attribs['width'])
  const h = Number(img.attribs['height'])
  return (w > 0 && w < 100) || (h > 0 && h < 100)
}

/**
 * Other-language versions: `<link rel="alternate" hreflang>` (not x-default, not this page) and links in
 * the article that carry `hreflang` ("Read this article in Japanese"). Links in menus are left out: a
 * language switcher in the site header points to a home page, not to this article.
 */
const LINK_HREFLANG = query('link[hreflang][href]')
const A_HREFLANG = query('a[hreflang][href]')

function altLinks(page: PageIndex, ctx: { root: ParentNode | null; baseUrl: string | null; own: Array<string | null> }): AltLink[] {
  const base = ctx.baseUrl ? { base: ctx.baseUrl } : {}
  const own = new Set(ctx.own.filter((u): u is string => !!u).map((u) => cleanUrl(u, base)).filter(Boolean))
  const out: AltLink[] = []
  const seen = new Set<string>()
  const add = (el: Element): void => {
    const hreflang = el.attribs['hreflang']?.trim()
    const href = el.attribs['href']
    if (!hreflang || !href || hreflang.toLowerCase() === 'x-default') return
    const lang = canonicalLang(hreflang)
    const url = cleanUrl(href, base)
    if (!lang || !url || own.has(url) || seen.has(url)) return
    seen.add(url)
    out.push({ lang, url })
  }
  for (const link of page.tag('link').filter(LINK_HREFLANG)) {
    if (/(^|\s)alternate(\s|$)/i.test(link.attribs['rel'] ?? '')) add(link)
  }
  const root = ctx.root
  for (const a of page.tag('a').filter(A_HREFLANG)) if (root && contains(root, a) && !isFurniture(a)) add(a)
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
