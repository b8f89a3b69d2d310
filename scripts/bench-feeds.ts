/**
 * Speed of our feed parser against rss-parser 3.13 on the same files, in the same run. Figures only:
 *
 *   node --import tsx scripts/bench-feeds.ts [--rounds N]
 *
 * Sets: the feedparser test files (../shared/eval/feedparser-tests/, when present) that both parsers
 * read as RSS/RDF/Atom, UTF-8 inputs only so that rss-parser's string gets the right text; plus synthetic
 * 500-item RSS 2.0 and Atom 1.0 feeds, because the corpus files are tiny (median 289 bytes).
 * Both are timed from the same bytes: ours through `parseFeedBytes` (charset detection included, as ingest
 * runs it), rss-parser through `parseString(bytes.toString('utf8'))`, the decode any pipeline feeding it
 * must also do (UTF-8 only: rss-parser has no charset handling). Each parser runs in its own child process so
 * that peak RSS belongs to it alone; the children take turns set by set, so that both meet the same load.
 * Each rate is the best of the rounds: on a shared machine other processes only ever slow a round down, so
 * the fastest one is the least disturbed measurement of each parser.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = resolve(import.meta.dirname, '..')
const CASES = resolve(ROOT, '../shared/eval/feedparser-tests/cases.jsonl')
const ENGINES = ['ours', 'rss-parser'] as const
type Engine = (typeof ENGINES)[number]

interface FeedSet { name: string; files: Buffer[]; repeat: number }

function synthetic(kind: 'rss' | 'atom', items: number): Buffer {
  const day = (i: number): Date => new Date(Date.UTC(2026, 0, 1) - i * 3_600_000)
  const body = (i: number): string =>
    `<p>Paragraph one of story ${i}, with <a href="/story/${i}">a relative link</a> &amp; an entity.</p>` +
    `<p>Paragraph two: ${'lorem ipsum dolor sit amet '.repeat(8)}</p><img src="https://cdn.example.com/${i}.jpg" alt="">`
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const parts: string[] = []
  if (kind === 'rss') {
    parts.push('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel><title>Synthetic RSS</title><link>https://example.com/</link><description>Bench feed</description><language>en</language>\n')
    for (let i = 0; i < items; i++) {
      parts.push(
        `<item><title>Story ${i}: something happened &amp; more</title><link>https://example.com/story/${i}</link>` +
          `<guid isPermaLink="false">tag:example.com,2026:${i}</guid><pubDate>${day(i).toUTCString()}</pubDate>` +
          `<dc:creator>Author ${i % 7}</dc:creator><category>Topic ${i % 5}</category><category>World</category>` +
          `<description>${esc(`Summary of story ${i} with <b>markup</b>.`)}</description>` +
          `<content:encoded><![CDATA[${body(i)}]]></content:encoded>` +
          `<enclosure url="https://cdn.example.com/${i}.mp3" length="123456" type="audio/mpeg"/></item>\n`,
      )
    }
    parts.push('</channel></rss>\n')
  } else {
    parts.push('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Synthetic Atom</title><link href="https://example.com/"/><id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id><updated>2026-01-01T00:00:00Z</updated>\n')
    for (let i = 0; i < items; i++) {
      parts.push(
        `<entry><title type="html">Story ${i}: something happened &amp;amp; more</title><link rel="alternate" href="https://example.com/story/${i}"/>` +
          `<id>tag:example.com,2026:${i}</id><published>${day(i).toISOString()}</published><updated>${day(i).toISOString()}</updated>` +
          `<author><name>Author ${i % 7}</name><email>a${i % 7}@example.com</email></author><category term="topic-${i % 5}"/>` +
          `<summary type="html">${esc(`Summary of story ${i} with <b>markup</b>.`)}</summary>` +
          `<content type="html">${esc(body(i))}</content>` +
          `<link rel="enclosure" href="https://cdn.example.com/${i}.mp3" length="123456" type="audio/mpeg"/></entry>\n`,
      )
    }
    parts.push('</feed>\n')
  }
  return Buffer.from(parts.join(''), 'utf8')
}

/** The corpus files that both parsers read as a feed; decided in the parent so that both children get the same list. */
async function corpusFiles(): Promise<Buffer[]> {
  if (!existsSync(CASES)) return []
  const { parseFeedBytes } = await import('../src/pipeline/parse/parse-feed.js')
  const { default: Parser } = await import('rss-parser')
  const parser = new Parser()
  const out: Buffer[] = []
  for (const line of readFileSync(CASES, 'utf8').trim().split('\n')) {
    const c = JSON.parse(line) as { input: { kind: string; text?: string } }
    if (c.input.kind !== 'utf8' || c.input.text === undefined) continue
    const bytes = Buffer.from(c.input.text, 'utf8')
    const ours = parseFeedBytes(new Uint8Array(bytes), { url: null })
    if (!ours.ok || ours.value.format === 'json') continue
    try {
      await parser.parseString(c.input.text)
    } catch {
      continue
    }
    out.push(bytes)
  }
  return out
}

