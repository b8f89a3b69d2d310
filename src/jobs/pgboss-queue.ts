import pg from 'pg'
import PgBoss from 'pg-boss'
import { JOB_DEFAULTS, JOB_NAMES, type DeadJob, type JobCounts, type JobHandler, type JobName, type JobOptions, type JobQueue, type WorkOptions } from './queue.js'

export interface PgBossQueueOptions {
  /** `postgres://…` */
  url: string
  /** The schema pg-boss keeps its tables in (default `pgboss`). */
  schema?: string
  /** Connections this instance opens, shared by pg-boss and the queries below (default 10). */
  maxConnections?: number
  /**
   * How often this instance runs pg-boss's maintenance (default 60 s): it fails over jobs held past their
   * `expireInSeconds` (so a dead worker's job waits up to this much longer) and archives old ones.
   */
  maintenanceIntervalSeconds?: number
  /** Where the queue's own failures go (claiming, recording, releasing): the app's logger; the console without one. */
  onError?: (message: string, e: unknown) => void
}

type Fetched = PgBoss.JobWithMetadata<unknown>
interface Held { job: Fetched; released: boolean }

/** Serialises pg-boss start-up between processes. */
const START_LOCK = 727_105
const MIN_POLL_MS = 500 // pg-boss's own floor for polling
const MAX_EXPIRE_SECONDS = 24 * 3600 - 1 // pg-boss refuses 24 h and more
const MAX_ERROR_CHARS = 2000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The job queue on pg-boss 10, for Postgres installs with many worker processes.
 *
 * pg-boss does the storage, the claim (`fetch`: FOR UPDATE SKIP LOCKED), retries with exponential
 * back-off (`fail`), expiry of dead workers' jobs (its maintenance) and archiving. This adapter adds what
 * the JobQueue contract asks beyond pg-boss 10:
 * - Concurrency is `concurrency` independent loops per `work()`, each fetching one job (batchSize 1) and
 *   completing or failing it alone, so a slow job never holds up the others. pg-boss's own `work()`
 *   with a batch fetches the next batch only once the whole batch is done, and on shutdown it *fails*
 *   the jobs still running; here they are released instead.
 * - singletonKey means "one queued-or-active job per key". pg-boss 10 has that only as a queue policy
 *   that also limits the jobs without a key, so send() checks for a live job with the key inside a
 *   transaction under an advisory lock on (queue, key) and inserts through that transaction.
 * - Back-off is capped at one hour (pg-boss 10 has no cap) and, like pg-boss's, has random jitter:
 *   retry n waits between delay × 2^(n-1) and twice that.
 * - counts(), dead(), the release on stop() and retryDead() are plain SQL on pg-boss's `job` table.
 */
export class PgBossQueue implements JobQueue {
  readonly kind = 'pg-boss' as const
  private readonly url: string
  private readonly schema: string
  private readonly maxConnections: number
  private readonly maintenanceIntervalSeconds: number
  private pool: pg.Pool | null = null
  private boss: PgBoss | null = null
  private stopping = false
  private readonly loops: Promise<void>[] = []
  private readonly held = new Set<Held>()
  private readonly claiming = new Set<Promise<unknown>>()
  private readonly wakers = new Map<JobName, Set<() => void>>()

  private readonly onError: (message: string, e: unknown) => void

  constructor(opts: PgBossQueueOptions) {
    this.onError = opts.onError ?? ((message, e) => console.error(message, e))
    this.url = opts.url
    this.schema = opts.schema ?? 'pgboss'
    // Interpolated into SQL below; pg-boss checks the same.
    if (!/^[A-Za-z_]\w{0,49}$/.test(this.schema)) throw new Error(`jobs: invalid pg-boss schema name "${this.schema}"`)
    this.maxConnections = opts.maxConnections ?? 10
    this.maintenanceIntervalSeconds = opts.maintenanceIntervalSeconds ?? 60
  }

