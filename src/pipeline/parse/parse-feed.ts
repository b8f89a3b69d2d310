import type { FeedFormat, FetchResponse, ParsedFeed } from '../../domain/types.js'
import { err, ok, stageError, type Result } from '../../domain/result.js'
import { decode } from '../decode/decode.js'
import { parseAtom } from './atom.js'
import { parseCdf } from './cdf.js'
import { parseJsonFeed } from './json-feed.js'
import { parseRss } from './rss.js'
import { resolveUrl } from './urls.js'
import { descendants, NS, parseXml, type XEl, type XmlDoc } from './xml.js'

/**
 * Parses RSS 0.9x/2.0, RDF (RSS 1.0 and 0.90), Atom 0.3/1.0 and JSON Feed 1.0/1.1 into one shape.
 * Tolerant: bare `&`, HTML entities, junk before the root and truncated downloads still give what can
 * be read. Relative URLs resolve against xml:base, then the feed's own link, then `ctx.url`.
 */
export function parseFeed(text: string, ctx: { url: string | null; contentLanguage?: string | null }): Result<ParsedFeed> {
  const url = resolveUrl(ctx.url, null)
  try {
    return parseText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, url, contentLanguage(ctx.contentLanguage))
  } catch (cause) {
    // Only a bug gets here; the feed is reported as unreadable rather than taking ingest down.
    return err(stageError('parse', 'feed_malformed', 'parse: unexpected failure while reading the feed', { cause }))
  }
}

/**
 * Decodes (BOM, header, declaration, detection) and parses; the charset used is returned with the feed.
 * `contentLanguage` (the HTTP Content-Language header) is the language when the feed declares none.
 */
export function parseFeedBytes(
  bytes: Uint8Array,
  ctx: { contentType?: string | null; url: string | null; contentLanguage?: string | null },
): Result<ParsedFeed & { charset: string }> {
  const decoded = decode(bytes, { contentType: ctx.contentType ?? null, kind: looksLikeJson(bytes, ctx.contentType) ? 'json' : 'xml' })
  const parsed = parseFeed(decoded.text, { url: ctx.url, contentLanguage: ctx.contentLanguage ?? null })
  // The feed object is ours alone: adding the field beats copying thirty others.
  return parsed.ok ? ok(Object.assign(parsed.value, { charset: decoded.charset })) : parsed
}

/**
 * A fetched response read as a feed: its Content-Type charset and Content-Language apply, and relative
 * URLs resolve against its Content-Location (when it is a web address; RFC 9110 §8.7) or its final URL.
 */
export function parseFeedResponse(res: Pick<FetchResponse, 'body' | 'headers' | 'url'>): Result<ParsedFeed & { charset: string }> {
  return parseFeedBytes(res.body, {
    contentType: res.headers['content-type'] ?? null,
    url: resolveUrl(res.headers['content-location'], res.url) ?? res.url,
    contentLanguage: res.headers['content-language'] ?? null,
  })
}

function looksLikeJson(bytes: Uint8Array, contentType: string | null | undefined): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++
  const first = bytes[i]
  if (first === 0x7b || first === 0x5b) return true // { [
  if (first === 0x3c || !contentType) return false // < (markup), or no type to say JSON
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  return /(?:^|[/+])json$/.test(mime) && first !== 0x3c // <
}

/** The first language of a Content-Language header (`en-US, fr` → `en-US`). */
function contentLanguage(header: string | null | undefined): string | null {
  const first = header?.split(',')[0]?.trim()
  return first ? first : null
}

