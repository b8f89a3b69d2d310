import { BADNESS_RE } from 'ftfy-js/badness'

/** ftfy's badness patterns, tried at one position at a time (see looksBad). */
const BAD_AT = new RegExp(BADNESS_RE.source, 'uy')
/**
 * Characters that can begin or anchor a badness match: everything non-ASCII except CJK, kana, Hangul,
 * full-width forms and surrogates, which no pattern names (U+F8FF, which one does, stays in).
 */
const BAD_TRIGGER_G = /[\u0080-\u2e7f\uf8ff\ufb00-\ufeff\ufff0-\uffff]/g
/**
 * ftfy's is_bad, without scanning every position. Every badness pattern contains a character from
 * BAD_TRIGGER_G and starts at most three characters before the first one; a match with one such
 * character involves a C1 control, Â, Ã, Œ or œ, all others have the next non-ASCII character right
 * after the first. Trying the sticky pattern at those starts finds every match a full scan finds,
 * while ASCII, CJK and ordinary accented text (one accent between ASCII letters) cost next to nothing.
 */
export function looksBad(text: string): boolean {
  let next = 0
  BAD_TRIGGER_G.lastIndex = 0
  for (let m = BAD_TRIGGER_G.exec(text); m; m = BAD_TRIGGER_G.exec(text)) {
    const i = m.index
    const c = text.charCodeAt(i)
    const alone = !(c <= 0x9f || c === 0xc2 || c === 0xc3 || c === 0x152 || c === 0x153)
    if (alone && text.charCodeAt(i + 1) < 0x80 && text.charCodeAt(i + 2) < 0x80) continue
    for (let start = Math.max(next, i - 3); start <= i; start++) {
      if (start > 0 && isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1))) continue
      BAD_AT.lastIndex = start
      if (BAD_AT.test(text)) return true
    }
    next = i + 1
  }
  return false
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}
