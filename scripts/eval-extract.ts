/**
 * Body-text quality of our extractor and of Readability 0.6.0 (linkedom) on ../shared/eval/extraction/
 * (the DEV pages of the article extraction benchmark), scored by ../shared/eval/scorers/extraction.mjs.
 *
 *   node --import tsx scripts/eval-extract.ts [--engine ours|readability|both] [--worst N] [--out DIR]
 *
 * Writes one predictions file per engine ({"id","text"} per line) to --out (default: a temp dir), prints
 * F1 / precision / recall / accuracy for each, and the pages where ours does worst.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { parseHTML } from 'linkedom'
import { Readability } from '@mozilla/readability'
import { extractBody } from '../src/pipeline/extract/engine/extract-body.js'

const ROOT = resolve(import.meta.dirname, '..')
const DATA = resolve(ROOT, '../shared/eval/extraction')
const SCORER = resolve(ROOT, '../shared/eval/scorers/extraction.mjs')

interface PageScore { id: string; url: string; f1: number; precision: number; recall: number; exact: number; inPrecision: boolean; inRecall: boolean }
interface Scorer {
  comparePage(truth: string, pred: string): Omit<PageScore, 'id' | 'url'>
  aggregate(pages: PageScore[]): { f1: number; precision: number; recall: number; accuracy: number }
}

type Engine = 'ours' | 'readability'

function args(): { engines: Engine[]; worst: number; out: string | null; only: string | null } {
  const a = process.argv.slice(2)
  const get = (flag: string): string | undefined => {
    const i = a.indexOf(flag)
    return i >= 0 ? a[i + 1] : undefined
  }
  const e = get('--engine') ?? 'both'
  if (!['ours', 'readability', 'both'].includes(e)) throw new Error(`--engine must be ours, readability or both (got ${e})`)
  return {
    engines: e === 'both' ? ['ours', 'readability'] : [e as Engine],
    worst: Number(get('--worst') ?? 10),
    out: get('--out') ?? null,
    only: get('--id') ?? null,
  }
}

export function readabilityText(html: string): string {
  const { document } = parseHTML(html)
  const parsed = new Readability(document as unknown as Document).parse()
  return parsed?.textContent ?? ''
}

export function oursText(html: string): string {
  const r = extractBody(html)
  return r.ok ? r.value.text : ''
}

export function loadPages(): Array<{ id: string; html: string; truth: string; url: string }> {
  const truth = JSON.parse(readFileSync(join(DATA, 'ground-truth.dev.json'), 'utf8')) as Record<string, { articleBody: string; url: string }>
  const ids = readFileSync(join(DATA, 'dev-ids.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).sort()
  return ids.map((id) => ({
    id,
    html: gunzipSync(readFileSync(join(DATA, 'html', `${id}.html.gz`))).toString('utf8'),
    truth: truth[id]?.articleBody ?? '',
    url: truth[id]?.url ?? '',
  }))
}

async function main(): Promise<void> {
  if (!existsSync(DATA) || !existsSync(SCORER)) {
    console.log('skipped: ../shared/eval/extraction not found')
    return
  }
  const opts = args()
  const scorer = (await import(pathToFileURL(SCORER).href)) as Scorer
  const pages = loadPages().filter((p) => !opts.only || p.id.startsWith(opts.only))
  const out = opts.out ?? mkdtempSync(join(tmpdir(), 'eval-extract-'))
  mkdirSync(out, { recursive: true })
  const perEngine = new Map<Engine, PageScore[]>()
  for (const engine of opts.engines) {
    const run = engine === 'ours' ? oursText : readabilityText
    const lines: string[] = []
    const scores: PageScore[] = []
    const started = performance.now()
    for (const p of pages) {
      let text = ''
      try {
        text = run(p.html)
      } catch (e) {
        console.log(`${engine}: ${p.id.slice(0, 12)} threw: ${e instanceof Error ? e.message : String(e)}`)
      }
      lines.push(JSON.stringify({ id: p.id, text }))
      scores.push({ id: p.id, url: p.url, ...scorer.comparePage(p.truth, text) })
    }
    const ms = performance.now() - started
    const file = join(out, `${engine}.jsonl`)
    writeFileSync(file, `${lines.join('\n')}\n`)
    const agg = scorer.aggregate(scores)
    perEngine.set(engine, scores)
    const f = (x: number): string => x.toFixed(3)
    console.log(`${engine.padEnd(12)} F1 ${f(agg.f1)}  precision ${f(agg.precision)}  recall ${f(agg.recall)}  accuracy ${f(agg.accuracy)}  (${pages.length} pages, ${Math.round(ms)} ms, ${file})`)
  }
  const ours = perEngine.get('ours')
  if (ours && opts.worst > 0) {
    const base = new Map((perEngine.get('readability') ?? []).map((s) => [s.id, s.f1]))
    console.log(`\nworst ${opts.worst} pages for ours (page F1, precision, recall${base.size ? ', readability F1' : ''}):`)
    for (const s of [...ours].sort((a, b) => a.f1 - b.f1).slice(0, opts.worst)) {
      const b = base.get(s.id)
      console.log(`  ${s.id.slice(0, 12)}  F1 ${s.f1.toFixed(3)}  p ${s.precision.toFixed(3)}  r ${s.recall.toFixed(3)}${b === undefined ? '' : `  readability ${b.toFixed(3)}`}  ${s.url}`)
    }
  }
  console.log(`\nfull scorer: node ../shared/eval/scorers/extraction.mjs --truth ../shared/eval/extraction/ground-truth.dev.json --pred ${join(out, 'ours.jsonl')}${perEngine.has('readability') ? ` --baseline ${join(out, 'readability.jsonl')}` : ''}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(`eval-extract: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  })
}