function parseText(text: string, url: string | null, language: string | null): Result<ParsedFeed> {
  const trimmed = text.trim()
  if (trimmed === '') return err(stageError('parse', 'feed_empty', 'The feed is empty: the server returned no content.'))
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonFeed(trimmed, { url, contentLanguage: language })

  const doc = parseXml(text, { url })
  const found = findRoot(doc)
  if (found) {
    const ctx = { url, contentLanguage: language }
    if (found.format === 'atom') return ok(parseAtom(found.root, ctx))
    if (found.format === 'cdf') return ok(parseCdf(found.root, ctx))
    // Netscape's RSS 0.91 is told from UserLand's only by its DOCTYPE.
    const head = text.slice(0, 4096)
    const netscapeDoctype = found.format === 'rss' && head.includes('<!') && /<!DOCTYPE[^>]*netscape/i.test(head)
    // An empty RSS 0.90 document is told from RSS 1.0 only by the namespace it declares.
    const declaresRss090 = found.format === 'rdf' && /xmlns(?::\w+)?\s*=\s*["']https?:\/\/my\.netscape\.com\/rdf\/simple\/0\.9\/?["']/i.test(head)
    // Written out rather than spread from ctx: the spread object made every later read of it slow.
    return ok(parseRss(found.root, { url, contentLanguage: language, format: found.format, netscapeDoctype, declaresRss090 }))
  }
  if (looksLikeHtml(doc, trimmed)) {
    return err(stageError('parse', 'feed_format_unknown',
      'This looks like an HTML page, not a feed. The site may link to its feed from this page (feed discovery).'))
  }
  if (!doc.hasElements) {
    if (!trimmed.startsWith('<')) {
      return err(stageError('parse', 'feed_format_unknown', 'The document is neither XML nor JSON, so it is not a feed.'))
    }
    if (/^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)*$/i.test(trimmed)) {
      return err(stageError('parse', 'feed_empty', 'The feed is empty: the document has no root element.'))
    }
    return err(stageError('parse', 'feed_malformed', 'The feed is not readable XML: no element could be recovered.'))
  }
  const name = doc.elements[0]?.name ?? '?'
  return err(stageError('parse', 'feed_format_unknown', `Not a feed: the root element <${name}> is not RSS, RDF or Atom.`))
}

const SEARCH_DEPTH = 4
type XmlFormat = Exclude<FeedFormat, 'json'>

/**
 * The feed's root element. Searched a few levels deep so that junk markup before or around the root
 * (a PHP warning, a stray `<br />`, a wrapper `<pre>`) does not hide the feed.
 */
function findRoot(doc: XmlDoc): { root: XEl; format: XmlFormat } | null {
  for (const top of doc.elements) {
    const direct = classify(top)
    if (direct) return { root: top, format: direct }
    const hits: Array<{ root: XEl; format: XmlFormat }> = []
    descendants(top, (e) => {
      if (hits.length > 0) return false
      const format = classify(e)
      if (format) hits.push({ root: e, format })
      return !format && depthOf(e, top) < SEARCH_DEPTH
    })
    if (hits[0]) return hits[0]
  }
  return null
}

function depthOf(e: XEl, top: XEl): number {
  let d = 0
  for (let p = e.parent; p && p !== top; p = p.parent) d++
  return d
}

function classify(e: XEl): XmlFormat | null {
  if (e.local === 'rss') return 'rss'
  if (e.local === 'rdf' && (e.ns === NS.rdf || e.name.toLowerCase().startsWith('rdf'))) return 'rdf'
  // A top-level <feed> is Atom whatever namespace it claims (pre-1.0 drafts used several).
  if (e.local === 'feed' && (e.ns === NS.atom || e.ns === NS.atom03 || e.ns === '' || e.parent === null)) return 'atom'
  if (e.local === 'entry' && e.ns === NS.atom && e.parent === null) return 'atom'
  // A top-level <CHANNEL> is Channel Definition Format; a lowercase one without CDF attributes is RSS
  // that lost its <rss> wrapper.
  if (e.local === 'channel' && e.ns === '' && e.parent === null) {
    return e.name === 'CHANNEL' || e.attrs.some((a) => a.local === 'href' || a.local === 'lastmod') ? 'cdf' : 'rss'
  }
  return null
}

function looksLikeHtml(doc: XmlDoc, text: string): boolean {
  if (doc.elements.some((e) => e.local === 'html')) return true
  const head = text.slice(0, 2048).toLowerCase()
  return /<!doctype\s+html/.test(head) || /<(?:head|body)[\s>]/.test(head)
}
