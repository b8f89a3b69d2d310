/**
 * Out-of-place runs of another writing system: a spam brand name in Han characters standing where a
 * publisher's name stood in an English sentence, a Cyrillic link text inside a Japanese article. Found
 * by script, not by language guessing, so it is cheap (one pass over the text) and never fires on an
 * article written in that script.
 *
 * Conservative by design. Latin is never foreign (brands, URLs and units appear in every language) and
 * Greek is not either (α, β, Δ in science writing). A run is left alone when the article uses that
 * script often (a mixed-language article), when it sits in brackets or quotes, or when the sentence
 * explains it (the term, the characters, "meaning", "or", a romanisation in parentheses next to it).
 */

export type ScriptFamily = 'latin' | 'greek' | 'cjk' | 'cyrillic' | 'arabic' | 'hebrew' | 'indic' | 'thai' | 'other'

/** One out-of-place run: where it is and what it is, for the caller to hide and to record. */
export interface ForeignRun {
  /** UTF-16 offsets into the block text. */
  start: number
  end: number
  text: string
  family: ScriptFamily
}

export interface ScriptProfile {
  /** Letters per script family over the whole article. */
  letters: Record<ScriptFamily, number>
  /** The family with the most letters, or null for an article without letters. */
  dominant: ScriptFamily | null
  /** Runs per family (a run: letters of one family with nothing but spaces and marks between them). */
  runs: Record<ScriptFamily, number>
}

const FAMILY_TESTS: Array<[ScriptFamily, RegExp]> = [
  ['latin', /\p{Script=Latin}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['indic', /[\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}]/u],
  ['thai', /[\p{Script=Thai}\p{Script=Lao}]/u],
]
const LETTER = /[\p{L}\p{Nl}]/u
// Letters shared by several scripts (the prolonged sound mark ー, modifier letters) belong to none.
const SHARED = /[\p{Script=Common}\p{Script=Inherited}]/u
// Marks that continue a run of their neighbours' script: the katakana middle dot and prolonged sound
// mark, the iteration marks, combining marks.
const RUN_GLUE = /[\u30FB\u30FC\u3005\u3006\u303B\p{M}]/u

const cache = new Map<number, ScriptFamily | null>()

/** The script family of one code point, or null for digits, punctuation, symbols and emoji. */
export function familyOf(cp: number): ScriptFamily | null {
  if (cp < 0x41) return null
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? 'latin' : null
  const hit = cache.get(cp)
  if (hit !== undefined) return hit
  const ch = String.fromCodePoint(cp)
  let family: ScriptFamily | null = null
  if (LETTER.test(ch) && !SHARED.test(ch)) {
    family = 'other'
    for (const [name, re] of FAMILY_TESTS) if (re.test(ch)) { family = name; break }
  }
  if (cache.size < 50_000) cache.set(cp, family)
  return family
}

function emptyCounts(): Record<ScriptFamily, number> {
  return { latin: 0, greek: 0, cjk: 0, cyrillic: 0, arabic: 0, hebrew: 0, indic: 0, thai: 0, other: 0 }
}

/** Counts letters and runs per script family over `texts`. */
export function profileScripts(texts: readonly string[]): ScriptProfile {
  const letters = emptyCounts()
  const runs = emptyCounts()
  for (const text of texts) {
    let prev: ScriptFamily | null = null
    for (const ch of text) {
      const cp = ch.codePointAt(0)!
      const f = familyOf(cp)
      if (f) {
        letters[f]++
        if (f !== prev) runs[f]++
        prev = f
      } else if (!(cp === 0x20 || RUN_GLUE.test(ch))) {
        prev = null
      }
    }
  }
  let dominant: ScriptFamily | null = null
  for (const f of Object.keys(letters) as ScriptFamily[]) if (letters[f] > 0 && (!dominant || letters[f] > letters[dominant])) dominant = f
  return { letters, dominant, runs }
}

