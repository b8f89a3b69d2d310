import { createHash } from 'node:crypto'
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DialectSpec } from './dialects/dialect.js'
import { openSqlite, sqliteSpec } from './dialects/sqlite.js'
import { postgresSpec } from './dialects/postgres.js'
import { MIGRATIONS, migrate } from './migrations/index.js'

export type DialectName = 'sqlite' | 'postgres'

export interface TableCopy {
  table: string
  sourceRows: number
  targetRows: number
  /** SHA-256 (hex) of the rows in primary-key order, each in a form both databases give alike. */
  sourceChecksum: string
  targetChecksum: string
}

export interface CopyReport {
  /** Every table, in the order copied (parents first). */
  tables: TableCopy[]
  /** All counts and checksums equal; when false the copy was rolled back and the target holds no rows. */
  equal: boolean
}

export interface CopyOptions {
  fromDialect: DialectName
  toDialect: DialectName
  /** Rows read and written at a time (default 500). */
  batchSize?: number
  onProgress?: (table: string, copied: number, total: number) => void
}

/** Refusals and failures with a message for the operator; the target holds no copied rows. */
export class CopyDataError extends Error {}

const SPECS: Record<DialectName, DialectSpec> = { sqlite: sqliteSpec, postgres: postgresSpec }

/**
 * Tables that hold nothing to copy: each side's own migration bookkeeping, and SQLite's FTS5 index
 * over articles with its shadow tables (external content: SQLite's triggers rebuild it from the rows,
 * Postgres's `search` column is generated from them). SQLite's own `sqlite_*` tables are never ours.
 */
const NOT_COPIED: Record<DialectName, readonly string[]> = {
  // Stored pages are a cache (rendered again on the new database); its drop counter goes with it.
  sqlite: ['schema_migrations', 'articles_fts', 'articles_fts_data', 'articles_fts_idx', 'articles_fts_docsize', 'articles_fts_config', 'stored_pages', 'stored_pages_epoch'],
  postgres: ['schema_migrations', 'stored_pages'],
}
const GENERATED_COLUMNS: Record<DialectName, Readonly<Record<string, readonly string[]>>> = {
  sqlite: {},
  postgres: { articles: ['search'] },
}

type Kind = 'integer' | 'bigint' | 'double' | 'text' | 'timestamp'
interface Column { name: string; kind: Kind }
export interface TableShape {
  name: string
  columns: Column[]
  primaryKey: Column[]
  parents: string[]
}

const POSTGRES_TYPES: Record<Kind, string> = {
  integer: 'integer', bigint: 'bigint', double: 'double precision', text: 'text', timestamp: 'timestamp with time zone',
}
const REFERENCE_TIMESTAMP = 'timestamptz'

function kindOf(declared: string, where: string): Kind {
  switch (declared.toLowerCase()) {
    case 'integer': return 'integer'
    case 'bigint': return 'bigint'
    case 'double precision': return 'double'
    case 'text': return 'text'
    case REFERENCE_TIMESTAMP: return 'timestamp'
    default:
      // A new column type needs its own conversion and checksum form (booleans, JSON, bytes…): add it here.
      throw new Error(`copy-data: ${where} has type "${declared}", which the copier does not know`)
  }
}

/**
 * The tables, columns and neutral column types exactly as the migrations make them, so a table or
 * column a new migration adds is copied without anyone remembering to list it. They run on an
 * in-memory SQLite with timestamps declared `timestamptz`: SQLite keeps any declared type name, so
 * pragma table_info tells timestamps from text. Parents come before children (foreign keys), else in
 * the order the migrations created them.
 */
