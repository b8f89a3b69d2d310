import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  DEFAULT_SCHEDULE, afterFailure, freshnessMinutes, nextCheckAfterSuccess, publishingInterval, resumePatch, skipForward,
} from './next-check.js'
import type { FailureInput } from './next-check.js'

const NOW = new Date('2026-11-22T12:00:00.000Z') // a Sunday
const policy = DEFAULT_SCHEDULE
const minutesAgo = (n: number): string => new Date(NOW.getTime() - n * 60_000).toISOString()
/** Article times `every` minutes apart, the newest `since` minutes ago. */
const rhythm = (every: number, count: number, since = 0): string[] => Array.from({ length: count }, (_, i) => minutesAgo(since + i * every))

test('publishingInterval follows how often a source publishes, within bounds', () => {
  const at = (times: string[]) => publishingInterval(times, { now: NOW, policy })
  assert.equal(at(rhythm(60, 20)), 23, 'hourly → every 23 min')
  assert.equal(at(rhythm(24 * 60, 20)), 114, 'daily → about every 2 h')
  assert.equal(at(rhythm(7 * 24 * 60, 20)), 301, 'weekly → about every 5 h')
  assert.equal(at(rhythm(2, 20)), 15, 'every 2 min → the 15-min floor')
  assert.equal(at(rhythm(30 * 24 * 60, 5)), 360, 'monthly → the 6-h ceiling')
  assert.equal(at(rhythm(60, 20, 8 * 60)), 66, 'hourly, but quiet for 8 h → slower (3·√480)')
  assert.equal(at(rhythm(60, 2)), null, 'two times are not a rhythm')
  assert.equal(at([minutesAgo(0), minutesAgo(0), minutesAgo(0), minutesAgo(0)]), null, 'one batch without dates is one event')
  assert.equal(at([...rhythm(60, 3), 'not a date']), 23, 'junk ignored')
  assert.equal(at([...rhythm(60, 19), new Date(NOW.getTime() + 3_600_000).toISOString()]), 23, 'a future time is ignored')
})

test('freshnessMinutes reads Cache-Control max-age less Age, else Expires against Date', () => {
  assert.equal(freshnessMinutes({ 'cache-control': 'public, max-age=7200' }), 120)
  assert.equal(freshnessMinutes({ 'cache-control': 'max-age=7200', age: '3600' }), 60)
  assert.equal(freshnessMinutes({ 'cache-control': 'max-age=60', age: '600' }), null, 'already stale')
  assert.equal(freshnessMinutes({ 'cache-control': 'no-cache, max-age=7200' }), null)
  assert.equal(freshnessMinutes({ 'cache-control': 'no-store' }), null)
  assert.equal(freshnessMinutes({ 'cache-control': 's-maxage=7200' }), null, 'shared-cache directive is not ours')
  assert.equal(freshnessMinutes({ expires: 'Sun, 22 Nov 2026 14:00:00 GMT', date: 'Sun, 22 Nov 2026 13:30:00 GMT' }), 30, 'against the server clock')
  assert.equal(freshnessMinutes({ expires: '0', date: 'Sun, 22 Nov 2026 13:30:00 GMT' }), null)
  assert.equal(freshnessMinutes({ expires: 'Sun, 22 Nov 2026 14:00:00 GMT' }), null, 'no Date: cannot tell')
  assert.equal(freshnessMinutes({}), null)
})

test('skipForward moves a time out of skipped hours and days (GMT)', () => {
  const at = (iso: string, skipHours: number[], skipDays: string[] = []) => skipForward(new Date(iso), { skipHours, skipDays }).toISOString()
  assert.equal(at('2026-11-22T12:20:00.000Z', []), '2026-11-22T12:20:00.000Z')
  assert.equal(at('2026-11-22T12:20:00.000Z', [12]), '2026-11-22T13:00:00.000Z')
  assert.equal(at('2026-11-22T23:10:00.000Z', [23, 0, 1, 2, 3, 4, 5]), '2026-11-23T06:00:00.000Z', 'over midnight')
  assert.equal(at('2026-11-21T10:00:00.000Z', [], ['Saturday', 'Sunday']), '2026-11-23T00:00:00.000Z', 'weekend skipped')
  assert.equal(at('2026-11-21T10:00:00.000Z', [0, 1], ['Saturday', 'Sunday']), '2026-11-23T02:00:00.000Z')
  assert.equal(at('2026-11-22T12:20:00.000Z', Array.from({ length: 24 }, (_, h) => h)), '2026-11-22T12:20:00.000Z', 'every hour skipped: ignored')
  assert.equal(skipForward(new Date('2026-11-22T12:20:00.000Z'), null).toISOString(), '2026-11-22T12:20:00.000Z')
})

test('nextCheckAfterSuccess: rhythm with jitter, at least ttl and freshness, then out of skipped hours', () => {
  const next = (over: Partial<Parameters<typeof nextCheckAfterSuccess>[0]>) =>
    nextCheckAfterSuccess({ now: NOW, random: () => 0, policy, headers: {}, hints: null, recent: [], ...over })
  assert.equal(next({}), '2026-11-22T12:30:00.000Z', 'no history: the default 30 min')
  assert.equal(next({ random: () => 1 }), '2026-11-22T12:33:00.000Z', '+10% jitter at most')
  assert.equal(next({ recent: rhythm(60, 20) }), '2026-11-22T12:23:00.000Z', 'hourly publisher')
  assert.equal(next({ recent: rhythm(60, 20), hints: { ttlMinutes: 90, skipHours: [], skipDays: [] } }), '2026-11-22T13:30:00.000Z', 'ttl is a minimum')
  assert.equal(next({ hints: { ttlMinutes: 10_000, skipHours: [], skipDays: [] } }), '2026-11-23T12:00:00.000Z', 'ttl capped at a day')
  assert.equal(next({ headers: { 'cache-control': 'max-age=7200' } }), '2026-11-22T14:00:00.000Z', 'max-age honoured')
  assert.equal(next({ recent: rhythm(60, 20), headers: { 'cache-control': 'max-age=60' } }), '2026-11-22T12:23:00.000Z', 'a short max-age does not speed polling up')
  assert.equal(next({ headers: { 'cache-control': 'max-age=31536000' } }), '2026-11-23T12:00:00.000Z', 'a year of max-age is cut to a day')
  assert.equal(next({ hints: { ttlMinutes: null, skipHours: [12, 13, 14], skipDays: [] } }), '2026-11-22T15:00:00.000Z', 'skipHours')
})

