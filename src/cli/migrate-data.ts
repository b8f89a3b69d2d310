import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { sql, type Kysely } from 'kysely'
import { CopyDataError, copyData, type CopyReport, type DialectName } from '../store/copy-data.js'
import { openSqlite } from '../store/dialects/sqlite.js'
import { openPostgres } from '../store/dialects/postgres.js'
import { createProgress } from './progress.js'

const dialectOf = (url: string): DialectName | null =>
  /^postgres(ql)?:\/\//.test(url) ? 'postgres' : url.startsWith('sqlite:') ? 'sqlite' : null

/** The URL without its password, for messages. */
function shown(url: string): string {
  if (dialectOf(url) !== 'postgres') return url
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return url
  }
}

class Usage extends Error {}

function open(url: string, dialect: DialectName): Kysely<any> {
  return dialect === 'postgres' ? openPostgres(url, { max: 2 }) : openSqlite(url)
}

function formatTable(report: CopyReport): string[] {
  const header = ['table', 'rows(from)', 'rows(to)', 'checksum(from)', 'checksum(to)', 'ok']
  // 16 of the 64 hex digits: enough to compare by eye; `ok` compares all of them.
  const rows = report.tables.map((t) => [
    t.table, String(t.sourceRows), String(t.targetRows), t.sourceChecksum.slice(0, 16), t.targetChecksum.slice(0, 16),
    t.sourceRows === t.targetRows && t.sourceChecksum === t.targetChecksum ? 'ok' : 'DIFFERS',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const numeric = new Set([1, 2])
  return [header, ...rows].map((r) => r.map((v, i) => (numeric.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd())
}

/**
 * `tidings migrate-data --from <url> --to <url>`: moves an install to another database (typically the
 * embedded SQLite to Postgres), every table with its ids, and prints counts and checksums of both sides.
 */
export async function migrateDataCommand(args: string[], out: (line: string) => void, err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  let from: Kysely<any> | null = null
  let to: Kysely<any> | null = null
  try {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, 'batch-size': { type: 'string' } },
    }) as { values: { from?: string; to?: string; 'batch-size'?: string }; positionals: string[] }
    if (positionals.length > 0) throw new Usage(`unexpected argument "${positionals[0]}"`)
    if (!values.from || !values.to) throw new Usage('give both databases: --from sqlite:./data/tidings.db --to postgres://user@host/tidings')
    const fromDialect = dialectOf(values.from)
    const toDialect = dialectOf(values.to)
    if (!fromDialect) throw new Usage(`--from: expected sqlite:<path> or postgres://…, got "${shown(values.from)}"`)
    if (!toDialect) throw new Usage(`--to: expected postgres://… or sqlite:<path>, got "${shown(values.to)}"`)
    if (values.from === values.to) throw new Usage('--from and --to name the same database')
    const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size'])
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Usage(`--batch-size: expected a whole number of rows, got "${values['batch-size']}"`)
    if (fromDialect === 'sqlite') {
      const path = values.from.replace(/^sqlite:(\/\/)?/, '')
      // Opening would create an empty database there.
      if (!path || path === ':memory:' || !existsSync(path)) throw new Usage(`--from: no database at "${path}"`)
    }

    from = open(values.from, fromDialect)
    to = open(values.to, toDialect)
    for (const [side, db, url] of [['--from', from, values.from], ['--to', to, values.to]] as const) {
      try {
        await sql`select 1`.execute(db)
      } catch (e) {
        throw new CopyDataError(`${side}: cannot connect to ${shown(url)}: ${(e as Error).message || (e as { code?: string }).code}`)
      }
    }

    const progress = process.stderr.isTTY ? createProgress('copying') : null
    const started = performance.now()
    const report = await copyData(from, to, {
      fromDialect, toDialect, batchSize,
      onProgress: progress ? (table, copied, total) => progress.update(copied, total, table) : undefined,
    })
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    if (progress) process.stderr.write('\r\x1b[2K')

    out(`${shown(values.from)} → ${shown(values.to)}`)
    for (const line of formatTable(report)) out(line)
    const rows = report.tables.reduce((n, t) => n + t.sourceRows, 0)
    if (report.equal) {
      out(`migrated ${rows} rows in ${report.tables.length} tables: all counts and checksums equal (${seconds} s)`)
      return 0
    }
    const differ = report.tables.filter((t) => t.sourceRows !== t.targetRows || t.sourceChecksum !== t.targetChecksum)
    err(`tidings: migrate-data: ${differ.map((t) => `${t.table} (${t.sourceRows} rows → ${t.targetRows}${t.sourceRows === t.targetRows ? ', checksums differ' : ''})`).join('; ')}. `
      + 'The copy was rolled back: the target holds no rows.')
    return 1
  } catch (e) {
    if (e instanceof Usage) {
      err(`tidings: migrate-data: ${e.message}`)
      return 64
    }
    if (e instanceof CopyDataError) {
      err(`tidings: migrate-data: ${e.message}`)
      return 1
    }
    throw e
  } finally {
    await from?.destroy()
    await to?.destroy()
  }
}
