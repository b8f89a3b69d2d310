import { DecodingMode, decodeHTML } from 'entities'
import { resolveUrl } from './urls.js'

/**
 * A tolerant XML view for feed parsing. The tokenizer follows htmlparser2's in xmlMode, which survives
 * bare `&`, undeclared HTML entities, junk before the root and truncation; the tree adds what it lacks:
 * namespaces (matched by URI, whatever the prefix), xml:base, xml:lang and entity decoding with the HTML
 * entity table (HTML 4 meanings where HTML5 changed them) plus bounded internal DTD entities.
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
  // Every document declares the same handful of namespaces; remember their normal forms.
  const known = NORMALISED.get(uri)
  if (known !== undefined) return known
  const n = baseNorm(uri)
  const out = Object.hasOwn(ALIASES, n) ? ALIASES[n]! : n
  if (uri.length <= 256) {
    if (NORMALISED.size >= 1000) NORMALISED.clear()
    NORMALISED.set(uri, out)
  }
  return out
}

const NORMALISED = new Map<string, string>()

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
  /** Element children by local name, built on the first query of an element with many children (the tree is not changed after parsing). */
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
/** Characters that internal DTD entities may add to one document, all references together. */
const MAX_ENTITY_EXPANSION = 1_000_000
/** Longest replacement text of one entity, its own references expanded. */
const MAX_ENTITY_LENGTH = 10_000
/** Entities referring to entities referring to…: deeper chains are refused, cycles with them. */
const MAX_ENTITY_NESTING = 8

/**
 * Builds the tree in one pass over the text, with the tolerance of htmlparser2 in xmlMode (see tokenize
 * and TreeBuilder) and no intermediate DOM: names are cut out of the source when a tag is complete, and
 * text is decoded once per run of text.
 */
export function parseXml(text: string, ctx: { url: string | null }): XmlDoc {
  const builder = new TreeBuilder(text, ctx.url, doctypeEntities(text))
  tokenize(text, builder)
  return { elements: builder.roots, hasElements: builder.roots.length > 0 }
}

interface Scope {
  prefixes: Map<string, string>
  parent: Scope | null
  /** The default namespace in scope (`xmlns="…"`), undefined when none was declared. */
  defaultNs: string | undefined
}

const ROOT_SCOPE: Scope = { prefixes: new Map(), parent: null, defaultNs: undefined }

function lookup(scope: Scope, prefix: string): string | undefined {
  for (let s: Scope | null = scope; s; s = s.parent) {
    const uri = s.prefixes.get(prefix)
    if (uri !== undefined) return uri
  }
  return undefined
}

function resolvePrefix(scope: Scope, prefix: string): string {
  if (prefix === 'xml') return NS.xml
  const lower = prefix.toLowerCase()
  return lookup(scope, prefix) ?? (Object.hasOwn(DEFAULT_PREFIXES, lower) ? DEFAULT_PREFIXES[lower]! : `undeclared:${lower}`)
}

const isXmlns = (name: string): boolean => name.startsWith('xmlns') && (name.length === 5 || name.charCodeAt(5) === 58 /* : */)

/**
 * The attribute list of every element without attributes (most of them): one array instead of one each.
 * Shared, so nothing may add to it; the tree is not changed after parsing.
 */
const NO_ATTRS: XAttr[] = []

/** Above this many attributes on one element, duplicates are found with a set rather than a scan. */
const ATTR_SCAN_LIMIT = 32
/** Above this depth, close tags that match no open element are found with counts rather than a scan. */
const STACK_SCAN_LIMIT = 64

/**
 * Tokens → XEl tree, with htmlparser2's Parser and DomHandler semantics in xmlMode: names keep their case,
 * the first of duplicate attributes wins, a close tag closes everything opened after the element it names
 * (and is ignored when it names none), and whatever is open when the input ends is closed there
 * (`complete: false`). A tag cut off by the end of input is dropped.
 */