test('nextCheckAfterSuccess: while a hub pushes updates, polling slows to the safety interval and no further than push lasts', () => {
  const next = (pushActiveUntil: string | null) =>
    nextCheckAfterSuccess({ now: NOW, random: () => 0, policy, headers: {}, hints: null, recent: [], pushActiveUntil })
  assert.equal(next(null), '2026-11-22T12:30:00.000Z', 'no push: the default interval')
  assert.equal(next('2026-11-25T00:00:00.000Z'), '2026-11-22T18:00:00.000Z', 'push active: every 6 h')
  assert.equal(next('2026-11-22T14:00:00.000Z'), '2026-11-22T14:00:00.000Z', 'poll again when push stops being trusted')
  assert.equal(next('2026-11-22T12:10:00.000Z'), '2026-11-22T12:30:00.000Z', 'never sooner than without push')
  assert.equal(next('2026-11-22T11:00:00.000Z'), '2026-11-22T12:30:00.000Z', 'push already over')
})

test('afterFailure backs off, slower for throttling, never before Retry-After', () => {
  const fail = (code: string, over: Partial<FailureInput> = {}, status?: number, retryAfterSeconds?: number) =>
    afterFailure({
      now: NOW, random: () => 1, policy,
      source: { errorCount: 0, failingSince: null, pausedAt: null, pauseReason: null },
      error: { code, status, retryAfterSeconds }, ...over,
    })
  const first = fail('http_server_error', {}, 500)
  assert.deepEqual(first, { errorCount: 1, failingSince: NOW.toISOString(), nextCheckAt: '2026-11-22T12:05:00.000Z', pausedAt: null, pauseReason: null })
  assert.equal(fail('http_throttled', {}, 429).nextCheckAt, '2026-11-22T12:20:00.000Z', 'throttling: 4× the base')
  assert.equal(fail('http_forbidden', {}, 403).nextCheckAt, '2026-11-22T12:20:00.000Z', 'a refused feed is throttling')
  assert.equal(fail('bot_challenge', {}, 503).nextCheckAt, '2026-11-22T12:20:00.000Z')
  assert.equal(fail('http_throttled', {}, 429, 3600).nextCheckAt, '2026-11-22T13:00:00.000Z', 'Retry-After wins when longer')
  const third = fail('timeout', { source: { errorCount: 2, failingSince: '2026-11-22T11:00:00.000Z', pausedAt: null, pauseReason: null } })
  assert.equal(third.nextCheckAt, '2026-11-22T12:20:00.000Z', '5·2² min')
  assert.equal(third.failingSince, '2026-11-22T11:00:00.000Z', 'the run keeps its start')
  assert.equal(fail('timeout', { random: () => 0 }).nextCheckAt, '2026-11-22T12:02:30.000Z', 'jitter down to half')
})

test('afterFailure pauses a source that keeps failing: 410 at once, permanent errors sooner', () => {
  const src = (errorCount: number, daysAgo: number) => ({
    errorCount, failingSince: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(), pausedAt: null, pauseReason: null,
  })
  const run = (source: FailureInput['source'], code: string, status?: number) =>
    afterFailure({ now: NOW, random: () => 0.5, policy, source, error: { code, status } })

  const gone = run(src(0, 0), 'http_gone', 410)
  assert.equal(gone.pausedAt, NOW.toISOString())
  assert.match(gone.pauseReason ?? '', /410 Gone/)

  assert.equal(run(src(8, 5), 'http_server_error', 500).pausedAt, null, '9 failures: not yet')
  assert.equal(run(src(20, 2.9), 'http_server_error', 500).pausedAt, null, 'many failures but under 3 days: not yet')
  const paused = run(src(9, 3), 'http_server_error', 500)
  assert.equal(paused.pausedAt, NOW.toISOString())
  assert.equal(paused.pauseReason, 'failed 10 times in a row over 3 days (last: http_server_error)')

  assert.equal(run(src(3, 0.5), 'http_not_found', 404).pausedAt, null, '404 four times but within a day')
  assert.equal(run(src(3, 1), 'http_not_found', 404).pauseReason, 'failed 4 times in a row over 1 day (last: http_not_found)')
  assert.equal(run(src(3, 1), 'http_forbidden', 403).pausedAt, null, 'throttling is not permanent')

  const already = run({ ...src(12, 4), pausedAt: '2026-11-20T00:00:00.000Z', pauseReason: 'earlier' }, 'timeout')
  assert.equal(already.pausedAt, '2026-11-20T00:00:00.000Z', 'a failed "refresh now" keeps the original pause')
  assert.equal(already.pauseReason, 'earlier')
})

test('resumePatch clears the pause and the failure run and schedules a check now', () => {
  assert.deepEqual(resumePatch(NOW), { pausedAt: null, pauseReason: null, errorCount: 0, failingSince: null, nextCheckAt: NOW.toISOString() })
})