// Languages whose ordinary writing uses these families: a declared language vouches for its script.
const LANG_FAMILIES: Record<string, ScriptFamily> = {
  zh: 'cjk', ja: 'cjk', ko: 'cjk', yue: 'cjk', ru: 'cyrillic', uk: 'cyrillic', bg: 'cyrillic', sr: 'cyrillic', mk: 'cyrillic',
  be: 'cyrillic', kk: 'cyrillic', mn: 'cyrillic', ar: 'arabic', fa: 'arabic', ur: 'arabic', ps: 'arabic', he: 'hebrew',
  yi: 'hebrew', hi: 'indic', bn: 'indic', pa: 'indic', gu: 'indic', ta: 'indic', te: 'indic', kn: 'indic', ml: 'indic',
  mr: 'indic', ne: 'indic', si: 'indic', th: 'thai', lo: 'thai', el: 'greek',
}

export interface ForeignRunPolicy {
  /** Most runs of one foreign family an article may have before it counts as mixed-language. */
  maxRuns: number
  /** Largest share of the article's letters a foreign family may have. */
  maxShare: number
  /** Fewest letters of the dominant family for the judgement to mean anything. */
  minDominantLetters: number
  /** Longest run that may be hidden, in characters; a longer one is a quotation, not an insertion. */
  maxRunLength: { cjk: number; alphabetic: number }
}

export const DEFAULT_FOREIGN_RUN_POLICY: ForeignRunPolicy = {
  maxRuns: 3, maxShare: 0.03, minDominantLetters: 200, maxRunLength: { cjk: 12, alphabetic: 40 },
}

// CJK text carries several times more meaning per character than alphabetic text, so its characters
// count three times when shares and minimum lengths are compared.
const weight = (f: ScriptFamily) => (f === 'cjk' ? 3 : 1)

/**
 * The families that are out of place in an article with this profile and declared language: those
 * with few letters and few runs, in an article long enough and written mostly in one other family.
 */
export function foreignFamilies(profile: ScriptProfile, lang: string | null, policy = DEFAULT_FOREIGN_RUN_POLICY): Set<ScriptFamily> {
  const out = new Set<ScriptFamily>()
  const dom = profile.dominant
  if (!dom) return out
  if (profile.letters[dom] * weight(dom) < policy.minDominantLetters) return out
  let total = 0
  for (const f of Object.keys(profile.letters) as ScriptFamily[]) total += profile.letters[f] * weight(f)
  const declared = lang ? LANG_FAMILIES[lang.toLowerCase().split(/[-_]/)[0]!] : undefined
  for (const f of Object.keys(profile.letters) as ScriptFamily[]) {
    if (f === dom || f === 'latin' || f === 'greek' || f === declared || profile.letters[f] === 0) continue
    if (profile.runs[f] > policy.maxRuns || (profile.letters[f] * weight(f)) / total > policy.maxShare) continue
    out.add(f)
  }
  return out
}

const OPENERS: Record<string, string> = { '(': ')', '（': '）', '[': ']', '「': '」', '『': '』', '《': '》', '〈': '〉', '“': '”', '‘': '’', '"': '"', "'": "'", '«': '»', '„': '“' }
const CLOSERS = new Set(Object.values(OPENERS))

// Words that announce or explain a foreign term in the sentence around it.
const EXPLAINS_BEFORE = /\b(term|terms|word|words|phrase|expression|character|characters|kanji|hanzi|hanja|hangul|kana|hiragana|katakana|script|calligraphy|known as|called|named|dubbed|titled|reads|written|spelled|spelt|pronounced|meaning|means|literally|translated|translates|slogan|motto|sign|signs|banner|inscription|chinese|japanese|korean|mandarin|cantonese|taiwanese|russian|ukrainian|arabic|persian|hebrew|hindi|thai|or|aka|i\.e\.)\W*$/i
const LANGUAGE_NAMED = /\b(in|the)\s+(chinese|japanese|korean|mandarin|cantonese|taiwanese|russian|ukrainian|arabic|persian|hebrew|hindi|thai)\b[^.!?]{0,20}$/i
const EXPLAINS_AFTER = /^\W{0,3}(\(|（|or\b|meaning\b|means\b|literally\b|which means\b|translates?\b|translated\b|roughly\b|i\.e\.|pronounced\b|—|–)/i

/**
 * The out-of-place runs in one block's text. `families` comes from `foreignFamilies` over the whole
 * article, so a block is judged against the article it belongs to.
 */
export function findForeignRuns(text: string, families: ReadonlySet<ScriptFamily>, policy = DEFAULT_FOREIGN_RUN_POLICY): ForeignRun[] {
  if (families.size === 0) return []
  const runs: ForeignRun[] = []
  let start = -1
  let end = -1
  let family: ScriptFamily | null = null
  const flush = () => {
    if (family && start >= 0) {
      const run = { start, end, text: text.slice(start, end), family }
      const max = family === 'cjk' ? policy.maxRunLength.cjk : policy.maxRunLength.alphabetic
      if (run.text.length <= max && !isExplained(text, run)) runs.push(run)
    }
    start = -1
    family = null
  }
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!
    const width = cp > 0xffff ? 2 : 1
    const f = familyOf(cp)
    const ch = text.slice(i, i + width)
    if (f && families.has(f)) {
      if (family !== f) { flush(); start = i; family = f }
      end = i + width
    } else if (family && (RUN_GLUE.test(ch) || (cp === 0x20 && nextFamily(text, i + 1) === family))) {
      // a mark or a single space inside the run; `end` moves only when the run's script continues
    } else if (family) {
      flush()
    }
    i += width
  }
  flush()
  return runs
}

