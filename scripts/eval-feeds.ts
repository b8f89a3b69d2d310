/**
 * `npm run eval:feeds`: our feed parser over feedparser's converted test suite
 * (../shared/eval/feedparser-tests/, see its README), plus `parseDate` over its 72 date cases.
 *
 * Each case's exact bytes go through `parseFeedBytes` with the case's HTTP Content-Type; the document
 * URL is the response's Content-Location (resolved against the request URL) or the request URL, and
 * null for cases that upstream parses from a string (feedparser has no base URL there either).
 *
 * feedparser's paths are mapped onto our model (see MAPPED). Strings compare exactly: the README allows
 * no normalisation, so none is applied (a failure that differs only in whitespace is labelled as such).
 * Charset names compare after `normalizeCharset`, as in eval:decode. `bozo` is informational: `bozo:
 * falsy` requires that we read the document (an ok result), `bozo: truthy` only that we do not throw.
 *
 * A case passes when every assertion holds; it fails when an assertion on a mapped field fails; it is
 * "unmapped" (not a pass) when nothing failed but some assertion needs a field our model does not have.
 * Skips with a message when the corpus is absent.
 */
import { existsSync, readFileSync } from 'node:fs'
import type { ParsedFeed } from '../src/domain/types.js'
import { parseDate } from '../src/pipeline/dates/parse-date.js'
import { normalizeCharset } from '../src/pipeline/decode/decode.js'
import { parseFeedBytes } from '../src/pipeline/parse/parse-feed.js'

const DIR = '../shared/eval/feedparser-tests'
if (!existsSync(`${DIR}/cases.jsonl`)) {
  console.log(`skipped: ${DIR} not found`)
  process.exit(0)
}

type Key = string | number
interface Assertion {
  path?: Key[]
  canonical_path?: Key[]
  op: string
  value?: unknown
  value_iso?: string
  alternatives?: Assertion[][]
}
interface Case {
  id: string
  core: boolean
  converted: boolean
  input: { kind: 'utf8'; text: string } | { kind: 'base64'; data: string }
  http?: { url?: string; content_type?: string; headers?: Record<string, string> }
  assertions: Assertion[]
}
interface DateCase { parser: string; input: string; expected_iso_utc: string | null }

// ───────────────────────────── mapping ─────────────────────────────

/**
 * feedparser paths (indices as `#`) that our model can answer. Anything else is unmapped. Raw date
 * strings (`published`, `updated`) are mapped for presence only: we keep the parsed instant, not the text.
 */
const MAPPED = new Set([
  'encoding',
  'feed.title', 'feed.title_detail.value', 'feed.link', 'feed.subtitle', 'feed.subtitle_detail.value',
  'feed.language', 'feed.image.href',
  'entries', 'entries.#',
  'entries.#.title', 'entries.#.title_detail.value', 'entries.#.link', 'entries.#.id',
  'entries.#.published_parsed', 'entries.#.updated_parsed', 'entries.#.published', 'entries.#.updated',
  'entries.#.author', 'entries.#.author_detail.name',
  'entries.#.summary', 'entries.#.summary_detail.value', 'entries.#.content', 'entries.#.content.0.value',
  'entries.#.enclosures', 'entries.#.enclosures.#', 'entries.#.enclosures.#.href', 'entries.#.enclosures.#.type',
  'entries.#.enclosures.#.length',
  'entries.#.tags', 'entries.#.tags.#.term', 'entries.#.image.href',
])
const RAW_DATES = new Set(['entries.#.published', 'entries.#.updated'])
const PRESENCE_OPS = new Set(['truthy', 'falsy', 'absent', 'present'])

function pattern(path: Key[]): string {
  return path.map((k, i) => (typeof k === 'number' ? (path[i - 1] === 'content' && k === 0 ? '0' : '#') : k)).join('.')
}

/** Our output in feedparser's shape, for the mapped paths only. */
function view(feed: ParsedFeed & { charset: string }): Record<string, unknown> {
  return {
    encoding: feed.charset,
    feed: {
      title: feed.title,
      title_detail: { value: feed.title },
      link: feed.link,
      subtitle: feed.description,
      subtitle_detail: { value: feed.description },
      language: feed.language,
      image: feed.imageUrl === null ? undefined : { href: feed.imageUrl },
    },
    entries: feed.items.map((i) => ({
      title: i.title,
      title_detail: { value: i.title },
      link: i.link,
      id: i.id,
      published: i.published,
      updated: i.updated,
      published_parsed: i.published,
      updated_parsed: i.updated,
      author: i.author,
      author_detail: { name: i.author },
      summary: i.summary,
      summary_detail: { value: i.summary },
      content: i.contentHtml === null ? [] : [{ value: i.contentHtml }],
      enclosures: i.enclosures.map((e) => ({
        href: e.url,
        ...(e.type === null ? {} : { type: e.type }),
        ...(e.length === null ? {} : { length: String(e.length) }),
      })),
      tags: i.categories.map((term) => ({ term })),
      image: i.imageUrl === null ? undefined : { href: i.imageUrl },
    })),
  }
}