class TreeBuilder {
  readonly roots: XEl[] = []
  private readonly src: string
  private readonly docUrl: string | null
  private readonly entities: DtdEntities | null
  // Open elements, innermost last; `els` holds null for those too deep to keep.
  private readonly names: string[] = []
  private readonly els: Array<XEl | null> = []
  private readonly scopes: Scope[] = []
  /** How many open elements have each name; kept only once the stack gets deep. */
  private counts: Map<string, number> | null = null
  // The tag being read.
  private tagName = ''
  // The first `attrCount` entries are the tag's attributes (the arrays are reused from tag to tag).
  private readonly attrNames: string[] = []
  private readonly attrValues: string[] = []
  private attrCount = 0
  private attrSeen: Set<string> | null = null
  private attrName = ''
  private attrValue = ''
  // Text not yet added: a range of `src`, after `textHead` when the run was not contiguous.
  private hasText = false
  private textStart = 0
  private textEnd = 0
  private textHead = ''

  constructor(src: string, docUrl: string | null, entities: DtdEntities | null) {
    this.src = src
    this.docUrl = docUrl
    this.entities = entities
  }

  ontext(start: number, endIndex: number): void {
    if (!this.hasText) {
      this.hasText = true
      this.textStart = start
    } else if (start !== this.textEnd) {
      this.textHead += this.src.slice(this.textStart, this.textEnd)
      this.textStart = start
    }
    this.textEnd = endIndex
  }

  oncdata(start: number, endIndex: number, endOffset: number): void {
    this.flushText()
    const el = this.textTarget()
    // CDATA is literal: no entity decoding.
    if (el) pushText(el, this.src.slice(start, endIndex - endOffset))
  }

  /** A comment, declaration or processing instruction: nothing to keep, but text on both sides stays apart. */
  onmarkup(): void {
    this.flushText()
  }

  onopentagname(start: number, endIndex: number): void {
    this.tagName = this.src.slice(start, endIndex)
    this.attrCount = 0
    this.attrSeen = null
  }

  onattribname(start: number, endIndex: number): void {
    this.attrName = this.src.slice(start, endIndex)
    this.attrValue = ''
  }

  onattribdata(start: number, endIndex: number): void {
    this.attrValue += this.src.slice(start, endIndex)
  }

  onattribend(): void {
    const name = this.attrName
    const names = this.attrNames
    const count = this.attrCount
    if (count < ATTR_SCAN_LIMIT) {
      for (let i = 0; i < count; i++) if (names[i] === name) return
    } else {
      this.attrSeen ??= new Set(names.slice(0, count))
      if (this.attrSeen.has(name)) return
      this.attrSeen.add(name)
    }
    names[count] = name
    this.attrValues[count] = this.attrValue
    this.attrCount = count + 1
  }

  onopentagend(): void {
    this.openTag(false)
  }

  onselfclosingtag(): void {
    this.openTag(true)
  }

  /** A close tag that names no open element is ignored, so text on both sides of it stays one run. */
  onclosetag(start: number, endIndex: number): void {
    const name = this.src.slice(start, endIndex)
    const names = this.names
    let at = names.length - 1
    if (names[at] !== name) {
      if (names.length > STACK_SCAN_LIMIT && this.counts === null) {
        this.counts = new Map()
        for (const n of names) this.counts.set(n, (this.counts.get(n) ?? 0) + 1)
      }
      at = this.counts !== null && !this.counts.get(name) ? -1 : names.lastIndexOf(name)
      if (at < 0) return
    }
    this.flushText()
    while (names.length > at) this.pop()
  }

  onend(): void {
    this.flushText()
    for (const el of this.els) if (el) el.complete = false
  }

  private openTag(selfClosing: boolean): void {
    // Only a complete tag ends a run of text (one cut off by the end of input is dropped).
    this.flushText()
    const name = this.tagName
    const depth = this.els.length
    const parent = depth === 0 ? null : this.els[depth - 1]!
    const parentScope = depth === 0 ? ROOT_SCOPE : this.scopes[depth - 1]!
    let el: XEl | null = null
    let scope = parentScope
    if (depth <= MAX_DEPTH) {
      scope = this.scopeFor(parentScope)
      el = this.element(name, parent, scope)
      if (parent) parent.children.push(el)
      else this.roots.push(el)
    }
    if (selfClosing) return
    this.names.push(name)
    this.els.push(el)
    this.scopes.push(scope)
    if (this.counts) this.counts.set(name, (this.counts.get(name) ?? 0) + 1)
  }

