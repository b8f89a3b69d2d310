import {
  ALL_ATTRIBUTES, ALL_ELEMENT_SET, DROP_WITH_CONTENT, MATHML_NS, normalizeCharRefs, SAFE_SCHEMES, SVG_NS, transform, VOID,
} from './sanitize-feed.js'

/*
 * The feed sanitizer in one pass: an HTML tokenizer, the tree-building rules of an HTML parser (implied
 * closes, void elements, self-closing tags inside SVG/MathML) and the allow-lists of sanitize-feed.ts applied
 * as tags stream by, the output built as one string. It reproduces exactly what sanitize-html 2.17 (on its
 * htmlparser2 8 tokenizer and parser) printed with the options sanitize-feed.ts gave it, quirks included,
 * because stored content and its tests depend on that output; it does so without the library's per-call
 * option set-up, linear allow-list look-ups and per-element closures, which made sanitizing half of the
 * feed parse time.
 */

/** The policy's lists as sets, made on first use: sanitize-feed.ts imports this module, so they are not there yet at load. */
interface Tables {
  allowedTags: ReadonlySet<string>
  emptyAllowed: ReadonlySet<string>
  voids: ReadonlySet<string>
  dropContent: ReadonlySet<string>
  schemes: ReadonlySet<string>
}
let tables: Tables | undefined
const policy = (): Tables => (tables ??= {
  allowedTags: ALL_ELEMENT_SET,
  emptyAllowed: new Set(ALL_ATTRIBUTES),
  voids: new Set(VOID),
  dropContent: new Set(DROP_WITH_CONTENT),
  schemes: new Set(SAFE_SCHEMES),
})
/** Attributes whose scheme is checked once more after the policy's transform (as the library did). */
const SCHEME_CHECKED = new Set(['href', 'src', 'cite', 'action', 'longdesc', 'usemap', 'poster', 'background', 'dynsrc', 'lowsrc', 'xlink:href'])
/** Markup nested deeper than any page needs only serves to choke whatever renders it; the text stays. */
const NESTING_LIMIT = 512
const VALID_ATTRIBUTE_NAME = /^[^\0\t\n\f\r /<=>]+$/

// The HTML parser's tree rules (htmlparser2 8).
const FORM_TAGS = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'])
const P_TAG = new Set(['p'])
const TABLE_SECTION = new Set(['thead', 'tbody'])
const DDT = new Set(['dd', 'dt'])
const RTP = new Set(['rt', 'rp'])
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])], ['th', new Set(['th'])], ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])], ['li', new Set(['li'])],
  ['p', P_TAG], ['h1', P_TAG], ['h2', P_TAG], ['h3', P_TAG], ['h4', P_TAG], ['h5', P_TAG], ['h6', P_TAG],
  ['select', FORM_TAGS], ['input', FORM_TAGS], ['output', FORM_TAGS], ['button', FORM_TAGS], ['datalist', FORM_TAGS],
  ['textarea', FORM_TAGS], ['option', new Set(['option'])], ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DDT], ['dt', DDT], ['address', P_TAG], ['article', P_TAG], ['aside', P_TAG], ['blockquote', P_TAG],
  ['details', P_TAG], ['div', P_TAG], ['dl', P_TAG], ['fieldset', P_TAG], ['figcaption', P_TAG], ['figure', P_TAG],
  ['footer', P_TAG], ['form', P_TAG], ['header', P_TAG], ['hr', P_TAG], ['main', P_TAG], ['nav', P_TAG], ['ol', P_TAG],
  ['pre', P_TAG], ['section', P_TAG], ['table', P_TAG], ['ul', P_TAG], ['rt', RTP], ['rp', RTP],
  ['tbody', TABLE_SECTION], ['tfoot', TABLE_SECTION],
])
const PARSER_VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input',
  'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr'])
const FOREIGN = new Set(['math', 'svg'])
const INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title'])

