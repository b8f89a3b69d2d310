/**
 * Speed, memory and recall of near-duplicate detection and story clustering, on synthetic articles.
 * Figures only (no pass/fail exit code), checked against the bar:
 *
 *   npm run bench:cluster [-- --quick] [--serial] [--only=dedup,stream,pairs] [--sizes=10000,100000] [--stream-sizes=10000,100000]
 *
 * --quick stops the index at 100k. In a full run the ClusterStream part (the slowest, bound by story
 * clustering) runs in a child process on the second core while this process measures the index and
 * the pairs; --serial runs it here afterwards instead (longer, but nothing shares the machine's cache).
 *
 * The articles come from a seeded generator: a lexicon of made-up words with Zipf frequencies, made-up
 * names and numbers, events that several writers report (sharing names, numbers, topic words and a
 * quote, not sentences), publishers with their own header and footer boilerplate, and 5% syndicated
 * copies of an earlier article (other boilerplate, and often cut, given an intro or a new headline).
 *
 * 1. DedupIndex: fingerprint + lookup + add of 10k real article texts, timed at index sizes 10k, 100k
 *    and 1M (10k/100k with --quick). Between the windows the index is filled with articles from the
 *    same generator whose signatures are computed straight from their token ids (the same shingles as
 *    the text would give, which is checked on a sample first) so that 1M is reached in about a minute.
 * 2. Memory at each size: RSS, heap used, DedupIndex.bytes() and bytes per article.
 * 3. Recall: share of planted copies found (matched to their original or another copy of it) and
 *    false duplicates among the other articles, over every article that was looked up.
 * 4. ClusterStream (dedup + story clustering) in time order, windows at 10k and 100k articles.
 * 5. MinHash (DEFAULT_DUPLICATE_POLICY over the LSH bands) against a 64-bit SimHash (Hamming ≤ 3 and
 *    ≤ 6) on synthetic pairs, and the fingerprinting speed of each.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ClusterStream } from '../src/pipeline/cluster/cluster-stream.js'
import { DEFAULT_DUPLICATE_POLICY, DedupIndex, fingerprint, type Fingerprint } from '../src/pipeline/dedup/dedup-index.js'
import { BANDS, ROWS, containmentFromJaccard, estimateJaccard, minhash } from '../src/pipeline/dedup/minhash.js'
import { SHINGLE_WORDS, hashString, mix32, shingleSet, tokens } from '../src/pipeline/dedup/shingles.js'
import { hammingDistance, simhash, type SimHash64 } from '../src/pipeline/dedup/simhash.js'

const QUICK = process.argv.includes('--quick')
const SIZES = process.argv.find((a) => a.startsWith('--sizes='))?.slice(8).split(',').map(Number) ?? (QUICK ? [10_000, 100_000] : [10_000, 100_000, 1_000_000])
const WINDOW = 10_000
const STREAM_SIZES = process.argv.find((a) => a.startsWith('--stream-sizes='))?.slice(15).split(',').map(Number) ?? [10_000, 100_000]
const STREAM_WINDOW = 5_000
const PAIRS = 400
const COPY_SHARE = 0.05
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',')
const want = (part: 'dedup' | 'stream' | 'pairs') => !ONLY || ONLY.includes(part)

// ---------------------------------------------------------------------------------------------
// The synthetic world

function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Every token a generated text can hold: words as written, and the hash `tokens` + `hashString` give them. */
class Lexicon {
  readonly written: string[] = []
  readonly hash: number[] = []
  private readonly seen = new Map<string, number>()

  tryAdd(w: string): number {
    if (this.seen.has(w.toLowerCase())) return -1
    this.seen.set(w.toLowerCase(), this.written.length)
    this.written.push(w)
    this.hash.push(hashString(w.toLowerCase()))
    return this.written.length - 1
  }

  /** The id of a word, added if new. */
  id(w: string): number {
    return this.seen.get(w.toLowerCase()) ?? this.tryAdd(w)
  }
}

const ONSET = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'st', 'tr', 'pl', 'gr', 'sh', 'ch', 'th']
const VOWEL = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ea']
const CODA = ['', '', '', 'n', 'r', 's', 'l', 'm', 'nd', 'st']

