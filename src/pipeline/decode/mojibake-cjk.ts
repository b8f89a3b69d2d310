import iconv from 'iconv-lite'

/**
 * Repairs UTF-8 that was decoded with a legacy CJK codec (`didn鈥檛` is `didn’t` read as GBK). ftfy only
 * undoes single-byte misreadings, so this part is ours.
 *
 * A damaged stretch is a run of non-ASCII characters: ASCII bytes decode to themselves in each of these
 * codecs and never sit inside a UTF-8 sequence, so each run can be re-encoded with the suspected codec
 * and decoded as strict UTF-8 on its own. A run is rewritten only when
 *  - the re-encoding is exact (decoding the bytes again gives the run back, nothing was substituted),
 *  - the bytes are valid UTF-8, apart from bytes the wrong decoder provably lost (see "lossy"),
 *  - the result reads like text in a European script: Latin, Greek or Cyrillic letters (no two scripts
 *    touching), punctuation, currency, symbols, emoji, and
 *  - the whole text makes the misreading clear. Either it is proven (evidence 2, see judge: runs of
 *    characters that are rare in real Chinese or Japanese text, e.g. `鈥檛` or `窶冲`, turning into
 *    punctuation glued to Latin words) and the CJK characters the hypothesis leaves unexplained are few
 *    (an injected Chinese phrase is tolerated, a Chinese text is not), and lines that are mostly
 *    unexplained CJK are left whole; or nothing CJK is left unexplained and at least two characters
 *    inside Latin words turn into accented letters (`r茅sum茅` → `résumé`).
 * Genuine Chinese and Japanese text fails these tests: its runs are long, almost never valid UTF-8 when
 * re-encoded, and use the common core of each character set.
 *
 * Lossy: where a byte could not be decoded the decoder wrote U+FFFD (`parties鈥� welfare`: the third
 * byte of ’ was taken as a lead byte with a space after it). The lost byte cannot be recovered, so once
 * the text is proven misread, the junk characters around such a U+FFFD that are just the rest of the
 * same sequence become one U+FFFD, as ftfy does for `â€�`.
 */

export type CjkCodec = 'gbk' | 'shift_jis' | 'euc-jp' | 'big5'

export interface CjkRepair {
  text: string
  codec: CjkCodec | null
  /** Runs restored exactly. */
  repaired: number
  /** Runs next to bytes the wrong decoder lost; the lost part became U+FFFD. */
  lossy: number
}

interface Codec {
  name: CjkCodec
  /** iconv-lite names tried in order; the first that round-trips a run is used. */
  variants: readonly string[]
  /**
   * Whether the decoder can lose the start of a sequence and go on inside it: Big5 and EUC-JP reject
   * UTF-8 continuation bytes as trail bytes; GBK and Shift_JIS accept them all.
   */
  losesHeads: boolean
  rarity: (bytes: Uint8Array) => number[]
}

const CODECS: readonly Codec[] = [
  { name: 'gbk', variants: ['gbk', 'gb18030'], losesHeads: false, rarity: rarityGb },
  { name: 'shift_jis', variants: ['shift_jis'], losesHeads: false, rarity: raritySjis },
  { name: 'euc-jp', variants: ['euc-jp'], losesHeads: true, rarity: rarityEucJp },
  { name: 'big5', variants: ['big5'], losesHeads: true, rarity: rarityBig5 },
]

/** Characters that can only come from (or be) CJK text: Han, kana, CJK symbols, full/half-width forms, PUA. */
const CJK_ISH = /[\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\ue000-\uf8ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\ud840-\ud87f][\udc00-\udfff]/
const REPLACEMENT = '\ufffd'

type Kind = 'strong' | 'weak' | 'lossy' | 'unexplained'

interface Piece {
  start: number
  end: number
  line: number
  /** Characters (code points) in the piece. */
  size: number
  /** U+FFFD code units right before and after the piece. */
  lostBefore: number
  lostAfter: boolean
  touchesAlnum: boolean
}

