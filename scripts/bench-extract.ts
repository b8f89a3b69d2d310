/**
 * Speed of our extractor against Readability 0.6.0 on linkedom, over the pages of ../shared/eval/extraction/,
 * in the same run. Figures only (no pass/fail):
 *
 *   node --import tsx scripts/bench-extract.ts [--rounds N]
 *
 * "ours (engine)" is HTML → body blocks (parse + extraction), the same job Readability does here (parse +
 * Readability.parse). "ours (extractArticle)" adds what the pipeline stage does besides: metadata, captions,
 * sanitizing. Each engine runs in its own child process so that peak RSS and heap belong to it alone.
 */
import { execFileSync } from 'node:child_process'
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

/** Child mode: time one engine and print its figures as JSON. */
async function child(engine: Engine, rounds: number): Promise<void> {
  const pages = loadPages()
  const run = await runner(engine)
  let peakRss = 0
  let peakHeap = 0
  const sample = (): void => {
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
  }
  for (const p of pages.slice(0, 5)) run(p) // warm-up: JIT and module loading are not what we measure
  const started = performance.now()
  for (let r = 0; r < rounds; r++) {
    for (const p of pages) {
      run(p)
      sample()
    }
  }
  const seconds = (performance.now() - started) / 1000
  const n = pages.length * rounds
  const out: Figures = { engine, pages: n, seconds, pagesPerSecond: n / seconds, peakRssMb: peakRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20 }
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

function main(): void {
  if (!existsSync(DATA)) {
    console.log('skipped: ../shared/eval/extraction not found')
    return
  }
  const i = process.argv.indexOf('--rounds')
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 3
  const self = fileURLToPath(import.meta.url)
  const results: Figures[] = []
  for (const engine of ENGINES) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', engine, '--rounds', String(rounds)], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    })
    results.push(JSON.parse(out.trim().split('\n').pop()!) as Figures)
  }
  const base = results.find((r) => r.engine === 'readability')!
  console.log(`${loadPages().length} pages × ${rounds} rounds, Node ${process.version}`)
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
  const engine = process.argv[childAt + 1] as Engine
  const i = process.argv.indexOf('--rounds')
  await child(engine, i >= 0 ? Number(process.argv[i + 1]) : 3)
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main()
}