interface World {
  lex: Lexicon
  /** Lexicon ids of the vocabulary, most frequent first, and their cumulative Zipf weights. */
  vocab: number[]
  cumulative: Float64Array
  rare: number[]
  names: number[]
  numbers: number[]
  /** Real English words a sentence starts with (so that, as in real copy, a capital after a full stop is rarely a name). */
  starters: number[]
  /** Per publisher: header and footer sentences. */
  publishers: { header: number[][]; footer: number[][] }[]
}

function makeWorld(seed: number): World {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const lex = new Lexicon()
  const word = (syllables: number) => {
    let w = ''
    for (let i = 0; i < syllables; i++) w += pick(ONSET) + pick(VOWEL) + (i === syllables - 1 ? pick(CODA) : '')
    return w
  }
  const vocab: number[] = []
  while (vocab.length < 4000) {
    const id = lex.tryAdd(word(vocab.length < 60 ? 1 : 1 + Math.floor(rnd() * 3)))
    if (id >= 0) vocab.push(id)
  }
  const cumulative = new Float64Array(vocab.length)
  let total = 0
  for (let r = 0; r < vocab.length; r++) cumulative[r] = total += 1 / Math.pow(r + 2, 1.05)
  // Words a story brings with it (places, things, jargon): each event draws its topic from these, so
  // that, as in real news, what tells one story from another is rare in the rest of the stream.
  const rare: number[] = []
  while (rare.length < 40_000) {
    const id = lex.tryAdd(word(2 + Math.floor(rnd() * 3)))
    if (id >= 0) rare.push(id)
  }
  const names: number[] = []
  while (names.length < 20_000) {
    const w = word(2 + Math.floor(rnd() * 2))
    const id = lex.tryAdd(w[0]!.toUpperCase() + w.slice(1))
    if (id >= 0) names.push(id)
  }
  const numbers: number[] = []
  for (let n = 2; n < 1200; n++) numbers.push(lex.tryAdd(String(n)))
  const starters = ['the', 'in', 'after', 'but', 'it', 'this', 'when', 'there', 'as', 'on', 'for', 'by', 'with', 'they', 'he', 'she', 'we', 'officials', 'residents'].map((x) => lex.id(x))
  const world: World = { lex, vocab, cumulative, rare, names, numbers, starters, publishers: [] }
  const sentence = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? pick(starters) : zipfWord(world, rnd)))
  for (let p = 0; p < 60; p++) {
    const site = pick(names)
    world.publishers.push({
      header: [[site, ...sentence(3 + Math.floor(rnd() * 5))], sentence(4 + Math.floor(rnd() * 8))],
      footer: [sentence(8 + Math.floor(rnd() * 10)), [site, ...sentence(6 + Math.floor(rnd() * 10))], sentence(5 + Math.floor(rnd() * 12))],
    })
  }
  return world
}

function zipfWord(w: World, rnd: () => number): number {
  const u = rnd() * w.cumulative[w.cumulative.length - 1]!
  let lo = 0
  let hi = w.cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (w.cumulative[mid]! < u) lo = mid + 1
    else hi = mid
  }
  return w.vocab[lo]!
}

interface Event {
  id: number
  names: number[]
  numbers: number[]
  topic: number[]
  quote: number[]
  speaker: number
  ends: number
}

interface Article {
  id: number
  time: number
  publisher: number
  event: number
  title: number[]
  /** Paragraphs of sentences of lexicon ids; a sentence that is an event's quote is the same array. */
  paras: number[][][]
  quote: number[] | null
  speaker: number
  /** The article this one is a syndicated copy of, or -1. */
  copyOf: number
}

/** The generator: an endless, deterministic stream of articles in time order. */
class Newsroom {
  private readonly rnd: () => number
  private readonly events: Event[] = []
  private readonly recent: Article[] = []
  private nextId = 0
  private nextEvent = 0
  time: number

  constructor(private readonly w: World, seed: number, opts: { start?: number } = {}) {
    this.rnd = prng(seed)
    this.time = opts.start ?? Date.UTC(2026, 0, 1)
  }

