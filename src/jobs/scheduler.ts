import type { Source } from '../domain/types.js'
import { refreshSource } from '../pipeline/ingest.js'
import type { IngestDeps, RefreshReport } from '../pipeline/deps.js'

export interface Scheduler {
  /** Refreshes one source now (the "refresh now" button); joins a refresh already running for it. */
  refreshNow(sourceId: number): Promise<RefreshReport | null>
  /** Runs one polling round now and resolves when it is done. */
  tick(): Promise<void>
  /** True until the first round has finished. */
  warmingUp(): boolean
  stop(): Promise<void>
}

/**
 * Polls due sources inside `tidings serve`: each tick takes the sources whose next check has come
 * and refreshes them with bounded concurrency. Per-host limits and back-off live in the fetcher and
 * in each source's next-check time, so the scheduler itself stays simple.
 */
export function createScheduler(
  deps: IngestDeps,
  opts: {
    tickMs: number; concurrency: number; autoStart: boolean; /** WebSub lease renewals, once per tick. */ renewPush?: () => Promise<void>
    /** With workers: due sources become fetch jobs (any worker takes them) instead of refreshes here. */
    dispatch?: (source: Source) => Promise<boolean>
    /** Where failures of the loop itself go (the app's logger; the console without one). */
    onError?: (message: string, e: unknown) => void
  },
): Scheduler {
  const fail = opts.onError ?? ((message: string, e: unknown) => console.error(`scheduler: ${message}`, e))
  const inFlight = new Map<number, Promise<RefreshReport>>()
  let timer: NodeJS.Timeout | null = null
  let round: Promise<void> | null = null
  let firstRoundDone = false
  let stopped = false

  const run = (source: Source): Promise<RefreshReport> => {
    const running = inFlight.get(source.id)
    if (running) return running
    const p = refreshSource(deps, source).finally(() => inFlight.delete(source.id))
    inFlight.set(source.id, p)
    return p
  }

  const tick = (): Promise<void> => {
    if (round) return round
    round = (async () => {
      try {
        if (opts.dispatch) {
          // Every process that schedules may send the same source: the queue keeps one fetch per source.
          for (const s of await deps.store.dueSources(deps.now().toISOString(), 500)) {
            if (stopped) break
            await opts.dispatch(s).catch((e) => fail('could not queue a fetch', e))
          }
          await opts.renewPush?.().catch((e) => fail('WebSub renewal failed', e))
          return
        }
        const due = (await deps.store.dueSources(deps.now().toISOString(), opts.concurrency * 8)).filter((s) => !inFlight.has(s.id))
        let next = 0
        const lane = async () => {
          while (!stopped && next < due.length) await run(due[next++]!).catch((e) => fail('refresh failed', e))
        }
        await Promise.all(Array.from({ length: Math.min(opts.concurrency, due.length) }, lane))
        await opts.renewPush?.().catch((e) => fail('WebSub renewal failed', e))
      } catch (e) {
        fail('tick failed', e)
      } finally {
        firstRoundDone = true
        round = null
      }
    })()
    return round
  }

  const loop = () => {
    if (stopped) return
    void tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, opts.tickMs)
    })
  }
  if (opts.autoStart) loop()
  else firstRoundDone = true

  return {
    async refreshNow(sourceId) {
      const source = await deps.store.getSource(sourceId)
      return source ? run(source) : null
    },
    tick,
    warmingUp: () => !firstRoundDone,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await Promise.allSettled([round, ...inFlight.values()])
    },
  }
}
