import type { Sentence } from '../../domain/types.js'
import { splitSentences } from './sentences.js'
import { STOPWORDS } from './keyphrases.js'

export interface SummarizeInput {
  title: string | null
  text: string
  lang?: string | null
}

export interface SummarizeOptions {
  /** Sentences in the summary (default 3). */
  sentences?: number
  /** Key points at most (default 5). */
  keyPoints?: number
}

// Lines that are page furniture, not reporting: bylines, datelines, calls to action, photo credits.
const JUNK = [
  /^(by|von|par|por|di)\s+\p{Lu}[\p{L}'’.-]+(\s+\p{Lu}[\p{L}'’.-]+){0,3}\s*([,|–—-]|and\b|$)/iu,
  /\b(published|updated|last (updated|modified)|posted)\s*:?\s*\d/i,
  /^(click|tap|scroll|watch|read|sign up|subscribe|follow|share|download|listen|see also|related|advertisement|getty images|photo|image|video)\b/i,
  /\b(click here|scroll down|sign up for|subscribe to|newsletter|all rights reserved|copyright|©)\b/i,
  /^(credit|source|photo|picture|image)s?\s*:/i,
]

/** Lower-case content words of a sentence (stop words and one-letter tokens dropped), crudely stemmed. */
function contentWords(s: string, stop: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (const m of s.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0]
    if (w.length < 2 || stop.has(w)) continue
    out.push(w.length > 4 ? w.replace(/(ing|ed|es|s)$/u, '') : w)
  }
  return out
}

function words(s: string): number {
  return s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0
}

/** A sentence a reader can take on its own: not furniture, not a fragment, not a wall of text, not a question to the reader. */
function usable(s: Sentence): boolean {
  const n = words(s.text)
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(s.text)
  if (cjk ? s.text.length < 8 : n < 6) return false
  if (!cjk && n > 55) return false
  if (JUNK.some((re) => re.test(s.text))) return false
  if (/\?\s*["'”’»)]*$/.test(s.text) && /\b(you|your)\b/i.test(s.text)) return false
  return true
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (const [k, v] of a) {
    na += v * v
    const w = b.get(k)
    if (w) dot += v * w
  }
  for (const v of b.values()) nb += v * v
  return na && nb ? dot / Math.sqrt(na * nb) : 0
}

function bag(ws: string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const w of ws) m.set(w, (m.get(w) ?? 0) + 1)
  return m
}

/**
 * An extractive summary and key points from the article's own sentences. News puts what matters first
 * (the inverted pyramid), so position leads; among the opening sentences, those closest to the title
 * and to the article as a whole win, furniture and near-repeats are skipped. Key points are the most
 * central sentences from the rest of the article, short ones first, in article order.
 */
export function summarize(input: SummarizeInput, opts: SummarizeOptions = {}): { summary: Sentence[]; keyPoints: Sentence[] } {
  const want = opts.sentences ?? 3
  const maxPoints = opts.keyPoints ?? 5
  const all = splitSentences(input.text ?? '', { lang: input.lang })
  const stop = STOPWORDS[(input.lang ?? 'en').slice(0, 2)] ?? STOPWORDS['en']!
  const cands = all.filter(usable)
  if (cands.length === 0) return { summary: [], keyPoints: [] }

  const bags = cands.map((s) => bag(contentWords(s.text, stop)))
  const doc = new Map<string, number>()
  for (const b of bags) for (const [k, v] of b) doc.set(k, (doc.get(k) ?? 0) + v)
  const title = bag(contentWords(input.title ?? '', stop))
  const score = cands.map((s, i) => {
    const position = 1 / (1 + 0.35 * i)
    const central = cosine(bags[i]!, doc)
    const titled = title.size ? cosine(bags[i]!, title) : 0
    return position + 0.25 * central + 0.2 * titled
  })

  const pick = (order: number[], n: number, taken: number[]): number[] => {
    const out: number[] = []
    for (const i of order) {
      if (out.length >= n) break
      // A near-repeat of a sentence already chosen (a caption that restates the lead) adds nothing.
      if ([...taken, ...out].some((j) => cosine(bags[i]!, bags[j]!) > 0.6)) continue
      out.push(i)
    }
    return out
  }
  const byScore = cands.map((_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b)
  const chosen = pick(byScore, want, []).sort((a, b) => a - b)

  // Key points: the rest of the article's most central sentences, briefer ones preferred.
  const centrality = cands.map((_, i) => cosine(bags[i]!, doc) / Math.sqrt(Math.max(8, words(cands[i]!.text)) / 8))
  const rest = cands.map((_, i) => i).filter((i) => !chosen.includes(i)).sort((a, b) => centrality[b]! - centrality[a]! || a - b)
  let points = pick(rest, maxPoints, chosen)
  if (points.length < 3) points = [...chosen, ...points].slice(0, Math.max(points.length, Math.min(3, cands.length)))
  return { summary: chosen.map((i) => cands[i]!), keyPoints: [...new Set(points)].sort((a, b) => a - b).map((i) => cands[i]!) }
}