  next(): Article {
    const r = this.rnd
    this.time += Math.round(-Math.log(1 - r()) * 30_000) // one article every 30 s on average
    if (this.recent.length > 50 && r() < COPY_SHARE) return this.copy(this.recent[Math.floor(r() * this.recent.length)]!)
    const ev = this.event()
    const a: Article = { id: this.nextId++, time: this.time, publisher: Math.floor(r() * this.w.publishers.length), event: ev.id, title: this.title(ev), paras: [], quote: null, speaker: ev.speaker, copyOf: -1 }
    const target = 300 + Math.floor(r() * 500)
    let words = 0
    const withQuote = r() < 0.5
    while (words < target) {
      const para: number[][] = []
      const n = 2 + Math.floor(r() * 4)
      for (let i = 0; i < n && words < target; i++) {
        const s = withQuote && a.quote === null && a.paras.length === 1 ? ev.quote : this.sentence(ev)
        if (s === ev.quote) a.quote = s
        para.push(s)
        words += s.length
      }
      a.paras.push(para)
    }
    this.remember(a)
    return a
  }

  /** A syndicated copy on another site: other boilerplate, and maybe cut, an added intro, a new headline. */
  copy(o: Article, kind?: 'boilerplate' | 'cut60' | 'cut40' | 'intro' | 'headline'): Article {
    const r = this.rnd
    const ev = this.events.find((e) => e.id === o.event) ?? this.event()
    let publisher = (o.publisher + 1 + Math.floor(r() * (this.w.publishers.length - 1))) % this.w.publishers.length
    let paras = o.paras
    let title = o.title
    const cut = (share: number) => {
      const total = o.paras.reduce((n, p) => n + p.reduce((m, s) => m + s.length, 0), 0)
      const out: number[][][] = []
      let kept = 0
      for (const p of o.paras) {
        const q: number[][] = []
        for (const s of p) if (kept < share * total) { q.push(s); kept += s.length }
        if (q.length > 0) out.push(q)
      }
      return out
    }
    const intro = () => [[this.sentence(ev), this.sentence(ev), this.sentence(ev)], ...paras]
    if (kind === undefined) {
      if (r() < 0.4) paras = cut(0.4 + r() * 0.5)
      if (r() < 0.3) paras = intro()
      if (r() < 0.4) title = this.title(ev)
    } else {
      if (kind !== 'boilerplate') publisher = o.publisher
      if (kind === 'cut60') paras = cut(0.6)
      if (kind === 'cut40') paras = cut(0.4)
      if (kind === 'intro') paras = intro()
      if (kind === 'headline') title = this.title(ev)
    }
    return { ...o, id: this.nextId++, time: this.time, publisher, title, paras, copyOf: o.copyOf >= 0 ? o.copyOf : o.id }
  }

  /** Another writer's report of the same event: same names, numbers, topic and quote, own sentences. */
  sameEvent(o: Article): Article {
    const ev = this.events.find((e) => e.id === o.event)!
    for (;;) {
      const a = this.next()
      if (a.copyOf >= 0) continue
      const paras = a.paras.map((p) => p.map(() => this.sentence(ev)))
      if (o.quote) paras[Math.min(1, paras.length - 1)]!.push(o.quote)
      return { ...a, event: ev.id, title: this.title(ev), paras, quote: o.quote, speaker: o.speaker }
    }
  }

  private remember(a: Article): void {
    this.recent.push(a)
    if (this.recent.length > 5000) this.recent.splice(0, 1000)
  }

  private event(): Event {
    const r = this.rnd
    while (this.events.length > 0 && this.events[0]!.ends < this.time) this.events.shift()
    if (this.events.length === 0 || r() < 0.25) {
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!
      const names = Array.from({ length: 3 + Math.floor(r() * 4) }, () => pick(this.w.names))
      const ev: Event = {
        id: this.nextEvent++,
        names,
        numbers: Array.from({ length: 2 + Math.floor(r() * 2) }, () => pick(this.w.numbers)),
        topic: Array.from({ length: 25 }, (_, i) => (i < 15 ? pick(this.w.rare) : this.w.vocab[200 + Math.floor(r() * (this.w.vocab.length - 200))]!)),
        quote: [],
        speaker: names[0]!,
        ends: this.time + (12 + r() * 36) * 3_600_000,
      }
      ev.quote = this.sentence(ev)
      this.events.push(ev)
      if (this.events.length > 400) this.events.shift()
      return ev
    }
    return this.events[this.events.length - 1 - Math.floor(r() * Math.min(200, this.events.length))]!
  }

  private sentence(ev: Event): number[] {
    const r = this.rnd
    const n = 8 + Math.floor(r() * 20)
    const s = new Array<number>(n)
    for (let i = 0; i < n; i++) {
      const u = r()
      s[i] = i === 0 ? (u < 0.75 ? this.w.starters[Math.floor(r() * this.w.starters.length)]! : ev.names[Math.floor(r() * ev.names.length)]!)
        : u < 0.12 ? ev.topic[Math.floor(r() * ev.topic.length)]!
        : u < 0.17 ? ev.names[Math.floor(r() * ev.names.length)]!
          : u < 0.19 ? ev.numbers[Math.floor(r() * ev.numbers.length)]!
            : zipfWord(this.w, r)
    }
    return s
  }

