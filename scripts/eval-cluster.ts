/**
 * `npm run eval:cluster`: story clustering on the ECB+ DEV documents in ../shared/eval/clustering-ecbplus/,
 * scored with ../shared/eval/scorers/cluster.mjs (pairwise and B-cubed P/R/F1). ECB+ has no
 * publication dates, so the stream is fed in the corpus order and in shuffled orders (fixed seeds):
 * a streaming clusterer depends on order, and the shuffled mean is the honest figure.
 * Also checks that no two articles of different events are marked duplicates.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { execFileSync } from 'node:child_process'
import { ClusterStream } from '../src/pipeline/cluster/cluster-stream.js'
import { DEFAULT_CLUSTER_POLICY } from '../src/pipeline/cluster/story-clusterer.js'

const dir = join(import.meta.dirname, '..', '..', 'shared', 'eval')
const gold = join(dir, 'clustering-ecbplus', 'docs.jsonl')
const scorer = join(dir, 'scorers', 'cluster.mjs')
if (!existsSync(gold) || !existsSync(scorer)) {
  console.log('eval:cluster skipped: ../shared/eval/clustering-ecbplus/ is absent')
  process.exit(0)
}
interface Doc { id: string; subtopic: string; title: string; text: string }
const docs: Doc[] = readFileSync(gold, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Doc)
const threshold = process.env['JOIN'] ? Number(process.env['JOIN']) : DEFAULT_CLUSTER_POLICY.joinThreshold

function shuffled<T>(xs: T[], seed: number): T[] {
  const a = [...xs]
  let s = seed
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

const tmp = mkdtempSync(join(tmpdir(), 'eval-cluster-'))
interface Score { pairwise: { p: number; r: number; f1: number }; bcubed: { p: number; r: number; f1: number } }
function run(order: Doc[], label: string): { score: Score; wrongDuplicates: number; duplicates: number } {
  const stream = new ClusterStream({ clusters: { ...DEFAULT_CLUSTER_POLICY, joinThreshold: threshold } })
  const sub = new Map(docs.map((d) => [d.id, d.subtopic]))
  const lines: string[] = []
  let wrong = 0
  let dups = 0
  for (const d of order) {
    const r = stream.add({ id: d.id, title: d.title, text: d.text, time: null })
    lines.push(JSON.stringify({ id: d.id, cluster: r.story }))
    if (r.duplicateOf) {
      dups++
      if (sub.get(r.duplicateOf) !== d.subtopic) {
        wrong++
        console.log(`  wrong duplicate: ${d.id} → ${r.duplicateOf}`)
      }
    }
  }
  const pred = join(tmp, `${label}.jsonl`)
  const out = join(tmp, `${label}.json`)
  writeFileSync(pred, lines.join('\n') + '\n')
  execFileSync(process.execPath, [scorer, '--gold', gold, '--pred', pred, '--json', out], { stdio: 'pipe' })
  const j = JSON.parse(readFileSync(out, 'utf8'))
  return { score: j as Score, wrongDuplicates: wrong, duplicates: dups }
}

const pct = (x: number) => (x * (x <= 1 ? 100 : 1)).toFixed(2)
const fmt = (s: Score) => `pairwise P ${pct(s.pairwise.p)} R ${pct(s.pairwise.r)} F1 ${pct(s.pairwise.f1)} · B³ P ${pct(s.bcubed.p)} R ${pct(s.bcubed.r)} F1 ${pct(s.bcubed.f1)}`
console.log(`ECB+ DEV: ${docs.length} documents, join threshold ${threshold}`)
const first = run(docs, 'corpus-order')
console.log(`corpus order     ${fmt(first.score)} · duplicates ${first.duplicates}, across events ${first.wrongDuplicates}`)
const seeds = [1, 2, 3, 4, 5]
const all = seeds.map((s) => run(shuffled(docs, s), `shuffle-${s}`))
for (const [i, r] of all.entries()) console.log(`shuffle seed ${seeds[i]}   ${fmt(r.score)} · duplicates ${r.duplicates}, across events ${r.wrongDuplicates}`)
const mean = (f: (s: Score) => number) => all.reduce((a, r) => a + f(r.score), 0) / all.length
console.log(`shuffled mean    pairwise F1 ${pct(mean((s) => s.pairwise.f1))} · B³ F1 ${pct(mean((s) => s.bcubed.f1))}`)
