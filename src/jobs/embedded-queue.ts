import { sql, type Generated, type Kysely, type Selectable, type Transaction } from 'kysely'
import { JOB_DEFAULTS, JOB_NAMES, type DeadJob, type JobCounts, type JobHandler, type JobName, type JobOptions, type JobQueue, type WorkOptions } from './queue.js'

export interface EmbeddedQueueOptions {
  /** The store's own database (`rawDb(store)`); the queue never closes it. */
  db: Kysely<any>
  dialect: 'sqlite' | 'postgres'
  now?: () => Date
  /** Completed jobs are deleted once older than this (default one day); dead ones are kept. */
  keepCompletedMs?: number
  /** Where the queue's own failures go (claiming, recording, releasing): the app's logger; the console without one. */
  onError?: (message: string, e: unknown) => void
}

/** The `jobs` table (migration 010); timestamps are ISO text on SQLite and Dates from Postgres. */
interface JobsTable {
  id: Generated<number>
  name: JobName
  data: string | null
  state: 'queued' | 'active' | 'completed' | 'failed'
  singleton_key: string | null
  attempt: number
  retry_limit: number
  retry_delay: number
  expire_seconds: number
  start_after: string | Date
  locked_until: string | Date | null
  last_error: string | null
  created_at: string | Date
  updated_at: string | Date
  completed_at: string | Date | null
}
type JobRow = Selectable<JobsTable>

/** A job this instance holds; `attempt` is the claim's token (see migration 010). */
interface Held { row: JobRow; released: boolean }

const CLEANUP_EVERY_MS = 10 * 60_000
const MAX_ERROR_CHARS = 2000

/**
 * The job queue in the store's database, for installs without Postgres: a `jobs` table, claimed in a
 * transaction. On SQLite one writer at a time makes the claim safe; on Postgres (where the contract also
 * runs it) the claim locks the rows it takes and skips those another worker holds.
 *
 * Where it differs from pg-boss, in ways no caller should depend on: the back-off has no random jitter
 * (one process, no herd to spread), and a job whose worker died is claimed again as soon as its lock
 * passes rather than after a back-off (the job did not fail, its worker went away); either way the
 * expired run counts as an attempt.
 */
export class EmbeddedQueue implements JobQueue {
  readonly kind = 'embedded' as const
  private readonly db: Kysely<{ jobs: JobsTable }>
  private readonly dialect: 'sqlite' | 'postgres'
  private readonly now: () => Date
  private readonly keepCompletedMs: number
  private stopping = false
  private readonly loops: Promise<void>[] = []
  private readonly held = new Set<Held>()
  private readonly claiming = new Set<Promise<unknown>>()
  private readonly wakers = new Map<JobName, Set<() => void>>()
  private lastCleanup = 0

  private readonly onError: (message: string, e: unknown) => void

  constructor(opts: EmbeddedQueueOptions) {
    this.onError = opts.onError ?? ((message, e) => console.error(message, e))
    this.db = opts.db as Kysely<{ jobs: JobsTable }>
    this.dialect = opts.dialect
    this.now = opts.now ?? (() => new Date())
    this.keepCompletedMs = opts.keepCompletedMs ?? 24 * 3600_000
  }

  async start(): Promise<void> {
    try {
      await this.db.selectFrom('jobs').select('id').limit(1).execute()
    } catch (e) {
      throw new Error('jobs: the jobs table is missing (open the store with openStore, which migrates it)', { cause: e })
    }
  }

  async send<T>(name: JobName, data: T, opts: JobOptions = {}): Promise<string | null> {
    assertName(name)
    const now = this.now()
    const startAfter = opts.startAfter && opts.startAfter > now ? opts.startAfter : now
    const values = {
      name,
      data: JSON.stringify(data === undefined ? null : data),
      state: 'queued' as const,
      singleton_key: opts.singletonKey ?? null,
      attempt: 0,
      retry_limit: whole(opts.retryLimit, JOB_DEFAULTS.retryLimit, 0),
      retry_delay: whole(opts.retryDelaySeconds, JOB_DEFAULTS.retryDelaySeconds, 0),
      expire_seconds: whole(opts.expireInSeconds, JOB_DEFAULTS.expireInSeconds, 1),
      start_after: startAfter.toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    }
    const id = await this.db.transaction().execute(async (trx) => {
      if (opts.singletonKey !== undefined && (await this.liveSingleton(trx, name, opts.singletonKey))) return null
      const row = await trx.insertInto('jobs').values(values).returning('id').executeTakeFirstOrThrow()
      return String(row.id)
    })
    if (id !== null && startAfter <= now) this.wake(name)
    return id
  }

