/**
 * Delay before the next try after `errorCount` consecutive failures: base·2^(n-1) capped at `maxMs`,
 * then jittered down to [50%, 100%] of that so sources that failed together do not retry together.
 */
export function backoffMs(opts: { errorCount: number; baseMs: number; maxMs: number; random: () => number }): number {
  const { errorCount, baseMs, maxMs, random } = opts
  if (errorCount <= 0) return 0
  const ceiling = Math.min(maxMs, baseMs * 2 ** (errorCount - 1))
  return Math.round(ceiling * (0.5 + 0.5 * random()))
}

/**
 * Retry-After in seconds from either form the header takes: delta-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, counted from `nowMs`, never negative). Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  const v = value?.trim()
  if (!v) return null
  if (/^\d+$/.test(v)) return Number(v)
  // Date.parse would also take `2026-10-21` or `5`; insist on something that looks like an HTTP-date.
  if (!/[a-z]{3}/i.test(v)) return null
  const at = Date.parse(v)
  if (Number.isNaN(at)) return null
  return Math.max(0, Math.ceil((at - nowMs) / 1000))
}
