import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseDate } from './date.js'

describe('parseDate', () => {
  const cases: Array<[string, string | null | undefined, string | null]> = [
    ['ISO with Z', '2026-03-14T05:30:00Z', '2026-03-14T05:30:00.000Z'],
    ['ISO with offset', '2026-06-03T08:15:00+02:00', '2026-06-03T06:15:00.000Z'],
    ['ISO with compact offset', '2026-06-03T08:15:00+0200', '2026-06-03T06:15:00.000Z'],
    ['ISO with negative offset', '2026-01-20T16:45:00-05:00', '2026-01-20T21:45:00.000Z'],
    ['ISO without seconds', '2026-04-02T07:00+09:00', '2026-04-01T22:00:00.000Z'],
    ['ISO with fraction (whole seconds)', '2026-03-14T05:30:00.123456Z', '2026-03-14T05:30:00.000Z'],
    ['ISO with a space instead of T', '2026-03-14 05:30:00', '2026-03-14T05:30:00.000Z'],
    ['no zone is read as UTC, whatever TZ says', '2026-03-14T05:30:00', '2026-03-14T05:30:00.000Z'],
    ['date only is midnight UTC', '2026-02-09', '2026-02-09T00:00:00.000Z'],
    ['RFC 2822', 'Sat, 14 Mar 2026 05:30:00 GMT', '2026-03-14T05:30:00.000Z'],
    ['RFC 2822 with offset', 'Sat, 14 Mar 2026 05:30:00 +0100', '2026-03-14T04:30:00.000Z'],
    ['English month name without zone is UTC', 'March 14, 2026 10:00', '2026-03-14T10:00:00.000Z'],
    ['unix seconds', '1773466200', '2026-03-14T05:30:00.000Z'],
    ['surrounding whitespace', '  2026-03-14T05:30:00Z \n', '2026-03-14T05:30:00.000Z'],
    ['garbage', 'yesterday-ish', null],
    ['empty', '', null],
    ['null', null, null],
    ['undefined', undefined, null],
    ['impossible month', '2026-13-01', null],
    ['implausible year', '0001-01-01T00:00:00Z', null],
  ]
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(parseDate(input), expected))
  }
})
