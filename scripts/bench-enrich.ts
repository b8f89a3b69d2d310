/**
 * `npm run bench:enrich`: what the built-in enrichment costs per article, stage by stage, beside
 * the extraction of the same article from its HTML (the peer: the stage every article already pays).
 *
 *   npm run bench:enrich [-- --rounds=5]
 *
 * Articles come from a seeded generator of English-like news prose of our own (made-up names, places,
 * organisations, numbers and quotes), at 300, 800 and 2,000 words. Each stage runs over the same
 * articles in turns, best of the rounds, after a warm-up; heap growth over a full run is printed.
 */
import { enrich } from '../src/pipeline/enrich/enrich.js'
import { detectLanguage } from '../src/pipeline/enrich/language.js'
import { extractKeyphrases } from '../src/pipeline/enrich/keyphrases.js'
import { extractEntities } from '../src/pipeline/enrich/entities.js'
import { summarize } from '../src/pipeline/enrich/summarize.js'
import { askArticle } from '../src/pipeline/enrich/ask.js'
import { extractArticle } from '../src/pipeline/extract/extract.js'

const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 5)
const PER_SIZE = 40

function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST = ['Imogen', 'Declan', 'Nadia', 'Pieter', 'Tomas', 'Aisha', 'Marek', 'Lena', 'Oskar', 'Ruth']
const LAST = ['Hartley', 'Morrow', 'Ferrant', 'Vance', 'Okafor', 'Lindqvist', 'Baptiste', 'Novak', 'Quill', 'Ashby']
const PLACES = ['Wrenfield', 'Eastmoor', 'Harlow', 'Calder Bay', 'Northgate', 'Kelby', 'Saltmarsh', 'Ivybridge']
const ORGS = ['Ostler & Pike', 'the Harbour Council', 'the Regional Flood Agency', 'Northgate University', 'City Wire', 'the Transport Office']
const NOUNS = ['council', 'barrier', 'tram', 'orchard', 'bridge', 'budget', 'school', 'ferry', 'market', 'hospital', 'road', 'plan', 'vote', 'station', 'harbour', 'report']
const VERBS = ['approved', 'delayed', 'rejected', 'announced', 'funded', 'questioned', 'opened', 'closed', 'reviewed', 'expanded']
const ADJ = ['new', 'old', 'regional', 'temporary', 'long-awaited', 'controversial', 'local', 'national']

function article(rand: () => number, words: number): { title: string; text: string; html: string } {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
  const person = () => `${pick(FIRST)} ${pick(LAST)}`
  const sentence = () => {
    switch (Math.floor(rand() * 5)) {
      case 0: return `${pick(ORGS).replace(/^the/, 'The')} ${pick(VERBS)} the ${pick(ADJ)} ${pick(NOUNS)} in ${pick(PLACES)} on Tuesday, after ${Math.floor(rand() * 900) + 10} residents wrote to ask for it.`
      case 1: return `“We cannot wait another year for the ${pick(NOUNS)},” said ${person()}, who leads the ${pick(NOUNS)} group in ${pick(PLACES)}.`
      case 2: return `The £${Math.floor(rand() * 90) + 2} million ${pick(NOUNS)} will be built by ${pick(ORGS)} and should open in ${2027 + Math.floor(rand() * 4)}.`
      case 3: return `Critics of the ${pick(ADJ)} ${pick(NOUNS)} said the ${pick(NOUNS)} had been ${pick(VERBS)} without a proper ${pick(NOUNS)} review.`
      default: return `${person()} of ${pick(ORGS)} told the meeting that the ${pick(NOUNS)} and the ${pick(NOUNS)} would be ${pick(VERBS)} together.`
    }
  }
  const paragraphs: string[] = []
  let n = 0
  while (n < words) {
    const p = [sentence(), sentence(), sentence()].join(' ')
    paragraphs.push(p)
    n += p.split(/\s+/).length
  }
  const title = `${pick(PLACES)} ${pick(VERBS)} ${pick(ADJ)} ${pick(NOUNS)}`
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Gazette</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>${title}</h1><p class="byline">By ${person()}</p>${paragraphs.map((p) => `<p>${p.replace(/&/g, '&amp;')}</p>`).join('\n')}</article>
<aside><h2>Most read</h2><ul><li><a href="/a">One</a></li><li><a href="/b">Two</a></li></ul></aside><footer>© Gazette</footer></body></html>`
  return { title, text: paragraphs.join('\n'), html }
}

type Doc = ReturnType<typeof article>
const STAGES: [string, (d: Doc) => unknown][] = [
  ['extract (peer)', (d) => extractArticle(d.html, { url: 'https://gazette.example/a' })],
  ['language', (d) => detectLanguage(`${d.title}\n${d.text}`, { declared: 'en' })],
  ['keyphrases', (d) => extractKeyphrases({ title: d.title, text: d.text, lang: 'en' }, { max: 10 })],
  ['entities', (d) => extractEntities({ title: d.title, text: d.text, lang: 'en' })],
  ['summary + key points', (d) => summarize({ title: d.title, text: d.text, lang: 'en' })],
  ['enrich (all of it)', (d) => enrich({ title: d.title, text: d.text, lang: 'en' })],
  ['ask (one question)', (d) => askArticle({ title: d.title, text: d.text, question: 'How much will the new bridge cost?', lang: 'en' })],
]

console.log(`bench:enrich — ${PER_SIZE} synthetic articles per size, best of ${ROUNDS} rounds, Node ${process.version}`)
const heapBefore = process.memoryUsage().heapUsed
for (const words of [300, 800, 2000]) {
  const rand = prng(words)
  const docs = Array.from({ length: PER_SIZE }, () => article(rand, words))
  const best = new Map<string, number>()
  for (const [, f] of STAGES) for (const d of docs.slice(0, 5)) f(d) // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, f] of STAGES) {
      const t0 = process.hrtime.bigint()
      for (const d of docs) f(d)
      const ms = Number(process.hrtime.bigint() - t0) / 1e6 / docs.length
      best.set(name, Math.min(best.get(name) ?? Infinity, ms))
    }
  }
  const peer = best.get('extract (peer)')!
  console.log(`\n${words} words`)
  for (const [name] of STAGES) {
    const ms = best.get(name)!
    console.log(`  ${name.padEnd(22)} ${ms.toFixed(2).padStart(7)} ms/article  ${name === 'extract (peer)' ? '' : `${(ms / peer).toFixed(2)}× extract`}`)
  }
}
if (global.gc) global.gc()
console.log(`\nheap growth over the run: ${((process.memoryUsage().heapUsed - heapBefore) / 1048576).toFixed(1)} MB; RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`)