interface Verdict {
  kind: Kind
  /** The replacement; lossy pieces also replace the U+FFFD they absorb. */
  out: string
  /** Lossy pieces: U+FFFD code units absorbed before the piece, and whether the one after it is. */
  eatBefore: number
  eatAfter: boolean
  /** The result is accented Latin letters (with ASCII letters). */
  accentedLetter: boolean
  /** The result is made of signature characters only (see isSignature). */
  signature: boolean
  /** Inside a Latin word: an ASCII letter before it and one after it (or swallowed at its end). */
  inWord: boolean
  /** How much the piece proves the misreading (see judge). */
  evidence: number
}

const UNEXPLAINED: Verdict = {
  kind: 'unexplained',
  out: '',
  eatBefore: 0,
  eatAfter: false,
  accentedLetter: false,
  signature: false,
  inWord: false,
  evidence: 0,
}

interface Hypothesis {
  codec: CjkCodec
  verdicts: Verdict[]
  /** Lines where CJK the codec cannot explain outweighs the rest: genuine text, left whole. */
  cjkLines: Set<number>
  evidence: number
  /** Characters of pieces outside cjkLines that the codec explains or not. */
  explained: number
  unexplained: number
  /** ASCII letters outside cjkLines. */
  latinLetters: number
}

export function repairCjkMojibake(text: string): CjkRepair {
  const none: CjkRepair = { text, codec: null, repaired: 0, lossy: 0 }
  if (!CJK_ISH.test(text)) return none
  const pieces = findPieces(text)
  if (pieces.length === 0) return none
  const lineSizes = countPerLine(text)

  // Proof needs evidence 2 (see judge) for one codec. Lines that are mostly CJK the codec cannot
  // explain are genuine text (a Chinese paragraph in a damaged page): they are left whole and do not
  // count for or against the rest. A CJK phrase inside a Latin line counts against.
  let best: Hypothesis | null = null
  for (const codec of CODECS) {
    const verdicts = pieces.map((p) => judge(text, p, codec))
    const lines = new Map<number, { explained: number; unexplained: number }>()
    pieces.forEach((p, i) => {
      const s = lines.get(p.line) ?? { explained: 0, unexplained: 0 }
      if (verdicts[i]!.kind === 'unexplained') s.unexplained += p.size
      else s.explained += p.size
      lines.set(p.line, s)
    })
    // Mostly CJK that the codec cannot explain, not a phrase injected into a line of Latin text.
    const cjkLines = new Set(
      [...lines]
        .filter(([line, s]) => s.unexplained > s.explained && s.unexplained * 4 >= (lineSizes[line]?.nonSpace ?? 0))
        .map(([line]) => line),
    )
    let evidence = 0
    let explained = 0
    let unexplained = 0
    verdicts.forEach((v, i) => {
      const p = pieces[i]!
      if (cjkLines.has(p.line)) return
      if (v.kind === 'unexplained') unexplained += p.size
      else explained += p.size
      evidence += v.evidence
    })
    if (explained === 0) continue
    if (!best || evidence > best.evidence || (evidence === best.evidence && explained > best.explained)) {
      const latinLetters = lineSizes.reduce((n, l, line) => (cjkLines.has(line) ? n : n + l.asciiLetters), 0)
      best = { codec: codec.name, verdicts, cjkLines, evidence, explained, unexplained, latinLetters }
    }
  }
  if (!best) return none
  const { verdicts, cjkLines } = best

  // CJK that the hypothesis leaves unexplained (an injected Chinese phrase) is tolerated in proportion
  // to the repairs, or as a sprinkle in Latin text.
  const { evidence, explained, unexplained, latinLetters } = best
  const proven =
    (evidence >= 2 && (unexplained * 3 <= explained || unexplained * 10 <= latinLetters)) ||
    (evidence >= 4 && unexplained <= explained)
  // Without rare characters: accented letters inside Latin words, at least twice, and nothing CJK left
  // unexplained. One CJK character glued into a Latin word could be genuine; two such words are not.
  const accentsOnly =
    !proven &&
    unexplained === 0 &&
    pieces.filter((p, i) => {
      const v = verdicts[i]!
      return !cjkLines.has(p.line) && v.kind === 'weak' && v.accentedLetter && v.inWord
    }).length >= 2
  if (!proven && !accentsOnly) return none

  // Beyond the runs that carry proof, a line that also holds CJK the codec cannot explain (an injected
  // Chinese phrase) keeps its weak runs; elsewhere weak runs glued to a word (`caf茅`) are rewritten,
  // and on a line with proof also lone ones (`漏 2025`).
  const unexplainedLines = new Set(pieces.filter((_, i) => verdicts[i]!.kind === 'unexplained').map((p) => p.line))
  const proofLines = new Set(pieces.filter((_, i) => verdicts[i]!.evidence > 0).map((p) => p.line))
  const rewrite = (p: Piece, v: Verdict): boolean => {
    if (cjkLines.has(p.line) || v.kind === 'unexplained') return false
    if (v.kind === 'strong') return true
    const pure = !unexplainedLines.has(p.line)
    // A lossy piece is one junk character next to the lost byte; more is more likely genuine text.
    if (v.kind === 'lossy') return v.evidence > 0 || (pure && p.size === 1)
    if (!pure) return false
    if (v.accentedLetter && v.inWord) return true
    if (v.accentedLetter || (v.signature && p.touchesAlnum)) return accentsOnly || p.touchesAlnum || proofLines.has(p.line)
    return !accentsOnly && v.signature && proofLines.has(p.line)
  }

  let out = ''
  let at = 0
  let repaired = 0
  let lossy = 0
  pieces.forEach((p, i) => {
    const v = verdicts[i]!
    if (!rewrite(p, v)) return
    const from = Math.max(at, p.start - v.eatBefore)
    out += text.slice(at, from) + v.out
    at = v.eatAfter ? p.end + 1 : p.end
    if (v.kind === 'lossy') lossy++
    else repaired++
  })
  if (repaired + lossy === 0) return none
  out += text.slice(at)
  return { text: out, codec: best.codec, repaired, lossy }
}