  private title(ev: Event): number[] {
    const r = this.rnd
    const n = 6 + Math.floor(r() * 7)
    return Array.from({ length: n }, (_, i) => (i === 0 ? ev.names[Math.floor(r() * ev.names.length)]! : r() < 0.5 ? ev.topic[Math.floor(r() * ev.topic.length)]! : zipfWord(this.w, r)))
  }
}

function renderSentence(w: World, s: readonly number[], quote: boolean, speaker: number): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const x = w.lex.written[s[i]!]!
    out += i === 0 ? x[0]!.toUpperCase() + x.slice(1) : ' ' + x
  }
  return quote ? `“${out},” ${w.lex.written[speaker]} said.` : out + '.'
}

/** The article as the pipeline sees it: title, and a body with the publisher's header and footer. */
function render(w: World, a: Article): { title: string; text: string } {
  const pub = w.publishers[a.publisher]!
  const block = (ss: number[][]) => ss.map((s) => renderSentence(w, s, s === a.quote, a.speaker)).join(' ')
  const title = a.title.map((x) => w.lex.written[x]!).join(' ')
  const text = [block(pub.header), ...a.paras.map(block), block(pub.footer)].join('\n\n')
  return { title: title[0]!.toUpperCase() + title.slice(1), text }
}

function renderFull(w: World, a: Article): string {
  const { title, text } = render(w, a)
  return `${title}\n${text}`
}

/** The token ids of `renderFull` in order (a quote's speaker and "said" are not lexicon words, so they are added here). */
function tokenHashes(w: World, a: Article, said: number): Uint32Array {
  const pub = w.publishers[a.publisher]!
  let n = a.title.length
  const sentences: number[][] = [...pub.header, ...a.paras.flat(), ...pub.footer]
  for (const s of sentences) n += s.length + (s === a.quote ? 2 : 0)
  const out = new Uint32Array(n)
  let k = 0
  for (const x of a.title) out[k++] = w.lex.hash[x]!
  for (const s of sentences) {
    for (const x of s) out[k++] = w.lex.hash[x]!
    if (s === a.quote) { out[k++] = w.lex.hash[a.speaker]!; out[k++] = said }
  }
  return out
}

/** What `fingerprint(renderFull(a))` gives, without building and tokenising the text: the fill's shortcut. */
function fingerprintFromHashes(hs: Uint32Array): Fingerprint {
  const set = new Set<number>()
  for (let i = 0; i + SHINGLE_WORDS <= hs.length; i++) set.add(mix32(mix32(mix32(hs[i]!) ^ hs[i + 1]!) + 0x9e3779b9 ^ hs[i + 2]!))
  const shingles = Uint32Array.from(set)
  return { signature: minhash(shingles), shingles: shingles.length }
}

// ---------------------------------------------------------------------------------------------
// Measuring

const mb = (n: number) => (n / 1048576).toFixed(0)
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d })
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]! }
const log = (s: string) => process.stderr.write(s + '\n')

interface Window { size: number; perSecond: number; meanUs: number; medianBatchUs: number; rssMb: number; heapMb: number; indexMb: number; bytesPerArticle: number }

const world = makeWorld(1)
const SAID = hashString('said')
const started = performance.now()

// Sanity: the fill's shortcut gives exactly the signature the text would.
{
  const room = new Newsroom(world, 99)
  for (let i = 0; i < 300; i++) {
    const a = room.next()
    const x = fingerprint(renderFull(world, a))
    const y = fingerprintFromHashes(tokenHashes(world, a, SAID))
    if (x.shingles !== y.shingles || x.signature.some((v, j) => v !== y.signature[j])) throw new Error(`bench-cluster: fill shortcut differs from fingerprint() on article ${i}`)
  }
}

