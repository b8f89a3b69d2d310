/**
 * The job queue: one interface, two implementations kept honest by one contract suite
 * (queue.contract.ts). `EmbeddedQueue` keeps jobs in the store's own database (the SQLite install);
 * `PgBossQueue` uses pg-boss on Postgres, where many worker processes share the work.
 *
 * Delivery is at least once: a job whose worker dies (or outlives `expireInSeconds`) runs again, so
 * handlers must be safe to repeat.
 */

export const JOB_NAMES = ['fetch', 'extract', 'cluster', 'enrich'] as const
export type JobName = (typeof JOB_NAMES)[number]

export interface JobOptions {
  /** At most one queued-or-active job with this key per queue (e.g. one fetch per source). */
  singletonKey?: string
  startAfter?: Date
  /** Retries after the first attempt; the job is dead after `retryLimit + 1` failed attempts. Default 3. */
  retryLimit?: number
  /** Default 30, doubled each retry (back-off), capped at 1 h. */
  retryDelaySeconds?: number
  /** A worker holding a job longer than this has died: the job is retried. Default 15 min. */
  expireInSeconds?: number
}

export const JOB_DEFAULTS = Object.freeze({ retryLimit: 3, retryDelaySeconds: 30, expireInSeconds: 15 * 60, maxRetryDelaySeconds: 3600 })

export interface Job<T = unknown> {
  id: string
  name: JobName
  data: T
  /** 1 on the first run, 2 on the first retry, … A job released by `stop()` keeps its number. */
  attempt: number
}

export interface JobCounts {
  name: JobName
  /** Waiting to run, including retries waiting out their back-off. */
  queued: number
  active: number
  /** Dead letters: retries exhausted. */
  failed: number
  /** Recently completed (kept about a day). */
  completed: number
}

export interface DeadJob {
  id: string
  name: JobName
  data: unknown
  error: string
  failedAt: string
  attempts: number
}

export interface WorkOptions {
  /** Jobs of this name run at once in this process (independent slots, each holding one job). */
  concurrency: number
  /** How long an idle slot waits before looking again. Default 2000 ms (pg-boss: at least 500). */
  pollMs?: number
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>

export interface JobQueue {
  readonly kind: 'embedded' | 'pg-boss'
  start(): Promise<void>
  /** Null when a singleton with that key is already queued or active. */
  send<T>(name: JobName, data: T, opts?: JobOptions): Promise<string | null>
  /**
   * Runs `handler` for jobs of `name`, up to `concurrency` at once in this process. A handler that
   * throws fails the attempt: retried with back-off until retryLimit, then the job is dead (state 'failed').
   */
  work<T>(name: JobName, opts: WorkOptions, handler: JobHandler<T>): Promise<void>
  /**
   * Stops taking jobs; waits up to `timeoutMs` (default 30 s) for running handlers; jobs still running
   * are released (made available again at once, without using up an attempt) so another worker takes them.
   */
  stop(opts?: { timeoutMs?: number }): Promise<void>
  /** One entry per job name, in JOB_NAMES order. */
  counts(): Promise<JobCounts[]>
  /** Dead jobs, most recently failed first. */
  dead(q: { name?: JobName; limit: number }): Promise<DeadJob[]>
  /**
   * Queues a dead job again (the admin's "retry"): it gets one more attempt. False if no dead job has that
   * id, or if its singleton key already has a job queued or active (that job does the same work).
   */
  retryDead(id: string): Promise<boolean>
}