async function loadSets(): Promise<FeedSet[]> {
  const corpus = await corpusFiles()
  return [
    ...(corpus.length > 0 ? [{ name: 'feedparser corpus files', files: corpus, repeat: 3 }] : []),
    { name: 'synthetic RSS 2.0, 500 items', files: [synthetic('rss', 500)], repeat: 20 },
    { name: 'synthetic Atom 1.0, 500 items', files: [synthetic('atom', 500)], repeat: 20 },
  ]
}

async function runner(engine: Engine): Promise<(bytes: Buffer) => Promise<unknown> | unknown> {
  if (engine === 'ours') {
    const { parseFeedBytes } = await import('../src/pipeline/parse/parse-feed.js')
    return (bytes) => {
      const r = parseFeedBytes(bytes, { url: 'https://example.com/feed' })
      if (!r.ok) throw new Error(`bench: ours rejected a file: ${r.error.message}`)
      return r
    }
  }
  const { default: Parser } = await import('rss-parser')
  const parser = new Parser()
  return (bytes) => parser.parseString(bytes.toString('utf8'))
}

interface Round { seconds: number; files: number; peakRss: number }

/** Child mode: load one parser, warm it up, then time one round over the set the parent names each time it asks. */
async function child(engine: Engine): Promise<void> {
  const sets = await new Promise<Array<{ files: string[]; repeat: number }>>((ok) => process.once('message', (m) => ok(m as Array<{ files: string[]; repeat: number }>)))
  const data = sets.map((s) => ({ repeat: s.repeat, files: s.files.map((b64) => Buffer.from(b64, 'base64')) }))
  const run = await runner(engine)
  for (const s of data) for (const f of s.files.slice(0, 50)) await run(f) // warm-up
  let peakRss = process.memoryUsage().rss
  process.on('message', async (k) => {
    const s = data[k as number]!
    const started = performance.now()
    for (let r = 0; r < s.repeat; r++) {
      for (const f of s.files) await run(f)
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }
    const seconds = (performance.now() - started) / 1000
    process.send!({ seconds, files: s.files.length * s.repeat, peakRss: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) } satisfies Round)
  })
  process.send!('ready')
}

async function start(engine: Engine, self: string, sets: FeedSet[]): Promise<ChildProcess> {
  // `node --cpu-prof --import tsx scripts/bench-feeds.ts` profiles each child too (one .cpuprofile per process).
  const profiling = process.execArgv.filter((a) => a.startsWith('--cpu-prof'))
  const c = fork(self, ['--child', engine], { cwd: ROOT, execArgv: ['--import', 'tsx', ...profiling] })
  const ready = new Promise<ChildProcess>((ok, fail) => {
    c.once('message', () => ok(c))
    c.once('error', fail)
    c.once('exit', (code) => fail(new Error(`${engine}: the child exited (${code}) before it was ready`)))
  })
  c.send(sets.map((s) => ({ repeat: s.repeat, files: s.files.map((f) => f.toString('base64')) })))
  return ready
}

function round(c: ChildProcess, set: number): Promise<Round> {
  return new Promise((ok) => {
    c.once('message', (m) => ok(m as Round))
    c.send(set)
  })
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--rounds')
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 7
  const sets = await loadSets()
  const self = fileURLToPath(import.meta.url)
  const children = new Map<Engine, ChildProcess>()
  for (const engine of ENGINES) children.set(engine, await start(engine, self, sets))
  // Best files/second per set over the rounds.
  const totals = new Map<Engine, { rates: number[]; peakRss: number }>(ENGINES.map((e) => [e, { rates: sets.map(() => 0), peakRss: 0 }]))
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < sets.length; k++) {
      // Who goes first alternates, so neither always runs right after the other's garbage.
      for (const engine of r % 2 === 0 ? ENGINES : [...ENGINES].reverse()) {
        const got = await round(children.get(engine)!, k)
        const t = totals.get(engine)!
        t.rates[k] = Math.max(t.rates[k]!, got.files / got.seconds)
        t.peakRss = Math.max(t.peakRss, got.peakRss)
      }
    }
  }
  for (const c of children.values()) c.disconnect()

  console.log(`feed parsing, ours vs rss-parser 3.13: best of ${rounds} rounds (parsers taking turns), Node ${process.version}`)
  sets.forEach((s, k) => {
    const bytes = s.files.reduce((n, f) => n + f.length, 0)
    const rate = (e: Engine): number => totals.get(e)!.rates[k]!
    const ours = rate('ours')
    const theirs = rate('rss-parser')
    console.log(
      `${s.name} (${s.files.length} file${s.files.length === 1 ? '' : 's'}, ${(bytes / 1024).toFixed(0)} KB):  ` +
        `ours ${ours.toFixed(1)} files/s  rss-parser ${theirs.toFixed(1)} files/s  ours/rss-parser ${(ours / theirs).toFixed(2)}×`,
    )
  })
  for (const e of ENGINES) console.log(`peak RSS ${e}: ${(totals.get(e)!.peakRss / 2 ** 20).toFixed(0)} MB`)
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) {
  await child(process.argv[childAt + 1] as Engine)
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main()
}
