/*
 * A reader's comment, rendered from a small Markdown subset. Safety comes from construction, not from
 * filtering: the input is parsed into our own tokens and the HTML is written from them, so no tag or
 * attribute the author typed ever reaches the page, and every run of their text goes through `escapeHtml`.
 *
 * The subset:
 *   paragraphs (blank-line separated; a single newline is a <br>)
 *   > quotes, one level: consecutive `>` lines are one quote; a second `>` is kept as text (`>> a` is a quote
 *     reading "> a"), and a line without `>` ends the quote (no lazy continuation: the reply after a quote
 *     is the reader's own text)
 *   *em* _em_ **strong** __strong__ (CommonMark delimiter rules: an `_` inside a word is a character, so
 *     snake_case_names stay as typed; a `*` inside a word still works, as in un*frigging*believable)
 *   `code` (any backtick run closed by one of the same length)
 *   [text](https://…) and bare http(s):// URLs
 *   \* and other backslash-escaped ASCII punctuation stand for the character itself
 * Anything else (headings, lists, images, tables, raw HTML) stays as the text that was typed. A link that is
 * not made (a scheme other than http/https, a relative URL, past `maxLinks`) also stays as typed.
 *
 * Every step is a single left-to-right pass or the CommonMark emphasis algorithm with its "openers bottom"
 * bound, and no regular expression here can backtrack, so 20,000 characters of `*`, `[` or `_a` are cheap.
 */

export const COMMENT_MAX_CHARS = 20_000
// A URL longer than this is not linked; the cap also bounds the look-ahead from every `](` and `http`.
const MAX_URL_CHARS = 2048
const MAX_PAREN_DEPTH = 32
const LINK_ATTRS = 'rel="nofollow ugc noopener" target="_blank"'

type Tag = 'em' | 'strong'
interface Delim {
  kind: 'delim'
  ch: '*' | '_'
  length: number // the run as written, for the rule of three
  remaining: number // characters not (yet) used as markup; rendered literally
  canOpen: boolean
  canClose: boolean
  opens: Tag[] | null // rendered after the literal rest, outermost first
  closes: Tag[] | null // rendered before the literal rest, innermost first
}
type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'br' }
  | { kind: 'code'; text: string }
  | { kind: 'autolink'; url: string; text: string }
  | { kind: 'link'; url: string; dest: string; children: Inline[] }
  | Delim
type Block = { kind: 'p'; inlines: Inline[] } | { kind: 'quote'; paragraphs: Inline[][] }

/**
 * Renders a comment as safe HTML. `links` counts the links made; with `maxLinks`, links past it stay text
 * (the caller holds comments with many links for moderation).
 */
export function renderCommentMarkdown(text: string, opts: { maxLinks?: number } = {}): { html: string; links: number } {
  const ctx = { links: 0, maxLinks: opts.maxLinks ?? Infinity }
  const html = parseBlocks(normalizeInput(text))
    .map((b) =>
      b.kind === 'p'
        ? `<p>${renderInlines(b.inlines, ctx)}</p>`
        : `<blockquote>${b.paragraphs.map((p) => `<p>${renderInlines(p, ctx)}</p>`).join('')}</blockquote>`,
    )
    .join('')
  return { html, links: ctx.links }
}

/**
 * The comment as plain text without markup, for previews and notifications: paragraphs separated by a blank
 * line, quote markers, emphasis markers and backticks dropped, a link as its text. Not HTML: escape it on output.
 */
export function commentPlainText(text: string): string {
  return parseBlocks(normalizeInput(text))
    .map((b) => (b.kind === 'p' ? plainInlines(b.inlines) : b.paragraphs.map(plainInlines).join('\n\n')))
    .join('\n\n')
}