  private pop(): void {
    const name = this.names.pop()!
    this.els.pop()
    this.scopes.pop()
    if (this.counts) this.counts.set(name, this.counts.get(name)! - 1)
  }

  /** The scope for the element being opened: its parent's, or a new one when it declares namespaces. */
  private scopeFor(parentScope: Scope): Scope {
    let scope = parentScope
    const names = this.attrNames
    for (let i = 0; i < this.attrCount; i++) {
      const name = names[i]!
      if (!isXmlns(name)) continue
      if (scope === parentScope) scope = { prefixes: new Map(), parent: parentScope, defaultNs: parentScope.defaultNs }
      const prefix = name.length === 5 ? '' : name.slice(6)
      const uri = norm(this.decodeText(this.attrValues[i]!))
      scope.prefixes.set(prefix, uri)
      if (prefix === '') scope.defaultNs = uri
    }
    return scope
  }

  private element(name: string, parent: XEl | null, scope: Scope): XEl {
    const parentBase = parent === null ? null : parent.xmlBase
    const names = this.attrNames
    const values = this.attrValues
    const attrs: XAttr[] = this.attrCount === 0 ? NO_ATTRS : []
    let baseAttr: XAttr | undefined
    let langAttr: XAttr | undefined
    for (let i = 0; i < this.attrCount; i++) {
      const attrName = names[i]!
      if (isXmlns(attrName)) continue
      const colon = attrName.indexOf(':')
      const a: XAttr = {
        name: attrName,
        local: (colon > 0 ? attrName.slice(colon + 1) : attrName).toLowerCase(),
        // Unprefixed attributes are in no namespace.
        ns: colon > 0 ? resolvePrefix(scope, attrName.slice(0, colon)) : '',
        value: decodeEntities(values[i]!, null),
      }
      attrs.push(a)
      if (a.ns === NS.xml) {
        if (a.local === 'base') baseAttr ??= a
        else if (a.local === 'lang') langAttr ??= a
      }
    }
    const colon = name.indexOf(':')
    return {
      type: 'el',
      name,
      local: (colon > 0 ? name.slice(colon + 1) : name).toLowerCase(),
      ns: colon > 0 ? resolvePrefix(scope, name.slice(0, colon)) : (scope.defaultNs ?? ''),
      attrs,
      children: [],
      parent,
      xmlBase: baseAttr ? (resolveUrl(baseAttr.value, parentBase ?? this.docUrl, { anyScheme: true }) ?? parentBase) : parentBase,
      // xml:lang="" explicitly means "unknown".
      lang: langAttr ? (langAttr.value.trim() || null) : (parent === null ? null : parent.lang),
      complete: true,
      byLocal: null,
    }
  }

  /** The element that text read now belongs to, or null (outside the root, or too deep to keep). */
  private textTarget(): XEl | null {
    const depth = this.els.length - 1
    return depth >= 0 && depth < MAX_DEPTH ? this.els[depth]! : null
  }

  private flushText(): void {
    if (!this.hasText) return
    const el = this.textTarget()
    if (el) pushText(el, this.decodeText(this.textHead + this.src.slice(this.textStart, this.textEnd)))
    this.hasText = false
    this.textHead = ''
  }

  private decodeText(s: string): string {
    return decodeEntities(s, this.entities)
  }
}

// ───────────────────────────── tokenizer ─────────────────────────────

