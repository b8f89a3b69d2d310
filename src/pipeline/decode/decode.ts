import { isUtf8 } from 'node:buffer'
import iconv from 'iconv-lite'
import { analyse } from 'chardet'
import type { DecodedText, FetchResponse } from '../../domain/types.js'

export type DecodeKind = 'xml' | 'html' | 'json' | 'text'

/**
 * Turns response bytes into text. Never throws: the worst case is windows-1252, which maps every byte.
 *
 * Order: BOM → HTTP charset → XML declaration / `<meta charset>` → strict UTF-8 → detector → windows-1252.
 * A declared charset is only used when it decodes cleanly; otherwise the next step gets its turn, so a
 * wrong header does not turn a whole feed into replacement characters.
 */
export function decode(bytes: Uint8Array, ctx: { contentType?: string | null; kind: DecodeKind }): DecodedText {
  try {
    return decodeSteps(bytes, ctx)
  } catch {
    // A bug in a codec must not cost us the document.
    return { text: Buffer.from(bytes).toString('latin1'), charset: 'windows-1252', via: 'default' }
  }
}

/** A fetched page's text, by its Content-Type charset and what the bytes say. */
export function decodeResponse(res: Pick<FetchResponse, 'body' | 'headers'>, kind: DecodeKind): string {
  return decode(res.body, { contentType: res.headers['content-type'] ?? null, kind }).text
}

function decodeSteps(bytes: Uint8Array, ctx: { contentType?: string | null; kind: DecodeKind }): DecodedText {
  const bom = sniffBom(bytes)
  if (bom) {
    // The BOM is authoritative (WHATWG and XML agree); decode leniently.
    return { text: decodeWith(bom.charset, bytes.subarray(bom.length)), charset: bom.charset, via: 'bom' }
  }

  if (ctx.kind === 'json') {
    // RFC 8259: JSON exchanged between systems is UTF-8.
    const strict = strictUtf8(bytes)
    return strict !== null
      ? { text: strict, charset: 'utf-8', via: 'utf8-valid' }
      : { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', via: 'default' }
  }

  const header = normalizeCharset(charsetFromContentType(ctx.contentType))
  // RFC 3023 §3.1: text/xml (and text/*+xml) without a charset parameter is us-ascii. Honoured only
  // where it cannot hurt: bytes that are all ASCII read the same in every ASCII-compatible charset.
  if (!header && ctx.kind === 'xml' && isTextXml(ctx.contentType) && !hasHighBytes(bytes)) {
    return { text: decodeWith('windows-1252', bytes), charset: 'us-ascii', via: 'header' }
  }
  if (header) {
    const got = attempt(header, bytes, ctx.kind)
    if (got) return { ...got, via: got.charset === header ? 'header' : 'utf8-valid' }
  }

  if (ctx.kind === 'xml' || ctx.kind === 'html') {
    // UTF-16/32 without a BOM: `<` followed or preceded by NUL bytes (XML 1.0 appendix F).
    const wide = sniffWideAscii(bytes)
    if (wide) {
      const text = decodeWith(wide, bytes)
      if (isSensible(text, wide, ctx.kind)) return { text, charset: wide, via: ctx.kind === 'xml' ? 'xml-declaration' : 'meta' }
    }
    const declared = normalizeCharset(ctx.kind === 'xml' ? xmlDeclarationEncoding(bytes) : metaCharset(bytes))
    // A <meta> that contradicts a body which is valid multi-byte UTF-8 loses: templates copy stale
    // meta tags, while legacy-encoded text that happens to be valid UTF-8 is vanishingly rare.
    if (ctx.kind === 'html' && declared && declared !== 'utf-8' && hasHighBytes(bytes)) {
      const utf8 = strictUtf8(bytes)
      if (utf8 !== null) return { text: utf8, charset: 'utf-8', via: 'utf8-valid' }
    }
    // A UTF-16/32 label read through ASCII bytes is a lie (the BOM or NUL sniff above would have caught it).
    if (declared && !isWide(declared)) {
      const got = attempt(declared, bytes, ctx.kind)
      if (got) {
        const via = ctx.kind === 'xml' ? 'xml-declaration' : 'meta'
        return { ...got, via: got.charset === declared ? via : 'utf8-valid' }
      }
    }
  }

  const utf8 = strictUtf8(bytes)
  if (utf8 !== null) return { text: utf8, charset: 'utf-8', via: 'utf8-valid' }
  const mixed = mostlyUtf8(bytes)
  if (mixed !== null) return { text: mixed, charset: 'utf-8', via: 'utf8-mixed' }

  // The detector's ranking is statistical; among its plausible guesses prefer the one whose text
  // reads as words of one script (Thai read as Latin-1 gives "words" of accented letters only).
  let best: { text: string; charset: string; score: number } | null = null
  for (const candidate of detectorCandidates(bytes)) {
    const text = tryDecode(candidate, bytes)
    if (text === null || !isSensible(text, candidate, ctx.kind)) continue
    const score = implausibility(text)
    if (!best || score < best.score) best = { text, charset: candidate, score }
    if (score === 0) break
  }
  if (best) return { text: best.text, charset: best.charset, via: 'detector' }

  return { text: decodeWith('windows-1252', bytes), charset: 'windows-1252', via: 'default' }
}

/**
 * Decodes with a declared charset, or returns null when the result is not sensible.
 * A declared legacy charset over bytes that are valid UTF-8 with multi-byte sequences is treated as
 * UTF-8: servers and templates that default to Latin-1 or GBK while serving UTF-8 are common (that is
 * how "didn’t" becomes "didn鈥檛"), and legacy text that happens to be valid multi-byte UTF-8 is
 * vanishingly rare.
 */
function attempt(charset: string, bytes: Uint8Array, kind: DecodeKind): { text: string; charset: string } | null {
  if (charset === 'utf-8') {
    const text = strictUtf8(bytes)
    return text !== null && isSensible(text, charset, kind) ? { text, charset } : null
  }
  if (!isWide(charset) && hasHighBytes(bytes)) {
    const text = strictUtf8(bytes)
    if (text !== null) return { text, charset: 'utf-8' }
  }
  const text = tryDecode(charset, bytes)
  return text !== null && isSensible(text, charset, kind) ? { text, charset } : null
}

// ───────────────────────────── sniffing ─────────────────────────────

function sniffBom(b: Uint8Array): { charset: string; length: number } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { charset: 'utf-8', length: 3 }
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return { charset: 'utf-32be', length: 4 }
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return { charset: 'utf-32le', length: 4 }
  if (b[0] === 0xfe && b[1] === 0xff) return { charset: 'utf-16be', length: 2 }
  if (b[0] === 0xff && b[1] === 0xfe) return { charset: 'utf-16le', length: 2 }
  return null
}

