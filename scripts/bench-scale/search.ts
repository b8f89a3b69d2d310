import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import pg from 'pg'
import { openStore } from '../../src/store/open-store.js'
import { rawDb } from '../../src/store/raw-db.js'
import type { Store } from '../../src/store/store.js'
import { createBenchDatabase, onCleanup } from './cleanup.js'
import { mix, nameOf, prng, synthArticle, type Lexicon, type SynthOptions } from './synth.js'

export interface SearchOptions {
  articles: number
  sources: number
  queries: number
  warmup: number
  batch: number
  seed: number
  log: (line: string) => void
}

export type QueryKind = 'common word' | 'rare word' | 'two words' | 'phrase' | 'word -word'
export const QUERY_KINDS: QueryKind[] = ['common word', 'rare word', 'two words', 'phrase', 'word -word']

export interface Latency { p50: number; p95: number; p99: number; max: number; mean: number }

export interface SearchResult {
  engine: 'SQLite' | 'Postgres'
  articles: number
  /** Seconds spent in INSERTs (generation of the rows excluded, timed apart). */
  insertSeconds: number
  /** Seconds to build the secondary indexes and the full-text index after the load, and ANALYZE/VACUUM. */
  indexSeconds: number
  generateSeconds: number
  bytes: number
  all: Latency
  byKind: Record<QueryKind, Latency & { meanHits: number }>
  peers: { countMs: number; like10kMs: number; likeWord: string }
  /** One query of each kind, as typed. */
  examples: Partial<Record<QueryKind, string>>
  notes: string[]
}

const ms = (t0: number) => performance.now() - t0