// Tokenizer states: those of htmlparser2's Tokenizer that xmlMode without entity decoding reaches.
const TEXT = 0
const BEFORE_TAG_NAME = 1
const IN_TAG_NAME = 2
const IN_SELF_CLOSING_TAG = 3
const BEFORE_CLOSING_TAG_NAME = 4
const IN_CLOSING_TAG_NAME = 5
const AFTER_CLOSING_TAG_NAME = 6
const BEFORE_ATTRIBUTE_NAME = 7
const IN_ATTRIBUTE_NAME = 8
const AFTER_ATTRIBUTE_NAME = 9
const BEFORE_ATTRIBUTE_VALUE = 10
const IN_ATTRIBUTE_VALUE_DQ = 11
const IN_ATTRIBUTE_VALUE_SQ = 12
const IN_ATTRIBUTE_VALUE_NQ = 13
const BEFORE_DECLARATION = 14
const IN_DECLARATION = 15
const IN_PROCESSING_INSTRUCTION = 16
const BEFORE_COMMENT = 17
const CDATA_SEQUENCE = 18
const IN_SPECIAL_COMMENT = 19
const IN_COMMENT_LIKE = 20

const CDATA_START = [0x43, 0x44, 0x41, 0x54, 0x41, 0x5b] // CDATA[
const CDATA_END = [0x5d, 0x5d, 0x3e] // ]]>
const COMMENT_END = [0x2d, 0x2d, 0x3e] // -->

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0c || c === 0x0d
const isEndOfTagSection = (c: number): boolean => c === 0x2f /* / */ || c === 0x3e /* > */ || isWhitespace(c)

/**
 * htmlparser2's Tokenizer in xmlMode with entities left alone, state for state and callback for callback
 * (so its tolerance of broken markup is kept exactly), with the scans for the next `<`, quote, `>` and `]`
 * done by indexOf instead of a call per character: most of a feed is text, attribute values and CDATA.
 */