/** Non-space code units and ASCII letters on each line. */
function countPerLine(text: string): { nonSpace: number; asciiLetters: number }[] {
  const lines = [{ nonSpace: 0, asciiLetters: 0 }]
  let line = lines[0]!
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) lines.push((line = { nonSpace: 0, asciiLetters: 0 }))
    else if (c > 32) {
      line.nonSpace++
      if (isAsciiLetter(c)) line.asciiLetters++
    }
  }
  return lines
}

/** Maximal runs of non-ASCII characters other than U+FFFD that contain something CJK-looking. */
function findPieces(text: string): Piece[] {
  const pieces: Piece[] = []
  const n = text.length
  let line = 0
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 10) line++
    if (c < 0x80 || c === 0xfffd) {
      i++
      continue
    }
    const start = i
    while (i < n && text.charCodeAt(i) >= 0x80 && text.charCodeAt(i) !== 0xfffd) i++
    const run = text.slice(start, i)
    if (!CJK_ISH.test(run)) continue
    let lostBefore = 0
    while (start - lostBefore > 0 && text.charCodeAt(start - lostBefore - 1) === 0xfffd) lostBefore++
    const before = start > 0 ? text.charCodeAt(start - 1) : 0
    const after = i < n ? text.charCodeAt(i) : 0
    pieces.push({
      start,
      end: i,
      line,
      size: countCodePoints(run),
      lostBefore,
      lostAfter: after === 0xfffd,
      touchesAlnum: isAsciiAlnum(before) || isAsciiAlnum(after),
    })
  }
  return pieces
}

/**
 * What one piece says under one codec. Evidence (proof needs 2 in a text):
 *  - 2: a run of two or more characters, rare ones among them (GBK extension, JIS level 2…), that turns
 *    into signature characters and is glued to a Latin word, as mojibake of ’ “ — é is (`didn鈥檛`);
 *    1 if it stands alone (`馃帀`, a Cyrillic word).
 *  - 1: such a run with only one second-level character, inside a Latin word (`sharply窶巴y`); a run of
 *    four or more characters that turns into a word of Greek or Cyrillic letters; an unfinished
 *    sequence of two or more bytes of rare characters glued to a word (`parties鈥�`).
 */