/** Escapes text for an element's content or a double- or single-quoted attribute value. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

// --- input and blocks -------------------------------------------------------------------------------------

function normalizeInput(text: string): string {
  let s = text.length > COMMENT_MAX_CHARS ? text.slice(0, COMMENT_MAX_CHARS) : text
  // Do not leave half a surrogate pair where the cut fell.
  if (s.length === COMMENT_MAX_CHARS && /[\uD800-\uDBFF]$/.test(s)) s = s.slice(0, -1)
  // Controls are invisible and only ever tricks (a NUL inside `java\0script:`, a form feed as a separator).
  return s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
}

const QUOTE_LINE = /^ {0,3}>/
const BLANK_LINE = /^[ \t]*$/

function parseBlocks(text: string): Block[] {
  const blocks: Block[] = []
  let para: string[] = [] // lines of the current paragraph
  let quote: string[] | null = null // lines of the current quote, markers removed
  const endPara = (): void => {
    if (para.length) blocks.push({ kind: 'p', inlines: parseInlines(para.join('\n')) })
    para = []
  }
  const endQuote = (): void => {
    if (quote) {
      const paragraphs: Inline[][] = []
      let lines: string[] = []
      for (const line of [...quote, '']) {
        if (BLANK_LINE.test(line)) {
          if (lines.length) paragraphs.push(parseInlines(lines.join('\n')))
          lines = []
        } else lines.push(line.trim())
      }
      if (paragraphs.length) blocks.push({ kind: 'quote', paragraphs })
    }
    quote = null
  }
  for (const line of text.split('\n')) {
    if (QUOTE_LINE.test(line)) {
      endPara()
      const rest = line.slice(line.indexOf('>') + 1)
      ;(quote ??= []).push(rest.startsWith(' ') || rest.startsWith('\t') ? rest.slice(1) : rest)
    } else if (BLANK_LINE.test(line)) {
      endPara()
      endQuote()
    } else {
      endQuote()
      para.push(line.trim())
    }
  }
  endPara()
  endQuote()
  return blocks
}

// --- inlines ----------------------------------------------------------------------------------------------

const ASCII_PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
// Characters that cannot appear unencoded in a URL end a bare one (so do whitespace and controls).
const URL_STOP = new Set('<>"`[]{}|\\^')
// Dropped from the end of a bare URL: "see https://example.com/a." means the sentence ends there.
const URL_TRAILING = new Set('.,:;!?\'"*_~')

// Flanking tests run for every `*` and `_` run: ASCII is answered from a table, the rest by Unicode class.
const ASCII_PUNCT_CODES = new Uint8Array(128)
for (const c of ASCII_PUNCT) ASCII_PUNCT_CODES[c.charCodeAt(0)] = 1

function isWhitespace(c: string | undefined): boolean {
  if (c === undefined) return true
  const code = c.charCodeAt(0)
  return code < 128 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : /^\s/u.test(c)
}
function isPunctuation(c: string | undefined): boolean {
  if (c === undefined) return false
  const code = c.charCodeAt(0)
  return code < 128 ? ASCII_PUNCT_CODES[code] === 1 : /^[\p{P}\p{S}]/u.test(c)
}
function isAlnum(c: string | undefined): boolean {
  if (c === undefined) return false
  const code = c.charCodeAt(0)
  if (code < 128) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a)
  return /^[\p{L}\p{N}]/u.test(c)
}
/** Whitespace or a control character: what ends a URL. */
function isSpaceOrControl(code: number): boolean {
  return code <= 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
}
/** The code point that ends just before `i` (so a flanking test sees an emoji or a CJK character whole). */
function charBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined
  const lo = s.charCodeAt(i - 1)
  if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) return s.slice(i - 2, i)
  return s[i - 1]
}
function charAt(s: string, i: number): string | undefined {
  const cp = s.codePointAt(i)
  return cp === undefined ? undefined : String.fromCodePoint(cp)
}

interface Bracket {
  at: number // index of its `[` text token in `out`
  delims: number // how many delimiters had been seen before it
}