function sniffWideAscii(b: Uint8Array): string | null {
  if (b.length < 4) return null
  const [a, c, d, e] = [b[0], b[1], b[2], b[3]]
  if (a === 0 && c === 0 && d === 0 && e === 0x3c) return 'utf-32be'
  if (a === 0x3c && c === 0 && d === 0 && e === 0) return 'utf-32le'
  if (a === 0 && c === 0x3c && d === 0 && e !== 0) return 'utf-16be'
  if (a === 0x3c && c === 0 && d !== 0 && e === 0) return 'utf-16le'
  // Leading whitespace before `<` in UTF-16.
  if (a === 0 && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) && d === 0) return 'utf-16be'
  if ((a === 0x20 || a === 0x0a || a === 0x0d || a === 0x09) && c === 0 && e === 0) return 'utf-16le'
  return null
}

/** `charset` parameter of a Content-Type value; tolerates quotes and spaces around `=`. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^;\s]*))/i.exec(contentType)
  if (!m) return null
  const value = (m[1] ?? m[2] ?? m[3] ?? '').trim()
  return value === '' ? null : value
}

function asciiPrefix(bytes: Uint8Array, max: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, max)).toString('latin1')
}

function xmlDeclarationEncoding(bytes: Uint8Array): string | null {
  const head = asciiPrefix(bytes, 1024)
  const m = /^\s*<\?xml\b([^>]*?)\?>/.exec(head)
  if (!m) return null
  const enc = /\bencoding\s*=\s*(["'])\s*([A-Za-z0-9._:()-]+)\s*\1/.exec(m[1] ?? '')
  return enc?.[2] ?? null
}

function metaCharset(bytes: Uint8Array): string | null {
  const head = asciiPrefix(bytes, 4096).replace(/<!--[\s\S]*?-->/g, '')
  for (const tag of head.matchAll(/<meta\b[^>]*>/gi)) {
    const m = /charset\s*=\s*["']?\s*([A-Za-z0-9._:()-]+)/i.exec(tag[0])
    if (m?.[1]) return m[1]
  }
  return null
}

/** A detected legacy charset is read with its Windows superset, as browsers do (labels are kept as declared). */
const DETECTED_SUPERSET: Record<string, string> = { 'iso-8859-8': 'windows-1255', 'iso-8859-8-i': 'windows-1255' }

