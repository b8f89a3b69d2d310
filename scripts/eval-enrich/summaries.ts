/**
 * The extractive summary on SummEval (100 CNN/DailyMail articles), scored by the official
 * ../shared/eval/scorers/rouge.mjs against the original highlights (`ref`, no stemming: the setting in
 * which Lead-3 scores about 40.6), with Lead-3 scored the same way in the same run.
 * The articles are PTB-tokenised (`Tottenham 's 0-0 draw .`); real articles are not, so they are
 * detokenised lightly before summarising (quotes, clitics, spaces before punctuation). ROUGE lower-cases
 * and splits on non-alphanumerics, so this changes nothing in the scoring.
 * Run alone: `npx tsx scripts/eval-enrich/summaries.ts`.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { execFileSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { summarize } from '../../src/pipeline/enrich/summarize.js'

interface Doc { id: string; src: string; ref: string }

export function detokenize(s: string): string {
  return s
    .replace(/``\s*/g, '“').replace(/\s*''/g, '”')
    .replace(/-lrb-\s*/gi, '(').replace(/\s*-rrb-/gi, ')')
    .replace(/\s+(n't|'s|'re|'ve|'ll|'d|'m)\b/gi, '$1')
    .replace(/\s+([.,;:!?%)\]])/g, '$1')
    .replace(/([(\[$])\s+/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim()
}

function rouge(scorer: string, refs: string, pred: string): { r1: number; r2: number; rl: number; rlsum: number } {
  const out = execFileSync(process.execPath, [scorer, '--refs', refs, ...(pred === '--lead3' ? ['--lead3'] : ['--pred', pred]), '--json', `${pred === '--lead3' ? refs : pred}.score.json`], { encoding: 'utf8' })
  const file = `${pred === '--lead3' ? refs : pred}.score.json`
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    const f = (k: string) => {
      const v = (j as any)[k] ?? (j as any).scores?.[k] ?? (j as any).mean?.[k]
      return typeof v === 'number' ? v : typeof v?.f1 === 'number' ? v.f1 : typeof v?.f === 'number' ? v.f : NaN
    }
    return { r1: f('rouge1'), r2: f('rouge2'), rl: f('rougeL'), rlsum: f('rougeLsum') }
  } catch {
    const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN)
    return { r1: num(/ROUGE-1\D+([\d.]+)/), r2: num(/ROUGE-2\D+([\d.]+)/), rl: num(/ROUGE-L\s\D*([\d.]+)/), rlsum: num(/ROUGE-Lsum\D+([\d.]+)/) }
  }
}

export async function evalSummaries(opts: { sharedDir: string }): Promise<{ printed: string; rouge1: number; rouge2: number; rougeLsum: number } | null> {
  const file = join(opts.sharedDir, 'eval', 'summaries', 'summeval.json')
  const scorer = join(opts.sharedDir, 'eval', 'scorers', 'rouge.mjs')
  if (!existsSync(file) || !existsSync(scorer)) {
    console.log(`eval summaries skipped: ${file} or the scorer is absent`)
    return null
  }
  const docs = JSON.parse(readFileSync(file, 'utf8')) as Doc[]
  const tmp = mkdtempSync(join(tmpdir(), 'tidings-sum-'))
  try {
    const refs = join(tmp, 'refs.json')
    writeFileSync(refs, JSON.stringify(docs.map((d) => ({ id: d.id, ref: d.ref, src: d.src }))))
    const pred = join(tmp, 'pred.jsonl')
    const t0 = performance.now()
    const lines = docs.map((d) => {
      // The first sentence stands in for the title: CNN/DM articles come without theirs.
      const summary = summarize({ title: null, text: detokenize(d.src), lang: 'en' }).summary.map((s) => s.text).join('\n')
      return JSON.stringify({ id: d.id, summary })
    })
    const ms = (performance.now() - t0) / docs.length
    writeFileSync(pred, `${lines.join('\n')}\n`)
    const ours = rouge(scorer, refs, pred)
    const lead = rouge(scorer, refs, '--lead3')
    const row = (name: string, r: typeof ours) => `${name.padEnd(22)} R-1 ${r.r1.toFixed(2)}  R-2 ${r.r2.toFixed(2)}  R-L ${r.rl.toFixed(2)}  R-Lsum ${r.rlsum.toFixed(2)}`
    const printed = [
      `SummEval (${docs.length} articles, ref = highlights, no stemming)`,
      row('Tidings extractive', ours) + `  (${ms.toFixed(2)} ms/article)`,
      row('Lead-3 (scorer)', lead),
    ].join('\n')
    return { printed, rouge1: ours.r1, rouge2: ours.r2, rougeLsum: ours.rlsum }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await evalSummaries({ sharedDir: join(import.meta.dirname, '..', '..', '..', 'shared') })
  if (r) console.log(r.printed)
}
