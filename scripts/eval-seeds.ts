/**
 * `npm run eval:seeds`: the issue-5 bar on the reference pages in ../shared/seeds/. The aggregator's
 * copy (001) and the publisher's original (002) must form one duplicate group whatever the order they
 * arrive in, provenance must name 002 the original, and 002's injected out-of-script token must show
 * as its change; 000 (another story that only carries the report in a related-articles card) must
 * not be a duplicate of either. Each file is one article: the whole file is the text, the first
 * heading-like line the title. Exits non-zero when a bar fails.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ClusterStream } from '../src/pipeline/cluster/cluster-stream.js'
import { changesOf, type ProvenanceMember } from '../src/pipeline/dedup/provenance.js'

const dir = join(import.meta.dirname, '..', '..', 'shared', 'seeds')
const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^\d{3}_.*\.txt$/.test(f)).sort() : []
const byPrefix = (p: string) => files.find((f) => f.startsWith(`${p}_`))
if (!byPrefix('000') || !byPrefix('001') || !byPrefix('002')) {
  console.log('eval:seeds skipped: ../shared/seeds/ (000_*, 001_*, 002_*) is absent')
  process.exit(0)
}

/** A heading: the first non-empty line of 3 to 20 words that does not end like a sentence. */
function titleOf(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines.find((l) => { const n = l.split(/\s+/).length; return n >= 3 && n <= 20 && !/[.!?:,;]$/.test(l) }) ?? lines[0] ?? ''
}

const articles = new Map<string, ProvenanceMember>()
for (const id of ['000', '001', '002']) {
  const text = readFileSync(join(dir, byPrefix(id)!), 'utf8')
  articles.set(id, { id, title: titleOf(text), text, published: null, url: null, canonicalUrl: null })
}

const failures: string[] = []
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures.push(what)
}

for (const order of [['001', '002', '000'], ['002', '001', '000'], ['000', '001', '002'], ['000', '002', '001']]) {
  console.log(`\norder ${order.join(', ')}`)
  const stream = new ClusterStream()
  const decisions = new Map(order.map((id) => {
    const a = articles.get(id)!
    return [id, stream.add({ id, title: a.title, text: a.text, time: null })] as const
  }))
  for (const id of order) {
    const d = decisions.get(id)!
    console.log(`  ${id}: story ${d.story}, duplicate of ${d.duplicateOf ?? '-'} (similarity ${d.similarity.toFixed(2)})`)
  }
  const d1 = decisions.get('001')!
  const d2 = decisions.get('002')!
  const d0 = decisions.get('000')!
  check(d1.duplicateOf === '002' || d2.duplicateOf === '001', '001 and 002 form one duplicate group')
  check(d1.story === d2.story, '001 and 002 share a story')
  check(d0.duplicateOf === null && d1.duplicateOf !== '000' && d2.duplicateOf !== '000', '000 is not a duplicate of 001 or 002, nor they of it')

  const group = order.filter((id) => id !== '000').map((id) => articles.get(id)!)
  const g = changesOf({ members: group })
  console.log(`  original: ${g.original}; because ${g.reasons.join('; ') || '(no reason given)'}`)
  check(g.original === '002', '002 is the original')
  const orig = g.members.find((m) => m.id === '002')!.changes
  const copy = g.members.find((m) => m.id === '001')!.changes
  console.log(`  002 (original) changes: injected ${JSON.stringify(orig.injected)} ×${orig.injectedCount}; ${orig.addedCount} sentences no copy has, e.g. ${orig.added.slice(0, 4).map((s) => JSON.stringify(s.slice(0, 40))).join(', ')}`)
  check(orig.injected.includes('华体会'), "002's changes show the injected 华体会")
  console.log(`  001 (copy) changes: ${copy.addedCount} sentences added, ${copy.removedCount} removed${copy.truncated ? `, truncated by ${copy.truncatedCount}` : ''}; kept ${(copy.shared * 100).toFixed(1)}% of the original's sentences; title ${copy.titleChanged ? `changed: ${JSON.stringify(copy.titleChanged.from)} → ${JSON.stringify(copy.titleChanged.to)}` : 'unchanged'}`)
  console.log(`    added, first: ${copy.added.slice(0, 3).map((s) => JSON.stringify(s.slice(0, 50))).join(', ')}`)
  check(copy.injected.length === 0, "the copy has no injection of its own")
}

console.log(failures.length ? `\neval:seeds: ${failures.length} bar(s) failed` : '\neval:seeds: all bars pass')
process.exit(failures.length ? 1 : 0)
