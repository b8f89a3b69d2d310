/**
 * Restores spaces lost where an inline element (a link, <em>, <strong>) met the text around it and the
 * markup was dropped without its whitespace: `andJapan`, `isthe`, `growth.The`. A safety net for text
 * that arrives already joined (feeds, bad markup); the extractor avoids most of these itself.
 *
 * Damage to correct text is worse than a missed join, so every rule needs two kinds of evidence: the
 * shape of the join and a word on one side that is known to stand alone. English only.
 */
import {
  ACRONYM_JOINING_WORDS, CAMEL_CASE_NAMES, COMMON_WORDS, HINGE_WORDS, JOINING_WORDS, NOT_A_HALF, isEnglishWord,
} from './clean-body-words.js'

export interface SpaceFix {
  /** The token as it arrived. */
  from: string
  /** The same token with the space put back. */
  to: string
  rule: 'lower_upper' | 'lower_lower' | 'sentence_end'
}

export interface RestoreSpacesResult {
  text: string
  fixes: SpaceFix[]
}

// A letter run with the characters around it. Only runs that stand as words of prose are considered:
// not parts of URLs, e-mail addresses, handles, hashtags, code (`a.b`, `a_b`, `a=b`) or numbers.
const RUN = /[A-Za-z]+/g
const BEFORE_OK = /^$|[\s("“‘'[—–]$/
const AFTER_OK = /^$|^[\s,.;:!?)"”’'\]—–-]/
// Characters that mark a whitespace-delimited chunk as something other than prose.
const NOT_PROSE = /[/@#_=<>\\{}|~^*+$%&]|:\/\/|www\./

// Capitalised words that start a sentence; `growth.The` is split only before one of these.
const SENTENCE_STARTERS = new Set(`
  The This That These Those There Their They It Its He She We I You Our His Her In On At For But And Or
  So Yet If When While After Before Although Though However Meanwhile Still Instead Since As A An Some
  Many Most No Not One Now Then What Why How Who Where Last Next Other Others Such
`.split(/\s+/).filter(Boolean))

/** Puts back lost spaces in `text`; `text` is returned unchanged when nothing qualifies. */
export function restoreLostSpaces(text: string): RestoreSpacesResult {
  const fixes: SpaceFix[] = []
  let out = ''
  let last = 0
  // Chunks are whitespace-delimited; each is looked at once, so the cost is linear in the text.
  const chunkRe = /\S+/g
  for (let m = chunkRe.exec(text); m; m = chunkRe.exec(text)) {
    const chunk = m[0]
    if (chunk.length < 5 || NOT_PROSE.test(chunk) || !/[a-z]/.test(chunk)) continue
    const fixed = fixChunk(chunk, fixes)
    if (fixed !== chunk) {
      out += text.slice(last, m.index) + fixed
      last = m.index + chunk.length
    }
  }
  if (fixes.length === 0) return { text, fixes }
  return { text: out + text.slice(last), fixes }
}

function fixChunk(chunk: string, fixes: SpaceFix[]): string {
  let out = ''
  let last = 0
  RUN.lastIndex = 0
  for (let m = RUN.exec(chunk); m; m = RUN.exec(chunk)) {
    const run = m[0]
    const start = m.index
    const end = start + run.length
    const before = chunk.slice(Math.max(0, start - 1), start)
    const after = chunk.slice(end, end + 1)
    // A letter run glued to digits or to another script is a code, a model name or a unit, not prose.
    if (/[0-9]/.test(before) || /^[0-9]/.test(after)) continue
    let replacement: string | null = null
    let rule: SpaceFix['rule'] = 'lower_upper'
    if (BEFORE_OK.test(before) && AFTER_OK.test(after)) {
      replacement = splitLowerUpper(run)
      if (replacement === null) {
        replacement = splitLowerLower(run)
        rule = 'lower_lower'
      }
    }
    if (replacement === null && /^[.!?]$/.test(after)) {
      // `growth.The company`: the run before the stop, then a sentence starter right after it.
      const next = /^[.!?]([A-Z][a-z]*)(?=$|[\s,;:'’])/.exec(chunk.slice(end))
      if (next && /^[a-z]{2,}$/.test(run) && isEnglishWord(run) && SENTENCE_STARTERS.has(next[1]!)) {
        const stop = chunk.slice(end, end + 1)
        out += chunk.slice(last, end) + stop + ' '
        last = end + 1
        fixes.push({ from: `${run}${stop}${next[1]}`, to: `${run}${stop} ${next[1]}`, rule: 'sentence_end' })
        continue
      }
    }
    if (replacement !== null) {
      out += chunk.slice(last, start) + replacement
      last = end
      fixes.push({ from: run, to: replacement, rule })
    }
  }
  return last === 0 ? chunk : out + chunk.slice(last)
}

/**
 * `andJapan` → `and Japan`, `theUS` → `the US`: a joining word in lower case, then one capitalised word
 * (or a short acronym) that is not itself a frequent word, so camelCase identifiers made of two ordinary
 * words (`forEach`, `toString`, `withStyles`) stay joined.
 */
function splitLowerUpper(run: string): string | null {
  const m = /^([a-z]{2,})([A-Z][a-z]{2,}|[A-Z]{2,5})$/.exec(run)
  if (!m || CAMEL_CASE_NAMES.has(run)) return null
  const left = m[1]!
  const right = m[2]!
  if (right === right.toUpperCase()) return ACRONYM_JOINING_WORDS.has(left) ? `${left} ${right}` : null
  if (!JOINING_WORDS.has(left)) return null
  if (isEnglishWord(right.toLowerCase())) return null
  return `${left} ${right}`
}

/**
 * `isthe` → `is the`, `thecompany` → `the company`: an all-lower-case token that is not a word, with
 * exactly one way to cut it into a hinge word (the, and, that…) and a frequent word. Names (capitalised)
 * and long tokens are left alone.
 */
function splitLowerLower(run: string): string | null {
  if (run.length < 5 || run.length > 24 || !/^[a-z]+$/.test(run) || isEnglishWord(run)) return null
  let found: string | null = null
  for (let i = 2; i <= run.length - 2; i++) {
    const left = run.slice(0, i)
    const right = run.slice(i)
    const ok = (HINGE_WORDS.has(left) && isHalf(right, true)) || (HINGE_WORDS.has(right) && isHalf(left, false))
    if (!ok) continue
    if (found !== null) return null // two readings: do not guess
    found = `${left} ${right}`
  }
  return found
}

// Halves must be frequent words as they are, or their plain plurals: a generous reading here would
// make more splits, not fewer.
function isHalf(w: string, plural: boolean): boolean {
  if (w.length < 2 || NOT_A_HALF.has(w)) return false
  if (COMMON_WORDS.has(w)) return true
  if (!plural || w.length < 4 || !w.endsWith('s')) return false
  return COMMON_WORDS.has(w.slice(0, -1)) || (w.endsWith('es') && COMMON_WORDS.has(w.slice(0, -2)))
    || (w.endsWith('ies') && COMMON_WORDS.has(`${w.slice(0, -3)}y`))
}
