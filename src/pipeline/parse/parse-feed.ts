import type { FeedFormat, ParsedFeed } from '../../domain/types.js'
import { err, ok, stageError, type Result } from '../../domain/result.js'
import { decode } from '../decode/decode.js'
import { parseAtom } from './atom.js'
import { parseJsonFeed } from './json-feed.js'
import { parseRss } from './rss.js'
import { resolveUrl } from './urls.js'
import { descendants, NS, parseXml, type XEl, type XmlDoc } from './xml.js'

/**
 * Parses RSS 0.9x/2.0, RDF (RSS 1.0 and 0.90), Atom 0.3/1.0 and JSON Feed 1.0/1.1 into one shape.
 * Tolerant: bare `&`, HTML entities, junk before the root and truncated downloads still give what can
 * be read. Relative URLs resolve against xml:base, then the feed's own link, then `ctx.url`.
 */
export function parseFeed(text: string, ctx: { url: string | null }): Result<ParsedFeed> {
  const url = resolveUrl(ctx.url, null)
  try {
    return parseText(text.replace(/^\uFEFF/, ''), url)
  } catch (cause) {
    // Only a bug gets here; the feed is reported as unreadable rather than taking ingest down.
    return err(stageError('parse', 'feed_malformed', 'parse: unexpected failure while reading the feed', { cause }))
  }
}

/** Decodes (BOM, header, declaration, detection) and parses; the charset used is returned with the feed. */
export function parseFeedBytes(
  bytes: Uint8Array,
  ctx: { contentType?: string | null; url: string | null },
): Result<ParsedFeed & { charset: string }> {
  const decoded = decode(bytes, { contentType: ctx.contentType ?? null, kind: looksLikeJson(bytes, ctx.contentType) ? 'json' : 'xml' })
  const parsed = parseFeed(decoded.text, { url: ctx.url })
  return parsed.ok ? ok({ ...parsed.value, charset: decoded.charset }) : parsed
}

function looksLikeJson(bytes: Uint8Array, contentType: string | null | undefined): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++
  const first = bytes[i]
  if (first === 0x7b || first === 0x5b) return true // { [
  const mime = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  return /(?:^|[/+])json$/.test(mime) && first !== 0x3c // <
}

function parseText(text: string, url: string | null): Result<ParsedFeed> {
  const trimmed = text.trim()
  if (trimmed === '') return err(stageError('parse', 'feed_empty', 'The feed is empty: the server returned no content.'))
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonFeed(trimmed, { url })

  const doc = parseXml(text, { url })
  const found = findRoot(doc)
  if (found) {
    return ok(found.format === 'atom' ? parseAtom(found.root, { url }) : parseRss(found.root, { url, format: found.format }))
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
  return null
}

function looksLikeHtml(doc: XmlDoc, text: string): boolean {
  if (doc.elements.some((e) => e.local === 'html')) return true
  const head = text.slice(0, 2048).toLowerCase()
  return /<!doctype\s+html/.test(head) || /<(?:head|body)[\s>]/.test(head)
}