function at(root: unknown, path: Key[]): unknown {
  let v = root
  for (const k of path) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined
    v = (v as Record<Key, unknown>)[k]
  }
  return v
}

// ───────────────────────────── assertions ─────────────────────────────

type Outcome = { kind: 'pass' } | { kind: 'fail'; group: string; detail: string } | { kind: 'unmapped'; field: string }

interface Run { threw: boolean; error: string | null; data: Record<string, unknown> | null }

const truthy = (v: unknown): boolean =>
  v !== null && v !== undefined && v !== false && v !== 0 && v !== '' &&
  !(Array.isArray(v) && v.length === 0) &&
  !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

const charsetName = (s: string): string => {
  const n = normalizeCharset(s) ?? s.trim().toLowerCase()
  return n === 'gb18030' || n === 'gb2312' ? 'gbk' : n
}

const isoSeconds = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z')

function equals(pat: string, actual: unknown, a: Assertion): boolean {
  if (pat === 'encoding') return typeof actual === 'string' && typeof a.value === 'string' && charsetName(actual) === charsetName(a.value)
  if (pat.endsWith('_parsed')) return typeof actual === 'string' && a.value_iso !== undefined && isoSeconds(actual) === a.value_iso
  return deepEqual(actual, a.value)
}

const show = (v: unknown): string => {
  const s = v === undefined ? 'missing' : JSON.stringify(v)
  return s.length > 70 ? `${s.slice(0, 67)}…` : s
}
const squash = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v)

function check(a: Assertion, run: Run): Outcome {
  if (a.op === 'no_crash') return run.threw ? { kind: 'fail', group: 'no_crash', detail: 'threw' } : { kind: 'pass' }
  if (a.op === 'any_of') {
    let unmapped: Outcome | null = null
    let firstFail: Outcome | null = null
    for (const alt of a.alternatives ?? []) {
      const o = checkAll(alt, run)
      if (o.kind === 'pass') return o
      if (o.kind === 'unmapped') unmapped ??= o
      else firstFail ??= o
    }
    return unmapped ?? firstFail ?? { kind: 'fail', group: 'any_of', detail: 'no alternatives' }
  }
  const path = a.canonical_path ?? a.path ?? []
  const pat = pattern(path)
  if (pat === 'bozo') {
    if (run.threw) return { kind: 'fail', group: 'bozo (threw)', detail: 'threw' }
    if (a.op === 'falsy' && run.error !== null) return { kind: 'fail', group: `bozo falsy (we returned ${run.error})`, detail: run.error }
    return { kind: 'pass' }
  }
  if (!MAPPED.has(pat) || (RAW_DATES.has(pat) && !PRESENCE_OPS.has(a.op))) return { kind: 'unmapped', field: pat }
  const actual = run.data ? at(run.data, path) : undefined
  const why = run.error !== null ? ` (we returned ${run.error})` : ''
  const fail = (detail: string, note = ''): Outcome => ({ kind: 'fail', group: `${pat} ${a.op}${note}${why}`, detail })
  switch (a.op) {
    case 'eq':
      if (equals(pat, actual, a)) return { kind: 'pass' }
      return fail(`want ${show(a.value_iso ?? a.value)} got ${show(actual)}`,
        typeof actual === 'string' && squash(actual) === squash(a.value) ? ' [whitespace only]' : '')
    case 'ne':
      return equals(pat, actual, a) ? fail(`want not ${show(a.value)}`) : { kind: 'pass' }
    case 'truthy':
      return truthy(actual) ? { kind: 'pass' } : fail(`got ${show(actual)}`)
    case 'falsy':
      return truthy(actual) ? fail(`got ${show(actual)}`) : { kind: 'pass' }
    case 'absent':
      return actual === undefined || actual === null ? { kind: 'pass' } : fail(`got ${show(actual)}`)
    case 'present':
      return actual === undefined || actual === null ? fail('missing') : { kind: 'pass' }
    case 'length': {
      const n = Array.isArray(actual) || typeof actual === 'string' ? actual.length : undefined
      return n === a.value ? { kind: 'pass' } : fail(`want ${String(a.value)} got ${n === undefined ? show(actual) : n}`)
    }
    default:
      return { kind: 'unmapped', field: `op ${a.op}` }
  }
}

/** Failures outrank unmapped fields: a wrong value is worth knowing about even beside an unmapped one. */
function checkAll(as: Assertion[], run: Run): Outcome {
  let unmapped: Outcome | null = null
  for (const a of as) {
    const o = check(a, run)
    if (o.kind === 'fail') return o
    if (o.kind === 'unmapped') unmapped ??= o
  }
  return unmapped ?? { kind: 'pass' }
}

