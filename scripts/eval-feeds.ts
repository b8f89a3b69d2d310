/**
 * `npm run eval:feeds`: our feed parser over feedparser's converted test suite
 * (../shared/eval/feedparser-tests/, see its README), plus `parseDate` over its 72 date cases.
 *
 * Cases that upstream serves over HTTP (148, with their Content-Type, Content-Location, Content-Language,
 * ETag, Last-Modified) go through our real path: a loopback server on the address they name serves the exact
 * bytes with those headers, our fetcher fetches them and `parseFeedResponse` reads the response; `etag` and
 * `modified` are the validators we keep on the source. If that port is taken, they run in process instead.
 * The other cases' exact bytes go through `parseFeedBytes` with no document URL (upstream parses them from a
 * string, so feedparser has no base URL there either).
 *
 * feedparser's paths are mapped onto our model (see MAPPED and view()). Where feedparser derives a field
 * from others, view() derives it the same way from our data: `author` is `name (email)` of the first author,
 * `summary` falls back to the first textual content, `title`/`subtitle`/`rights` are the detail's value,
 * `itunes_block` is 1/0. Strings compare exactly: the README allows no normalisation, so none is applied
 * (a failure that differs only in whitespace is labelled as such).
 * Charset names compare after `normalizeCharset`, as in eval:decode. `bozo` is informational: `bozo:
 * falsy` requires that we read the document (an ok result), `bozo: truthy` only that we do not throw.
 *
 * A case passes when every assertion holds; it fails when an assertion on a mapped field fails; it is
 * "unmapped" (not a pass) when nothing failed but some assertion needs a field our model does not have.
 * Skips with a message when the corpus is absent.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Category, DateText, FeedItem, FeedLink, ParsedFeed, Person, TextConstruct } from '../src/domain/types.js'
import { parseDate } from '../src/pipeline/dates/parse-date.js'
import { normalizeCharset } from '../src/pipeline/decode/decode.js'
import { parseFeedBytes, parseFeedResponse } from '../src/pipeline/parse/parse-feed.js'
import { createFetcher, type Fetcher } from '../src/pipeline/fetch/fetcher.js'

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
 * feedparser paths (indices as `#`) that our model can answer. Anything else is unmapped. Raw date strings
 * (`published`, `updated`) are the text we keep beside each parsed date (`dateText`), except in an entry's
 * `source`, where only the instant is kept (mapped for presence only).
 */
const DETAIL = ['value', 'type', 'language', 'base']
const PERSON = ['name', 'email', 'href']
const LINK = ['href', 'rel', 'type', 'title', 'length', 'hreflang']
const TAG = ['term', 'scheme', 'label']
const expand = (prefix: string, keys: string[]): string[] => [prefix, ...keys.map((k) => `${prefix}.${k}`)]
const common = (p: string): string[] => [
  `${p}.title`, ...expand(`${p}.title_detail`, DETAIL), `${p}.link`, `${p}.links`, `${p}.links.#`, ...LINK.map((k) => `${p}.links.#.${k}`),
  `${p}.id`, `${p}.updated`, `${p}.updated_parsed`, `${p}.rights`, ...expand(`${p}.rights_detail`, DETAIL),
  `${p}.author`, ...expand(`${p}.author_detail`, PERSON), `${p}.authors`, `${p}.authors.#`, ...PERSON.map((k) => `${p}.authors.#.${k}`),
  `${p}.contributors`, `${p}.contributors.#`, ...PERSON.map((k) => `${p}.contributors.#.${k}`),
  `${p}.publisher`, ...expand(`${p}.publisher_detail`, PERSON),
  `${p}.tags`, `${p}.tags.#`, ...TAG.map((k) => `${p}.tags.#.${k}`), `${p}.category`,
]
const SOURCE = [
  ...common('entries.#.source'), 'entries.#.source.subtitle', ...expand('entries.#.source.subtitle_detail', DETAIL),
  'entries.#.source.generator', ...expand('entries.#.source.generator_detail', ['name', 'href', 'version']),
  'entries.#.source.icon', 'entries.#.source.logo', 'entries.#.source.href',
]
const MAPPED = new Set([
  'encoding', 'version', 'etag', 'updated', 'updated_parsed',
  ...common('feed'),
  'feed.subtitle', ...expand('feed.subtitle_detail', DETAIL), 'feed.info', ...expand('feed.info_detail', DETAIL),
  'feed.language', 'feed.image.href', 'feed.image.title', 'feed.image.link', 'feed.image.width', 'feed.image.height',
  'feed.generator', ...expand('feed.generator_detail', ['name', 'href', 'version']),
  'feed.published', 'feed.published_parsed', 'feed.created', 'feed.created_parsed', 'feed.icon', 'feed.logo', 'feed.docs',
  'feed.ttl', 'feed.newlocation', ...['title', 'description', 'name', 'link'].map((k) => `feed.textinput.${k}`),
  'feed.itunes_explicit', 'feed.itunes_block',
  'entries', 'entries.#',
  ...common('entries.#'),
  'entries.#.published_parsed', 'entries.#.published', 'entries.#.created', 'entries.#.created_parsed',
  'entries.#.expired', 'entries.#.expired_parsed', 'entries.#.guidislink', 'entries.#.comments', 'entries.#.license',
  'entries.#.language', 'entries.#.subtitle', 'entries.#.itunes_explicit', 'entries.#.itunes_block',
  'entries.#.summary', ...expand('entries.#.summary_detail', DETAIL),
  'entries.#.content', 'entries.#.content.#', ...['value', 'type', 'language', 'base', 'src'].map((k) => `entries.#.content.0.${k}`),
  'entries.#.enclosures', 'entries.#.enclosures.#', 'entries.#.enclosures.#.href', 'entries.#.enclosures.#.type',
  'entries.#.enclosures.#.length',
  'entries.#.image.href',
  ...SOURCE,
])
const RAW_DATES = new Set(['entries.#.source.updated'])
const PRESENCE_OPS = new Set(['truthy', 'falsy', 'absent', 'present'])

