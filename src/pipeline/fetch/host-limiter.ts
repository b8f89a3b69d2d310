/**
 * Politeness per host: at most `concurrency` requests in flight, request starts paced by a token
 * bucket (one token every `intervalMs`, up to `burst` saved up; a caller that waits for a token waits
 * up to 25% of an interval longer, so many hosts on one schedule drift apart and the real rate stays
 * at or under the limit), and
 * a hold when the host asked us to back off (Retry-After, throttling). Callers queue FIFO per host;
 * hosts never wait on each other.
 */

export interface HostLimiterOptions {
  concurrency: number
  /** Time to earn one token: the long-run gap between request starts (0: no pacing). */
  intervalMs: number
  /** Tokens an idle host saves up: that many requests may start back to back (default 1). */
  burst?: number
  /** Hosts that need no pacing (our own loopback demo publisher): no gap between starts. */
  unpacedHosts?: readonly string[]
  /** Holds longer than this are not waited out (the caller should fail fast instead). */
  maxHoldMs?: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export interface HostLimiter {
  /** Runs `fn` when it is this caller's turn for `host`; the slot is held until `fn` settles. */
  run<T>(host: string, fn: () => Promise<T>): Promise<T>
  /** No request to `host` starts before `untilMs` (a later hold wins over an earlier one). */
  hold(host: string, untilMs: number): void
  /** The end of the current hold on `host`, or 0. */
  heldUntil(host: string): number
}

interface HostState {
  active: number
  /** Callers that have called run() and not yet finished. */
  pending: number
  /** Start decisions are made one caller at a time, in arrival order: this is the tail of that line. */
  gate: Promise<void>
  /** The caller at the head of the line, waiting for a free slot. */
  wakeSlot: (() => void) | null
  /**
   * The bucket as a "theoretical arrival time" (GCRA): a start is allowed once `now` reaches
   * tat − (burst − 1)·interval; each start pushes tat one interval past max(tat, now).
   */
  tat: number
  holdUntil: number
  /** Refill interval for this host (0 for unpaced hosts). */
  intervalMs: number
}

export const DEFAULT_MAX_HOLD_MS = 10 * 60_000

export function createHostLimiter(opts: HostLimiterOptions): HostLimiter {
  const { now, sleep, random } = opts
  const concurrency = Math.max(1, Math.floor(opts.concurrency))
  const burst = Math.max(1, Math.floor(opts.burst ?? 1))
  const maxHoldMs = opts.maxHoldMs ?? DEFAULT_MAX_HOLD_MS
  const hosts = new Map<string, HostState>()
  const unpaced = new Set(opts.unpacedHosts ?? [])

  const idle = (s: HostState): boolean => s.pending === 0 && now() >= Math.max(s.tat, s.holdUntil)
  const nextStartAt = (s: HostState): number => s.tat - (burst - 1) * s.intervalMs

  function state(host: string): HostState {
    let s = hosts.get(host)
    if (!s) {
      // Forget hosts with nothing queued and no pacing or hold left to enforce, so the map stays small.
      if (hosts.size >= 256) for (const [h, st] of hosts) if (idle(st)) hosts.delete(h)
      s = { active: 0, pending: 0, gate: Promise.resolve(), wakeSlot: null, tat: 0, holdUntil: 0, intervalMs: unpaced.has(host) ? 0 : opts.intervalMs }
      hosts.set(host, s)
    }
    return s
  }

  async function acquire(s: HostState): Promise<void> {
    while (s.active >= concurrency) await new Promise<void>((resolve) => (s.wakeSlot = resolve))
    // Sleep again only if the deadline moved meanwhile (a hold set or extended), not merely because
    // now() did not advance: a clock that is frozen or not tied to sleep() must not loop forever.
    let slept = -1
    // A wall clock set back must not stall the host: the bucket is never more than full-empty ahead.
    s.tat = Math.min(s.tat, now() + burst * s.intervalMs)
    // Jitter only delays a caller that has to wait for a token: a saved-up burst starts at once.
    const tokenAt = nextStartAt(s)
    const jitter = s.intervalMs * 0.25 * random()
    const startAt = tokenAt > now() ? tokenAt + jitter : tokenAt
    for (;;) {
      const hold = s.holdUntil - now() <= maxHoldMs ? s.holdUntil : 0
      const until = Math.max(startAt, hold)
      if (until <= now() || until === slept) break
      slept = until
      await sleep(until - now())
    }
    s.active++
    s.tat = Math.max(s.tat, now()) + s.intervalMs
  }

  return {
    async run<T>(host: string, fn: () => Promise<T>): Promise<T> {
      const s = state(host)
      s.pending++
      const turn = s.gate.then(() => acquire(s))
      s.gate = turn.catch(() => {}) // a failed sleep must not wedge the line behind it
      try {
        await turn
      } catch (e) {
        s.pending--
        throw e
      }
      try {
        return await fn()
      } finally {
        s.active--
        s.pending--
        const wake = s.wakeSlot
        s.wakeSlot = null
        wake?.()
      }
    },
    hold(host, untilMs) {
      const s = state(host)
      s.holdUntil = Math.max(s.holdUntil, untilMs)
    },
    heldUntil(host) {
      const until = hosts.get(host)?.holdUntil ?? 0
      return until > now() ? until : 0
    },
  }
}
