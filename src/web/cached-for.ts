/**
 * `load()`'s value, kept for `ms` after it settles: callers in that time (and those arriving while
 * it loads) share one load. A failed load is not kept, so the next caller tries again.
 */
export function cachedFor<T>(ms: number, load: () => Promise<T>, now: () => number = Date.now): () => Promise<T> {
  let value: Promise<T> | null = null
  let until = 0
  return () => {
    if (value && now() < until) return value
    const p = load()
    value = p
    until = Number.POSITIVE_INFINITY // in flight: shared until it settles
    p.then(() => { if (value === p) until = now() + ms }, () => { if (value === p) value = null })
    return p
  }
}
