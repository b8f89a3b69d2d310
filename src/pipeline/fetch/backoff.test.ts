import { test } from 'node:test'
import assert from 'node:assert/strict'
import { backoffMs, parseRetryAfter } from './backoff.js'

test('backoffMs doubles from base, caps at max, and jitters within [50%, 100%]', () => {
  const at = (errorCount: number, r: number): number => backoffMs({ errorCount, baseMs: 1000, maxMs: 60_000, random: () => r })
  assert.equal(at(0, 1), 0)
  assert.equal(at(1, 1), 1000)
  assert.equal(at(2, 1), 2000)
  assert.equal(at(3, 1), 4000)
  assert.equal(at(3, 0), 2000)
  assert.equal(at(3, 0.5), 3000)
  assert.equal(at(7, 1), 60_000) // 64 s capped at 60
  assert.equal(at(7, 0), 30_000)
  assert.equal(at(5000, 1), 60_000) // 2^4999 is Infinity; still capped
})

test('parseRetryAfter reads seconds and HTTP-dates', async (t) => {
  const now = Date.parse('2026-11-22T03:00:00.000Z')
  const cases: [value: string | undefined, expected: number | null][] = [
    ['2', 2],
    [' 120 ', 120],
    ['0', 0],
    ['Sun, 22 Nov 2026 03:01:30 GMT', 90],
    ['Sun, 22 Nov 2026 03:00:00 GMT', 0],
    ['Sun, 22 Nov 2026 02:00:00 GMT', 0], // in the past: do not wait
    [undefined, null],
    ['', null],
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['2026-11-22', null], // an ISO date is not an HTTP-date
  ]
  for (const [value, expected] of cases) {
    await t.test(JSON.stringify(value), () => assert.equal(parseRetryAfter(value, now), expected))
  }
})
