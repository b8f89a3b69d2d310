import type { AiTask } from '../domain/types.js'
import type { Result, StageError } from '../domain/result.js'
import type { Store } from '../store/store.js'

/** What running one task gave: the feature's value and what it cost. */
export interface AiRunValue {
  value: unknown
  promptTokens: number | null
  completionTokens: number | null
  latencyMs: number | null
}

export type AiRun = (task: AiTask, signal: AbortSignal) => Promise<Result<AiRunValue, StageError>>

export type AiWorkerEvent =
  | { type: 'ai_done'; task: AiTask; latencyMs: number | null }
  | { type: 'ai_retry'; task: AiTask; error: StageError; nextTryAt: string }
  | { type: 'ai_failed'; task: AiTask; error: StageError }

export interface AiWorkerDeps {
  store: Pick<Store, 'claimAiTasks' | 'finishAiTask'>
  run: AiRun
  now: () => Date
  log?: (e: AiWorkerEvent) => void
  /** Where the worker's own failures go (claiming, recording): the app's logger; the console without one. */
  onError?: (message: string, e: unknown) => void
}

export interface AiWorkerOptions {
  concurrency: number
  /** Attempts before a retryable failure is final. */
  maxAttempts: number
  /** How long a claimed task is ours; past it another worker may take it (this one died). */
  leaseMs: number
  /** Polling interval when idle; `kick()` wakes the worker at once. */
  idleMs: number
  autoStart: boolean
}

export interface AiWorker {
  /** Claims and runs due tasks until none is left; resolves with how many ran. */
  drain(): Promise<number>
  /** Wakes the loop now (a reader just asked for something). */
  kick(): void
  stop(): Promise<void>
}

/** Back-off before the next try: what the server asked for, else 30 s doubling per attempt, at most an hour. */
export function retryDelayMs(error: StageError, attempts: number): number {
  if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0) return Math.min(error.retryAfterSeconds, 6 * 3600) * 1000
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000)
}

/**
 * Runs model tasks from the store's queue: any number of these, in any number of processes, share
 * the work, since claiming is exclusive. A task that fails in a way worth retrying (a timeout, a rate
 * limit, a server error, garbage) goes back in the queue with a back-off and its error visible; after
 * `maxAttempts`, or at once for errors that will not change (a bad key), it fails for good. A thrown
 * error is a bug in a feature: it fails that task and the loop goes on.
 */
export function createAiWorker(deps: AiWorkerDeps, opts: AiWorkerOptions): AiWorker {
  const fail = deps.onError ?? ((message: string, e: unknown) => console.error(message, e))
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let draining: Promise<number> | null = null
  const controller = new AbortController()

  const finish = async (task: AiTask, r: Result<AiRunValue, StageError>): Promise<void> => {
    const now = deps.now()
    if (r.ok) {
      await deps.store.finishAiTask(task.id, { status: 'done', result: r.value.value, promptTokens: r.value.promptTokens, completionTokens: r.value.completionTokens, latencyMs: r.value.latencyMs }, now.toISOString())
      deps.log?.({ type: 'ai_done', task, latencyMs: r.value.latencyMs })
      return
    }
    const error = r.error
    if (error.retryable && task.attempts < opts.maxAttempts) {
      const nextTryAt = new Date(now.getTime() + retryDelayMs(error, task.attempts)).toISOString()
      await deps.store.finishAiTask(task.id, { status: 'retry', errorCode: error.code, errorMessage: error.message, nextTryAt }, now.toISOString())
      deps.log?.({ type: 'ai_retry', task, error, nextTryAt })
      return
    }
    await deps.store.finishAiTask(task.id, { status: 'failed', errorCode: error.code, errorMessage: error.message }, now.toISOString())
    deps.log?.({ type: 'ai_failed', task, error })
  }

  const runOne = async (task: AiTask): Promise<void> => {
    let r: Result<AiRunValue, StageError>
    try {
      r = await deps.run(task, controller.signal)
    } catch (e) {
      r = { ok: false, error: { stage: 'ai', code: 'ai_internal', message: e instanceof Error ? e.message : String(e), retryable: false, cause: e } }
    }
    await finish(task, r).catch((e) => fail(`ai: could not record the outcome of task #${task.id}`, e))
  }

  const drain = (): Promise<number> => {
    if (draining) return draining
    draining = (async () => {
      let ran = 0
      try {
        while (!stopped) {
          const now = deps.now()
          const tasks = await deps.store.claimAiTasks({ now: now.toISOString(), leaseUntil: new Date(now.getTime() + opts.leaseMs).toISOString(), limit: opts.concurrency })
          if (tasks.length === 0) break
          await Promise.all(tasks.map(runOne))
          ran += tasks.length
        }
      } catch (e) {
        fail('ai: claiming tasks failed', e)
      } finally {
        draining = null
      }
      return ran
    })()
    return draining
  }

  const loop = () => {
    if (stopped) return
    void drain().finally(() => {
      if (!stopped) timer = setTimeout(loop, opts.idleMs)
    })
  }
  if (opts.autoStart) timer = setTimeout(loop, 0)

  return {
    drain,
    kick() {
      if (stopped || !opts.autoStart || draining) return
      if (timer) clearTimeout(timer)
      timer = setTimeout(loop, 0)
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      controller.abort()
      await draining
    },
  }
}