export async function referenceSchema(): Promise<TableShape[]> {
  const db = openSqlite('sqlite::memory:') as unknown as Kysely<any>
  try {
    await migrate(db, { ...sqliteSpec, timestampType: REFERENCE_TIMESTAMP })
    const names = (await sqliteTables(db)).filter((n) => !NOT_COPIED.sqlite.includes(n))
    const shapes: TableShape[] = []
    for (const name of names) {
      const info = (await sql<{ name: string; type: string; pk: number }>`select name, type, pk from pragma_table_info(${name})`.execute(db)).rows
      const fks = (await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db)).rows
      const columns = info.map((c) => ({ name: c.name, kind: kindOf(c.type, `${name}.${c.name}`) }))
      const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => columns.find((x) => x.name === c.name)!)
      if (primaryKey.length === 0) throw new Error(`copy-data: table ${name} has no primary key: rows cannot be read in a stable order`)
      shapes.push({ name, columns, primaryKey, parents: [...new Set(fks.map((f) => f.table))].filter((p) => p !== name) })
    }
    return parentsFirst(shapes)
  } finally {
    await db.destroy()
  }
}

function parentsFirst(shapes: TableShape[]): TableShape[] {
  const out: TableShape[] = []
  const rest = [...shapes]
  while (rest.length > 0) {
    const i = rest.findIndex((t) => t.parents.every((p) => out.some((o) => o.name === p)))
    if (i < 0) throw new Error(`copy-data: foreign keys form a cycle among ${rest.map((t) => t.name).join(', ')}`)
    out.push(...rest.splice(i, 1))
  }
  return out
}

/** In creation order; `sqlite_*` names are SQLite's own (sqlite_sequence, sqlite_stat1). */
async function sqliteTables(db: Kysely<any>): Promise<string[]> {
  const rows = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by rowid`.execute(db)).rows
  return rows.map((r) => r.name).filter((n) => !n.startsWith('sqlite_'))
}

/** Tables (ours and anything else in the database's schema) with their columns and declared types. */
async function describe(db: Kysely<any>, dialect: DialectName): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>()
  if (dialect === 'sqlite') {
    for (const name of await sqliteTables(db)) {
      const cols = (await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${name})`.execute(db)).rows
      out.set(name, new Map(cols.map((c) => [c.name, c.type.toLowerCase()])))
    }
    return out
  }
  const rows = (await sql<{ table_name: string; column_name: string | null; data_type: string | null }>`
    select t.table_name, c.column_name, c.data_type
    from information_schema.tables t left join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
    where t.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db)).rows
  for (const r of rows) {
    const cols = out.get(r.table_name) ?? new Map<string, string>()
    if (r.column_name) cols.set(r.column_name, r.data_type ?? '')
    out.set(r.table_name, cols)
  }
  return out
}

async function migrationVersions(db: Kysely<any>, tables: Map<string, unknown>): Promise<number[] | null> {
  if (!tables.has('schema_migrations')) return null
  const rows = await db.selectFrom('schema_migrations').select('version').orderBy('version').execute()
  return rows.map((r) => Number(r.version))
}

/**
 * The database is a tidings database at exactly this version's migrations, with no table or column the
 * copier does not know: anything else would be copied in part, or not at all, without a word.
 */
async function checkShape(db: Kysely<any>, dialect: DialectName, ref: TableShape[], side: 'source' | 'target'): Promise<void> {
  const tables = await describe(db, dialect)
  const versions = await migrationVersions(db, tables)
  const known = MIGRATIONS.map((m) => m.version)
  if (versions === null) throw new CopyDataError(`the ${side} database has no schema_migrations table: it is not a tidings database`)
  const newer = versions.filter((v) => !known.includes(v))
  if (newer.length > 0) throw new CopyDataError(`the ${side} database was migrated by a newer tidings (migration ${newer.join(', ')}): run migrate-data from that version`)
  const missing = known.filter((v) => !versions.includes(v))
  if (missing.length > 0) {
    throw new CopyDataError(`the ${side} database lacks migration ${missing.join(', ')}: start this version of tidings on it once (it migrates on start), then run migrate-data again`)
  }
  const unknown = [...tables.keys()].filter((t) => !NOT_COPIED[dialect].includes(t) && !ref.some((r) => r.name === t))
  if (unknown.length > 0) {
    throw new CopyDataError(`the ${side} database has table${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} that the copier does not know (no migration creates ${unknown.length > 1 ? 'them' : 'it'}): refusing to leave ${unknown.length > 1 ? 'them' : 'it'} behind`)
  }
  for (const t of ref) {
    const cols = tables.get(t.name)
    if (!cols) throw new CopyDataError(`the ${side} database has no table ${t.name}`)
    const generated = GENERATED_COLUMNS[dialect][t.name] ?? []
    const extra = [...cols.keys()].filter((c) => !generated.includes(c) && !t.columns.some((x) => x.name === c))
    if (extra.length > 0) throw new CopyDataError(`the ${side} database has column${extra.length > 1 ? 's' : ''} ${extra.map((c) => `${t.name}.${c}`).join(', ')} that the copier does not know`)
    for (const c of t.columns) {
      const declared = cols.get(c.name)
      if (declared === undefined) throw new CopyDataError(`the ${side} database has no column ${t.name}.${c.name}`)
      if (dialect === 'postgres' && declared !== POSTGRES_TYPES[c.kind]) {
        throw new CopyDataError(`the ${side} database's ${t.name}.${c.name} is ${declared}, expected ${POSTGRES_TYPES[c.kind]}`)
      }
    }
  }
}

