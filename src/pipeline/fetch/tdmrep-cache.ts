/**
 * `/.well-known/tdmrep.json` per origin, fetched at most once per TTL and shared between concurrent
 * callers, so that checking every article page costs one request per site a day. TDMRep asks agents to
 * keep the file in memory and check every resource against it; that is all this does.
 */
import type { AiOptOut } from '../../domain/types.js'
import type { Result, StageError } from '../../domain/result.js'
import { NO_OPT_OUT, optOutFromTdmRep, parseTdmRep } from './ai-optout.js'
import type { TdmRepRule } from './ai-optout.js'

export interface TdmRepLookupDeps {
  /** GET the URL; a non-2xx status may come back either as a value or as an error carrying `status`. */
  fetch: (url: string) => Promise<Result<{ status: number; body: string }, StageError>>
  now: () => number
  /** How long a fetched file (or a definite "none here": 4xx, unparsable) is trusted; 24 h. */
  ttlMs?: number
  /** How long a network error, 5xx or 429 counts as "no rules" before the next try; 1 h. */
  errorTtlMs?: number
  /** Origins remembered at once; the oldest is forgotten first. */
  maxEntries?: number
}

const DAY_MS = 24 * 60 * 60_000
const HOUR_MS = 60 * 60_000

interface Entry {
  rules: TdmRepRule[]
  expiresAt: number
}

/** A status that says "there is no file here" for good, as opposed to "ask again later". */
const definite = (status: number | undefined): boolean => status !== undefined && status >= 400 && status < 500 && status !== 429

export function createTdmRepLookup(deps: TdmRepLookupDeps): (pageUrl: string) => Promise<AiOptOut> {
  const ttlMs = deps.ttlMs ?? DAY_MS
  const errorTtlMs = deps.errorTtlMs ?? Math.min(HOUR_MS, ttlMs)
  const maxEntries = deps.maxEntries ?? 10_000
  const cache = new Map<string, Entry>()
  const inFlight = new Map<string, Promise<TdmRepRule[]>>()

  async function load(origin: string): Promise<{ rules: TdmRepRule[]; ttl: number }> {
    let res: Awaited<ReturnType<TdmRepLookupDeps['fetch']>>
    try {
      res = await deps.fetch(`${origin}/.well-known/tdmrep.json`)
    } catch {
      // A throwing fetch is someone else's bug; it must not fail the article that asked.
      return { rules: [], ttl: errorTtlMs }
    }
    if (!res.ok) return { rules: [], ttl: definite(res.error.status) ? ttlMs : errorTtlMs }
    const { status, body } = res.value
    if (status < 200 || status >= 300) return { rules: [], ttl: definite(status) ? ttlMs : errorTtlMs }
    const parsed = parseTdmRep(body)
    // A broken file (or a soft-404 page served as 200) is "no rules" until the publisher fixes it.
    return { rules: parsed.ok ? parsed.value : [], ttl: ttlMs }
  }

  function rulesFor(origin: string): Promise<TdmRepRule[]> {
    const hit = cache.get(origin)
    if (hit && hit.expiresAt > deps.now()) return Promise.resolve(hit.rules)
    const pending = inFlight.get(origin)
    if (pending) return pending
    const started = load(origin).then(({ rules, ttl }) => {
      inFlight.delete(origin)
      cache.delete(origin) // re-inserted last, so Map order stays oldest-first for eviction
      cache.set(origin, { rules, expiresAt: deps.now() + ttl })
      while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string)
      return rules
    })
    inFlight.set(origin, started)
    return started
  }

  return async (pageUrl: string): Promise<AiOptOut> => {
    let url: URL
    try {
      url = new URL(pageUrl)
    } catch {
      return { ...NO_OPT_OUT, signals: [] }
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ...NO_OPT_OUT, signals: [] }
    // The well-known file belongs to the origin (scheme, host and port) the page came from.
    return optOutFromTdmRep(await rulesFor(url.origin), url.href)
  }
}
