import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseFeed } from './parse-feed.js'

const rss = (channelExtra: string): string =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Tide tables</title><link>https://tides.example/</link>${channelExtra}` +
  '<item><title>Spring tide</title><link>https://tides.example/spring</link></item></channel></rss>'

const skipOf = (xml: string) => {
  const r = parseFeed(xml, { url: 'https://tides.example/feed.xml' })
  assert.ok(r.ok, 'parsed')
  return { skipHours: r.value.skipHours, skipDays: r.value.skipDays }
}

test('RSS skipHours and skipDays are read, sorted and cleaned', () => {
  const got = skipOf(rss(
    '<skipHours><hour>23</hour><hour> 0 </hour><hour>3</hour><hour>3</hour><hour>24</hour><hour>noon</hour><hour>99</hour></skipHours>' +
    '<skipDays><day>sunday</day><day>Saturday</day><day>Funday</day></skipDays>',
  ))
  assert.deepEqual(got, { skipHours: [0, 3, 23], skipDays: ['Sunday', 'Saturday'] })
})

test('feeds without skipHours/skipDays say nothing about them', () => {
  assert.deepEqual(skipOf(rss('<ttl>60</ttl>')), { skipHours: undefined, skipDays: undefined })
  const atom = '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id><skipHours><hour>1</hour></skipHours></feed>'
  assert.deepEqual(skipOf(atom), { skipHours: undefined, skipDays: undefined })
})

test('only skipDays given: hours come back empty', () => {
  assert.deepEqual(skipOf(rss('<skipDays><day>Monday</day></skipDays>')), { skipHours: [], skipDays: ['Monday'] })
})