function documentUrl(c: Case): string | null {
  const url = c.http?.url ?? null
  const location = c.http?.headers?.['Content-Location']
  if (location) {
    try {
      return new URL(location, url ?? undefined).href
    } catch { /* a bad header leaves the request URL */ }
  }
  return url
}

function runCase(c: Case): Run {
  const bytes = c.input.kind === 'utf8' ? Buffer.from(c.input.text, 'utf8') : Buffer.from(c.input.data, 'base64')
  try {
    const r = parseFeedBytes(new Uint8Array(bytes), { contentType: c.http?.content_type ?? null, url: documentUrl(c) })
    return r.ok ? { threw: false, error: null, data: view(r.value) } : { threw: false, error: r.error.code, data: null }
  } catch {
    return { threw: true, error: 'threw', data: null }
  }
}

// ───────────────────────────── run ─────────────────────────────

const cases = readFileSync(`${DIR}/cases.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Case)

interface Tally { total: number; pass: number; fail: number; unmapped: number; unconverted: number }
const tally = (): Tally => ({ total: 0, pass: 0, fail: 0, unmapped: 0, unconverted: 0 })
const all = tally()
const core = tally()
const failGroups = new Map<string, { count: number; core: number; examples: string[] }>()
const unmappedFields = new Map<string, { count: number; core: number }>()

// EVAL_FEEDS_VERBOSE=core (or =all) lists every failing case first.
const verbose = process.env.EVAL_FEEDS_VERBOSE
const t0 = performance.now()
for (const c of cases) {
  const tallies = c.core ? [all, core] : [all]
  for (const t of tallies) t.total++
  if (!c.converted) {
    for (const t of tallies) t.unconverted++
    continue
  }
  const o = checkAll(c.assertions, runCase(c))
  for (const t of tallies) t[o.kind]++
  if (o.kind === 'fail') {
    const g = failGroups.get(o.group) ?? { count: 0, core: 0, examples: [] }
    g.count++
    if (c.core) g.core++
    if (g.examples.length < 2) g.examples.push(`${c.id} (${o.detail})`)
    if (verbose && (c.core || verbose === 'all')) console.log(`✗ ${c.id}: ${o.group}: ${o.detail}`)
    failGroups.set(o.group, g)
  } else if (o.kind === 'unmapped') {
    const u = unmappedFields.get(o.field) ?? { count: 0, core: 0 }
    u.count++
    if (c.core) u.core++
    unmappedFields.set(o.field, u)
  }
}
const ms = performance.now() - t0

const pct = (n: number, d: number): string => (d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`)
const line = (name: string, t: Tally): string =>
  `${name}: ${t.pass}/${t.total} pass (${pct(t.pass, t.total)}) · ${t.fail} fail · ${t.unmapped} unmapped · ` +
  `${t.unconverted} unconverted · of the mapped cases ${pct(t.pass, t.pass + t.fail)} pass`

console.log(`feedparser tests (${cases.length} cases, ${ms.toFixed(0)} ms)`)
console.log(`  ${line('all ', all)}`)
console.log(`  ${line('core', core)}`)

// Dates: `parseDate` is our one general parser, so every case goes through it whatever upstream parser it names.
const dateCases = (JSON.parse(readFileSync(`${DIR}/dates.json`, 'utf8')) as { cases: DateCase[] }).cases
const dateFails: string[] = []
for (const d of dateCases) {
  const got = parseDate(d.input)
  const ok = d.expected_iso_utc === null ? got === null : got !== null && isoSeconds(got) === d.expected_iso_utc
  if (!ok) dateFails.push(`${d.parser} ${JSON.stringify(d.input)}: want ${d.expected_iso_utc ?? 'null'} got ${got ?? 'null'}`)
}
const datePass = dateCases.length - dateFails.length
console.log(`  dates: ${datePass}/${dateCases.length} pass (${pct(datePass, dateCases.length)})`)
for (const f of dateFails) console.log(`    ✗ ${f}`)

const TOP = 25
console.log(`\ntop failure groups (path op [note] (our error)): cases, of them core, examples`)
for (const [group, g] of [...failGroups].sort((a, b) => b[1].count - a[1].count).slice(0, TOP)) {
  console.log(`  ${String(g.count).padStart(4)} (core ${g.core})  ${group}`)
  for (const e of g.examples) console.log(`         ${e}`)
}
if (failGroups.size > TOP) console.log(`  … ${failGroups.size - TOP} more groups`)

console.log(`\nunmapped fields (first unmapped field of each unmapped case): cases, of them core`)
for (const [field, u] of [...unmappedFields].sort((a, b) => b[1].count - a[1].count).slice(0, 15)) {
  console.log(`  ${String(u.count).padStart(4)} (core ${u.core})  ${field}`)
}
if (unmappedFields.size > 15) console.log(`  … ${unmappedFields.size - 15} more fields`)