function judge(text: string, p: Piece, codec: Codec): Verdict {
  const found = reencode(text.slice(p.start, p.end), p, codec)
  if (!found) return UNEXPLAINED
  const { bytes, head, body, valid, cutTail } = found
  const decoded = Buffer.from(body.buffer, body.byteOffset, valid).toString('utf8')
  const before = head > 0 ? 0 : p.start > 0 ? text.charCodeAt(p.start - 1) : 0
  const afterIndex = cutTail ? p.end + 1 : p.end
  const after = afterIndex < text.length ? text.charCodeAt(afterIndex) : 0
  const reads = readAs(decoded, before, cutTail ? 0 : after)
  if (reads === null) return UNEXPLAINED
  const rarity = codec.rarity(bytes).reduce((a, b) => a + b, 0)
  const signature = reads === 'signature'
  const glued = isAsciiAlnum(before) || isAsciiAlnum(after)
  if (head > 0 || cutTail) {
    // Only an unfinished sequence of two or more bytes (`鈥` = E2 80) says much about what was lost.
    const informative = head === 0 && body.length - valid >= 2 && rarity >= 2 && signature && glued
    return {
      kind: 'lossy',
      out: (head > 0 ? REPLACEMENT : '') + decoded + (cutTail ? REPLACEMENT : ''),
      eatBefore: head > 0 ? p.lostBefore : 0,
      eatAfter: cutTail,
      accentedLetter: false,
      signature,
      inWord: false,
      evidence: informative ? 1 : 0,
    }
  }
  if (decoded.length === 0) return UNEXPLAINED
  let total = 0
  let accented = 0
  let plain = 0
  let greekOrCyrillic = 0
  let otherLetters = 0
  let marks = 0
  for (const ch of decoded) {
    const cp = ch.codePointAt(0)!
    const script = scriptOf(cp)
    total++
    if (isAccentedLatin(cp)) accented++
    else if (isAsciiLetter(cp)) plain++
    if (script === 'greek' || script === 'cyrillic') greekOrCyrillic++
    else if (script !== null && cp >= 0x80) otherLetters++
    else if (script === null && cp >= 0x80) marks++
  }
  const accentedLetter = accented > 0 && accented + plain === total
  const inWord = isAsciiLetter(before) && (isAsciiLetter(after) || isAsciiLetter(decoded.charCodeAt(decoded.length - 1)))
  // Proof comes from punctuation and symbols with the ASCII letters the decoder swallowed (`’t`, `“w`,
  // `😀`) or from Greek and Cyrillic words standing alone (`Привет`), not from a mix (`§Ê`); accented
  // Latin letters only through the in-word rule of repairCjkMojibake (`r茅sum茅`).
  const shaped =
    marks === 0 ? accented === 0 && otherLetters === 0 && greekOrCyrillic > 0 : accented + greekOrCyrillic + otherLetters === 0
  let evidence = 0
  if (signature && shaped && p.size >= 2) {
    if (rarity >= 2) evidence = glued ? 2 : 1
    else if (rarity === 1 && inWord) evidence = 1
    else if (p.size >= 4 && greekOrCyrillic >= 2 && greekOrCyrillic === total) evidence = 1
  }
  const kind: Kind = evidence > 0 ? 'strong' : 'weak'
  return { kind, out: decoded, eatBefore: 0, eatAfter: false, accentedLetter, signature, inWord, evidence }
}

function isContinuation(b: number): boolean {
  return b >= 0x80 && b <= 0xbf
}

/**
 * The run's bytes in the first variant of the codec that gives a UTF-8 shape and round-trips exactly.
 * Bytes the decoder lost at either end may be missing: up to three `head` continuation bytes whose
 * sequence start became the U+FFFD before the piece, or an unfinished sequence (`cutTail`) whose last
 * byte became the U+FFFD after it. The shape is checked while encoding, character by character, so
 * genuine CJK text is usually turned down at its first character.
 */