function parseInlines(src: string): Inline[] {
  const out: Inline[] = []
  const delims: Delim[] = []
  const brackets: Bracket[] = []
  const codeCloser = backtickCloserFinder(src)
  let stops: Int32Array | null = null // built on the first `](`, see linkDestination
  let textStart = 0 // plain text runs from here to `i`
  const flush = (i: number): void => {
    if (i > textStart) out.push({ kind: 'text', text: src.slice(textStart, i) })
  }
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (c === '\\' && i + 1 < src.length && ASCII_PUNCT.has(src[i + 1]!)) {
      flush(i)
      textStart = i + 1 // the escaped character starts the next run of text
      i += 2
    } else if (c === '\n') {
      flush(i)
      out.push({ kind: 'br' })
      textStart = ++i
    } else if (c === '`') {
      let j = i
      while (src[j] === '`') j++
      const close = codeCloser(i, j - i)
      if (close < 0) i = j
      else {
        flush(i)
        out.push({ kind: 'code', text: codeText(src.slice(j, close)) })
        textStart = i = close + (j - i)
      }
    } else if (c === '*' || c === '_') {
      let j = i
      while (src[j] === c) j++
      flush(i)
      const d = delimiter(src, i, j, c)
      out.push(d)
      delims.push(d)
      textStart = i = j
    } else if (c === '[') {
      flush(i)
      out.push({ kind: 'text', text: '[' })
      brackets.push({ at: out.length - 1, delims: delims.length })
      textStart = ++i
    } else if (c === ']') {
      const opener = brackets.pop()
      const dest = opener && src[i + 1] === '(' ? linkDestination(src, i + 1, (stops ??= urlStops(src))) : null
      if (!opener || !dest) {
        i++
        continue
      }
      flush(i)
      const children = out.splice(opener.at + 1)
      out.pop() // the `[`
      processEmphasis(delims.splice(opener.delims))
      // A link holds no other link: a bare URL in its text is text, and every `[` before it is now text.
      for (let k = 0; k < children.length; k++) {
        const ch = children[k]!
        if (ch.kind === 'autolink') children[k] = { kind: 'text', text: ch.text }
      }
      brackets.length = 0
      out.push({ kind: 'link', url: dest.url, dest: src.slice(i + 2, dest.end - 1), children })
      textStart = i = dest.end
    } else if ((c === 'h' || c === 'H') && !isAlnum(charBefore(src, i))) {
      const auto = bareUrl(src, i)
      if (!auto) i++
      else if (!auto.url) i = auto.end // not a URL after all: all of it is text, and is not looked at again
      else {
        flush(i)
        out.push({ kind: 'autolink', url: auto.url, text: src.slice(i, auto.end) })
        textStart = i = auto.end
      }
    } else i++
  }
  flush(i)
  processEmphasis(delims)
  return out
}

/**
 * Finds, for a backtick run, the next run of the same length after it, in linear total time: runs are listed
 * once by length, and a pointer per length only moves forward because openers are asked for left to right.
 */
function backtickCloserFinder(src: string): (start: number, length: number) => number {
  const byLength = new Map<number, number[]>()
  if (!src.includes('`')) return () => -1
  for (let i = 0; i < src.length; ) {
    if (src[i] !== '`') {
      i++
      continue
    }
    let j = i
    while (src[j] === '`') j++
    const list = byLength.get(j - i) ?? []
    list.push(i)
    byLength.set(j - i, list)
    i = j
  }
  const next = new Map<number, number>()
  return (start, length) => {
    const list = byLength.get(length)
    if (!list) return -1
    let k = next.get(length) ?? 0
    while (k < list.length && list[k]! <= start) k++
    next.set(length, k)
    return k < list.length ? list[k]! : -1
  }
}

/** CommonMark code span content: newlines are spaces, one space each side is padding when both are there. */
function codeText(raw: string): string {
  const s = raw.replace(/\n/g, ' ')
  return s.length >= 2 && s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '' ? s.slice(1, -1) : s
}

/** A delimiter run `src[i..j)` of `*` or `_` and what it may do (CommonMark's flanking rules). */
function delimiter(src: string, i: number, j: number, ch: '*' | '_'): Delim {
  const before = charBefore(src, i)
  const after = charAt(src, j)
  const left = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before))
  const right = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after))
  // An underscore inside a word is a character, not markup: snake_case_names stay as typed.
  const canOpen = ch === '*' ? left : left && (!right || isPunctuation(before))
  const canClose = ch === '*' ? right : right && (!left || isPunctuation(after))
  return { kind: 'delim', ch, length: j - i, remaining: j - i, canOpen, canClose, opens: null, closes: null }
}