  async start(): Promise<void> {
    if (this.boss) return
    if (this.stopping) throw new Error('jobs: the queue is stopped')
    const pool = new pg.Pool({ connectionString: this.url, max: this.maxConnections, application_name: 'tidings-jobs' })
    // An idle client's error (e.g. the server restarting) must not crash the process; the pool replaces it.
    pool.on('error', () => {})
    const boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: this.schema,
      migrate: true,
      supervise: true,
      schedule: false, // no cron jobs here: the scheduler sends jobs
      maintenanceIntervalSeconds: this.maintenanceIntervalSeconds,
      archiveCompletedAfterSeconds: 24 * 3600,
      // Dead letters stay in the job table (where dead() and retryDead() see them) for 30 days.
      archiveFailedAfterSeconds: 30 * 24 * 3600,
    })
    boss.on('error', (e) => this.onError('jobs: pg-boss:', e))
    try {
      // Processes starting together on a fresh database deadlock in pg-boss's schema and queue creation:
      // one at a time, under an advisory lock held on a connection of its own.
      const lock = await pool.connect()
      try {
        await lock.query('select pg_advisory_lock($1)', [START_LOCK])
        await boss.start()
        for (const name of JOB_NAMES) await boss.createQueue(name, { name, policy: 'standard' })
        await this.createKeyIndex(pool)
      } finally {
        await lock.query('select pg_advisory_unlock($1)', [START_LOCK]).catch(() => {})
        lock.release()
      }
    } catch (e) {
      await boss.stop({ graceful: false }).catch(() => {})
      await pool.end().catch(() => {})
      throw new Error('jobs: could not start pg-boss', { cause: e })
    }
    this.pool = pool
    this.boss = boss
  }

  async send<T>(name: JobName, data: T, opts: JobOptions = {}): Promise<string | null> {
    assertName(name)
    const { boss, pool } = this.started()
    const options: PgBoss.SendOptions = {
      retryLimit: whole(opts.retryLimit, JOB_DEFAULTS.retryLimit, 0, 1000),
      retryDelay: whole(opts.retryDelaySeconds, JOB_DEFAULTS.retryDelaySeconds, 0, JOB_DEFAULTS.maxRetryDelaySeconds),
      retryBackoff: true,
      expireInSeconds: whole(opts.expireInSeconds, JOB_DEFAULTS.expireInSeconds, 1, MAX_EXPIRE_SECONDS),
    }
    if (opts.startAfter) options.startAfter = opts.startAfter
    // As JSON text: pg would turn a bare string or an array into something that is not JSON.
    const payload = JSON.stringify(data === undefined ? null : data) as unknown as object
    const key = opts.singletonKey
    let id: string | null
    if (key === undefined) {
      id = await boss.send(name, payload, options)
    } else {
      id = await transaction(pool, async (client) => {
        if (await this.liveSingleton(client, name, key)) return null
        return boss.send(name, payload, { ...options, singletonKey: key, db: { executeSql: (text, values) => client.query(text, values) } })
      })
    }
    if (id !== null && (!opts.startAfter || opts.startAfter <= new Date())) this.wake(name)
    return id
  }

  async work<T>(name: JobName, opts: WorkOptions, handler: JobHandler<T>): Promise<void> {
    assertName(name)
    this.started()
    if (this.stopping) throw new Error('jobs: the queue is stopped')
    const slots = Math.max(1, Math.floor(opts.concurrency))
    const pollMs = Math.max(MIN_POLL_MS, opts.pollMs ?? 2000)
    for (let i = 0; i < slots; i++) this.loops.push(this.loop(name, pollMs, handler as JobHandler<unknown>))
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.stopping) return
    this.stopping = true
    const { boss, pool } = this
    if (!boss || !pool) return
    const timeoutMs = Math.max(0, opts.timeoutMs ?? 30_000)
    for (const set of this.wakers.values()) for (const wake of set) wake()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.all(this.loops),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs) }),
    ])
    clearTimeout(timer)
    await Promise.allSettled([...this.claiming])
    for (const h of [...this.held]) {
      h.released = true
      this.held.delete(h)
      await this.release(h.job).catch((e) => this.onError(`jobs: could not release ${h.job.name} job ${h.job.id}`, e))
    }
    await boss.stop({ graceful: true, timeout: Math.max(1000, timeoutMs), wait: true }).catch((e) => this.onError('jobs: pg-boss stop failed', e))
    await pool.end().catch(() => {})
  }

  async counts(): Promise<JobCounts[]> {
    const { pool } = this.started()
    const r = await pool.query<{ name: string; state: string; n: number }>(
      `select name, state::text as state, count(*)::int as n from ${this.schema}.job where name = any($1::text[]) group by name, state`,
      [JOB_NAMES],
    )
    const out = JOB_NAMES.map((name) => ({ name, queued: 0, active: 0, failed: 0, completed: 0 }))
    for (const row of r.rows) {
      const c = out.find((x) => x.name === row.name)
      const k = STATE[row.state]
      if (c && k) c[k] += Number(row.n)
    }
    return out
  }

  async dead(q: { name?: JobName; limit: number }): Promise<DeadJob[]> {
    const { pool } = this.started()
    const names = q.name ? [q.name] : [...JOB_NAMES]
    const r = await pool.query<{ id: string; name: JobName; data: unknown; output: unknown; retry_count: number; completed_on: Date | null }>(
      `select id, name, data, output, retry_count, completed_on from ${this.schema}.job
       where state = 'failed' and name = any($1::text[]) order by completed_on desc nulls last, id limit $2`,
      [names, Math.max(1, Math.min(1000, Math.floor(q.limit) || 1))],
    )
    return r.rows.map((row) => ({
      id: row.id,
      name: row.name,
      data: row.data,
      error: outputMessage(row.output),
      failedAt: (row.completed_on ?? new Date(0)).toISOString(),
      attempts: row.retry_count + 1,
    }))
  }

  /**
   * pg-boss's `retry()` (state retry, one more attempt) plus what keeps the job from being archived
   * before it runs: its old completion time and its retention are reset.
   */
  async retryDead(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false
    const { pool } = this.started()
    const name = await transaction(pool, async (client) => {
      const r = await client.query<{ name: JobName; singleton_key: string | null }>(
        `select name, singleton_key from ${this.schema}.job where id = $1 and state = 'failed' and name = any($2::text[]) for update`,
        [id, JOB_NAMES],
      )
      const row = r.rows[0]
      if (!row) return null
      // The key's job that is already queued or running does the same work: this one stays dead.
      if (row.singleton_key !== null && (await this.liveSingleton(client, row.name, row.singleton_key))) return null
      const u = await client.query(
        `update ${this.schema}.job set state = 'retry', retry_limit = retry_limit + 1, start_after = now(), completed_on = null,
           keep_until = greatest(keep_until, now() + interval '14 days')
         where name = $1 and id = $2 and state = 'failed'`,
        [row.name, id],
      )
      return (u.rowCount ?? 0) > 0 ? row.name : null
    })
    if (name) this.wake(name)
    return name !== null
  }

  private started(): { boss: PgBoss; pool: pg.Pool } {
    if (!this.boss || !this.pool) throw new Error('jobs: start() the pg-boss queue first')
    return { boss: this.boss, pool: this.pool }
  }

  /** Makes the singleton look-up an index scan; created once per schema (new queues' partitions inherit it). */
  private async createKeyIndex(pool: pg.Pool): Promise<void> {
    await transaction(pool, async (client) => {
      await client.query('select pg_advisory_xact_lock(hashtext($1))', [`tidings.jobs:${this.schema}:index`])
      await client.query(`create index if not exists tidings_live_singleton on ${this.schema}.job (name, singleton_key) where state < 'completed'`)
    })
  }

  private async liveSingleton(client: pg.PoolClient, name: JobName, key: string): Promise<boolean> {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`tidings.jobs:${this.schema}:${name}:${key}`])
    const r = await client.query(
      `select 1 from ${this.schema}.job where name = $1 and singleton_key = $2 and state < 'completed' limit 1`,
      [name, key],
    )
    return (r.rowCount ?? 0) > 0
  }

  private async loop(name: JobName, pollMs: number, handler: JobHandler<unknown>): Promise<void> {
    const boss = this.boss!
    while (!this.stopping) {
      let job: Fetched | null = null
      const claim = boss.fetch<unknown>(name, { batchSize: 1, includeMetadata: true })
      this.claiming.add(claim)
      try {
        job = (await claim)[0] ?? null // pg-boss's fetch returns [] on a database error too
      } catch (e) {
        this.onError(`jobs: fetching ${name} jobs failed`, e)
      } finally {
        this.claiming.delete(claim)
      }
      if (job && this.stopping) {
        await this.release(job).catch((e) => this.onError(`jobs: could not release ${name} job ${job!.id}`, e))
        break
      }
      if (!job) {
        await this.idle(name, pollMs)
        continue
      }
      await this.run(name, job, handler)
    }
  }

  private async run(name: JobName, job: Fetched, handler: JobHandler<unknown>): Promise<void> {
    const h: Held = { job, released: false }
    this.held.add(h)
    let failure: { error: unknown } | null = null
    try {
      await handler({ id: job.id, name, data: job.data, attempt: job.retryCount + 1 })
    } catch (error) {
      failure = { error }
    }
    this.held.delete(h)
    if (h.released) return // stop() gave it back: another worker runs it
    const boss = this.boss!
    try {
      if (!failure) {
        await boss.complete(name, job.id)
        return
      }
      const e = failure.error
      const output = { message: errorMessage(e), ...(e instanceof Error && e.stack ? { stack: e.stack.slice(0, MAX_ERROR_CHARS) } : {}) }
      // One transaction, so that no worker ever sees the retry before its delay is capped.
      await transaction(this.pool!, async (client) => {
        await boss.fail(name, job.id, output, { db: { executeSql: (text, values) => client.query(text, values) } })
        await client.query(
          `update ${this.schema}.job set start_after = least(start_after, now() + make_interval(secs => $3))
           where name = $1 and id = $2 and state = 'retry'`,
          [name, job.id, JOB_DEFAULTS.maxRetryDelaySeconds],
        )
      })
    } catch (e) {
      this.onError(`jobs: could not record the outcome of ${name} job ${job.id}`, e)
    }
  }

  /**
   * Back in the queue at once. Clearing started_on keeps pg-boss from counting the interrupted run as a
   * retry on the next fetch; the retry_count guard leaves alone a job that expired and runs elsewhere.
   */
  private async release(job: Fetched): Promise<void> {
    await this.pool!.query(
      `update ${this.schema}.job
       set state = (case when retry_count = 0 then 'created' else 'retry' end)::${this.schema}.job_state, started_on = null, start_after = now()
       where name = $1 and id = $2 and state = 'active' and retry_count = $3`,
      [job.name, job.id, job.retryCount],
    )
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

const STATE: Record<string, 'queued' | 'active' | 'failed' | 'completed' | undefined> = {
  created: 'queued', retry: 'queued', active: 'active', completed: 'completed', failed: 'failed', cancelled: 'failed',
}

async function transaction<R>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
  const client = await pool.connect()
  let broken = false
  try {
    await client.query('begin')
    const out = await fn(client)
    await client.query('commit')
    return out
  } catch (e) {
    await client.query('rollback').catch(() => { broken = true })
    throw e
  } finally {
    client.release(broken) // a connection that cannot even roll back is closed, not pooled
  }
}

function assertName(name: string): asserts name is JobName {
  if (!(JOB_NAMES as readonly string[]).includes(name)) throw new Error(`jobs: unknown job name "${name}"`)
}

function whole(v: number | undefined, fallback: number, min: number, max: number): number {
  return v === undefined || !Number.isFinite(v) ? fallback : Math.min(max, Math.max(min, Math.floor(v)))
}

function errorMessage(error: unknown): string {
  const s = error instanceof Error ? error.message || error.name : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error)
  return s.slice(0, MAX_ERROR_CHARS)
}

/** pg-boss keeps the failure as JSON: ours `{ message, stack }`, its expiry `{ value: { message } }`. */
function outputMessage(output: unknown): string {
  if (output && typeof output === 'object') {
    const o = output as { message?: unknown; value?: { message?: unknown } }
    if (typeof o.message === 'string') return o.message
    if (typeof o.value?.message === 'string') return o.value.message
  }
  return output === null || output === undefined ? '' : JSON.stringify(output)
}
