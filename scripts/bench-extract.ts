/**
 * Speed of our extractor against Readability 0.6.0 on linkedom, over the pages of ../shared/eval/extraction/,
 * in the same run. Figures only (no pass/fail):
 *
 *   node --import tsx scripts/bench-extract.ts [--rounds N]
 *
 * "ours (engine)" is HTML → body blocks (parse + extraction), the same job Readability does here (parse +
 * Readability.parse). "ours (extractArticle)" adds what the pipeline stage does besides: metadata, captions,
 * sanitizing. Each engine runs in its own child process so that peak RSS and heap belong to it alone; the
 * children take turns, one round each, so that a machine busy with other work slows every engine alike.
 */
import { fork } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'

const ROOT = resolve(import.meta.dirname, '..')
const DATA = resolve(ROOT, '../shared/eval/extraction/html')
const ENGINES = ['readability', 'ours-engine', 'ours-article'] as const
type Engine = (typeof ENGINES)[number]
const LABEL: Record<Engine, string> = {
  readability: 'Readability+linkedom',
  'ours-engine': 'ours (engine)',
  'ours-article': 'ours (extractArticle)',
}

interface Figures { engine: Engine; pages: number; seconds: number; pagesPerSecond: number; peakRssMb: number; peakHeapMb: number }

function loadPages(): string[] {
  return readdirSync(DATA).filter((f) => f.endsWith('.html.gz')).sort().map((f) => gunzipSync(readFileSync(join(DATA, f))).toString('utf8'))
}

async function runner(engine: Engine): Promise<(html: string) => unknown> {
  if (engine === 'readability') {
    const { parseHTML } = await import('linkedom')
    const { Readability } = await import('@mozilla/readability')
    return (html) => new Readability(parseHTML(html).document as unknown as Document).parse()
  }
  if (engine === 'ours-engine') {
    const { extractBody } = await import('../src/pipeline/extract/engine/extract-body.js')
    return (html) => extractBody(html)
  }
  const { extractArticle } = await import('../src/pipeline/extract/extract.js')
  return (html) => extractArticle(html, { url: 'https://example.com/a' })
}

/** One round's figures from a child. */
interface Round { seconds: number; pages: number; peakRss: number; peakHeap: number }

/** Child mode: load one engine, warm it up, then time one round over the pages each time the parent asks. */
async function child(engine: Engine): Promise<void> {
  const pages = loadPages()
  const run = await runner(engine)
  for (const p of pages.slice(0, 5)) run(p) // warm-up: JIT and module loading are not what we measure
  let peakRss = 0
  let peakHeap = 0
  process.on('message', () => {
    const started = performance.now()
    for (const p of pages) {
      run(p)
      const m = process.memoryUsage()
      peakRss = Math.max(peakRss, m.rss)
      peakHeap = Math.max(peakHeap, m.heapUsed)
    }
    const round: Round = { seconds: (performance.now() - started) / 1000, pages: pages.length, peakRss, peakHeap }
    process.send!(round)
  })
  process.send!('ready')
}

function start(engine: Engine, self: string): Promise<ChildProcess> {
  const c = fork(self, ['--child', engine], { cwd: ROOT, execArgv: ['--import', 'tsx'] })
  return new Promise((ok, fail) => {
    c.once('message', () => ok(c))
    c.once('error', fail)
    c.once('exit', (code) => fail(new Error(`${engine}: the child exited (${code}) before it was ready`)))
  })
}

function round(c: ChildProcess): Promise<Round> {
  return new Promise((ok) => {
    c.once('message', (m) => ok(m as Round))
    c.send('go')
  })
}

async function main(): Promise<void> {
  if (!existsSync(DATA)) {
    console.log('skipped: ../shared/eval/extraction not found')
    return
  }
  const i = process.argv.indexOf('--rounds')
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 3
  const self = fileURLToPath(import.meta.url)
  const children = new Map<Engine, ChildProcess>()
  for (const engine of ENGINES) children.set(engine, await start(engine, self))
  const totals = new Map<Engine, Round>(ENGINES.map((e) => [e, { seconds: 0, pages: 0, peakRss: 0, peakHeap: 0 }]))
  for (let r = 0; r < rounds; r++) {
    for (const engine of ENGINES) {
      const got = await round(children.get(engine)!)
      const t = totals.get(engine)!
      t.seconds += got.seconds
      t.pages += got.pages
      t.peakRss = Math.max(t.peakRss, got.peakRss)
      t.peakHeap = Math.max(t.peakHeap, got.peakHeap)
    }
  }
  for (const c of children.values()) c.disconnect()
  const results: Figures[] = ENGINES.map((engine) => {
    const t = totals.get(engine)!
    return { engine, pages: t.pages, seconds: t.seconds, pagesPerSecond: t.pages / t.seconds, peakRssMb: t.peakRss / 2 ** 20, peakHeapMb: t.peakHeap / 2 ** 20 }
  })
  const base = results.find((r) => r.engine === 'readability')!
  console.log(`${loadPages().length} pages × ${rounds} rounds (engines taking turns), Node ${process.version}`)
  for (const r of results) {
    const ratio = r.pagesPerSecond / base.pagesPerSecond
    console.log(
      `${LABEL[r.engine].padEnd(24)} ${r.pagesPerSecond.toFixed(1).padStart(7)} pages/s  ` +
        `${(r.engine === 'readability' ? '1.00' : ratio.toFixed(2)).padStart(5)}× Readability  ` +
        `peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB  peak heap ${r.peakHeapMb.toFixed(0).padStart(4)} MB`,
    )
  }
}

const childAt = process.argv.indexOf('--child')
if (childAt >= 0) {
  await child(process.argv[childAt + 1] as Engine)
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main()
}