// Tokenizer states.
const enum S {
  Text = 1, BeforeTagName, InTagName, InSelfClosingTag, BeforeClosingTagName, InClosingTagName, AfterClosingTagName,
  BeforeAttributeName, InAttributeName, AfterAttributeName, BeforeAttributeValue, InAttributeValueDq,
  InAttributeValueSq, InAttributeValueNq, BeforeDeclaration, InDeclaration, InProcessingInstruction, BeforeComment,
  CDATASequence, InSpecialComment, InCommentLike, BeforeSpecialS, SpecialStartSequence, InSpecialTag,
}
const CDATA = [0x43, 0x44, 0x41, 0x54, 0x41, 0x5b] // CDATA[
const CDATA_END = [0x5d, 0x5d, 0x3e] // ]]>
const COMMENT_END = [0x2d, 0x2d, 0x3e] // -->
const SCRIPT_END = [0x3c, 0x2f, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74] // </script
const STYLE_END = [0x3c, 0x2f, 0x73, 0x74, 0x79, 0x6c, 0x65] // </style
const TITLE_END = [0x3c, 0x2f, 0x74, 0x69, 0x74, 0x6c, 0x65] // </title

const isWhitespace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 12 || c === 13
const isEndOfTagSection = (c: number): boolean => c === 47 || c === 62 || isWhitespace(c)
const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90)