function detectorCandidates(bytes: Uint8Array): string[] {
  const out: string[] = []
  for (const match of analyse(bytes)) {
    if (match.confidence < 5) continue
    const label = normalizeCharset(match.name)
    const name = label ? DETECTED_SUPERSET[label] ?? label : null
    if (!name || name === 'utf-8' || out.includes(name)) continue
    out.push(name)
  }
  return out
}

// ───────────────────────────── decoding ─────────────────────────────

function strictUtf8(bytes: Uint8Array): string | null {
  // Fast path for the common case: validating and decoding natively costs less than building a fatal
  // TextDecoder per document; valid UTF-8 decodes the same either way (a BOM is kept by both).
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return null
  }
}

/**
 * UTF-8 with a few stray legacy bytes (a Latin-1 snippet pasted into a UTF-8 page: "’<>”©" with a lone
 * 0xA9): each valid UTF-8 sequence is read as UTF-8 and each stray byte as windows-1252, which is what
 * the publisher meant. Only when the valid multi-byte sequences clearly outnumber the stray bytes: in
 * Latin-1 text valid sequences are nearly absent, and in GBK, Big5 or Shift_JIS text most double bytes
 * are not valid UTF-8, so neither gets here. Null otherwise.
 */
function mostlyUtf8(bytes: Uint8Array): string | null {
  const ranges: [number, number, boolean][] = [] // [start, end, valid UTF-8]
  let sequences = 0
  let stray = 0
  let runStart = 0
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    const len = utf8SequenceLength(bytes, i)
    if (len > 0) {
      sequences++
      i += len
      continue
    }
    stray++
    if (i > runStart) ranges.push([runStart, i, true])
    ranges.push([i, i + 1, false])
    runStart = ++i
  }
  if (stray === 0 || sequences < 2 || stray * 2 > sequences) return null
  if (runStart < bytes.length) ranges.push([runStart, bytes.length, true])
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
  return ranges.map(([a, b, valid]) => (valid ? utf8.decode(bytes.subarray(a, b)) : decodeWith('windows-1252', bytes.subarray(a, b)))).join('')
}

/** Length of the well-formed UTF-8 sequence starting at `i` (RFC 3629, no overlongs or surrogates), or 0. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0
  return 0
}

function tryDecode(charset: string, bytes: Uint8Array): string | null {
  if (charset === 'utf-8') return strictUtf8(bytes)
  if (!iconv.encodingExists(charset)) return null
  try {
    return iconv.decode(bytes, charset, { stripBOM: false })
  } catch {
    return null
  }
}

function decodeWith(charset: string, bytes: Uint8Array): string {
  if (charset === 'utf-8') return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  return tryDecode(charset, bytes) ?? Buffer.from(bytes).toString('latin1')
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true
  return false
}

/** text/xml, text/xml-external-parsed-entity and text/*+xml (RFC 3023's text types). */
function isTextXml(contentType: string | null | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return type === 'text/xml' || type === 'text/xml-external-parsed-entity' || /^text\/[a-z0-9.+-]+\+xml$/.test(type)
}

/**
 * Share of non-ASCII words that look like a wrong decoding: a Latin word made mostly of accented
 * letters, or one word mixing scripts. 0 for text that reads as words of one script.
 */
function implausibility(text: string): number {
  let words = 0
  let bad = 0
  for (const m of text.slice(0, 20_000).matchAll(/[\p{L}\p{M}]{2,}/gu)) {
    const w = m[0]
    if (/^[\x00-\x7f]*$/.test(w)) continue
    words++
    const latin = w.match(/\p{Script=Latin}/gu)?.length ?? 0
    const nonAsciiLatin = w.match(/[^\x00-\x7f]/gu)?.filter((c) => /\p{Script=Latin}/u.test(c)).length ?? 0
    const scripts = new Set([...w].map(scriptOf).filter((x) => x !== 'other'))
    if (scripts.size > 1 || (latin >= 3 && nonAsciiLatin * 2 > latin)) bad++
  }
  return words === 0 ? 0 : bad / words
}