function reencode(
  run: string,
  p: Piece,
  codec: Codec,
): { bytes: Uint8Array; head: number; body: Uint8Array; valid: number; cutTail: boolean } | null {
  next: for (const name of codec.variants) {
    const out: number[] = []
    let head = 0
    let allowHead = codec.losesHeads && p.lostBefore > 0
    let lead = 0
    let k = 0
    let need = 0
    let seqStart = 0
    for (const ch of run) {
      const b = charBytes(name, ch)
      if (!b) continue next
      for (const x of b) {
        out.push(x)
        if (need > 0) {
          k++
          if (!continuationOk(lead, k, x)) continue next
          need--
        } else if (allowHead && head < 3 && isContinuation(x)) {
          head++
        } else {
          allowHead = false
          if (x < 0x80) continue
          const len = x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0
          if (len === 0) continue next
          lead = x
          k = 0
          need = len - 1
          seqStart = out.length - 1
        }
      }
    }
    const cutTail = need > 0
    if ((cutTail && !p.lostAfter) || head === out.length) continue
    const bytes = Uint8Array.from(out)
    // Per-character round trips add up to the run's, but confirm with the real decoder.
    if (iconv.decode(Buffer.from(bytes), name) !== run) continue
    return { bytes, head, body: bytes.subarray(head), valid: (cutTail ? seqStart : bytes.length) - head, cutTail }
  }
  return null
}

const charCache = new Map<string, Map<string, Uint8Array | null>>()

/** One character's bytes in a codec (null when it has none, or they do not decode back to it). */
function charBytes(codec: string, ch: string): Uint8Array | null {
  let cache = charCache.get(codec)
  if (!cache) charCache.set(codec, (cache = new Map()))
  let bytes = cache.get(ch)
  if (bytes === undefined) {
    const buf = iconv.encode(ch, codec)
    bytes = iconv.decode(buf, codec) === ch ? Uint8Array.from(buf) : null
    if (cache.size >= 100_000) cache.clear() // bounded: one entry per distinct character seen
    cache.set(ch, bytes)
  }
  return bytes
}

/** Whether `y` may be the k-th byte (k ≥ 1) of a UTF-8 sequence led by `lead` (RFC 3629: no overlongs, surrogates, > U+10FFFF). */
function continuationOk(lead: number, k: number, y: number): boolean {
  if (k === 1) {
    if (lead === 0xe0) return y >= 0xa0 && y <= 0xbf
    if (lead === 0xed) return y >= 0x80 && y <= 0x9f
    if (lead === 0xf0) return y >= 0x90 && y <= 0xbf
    if (lead === 0xf4) return y >= 0x80 && y <= 0x8f
  }
  return y >= 0x80 && y <= 0xbf
}

type Script = 'latin' | 'greek' | 'cyrillic' | 'other'
type Reading = 'signature' | 'common' | 'allowed'

/**
 * What mojibake of ordinary text in European languages overwhelmingly decodes to: Latin-1, quotes,
 * dashes, ellipsis, bullets, €, ™, Russian and Greek letters, emoji. Only these make a run proof.
 */
function isSignature(cp: number): boolean {
  return (
    (cp >= 0xa0 && cp <= 0xff) ||
    (cp >= 0x2010 && cp <= 0x2026) ||
    cp === 0x2030 ||
    cp === 0x2032 ||
    cp === 0x2033 ||
    cp === 0x2039 ||
    cp === 0x203a ||
    cp === 0x20ac ||
    cp === 0x2122 ||
    (cp >= 0x386 && cp <= 0x3ce) ||
    (cp >= 0x401 && cp <= 0x451) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    cp === 0xfe0f ||
    cp === 0x200d
  )
}

/**
 * How a decoded run reads. `signature`: ASCII and isSignature only. `common`: what pages in European
 * languages are made of (also Latin Extended-A, Vietnamese, more punctuation, currency and symbols).
 * `allowed`: also rarer letters, combining marks, arrows, maths and other symbols. Only `signature`
 * runs count as proof; the others are rewritten once the text is proven misread. `null`: anything else, or letters of two
 * scripts touching (`aЯ` is no word). `before` and `after` are the code units around the run (0: none).
 */