function tokenize(src: string, cb: TreeBuilder): void {
  const len = src.length
  let state = TEXT
  let sectionStart = 0
  let sequenceIndex = 0
  let inCdata = false
  let i = 0
  while (i < len) {
    const c = src.charCodeAt(i)
    switch (state) {
      case TEXT: {
        const lt = c === 0x3c ? i : src.indexOf('<', i + 1)
        if (lt < 0) {
          i = len
          continue
        }
        i = lt
        if (i > sectionStart) cb.ontext(sectionStart, i)
        state = BEFORE_TAG_NAME
        sectionStart = i
        break
      }
      case BEFORE_TAG_NAME:
        if (c === 0x21 /* ! */) {
          state = BEFORE_DECLARATION
          sectionStart = i + 1
        } else if (c === 0x3f /* ? */) {
          state = IN_PROCESSING_INSTRUCTION
          sectionStart = i + 1
        } else if (!isEndOfTagSection(c)) {
          sectionStart = i
          state = IN_TAG_NAME
        } else if (c === 0x2f) {
          state = BEFORE_CLOSING_TAG_NAME
        } else {
          // `< ` and `<>` are text; the section still starts at the `<`.
          state = TEXT
          continue
        }
        break
      case IN_TAG_NAME: {
        while (i < len && !isEndOfTagSection(src.charCodeAt(i))) i++
        if (i === len) continue
        cb.onopentagname(sectionStart, i)
        sectionStart = -1
        state = BEFORE_ATTRIBUTE_NAME
        continue
      }
      case BEFORE_ATTRIBUTE_NAME:
        if (c === 0x3e) {
          cb.onopentagend()
          state = TEXT
          sectionStart = i + 1
        } else if (c === 0x2f) {
          state = IN_SELF_CLOSING_TAG
        } else if (!isWhitespace(c)) {
          state = IN_ATTRIBUTE_NAME
          sectionStart = i
        }
        break
      case IN_SELF_CLOSING_TAG:
        if (c === 0x3e) {
          cb.onselfclosingtag()
          state = TEXT
          sectionStart = i + 1
        } else if (!isWhitespace(c)) {
          state = BEFORE_ATTRIBUTE_NAME
          continue
        }
        break
      case IN_ATTRIBUTE_NAME: {
        for (let d = c; d !== 0x3d /* = */ && !isEndOfTagSection(d); d = src.charCodeAt(i)) if (++i === len) break
        if (i === len) continue
        cb.onattribname(sectionStart, i)
        sectionStart = i
        state = AFTER_ATTRIBUTE_NAME
        continue
      }
      case AFTER_ATTRIBUTE_NAME:
        if (c === 0x3d) {
          state = BEFORE_ATTRIBUTE_VALUE
        } else if (c === 0x2f || c === 0x3e) {
          cb.onattribend()
          sectionStart = -1
          state = BEFORE_ATTRIBUTE_NAME
          continue
        } else if (!isWhitespace(c)) {
          cb.onattribend()
          state = IN_ATTRIBUTE_NAME
          sectionStart = i
        }
        break
      case BEFORE_ATTRIBUTE_VALUE:
        if (c === 0x22) {
          state = IN_ATTRIBUTE_VALUE_DQ
          sectionStart = i + 1
        } else if (c === 0x27) {
          state = IN_ATTRIBUTE_VALUE_SQ
          sectionStart = i + 1
        } else if (!isWhitespace(c)) {
          sectionStart = i
          state = IN_ATTRIBUTE_VALUE_NQ
          continue
        }
        break
      case IN_ATTRIBUTE_VALUE_DQ:
      case IN_ATTRIBUTE_VALUE_SQ: {
        const q = src.indexOf(state === IN_ATTRIBUTE_VALUE_DQ ? '"' : "'", i)
        if (q < 0) {
          i = len
          continue
        }
        i = q
        cb.onattribdata(sectionStart, i)
        sectionStart = -1
        cb.onattribend()
        state = BEFORE_ATTRIBUTE_NAME
        break
      }
      case IN_ATTRIBUTE_VALUE_NQ: {
        for (let d = c; d !== 0x3e && !isWhitespace(d); d = src.charCodeAt(i)) if (++i === len) break
        if (i === len) continue
        cb.onattribdata(sectionStart, i)
        sectionStart = -1
        cb.onattribend()
        state = BEFORE_ATTRIBUTE_NAME
        continue
      }
      case BEFORE_CLOSING_TAG_NAME:
        if (c === 0x3e) {
          // `</>` is text, from its `<`.
          state = TEXT
        } else if (!isWhitespace(c)) {
          state = c === 0x2f ? IN_SPECIAL_COMMENT : IN_CLOSING_TAG_NAME
          sectionStart = i
        }
        break
      case IN_CLOSING_TAG_NAME: {
        for (let d = c; d !== 0x3e && !isWhitespace(d); d = src.charCodeAt(i)) if (++i === len) break
        if (i === len) continue
        cb.onclosetag(sectionStart, i)
        sectionStart = -1
        state = AFTER_CLOSING_TAG_NAME
        continue
      }
      case AFTER_CLOSING_TAG_NAME:
      case IN_DECLARATION:
      case IN_PROCESSING_INSTRUCTION:
      case IN_SPECIAL_COMMENT: {
        const gt = c === 0x3e ? i : src.indexOf('>', i + 1)
        if (gt < 0) {
          i = len
          continue
        }
        i = gt
        // Declarations (DOCTYPE), processing instructions and comments only end a run of text.
        if (state !== AFTER_CLOSING_TAG_NAME) cb.onmarkup()
        state = TEXT
        sectionStart = i + 1
        break
      }
      case BEFORE_DECLARATION:
        if (c === 0x5b /* [ */) {
          state = CDATA_SEQUENCE
          sequenceIndex = 0
        } else {
          state = c === 0x2d /* - */ ? BEFORE_COMMENT : IN_DECLARATION
        }
        break
      case CDATA_SEQUENCE:
        if (c === CDATA_START[sequenceIndex]) {
          if (++sequenceIndex === CDATA_START.length) {
            state = IN_COMMENT_LIKE
            inCdata = true
            sequenceIndex = 0
            sectionStart = i + 1
          }
        } else {
          sequenceIndex = 0
          state = IN_DECLARATION
          continue
        }
        break
      case BEFORE_COMMENT:
        if (c === 0x2d) {
          state = IN_COMMENT_LIKE
          inCdata = false
          // `<!-->` is a whole (empty) comment.
          sequenceIndex = 2
          sectionStart = i + 1
        } else {
          state = IN_DECLARATION
        }
        break
      case IN_COMMENT_LIKE: {
        const end = inCdata ? CDATA_END : COMMENT_END
        if (c === end[sequenceIndex]) {
          if (++sequenceIndex === end.length) {
            if (inCdata) cb.oncdata(sectionStart, i, 2)
            else cb.onmarkup()
            sequenceIndex = 0
            sectionStart = i + 1
            state = TEXT
          }
        } else if (sequenceIndex === 0) {
          const next = src.indexOf(inCdata ? ']' : '-', i + 1)
          if (next < 0) {
            i = len
            continue
          }
          i = next
          sequenceIndex = 1
        } else if (c !== end[sequenceIndex - 1]) {
          // `--->` and `]]]>` still end it.
          sequenceIndex = 0
        }
        break
      }
    }
    i++
  }
  // What is left at the end, as htmlparser2 hands it over: unfinished CDATA and comments as such, an
  // unfinished tag not at all, anything else as text (from a section start of -1 that is the last character).
  if (sectionStart < len) {
    if (state === IN_COMMENT_LIKE) {
      if (inCdata) cb.oncdata(sectionStart, len, 0)
      else cb.onmarkup()
    } else if (
      state !== IN_TAG_NAME && state !== BEFORE_ATTRIBUTE_NAME && state !== BEFORE_ATTRIBUTE_VALUE &&
      state !== AFTER_ATTRIBUTE_NAME && state !== IN_ATTRIBUTE_NAME && state !== IN_ATTRIBUTE_VALUE_SQ &&
      state !== IN_ATTRIBUTE_VALUE_DQ && state !== IN_ATTRIBUTE_VALUE_NQ && state !== IN_CLOSING_TAG_NAME
    ) {
      cb.ontext(sectionStart, len)
    }
  }
  cb.onend()
}

