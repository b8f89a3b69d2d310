/**
 * When to poll a source next, and when to give up on it: pure functions of what the last fetch said
 * (headers, the feed's ttl/skipHours/skipDays, the error), how often the source publishes, the clock
 * and a random source, so tests give exact times.
 */
import type { IsoDate, PollHints, Source } from '../../domain/types.js'
import type { StageError } from '../../domain/result.js'
import { backoffMs } from '../fetch/backoff.js'

export interface SchedulePolicy {
  /** Interval for a source whose publishing rhythm is not known yet (fewer than three distinct article times). */
  pollIntervalMinutes: number
  /** Bounds of the adaptive interval; the floor also applies to a short Cache-Control max-age. */
  minIntervalMinutes: number
  maxIntervalMinutes: number
  backoffBaseMinutes: number
  backoffMaxMinutes: number
  /** A source is paused after this many failures in a row spanning at least `pauseAfterDays`. */
  pauseAfterFailures: number
  pauseAfterDays: number
  /** While a WebSub hub pushes the source's updates, polling slows to this safety interval (never stops). */
  pushPollMinutes: number
}

export const DEFAULT_SCHEDULE: SchedulePolicy = {
  pollIntervalMinutes: 30,
  minIntervalMinutes: 15,
  maxIntervalMinutes: 6 * 60,
  backoffBaseMinutes: 5,
  backoffMaxMinutes: 24 * 60,
  pauseAfterFailures: 10,
  pauseAfterDays: 3,
  pushPollMinutes: 6 * 60,
}

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
/** A feed's ttl or a server's max-age never pushes the next check further out than this. */
const HINT_CEILING_MINUTES = 24 * 60
/** Throttling (429, a refused feed, a bot check) backs off this many times slower than an ordinary error. */
const THROTTLE_FACTOR = 4
/** How many of the latest article times describe a source's rhythm. */
export const RHYTHM_SAMPLE = 20

const THROTTLING = new Set(['http_throttled', 'bot_challenge'])
/** Failures that retrying will not fix by itself: the source is paused after fewer of them. */
const PERMANENT = new Set(['http_not_found', 'http_client_error', 'invalid_url', 'unsupported_protocol', 'blocked_private_address'])

export const isThrottling = (e: Pick<StageError, 'code' | 'status'>): boolean =>
  THROTTLING.has(e.code) || (e.code === 'http_forbidden' && e.status === 403)

const isPermanent = (e: Pick<StageError, 'code' | 'status'>): boolean =>
  PERMANENT.has(e.code) || (e.code === 'http_forbidden' && e.status === 401)

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v))

/**
 * Minutes between polls suited to how often the source publishes, from its latest article times
 * (any order): about 3·√gap, where gap is the median time between articles or, when the source has
 * gone quiet, the time since its latest one. Hourly → ~23 min, daily → ~2 h, weekly → ~5 h (then
 * bounded by the policy). Null when there are fewer than three distinct times to go by.
 */
export function publishingInterval(times: readonly IsoDate[], ctx: { now: Date; policy: Pick<SchedulePolicy, 'minIntervalMinutes' | 'maxIntervalMinutes'> }): number | null {
  const nowMs = ctx.now.getTime()
  // Articles stored in one batch without dates share a time: one publication event, not many.
  const minutes = [...new Set(times.map((t) => Math.floor(Date.parse(t) / MINUTE)))]
    .filter((m) => Number.isFinite(m) && m * MINUTE <= nowMs)
    .sort((a, b) => b - a)
  if (minutes.length < 3) return null
  const gaps = minutes.slice(1).map((m, i) => minutes[i]! - m).sort((a, b) => a - b)
  const mid = gaps.length >> 1
  const median = gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2
  const quiet = nowMs / MINUTE - minutes[0]!
  const gap = Math.max(median, quiet)
  return clamp(Math.round(3 * Math.sqrt(gap)), ctx.policy.minIntervalMinutes, ctx.policy.maxIntervalMinutes)
}

/**
 * How long the response may be reused, in minutes, from Cache-Control max-age (less Age) or Expires
 * (against the server's Date, so a wrong clock on either side does not matter). Null when the
 * headers say nothing usable or forbid reuse.
 */