/** Escapes text the way the library did with entities left encoded: existing references are kept. */
function escapeText(s: string): string {
  let out = s
  if (out.includes('&')) out = out.replace(/&(?![a-zA-Z0-9#]{1,20};)/g, '&amp;')
  if (out.includes('<')) out = out.replace(/</g, '&lt;')
  if (out.includes('>')) out = out.replace(/>/g, '&gt;')
  return out
}
const escapeAttr = (s: string): string => {
  const out = escapeText(s)
  return out.includes('"') ? out.replace(/"/g, '&quot;') : out
}

/** The library's last scheme check: control characters and comments removed, then the scheme allow-listed. */
function naughtyHref(value: string, schemes: ReadonlySet<string>): boolean {
  if (!value.includes(':')) return false
  let href = value.replace(/[\x00-\x20]+/g, '')
  for (;;) {
    const first = href.indexOf('<!--')
    if (first === -1) break
    const last = href.indexOf('-->', first + 4)
    if (last === -1) break
    href = href.substring(0, first) + href.substring(last + 3)
  }
  const m = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(href)
  if (!m) return false
  return !schemes.has((m[1] ?? '').toLowerCase())
}

interface Frame {
  tag: string
  attribs: Record<string, string>
  tagPosition: number
  openingTagLength: number
}

class Sanitizer {
  private readonly buf: string
  private readonly base: string | null
  private readonly t = policy()
  // tokenizer
  private state = S.Text
  private sectionStart = 0
  private index = 0
  private isSpecial = false
  private seq: number[] = COMMENT_END
  private seqIndex = 0
  // parser
  private tagname = ''
  private attribname = ''
  private attribvalue = ''
  private attribs: Record<string, string> | null = null
  private readonly stack: string[] = []
  private readonly foreignContext: boolean[] = []
  // policy
  private readonly open: string[] = []
  private svgDepth = 0
  private mathDepth = 0
  private readonly drop = new WeakSet<object>()
  // output
  private result = ''
  private depth = 0
  private readonly frames: Frame[] = []
  private readonly skipMap: boolean[] = []
  private readonly transformMap: Array<string | undefined> = []
  private skipText = false
  private skipTextDepth = 0

  constructor(html: string, base: string | null) {
    this.buf = html
    this.base = base
  }

  run(): string {
    this.parse()
    this.finish()
    return this.result
  }

  // ───────────── tokenizer (htmlparser2 8, entities left encoded, one chunk) ─────────────

  private fastForwardTo(c: string): boolean {
    const i = this.buf.indexOf(c, this.index + 1)
    if (i === -1) {
      this.index = this.buf.length - 1
      return false
    }
    this.index = i
    return true
  }

  private parse(): void {
    const buf = this.buf
    const len = buf.length
    while (this.index < len) {
      const c = buf.charCodeAt(this.index)
      switch (this.state) {
        case S.Text: this.stateText(c); break
        case S.SpecialStartSequence: this.stateSpecialStartSequence(c); break
        case S.InSpecialTag: this.stateInSpecialTag(c); break
        case S.CDATASequence: this.stateCDATASequence(c); break
        case S.InAttributeValueDq: this.stateInAttributeValueQuoted(c, 34, '"'); break
        case S.InAttributeName: this.stateInAttributeName(c); break
        case S.InCommentLike: this.stateInCommentLike(c); break
        case S.InSpecialComment: this.stateInSpecialComment(c); break
        case S.BeforeAttributeName: this.stateBeforeAttributeName(c); break
        case S.InTagName: this.stateInTagName(c); break
        case S.InClosingTagName: this.stateInClosingTagName(c); break
        case S.BeforeTagName: this.stateBeforeTagName(c); break
        case S.AfterAttributeName: this.stateAfterAttributeName(c); break
        case S.InAttributeValueSq: this.stateInAttributeValueQuoted(c, 39, "'"); break
        case S.BeforeAttributeValue: this.stateBeforeAttributeValue(c); break
        case S.BeforeClosingTagName: this.stateBeforeClosingTagName(c); break
        case S.AfterClosingTagName: this.stateAfterClosingTagName(c); break
        case S.BeforeSpecialS: this.stateBeforeSpecialS(c); break
        case S.InAttributeValueNq: this.stateInAttributeValueNoQuotes(c); break
        case S.InSelfClosingTag: this.stateInSelfClosingTag(c); break
        case S.InDeclaration: this.stateInDeclaration(c); break
        case S.BeforeDeclaration: this.stateBeforeDeclaration(c); break
        case S.BeforeComment: this.stateBeforeComment(c); break
        case S.InProcessingInstruction: this.stateInProcessingInstruction(c); break
      }
      this.index++
    }
    // What is left of a text run is text.
    if (this.sectionStart !== this.index) {
      if (this.state === S.Text || (this.state === S.InSpecialTag && this.seqIndex === 0)) {
        this.ontext(this.sectionStart, this.index)
        this.sectionStart = this.index
      } else if (this.state === S.InAttributeValueDq || this.state === S.InAttributeValueSq || this.state === S.InAttributeValueNq) {
        this.attribvalue += this.buf.slice(this.sectionStart, this.index)
        this.sectionStart = this.index
      }
    }
  }

  private finish(): void {
    if (this.sectionStart < this.index) {
      const s = this.state
      // An unfinished tag is dropped, an unfinished comment too; anything else left over is text. (The start
      // may be -1 after a tag name, which makes the text the last character, as the library had it.)
      if (s !== S.InCommentLike && s !== S.InTagName && s !== S.BeforeAttributeName && s !== S.BeforeAttributeValue &&
        s !== S.AfterAttributeName && s !== S.InAttributeName && s !== S.InAttributeValueSq &&
        s !== S.InAttributeValueDq && s !== S.InAttributeValueNq && s !== S.InClosingTagName) {
        this.ontext(this.sectionStart, this.buf.length)
      }
    }
    this.onend()
  }

  private stateText(c: number): void {
    if (c === 60 || this.fastForwardTo('<')) {
      if (this.index > this.sectionStart) this.ontext(this.sectionStart, this.index)
      this.state = S.BeforeTagName
      this.sectionStart = this.index
    }
  }

  private stateSpecialStartSequence(c: number): void {
    const isEnd = this.seqIndex === this.seq.length
    const isMatch = isEnd ? isEndOfTagSection(c) : (c | 0x20) === this.seq[this.seqIndex]
    if (!isMatch) this.isSpecial = false
    else if (!isEnd) {
      this.seqIndex++
      return
    }
    this.seqIndex = 0
    this.state = S.InTagName
    this.stateInTagName(c)
  }

  private stateInSpecialTag(c: number): void {
    if (this.seqIndex === this.seq.length) {
      if (c === 62 || isWhitespace(c)) {
        const endOfText = this.index - this.seq.length
        if (this.sectionStart < endOfText) this.ontext(this.sectionStart, endOfText)
        this.isSpecial = false
        this.sectionStart = endOfText + 2
        this.stateInClosingTagName(c)
        return
      }
      this.seqIndex = 0
    }
    if ((c | 0x20) === this.seq[this.seqIndex]) this.seqIndex += 1
    else if (this.seqIndex === 0) {
      if (this.seq !== TITLE_END && this.fastForwardTo('<')) this.seqIndex = 1
    } else this.seqIndex = Number(c === 60)
  }

  private stateCDATASequence(c: number): void {
    if (c === CDATA[this.seqIndex]) {
      if (++this.seqIndex === CDATA.length) {
        this.state = S.InCommentLike
        this.seq = CDATA_END
        this.seqIndex = 0
        this.sectionStart = this.index + 1
      }
    } else {
      this.seqIndex = 0
      this.state = S.InDeclaration
      this.stateInDeclaration(c)
    }
  }

  private stateInCommentLike(c: number): void {
    const seq = this.seq
    if (c === seq[this.seqIndex]) {
      if (++this.seqIndex === seq.length) {
        // Comments and CDATA are dropped.
        this.seqIndex = 0
        this.sectionStart = this.index + 1
        this.state = S.Text
      }
    } else if (this.seqIndex === 0) {
      if (this.fastForwardTo(seq === CDATA_END ? ']' : '-')) this.seqIndex = 1
    } else if (c !== seq[this.seqIndex - 1]) this.seqIndex = 0
  }

  private startSpecial(seq: number[], offset: number): void {
    this.isSpecial = true
    this.seq = seq
    this.seqIndex = offset
    this.state = S.SpecialStartSequence
  }

  private stateBeforeTagName(c: number): void {
    if (c === 33) {
      this.state = S.BeforeDeclaration
      this.sectionStart = this.index + 1
    } else if (c === 63) {
      this.state = S.InProcessingInstruction
      this.sectionStart = this.index + 1
    } else if (isAlpha(c)) {
      const lower = c | 0x20
      this.sectionStart = this.index
      if (lower === 0x74) this.startSpecial(TITLE_END, 3)
      else this.state = lower === 0x73 ? S.BeforeSpecialS : S.InTagName
    } else if (c === 47) this.state = S.BeforeClosingTagName
    else {
      this.state = S.Text
      this.stateText(c)
    }
  }

  private stateInTagName(c: number): void {
    if (isEndOfTagSection(c)) {
      this.onopentagname(this.sectionStart, this.index)
      this.sectionStart = -1
      this.state = S.BeforeAttributeName
      this.stateBeforeAttributeName(c)
    }
  }

  private stateBeforeClosingTagName(c: number): void {
    if (isWhitespace(c)) return
    if (c === 62) this.state = S.Text
    else {
      this.state = isAlpha(c) ? S.InClosingTagName : S.InSpecialComment
      this.sectionStart = this.index
    }
  }

  private stateInClosingTagName(c: number): void {
    if (c === 62 || isWhitespace(c)) {
      this.onclosetagToken(this.sectionStart, this.index)
      this.sectionStart = -1
      this.state = S.AfterClosingTagName
      this.stateAfterClosingTagName(c)
    }
  }

  private stateAfterClosingTagName(c: number): void {
    if (c === 62 || this.fastForwardTo('>')) {
      this.state = S.Text
      this.sectionStart = this.index + 1
    }
  }

  private stateBeforeAttributeName(c: number): void {
    if (c === 62) {
      this.endOpenTag()
      if (this.isSpecial) {
        this.state = S.InSpecialTag
        this.seqIndex = 0
      } else this.state = S.Text
      this.sectionStart = this.index + 1
    } else if (c === 47) this.state = S.InSelfClosingTag
    else if (!isWhitespace(c)) {
      this.state = S.InAttributeName
      this.sectionStart = this.index
    }
  }

  private stateInSelfClosingTag(c: number): void {
    if (c === 62) {
      this.onselfclosingtag()
      this.state = S.Text
      this.sectionStart = this.index + 1
      this.isSpecial = false
    } else if (!isWhitespace(c)) {
      this.state = S.BeforeAttributeName
      this.stateBeforeAttributeName(c)
    }
  }

  private stateInAttributeName(c: number): void {
    if (c === 61 || isEndOfTagSection(c)) {
      this.attribname = this.buf.slice(this.sectionStart, this.index).toLowerCase()
      this.sectionStart = -1
      this.state = S.AfterAttributeName
      this.stateAfterAttributeName(c)
    }
  }

  private stateAfterAttributeName(c: number): void {
    if (c === 61) this.state = S.BeforeAttributeValue
    else if (c === 47 || c === 62) {
      this.onattribend()
      this.state = S.BeforeAttributeName
      this.stateBeforeAttributeName(c)
    } else if (!isWhitespace(c)) {
      this.onattribend()
      this.state = S.InAttributeName
      this.sectionStart = this.index
    }
  }

  private stateBeforeAttributeValue(c: number): void {
    if (c === 34) {
      this.state = S.InAttributeValueDq
      this.sectionStart = this.index + 1
    } else if (c === 39) {
      this.state = S.InAttributeValueSq
      this.sectionStart = this.index + 1
    } else if (!isWhitespace(c)) {
      this.sectionStart = this.index
      this.state = S.InAttributeValueNq
      this.stateInAttributeValueNoQuotes(c)
    }
  }

  private stateInAttributeValueQuoted(c: number, quote: number, q: string): void {
    if (c === quote || this.fastForwardTo(q)) {
      this.attribvalue += this.buf.slice(this.sectionStart, this.index)
      this.sectionStart = -1
      this.onattribend()
      this.state = S.BeforeAttributeName
    }
  }

  private stateInAttributeValueNoQuotes(c: number): void {
    if (isWhitespace(c) || c === 62) {
      this.attribvalue += this.buf.slice(this.sectionStart, this.index)
      this.sectionStart = -1
      this.onattribend()
      this.state = S.BeforeAttributeName
      this.stateBeforeAttributeName(c)
    }
  }

  private stateBeforeDeclaration(c: number): void {
    if (c === 91) {
      this.state = S.CDATASequence
      this.seqIndex = 0
    } else this.state = c === 45 ? S.BeforeComment : S.InDeclaration
  }

  private stateInDeclaration(c: number): void {
    if (c === 62 || this.fastForwardTo('>')) {
      this.state = S.Text
      this.sectionStart = this.index + 1
    }
  }

  private stateInProcessingInstruction(c: number): void {
    if (c === 62 || this.fastForwardTo('>')) {
      this.state = S.Text
      this.sectionStart = this.index + 1
    }
  }

  private stateBeforeComment(c: number): void {
    if (c === 45) {
      this.state = S.InCommentLike
      this.seq = COMMENT_END
      this.seqIndex = 2 // `<!-->` is a (short) comment
      this.sectionStart = this.index + 1
    } else this.state = S.InDeclaration
  }

  private stateInSpecialComment(c: number): void {
    if (c === 62 || this.fastForwardTo('>')) {
      this.state = S.Text
      this.sectionStart = this.index + 1
    }
  }

  private stateBeforeSpecialS(c: number): void {
    const lower = c | 0x20
    if (lower === SCRIPT_END[3]) this.startSpecial(SCRIPT_END, 4)
    else if (lower === STYLE_END[3]) this.startSpecial(STYLE_END, 4)
    else {
      this.state = S.InTagName
      this.stateInTagName(c)
    }
  }

  // ───────────── tree rules (htmlparser2 8's Parser) ─────────────

  private onopentagname(start: number, end: number): void {
    this.emitOpenTag(this.buf.slice(start, end).toLowerCase())
  }

  private emitOpenTag(name: string): void {
    this.tagname = name
    const impliesClose = OPEN_IMPLIES_CLOSE.get(name)
    if (impliesClose) {
      const stack = this.stack
      while (stack.length > 0 && impliesClose.has(stack[stack.length - 1]!)) this.onclosetag(stack.pop()!)
    }
    if (!PARSER_VOID.has(name)) {
      this.stack.push(name)
      if (FOREIGN.has(name)) this.foreignContext.push(true)
      else if (INTEGRATION.has(name)) this.foreignContext.push(false)
    }
    this.attribs = {}
  }

  private endOpenTag(): void {
    if (this.attribs) {
      this.onopentag(this.tagname, this.attribs)
      this.attribs = null
    }
    if (PARSER_VOID.has(this.tagname)) this.onclosetag(this.tagname)
    this.tagname = ''
  }

  private onattribend(): void {
    const attribs = this.attribs
    if (attribs && !Object.prototype.hasOwnProperty.call(attribs, this.attribname)) attribs[this.attribname] = this.attribvalue
    this.attribvalue = ''
  }

  private onclosetagToken(start: number, end: number): void {
    const name = this.buf.slice(start, end).toLowerCase()
    if (FOREIGN.has(name) || INTEGRATION.has(name)) this.foreignContext.pop()
    if (!PARSER_VOID.has(name)) {
      const pos = this.stack.lastIndexOf(name)
      if (pos !== -1) {
        for (let count = this.stack.length - pos; count > 0; count--) this.onclosetag(this.stack.pop()!)
      } else if (name === 'p') {
        // A stray `</p>` is an empty paragraph.
        this.emitOpenTag('p')
        this.closeCurrentTag()
      }
    } else if (name === 'br') {
      // A `</br>` is a line break.
      this.onopentag('br', {})
      this.onclosetag('br')
    }
  }

  private onselfclosingtag(): void {
    // `<x/>` closes x only inside SVG or MathML; in HTML the slash means nothing.
    if (this.foreignContext[this.foreignContext.length - 1]) this.closeCurrentTag()
    else this.endOpenTag()
  }

  private closeCurrentTag(): void {
    const name = this.tagname
    this.endOpenTag()
    if (this.stack[this.stack.length - 1] === name) {
      this.onclosetag(name)
      this.stack.pop()
    }
  }

  private onend(): void {
    for (let i = this.stack.length; i > 0;) this.onclosetag(this.stack[--i]!)
  }

  // ───────────── the policy, applied as tags stream by ─────────────

  private onopentag(tag: string, attribs: Record<string, string>): void {
    this.open.push(tag)
    if (tag === 'svg' && (attribs.xmlns === undefined || attribs.xmlns === SVG_NS)) this.svgDepth++
    if (tag === 'math' && (attribs.xmlns === undefined || attribs.xmlns === MATHML_NS)) this.mathDepth++
    if (this.skipText) {
      this.skipTextDepth++
      return
    }
    const frame: Frame = { tag, attribs, tagPosition: this.result.length, openingTagLength: 0 }
    this.frames.push(frame)
    const t = transform(tag, attribs, { base: this.base, inSvg: this.svgDepth > 0, inMath: this.mathDepth > 0, drop: this.drop })
    frame.attribs = t.attribs
    let name = tag
    if (t.tagName !== tag) {
      name = t.tagName
      this.transformMap[this.depth] = name
    }
    if (!this.t.allowedTags.has(name) || this.depth >= NESTING_LIMIT) {
      this.skipMap[this.depth] = true
      if (this.t.dropContent.has(name)) {
        this.skipText = true
        this.skipTextDepth = 1
      }
      this.depth++
      return
    }
    this.depth++
    let out = '<' + name
    const clean = t.attribs
    for (const a in clean) {
      if (!Object.prototype.hasOwnProperty.call(clean, a)) continue
      const value = clean[a]!
      if (!VALID_ATTRIBUTE_NAME.test(a)) continue
      if (SCHEME_CHECKED.has(a) && naughtyHref(value, this.t.schemes)) continue
      if (a === 'class' && value.length === 0) continue
      out += ' ' + a
      if (value.length) out += '="' + escapeAttr(value) + '"'
      else if (this.t.emptyAllowed.has(a)) out += '=""'
    }
    out += this.t.voids.has(name) ? ' />' : '>'
    this.result += out
    frame.openingTagLength = this.result.length - frame.tagPosition
  }

  private ontext(start: number, end: number): void {
    if (this.skipText) return
    const text = this.buf.slice(start, end)
    const last = this.frames[this.frames.length - 1]
    this.result += last !== undefined && (last.tag === 'script' || last.tag === 'style') ? text : escapeText(text)
  }

  private onclosetag(tag: string): void {
    const open = this.open
    const i = open.lastIndexOf(tag)
    if (i >= 0) {
      for (let k = i; k < open.length; k++) {
        const closed = open[k]
        if (closed === 'svg' && this.svgDepth > 0) this.svgDepth--
        if (closed === 'math' && this.mathDepth > 0) this.mathDepth--
      }
      open.length = i
    }
    if (this.skipText) {
      if (--this.skipTextDepth) return
      this.skipText = false
    }
    const frame = this.frames.pop()
    if (!frame) return
    if (frame.tag !== tag) {
      this.frames.push(frame)
      return
    }
    this.skipText = false
    this.depth--
    if (this.skipMap[this.depth]) {
      this.skipMap[this.depth] = false
      return
    }
    let name = tag
    const renamed = this.transformMap[this.depth]
    if (renamed) {
      name = renamed
      this.transformMap[this.depth] = undefined
    }
    if (this.drop.has(frame.attribs)) {
      // An element of another vocabulary (an SVG <title> outside SVG) goes; its content stays.
      this.result = this.result.substring(0, frame.tagPosition) + this.result.substring(frame.tagPosition + frame.openingTagLength)
      return
    }
    if (this.t.voids.has(name)) return
    this.result += '</' + name + '>'
  }
}

/**
 * Sanitizes an HTML fragment from a feed with the policy of sanitize-feed.ts (see there); `base` resolves
 * relative URLs. The output is trimmed, with CRLF as LF and Windows-1252 character references mapped.
 */
export function sanitizeHtmlFragment(html: string, opts: { base: string | null }): string {
  // `<!` that is not a comment or a well-formed doctype is text, not markup; CDATA in HTML is text too.
  const input = html.includes('<!') ? html.replace(/<!(?!--|DOCTYPE\s+[a-z][^<>]*>)/gi, '&lt;!') : html
  let out: string
  try {
    out = new Sanitizer(input, opts.base).run()
  } catch {
    // A failure on one field must not cost the whole feed: the field is kept as escaped text.
    out = input.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  }
  return normalizeCharRefs(out).trim().replace(/\r\n/g, '\n')
}
