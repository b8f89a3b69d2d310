import { test } from 'node:test'
import assert from 'node:assert/strict'
import { relativeTime, absoluteTime } from './relative-time.js'
import { relativeChangesAt, translator } from './i18n/i18n.js'

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

test('a relative time reads the same until the instant relativeChangesAt names, and differently from then on', () => {
  let seed = 7
  const rand = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed / 4294967296 }
  const then = Date.parse('2026-01-01T00:00:00.000Z')
  for (const locale of ['en', 'ja'] as const) {
    const tr = translator(locale)
    for (let i = 0; i < 3000; i++) {
      // Distances from a second to 30 years, both ways.
      const d = Math.round(Math.exp(rand() * Math.log(30 * 365 * D)) * (rand() < 0.2 ? -1 : 1))
      const now = then + d
      const at = relativeChangesAt(then, now)
      assert.ok(at > now, `${locale} ${d}: ${at} is not after now`)
      const text = tr.relative(new Date(then), new Date(now))
      assert.equal(tr.relative(new Date(then), new Date(at - 1)), text, `${locale} ${d} ms: changed before ${at - now} ms`)
      if (locale === 'en') assert.notEqual(tr.relative(new Date(then), new Date(at)), text, `${locale} ${d} ms: unchanged at ${at - now} ms`)
    }
  }
})
