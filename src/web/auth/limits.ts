import type { Store } from '../../store/store.js'

export type LimitCheck = { ok: true } | { ok: false; retryAfterSeconds: number; message: string }

const inWords = (s: number) => (s < 90 ? `${Math.max(1, Math.ceil(s))} seconds` : s < 5400 ? `${Math.ceil(s / 60)} minutes` : `${Math.ceil(s / 3600)} hours`)

/**
 * Counts one attempt against each limit (fixed windows in the store, so every process on the
 * database sees the same counts) and says whether all hold, with when to come back.
 */
export async function spend(store: Store, now: Date, limits: { key: string; max: number; windowMs: number; what: string }[]): Promise<LimitCheck> {
  for (const l of limits) {
    const r = await store.hitRateLimit(l.key, l.windowMs, now.toISOString())
    if (r.count > l.max) {
      const wait = Math.max(1, (Date.parse(r.resetAt) - now.getTime()) / 1000)
      return { ok: false, retryAfterSeconds: Math.ceil(wait), message: `${l.what} Try again in ${inWords(wait)}.` }
    }
  }
  return { ok: true }
}

/** Is the key over its limit now (without counting an attempt)? */
export async function blocked(store: Store, now: Date, l: { key: string; max: number; what: string }): Promise<LimitCheck> {
  const r = await store.peekRateLimit(l.key, now.toISOString())
  if (!r || r.count < l.max) return { ok: true }
  const wait = Math.max(1, (Date.parse(r.resetAt) - now.getTime()) / 1000)
  return { ok: false, retryAfterSeconds: Math.ceil(wait), message: `${l.what} Try again in ${inWords(wait)}.` }
}