// The ClusterStream part takes longest and shares nothing with the others: in a full run it goes to a
// child process on the second core while this one measures the index (--serial keeps it here, after).
const CHILD = process.argv.includes('--child')
const streamChild: Promise<StreamFigures> | null = want('stream') && !CHILD && !process.argv.includes('--serial') && (!ONLY || ONLY.length > 1)
  ? new Promise((resolve, reject) => {
    const args = [...process.argv.slice(2).filter((x) => !x.startsWith('--only=')), '--only=stream', '--child']
    const child = fork(fileURLToPath(import.meta.url), args, { execArgv: process.execArgv })
    child.once('message', (m) => resolve(m as StreamFigures))
    child.once('exit', (code) => reject(new Error(`bench-cluster: the ClusterStream child exited with ${code}`)))
  })
  : null

// 1–3. DedupIndex at growing sizes.
const dedupWindows: Window[] = []
const recall = { copies: 0, found: 0, others: 0, falseDup: 0, fillSeconds: 0, filled: 0 }
if (want('dedup') && !CHILD) {
  const room = new Newsroom(world, 7)
  const index = new DedupIndex<number>()
  const origin: number[] = []
  const check = (a: Article, match: { key: number } | null) => {
    if (a.copyOf >= 0) {
      recall.copies++
      if (match && (origin[match.key] ?? match.key) === a.copyOf) recall.found++
    } else {
      recall.others++
      if (match) recall.falseDup++
    }
  }
  const real = (n: number, timed: boolean) => {
    const batch: { a: Article; text: string }[] = []
    for (let i = 0; i < n; i++) { const a = room.next(); batch.push({ a, text: renderFull(world, a) }) }
    const batchUs: number[] = []
    const t0 = performance.now()
    let tb = t0
    for (let i = 0; i < batch.length; i++) {
      const { a, text } = batch[i]!
      const fp = fingerprint(text)
      const match = index.lookup(fp)
      index.add(a.id, fp)
      origin[a.id] = a.copyOf >= 0 ? a.copyOf : a.id
      check(a, match)
      if ((i + 1) % 1000 === 0) { const t = performance.now(); batchUs.push(((t - tb) * 1000) / 1000); tb = t }
    }
    const seconds = (performance.now() - t0) / 1000
    return { seconds, batchUs }
  }
  for (const size of SIZES) {
    if (index.size === 0) real(size, false)
    else {
      const t0 = performance.now()
      const n = size - index.size
      for (let i = 0; i < n; i++) {
        const a = room.next()
        index.add(a.id, fingerprintFromHashes(tokenHashes(world, a, SAID)))
        origin[a.id] = a.copyOf >= 0 ? a.copyOf : a.id
      }
      recall.fillSeconds += (performance.now() - t0) / 1000
      recall.filled += n
    }
    const { seconds, batchUs } = real(WINDOW, true)
    const m = process.memoryUsage()
    dedupWindows.push({
      size, perSecond: WINDOW / seconds, meanUs: (seconds * 1e6) / WINDOW, medianBatchUs: median(batchUs),
      rssMb: m.rss / 1048576, heapMb: m.heapUsed / 1048576, indexMb: index.bytes() / 1048576, bytesPerArticle: index.bytes() / index.size,
    })
    log(`dedup window at ${fmt(size)}: ${fmt(WINDOW / seconds)}/s (${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`)
  }
}

// 4. ClusterStream in time order.
interface StreamWindow { size: number; perSecond: number; meanUs: number; medianBatchUs: number; duplicates: number; rssMb: number }
interface StreamFigures { windows: StreamWindow[]; fillSeconds: number }

function runStream(): StreamFigures {
  const windows: StreamWindow[] = []
  let fillSeconds = 0
  const room = new Newsroom(world, 11)
  const stream = new ClusterStream()
  let added = 0
  for (const size of STREAM_SIZES) {
    const t0 = performance.now()
    while (added < size) {
      const a = room.next()
      const { title, text } = render(world, a)
      stream.add({ id: String(a.id), title, text, time: a.time })
      added++
    }
    fillSeconds += (performance.now() - t0) / 1000
    const batch = Array.from({ length: STREAM_WINDOW }, () => { const a = room.next(); return { id: String(a.id), ...render(world, a), time: a.time } })
    const batchUs: number[] = []
    let duplicates = 0
    const t1 = performance.now()
    let tb = t1
    for (let i = 0; i < batch.length; i++) {
      if (stream.add(batch[i]!).duplicateOf !== null) duplicates++
      if ((i + 1) % 500 === 0) { const t = performance.now(); batchUs.push(((t - tb) * 1000) / 500); tb = t }
    }
    const seconds = (performance.now() - t1) / 1000
    added += STREAM_WINDOW
    windows.push({ size, perSecond: STREAM_WINDOW / seconds, meanUs: (seconds * 1e6) / STREAM_WINDOW, medianBatchUs: median(batchUs), duplicates, rssMb: process.memoryUsage().rss / 1048576 })
    log(`stream window at ${fmt(size)}: ${fmt(STREAM_WINDOW / seconds)}/s (${((performance.now() - started) / 1000).toFixed(0)} s elapsed)`)
  }
  return { windows, fillSeconds }
}

