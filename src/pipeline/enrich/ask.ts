import type { ExtractiveAnswer, Sentence } from '../../domain/types.js'
import { splitSentences } from './sentences.js'
import { STOPWORDS } from './keyphrases.js'

export interface AskInput {
  title: string | null
  text: string
  question: string
  lang?: string | null
}

// Question words carry no topic; what they ask for is read as a cue instead.
const QUESTION_WORDS = new Set(['who', 'whom', 'whose', 'what', 'which', 'when', 'where', 'why', 'how', 'much', 'many', 'long', 'does', 'did', 'do', 'is', 'are', 'was', 'were', 'will', 'would', 'can', 'could', 'should', 'article', 'say', 'says', 'said', 'tell', 'me', 'about'])

const MONTH = /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|next (week|month|year|spring|summer|autumn|winter)|last (week|month|year))\b/i

/** A crude stem shared by question and text: enough for "voted"/"votes"/"voting" to meet. */
function stem(w: string): string {
  if (w.length <= 4) return w
  return w.replace(/(ations?|ings?|edly|ed|ers?|es|s|ly)$/u, '') || w
}

function terms(s: string, stop: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (const m of s.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0]
    if (stop.has(w) || QUESTION_WORDS.has(w)) continue
    // CJK runs have no spaces: their characters are the terms.
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(w)) out.push(...[...w])
    else if (w.length > 1 || /\d/.test(w)) out.push(stem(w))
  }
  return out
}

/** What kind of answer the question wants, as a test on a sentence. */
function cueOf(question: string): ((s: string) => boolean) | null {
  const q = question.toLowerCase()
  if (/\bhow much\b.*\b(cost|pay|paid|spend|spent|worth|charge|price|fund)|\b(cost|price|budget|fee|fare)s?\b/.test(q)) return (s) => /[£$€¥₹]\s?\d|\d\s?(€|euros?|dollars?|pounds?|yen|francs?)\b|\b(million|billion|bn|m)\b/i.test(s)
  if (/\bhow (much|many|long|far|old|big)\b|\bwhat (percentage|share|number|amount)\b|\bcost\b/.test(q)) return (s) => /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen)\b/i.test(s)
  if (/^\s*when\b|\bwhat (time|day|date|year)\b/.test(q)) return (s) => MONTH.test(s) || /\b(1[89]|20)\d\d\b|\b\d{1,2}(:\d\d|\s?(am|pm))\b/i.test(s)
  if (/^\s*(who|whom|whose)\b/.test(q)) return (s) => /\b\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+/u.test(s) || /\b(said|says|told|according to)\b/i.test(s)
  if (/^\s*where\b/.test(q)) return (s) => /\b(in|at|near|from|across|between)\s+(the\s+)?\p{Lu}/u.test(s)
  return null
}

/**
 * Answers a question from the article's own sentences: BM25 over sentences, a bonus for sentences of
 * the kind the question asks for (a number for
 * "how many", a date for "when", a name for "who"), and the best one to three sentences quoted. When
 * no sentence shares enough of the question's meaning, the honest answer is that the article does not say.
 */
export function askArticle(input: AskInput, opts: { maxSentences?: number } = {}): ExtractiveAnswer {
  const none: ExtractiveAnswer = { found: false, sentences: [] }
  const question = (input.question ?? '').slice(0, 1000)
  const stop = STOPWORDS[(input.lang ?? 'en').slice(0, 2)] ?? STOPWORDS['en']!
  const qTerms = [...new Set(terms(question, stop))].slice(0, 30)
  if (qTerms.length === 0) return none
  const sentences: Sentence[] = splitSentences(input.text ?? '', { lang: input.lang })
  if (sentences.length === 0) return none

  const docs = sentences.map((s) => terms(s.text, stop))
  const df = new Map<string, number>()
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1)
  const n = docs.length
  const avg = docs.reduce((a, d) => a + d.length, 0) / n || 1
  const idf = (t: string) => Math.log(1 + (n - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5))
  // A question term found nowhere in the article (nor its title) is what the article does not cover.
  // Most of what the question is about must be in the article: one word of a five-word question is not.
  const known = qTerms.filter((t) => df.has(t))
  if (known.length === 0 || known.length < Math.ceil(qTerms.length * 0.4)) return none

  const cue = cueOf(question)
  const bm25 = docs.map((d) => {
    const tf = new Map<string, number>()
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1)
    let s = 0
    let matched = 0
    for (const t of known) {
      const f = tf.get(t) ?? 0
      if (f === 0) continue
      matched++
      s += idf(t) * (f * 2.2) / (f + 1.2 * (0.25 + 0.75 * d.length / avg))
    }
    return { s, matched }
  })
  const scored = bm25.map(({ s, matched }, i) => {
    // A sentence goes on from the one before ("The scheme…" after "…a tidal barrier"): it inherits
    // some of that sentence's match, and counts when it also holds what the question asks for.
    const carried = i > 0 ? 0.35 * bm25[i - 1]!.s : 0
    const fits = cue?.(sentences[i]!.text) ?? false
    const counts = matched > 0 || (fits && carried > 0)
    return { i, s: counts ? (s + carried) * (fits ? 1.5 : 1) : 0, matched: counts ? Math.max(1, matched) : 0 }
  }).filter((x) => x.matched > 0)
  if (scored.length === 0) return none
  // When the question asks for a kind of answer and some sentence has one, a sentence without it is
  // context at most.
  if (cue && scored.some((x) => cue(sentences[x.i]!.text))) for (const x of scored) if (!cue(sentences[x.i]!.text)) x.s *= 0.5
  scored.sort((a, b) => b.s - a.s || a.i - b.i)
  const best = scored[0]!
  // Others join only when nearly as good: an answer, not a reading list.
  const picked = scored.filter((x) => x.s >= best.s * 0.75).slice(0, opts.maxSentences ?? 3)
  picked.sort((a, b) => a.i - b.i)
  return {
    found: true,
    sentences: picked.map(({ i, s }) => ({ index: i, text: sentences[i]!.text, start: sentences[i]!.start, end: sentences[i]!.end, score: Math.round(s * 1000) / 1000 })),
  }
}