/**
 * CommonMark's "process emphasis" over one level's delimiters, in order. Matched pairs become tags on the
 * runs; whatever is left of a run is rendered as the characters typed. `bottom` remembers, per kind of
 * closer, how far back an earlier search already found nothing, which keeps the whole pass linear.
 */
function processEmphasis(list: Delim[]): void {
  const n = list.length
  if (n < 2) return
  const prev = new Int32Array(n)
  const next = new Int32Array(n)
  for (let k = 0; k < n; k++) {
    prev[k] = k - 1
    next[k] = k + 1
  }
  const unlink = (k: number): void => {
    const p = prev[k]!
    const q = next[k]!
    if (p >= 0) next[p] = q
    if (q < n) prev[q] = p
  }
  const bottom = new Map<string, number>()
  let c = 0
  while (c < n) {
    const closer = list[c]!
    if (!closer.canClose || closer.remaining === 0) {
      c = next[c]!
      continue
    }
    const key = `${closer.ch}${closer.canOpen ? 1 : 0}${closer.length % 3}`
    const floor = bottom.get(key) ?? -1
    let o = prev[c]!
    let opener: Delim | null = null
    for (; o > floor; o = prev[o]!) {
      const d = list[o]!
      if (d.ch !== closer.ch || !d.canOpen || d.remaining === 0) continue
      // The rule of three: `*foo**bar*` is one em, not em + strong.
      const both = d.canClose || closer.canOpen
      if (both && (d.length + closer.length) % 3 === 0 && !(d.length % 3 === 0 && closer.length % 3 === 0)) continue
      opener = d
      break
    }
    if (!opener) {
      bottom.set(key, prev[c]!)
      const after = next[c]!
      if (!closer.canOpen) unlink(c)
      c = after
      continue
    }
    const use = opener.remaining >= 2 && closer.remaining >= 2 ? 2 : 1
    const tag: Tag = use === 2 ? 'strong' : 'em'
    opener.remaining -= use
    closer.remaining -= use
    ;(opener.opens ??= []).unshift(tag)
    ;(closer.closes ??= []).push(tag)
    // Delimiters between the pair can no longer match anything outside it.
    next[o] = c
    prev[c] = o
    if (opener.remaining === 0) unlink(o)
    if (closer.remaining === 0) {
      const after = next[c]!
      unlink(c)
      c = after
    }
  }
}

/**
 * For each position, the first `)` or character that ends a link destination (whitespace, control, `<`, `>`)
 * at or after it. One backward pass; it lets every `](` with no `)` ahead fail at once.
 */
function urlStops(src: string): Int32Array {
  const stops = new Int32Array(src.length + 1)
  stops[src.length] = src.length
  for (let k = src.length - 1; k >= 0; k--) {
    const c = src[k]!
    stops[k] = c === ')' || c === '<' || c === '>' || isSpaceOrControl(src.charCodeAt(k)) ? k : stops[k + 1]!
  }
  return stops
}

/** `(url)` at `i`, right after a `]`: an absolute http(s) URL, optionally padded with spaces. End is past the `)`. */
function linkDestination(src: string, i: number, stops: Int32Array): { url: string; end: number } | null {
  let j = i + 1
  while (src[j] === ' ') j++
  const start = j
  // The scan below ends at the first stop at the latest, and only a `)` or the padding before one can follow.
  const firstStop = stops[start]!
  if (firstStop - start > MAX_URL_CHARS || (src[firstStop] !== ')' && src[firstStop] !== ' ')) return null
  let depth = 0
  for (; j < src.length && j - start <= MAX_URL_CHARS; j++) {
    const c = src[j]!
    if (isSpaceOrControl(src.charCodeAt(j)) || c === '<' || c === '>') break
    if (c === '(') {
      // As in cmark: deeper nesting is not a destination, and the limit keeps `[](()[](()…` linear.
      if (++depth > MAX_PAREN_DEPTH) return null
    } else if (c === ')') {
      if (depth === 0) break
      depth--
    }
  }
  const raw = src.slice(start, j)
  while (src[j] === ' ') j++
  if (src[j] !== ')') return null
  const url = httpUrl(raw)
  return url ? { url, end: j + 1 } : null
}