function pattern(path: Key[]): string {
  return path.map((k, i) => (typeof k === 'number' ? (path[i - 1] === 'content' && k === 0 ? '0' : '#') : k)).join('.')
}

type Feed = ParsedFeed & { charset: string }
type Item = FeedItem

/** Content types feedparser copies into `summary` when an entry has none. */
const COPIED_TO_SUMMARY = new Set(['text/plain', 'text/html', 'application/xhtml+xml'])
const detail = (c: TextConstruct | null): Record<string, unknown> | undefined =>
  c === null ? undefined : { value: c.value, type: c.type, language: c.language, base: c.base }
const person = (p: Person | null | undefined): Record<string, unknown> | undefined =>
  p ? { ...(p.name === null ? {} : { name: p.name }), ...(p.email === null ? {} : { email: p.email }), ...(p.href === null ? {} : { href: p.href }) } : undefined
/** feedparser's one-string form of a person: `name (email)`, or whichever is there. */
const personString = (p: Person | null | undefined): string | undefined =>
  !p ? undefined : p.name && p.email ? `${p.name} (${p.email})` : (p.name ?? p.email ?? undefined)
const link = (l: FeedLink): Record<string, unknown> => ({
  href: l.href, rel: l.rel, ...(l.type === null ? {} : { type: l.type }), ...(l.title === null ? {} : { title: l.title }),
  ...(l.length === null ? {} : { length: String(l.length) }), ...(l.hreflang === null ? {} : { hreflang: l.hreflang }),
})
const tag = (t: Category): Record<string, unknown> => ({ term: t.term, scheme: t.scheme, label: t.label })

/** The parts feeds, entries and sources share, in feedparser's shape. */
function shared(x: {
  titleDetail: TextConstruct | null; rightsDetail: TextConstruct | null; links: FeedLink[]; authors: Person[]
  contributors: Person[]; publisher?: Person | null; tags: Category[]; updated: string | null; id: string | null
  dateText?: DateText | undefined
}): Record<string, unknown> {
  return {
    title: x.titleDetail?.value,
    title_detail: detail(x.titleDetail),
    links: x.links.map(link),
    id: x.id ?? undefined,
    updated: x.dateText ? (x.dateText.updated ?? undefined) : (x.updated ?? undefined),
    updated_parsed: x.updated ?? undefined,
    rights: x.rightsDetail?.value,
    rights_detail: detail(x.rightsDetail),
    author: personString(x.authors[0]),
    author_detail: person(x.authors[0]),
    authors: x.authors.map((p) => person(p)),
    contributors: x.contributors.map((p) => person(p)),
    publisher: personString(x.publisher),
    publisher_detail: person(x.publisher),
    tags: x.tags.map(tag),
    category: x.tags[0]?.term,
  }
}

