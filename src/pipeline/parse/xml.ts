import { Parser } from 'htmlparser2'
import { DomHandler } from 'domhandler'
import { DecodingMode, decodeHTML } from 'entities'
import type { ChildNode, Element } from 'domhandler'
import { resolveUrl } from './urls.js'

/**
 * A tolerant XML view for feed parsing: htmlparser2 in xmlMode survives bare `&`, undeclared HTML
 * entities, junk before the root and truncation; this layer adds what it lacks: namespaces (matched by
 * URI, whatever the prefix), xml:base, xml:lang and entity decoding with the HTML entity table.
 */

export const NS = {
  atom: baseNorm('http://www.w3.org/2005/Atom'),
  atom03: baseNorm('http://purl.org/atom/ns#'),
  rss10: baseNorm('http://purl.org/rss/1.0/'),
  rss090: baseNorm('http://my.netscape.com/rdf/simple/0.9/'),
  rdf: baseNorm('http://www.w3.org/1999/02/22-rdf-syntax-ns#'),
  content: baseNorm('http://purl.org/rss/1.0/modules/content/'),
  dc: baseNorm('http://purl.org/dc/elements/1.1/'),
  dcterms: baseNorm('http://purl.org/dc/terms/'),
  media: baseNorm('http://search.yahoo.com/mrss/'),
  itunes: baseNorm('http://www.itunes.com/dtds/podcast-1.0.dtd'),
  xhtml: baseNorm('http://www.w3.org/1999/xhtml'),
  xml: baseNorm('http://www.w3.org/XML/1998/namespace'),
} as const

/** Namespaces that are published under more than one URI. */
const ALIASES: Record<string, string> = {
  [baseNorm('http://tools.search.yahoo.com/mrss/')]: NS.media,
  [baseNorm('http://backend.userland.com/rss2')]: '',
  [baseNorm('http://blogs.law.harvard.edu/tech/rss')]: '',
  [baseNorm('http://backend.userland.com/rss')]: '',
  [baseNorm('http://purl.org/dc/elements/1.0/')]: NS.dc,
}

/** Prefixes feeds use without declaring them; matched only when no declaration is in scope. */
const DEFAULT_PREFIXES: Record<string, string> = {
  xml: NS.xml,
  atom: NS.atom,
  dc: NS.dc,
  dcterms: NS.dcterms,
  content: NS.content,
  media: NS.media,
  itunes: NS.itunes,
  rdf: NS.rdf,
  xhtml: NS.xhtml,
}

/** Namespace URIs compare case-insensitively, without a trailing `/` or `#`, http or https. */
export function norm(uri: string): string {
  const n = baseNorm(uri)
  return ALIASES[n] ?? n
}