function readAs(s: string, before: number, after: number): Reading | null {
  let all: Reading = 'signature'
  let greekOrCyrillic = false
  let prevScript = scriptOf(before)
  for (const ch of s) {
    const cp = ch.codePointAt(0)!
    if (cp >= 0x300 && cp <= 0x36f) {
      if (prevScript === null || prevScript === 'other') return null // a combining mark needs a letter
      all = 'allowed'
      continue
    }
    const cls = classOf(cp)
    if (cls === null) return null
    if (cls === 'allowed' || (cls === 'common' && all === 'signature' && cp >= 0x80 && !isSignature(cp))) all = cls
    const script = scriptOf(cp)
    if (script !== null && prevScript !== null && script !== prevScript) return null
    if (script === 'greek' || script === 'cyrillic') greekOrCyrillic = true
    prevScript = script
  }
  const next = scriptOf(after)
  if (prevScript !== null && next !== null && next !== prevScript) return null
  // Greek and Cyrillic words stand apart from Latin ones.
  if (greekOrCyrillic && (isAsciiLetter(before) || isAsciiLetter(after))) return null
  return all
}

const LETTER = /\p{L}/u

/** Script of a letter; null for anything that is not a letter. */
function scriptOf(cp: number): Script | null {
  if (cp === 0) return null
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return 'latin'
  if (cp < 0xaa || !LETTER.test(String.fromCodePoint(cp))) return null
  if (cp <= 0x24f || (cp >= 0x1e00 && cp <= 0x1eff)) return 'latin'
  if (cp >= 0x370 && cp <= 0x3ff) return 'greek'
  if (cp >= 0x400 && cp <= 0x4ff) return 'cyrillic'
  return 'other'
}

function classOf(cp: number): 'common' | 'allowed' | null {
  if (cp >= 0x20 && cp <= 0x7e) return 'common'
  if (cp >= 0xa0 && cp <= 0x17f) return 'common' // Latin-1 Supplement, Latin Extended-A
  if (cp >= 0x218 && cp <= 0x21b) return 'common' // Romanian ș ț
  if (cp === 0x1a0 || cp === 0x1a1 || cp === 0x1af || cp === 0x1b0) return 'common' // Vietnamese ơ ư
  if (cp >= 0x1e00 && cp <= 0x1eff) return 'common' // Latin Extended Additional (Vietnamese)
  if (cp >= 0x384 && cp <= 0x3ce) return cp === 0x38b || cp === 0x38d || cp === 0x3a2 ? null : 'common' // Greek
  if ((cp >= 0x400 && cp <= 0x45f) || cp === 0x490 || cp === 0x491) return 'common' // Cyrillic
  if (cp >= 0x2002 && cp <= 0x200d) return 'common' // spaces, zero-width (non-)joiner
  if (cp >= 0x2010 && cp <= 0x2027) return 'common' // dashes, quotes, bullets, ellipsis
  if (cp >= 0x202f && cp <= 0x203a) return 'common' // narrow no-break space, per mille, primes, ‹ ›
  if (cp >= 0x20a0 && cp <= 0x20c0) return 'common' // currency signs
  if (cp === 0x2116 || cp === 0x2122) return 'common' // № ™
  if (cp >= 0x2600 && cp <= 0x27bf) return 'common' // symbols and dingbats (★ ✓ ☀)
  if (cp === 0xfe0f || (cp >= 0x1f000 && cp <= 0x1faff)) return 'common' // emoji, flags
  if (cp >= 0x180 && cp <= 0x24f) return 'allowed' // Latin Extended-B
  if (cp >= 0x370 && cp <= 0x3ff) return cp === 0x378 || cp === 0x379 ? null : 'allowed'
  if (cp >= 0x460 && cp <= 0x4ff) return 'allowed'
  if (cp >= 0x203b && cp <= 0x205e) return 'allowed'
  if (cp >= 0x2070 && cp <= 0x209f) return 'allowed' // super- and subscripts
  if (cp === 0x20e3 || cp === 0xfe0e) return 'allowed' // keycap, text presentation
  if (cp >= 0x2100 && cp <= 0x23ff) return 'allowed' // letterlike, number forms, arrows, maths, technical
  if (cp >= 0x2460 && cp <= 0x24ff) return 'allowed' // enclosed alphanumerics
  if (cp >= 0x25a0 && cp <= 0x25ff) return 'allowed' // geometric shapes
  if (cp >= 0x2b00 && cp <= 0x2bff) return 'allowed' // arrows and stars
  return null
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || isAsciiLetter(c)
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
}

