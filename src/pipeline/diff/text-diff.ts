import { normalizeText } from './normalize.js'

/**
 * What changed between two versions of an article: the title word by word, the body paragraph by
 * paragraph and, inside a paragraph that was edited rather than replaced, word by word. Our own Myers
 * diff (O((N+M)·D) time, O(D²) memory), bounded: past `maxEdits` differences in one comparison, or
 * `maxWords` words compared in all, the rest is shown as whole paragraphs deleted and inserted.
 */

export type Mark = 'same' | 'ins' | 'del'

export interface Segment {
  mark: Mark
  text: string
}

export interface ParagraphDiff {
  /** `changed`: an edited paragraph, its segments mix `same`, `ins` and `del`. */
  mark: Mark | 'changed'
  segments: Segment[]
}

export interface TextDiff {
  title: Segment[]
  titleChanged: boolean
  paragraphs: ParagraphDiff[]
  /** Some of the body was too large or too different to compare word by word. */
  coarse: boolean
  /** Words inserted and deleted (title and body). */
  insertedWords: number
  deletedWords: number
}

export interface DiffLimits {
  /** Most differences one comparison may find before it gives up (bounds time and memory). */
  maxEdits: number
  /** Most words compared word by word over the whole body. */
  maxWords: number
}

export const DEFAULT_DIFF_LIMITS: DiffLimits = { maxEdits: 1000, maxWords: 60_000 }

// A paragraph edited in place keeps at least this share of its words; below it, it reads better as
// one paragraph removed and another added.
const MIN_SIMILARITY = 0.4

export function textDiff(
  before: { title: string; text: string }, after: { title: string; text: string }, limits: DiffLimits = DEFAULT_DIFF_LIMITS,
): TextDiff {
  const counts = { ins: 0, del: 0 }
  const budget = { words: limits.maxWords, coarse: false }
  const titleA = normalizeText(before.title)
  const titleB = normalizeText(after.title)
  const title = titleA === titleB ? [{ mark: 'same' as const, text: titleB }] : wordDiff(para(titleA), para(titleB), limits, counts, budget)

  const parasA = splitParagraphs(before.text)
  const parasB = splitParagraphs(after.text)
  const ids = new Map<string, number>()
  const idOf = (s: string) => {
    let id = ids.get(s)
    if (id === undefined) ids.set(s, (id = ids.size))
    return id
  }
  const ops = myers(parasA.map(idOf), parasB.map(idOf), limits.maxEdits)
  const paragraphs: ParagraphDiff[] = []
  if (!ops) {
    budget.coarse = true
    for (const p of parasA) paragraphs.push(whole('del', para(p), counts))
    for (const p of parasB) paragraphs.push(whole('ins', para(p), counts))
  } else {
    let i = 0
    let j = 0
    let k = 0
    while (k < ops.length) {
      if (ops[k] === EQ) {
        paragraphs.push({ mark: 'same', segments: [{ mark: 'same', text: parasB[j]! }] })
        i++, j++, k++
        continue
      }
      // A run of deletions and insertions between two unchanged paragraphs.
      const dels: string[] = []
      const inss: string[] = []
      while (k < ops.length && ops[k] !== EQ) {
        if (ops[k] === DEL) dels.push(parasA[i++]!)
        else inss.push(parasB[j++]!)
        k++
      }
      paragraphs.push(...pairUp(dels, inss, limits, counts, budget))
    }
  }
  return {
    title,
    titleChanged: titleA !== titleB,
    paragraphs,
    coarse: budget.coarse,
    insertedWords: counts.ins,
    deletedWords: counts.del,
  }
}

function splitParagraphs(text: string): string[] {
  const t = normalizeText(text)
  return t ? t.split('\n') : []
}

type Counts = { ins: number; del: number }
type Budget = { words: number; coarse: boolean }

/** A paragraph tokenized once: its words, and their counts for the similarity test. */
interface Para {
  text: string
  tokens: Token[]
  bag: Map<string, number>
}

function para(text: string): Para {
  const tokens = tokenize(text)
  const bag = new Map<string, number>()
  for (const t of tokens) bag.set(t.word, (bag.get(t.word) ?? 0) + 1)
  return { text, tokens, bag }
}

function whole(mark: 'ins' | 'del', p: Para, counts: Counts): ParagraphDiff {
  counts[mark] += p.tokens.length
  return { mark, segments: [{ mark, text: p.text }] }
}

/**
 * Matches each deleted paragraph with the most similar inserted one after the previous match (so the
 * order is kept); matched pairs are diffed word by word, the rest shown whole.
 */
function pairUp(delTexts: string[], insTexts: string[], limits: DiffLimits, counts: Counts, budget: Budget): ParagraphDiff[] {
  const out: ParagraphDiff[] = []
  const inss = insTexts.map(para)
  let next = 0
  for (const text of delTexts) {
    const d = para(text)
    let best = -1
    let bestScore = 0
    // A bounded look-ahead keeps a long run of replaced paragraphs linear.
    for (let x = next; x < Math.min(inss.length, next + 20); x++) {
      const s = similarity(d, inss[x]!)
      if (s >= MIN_SIMILARITY && s > bestScore) { best = x; bestScore = s }
    }
    if (best < 0) {
      out.push(whole('del', d, counts))
      continue
    }
    while (next < best) out.push(whole('ins', inss[next++]!, counts))
    const b = inss[next++]!
    const size = d.tokens.length + b.tokens.length
    if (size > budget.words) {
      budget.coarse = true
      out.push(whole('del', d, counts), whole('ins', b, counts))
      continue
    }
    budget.words -= size
    out.push({ mark: 'changed', segments: wordDiff(d, b, limits, counts, budget) })
  }
  while (next < inss.length) out.push(whole('ins', inss[next++]!, counts))
  return out
}