/** Our output in feedparser's shape, for the mapped paths only. */
function view(feed: Feed): Record<string, unknown> {
  return {
    encoding: feed.charset,
    version: feed.version,
    feed: {
      ...shared(feed),
      link: feed.link ?? undefined,
      subtitle: feed.subtitleDetail?.value,
      subtitle_detail: detail(feed.subtitleDetail),
      info: feed.infoDetail?.value,
      info_detail: detail(feed.infoDetail),
      language: feed.language ?? undefined,
      image: feed.imageUrl === null && !feed.image ? undefined : {
        href: feed.image?.url ?? feed.imageUrl ?? undefined,
        ...(feed.image ? { title: feed.image.title ?? undefined, link: feed.image.link ?? undefined, width: feed.image.width ?? undefined, height: feed.image.height ?? undefined } : {}),
      },
      generator: feed.generator?.name ?? undefined,
      generator_detail: feed.generator ?? undefined,
      published: feed.dateText?.published ?? undefined,
      published_parsed: feed.published ?? undefined,
      created: feed.dateText?.created ?? undefined,
      created_parsed: feed.created ?? undefined,
      newlocation: feed.newLocation ?? undefined,
      textinput: feed.textInput ? {
        title: feed.textInput.title ?? undefined, description: feed.textInput.description ?? undefined,
        name: feed.textInput.name ?? undefined, link: feed.textInput.link ?? undefined,
      } : undefined,
      itunes_explicit: feed.explicit ?? undefined,
      itunes_block: feed.block === undefined ? undefined : Number(feed.block),
      icon: feed.icon ?? undefined,
      logo: feed.logo ?? undefined,
      docs: feed.docs ?? undefined,
      ttl: feed.ttlMinutes === null ? undefined : String(feed.ttlMinutes),
    },
    entries: feed.items.map((i) => entry(i)),
  }
}

function entry(i: Item): Record<string, unknown> {
  const first = i.content[0]
  // feedparser copies the first textual content into `summary` when the entry has no summary of its own.
  const summary = i.summaryDetail?.value ?? (first && COPIED_TO_SUMMARY.has(first.type) ? first.value : undefined)
  const s = i.source
  return {
    ...shared(i),
    link: i.link ?? undefined,
    id: i.id,
    guidislink: i.guidIsLink,
    published: i.dateText?.published ?? undefined,
    published_parsed: i.published ?? undefined,
    created: i.dateText?.created ?? undefined,
    created_parsed: i.created ?? undefined,
    expired: i.dateText?.expired ?? undefined,
    expired_parsed: i.expired ?? undefined,
    license: i.license ?? undefined,
    subtitle: i.subtitle ?? undefined,
    itunes_explicit: i.explicit ?? undefined,
    itunes_block: i.block === undefined ? undefined : Number(i.block),
    language: i.language ?? undefined,
    comments: i.comments ?? undefined,
    summary,
    summary_detail: detail(i.summaryDetail),
    content: i.content.map((c) => ({ ...detail(c), ...(c.src === undefined ? {} : { src: c.src }) })),
    enclosures: i.enclosures.map((e) => ({
      href: e.url,
      ...(e.type === null ? {} : { type: e.type }),
      ...(e.length === null ? {} : { length: String(e.length) }),
    })),
    image: i.imageUrl === null ? undefined : { href: i.imageUrl },
    source: s === null ? undefined : {
      ...shared({ ...s, publisher: null }),
      title: s.titleDetail?.value ?? s.title ?? undefined,
      link: s.link ?? undefined,
      href: s.href ?? undefined,
      subtitle: s.subtitleDetail?.value,
      subtitle_detail: detail(s.subtitleDetail),
      generator: s.generator?.name ?? undefined,
      generator_detail: s.generator ?? undefined,
      icon: s.icon ?? undefined,
      logo: s.logo ?? undefined,
    },
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
      const resolved = new URL(location, url ?? undefined)
      // Only a web address can be a base; anything else (javascript:…) leaves the request URL.
      if (resolved.protocol === 'http:' || resolved.protocol === 'https:') return resolved.href
    } catch { /* a bad header leaves the request URL */ }
  }
  return url
}

function caseBytes(c: Case): Buffer {
  return c.input.kind === 'utf8' ? Buffer.from(c.input.text, 'utf8') : Buffer.from(c.input.data, 'base64')
}

/** In process: the case's bytes straight into the parser, with its HTTP headers as fetch would pass them. */
function runCase(c: Case): Run {
  try {
    const r = parseFeedBytes(new Uint8Array(caseBytes(c)), {
      contentType: c.http?.content_type ?? null,
      url: documentUrl(c),
      contentLanguage: c.http?.headers?.['Content-Language'] ?? null,
    })
    return r.ok ? { threw: false, error: null, data: view(r.value) } : { threw: false, error: r.error.code, data: null }
  } catch {
    return { threw: true, error: 'threw', data: null }
  }
}

