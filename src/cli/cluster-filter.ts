import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { ClusterStream } from '../pipeline/cluster/cluster-stream.js'
import { chooseOriginal, evidenceOf, type MemberEvidence } from '../pipeline/dedup/provenance.js'
import type { LineError } from './jsonl.js'

export interface ClusterRecord {
  id: string
  title: string
  text: string
  published: string | null
  source: string | null
  url: string | null
  canonicalUrl: string | null
}

export type ClusterLine = { id: string; story: string; duplicate_of: string | null } | LineError

export const DEFAULT_WINDOW = 1000

const bad = (id: string | null, message: string): LineError => ({ id, error: { code: 'bad_input', message } })

/** One input line → a record, or the error line that stands in its place. */
export function parseClusterLine(line: string, n: number): { ok: true; value: ClusterRecord } | { ok: false; error: LineError } {
  let x: unknown
  try {
    x = JSON.parse(line)
  } catch (e) {
    return { ok: false, error: bad(null, `line ${n} is not JSON: ${(e as Error).message}`) }
  }
  if (!x || typeof x !== 'object' || Array.isArray(x)) return { ok: false, error: bad(null, `line ${n} is not a JSON object`) }
  const o = x as Record<string, unknown>
  const id = typeof o['id'] === 'string' ? o['id'] : typeof o['id'] === 'number' ? String(o['id']) : null
  if (id === null) return { ok: false, error: bad(null, `line ${n}: missing "id" (string)`) }
  if (typeof o['text'] !== 'string') return { ok: false, error: bad(id, 'missing "text" (string)') }
  const optional = (key: string): string | null | undefined => {
    const v = o[key]
    return v === undefined || v === null ? null : typeof v === 'string' ? v : undefined
  }
  const fields = { title: optional('title'), published: optional('published'), source: optional('source'), url: optional('url'), canonical_url: optional('canonical_url') }
  for (const [k, v] of Object.entries(fields)) if (v === undefined) return { ok: false, error: bad(id, `"${k}" must be a string`) }
  let published: string | null = null
  if (fields.published) {
    const t = Date.parse(fields.published)
    if (!Number.isFinite(t)) return { ok: false, error: bad(id, `"published" is not a date: ${JSON.stringify(fields.published.slice(0, 40))}`) }
    published = new Date(t).toISOString()
  }
  return {
    ok: true,
    value: { id, title: fields.title ?? '', text: o['text'], published, source: fields.source ?? null, url: fields.url ?? null, canonicalUrl: fields.canonical_url ?? null },
  }
}

type Pending = { error: LineError } | { record: ClusterRecord; seq: number }

interface Group {
  members: MemberEvidence[]
  /** The original as announced in output already; later members point to it whatever they bring. */
  announced: string | null
}

/**
 * `tidings cluster --jsonl` without the I/O: lines go in, output lines come out in input order. Lines
 * wait in a window (`window` records, or until `end`) so that an original arriving a little after its
 * copy is still named the original: within the window, articles enter the stream in publication order
 * (undated ones after the dated, in input order), and each duplicate group's original is chosen by
 * provenance over the members seen so far. Once a group's original has been written it stays the
 * original for the rest of the run, since output cannot be taken back.
 */
export class ClusterFilter {
  private readonly stream: ClusterStream
  private readonly window: number
  private pending: Pending[] = []
  private records = 0
  private seq = 0
  private lineNo = 0
  private readonly seen = new Set<string>()
  private readonly groupOf = new Map<string, string>()
  private readonly groups = new Map<string, Group>()

  constructor(opts: { window?: number; stream?: ClusterStream } = {}) {
    this.window = Math.max(1, opts.window ?? DEFAULT_WINDOW)
    this.stream = opts.stream ?? new ClusterStream()
  }

  /** Takes one input line; returns the output lines that are now final (often none). */
  push(line: string): ClusterLine[] {
    if (!line.trim()) return []
    this.lineNo++
    const r = parseClusterLine(line, this.lineNo)
    if (!r.ok) this.pending.push({ error: r.error })
    else if (this.seen.has(r.value.id)) this.pending.push({ error: bad(r.value.id, `line ${this.lineNo}: id "${r.value.id}" was seen before`) })
    else {
      this.seen.add(r.value.id)
      this.pending.push({ record: r.value, seq: this.seq++ })
      this.records++
    }
    return this.records >= this.window ? this.flush() : []
  }

  /** The rest, at the end of input. */
  end(): ClusterLine[] {
    return this.flush()
  }

  private flush(): ClusterLine[] {
    const batch = this.pending
    this.pending = []
    this.records = 0
    const recs = batch.flatMap((p) => ('record' in p ? [p] : []))
    const time = (p: { record: ClusterRecord }) => (p.record.published ? Date.parse(p.record.published) : null)
    const dated = recs.filter((p) => time(p) !== null).sort((a, b) => time(a)! - time(b)! || a.seq - b.seq)
    const order = [...dated, ...recs.filter((p) => time(p) === null)]

    const story = new Map<string, string>()
    const touched = new Set<string>()
    for (const { record: a } of order) {
      const d = this.stream.add({ id: a.id, title: a.title, text: a.text, time: a.published ? Date.parse(a.published) : null })
      story.set(a.id, d.story)
      const root = d.duplicateOf === null ? a.id : (this.groupOf.get(d.duplicateOf) ?? d.duplicateOf)
      this.groupOf.set(a.id, root)
      let g = this.groups.get(root)
      if (!g) this.groups.set(root, (g = { members: [], announced: null }))
      g.members.push(evidenceOf({
        id: a.id, title: a.title, text: a.text, published: a.published, url: a.url, canonicalUrl: a.canonicalUrl, sourceTitle: a.source,
      }))
      touched.add(root)
    }
    for (const root of touched) {
      const g = this.groups.get(root)!
      g.announced ??= g.members.length === 1 ? g.members[0]!.id : chooseOriginal(g.members).original
    }

    return batch.map((p): ClusterLine => {
      if ('error' in p) return p.error
      const id = p.record.id
      const original = this.groups.get(this.groupOf.get(id)!)!.announced!
      return { id, story: story.get(id)!, duplicate_of: original === id ? null : original }
    })
  }
}

/** Reads JSON lines from `input`, writes one output line per input line to `output`, in order. */
export async function runClusterJsonl(
  io: { input: Readable; output: Writable },
  opts: { window?: number } = {},
): Promise<{ lines: number; errors: number }> {
  const filter = new ClusterFilter(opts)
  let lines = 0
  let errors = 0
  const write = async (out: ClusterLine[]) => {
    for (const o of out) {
      lines++
      if ('error' in o) errors++
      if (!io.output.write(`${JSON.stringify(o)}\n`)) await new Promise((r) => io.output.once('drain', r))
    }
  }
  const rl = createInterface({ input: io.input, crlfDelay: Infinity })
  for await (const line of rl) await write(filter.push(line))
  await write(filter.end())
  return { lines, errors }
}