function pushText(el: XEl, value: string): void {
  const last = el.children[el.children.length - 1]
  if (last?.type === 'text') last.value += value
  else el.children.push({ type: 'text', value })
}

/**
 * `<!ENTITY name "value">` declarations from an internal DTD subset, with the references between them
 * expanded. Bounded against entity bombs: an entity whose replacement text would exceed
 * MAX_ENTITY_LENGTH, nest deeper than MAX_ENTITY_NESTING or refer to itself is left undeclared, and all
 * references in one document together add at most MAX_ENTITY_EXPANSION characters (`budget`).
 */
interface DtdEntities {
  values: Map<string, string>
  budget: number
}

const ENTITY_REF = /&([A-Za-z_][\w.-]*);/g

function doctypeEntities(text: string): DtdEntities | null {
  const head = text.slice(0, 20_000)
  if (!head.includes('<!') || !/<!DOCTYPE[^>[]*\[/i.test(head)) return null
  const raw = new Map<string, string>()
  for (const m of head.matchAll(/<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)) {
    const name = m[1]
    if (name && !raw.has(name)) raw.set(name, decodeHTML(m[2] ?? m[3] ?? '', DecodingMode.Attribute))
  }
  if (raw.size === 0) return null
  const values = new Map<string, string>()
  const refused = new Set<string>()
  let total = 0
  const expand = (name: string, depth: number): string | null => {
    const done = values.get(name)
    if (done !== undefined) return done
    if (refused.has(name) || depth > MAX_ENTITY_NESTING) return null
    const value = raw.get(name)!
    let failed = false
    const out = value.includes('&')
      ? value.replace(ENTITY_REF, (all, ref: string) => {
        if (failed || !raw.has(ref)) return all
        const inner = expand(ref, depth + 1)
        if (inner === null) failed = true
        return inner ?? all
      })
      : value
    if (failed || out.length > MAX_ENTITY_LENGTH || total + out.length > MAX_ENTITY_EXPANSION) {
      refused.add(name)
      return null
    }
    total += out.length
    values.set(name, out)
    return out
  }
  for (const name of raw.keys()) expand(name, 0)
  return values.size > 0 ? { values, budget: MAX_ENTITY_EXPANSION } : null
}

/**
 * HTML 4 meanings of the entities HTML5 redefined: in feeds, HTML 4's table is what publishers meant
 * (`&lang;` is U+2329 there, U+27E8 in HTML5).
 */
const HTML4_ENTITIES: Readonly<Record<string, string>> = { lang: '\u2329', rang: '\u232a' }

/**
 * XML and HTML entities in one pass. Attribute mode leaves `&copy=2` in a query string alone, while
 * `&nbsp;`, `&eacute;` and `&#8217;` decode as a browser would; a bare `&` stays a `&`.
 */
function decodeEntities(s: string, custom: DtdEntities | null): string {
  if (!s.includes('&')) return s
  if (custom !== null || s.includes('ang;')) {
    s = s.replace(ENTITY_REF, (all, n: string) => {
      const value = custom?.values.get(n)
      if (value !== undefined) {
        if (value.length > custom!.budget) return all
        custom!.budget -= value.length
        return value
      }
      return Object.hasOwn(HTML4_ENTITIES, n) ? HTML4_ENTITIES[n]! : all
    })
  }
  return decodeXmlEntities(s) ?? decodeHTML(s, DecodingMode.Attribute)
}

const XML_ENTITIES: Readonly<Record<string, string>> = { 'lt;': '<', 'gt;': '>', 'amp;': '&', 'quot;': '"', 'apos;': "'" }

/** Text whose only references are the five XML entities (escaped HTML in a feed) without the full decoder; null otherwise. */
function decodeXmlEntities(s: string): string | null {
  let out = ''
  let last = 0
  for (let at = s.indexOf('&'); at >= 0; at = s.indexOf('&', last)) {
    const name = s.startsWith('lt;', at + 1) ? 'lt;' : s.startsWith('gt;', at + 1) ? 'gt;' : s.startsWith('amp;', at + 1) ? 'amp;'
      : s.startsWith('quot;', at + 1) ? 'quot;' : s.startsWith('apos;', at + 1) ? 'apos;' : null
    if (name === null) return null
    out += s.slice(last, at) + XML_ENTITIES[name]
    last = at + 1 + name.length
  }
  return out + s.slice(last)
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

/** Below this many children a scan is cheaper than building (and collecting) the index. */
const INDEX_FROM = 24

/** Element children with this local name, in document order (any namespace). */
function named(el: XEl, local: string): readonly XEl[] {
  if (el.children.length < INDEX_FROM) {
    let out: XEl[] | null = null
    for (const c of el.children) {
      if (c.type === 'el' && c.local === local) (out ??= []).push(c)
    }
    return out ?? NONE
  }
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
  if (el.children.length < INDEX_FROM) {
    for (const c of el.children) if (c.type === 'el' && c.local === local && nsMatches(ns, c.ns)) out.push(c)
    return out
  }
  for (const c of named(el, local)) if (nsMatches(ns, c.ns)) out.push(c)
  return out
}

export function child(el: XEl, ns: NsTest, local: string): XEl | undefined {
  if (el.children.length < INDEX_FROM) {
    for (const c of el.children) if (c.type === 'el' && c.local === local && nsMatches(ns, c.ns)) return c
    return undefined
  }
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
  for (const a of el.attrs) if (a.local === local && nsMatches(ns, a.ns)) return a.value
  return null
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

/** Namespaces whose elements HTML takes unprefixed (inline SVG and MathML). */
const UNPREFIXED_IN_HTML = new Set([NS.xhtml, norm('http://www.w3.org/2000/svg'), norm('http://www.w3.org/1998/Math/MathML')])

function htmlName(el: XEl): string {
  const colon = el.name.indexOf(':')
  if (colon < 0) return el.name
  return UNPREFIXED_IN_HTML.has(el.ns) ? el.name.slice(colon + 1) : el.name
}