/**
 * Cases served over HTTP upstream go through our real fetch path: a loopback server on the address the
 * case names serves the bytes with its headers, our fetcher fetches them, and `parseFeedResponse` reads
 * the response. The HTTP facts feedparser reports at the top level are the ones we store on the source:
 * `etag` and `modified` (Last-Modified, kept for conditional GET).
 */
async function runHttpCase(c: Case, fetcher: Fetcher): Promise<Run> {
  const res = await fetcher({ url: c.http!.url!, purpose: 'feed' })
  if (!res.ok) return { threw: false, error: res.error.code, data: null }
  try {
    const r = parseFeedResponse(res.value)
    if (!r.ok) return { threw: false, error: r.error.code, data: null }
    const lastModified = res.value.headers['last-modified']?.trim() || undefined
    return {
      threw: false,
      error: null,
      data: {
        ...view(r.value),
        etag: res.value.headers['etag'] || undefined,
        updated: lastModified,
        updated_parsed: lastModified === undefined ? undefined : parseDate(lastModified) ?? undefined,
      },
    }
  } catch {
    return { threw: true, error: 'threw', data: null }
  }
}

/** Serves every HTTP case at its own path on the host and port the cases name; null when that port is taken. */
async function startCaseServer(list: Case[]): Promise<{ fetcher: Fetcher & { close(): void }; close(): void } | null> {
  const first = list.find((c) => c.http?.url)
  if (!first) return null
  const origin = new URL(first.http!.url!)
  const byPath = new Map(list.filter((c) => c.http?.url).map((c) => [new URL(c.http!.url!).pathname, c]))
  const server = createServer((req, res) => {
    const c = byPath.get((req.url ?? '').split('?')[0]!)
    if (!c) {
      res.writeHead(404).end()
      return
    }
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(c.http!.headers ?? {})) if (k.toLowerCase() !== 'content-length') headers[k] = v
    if (c.http!.content_type) headers['Content-Type'] = c.http!.content_type
    res.writeHead(200, headers).end(caseBytes(c))
  })
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(Number(origin.port), origin.hostname, () => resolve(true))
  })
  if (!listening) return null
  const fetcher = createFetcher({
    timeoutMs: 5000, maxBodyBytes: 4 * 1024 * 1024, maxRedirects: 3, userAgent: 'tidings-eval', allowPrivate: false,
    allowHosts: [origin.host], perHostConcurrency: 4, perHostIntervalMs: 0, respectRobots: false,
  })
  return { fetcher, close: () => { fetcher.close(); server.close(); server.closeAllConnections() } }
}

// ───────────────────────────── run ─────────────────────────────

const cases = readFileSync(`${DIR}/cases.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Case)

interface Tally { total: number; pass: number; fail: number; unmapped: number; unconverted: number }
const tally = (): Tally => ({ total: 0, pass: 0, fail: 0, unmapped: 0, unconverted: 0 })
const all = tally()
const core = tally()
const failGroups = new Map<string, { count: number; core: number; examples: string[] }>()
const unmappedFields = new Map<string, { count: number; core: number }>()

// EVAL_FEEDS_VERBOSE=core (or =all) lists every failing (✗) and unmapped (?) case first.
const verbose = process.env.EVAL_FEEDS_VERBOSE
const t0 = performance.now()
const httpServer = await startCaseServer(cases)
if (!httpServer) console.log('note: the HTTP cases\' port is taken; they run in process (no etag/Last-Modified)')
for (const c of cases) {
  const tallies = c.core ? [all, core] : [all]
  for (const t of tallies) t.total++
  if (!c.converted) {
    for (const t of tallies) t.unconverted++
    continue
  }
  const o = checkAll(c.assertions, httpServer && c.http?.url ? await runHttpCase(c, httpServer.fetcher) : runCase(c))
  for (const t of tallies) t[o.kind]++
  if (o.kind === 'fail') {
    const g = failGroups.get(o.group) ?? { count: 0, core: 0, examples: [] }
    g.count++
    if (c.core) g.core++
    if (g.examples.length < 2) g.examples.push(`${c.id} (${o.detail})`)
    if (verbose && (c.core || verbose === 'all')) console.log(`✗ ${c.id}: ${o.group}: ${o.detail}`)
    failGroups.set(o.group, g)
  } else if (o.kind === 'unmapped') {
    if (verbose && (c.core || verbose === 'all')) console.log(`? ${c.id}: unmapped ${o.field}`)
    const u = unmappedFields.get(o.field) ?? { count: 0, core: 0 }
    u.count++
    if (c.core) u.core++
    unmappedFields.set(o.field, u)
  }
}
httpServer?.close()
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
