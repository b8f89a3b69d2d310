/**
 * The synthetic world of the scale benchmark: made-up words with Zipf frequencies, made-up names that
 * each occur in a handful of articles, and articles that are a pure function of (seed, index), so the
 * loopback publisher, the bulk loader and the query mix all agree without keeping anything in memory.
 * No real text anywhere.
 */

export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d)
  h ^= h >>> 15
  return h >>> 0
}

const ONSET = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'st', 'tr', 'pl', 'gr', 'sh', 'ch', 'th']
const VOWEL = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ea']
const CODA = ['', 'n', 'r', 's', 'l', 'm', 'nd', 'st']
// Names use letters the lexicon never does (j, q, x, y), so a name query matches only the articles given that name.
const NAME_ONSET = ['j', 'q', 'x', 'y', 'jh', 'qu', 'xy']

const SYLLABLES: string[] = []
for (const o of ONSET) for (const v of VOWEL) for (const c of CODA) SYLLABLES.push(o + v + c)

export const LEXICON_SIZE = 30_000
const ZIPF_S = 1.07
const TABLE_BITS = 22

export class Lexicon {
  readonly words: string[]
  private readonly table: Uint16Array

  constructor(seed: number) {
    const rand = prng(seed)
    const seen = new Set<string>()
    const words: string[] = []
    // Short words are the common ones, as in real languages.
    for (let syllables = 1; words.length < LEXICON_SIZE; syllables++) {
      const tries = syllables === 1 ? SYLLABLES.length * 3 : LEXICON_SIZE * 2
      const batch: string[] = []
      for (let t = 0; t < tries && words.length + batch.length < LEXICON_SIZE; t++) {
        let w = ''
        for (let s = 0; s < syllables; s++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)]
        if (!seen.has(w)) { seen.add(w); batch.push(w) }
      }
      words.push(...batch)
    }
    this.words = words
    // Inverse CDF, quantised: a draw is one table look-up.
    const weights = words.map((_, r) => 1 / Math.pow(r + 1, ZIPF_S))
    const total = weights.reduce((a, b) => a + b, 0)
    const size = 1 << TABLE_BITS
    this.table = new Uint16Array(size)
    let acc = 0
    let r = 0
    for (let i = 0; i < size; i++) {
      const u = (i + 0.5) / size
      while (r < words.length - 1 && acc + weights[r]! / total < u) acc += weights[r++]! / total
      this.table[i] = r
    }
  }

  /** A word index drawn with Zipf frequencies (0 is the most common). */
  draw(rand: () => number): number {
    return this.table[(rand() * (1 << TABLE_BITS)) | 0]!
  }
}

/** Name `k` of the pool, capitalised (two or three syllables with an onset the lexicon never uses). */
export function nameOf(k: number): string {
  let x = mix(k, 0x5eed) % 0x7fffffff
  const first = NAME_ONSET[x % NAME_ONSET.length]!
  x = Math.floor(x / NAME_ONSET.length)
  let out = first + VOWEL[x % VOWEL.length]!
  x = Math.floor(x / VOWEL.length)
  out += SYLLABLES[x % SYLLABLES.length]!
  x = Math.floor(x / SYLLABLES.length)
  out += SYLLABLES[x % SYLLABLES.length]!
  // Decimal suffix spelled as letters keeps every pool member distinct without digits in the word.
  let n = k
  do { out += 'abcdefghik'[n % 10]; n = Math.floor(n / 10) } while (n > 0)
  return out[0]!.toUpperCase() + out.slice(1)
}

export interface SynthOptions {
  seed: number
  minWords: number
  maxWords: number
  /** Names are drawn from this many; each article carries two, so a name occurs in about 2·N/pool articles. */
  namePool: number
}

export interface SynthArticle {
  title: string
  /** Paragraphs of plain text; the first names the two people. */
  paragraphs: string[]
  names: string[]
  /** Two tag words for the article (from the common part of the lexicon). */
  tags: string[]
}

const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1)

export function synthArticle(lex: Lexicon, opts: SynthOptions, i: number): SynthArticle {
  const rand = prng(mix(opts.seed, i))
  const names = [nameOf(mix(i, 1) % opts.namePool), nameOf(mix(i, 2) % opts.namePool)]
  const target = opts.minWords + Math.floor(rand() * (opts.maxWords - opts.minWords + 1))
  const titleLen = 5 + Math.floor(rand() * 6)
  const title: string[] = []
  for (let t = 0; t < titleLen; t++) title.push(lex.words[lex.draw(rand)]!)
  title[0] = cap(title[0]!)
  const paragraphs: string[] = []
  let words = 0
  let para: string[] = []
  let sentenceCount = 0
  while (words < target) {
    const len = 8 + Math.floor(rand() * 15)
    const s: string[] = []
    for (let t = 0; t < len; t++) s.push(lex.words[lex.draw(rand)]!)
    if (paragraphs.length === 0 && sentenceCount === 0) s.splice(2, 0, names[0]!, 'and', names[1]!)
    s[0] = cap(s[0]!)
    para.push(s.join(' ') + (rand() < 0.1 ? '?' : '.'))
    words += s.length
    sentenceCount++
    if (sentenceCount >= 2 + Math.floor(rand() * 4)) {
      paragraphs.push(para.join(' '))
      para = []
      sentenceCount = 0
    }
  }
  if (para.length) paragraphs.push(para.join(' '))
  const tags = [lex.words[50 + Math.floor(rand() * 950)]!, lex.words[50 + Math.floor(rand() * 950)]!]
  return { title: title.join(' '), paragraphs, names, tags }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** An article page as a small publisher would serve it: site chrome around one `<article>`. */
export function articlePage(a: SynthArticle, ctx: { site: string; feed: number; published: Date }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(a.title)} | ${esc(ctx.site)}</title>
<meta name="author" content="${esc(a.names[0]!)}"><meta property="article:published_time" content="${ctx.published.toISOString()}"></head>
<body><header><a href="/">${esc(ctx.site)}</a><nav><a href="/news">News</a> <a href="/about">About</a></nav></header>
<main><article><h1>${esc(a.title)}</h1><p class="byline">By ${esc(a.names[0]!)}</p>
${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</article></main><footer><p>${esc(ctx.site)} is published by outlet ${ctx.feed}. All rights reserved.</p></footer></body></html>`
}
