import { test } from 'node:test'
import assert from 'node:assert/strict'
import { crc32, gunzipSync } from 'node:zlib'
import { randomBytes } from 'node:crypto'
import { crc32Combine, decodeStored, encodeStored, gzipCrc, spliceGzip, toTemplate } from './spliced-page.js'

test('CRC-32 of a concatenation, from the parts’ CRCs and lengths', () => {
  for (const [a, b] of [[0, 0], [0, 9], [5, 0], [1, 1], [1000, 70_000], [33, 1 << 16]] as [number, number][]) {
    const x = randomBytes(a), y = randomBytes(b)
    assert.equal(crc32Combine(crc32(x), crc32(y), y.length), crc32(Buffer.concat([x, y])), `${a} + ${b}`)
  }
})

const page = (texts: string[]) => `<!doctype html><p>Ferry — 渡し船 ${'word '.repeat(300)}</p>`
  + texts.map((x, i) => `<li><time datetime="2026-11-2${i}T10:00:00.000Z" title="22 Nov 2026">${x}</time> and more ${'text '.repeat(i * 40)}</li>`).join('') + '<footer>end</footer>'

test('a page with its times’ texts filled in is the page as rendered with those texts, gzipped (stored and read back)', () => {
  const stored = encodeStored(toTemplate(page(['3 hours ago', '4 時間前', 'a day ago'])), ['4 hours ago', '5 時間前', 'a day ago'], 1_800_000_000_000)
  const s = decodeStored(stored)!
  assert.deepEqual(s.template.times, ['2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z', '2026-11-22T10:00:00.000Z'].map(Date.parse))
  assert.equal(s.textsUntil, 1_800_000_000_000)
  assert.equal(gunzipSync(s.gz).toString('utf8'), page(['4 hours ago', '5 時間前', 'a day ago']), 'stored with the texts given, ready to send')
  for (const texts of [['3 hours ago', '4 時間前', 'a day ago'], ['4 hours ago', '', '2 days ago'], ['x'.repeat(5000), 'a', 'b']]) {
    const gz = spliceGzip(s.template, texts)
    assert.equal(gunzipSync(gz).toString('utf8'), page(texts), 'gunzip checks the CRC and the length too')
    assert.equal(gzipCrc(gz), crc32(page(texts)), 'the trailer’s CRC is the HTML’s')
  }
  assert.equal(gunzipSync(spliceGzip(toTemplate('<p>no times</p>'), [])).toString(), '<p>no times</p>')
  assert.equal(gunzipSync(decodeStored(encodeStored(toTemplate('<p>no times</p>'), [], Infinity))!.gz).toString(), '<p>no times</p>')
  assert.throws(() => spliceGzip(s.template, ['one']))
})

test('a buffer that is not a stored page of this format is refused, not misread', () => {
  const stored = encodeStored(toTemplate(page(['a', 'b', 'c'])), ['a', 'b', 'c'], 0)
  assert.equal(decodeStored(Buffer.from('not a template')), null)
  assert.equal(decodeStored(Buffer.concat([Buffer.from('{"s":[1]}\n'), stored])), null, 'an earlier format')
  assert.equal(decodeStored(stored.subarray(0, 40)), null, 'cut in its head')
  assert.equal(decodeStored(stored.subarray(0, stored.length - 200)), null, 'cut in its pieces')
  assert.equal(decodeStored(stored.subarray(0, stored.length - 1)), null, 'cut in its trailer')
  assert.equal(decodeStored(Buffer.concat([stored, Buffer.from([0])])), null, 'one byte too many')
})
