import { isUtf8 } from 'node:buffer'
import { DecodingMode, decodeHTML } from 'entities'
import type { TextConstruct } from '../../domain/types.js'
import { HTML_ELEMENTS, sanitizeFeedHtml } from './sanitize-feed.js'
import { attr, childrenNamed, elements, escapeText, innerHtml, NS, textOf, type XEl } from './xml.js'

export const TEXT = 'text/plain'
export const HTML = 'text/html'
export const XHTML = 'application/xhtml+xml'

export type Dialect = 'atom10' | 'atom03' | 'rss'

export interface ConstructOpts {
  dialect: Dialect
  /** What the element means when it has no `type`: titles are text, RSS descriptions HTML. */
  defaultType: string
  /** Base URL for relative links inside (xml:base in scope, else the feed's). */
  base: string | null
  /** Language when no xml:lang is in scope (the feed's language or the HTTP Content-Language). */
  language: string | null
}

/**
 * Reads a text construct (title, subtitle, summary, content, rights) with what its markup means:
 * Atom's `type="text|html|xhtml"` or a media type (base64 data unless textual), Atom 0.3's `mode`, markup
 * written inline where the feed declared text, and RSS text that is really HTML. HTML values come out
 * sanitized with relative URLs resolved; text values are plain text.
 */
export function readConstruct(el: XEl, opts: ConstructOpts): TextConstruct {
  const rawType = (attr(el, 'type') ?? '').trim().toLowerCase()
  let type = rawType === '' ? opts.defaultType : mapType(rawType)
  const mode = (attr(el, 'mode') ?? '').trim().toLowerCase()
  const base64 = mode === 'base64' || !(type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml'))
  let value: string
  if (base64) {
    value = base64Text(textOf(el)) ?? textOf(el)
  } else if (!hasElementChild(el)) {
    // The common case, plain or escaped text: no element list to build.
    value = type === XHTML || type.endsWith('xml') ? escapeText(textOf(el)) : textOf(el)
  } else {
    const kids = elements(el)
    if (!type.endsWith('xml')) {
      const onlyDiv = kids.length === 1 && kids[0]?.local === 'div' && el.children.every((c) => c.type === 'el' || c.value.trim() === '')
      if (onlyDiv && kids[0] && elements(kids[0]).length === 0) {
        // TypePad wrapped escaped HTML in an XHTML div: <content type="html"><div xmlns="…">&lt;b&gt;…</div></content>.
        value = textOf(kids[0])
      } else {
        // Declared as text or escaped HTML, but the markup was written inline: it is XHTML. RSS text
        // around such markup is still escaped HTML as the format says (unescaped tags mixed into it).
        const topTextIsHtml = opts.dialect === 'rss' && type === HTML
        type = XHTML
        value = innerHtml(el, { topTextIsHtml })
      }
    } else {
      value = xhtmlValue(el, opts.dialect)
    }
  }
  value = value.trim()
  if (opts.dialect === 'rss' && type === TEXT && looksLikeHtml(value)) type = HTML
  // Other XML types (image/svg+xml…) are sanitized too: markup leaves the parser safe whatever its label.
  if (type === HTML || type === XHTML || (!base64 && type.endsWith('xml'))) value = sanitizeFeedHtml(value, { base: opts.base })
  const lang = el.lang ?? (hasLangAttr(el) ? null : opts.language)
  return { value, type, language: lang ? (lang.includes('_') ? lang.replace(/_/g, '-') : lang) : null, base: opts.base }
}

function hasElementChild(el: XEl): boolean {
  for (const c of el.children) if (c.type === 'el') return true
  return false
}

function hasLangAttr(el: XEl): boolean {
  for (let e: XEl | null = el; e; e = e.parent) {
    for (const a of e.attrs) if (a.local === 'lang' && a.ns === NS.xml) return true
  }
  return false
}

function mapType(t: string): string {
  if (t === 'text' || t === 'plain') return TEXT
  if (t === 'html') return HTML
  if (t === 'xhtml') return XHTML
  return t
}

/** Atom 1.0 xhtml content is the children of one wrapping div, which is not part of the content. */
function xhtmlValue(el: XEl, dialect: Dialect): string {
  const kids = elements(el)
  const onlyDiv =
    dialect === 'atom10' && kids.length === 1 && kids[0]?.local === 'div' && el.children.every((c) => c.type === 'el' || c.value.trim() === '')
  return innerHtml(onlyDiv && kids[0] ? kids[0] : el, { topTextIsHtml: false })
}

function base64Text(s: string): string | null {
  const compact = s.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null
  // What a fatal TextDecoder gives (a leading BOM dropped, invalid UTF-8 refused) without building one per call.
  const bytes = Buffer.from(compact, 'base64')
  if (!isUtf8(bytes)) return null
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
  return bytes.toString('utf8', bom ? 3 : 0)
}

/**
 * RSS titles and other nominally plain fields often carry HTML. Conservative, as a false positive loses
 * text: it needs an end tag or an entity, and every tag and entity must be ordinary HTML.
 */
export function looksLikeHtml(s: string): boolean {
  if (!/<\/\w+>/.test(s) && !/&#?\w+;/.test(s)) return false
  for (const m of s.matchAll(/<\/?(\w+)/g)) if (!HTML_ELEMENTS.has((m[1] ?? '').toLowerCase())) return false
  for (const m of s.matchAll(/&(\w+);/g)) {
    const ref = `&${m[1] ?? ''};`
    if (decodeHTML(ref, DecodingMode.Strict) === ref) return false
  }
  return true
}

/** The construct as HTML, for consumers that show HTML (plain text escaped). */
export function constructHtml(c: TextConstruct | null): string | null {
  if (!c || c.value === '') return null
  return c.type === HTML || c.type === XHTML ? c.value : escapeText(c.value)
}

/**
 * Media RSS `<media:description>` (in the item or its media:group), the only description YouTube-style
 * feeds give. `type="html"` is HTML; anything else is plain text.
 */
export function mediaDescription(el: XEl, opts: { base: string | null; language: string | null }): TextConstruct | null {
  const groups = [el, ...childrenNamed(el, NS.media, 'group')]
  const found = groups.flatMap((g) => childrenNamed(g, NS.media, 'description')).find((d) => textOf(d).trim() !== '')
  if (!found) return null
  const html = (attr(found, 'type') ?? '').trim().toLowerCase() === 'html'
  const value = textOf(found).trim()
  return {
    value: html ? sanitizeFeedHtml(value, { base: opts.base }) : value,
    type: html ? HTML : TEXT,
    language: found.lang ?? opts.language,
    base: opts.base,
  }
}