let streamFigures: StreamFigures | null = null
if (want('stream') && !streamChild && !CHILD) streamFigures = runStream()
if (CHILD) process.send!(runStream(), () => process.exit(0))

// 5. MinHash against SimHash on pairs.
const KINDS = ['boilerplate', 'cut60', 'cut40', 'intro', 'headline', 'same event', 'unrelated'] as const
const KIND_LABEL: Record<(typeof KINDS)[number], string> = {
  boilerplate: 'other boilerplate', cut60: 'cut to 60%', cut40: 'cut to 40%', intro: 'added intro paragraph',
  headline: 'rewritten headline', 'same event': 'same event, other writer', unrelated: 'unrelated article',
}

/** What DedupIndex.lookup decides for one pair: a shared LSH band, then the policy. */
function minhashMatch(a: Fingerprint, b: Fingerprint): { match: boolean; containment: number } {
  const p = DEFAULT_DUPLICATE_POLICY
  const j = estimateJaccard(a.signature, b.signature)
  const c = containmentFromJaccard(j, a.shingles, b.shingles)
  let band = false
  for (let k = 0; k < BANDS && !band; k++) {
    let same = true
    for (let r = 0; r < ROWS; r++) if (a.signature[k * ROWS + r] !== b.signature[k * ROWS + r]) same = false
    band = same
  }
  return { match: band && a.shingles >= p.minShingles && b.shingles >= p.minShingles && j >= p.minJaccard && c >= p.minContainment, containment: c }
}

const pairRows: { kind: string; minhash: number; sim3: number; sim6: number; medianContainment: number; medianHamming: number }[] = []
let speed = { minhashPerSecond: 0, simhashPerSecond: 0, shinglesPerSecond: 0 }
if (want('pairs') && !CHILD) {
  const room = new Newsroom(world, 23)
  const texts: string[] = []
  for (const kind of KINDS) {
    let mh = 0, s3 = 0, s6 = 0
    const cs: number[] = []
    const hs: number[] = []
    for (let i = 0; i < PAIRS; i++) {
      let o = room.next()
      while (o.copyOf >= 0) o = room.next()
      const b = kind === 'same event' ? room.sameEvent(o) : kind === 'unrelated' ? room.next() : room.copy(o, kind)
      const ta = renderFull(world, o)
      const tb = renderFull(world, b)
      texts.push(ta, tb)
      const sa = shingleSet(tokens(ta))
      const sb = shingleSet(tokens(tb))
      const m = minhashMatch({ signature: minhash(sa), shingles: sa.length }, { signature: minhash(sb), shingles: sb.length })
      const d = hammingDistance(simhash(sa), simhash(sb))
      if (m.match) mh++
      if (d <= 3) s3++
      if (d <= 6) s6++
      cs.push(m.containment)
      hs.push(d)
    }
    pairRows.push({ kind: KIND_LABEL[kind], minhash: mh / PAIRS, sim3: s3 / PAIRS, sim6: s6 / PAIRS, medianContainment: median(cs), medianHamming: median(hs) })
  }
  // Speed: the same texts through shingling alone, then + MinHash, then + SimHash (3 rounds, best).
  const sets = texts.map((t) => shingleSet(tokens(t)))
  const best = (f: () => void) => { let b = Infinity; for (let r = 0; r < 3; r++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t) } return b / 1000 }
  let sink = 0
  const tShingle = best(() => { for (const t of texts) sink += shingleSet(tokens(t)).length })
  const tMin = best(() => { for (const s of sets) sink += minhash(s)[0]! })
  const tSim = best(() => { for (const s of sets) sink += simhash(s).lo })
  if (sink === 0.5) log('')
  speed = { shinglesPerSecond: texts.length / tShingle, minhashPerSecond: texts.length / (tShingle + tMin), simhashPerSecond: texts.length / (tShingle + tSim) }
}

// ---------------------------------------------------------------------------------------------
// The table