  async work<T>(name: JobName, opts: WorkOptions, handler: JobHandler<T>): Promise<void> {
    assertName(name)
    if (this.stopping) throw new Error('jobs: the queue is stopped')
    const slots = Math.max(1, Math.floor(opts.concurrency))
    const pollMs = Math.max(10, opts.pollMs ?? 2000)
    for (let i = 0; i < slots; i++) this.loops.push(this.loop(name, pollMs, handler as JobHandler<unknown>))
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping = true
    for (const set of this.wakers.values()) for (const wake of set) wake()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(this.loops),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, opts.timeoutMs ?? 30_000)) }),
    ])
    clearTimeout(timer)
    // A claim under way when stop began comes back and is released by its loop; wait for those too.
    await Promise.allSettled([...this.claiming])
    for (const h of [...this.held]) {
      h.released = true
      this.held.delete(h)
      await this.release(h.row).catch((e) => this.onError(`jobs: could not release ${h.row.name} job ${h.row.id}`, e))
    }
  }

  async counts(): Promise<JobCounts[]> {
    const rows = await this.db.selectFrom('jobs').select(['name', 'state', (eb) => eb.fn.countAll().as('n')]).groupBy(['name', 'state']).execute()
    const out = JOB_NAMES.map((name) => ({ name, queued: 0, active: 0, failed: 0, completed: 0 }))
    for (const r of rows) {
      const c = out.find((x) => x.name === r.name)
      if (c && (r.state === 'queued' || r.state === 'active' || r.state === 'failed' || r.state === 'completed')) c[r.state as 'queued'] += Number(r.n)
    }
    return out
  }

  async dead(q: { name?: JobName; limit: number }): Promise<DeadJob[]> {
    let query = this.db.selectFrom('jobs').selectAll().where('state', '=', 'failed')
    if (q.name) query = query.where('name', '=', q.name)
    const rows: JobRow[] = await query.orderBy('completed_at', 'desc').orderBy('id', 'desc').limit(clampLimit(q.limit)).execute()
    return rows.map((r) => ({
      id: String(r.id),
      name: r.name,
      data: parseData(r.data),
      error: r.last_error ?? '',
      failedAt: iso(r.completed_at),
      attempts: r.attempt,
    }))
  }

  async retryDead(id: string): Promise<boolean> {
    if (!/^\d{1,15}$/.test(id)) return false
    const now = this.now().toISOString()
    const name = await this.db.transaction().execute(async (trx) => {
      const row: JobRow | undefined = await trx.selectFrom('jobs').selectAll().where('id', '=', Number(id)).where('state', '=', 'failed').executeTakeFirst()
      if (!row) return null
      // The key's job that is already queued or running does the same work: this one stays dead.
      if (row.singleton_key !== null && (await this.liveSingleton(trx, row.name, row.singleton_key))) return null
      const r = await trx.updateTable('jobs')
        .set((eb) => ({ state: 'queued', retry_limit: eb('retry_limit', '+', 1), start_after: now, locked_until: null, completed_at: null, updated_at: now }))
        .where('id', '=', row.id).where('state', '=', 'failed').executeTakeFirst()
      return Number(r.numUpdatedRows) > 0 ? row.name : null
    })
    if (name) this.wake(name)
    return name !== null
  }

  /** Whether a job with this key is queued or active; on Postgres it also serialises senders of the key. */
  private async liveSingleton(trx: Transaction<{ jobs: JobsTable }>, name: JobName, key: string): Promise<boolean> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`tidings.jobs:${name}:${key}`}))`.execute(trx)
    const live = await trx.selectFrom('jobs').select('id')
      .where('name', '=', name).where('singleton_key', '=', key).where('state', 'in', ['queued', 'active'])
      .limit(1).executeTakeFirst()
    return live !== undefined
  }

  private async loop(name: JobName, pollMs: number, handler: JobHandler<unknown>): Promise<void> {
    while (!this.stopping) {
      let row: JobRow | null = null
      const claim = this.claim(name)
      this.claiming.add(claim)
      try {
        row = await claim
      } catch (e) {
        this.onError(`jobs: claiming ${name} jobs failed`, e)
      } finally {
        this.claiming.delete(claim)
      }
      if (row && this.stopping) {
        await this.release(row).catch((e) => this.onError(`jobs: could not release ${name} job ${row!.id}`, e))
        break
      }
      if (!row) {
        await this.cleanup().catch((e) => this.onError('jobs: clean-up failed', e))
        await this.idle(name, pollMs)
        continue
      }
      await this.run(row, handler)
    }
  }

  private async run(row: JobRow, handler: JobHandler<unknown>): Promise<void> {
    const h: Held = { row, released: false }
    this.held.add(h)
    let failure: { error: unknown } | null = null
    try {
      await handler({ id: String(row.id), name: row.name, data: parseData(row.data), attempt: row.attempt })
    } catch (error) {
      failure = { error }
    }
    this.held.delete(h)
    if (h.released) return // stop() gave it back: another worker runs it
    try {
      if (failure) await this.fail(row, failure.error)
      else await this.complete(row)
    } catch (e) {
      this.onError(`jobs: could not record the outcome of ${row.name} job ${row.id}`, e)
    }
  }

  /**
   * Takes the next due job: queued and past its start, or active past its lock (its worker died). An
   * expired job on its last attempt is dead instead.
   */
  private async claim(name: JobName): Promise<JobRow | null> {
    const now = this.now()
    const nowIso = now.toISOString()
    return this.db.transaction().execute(async (trx) => {
      let due = trx.selectFrom('jobs').selectAll().where('name', '=', name)
        .where((eb) => eb.or([
          eb.and([eb('state', '=', 'queued'), eb('start_after', '<=', nowIso)]),
          eb.and([eb('state', '=', 'active'), eb('locked_until', '<=', nowIso)]),
        ]))
        .orderBy('start_after').orderBy('id').limit(5)
      // Postgres: workers on other machines skip rows another transaction holds. SQLite has one writer at a time.
      if (this.dialect === 'postgres') due = due.forUpdate().skipLocked()
      const rows: JobRow[] = await due.execute()
      for (const r of rows) {
        const expired = r.state === 'active'
        const lastError = expired ? `attempt ${r.attempt} expired: its worker held the job longer than ${r.expire_seconds} s` : r.last_error
        if (expired && r.attempt > r.retry_limit) {
          await trx.updateTable('jobs').set({ state: 'failed', last_error: lastError, locked_until: null, completed_at: nowIso, updated_at: nowIso })
            .where('id', '=', r.id).execute()
          continue
        }
        const lockedUntil = new Date(now.getTime() + r.expire_seconds * 1000).toISOString()
        await trx.updateTable('jobs').set({ state: 'active', attempt: r.attempt + 1, locked_until: lockedUntil, last_error: lastError, updated_at: nowIso })
          .where('id', '=', r.id).execute()
        return { ...r, state: 'active' as const, attempt: r.attempt + 1, locked_until: lockedUntil, last_error: lastError }
      }
      return null
    })
  }

  /** The update only lands while our claim is the job's current one (not expired and taken by another). */
  private ours(row: JobRow) {
    return this.db.updateTable('jobs').where('id', '=', row.id).where('state', '=', 'active').where('attempt', '=', row.attempt)
  }

  private async complete(row: JobRow): Promise<void> {
    const now = this.now().toISOString()
    await this.ours(row).set({ state: 'completed', locked_until: null, completed_at: now, updated_at: now }).execute()
  }

  private async fail(row: JobRow, error: unknown): Promise<void> {
    const now = this.now()
    const message = errorMessage(error)
    if (row.attempt > row.retry_limit) {
      await this.ours(row).set({ state: 'failed', last_error: message, locked_until: null, completed_at: now.toISOString(), updated_at: now.toISOString() }).execute()
      return
    }
    const delay = Math.min(JOB_DEFAULTS.maxRetryDelaySeconds, row.retry_delay * 2 ** (row.attempt - 1))
    const startAfter = new Date(now.getTime() + delay * 1000).toISOString()
    await this.ours(row).set({ state: 'queued', last_error: message, locked_until: null, start_after: startAfter, updated_at: now.toISOString() }).execute()
    if (delay === 0) this.wake(row.name)
  }

  /** Back in the queue at once; the interrupted run does not count as an attempt. */
  private async release(row: JobRow): Promise<void> {
    const now = this.now().toISOString()
    await this.ours(row).set({ state: 'queued', attempt: row.attempt - 1, locked_until: null, start_after: now, updated_at: now }).execute()
  }

  private async cleanup(): Promise<void> {
    const now = this.now().getTime()
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return
    this.lastCleanup = now
    const before = new Date(now - this.keepCompletedMs).toISOString()
    await this.db.deleteFrom('jobs').where('state', '=', 'completed').where('completed_at', '<', before).execute()
  }

  private idle(name: JobName, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.wakers.get(name)
      if (!set) this.wakers.set(name, (set = new Set()))
      const done = () => {
        clearTimeout(timer)
        set!.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      set.add(done)
    })
  }

  /** Wakes one idle slot for `name` in this process (a job was just queued). */
  private wake(name: JobName): void {
    const first = this.wakers.get(name)?.values().next().value
    first?.()
  }
}

function assertName(name: string): asserts name is JobName {
  if (!(JOB_NAMES as readonly string[]).includes(name)) throw new Error(`jobs: unknown job name "${name}"`)
}

function whole(v: number | undefined, fallback: number, min: number): number {
  return v === undefined || !Number.isFinite(v) ? fallback : Math.max(min, Math.floor(v))
}

function clampLimit(n: number): number {
  return Math.max(1, Math.min(1000, Math.floor(n) || 1))
}

function parseData(s: string | null): unknown {
  if (s === null) return null
  try {
    return JSON.parse(s)
  } catch {
    return null
  }
}

function iso(v: string | Date | null): string {
  if (v === null) return new Date(0).toISOString()
  return (v instanceof Date ? v : new Date(v)).toISOString()
}

function errorMessage(error: unknown): string {
  const s = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error)
  return s.slice(0, MAX_ERROR_CHARS)
}