export function freshnessMinutes(headers: Readonly<Record<string, string>>): number | null {
  const cc = (headers['cache-control'] ?? '').toLowerCase()
  if (/(?:^|,)\s*(?:no-store|no-cache)\b/.test(cc)) return null
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/.exec(cc)
  if (maxAge) {
    const age = Number(/^\d+$/.test((headers['age'] ?? '').trim()) ? headers['age']!.trim() : 0)
    const s = Number(maxAge[1]) - age
    return s > 0 ? s / 60 : null
  }
  const expires = Date.parse(headers['expires'] ?? '')
  if (Number.isNaN(expires)) return null
  const served = Date.parse(headers['date'] ?? '')
  if (Number.isNaN(served)) return null
  const s = (expires - served) / 1000
  return s > 0 ? s / 60 : null
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/**
 * The first moment at or after `at` outside the feed's skipHours/skipDays (both in GMT, as RSS
 * says). A feed that skips every hour or every day is ignored rather than never polled.
 */
export function skipForward(at: Date, hints: Pick<PollHints, 'skipHours' | 'skipDays'> | null): Date {
  const hours = new Set((hints?.skipHours ?? []).filter((h) => h >= 0 && h < 24))
  const days = new Set((hints?.skipDays ?? []).map((d) => DAY_NAMES.indexOf(d)).filter((d) => d >= 0))
  if (hours.size >= 24 || days.size >= 7 || (hours.size === 0 && days.size === 0)) return at
  let t = at
  for (let i = 0; i < 8 * 24; i++) {
    if (!hours.has(t.getUTCHours()) && !days.has(t.getUTCDay())) return t
    const nextHour = new Date(t)
    nextHour.setUTCMinutes(0, 0, 0)
    nextHour.setUTCHours(nextHour.getUTCHours() + 1)
    t = nextHour
  }
  return at
}

export interface SuccessInput {
  now: Date
  random: () => number
  policy: SchedulePolicy
  /** Response headers (lower-cased names): Cache-Control, Age, Expires, Date. */
  headers: Readonly<Record<string, string>>
  /** The feed's ttl/skipHours/skipDays (from this fetch, or kept from the last one on 304). */
  hints: PollHints | null
  /** The source's latest article times (see RHYTHM_SAMPLE). */
  recent: readonly IsoDate[]
  /** Until when a WebSub hub is trusted to push this source's updates (null: no push). */
  pushActiveUntil?: IsoDate | null
}

/**
 * After a successful fetch: the publishing rhythm (or the default interval) with up to 10% jitter so
 * sources added together drift apart; never sooner than the feed's ttl or the response's freshness
 * (a short max-age is raised to the floor, a long one cut to a day); then moved out of skipped hours.
 */
export function nextCheckAfterSuccess(input: SuccessInput): IsoDate {
  const { now, policy, hints } = input
  const rhythm = publishingInterval(input.recent, { now, policy }) ?? policy.pollIntervalMinutes
  const base = rhythm * (1 + 0.1 * input.random())
  const ttl = hints?.ttlMinutes ? Math.min(hints.ttlMinutes, HINT_CEILING_MINUTES) : 0
  const fresh = freshnessMinutes(input.headers)
  const cache = fresh === null ? 0 : clamp(fresh, policy.minIntervalMinutes, HINT_CEILING_MINUTES)
  let minutes = Math.max(base, ttl, cache)
  // Pushed updates make polling a safety net: slower, but back to normal when push is no longer trusted.
  const pushLeft = input.pushActiveUntil ? (Date.parse(input.pushActiveUntil) - now.getTime()) / MINUTE : 0
  if (pushLeft > 0) minutes = Math.max(minutes, Math.min(policy.pushPollMinutes, pushLeft))
  const at = new Date(now.getTime() + Math.round(minutes * MINUTE))
  return skipForward(at, hints).toISOString()
}

/** What a failed fetch changes on the source. */
export interface FailureOutcome {
  errorCount: number
  failingSince: IsoDate
  nextCheckAt: IsoDate
  /** Set when polling gives up (stays as it was when already paused). */
  pausedAt: IsoDate | null
  pauseReason: string | null
}

export interface FailureInput {
  now: Date
  random: () => number
  policy: SchedulePolicy
  source: Pick<Source, 'errorCount' | 'failingSince' | 'pausedAt' | 'pauseReason'>
  error: Pick<StageError, 'code' | 'status' | 'retryAfterSeconds'>
}

/**
 * After a failed fetch: exponential back-off with jitter (throttling backs off `THROTTLE_FACTOR`
 * times slower), never sooner than the server's Retry-After; and the pause rule — 410 Gone pauses at
 * once, failures retrying cannot fix (404, other 4xx, a blocked address) after a third of the
 * failures over a third of the days, anything else after `pauseAfterFailures` over `pauseAfterDays`.
 */
export function afterFailure(input: FailureInput): FailureOutcome {
  const { now, policy, source, error } = input
  const errorCount = source.errorCount + 1
  const failingSince = source.failingSince ?? now.toISOString()
  const factor = isThrottling(error) ? THROTTLE_FACTOR : 1
  const backoff = backoffMs({
    errorCount, baseMs: policy.backoffBaseMinutes * factor * MINUTE, maxMs: policy.backoffMaxMinutes * MINUTE, random: input.random,
  })
  const waitMs = Math.max(backoff, (error.retryAfterSeconds ?? 0) * 1000)
  const nextCheckAt = new Date(now.getTime() + waitMs).toISOString()
  if (source.pausedAt) return { errorCount, failingSince, nextCheckAt, pausedAt: source.pausedAt, pauseReason: source.pauseReason }
  const pause = pauseReason({ errorCount, spanMs: now.getTime() - Date.parse(failingSince), error, policy })
  return { errorCount, failingSince, nextCheckAt, pausedAt: pause ? now.toISOString() : null, pauseReason: pause }
}

function pauseReason(p: { errorCount: number; spanMs: number; error: Pick<StageError, 'code' | 'status'>; policy: SchedulePolicy }): string | null {
  if (p.error.code === 'http_gone') return 'the publisher removed this feed (HTTP 410 Gone)'
  const permanent = isPermanent(p.error)
  const failures = permanent ? Math.ceil(p.policy.pauseAfterFailures / 3) : p.policy.pauseAfterFailures
  const days = permanent ? p.policy.pauseAfterDays / 3 : p.policy.pauseAfterDays
  if (p.errorCount < failures || p.spanMs < days * DAY) return null
  const span = p.spanMs >= DAY ? `${Math.floor(p.spanMs / DAY)} day${p.spanMs >= 2 * DAY ? 's' : ''}` : `${Math.floor(p.spanMs / 3_600_000)} hours`
  return `failed ${p.errorCount} times in a row over ${span} (last: ${p.error.code})`
}

/** What "Resume" writes on a paused source: polled again at once, with a fresh count of failures. */
export function resumePatch(now: Date): { pausedAt: null; pauseReason: null; errorCount: 0; failingSince: null; nextCheckAt: IsoDate } {
  return { pausedAt: null, pauseReason: null, errorCount: 0, failingSince: null, nextCheckAt: now.toISOString() }
}