/**
 * A bare URL at `i`: null unless `http://` or `https://` starts there; else where it ends (trailing
 * punctuation and an unbalanced `)` left out) and its normalised form, or `url: null` when it is not one.
 */
function bareUrl(src: string, i: number): { url: string | null; end: number } | null {
  const head = src.slice(i, i + 8).toLowerCase()
  const schemeEnd = head.startsWith('https://') ? i + 8 : head.startsWith('http://') ? i + 7 : -1
  if (schemeEnd < 0) return null
  let j = schemeEnd
  while (j < src.length && j - i <= MAX_URL_CHARS && !URL_STOP.has(src[j]!) && !isSpaceOrControl(src.charCodeAt(j))) j++
  if (j - i > MAX_URL_CHARS) return { url: null, end: j }
  let opens = 0
  let closes = 0
  for (let k = schemeEnd; k < j; k++) {
    if (src[k] === '(') opens++
    else if (src[k] === ')') closes++
  }
  for (;;) {
    const last = src[j - 1]!
    if (URL_TRAILING.has(last)) j--
    else if (last === ')' && closes > opens) {
      j--
      closes--
    } else break
  }
  return { url: j > schemeEnd ? httpUrl(src.slice(i, j)) : null, end: j }
}

/**
 * The normalised form of an absolute http(s) URL, else null. The author must write the scheme: relative,
 * protocol-relative and scheme-less links are not made, and neither is anything `new URL` reads as another
 * scheme (`javascript:`, `data:`, `&#106;avascript:` which does not even parse).
 */
function httpUrl(raw: string): string | null {
  if (!/^https?:\/\//i.test(raw)) return null
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return null
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return null
  return u.href
}

// --- output -----------------------------------------------------------------------------------------------

function renderInlines(inlines: Inline[], ctx: { links: number; maxLinks: number }): string {
  let html = ''
  for (const t of inlines) {
    switch (t.kind) {
      case 'text':
        html += escapeHtml(t.text)
        break
      case 'br':
        html += '<br>'
        break
      case 'code':
        html += `<code>${escapeHtml(t.text)}</code>`
        break
      case 'delim':
        if (t.closes) for (const tag of t.closes) html += `</${tag}>`
        if (t.remaining) html += t.ch.repeat(t.remaining) // `*` and `_` need no escaping
        if (t.opens) for (const tag of t.opens) html += `<${tag}>`
        break
      case 'autolink':
        if (ctx.links < ctx.maxLinks) {
          ctx.links++
          html += `<a href="${escapeHtml(t.url)}" ${LINK_ATTRS}>${escapeHtml(t.text)}</a>`
        } else html += escapeHtml(t.text)
        break
      case 'link': {
        const inner = renderInlines(t.children, ctx)
        if (ctx.links < ctx.maxLinks) {
          ctx.links++
          // An empty or blank text would make an invisible link: show where it goes instead.
          html += `<a href="${escapeHtml(t.url)}" ${LINK_ATTRS}>${inner.trim() ? inner : escapeHtml(t.url)}</a>`
        } else html += `[${inner}](${escapeHtml(t.dest)})`
        break
      }
    }
  }
  return html
}

function plainInlines(inlines: Inline[]): string {
  let s = ''
  for (const t of inlines) {
    if (t.kind === 'text' || t.kind === 'code' || t.kind === 'autolink') s += t.text
    else if (t.kind === 'br') s += '\n'
    else if (t.kind === 'delim') s += t.ch.repeat(t.remaining)
    else s += plainInlines(t.children) || t.url
  }
  return s
}
