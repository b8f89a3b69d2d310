import type { Sentence } from '../../domain/types.js'

// Words after which a full stop does not end a sentence (titles, months, common Latin and news abbreviations).
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'ft', 'gen', 'col', 'lt', 'sgt', 'capt', 'cmdr', 'adm', 'gov', 'sen', 'rep', 'rev', 'hon', 'pres',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'tues', 'wed', 'thu', 'thurs', 'fri', 'sat', 'sun',
  'no', 'nos', 'vol', 'vs', 'v', 'etc', 'e.g', 'i.e', 'cf', 'al', 'approx', 'inc', 'ltd', 'co', 'corp', 'bros', 'dept', 'est', 'fig', 'ca',
  'u.s', 'u.k', 'u.n', 'e.u', 'a.m', 'p.m', 'ph.d', 'd.c', 'bzw', 'usw', 'z.b', 'nr', 'ca', 'mme', 'mlle', 'sra', 'sr', 'dott',
])

const CJK_END = /[。！？]/
const CLOSERS = `"'”’»)]}）」』】`
const OPENERS = `"'“‘«([{（「『【`

/** Is the full stop at `i` in `text` the end of a sentence? */
function endsAtPeriod(text: string, i: number): boolean {
  // Decimals, times and versions: 3.5, 10.30
  if (/\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) return false
  // The word before the stop.
  let j = i
  while (j > 0 && /[\p{L}.]/u.test(text[j - 1]!)) j--
  const word = text.slice(j, i)
  if (ABBREVIATIONS.has(word.toLowerCase())) return false
  // An initial ("J. K. Rowling"): a single capital letter.
  if (/^\p{Lu}$/u.test(word)) return false
  // A dotted acronym ("U.S.") ends a sentence only when a capitalised word follows that is not a name in a title case run; keep it simple: mid-sentence.
  if (/^(\p{L}\.)+\p{L}$/u.test(word) && !/^\s+\p{Lu}\p{Ll}/u.test(text.slice(i + 1))) return false
  return followsNewSentence(text, i)
}

/** Does what follows the mark at `i` look like a new sentence: a capital, a digit, an opening quote? */
function followsNewSentence(text: string, i: number): boolean {
  const rest = text.slice(i + 1).replace(new RegExp(`^[${escape(CLOSERS)}!?]+`), '').replace(/^\s''/, '')
  const m = /^\s+(\S)/u.exec(rest)
  if (!m) return rest.trim() === ''
  const next = m[1]!
  return /[\p{Lu}\p{N}\p{Lo}]/u.test(next) || OPENERS.includes(next) || next === '`' || next === '-'
}

function escape(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&')
}

/**
 * Splits an article body into sentences with their character offsets, paragraph by paragraph
 * (paragraphs are newline-separated). Handles abbreviations, initials, decimals, ellipses, closing
 * quotes after the stop, CJK full stops without a following space, and PTB-tokenised text
 * (`draw . He said`).
 */
export function splitSentences(text: string, _opts: { lang?: string | null } = {}): Sentence[] {
  const out: Sentence[] = []
  let paragraph = -1
  const re = /[^\n]+/g
  let pm: RegExpExecArray | null
  while ((pm = re.exec(text))) {
    const para = pm[0]
    const base = pm.index
    if (para.trim() === '') continue
    paragraph++
    let start = 0
    const push = (endExclusive: number) => {
      const raw = para.slice(start, endExclusive)
      const lead = raw.length - raw.trimStart().length
      const t = raw.trim()
      if (t && /[\p{L}\p{N}]/u.test(t)) out.push({ index: out.length, text: t, start: base + start + lead, end: base + start + lead + t.length, paragraph })
      start = endExclusive
    }
    for (let i = 0; i < para.length; i++) {
      const ch = para[i]!
      let end = -1
      if (CJK_END.test(ch)) end = i + 1
      else if (ch === '!' || ch === '?') {
        // "“Is it true?” she asked." goes on; a capital, a digit or an opening quote starts a new one.
        if (followsNewSentence(para, i)) end = i + 1
      }
      else if (ch === '.') {
        // An ellipsis ends a sentence only when a capitalised word follows.
        if (para[i + 1] === '.') continue
        if (endsAtPeriod(para, i)) end = i + 1
      } else if (ch === '…') {
        if (/^\s+\p{Lu}/u.test(para.slice(i + 1))) end = i + 1
      }
      if (end < 0) continue
      // Run of terminal marks and closing quotes/brackets stays with the sentence ("?!", ".”", ". ''").
      while (end < para.length && (/[!?。！？]/.test(para[end]!) || CLOSERS.includes(para[end]!))) end++
      const ptbClose = /^\s''/.exec(para.slice(end))
      if (ptbClose) end += ptbClose[0].length
      if (ch !== '。' && ch !== '！' && ch !== '？' && end < para.length && !/\s/.test(para[end]!)) continue
      push(end)
      i = end - 1
    }
    if (start < para.length) push(para.length)
  }
  return out
}
