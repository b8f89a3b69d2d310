/**
 * Keyphrase extraction on ../shared/eval/keywords/ (KPCrowd DEV, Inspec, KPTimes sample), scored with
 * the official ../shared/eval/scorers/keyphrase.mjs (F1@10, macro). KPCrowd DEV is the bar; the other
 * two are for comparison with the literature. Run alone: `npx tsx scripts/eval-enrich/keyphrases.ts`.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { execFileSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { decodeHTML } from 'entities'
import { extractKeyphrases } from '../../src/pipeline/enrich/keyphrases.js'

interface Doc { id: string; text: string }
interface Summary { macro?: { p: number; r: number; f1: number }; [k: string]: unknown }

const SETS: { file: string; label: string; goldField?: string; main?: boolean }[] = [
  { file: 'kpcrowd.dev.jsonl', label: 'KPCrowd DEV', main: true },
  { file: 'inspec.jsonl', label: 'Inspec' },
  { file: 'kptimes.sample.jsonl', label: 'KPTimes sample', goldField: 'keyphrase_variants' },
]

function firstNumber(o: unknown, keys: string[]): number {
  for (const k of keys) {
    const v = (o as Record<string, unknown>)?.[k]
    if (typeof v === 'number') return v
  }
  return NaN
}

export async function evalKeyphrases(opts: { sharedDir: string }): Promise<{ printed: string; f1at10: number } | null> {
  const dir = join(opts.sharedDir, 'eval', 'keywords')
  const scorer = join(opts.sharedDir, 'eval', 'scorers', 'keyphrase.mjs')
  if (!existsSync(join(dir, SETS[0]!.file)) || !existsSync(scorer)) {
    console.log(`eval keyphrases skipped: ${dir} or the scorer is absent`)
    return null
  }
  const tmp = mkdtempSync(join(tmpdir(), 'tidings-kp-'))
  const lines: string[] = []
  let main = NaN
  try {
    for (const set of SETS) {
      const gold = join(dir, set.file)
      if (!existsSync(gold)) { lines.push(`${set.label}: absent`); continue }
      const docs: Doc[] = readFileSync(gold, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Doc)
      const t0 = performance.now()
      const preds = docs.map((d) => {
        // The first line is the title, the rest the body.
        // Some KPCrowd texts still hold HTML entities; our pipeline hands the extractor decoded text.
        const raw = decodeHTML(d.text)
        const nl = raw.indexOf('\n')
        const title = nl < 0 ? raw : raw.slice(0, nl)
        const text = nl < 0 ? '' : raw.slice(nl + 1)
        return JSON.stringify({ id: String(d.id), keyphrases: extractKeyphrases({ title, text, lang: 'en' }, { max: 10 }) })
      })
      const ms = performance.now() - t0
      const pred = join(tmp, `${set.file}.pred.jsonl`)
      const out = join(tmp, `${set.file}.score.json`)
      writeFileSync(pred, preds.join('\n') + '\n')
      const args = [scorer, '--gold', gold, '--pred', pred, '--k', '10', '--json', out]
      if (set.goldField) args.push('--gold-field', set.goldField)
      execFileSync(process.execPath, args, { encoding: 'utf8' })
      const s = JSON.parse(readFileSync(out, 'utf8')) as Summary
      const macro = (s['macro'] ?? s) as Record<string, unknown>
      const f1 = firstNumber(macro, ['f1', 'F1', 'f'])
      const p = firstNumber(macro, ['p', 'P', 'precision'])
      const r = firstNumber(macro, ['r', 'R', 'recall'])
      if (set.main) main = f1
      lines.push(`${set.label.padEnd(15)} docs ${String(docs.length).padStart(4)}  F1@10 ${f1.toFixed(3)}  P ${p.toFixed(3)}  R ${r.toFixed(3)}  (${(ms / docs.length).toFixed(2)} ms/doc)`)
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  const printed = lines.join('\n')
  return { printed, f1at10: main }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await evalKeyphrases({ sharedDir: join(import.meta.dirname, '..', '..', '..', 'shared') })
}