/** Shared words over the longer paragraph's word count (a multiset overlap). */
function similarity(a: Para, b: Para): number {
  const longer = Math.max(a.tokens.length, b.tokens.length)
  if (longer === 0) return 1
  let shared = 0
  for (const [w, n] of a.bag) shared += Math.min(n, b.bag.get(w) ?? 0)
  return shared / longer
}

interface Token {
  /** Whitespace before the word, as it stands in the text. */
  space: string
  word: string
}

// Scripts written without spaces between words are compared character by character.
const UNSPACED = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Thai}\\p{Script=Lao}\\p{Script=Khmer}\\p{Script=Myanmar}'
const TOKEN = new RegExp(`(\\s*)([${UNSPACED}]|[^\\s${UNSPACED}]+)`, 'gu')

function tokenize(text: string): Token[] {
  const out: Token[] = []
  for (const m of text.matchAll(TOKEN)) out.push({ space: m[1]!, word: m[2]! })
  return out
}

/** Word-level segments from `a` to `b`; a comparison over its limit is shown as a whole replacement. */
function wordDiff(pa: Para, pb: Para, limits: DiffLimits, counts: Counts, budget: Budget): Segment[] {
  const ta = pa.tokens
  const tb = pb.tokens
  const a = pa.text
  const b = pb.text
  const ids = new Map<string, number>()
  const idOf = (t: Token) => {
    let id = ids.get(t.word)
    if (id === undefined) ids.set(t.word, (id = ids.size))
    return id
  }
  const ops = myers(ta.map(idOf), tb.map(idOf), limits.maxEdits)
  const out: Segment[] = []
  const push = (mark: Mark, t: Token) => {
    const last = out[out.length - 1]
    if (mark !== 'same') counts[mark]++
    if (mark === 'same' || last?.mark === mark) {
      if (last?.mark === mark) last.text += t.space + t.word
      else out.push({ mark, text: t.space + t.word })
      return
    }
    // The space before a marked word stays outside the mark, so it reads "x <del>a</del> <ins>b</ins> y".
    if (t.space) {
      if (last?.mark === 'same') last.text += t.space
      else out.push({ mark: 'same', text: t.space })
    }
    out.push({ mark, text: t.word })
  }
  if (!ops) {
    budget.coarse = true
    if (a) { out.push({ mark: 'del', text: a }); counts.del += ta.length }
    if (b) { out.push({ mark: 'ins', text: b }); counts.ins += tb.length }
    if (a && b) out.splice(1, 0, { mark: 'same', text: ' ' })
    return out
  }
  let i = 0
  let j = 0
  for (const op of ops) {
    if (op === EQ) { push('same', tb[j]!); i++; j++ } else if (op === DEL) push('del', ta[i++]!)
    else push('ins', tb[j++]!)
  }
  return out
}

const EQ = 0
const DEL = 1
const INS = 2
type Op = typeof EQ | typeof DEL | typeof INS

/**
 * The shortest edit script from `a` to `b` (Myers 1986), as one op per element in order, or null
 * when it needs more than `maxEdits` insertions and deletions. Common ends are stripped first: most
 * edits touch a few words of a long text.
 */
export function myers(a: readonly number[], b: readonly number[], maxEdits: number): Op[] | null {
  let pre = 0
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++
  let suf = 0
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++
  const A = a.slice(pre, a.length - suf)
  const B = b.slice(pre, b.length - suf)
  const N = A.length
  const M = B.length
  const head: Op[] = new Array<Op>(pre).fill(EQ)
  const tail: Op[] = new Array<Op>(suf).fill(EQ)
  if (N === 0 || M === 0) {
    if (N + M > maxEdits) return null
    return [...head, ...new Array<Op>(N).fill(DEL), ...new Array<Op>(M).fill(INS), ...tail]
  }
  const limit = Math.min(N + M, maxEdits)
  const off = limit + 1
  const v = new Int32Array(2 * limit + 3)
  // trace[d] holds v[-d-1 … d+1] as it stood before step d: what the walk back needs.
  const trace: Int32Array[] = []
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(off - d - 1, off + d + 2))
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1
      let y = x - k
      while (x < N && y < M && A[x] === B[y]) x++, y++
      v[off + k] = x
      if (x >= N && y >= M) return [...head, ...walkBack(trace, N, M), ...tail]
    }
  }
  return null
}

function walkBack(trace: Int32Array[], N: number, M: number): Op[] {
  const rev: Op[] = []
  let x = N
  let y = M
  for (let d = trace.length - 1; d >= 0; d--) {
    const t = trace[d]!
    const at = (k: number) => t[k + d + 1]!
    const k = x - y
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1
    const prevX = at(prevK)
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) { rev.push(EQ); x--; y-- }
    if (d > 0) rev.push(x === prevX ? INS : DEL)
    x = prevX
    y = prevY
  }
  return rev.reverse()
}