function baseNorm(uri: string): string {
  return uri.trim().toLowerCase().replace(/^https:\/\//, 'http://').replace(/[/#]+$/, '')
}

export interface XAttr {
  name: string
  local: string
  ns: string
  value: string
}

export interface XEl {
  type: 'el'
  /** The qualified name as written (`content:encoded`). */
  name: string
  /** Local name, lower-cased: feeds in the wild do not agree on `pubDate` vs `pubdate`. */
  local: string
  ns: string
  attrs: XAttr[]
  children: XNode[]
  parent: XEl | null
  /** xml:base in scope, made absolute against the document URL; null when none was given. */
  xmlBase: string | null
  /** xml:lang in scope. */
  lang: string | null
  /** False when the element was still open when the document ended (a truncated download). */
  complete: boolean
  /** Element children by local name, built on the first query (the tree is not changed after parsing). */
  byLocal: Map<string, XEl[]> | null
}

export interface XText {
  type: 'text'
  value: string
}

export type XNode = XEl | XText

export interface XmlDoc {
  /** Top-level elements (usually one). */
  elements: XEl[]
  /** True when the document had any element at all. */
  hasElements: boolean
}

const MAX_DEPTH = 256

export function parseXml(text: string, ctx: { url: string | null }): XmlDoc {
  const handler = new EofAwareHandler()
  const parser = new Parser(handler, { xmlMode: true, decodeEntities: false })
  parser.write(text)
  handler.atEnd = true
  parser.end()
  const dom = handler.root
  const entities = doctypeEntities(text)
  const cx: ConvertCtx = { docUrl: ctx.url, openAtEnd: handler.openAtEnd, decodeText: (s) => decodeEntities(s, entities) }
  const elements: XEl[] = []
  const scope: Scope = { prefixes: new Map(), parent: null }
  for (const node of dom.children) {
    if (node.type === 'tag' || node.type === 'script' || node.type === 'style') elements.push(convert(node, null, scope, 0, cx))
  }
  return { elements, hasElements: elements.length > 0 }
}

interface ConvertCtx {
  docUrl: string | null
  openAtEnd: WeakSet<Element>
  decodeText: (s: string) => string
}

/** Remembers which elements were still open when the input ran out (closed by end-of-input, not by a tag). */
class EofAwareHandler extends DomHandler {
  atEnd = false
  readonly openAtEnd = new WeakSet<Element>()

  override onclosetag(): void {
    const el = this.tagStack[this.tagStack.length - 1]
    if (this.atEnd && el && el.type !== 'root') this.openAtEnd.add(el as Element)
    super.onclosetag()
  }
}

interface Scope {
  prefixes: Map<string, string>
  parent: Scope | null
}

function lookup(scope: Scope, prefix: string): string | undefined {
  for (let s: Scope | null = scope; s; s = s.parent) {
    const uri = s.prefixes.get(prefix)
    if (uri !== undefined) return uri
  }
  return undefined
}

function convert(node: Element, parent: XEl | null, parentScope: Scope, depth: number, cx: ConvertCtx): XEl {
  const parentBase = parent?.xmlBase ?? null
  let scope = parentScope
  const raw = node.attribs
  for (const name in raw) {
    if (name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 58 /* : */)) {
      if (scope === parentScope) scope = { prefixes: new Map(), parent: parentScope }
      scope.prefixes.set(name.length === 5 ? '' : name.slice(6), norm(cx.decodeText(raw[name]!)))
    }
  }
  const attrs: XAttr[] = []
  let baseAttr: XAttr | undefined
  let langAttr: XAttr | undefined
  for (const name in raw) {
    if (name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 58)) continue
    const colon = name.indexOf(':')
    const a: XAttr = {
      name,
      local: (colon > 0 ? name.slice(colon + 1) : name).toLowerCase(),
      // Unprefixed attributes are in no namespace.
      ns: colon > 0 ? resolvePrefix(scope, name.slice(0, colon)) : '',
      value: decodeEntities(raw[name]!, null, DecodingMode.Attribute),
    }
    attrs.push(a)
    if (a.ns === NS.xml) {
      if (a.local === 'base') baseAttr ??= a
      else if (a.local === 'lang') langAttr ??= a
    }
  }
  const colon = node.name.indexOf(':')
  const ns = colon > 0 ? resolvePrefix(scope, node.name.slice(0, colon)) : (lookup(scope, '') ?? '')
  const el: XEl = {
    type: 'el',
    name: node.name,
    local: (colon > 0 ? node.name.slice(colon + 1) : node.name).toLowerCase(),
    ns,
    attrs,
    children: [],
    parent,
    xmlBase: baseAttr ? (resolveUrl(baseAttr.value, parentBase ?? cx.docUrl, { anyScheme: true }) ?? parentBase) : parentBase,
    // xml:lang="" explicitly means "unknown".
    lang: langAttr ? (langAttr.value.trim() || null) : (parent?.lang ?? null),
    complete: !cx.openAtEnd.has(node),
    byLocal: null,
  }
  if (depth < MAX_DEPTH) appendChildren(el, node.children, scope, depth, cx)
  return el
}

function appendChildren(el: XEl, children: ChildNode[], scope: Scope, depth: number, cx: ConvertCtx): void {
  for (const child of children) {
    if (child.type === 'text') pushText(el, cx.decodeText(child.data))
    else if (child.type === 'cdata') {
      // CDATA is literal: no entity decoding.
      for (const c of child.children) if (c.type === 'text') pushText(el, c.data)
    } else if (child.type === 'tag' || child.type === 'script' || child.type === 'style') {
      el.children.push(convert(child, el, scope, depth + 1, cx))
    }
  }
}

function pushText(el: XEl, value: string): void {
  const last = el.children[el.children.length - 1]
  if (last?.type === 'text') last.value += value
  else el.children.push({ type: 'text', value })
}

function resolvePrefix(scope: Scope, prefix: string): string {
  if (prefix === 'xml') return NS.xml
  return lookup(scope, prefix) ?? DEFAULT_PREFIXES[prefix.toLowerCase()] ?? `undeclared:${prefix.toLowerCase()}`
}

