/**
 * `npm run eval:decode`: the charset we pick for every feedparser test case that asserts one (they
 * carry HTTP headers, XML declarations, BOMs or need sniffing), compared after normalising names.
 * Reads ../shared/eval/feedparser-tests/; skips with a message when it is absent.
 */
import { existsSync, readFileSync } from 'node:fs'
import { decode, normalizeCharset } from '../src/pipeline/decode/decode.js'

const FILE = '../shared/eval/feedparser-tests/cases.jsonl'
if (!existsSync(FILE)) {
  console.log(`skipped: ${FILE} not found`)
  process.exit(0)
}

interface Assertion { path?: (string | number)[]; op: string; value?: unknown; alternatives?: Assertion[][] }
interface Case { id: string; input: { kind: 'utf8'; text: string } | { kind: 'base64'; data: string }; http?: { content_type?: string }; assertions: Assertion[] }

/** Names that denote the same decoder for our purposes. */
function canonical(name: string): string {
  const n = normalizeCharset(name) ?? name.toLowerCase()
  return n === 'gb18030' || n === 'gb2312' ? 'gbk' : n
}

function expectedCharsets(as: Assertion[]): string[] {
  const out: string[] = []
  for (const a of as) {
    if (a.op === 'eq' && a.path?.length === 1 && a.path[0] === 'encoding' && typeof a.value === 'string') out.push(a.value)
    if (a.op === 'any_of') for (const alt of a.alternatives ?? []) out.push(...expectedCharsets(alt))
  }
  return out
}

const cases = readFileSync(FILE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Case)
let total = 0
let right = 0
const wrong: string[] = []
const t0 = performance.now()
for (const c of cases) {
  const want = expectedCharsets(c.assertions)
  if (want.length === 0) continue
  total++
  const bytes = c.input.kind === 'utf8' ? Buffer.from(c.input.text, 'utf8') : Buffer.from(c.input.data, 'base64')
  const got = decode(bytes, { contentType: c.http?.content_type ?? null, kind: 'xml' })
  if (want.some((w) => canonical(w) === canonical(got.charset))) right++
  else wrong.push(`${c.id}: expected ${want.join(' | ')}, got ${got.charset} (via ${got.via})${c.http?.content_type ? ` [Content-Type: ${c.http.content_type}]` : ''}`)
}
const ms = performance.now() - t0
console.log(`charset right for ${right}/${total} feedparser cases that assert one (${((100 * right) / total).toFixed(1)}%) in ${ms.toFixed(0)} ms`)
for (const w of wrong) console.log(`  ✗ ${w}`)