/** Our tables that hold rows, with their counts; a table not created yet holds none. */
async function occupied(db: Kysely<any>, dialect: DialectName, ref: TableShape[]): Promise<string[]> {
  const tables = await describe(db, dialect)
  const out: string[] = []
  for (const t of ref) {
    if (!tables.has(t.name)) continue
    const n = await countRows(db, t.name)
    if (n > 0) out.push(`${t.name} (${n})`)
  }
  return out
}

async function refuseUnlessEmpty(db: Kysely<any>, dialect: DialectName, ref: TableShape[]): Promise<void> {
  const full = await occupied(db, dialect, ref)
  if (full.length > 0) {
    throw new CopyDataError(`the target database is not empty: ${full.join(', ')}. Nothing was written: point --to at a new, empty database`)
  }
}

async function countRows(db: Kysely<any>, table: string): Promise<number> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Text keys compare byte-wise on both databases (Postgres's default collation orders them otherwise). */
function keyExpr(dialect: DialectName, c: Column): RawBuilder<unknown> {
  return dialect === 'postgres' && c.kind === 'text' ? sql`${sql.ref(c.name)} collate "C"` : sql`${sql.ref(c.name)}`
}

/** Every row of the table in primary-key order, a batch at a time (keyset pagination, no offset scans). */
async function* readRows(db: Kysely<any>, dialect: DialectName, t: TableShape, batchSize: number): AsyncGenerator<Record<string, unknown>[]> {
  const keys = t.primaryKey.map((c) => keyExpr(dialect, c))
  let after: unknown[] | null = null
  for (;;) {
    let q = db.selectFrom(t.name).select(t.columns.map((c) => c.name))
    if (after) q = q.where(sql<boolean>`(${sql.join(keys)}) > (${sql.join(after)})`)
    for (const k of keys) q = q.orderBy(k)
    const rows: Record<string, unknown>[] = await q.limit(batchSize).execute()
    if (rows.length === 0) return
    yield rows
    if (rows.length < batchSize) return
    const last = rows[rows.length - 1]!
    after = t.primaryKey.map((c) => last[c.name])
  }
}

function toTimestamp(v: unknown, where: string): Date {
  const d = v instanceof Date ? v : new Date(String(v))
  if (Number.isNaN(d.getTime())) throw new CopyDataError(`${where}: "${String(v)}" is not a time`)
  return d
}

/**
 * A value as the target column takes it. Timestamps are the one difference: ISO text on SQLite,
 * timestamptz on Postgres. Text goes to Postgres as JS reads it (new Date, like the store's own
 * reading), so both sides mean the same instant even for text without a zone.
 */
function convert(v: unknown, c: Column, to: DialectName, where: () => string): unknown {
  if (v === null || v === undefined) return null
  if (c.kind === 'timestamp') {
    if (to === 'postgres') return toTimestamp(v, where()).toISOString()
    return v instanceof Date ? v.toISOString() : v
  }
  return v
}

/** A value in the form both databases give alike: numbers as numbers, times as ISO, big integers as text. */
function canonical(v: unknown, c: Column): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (c.kind === 'timestamp') {
    const d = v instanceof Date ? v : new Date(String(v))
    return Number.isNaN(d.getTime()) ? `invalid time: ${String(v)}` : d.toISOString()
  }
  if (v instanceof Date) return v.toISOString()
  if (Buffer.isBuffer(v)) return `bytes:${v.toString('base64')}`
  return v
}