function nextFamily(text: string, i: number): ScriptFamily | null {
  const cp = text.codePointAt(i)
  return cp === undefined ? null : familyOf(cp)
}

function isExplained(text: string, run: ForeignRun): boolean {
  const before = text.slice(Math.max(0, run.start - 40), run.start)
  const after = text.slice(run.end, run.end + 40)
  // Glued to letters of another script inside one word ("Herm?s"): decoding debris or a deliberate
  // mixed spelling, not an inserted phrase; the mojibake repair stage owns the former.
  // Only in scripts that separate words with spaces; CJK and Thai text has no spaces to look for.
  const prev = before ? familyOf(lastCodePoint(before)) : null
  const next = after.length ? familyOf(after.codePointAt(0)!) : null
  if ((prev && prev !== 'cjk' && prev !== 'thai') || (next && next !== 'cjk' && next !== 'thai')) return true
  if (EXPLAINS_BEFORE.test(before) || EXPLAINS_AFTER.test(after) || LANGUAGE_NAMED.test(before)) return true
  // Inside brackets or quotes: look back for an opener that is not closed before the run.
  const open = innermostOpener(text.slice(Math.max(0, run.start - 80), run.start))
  return open !== null && after.includes(OPENERS[open]!)
}

function lastCodePoint(s: string): number {
  const cp = s.codePointAt(s.length - 1)!
  return cp >= 0xdc00 && cp <= 0xdfff && s.length > 1 ? s.codePointAt(s.length - 2)! : cp
}

function innermostOpener(s: string): string | null {
  const stack: string[] = []
  for (const ch of s) {
    if (ch in OPENERS && ch !== '"' && ch !== "'") stack.push(ch)
    else if (CLOSERS.has(ch) && stack.length && OPENERS[stack[stack.length - 1]!] === ch) stack.pop()
    else if (ch === '"') {
      if (stack[stack.length - 1] === '"') stack.pop()
      else stack.push('"')
    }
  }
  return stack.length ? stack[stack.length - 1]! : null
}

/**
 * `text` with `runs` taken out and the spacing around each gap repaired: no doubled or dangling
 * spaces, no space before punctuation, and a list comma that followed a removed list item goes with it
 * ("such as X, the Y" → "such as the Y"). `joiner` is what stands between words (`' '`, or `''` for
 * CJK text).
 */
export function removeRuns(text: string, runs: readonly ForeignRun[], joiner: string): string {
  // Right to left, so the offsets of the runs not yet removed stay valid.
  let out = text
  for (const run of [...runs].sort((x, y) => y.start - x.start)) {
    let before = out.slice(0, run.start)
    let after = out.slice(run.end)
    const listComma = /^\s*[,，、]\s*/.exec(after)
    if (listComma && (before.trim() === '' || /[\s(（]$/.test(before))) after = after.slice(listComma[0].length)
    before = before.replace(/[ \t\u3000]+$/, '')
    after = after.replace(/^[ \t\u3000]+/, '')
    const needsJoiner = before !== '' && after !== '' && !/^[,.;:!?)\]}”’、。，．！？）」』]/.test(after) && !/[(（[{“‘「『]$/.test(before)
    out = before + (needsJoiner ? joiner : '') + after
  }
  return out
}
