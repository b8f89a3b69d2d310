import { test } from 'node:test'
import assert from 'node:assert/strict'
import { relativeTime, absoluteTime } from './relative-time.js'

const now = new Date('2026-11-22T12:00:00.000Z')
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString()
const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H

test('relative times read as on the reference page', () => {
  const rows: [number, string][] = [
    [10 * S, 'a few seconds ago'],
    [60 * S, 'a minute ago'],
    [26 * M, '26 minutes ago'],
    [44 * M, '44 minutes ago'],
    [50 * M, 'an hour ago'],
    [4 * H, '4 hours ago'],
    [4 * H + 20 * M, '4 hours ago'],
    [21 * H, '21 hours ago'],
    [30 * H, 'a day ago'],
    [3 * D, '3 days ago'],
    [35 * D, 'a month ago'],
    [100 * D, '3 months ago'],
    [400 * D, 'a year ago'],
    [3 * 365 * D, '3 years ago'],
    [-2 * H, 'in 2 hours'],
  ]
  for (const [ms, text] of rows) assert.equal(relativeTime(ago(ms), now), text, `${ms} ms`)
  assert.equal(relativeTime('not a date', now), '')
})

test('absolute time for tooltips', () => {
  assert.equal(absoluteTime('2026-11-22T03:05:00.000Z'), '22 Nov 2026, 03:05 UTC')
})