/** `<!ENTITY name "value">` declarations from an internal DTD subset. */
function doctypeEntities(text: string): Map<string, string> | null {
  const head = text.slice(0, 20_000)
  if (!/<!DOCTYPE[^>[]*\[/i.test(head)) return null
  const out = new Map<string, string>()
  for (const m of head.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
    const name = m[1]
    if (name && !out.has(name)) out.set(name, decodeHTML(m[2] ?? m[3] ?? '', DecodingMode.Attribute))
  }
  return out.size > 0 ? out : null
}

/**
 * XML and HTML entities in one pass. Attribute mode leaves `&copy=2` in a query string alone, while
 * `&nbsp;`, `&eacute;` and `&#8217;` decode as a browser would; a bare `&` stays a `&`.
 */
function decodeEntities(s: string, custom: Map<string, string> | null, mode = DecodingMode.Attribute): string {
  if (!s.includes('&')) return s
  const withCustom = custom ? s.replace(/&([A-Za-z_][\w.-]*);/g, (all, n: string) => custom.get(n) ?? all) : s
  return decodeHTML(withCustom, mode)
}

// ───────────────────────────── queries ─────────────────────────────

export type NsTest = string | readonly string[] | ((ns: string) => boolean)

function nsMatches(test: NsTest, ns: string): boolean {
  if (typeof test === 'string') return test === ns
  if (typeof test === 'function') return test(ns)
  return test.includes(ns)
}

export function elements(el: XEl): XEl[] {
  return el.children.filter((c): c is XEl => c.type === 'el')
}

const NONE: readonly XEl[] = []

/** Element children with this local name, in document order (any namespace). */
function named(el: XEl, local: string): readonly XEl[] {
  let index = el.byLocal
  if (index === null) {
    index = new Map()
    for (const c of el.children) {
      if (c.type !== 'el') continue
      const list = index.get(c.local)
      if (list) list.push(c)
      else index.set(c.local, [c])
    }
    el.byLocal = index
  }
  return index.get(local) ?? NONE
}

export function childrenNamed(el: XEl, ns: NsTest, local: string): XEl[] {
  const out: XEl[] = []
  for (const c of named(el, local)) if (nsMatches(ns, c.ns)) out.push(c)
  return out
}

export function child(el: XEl, ns: NsTest, local: string): XEl | undefined {
  for (const c of named(el, local)) if (nsMatches(ns, c.ns)) return c
  return undefined
}

/** The first child with non-blank text among the candidates, in order of preference. */
export function firstText(el: XEl, candidates: ReadonlyArray<[NsTest, string]>): { el: XEl; text: string } | null {
  for (const [ns, local] of candidates) {
    for (const c of named(el, local)) {
      if (!nsMatches(ns, c.ns)) continue
      const text = textOf(c).trim()
      if (text !== '') return { el: c, text }
    }
  }
  return null
}

export function attr(el: XEl, local: string, ns: NsTest = ''): string | null {
  const a = el.attrs.find((x) => x.local === local && nsMatches(ns, x.ns))
  return a ? a.value : null
}

/** Decoded text of the element and its descendants. */
export function textOf(el: XEl): string {
  const kids = el.children
  if (kids.length === 1) {
    const only = kids[0]!
    return only.type === 'text' ? only.value : textOf(only)
  }
  if (kids.length === 0) return ''
  let out = ''
  for (const c of el.children) out += c.type === 'text' ? c.value : textOf(c)
  return out
}

export function descendants(el: XEl, visit: (e: XEl) => boolean | void, depth = 0): void {
  if (depth > MAX_DEPTH) return
  for (const c of el.children) {
    if (c.type !== 'el') continue
    if (visit(c) === false) continue
    descendants(c, visit, depth + 1)
  }
}

// ───────────────────────────── serialisation ─────────────────────────────

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param'])

export const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
export const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * Children as HTML. Text directly inside `el` is kept as-is when `topTextIsHtml` (RSS descriptions carry
 * escaped HTML as text); text inside nested elements is always escaped, since it was markup in the feed.
 * XHTML-namespace prefixes and xmlns declarations are dropped so the result is plain HTML.
 */
export function innerHtml(el: XEl, opts: { topTextIsHtml: boolean }): string {
  let out = ''
  for (const c of el.children) out += c.type === 'text' ? (opts.topTextIsHtml ? c.value : escapeText(c.value)) : outerHtml(c, 0)
  return out
}

function outerHtml(el: XEl, depth: number): string {
  const name = htmlName(el)
  let out = `<${name}`
  for (const a of el.attrs) {
    const attrName = a.ns === NS.xml ? `xml:${a.local}` : a.ns === NS.xhtml ? a.local : a.name
    out += ` ${attrName}="${escapeAttr(a.value)}"`
  }
  if (VOID.has(name.toLowerCase()) && el.children.length === 0) return `${out}>`
  out += '>'
  if (depth < MAX_DEPTH) {
    for (const c of el.children) out += c.type === 'text' ? escapeText(c.value) : outerHtml(c, depth + 1)
  }
  return `${out}</${name}>`
}

function htmlName(el: XEl): string {
  const colon = el.name.indexOf(':')
  if (colon < 0) return el.name
  return el.ns === NS.xhtml ? el.name.slice(colon + 1) : el.name
}