const out: string[] = []
const row = (cells: (string | number)[], widths: number[]) => out.push(cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  '))
out.push(`bench:cluster${QUICK ? ' --quick' : ''} — synthetic articles (300–800 words, ${COPY_SHARE * 100}% syndicated copies), Node ${process.version}, one core`)
out.push('')
if (dedupWindows.length > 0) {
  out.push(`DedupIndex: fingerprint + lookup + add, ${fmt(WINDOW)} real texts timed at each index size`)
  const w1 = [12, 11, 9, 13, 8, 9, 10, 12]
  row(['index size', 'articles/s', 'µs/insert', 'median µs/1k', 'RSS MB', 'heap MB', 'index MB', 'bytes/article'], w1)
  for (const w of dedupWindows) row([fmt(w.size), fmt(w.perSecond), fmt(w.meanUs, 1), fmt(w.medianBatchUs, 1), fmt(w.rssMb), fmt(w.heapMb), fmt(w.indexMb), fmt(w.bytesPerArticle)], w1)
  const first = dedupWindows[0]!
  const last = dedupWindows[dedupWindows.length - 1]!
  const ratio = last.meanUs / first.meanUs
  const slowest = Math.min(...dedupWindows.map((w) => w.perSecond))
  out.push(`cost ratio ${fmt(last.size)}/${fmt(first.size)}: ${ratio.toFixed(2)}× (bar ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'}); slowest window ${fmt(slowest)}/s (bar ≥ 3,000/s: ${slowest >= 3000 ? 'met' : 'NOT met'})`)
  out.push(`fill between windows: ${fmt(recall.filled)} articles in ${recall.fillSeconds.toFixed(1)} s (signatures from token ids, checked equal to fingerprint() on 300 texts)`)
  out.push(`recall over ${fmt(recall.copies + recall.others)} looked-up articles: planted copies found ${recall.found}/${recall.copies} = ${((100 * recall.found) / recall.copies).toFixed(1)}%; false duplicates ${recall.falseDup}/${recall.others} = ${((100 * recall.falseDup) / recall.others).toFixed(2)}%`)
  out.push('')
}
if (streamChild) streamFigures = await streamChild
if (streamFigures) {
  const sw = streamFigures.windows
  out.push(`ClusterStream (dedup + story clustering, 72 h window, one article per 30 s): ${fmt(STREAM_WINDOW)} articles timed at each size${streamChild ? ' (child process, second core)' : ''}`)
  const w2 = [12, 11, 9, 13, 11, 8]
  row(['articles in', 'articles/s', 'µs/insert', 'median µs/500', 'copies seen', 'RSS MB'], w2)
  for (const w of sw) row([fmt(w.size), fmt(w.perSecond), fmt(w.meanUs, 1), fmt(w.medianBatchUs, 1), w.duplicates, fmt(w.rssMb)], w2)
  const sr = sw[sw.length - 1]!.meanUs / sw[0]!.meanUs
  out.push(`cost ratio ${fmt(sw[sw.length - 1]!.size)}/${fmt(sw[0]!.size)}: ${sr.toFixed(2)}× (fill ${streamFigures.fillSeconds.toFixed(1)} s)`)
  out.push('')
}
if (pairRows.length > 0) {
  out.push(`MinHash (DEFAULT_DUPLICATE_POLICY: containment ≥ ${DEFAULT_DUPLICATE_POLICY.minContainment}, Jaccard ≥ ${DEFAULT_DUPLICATE_POLICY.minJaccard}, shared band) vs 64-bit SimHash, ${PAIRS} pairs each`)
  const w3 = [26, 8, 10, 10, 14, 14]
  row(['pair', 'MinHash', 'SimHash≤3', 'SimHash≤6', 'median contain', 'median Hamming'], w3)
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`
  for (const r of pairRows) row([r.kind, pct(r.minhash), pct(r.sim3), pct(r.sim6), r.medianContainment.toFixed(2), r.medianHamming], w3)
  out.push(`fingerprint speed (tokens + shingles + signature): MinHash-60 ${fmt(speed.minhashPerSecond)}/s, SimHash-64 ${fmt(speed.simhashPerSecond)}/s (shingling alone ${fmt(speed.shinglesPerSecond)}/s)`)
}
out.push(`total ${((performance.now() - started) / 1000).toFixed(0)} s`)
if (!CHILD) console.log(out.join('\n'))