/** Letters with diacritics of French, German, Spanish, Nordic, Polish, Czech, Romanian, Vietnamese… */
function isAccentedLatin(cp: number): boolean {
  return (
    (cp >= 0xc0 && cp <= 0x17f && cp !== 0xd7 && cp !== 0xf7) ||
    (cp >= 0x218 && cp <= 0x21b) ||
    cp === 0x1a0 ||
    cp === 0x1a1 ||
    cp === 0x1af ||
    cp === 0x1b0 ||
    (cp >= 0x1ea0 && cp <= 0x1ef9)
  )
}

function countCodePoints(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff || i === 0 || s.charCodeAt(i - 1) < 0xd800 || s.charCodeAt(i - 1) > 0xdbff) n++
  }
  return n
}

// Rarity of each character of an encoded run: 0 for the common core that everyday Chinese or Japanese
// text is written in (symbols, kana including half-width, first-level hanzi/kanji), 1 for second-level
// characters, 2 for extensions, vendor and user-defined areas, and for lone bytes that a decoder
// passed through (iconv-lite reads Shift_JIS 0x80 as U+0080).

function rarityGb(b: Uint8Array): number[] {
  const out: number[] = []
  let i = 0
  while (i < b.length) {
    const x = b[i]!
    if (x < 0x80) {
      i++
      continue
    }
    if (x === 0x80) {
      out.push(2) // € as a single byte (cp936)
      i++
      continue
    }
    const y = b[i + 1]
    if (y === undefined) {
      out.push(2)
      break
    }
    if (y >= 0x30 && y <= 0x39) {
      out.push(2) // GB18030 four-byte sequence
      i += 4
      continue
    }
    const gb2312 = x >= 0xa1 && x <= 0xf7 && y >= 0xa1 && y <= 0xfe
    out.push(!gb2312 || (x >= 0xaa && x <= 0xaf) ? 2 : x <= 0xd7 ? 0 : 1)
    i += 2
  }
  return out
}

function raritySjis(b: Uint8Array): number[] {
  const out: number[] = []
  let i = 0
  while (i < b.length) {
    const x = b[i]!
    if (x < 0x80) {
      i++
      continue
    }
    if (x >= 0xa1 && x <= 0xdf) {
      out.push(0) // half-width katakana: still in use in Japanese text
      i++
      continue
    }
    const y = b[i + 1]
    if (x === 0x80 || x === 0xa0 || x >= 0xfd || y === undefined) {
      out.push(2)
      i++
      continue
    }
    const code = (x << 8) | y
    if (x >= 0x81 && x <= 0x84) out.push(0) // symbols, kana, Greek, Cyrillic
    else if (code >= 0x889f && code <= 0x9872) out.push(0) // JIS level 1 kanji
    else if (x === 0x87 || (code >= 0x989f && code <= 0xeaa4)) out.push(1) // NEC specials, level 2 kanji
    else out.push(2)
    i += 2
  }
  return out
}

function rarityEucJp(b: Uint8Array): number[] {
  const out: number[] = []
  let i = 0
  while (i < b.length) {
    const x = b[i]!
    if (x < 0x80) {
      i++
      continue
    }
    if (x === 0x8e) {
      out.push(0) // half-width katakana
      i += 2
      continue
    }
    if (x === 0x8f) {
      out.push(2) // JIS X 0212
      i += 3
      continue
    }
    if (b[i + 1] === undefined) {
      out.push(2)
      break
    }
    out.push((x >= 0xa1 && x <= 0xa8) || (x >= 0xb0 && x <= 0xcf) ? 0 : x >= 0xd0 && x <= 0xf4 ? 1 : 2)
    i += 2
  }
  return out
}

function rarityBig5(b: Uint8Array): number[] {
  const out: number[] = []
  let i = 0
  while (i < b.length) {
    const x = b[i]!
    if (x < 0x80) {
      i++
      continue
    }
    const y = b[i + 1]
    if (y === undefined) {
      out.push(2)
      break
    }
    const code = (x << 8) | y
    if ((x >= 0xa1 && x <= 0xa3) || (code >= 0xa440 && code <= 0xc67e)) out.push(0) // symbols, level 1
    else if (code >= 0xc940 && code <= 0xf9d5) out.push(1) // level 2
    else out.push(2) // HKSCS, ETEN, user-defined
    i += 2
  }
  return out
}