export function latency(samples: number[]): Latency {
  const s = [...samples].sort((a, b) => a - b)
  // Nearest-rank percentiles: with 200 samples p99 is the 2nd slowest.
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The query mix: the same for both engines, from the seed alone. */
export function queryMix(lex: Lexicon, synth: SynthOptions, articles: number, n: number, seed: number): { kind: QueryKind; q: string }[] {
  const rand = prng(seed)
  const pick = (lo: number, hi: number) => lex.words[lo + Math.floor(rand() * (hi - lo))]!
  const out: { kind: QueryKind; q: string }[] = []
  for (let i = 0; i < n; i++) {
    const kind = QUERY_KINDS[i % QUERY_KINDS.length]!
    let q: string
    if (kind === 'common word') q = pick(0, 100)
    else if (kind === 'rare word') q = nameOf(Math.floor(rand() * synth.namePool)).toLowerCase()
    else if (kind === 'two words') q = `${pick(100, 3000)} ${pick(100, 3000)}`
    else if (kind === 'word -word') q = `${pick(100, 3000)} -${pick(20, 200)}`
    else {
      // Two or three words as they stand in a stored article, so the phrase exists.
      const a = synthArticle(lex, synth, Math.floor(rand() * articles))
      const words = a.paragraphs[Math.floor(rand() * a.paragraphs.length)]!.toLowerCase().replace(/[.?]/g, '').split(' ')
      const len = 2 + Math.floor(rand() * 2)
      const at = Math.floor(rand() * Math.max(1, words.length - len))
      q = `"${words.slice(at, at + len).join(' ')}"`
    }
    out.push({ kind, q })
  }
  // Shuffled so no kind runs in a block (caches, planner state).
  for (let i = out.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [out[i], out[j]] = [out[j]!, out[i]!] }
  return out
}

interface Row {
  source_id: number; guid: string; url: string; title: string; published: string; fetched_at: string; sort_at: string
  summary: string; blocks: string; text: string; html: string; item_hash: string; tags: [number, number]
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function makeRows(lex: Lexicon, synth: SynthOptions, o: SearchOptions, from: number, to: number, tagIds: Map<string, number>, epoch: number): Row[] {
  const rows: Row[] = []
  for (let i = from; i < to; i++) {
    const a = synthArticle(lex, synth, i)
    const at = new Date(epoch - i * 30_000).toISOString()
    const source = 1 + (mix(i, 7) % o.sources)
    const text = a.paragraphs.join('\n\n')
    rows.push({
      source_id: source, guid: `bench-${i}`, url: `https://outlet${source}.example/a/${i}`, title: a.title,
      published: at, fetched_at: at, sort_at: at, summary: a.paragraphs[0]!.split('. ')[0]!,
      blocks: JSON.stringify(a.paragraphs.map((p) => ({ type: 'p', text: p }))),
      text, html: a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n'),
      item_hash: (mix(i, 11) >>> 0).toString(16).padStart(8, '0'),
      tags: [tagIds.get(a.tags[0]!)!, tagIds.get(a.tags[1]!)!],
    })
  }
  return rows
}

function tagWords(lex: Lexicon): string[] {
  return lex.words.slice(50, 1000)
}

async function measure(store: Store, lex: Lexicon, synth: SynthOptions, o: SearchOptions): Promise<Pick<SearchResult, 'all' | 'byKind' | 'peers' | 'examples'>> {
  const warm = queryMix(lex, synth, o.articles, o.warmup, o.seed ^ 0x77)
  const mixQ = queryMix(lex, synth, o.articles, o.queries, o.seed ^ 0x51)
  for (const { q } of warm) await store.searchArticles({ query: q, limit: 20 })
  const samples: number[] = []
  const kinds = new Map<QueryKind, { t: number[]; hits: number[] }>()
  for (const { kind, q } of mixQ) {
    const t0 = performance.now()
    const r = await store.searchArticles({ query: q, limit: 20 })
    const t = ms(t0)
    samples.push(t)
    const k = kinds.get(kind) ?? { t: [], hits: [] }
    k.t.push(t)
    k.hits.push(r.items.length)
    kinds.set(kind, k)
  }
  const byKind = {} as SearchResult['byKind']
  for (const kind of QUERY_KINDS) {
    const k = kinds.get(kind)
    if (k) byKind[kind] = { ...latency(k.t), meanHits: k.hits.reduce((a, b) => a + b, 0) / k.hits.length }
  }
  // Peers in the same run, through the same driver: a full count and a plain LIKE over 10k rows.
  const db = rawDb(store)
  const countMs: number[] = []
  for (let i = 0; i < 5; i++) { const t0 = performance.now(); await store.countArticles(); countMs.push(ms(t0)) }
  const likeWord = lex.words[500]!
  const likeMs: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    await sql`select count(*) as n from (select text from articles order by id limit 10000) t where text like ${`%${likeWord}%`}`.execute(db)
    likeMs.push(ms(t0))
  }
  const examples: SearchResult['examples'] = {}
  for (const { kind, q } of mixQ) examples[kind] ??= q
  return { all: latency(samples), byKind, peers: { countMs: median(countMs), like10kMs: median(likeMs), likeWord }, examples }
}

export async function runSqliteSearch(lex: Lexicon, synth: SynthOptions, o: SearchOptions): Promise<SearchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-bench-'))
  onCleanup(`directory ${dir}`, () => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'bench.db')
  await (await openStore(`sqlite:${path}`)).close()

  const db = new Database(path)
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  // The full-text triggers and the secondary indexes go while loading and come back after: that is how one
  // would bulk-load, and it leaves the same schema (their own CREATE statements, replayed).
  const saved = db.prepare(`select type, name, sql from sqlite_master where tbl_name in ('articles', 'article_tags') and type in ('index', 'trigger') and sql is not null`).all() as { type: string; name: string; sql: string }[]
  for (const s of saved) db.exec(`drop ${s.type} ${s.name}`)

  const epoch = Date.now()
  const now = new Date(epoch).toISOString()
  const insSource = db.prepare(`insert into sources (id, kind, url, title, next_check_at, created_at) values (?, 'feed', ?, ?, ?, ?)`)
  db.transaction(() => { for (let s = 1; s <= o.sources; s++) insSource.run(s, `https://outlet${s}.example/feed.xml`, `Outlet ${s}`, now, now) })()
  const tags = tagWords(lex)
  const tagIds = new Map(tags.map((w, i) => [w, i + 1]))
  const insTag = db.prepare(`insert into tags (id, slug, label) values (?, ?, ?)`)
  db.transaction(() => { tags.forEach((w, i) => insTag.run(i + 1, w, w[0]!.toUpperCase() + w.slice(1))) })()

  const insArticle = db.prepare(`insert into articles (id, source_id, guid, url, url_key, title, published, fetched_at, sort_at, lang, summary, blocks, text, html, captions, alt_links, item_hash)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, '[]', '[]', ?)`)
  const insAT = db.prepare(`insert or ignore into article_tags (article_id, tag_id) values (?, ?)`)
  let generateMs = 0
  let insertMs = 0
  for (let from = 0; from < o.articles; from += o.batch) {
    const to = Math.min(o.articles, from + o.batch)
    let t0 = performance.now()
    const rows = makeRows(lex, synth, o, from, to, tagIds, epoch)
    generateMs += ms(t0)
    t0 = performance.now()
    db.transaction(() => {
      rows.forEach((r, k) => {
        const id = from + k + 1
        insArticle.run(id, r.source_id, r.guid, r.url, r.url, r.title, r.published, r.fetched_at, r.sort_at, r.summary, r.blocks, r.text, r.html, r.item_hash)
        insAT.run(id, r.tags[0])
        insAT.run(id, r.tags[1])
      })
    })()
    insertMs += ms(t0)
    await new Promise((r) => setImmediate(r)) // lets Ctrl-C's clean-up run between batches
    if ((to / o.batch) % 40 === 0 || to === o.articles) o.log(`    SQLite: ${to.toLocaleString('en')} articles inserted (${(insertMs / 1000).toFixed(0)} s inserting, ${(generateMs / 1000).toFixed(0)} s generating)`)
  }
  const t1 = performance.now()
  for (const s of saved.filter((x) => x.type === 'index')) db.exec(s.sql)
  db.exec(`insert into articles_fts(articles_fts) values ('rebuild')`)
  for (const s of saved.filter((x) => x.type === 'trigger')) db.exec(s.sql)
  db.exec('analyze')
  db.pragma('wal_checkpoint(TRUNCATE)')
  const indexSeconds = ms(t1) / 1000
  db.close()
  const bytes = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0)
  o.log(`    SQLite: indexes and FTS5 rebuilt in ${indexSeconds.toFixed(0)} s; ${(bytes / 1e9).toFixed(2)} GB on disk; querying…`)

  const store = await openStore(`sqlite:${path}`)
  try {
    const m = await measure(store, lex, synth, o)
    return {
      engine: 'SQLite', articles: o.articles, insertSeconds: insertMs / 1000, indexSeconds, generateSeconds: generateMs / 1000, bytes, ...m,
      notes: ['FTS5 triggers dropped during the load, then `rebuild`, triggers restored, ANALYZE', 'store opened with its own pragmas (WAL, default page cache)'],
    }
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function runPostgresSearch(lex: Lexicon, synth: SynthOptions, o: SearchOptions & { adminUrl: string }): Promise<SearchResult> {
  const bench = await createBenchDatabase(o.adminUrl, 'search')
  try {
    await (await openStore(bench.url)).close()
    const c = new pg.Client({ connectionString: bench.url })
    c.on('error', () => {})
    await c.connect()
    let bytes = 0
    let indexSeconds = 0
    let generateMs = 0
    let insertMs = 0
    try {
      await c.query('set synchronous_commit = off')
      await c.query(`set maintenance_work_mem = '512MB'`)
      // Secondary indexes (not the ones behind a primary key or unique constraint) go and come back after.
      const saved = (await c.query<{ name: string; def: string }>(`select indexname as name, indexdef as def from pg_indexes i
        where schemaname = current_schema() and tablename in ('articles', 'article_tags')
          and not exists (select 1 from pg_constraint k where k.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`)).rows
      for (const s of saved) await c.query(`drop index ${s.name}`)

      const epoch = Date.now()
      const now = new Date(epoch).toISOString()
      const ids = Array.from({ length: o.sources }, (_, s) => s + 1)
      await c.query(`insert into sources (id, kind, url, title, next_check_at, created_at)
        select id, 'feed', 'https://outlet' || id || '.example/feed.xml', 'Outlet ' || id, $2::timestamptz, $2::timestamptz from unnest($1::int[]) as id`, [ids, now])
      const tags = tagWords(lex)
      const tagIds = new Map(tags.map((w, i) => [w, i + 1]))
      await c.query(`insert into tags (id, slug, label) select * from unnest($1::int[], $2::text[], $3::text[])`,
        [tags.map((_, i) => i + 1), tags, tags.map((w) => w[0]!.toUpperCase() + w.slice(1))])

      // Two connections insert at once (the server computes each row's tsvector: that is the cost), while
      // this process generates the next batch; the figure is the wall time of the whole load.
      const extra = new pg.Client({ connectionString: bench.url })
      extra.on('error', () => {})
      await extra.connect()
      await extra.query('set synchronous_commit = off')
      const free: pg.Client[] = [c, extra]
      const inFlight = new Set<Promise<void>>()
      const loadStart = performance.now()
      let done = 0
      try {
        for (let from = 0; from < o.articles; from += o.batch) {
          const to = Math.min(o.articles, from + o.batch)
          const t0 = performance.now()
          const rows = makeRows(lex, synth, o, from, to, tagIds, epoch)
          const col = <K extends keyof Row>(k: K) => rows.map((r) => r[k])
          const params = [rows.map((_, k) => from + k + 1), col('source_id'), col('guid'), col('url'), col('title'), col('published'), col('summary'), col('blocks'), col('text'), col('html'), col('item_hash')]
          const at: number[][] = [[], []]
          rows.forEach((r, k) => { for (const tag of new Set(r.tags)) { at[0]!.push(from + k + 1); at[1]!.push(tag) } })
          generateMs += ms(t0)
          while (free.length === 0) await Promise.race(inFlight)
          const client = free.pop()!
          const p: Promise<void> = (async () => {
            await client.query(`insert into articles (id, source_id, guid, url, url_key, title, published, fetched_at, sort_at, lang, summary, blocks, text, html, captions, alt_links, item_hash)
              select id, source_id, guid, url, url, title, published, published, published, 'en', summary, blocks, text, html, '[]', '[]', item_hash
              from unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                as t(id, source_id, guid, url, title, published, summary, blocks, text, html, item_hash)`, params)
            await client.query(`insert into article_tags (article_id, tag_id) select * from unnest($1::int[], $2::int[])`, at)
            done += rows.length
            if ((done / o.batch) % 40 === 0 || done === o.articles) o.log(`    Postgres: ${done.toLocaleString('en')} articles inserted (${(ms(loadStart) / 1000).toFixed(0)} s)`)
          })().finally(() => { inFlight.delete(p); free.push(client) })
          p.catch(() => {}) // seen by the race or the final wait; this only keeps it from counting as unhandled
          inFlight.add(p)
        }
        await Promise.all(inFlight)
      } finally {
        await Promise.allSettled(inFlight)
        await extra.end()
      }
      insertMs = ms(loadStart)
      // Ids were given explicitly: the identity columns continue after them.
      for (const t of ['sources', 'tags', 'articles']) await c.query(`select setval(pg_get_serial_sequence('${t}', 'id'), (select max(id) from ${t}))`)
      const t1 = performance.now()
      for (const s of saved) await c.query(s.def)
      await c.query('vacuum (analyze) articles')
      await c.query('vacuum (analyze) article_tags')
      await c.query('vacuum (analyze) sources')
      indexSeconds = ms(t1) / 1000
      bytes = Number((await c.query<{ n: string }>('select pg_database_size(current_database()) as n')).rows[0]!.n)
      o.log(`    Postgres: indexes (GIN on the tsvector included) built and VACUUM ANALYZE in ${indexSeconds.toFixed(0)} s; ${(bytes / 1e9).toFixed(2)} GB; querying…`)
    } finally {
      await c.end()
    }
    const settings = await (async () => {
      const a = new pg.Client({ connectionString: bench.url })
      a.on('error', () => {})
      await a.connect()
      try {
        const r = await a.query<{ name: string; value: string }>(`select name, current_setting(name) as value from pg_settings where name in ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size', 'jit') order by name`)
        return r.rows.map((x) => `${x.name}=${x.value}`).join(', ')
      } finally { await a.end() }
    })()
    const store = await openStore(bench.url)
    try {
      const m = await measure(store, lex, synth, o)
      return {
        engine: 'Postgres', articles: o.articles, insertSeconds: insertMs / 1000, indexSeconds, generateSeconds: generateMs / 1000, bytes, ...m,
        notes: ['secondary and GIN indexes dropped during the load (unnest batches of 5,000 on 2 connections, synchronous_commit off; load time is wall time, generation overlapped), rebuilt after, VACUUM ANALYZE', `server: ${settings}`],
      }
    } finally {
      await store.close()
    }
  } finally {
    await bench.drop()
  }
}