function scriptOf(c: string): string {
  if (/\p{Script=Latin}/u.test(c)) return 'latin'
  if (/\p{Script=Greek}/u.test(c)) return 'greek'
  if (/\p{Script=Cyrillic}/u.test(c)) return 'cyrillic'
  if (/\p{Script=Hebrew}/u.test(c)) return 'hebrew'
  if (/\p{Script=Arabic}/u.test(c)) return 'arabic'
  if (/\p{Script=Thai}/u.test(c)) return 'thai'
  return 'other'
}

const isWide = (charset: string): boolean => /^utf-(16|32)/.test(charset)

/** Replacement characters or NULs mean the charset was wrong; wide charsets must also yield markup. */
function isSensible(text: string, charset: string, kind?: DecodeKind): boolean {
  if (text.includes('\uFFFD') || text.includes('\u0000')) return false
  if (isWide(charset) && kind !== 'text' && kind !== 'json') return text.slice(0, 1024).includes('<')
  return true
}

// ───────────────────────────── labels ─────────────────────────────

const LABELS: Record<string, string> = {}
function alias(canonical: string, ...labels: string[]): void {
  for (const l of [canonical, ...labels]) LABELS[l] = canonical
}
// Following the WHATWG Encoding Standard where it folds labels (Latin-1 and ASCII are windows-1252).
alias('utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8')
alias('utf-16le', 'utf-16', 'utf16', 'utf16le', 'unicode', 'ucs-2', 'csunicode', 'iso-10646-ucs-2', 'unicodefeff')
alias('utf-16be', 'utf16be', 'unicodefffe')
alias('utf-32le', 'utf-32', 'utf32', 'utf32le')
alias('utf-32be', 'utf32be')
alias('windows-1252', 'ascii', 'us-ascii', 'ansi_x3.4-1968', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1',
  'iso_8859-1:1987', 'iso-8859-1', 'latin1', 'latin-1', 'l1', 'cp1252', 'cp819', 'ibm819', 'csisolatin1', 'x-cp1252', 'us')
alias('shift_jis', 'shift-jis', 'sjis', 'x-sjis', 'ms_kanji', 'ms932', 'csshiftjis', 'windows-31j', 'cp932', 'x-ms-cp932')
alias('euc-jp', 'eucjp', 'x-euc-jp', 'cseucpkdfmtjapanese', 'euc_jp')
alias('gbk', 'gb2312', 'gb_2312', 'gb_2312-80', 'chinese', 'csgb2312', 'csiso58gb231280', 'iso-ir-58', 'x-gbk', 'cp936', 'euc-cn', 'euccn')
alias('gb18030')
alias('big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5', 'big-5')
alias('euc-kr', 'euckr', 'cseuckr', 'csksc56011987', 'iso-ir-149', 'korean', 'ks_c_5601-1987', 'ks_c_5601-1989',
  'ksc5601', 'ksc_5601', 'windows-949', 'cp949', 'uhc')
alias('koi8-r', 'koi8', 'koi', 'cskoi8r', 'koi8_r')
alias('koi8-u', 'koi8-ru')
alias('windows-874', 'tis-620', 'tis620', 'dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911')
alias('windows-1254', 'iso-8859-9', 'iso8859-9', 'iso88599', 'latin5', 'l5', 'csisolatin5', 'iso_8859-9')
alias('macintosh', 'mac', 'x-mac-roman', 'csmacintosh', 'macroman')
alias('x-mac-cyrillic', 'x-mac-ukrainian')
alias('ibm866', 'cp866', '866', 'csibm866')

/** Canonical charset name, or null when the label is unknown or not decodable here. */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null
  const l = label.trim().replace(/^["']|["']$/g, '').trim().toLowerCase()
  if (l === '') return null
  const known = LABELS[l]
  if (known) return checked(known)
  const iso = /^iso[-_ ]?8859[-_ ]?(\d{1,2})(?::\d+)?$/.exec(l)
  if (iso) return checked(LABELS[`iso-8859-${iso[1]}`] ?? `iso-8859-${iso[1]}`)
  const win = /^(?:x-)?(?:cp|windows-?)(125[0-8])$/.exec(l)
  if (win) return checked(`windows-${win[1]}`)
  return checked(l)
}

/** Only names we can actually decode; iconv-lite's own aliases cover the long tail (cp437, iso-8859-15, …). */
function checked(name: string): string | null {
  return name === 'utf-8' || iconv.encodingExists(name) ? name : null
}