/** Row count and SHA-256 of one table: each row a JSON object with sorted keys, one per line, in key order. */
async function checksumTable(db: Kysely<any>, dialect: DialectName, t: TableShape, batchSize: number): Promise<{ rows: number; checksum: string }> {
  const cols = [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const hash = createHash('sha256')
  let rows = 0
  for await (const batch of readRows(db, dialect, t, batchSize)) {
    for (const r of batch) {
      hash.update(`${JSON.stringify(Object.fromEntries(cols.map((c) => [c.name, canonical(r[c.name], c)])))}\n`)
      rows++
    }
  }
  return { rows, checksum: hash.digest('hex') }
}

/** Counts and checksums of every table, as copyData computes them: to compare a database with another. */
export async function checksumTables(db: Kysely<any>, dialect: DialectName, opts: { batchSize?: number } = {}): Promise<Map<string, { rows: number; checksum: string }>> {
  const ref = await referenceSchema()
  const out = new Map<string, { rows: number; checksum: string }>()
  for (const t of ref) out.set(t.name, await checksumTable(db, dialect, t, opts.batchSize ?? 500))
  return out
}

/** Postgres's identity and serial columns of our tables, with their sequences. */
async function serialColumns(db: Kysely<any>, ref: TableShape[]): Promise<{ table: string; column: string; sequence: string }[]> {
  const cols = (await sql<{ table_name: string; column_name: string; sequence: string | null }>`
    select table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) as sequence
    from information_schema.columns
    where table_schema = current_schema() and (is_identity = 'YES' or column_default like 'nextval(%')`.execute(db)).rows
  return cols.filter((c) => c.sequence && ref.some((t) => t.name === c.table_name))
    .map((c) => ({ table: c.table_name, column: c.column_name, sequence: c.sequence! }))
}

/**
 * The highest id each table ever handed out, which can be above the highest id it still holds: neither
 * SQLite's AUTOINCREMENT nor a Postgres sequence gives out an id twice, and the ids of deleted rows live
 * on without a foreign key (a story keeps the id of the article that started it, a tombstone and AI
 * tasks name deleted articles). The target continues after these, not merely after max(id).
 */
async function idHighWater(db: Kysely<any>, dialect: DialectName, ref: TableShape[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (dialect === 'sqlite') {
    if (!(await sql<{ name: string }>`select name from sqlite_master where name = 'sqlite_sequence'`.execute(db)).rows.length) return out
    for (const r of (await sql<{ name: string; seq: number }>`select name, seq from sqlite_sequence`.execute(db)).rows) {
      if (ref.some((t) => t.name === r.name)) out.set(r.name, Number(r.seq))
    }
    return out
  }
  for (const c of await serialColumns(db, ref)) {
    // The name comes from pg_get_serial_sequence, quoted as needed.
    const r = (await sql<{ last_value: number; is_called: boolean }>`select last_value, is_called from ${sql.raw(c.sequence)}`.execute(db)).rows[0]
    if (r?.is_called) out.set(c.table, Number(r.last_value))
  }
  return out
}

/** New rows on the target get ids after every id the source held or handed out. */
async function continueIds(trx: Transaction<any>, dialect: DialectName, ref: TableShape[], highWater: Map<string, number>): Promise<void> {
  if (dialect === 'sqlite') {
    // Inserting explicit ids already moved sqlite_sequence to max(id); the source may have been further.
    for (const [name, seq] of highWater) {
      await sql`insert into sqlite_sequence (name, seq) select ${name}, 0 where not exists (select 1 from sqlite_sequence where name = ${name})`.execute(trx)
      await sql`update sqlite_sequence set seq = ${seq} where name = ${name} and seq < ${seq}`.execute(trx)
    }
    return
  }
  for (const c of await serialColumns(trx, ref)) {
    const col = sql.ref(c.column)
    const next = sql`greatest(coalesce(max(${col}), 0), ${highWater.get(c.table) ?? 0})`
    // setval(seq, 1, false) for a table that never had a row: its first id is 1.
    await sql`select setval(${c.sequence}::regclass, greatest(${next}, 1), ${next} > 0) from ${sql.table(c.table)}`.execute(trx)
  }
}

/** Thrown inside the target's transaction to undo a copy whose checksums differ. */
class Mismatch extends Error {
  constructor(readonly report: CopyReport) {
    super('copy-data: checksums differ')
  }
}

// Below both databases' limits on bound parameters per statement (SQLite 32766, Postgres 65535).
const MAX_PARAMS = 30000

/**
 * Copies every table of a tidings database into an empty one (ids kept), in one transaction on the
 * target, then reads both back to compare counts and checksums. The target is migrated first; it must
 * hold no rows. When anything fails or differs, the target's transaction is rolled back.
 */
export async function copyData(from: Kysely<any>, to: Kysely<any>, opts: CopyOptions): Promise<CopyReport> {
  const batchSize = Math.max(1, opts.batchSize ?? 500)
  const ref = await referenceSchema()
  await checkShape(from, opts.fromDialect, ref, 'source')
  // Before migrating: a database that holds rows is not touched at all.
  await refuseUnlessEmpty(to, opts.toDialect, ref)
  const targetTables = await describe(to, opts.toDialect)
  const targetVersions = await migrationVersions(to, targetTables)
  const newer = (targetVersions ?? []).filter((v) => !MIGRATIONS.some((m) => m.version === v))
  if (newer.length > 0) throw new CopyDataError(`the target database was migrated by a newer tidings (migration ${newer.join(', ')})`)
  await migrate(to, SPECS[opts.toDialect])
  await checkShape(to, opts.toDialect, ref, 'target')

  let source = from.transaction()
  // One snapshot of the source for copying and checksumming, even if something still writes to it.
  if (opts.fromDialect === 'postgres') source = source.setIsolationLevel('repeatable read')
  try {
    return await source.execute((src) => to.transaction().execute(async (trx) => {
      await refuseUnlessEmpty(trx, opts.toDialect, ref)
      const highWater = await idHighWater(src, opts.fromDialect, ref)
      for (const t of ref) {
        const total = await countRows(src, t.name)
        const perInsert = Math.max(1, Math.min(batchSize, Math.floor(MAX_PARAMS / t.columns.length)))
        let copied = 0
        opts.onProgress?.(t.name, 0, total)
        for await (const rows of readRows(src, opts.fromDialect, t, batchSize)) {
          const values = rows.map((r) => Object.fromEntries(t.columns.map((c) => [c.name, convert(r[c.name], c, opts.toDialect,
            () => `${t.name}.${c.name} of the row with ${t.primaryKey.map((k) => `${k.name} ${String(r[k.name])}`).join(', ')}`)])))
          for (let i = 0; i < values.length; i += perInsert) {
            try {
              await trx.insertInto(t.name).values(values.slice(i, i + perInsert)).execute()
            } catch (e) {
              throw new CopyDataError(`copying ${t.name} (rows ${copied + i + 1}–${copied + Math.min(i + perInsert, values.length)}): ${(e as Error).message} (rolled back: the target holds no rows)`, { cause: e })
            }
          }
          copied += rows.length
          opts.onProgress?.(t.name, copied, total)
        }
      }
      await continueIds(trx, opts.toDialect, ref, highWater)

      const tables: TableCopy[] = []
      for (const t of ref) {
        const a = await checksumTable(src, opts.fromDialect, t, batchSize)
        const b = await checksumTable(trx, opts.toDialect, t, batchSize)
        tables.push({ table: t.name, sourceRows: a.rows, targetRows: b.rows, sourceChecksum: a.checksum, targetChecksum: b.checksum })
      }
      const report: CopyReport = { tables, equal: tables.every((t) => t.sourceRows === t.targetRows && t.sourceChecksum === t.targetChecksum) }
      if (!report.equal) throw new Mismatch(report)
      return report
    }))
  } catch (e) {
    if (e instanceof Mismatch) return e.report
    throw e
  }
}
