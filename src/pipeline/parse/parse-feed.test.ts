import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseFeed, parseFeedBytes } from './parse-feed.js'

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata')
const update = process.env.UPDATE_GOLDEN === '1'

/** The Result as the golden file stores it: `cause` is an implementation detail, not a contract. */
function golden(result: ReturnType<typeof parseFeedBytes>): unknown {
  if (result.ok) return result
  const { stage, code, message, retryable } = result.error
  return { ok: false, error: { stage, code, message, retryable } }
}

const fixtures = readdirSync(dir)
  .filter((f) => /\.(xml|json)$/.test(f) && !f.endsWith('.expected.json'))
  .sort()

for (const file of fixtures) {
  const name = file.replace(/\.(xml|json)$/, '')
  test(`golden: ${file}`, () => {
    const bytes = new Uint8Array(readFileSync(join(dir, file)))
    const result = parseFeedBytes(bytes, {
      contentType: file.endsWith('.json') ? 'application/feed+json' : null,
      url: `https://fixtures.example/feeds/${file}`,
    })
    const actual = `${JSON.stringify(golden(result), null, 2)}\n`
    const expectedPath = join(dir, `${name}.expected.json`)
    if (update || !existsSync(expectedPath)) {
      writeFileSync(expectedPath, actual)
      if (!update) assert.fail(`wrote missing ${name}.expected.json; review it and run again`)
      return
    }
    assert.equal(actual, readFileSync(expectedPath, 'utf8'))
  })
}

test('every golden file has a fixture', () => {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.expected.json'))) {
    const name = f.replace(/\.expected\.json$/, '')
    assert.ok(fixtures.includes(`${name}.xml`) || fixtures.includes(`${name}.json`), `orphan ${f}`)
  }
})

// ───────────────────────────── properties the golden files show, asserted directly ─────────────────────────────

const url = 'https://fixtures.example/feed'

test('an HTML page is reported as such', () => {
  const r = parseFeed('<!doctype html><html><head><title>Home</title></head><body></body></html>', { url })
  assert.equal(r.ok, false)
  if (!r.ok) {
    assert.equal(r.error.code, 'feed_format_unknown')
    assert.match(r.error.message, /HTML page/)
  }
})

test('empty and whitespace-only input is feed_empty', () => {
  for (const text of ['', '   \n\t', '\uFEFF', '<?xml version="1.0"?>\n<!-- nothing -->']) {
    const r = parseFeed(text, { url })
    assert.equal(r.ok ? 'ok' : r.error.code, 'feed_empty', JSON.stringify(text))
  }
})

test('error codes for what cannot be read', () => {
  const code = (text: string): string => {
    const r = parseFeed(text, { url })
    return r.ok ? 'ok' : r.error.code
  }
  assert.equal(code('<rss'), 'feed_malformed')
  assert.equal(code('{"items": [}'), 'json_invalid')
  assert.equal(code('{"hello": "world"}'), 'feed_format_unknown')
  assert.equal(code('just some words'), 'feed_format_unknown')
  assert.equal(code('<note><to>Tove</to></note>'), 'feed_format_unknown')
  assert.equal(code('<rss></rss>'), 'ok')
})

test('atom:link rel=self in RSS is not the site link; rel=alternate is used when <link> is missing', () => {
  const r = parseFeed(
    `<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel><atom:link rel="self" href="https://x.example/feed"/>
     <atom:link rel="alternate" href="https://x.example/"/><title>T</title></channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.equal(r.value.link, 'https://x.example/')
})

test('guid that is a permalink stands in for a missing link; isPermaLink=false does not', () => {
  const r = parseFeed(
    `<rss><channel>
      <item><guid>https://x.example/a</guid><title>a</title></item>
      <item><guid isPermaLink="false">https://x.example/b</guid><title>b</title></item>
    </channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual(r.value.items.map((i) => [i.id, i.link]), [
    ['https://x.example/a', 'https://x.example/a'],
    ['https://x.example/b', null],
  ])
})

test('unsafe link schemes never come out', () => {
  const r = parseFeed(
    `<rss><channel><link>javascript:alert(1)</link><item><title>x</title><link>javascript:alert(2)</link></item></channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.equal(r.value.link, null)
  assert.equal(r.value.items[0]?.link, null)
})

test('ids fall back to the link, then to a stable hash of title and date', () => {
  const feed = `<rss><channel>
    <item><title>With link</title><link>https://x.example/1</link></item>
    <item><title>No link</title><pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate></item>
  </channel></rss>`
  const a = parseFeed(feed, { url })
  const b = parseFeed(feed, { url })
  assert.ok(a.ok && b.ok)
  assert.equal(a.value.items[0]?.id, 'https://x.example/1')
  assert.match(a.value.items[1]?.id ?? '', /^sha1:[0-9a-f]{40}$/)
  assert.equal(a.value.items[1]?.id, b.value.items[1]?.id)
})

test('author forms', () => {
  const author = (s: string): string | null => {
    const r = parseFeed(`<rss><channel><item><title>t</title><author>${s}</author></item></channel></rss>`, { url })
    return r.ok ? (r.value.items[0]?.author ?? null) : null
  }
  assert.equal(author('jo@example.com (Jo Doe)'), 'Jo Doe')
  assert.equal(author('Jo Doe &lt;jo@example.com&gt;'), 'Jo Doe')
  assert.equal(author('Jo Doe (jo@example.com)'), 'Jo Doe')
  assert.equal(author('jo@example.com'), 'jo@example.com')
  assert.equal(author('  Jo   Doe '), 'Jo Doe')
})

test('Atom entries inherit the feed author; an entry author wins', () => {
  const r = parseFeed(
    `<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Feed Author</name></author>
      <entry><id>1</id><title>a</title></entry>
      <entry><id>2</id><title>b</title><author><email>x@example.com</email></author></entry></feed>`,
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual(r.value.items.map((i) => i.author), ['Feed Author', 'x@example.com'])
})

test('a deeply nested document does not blow the stack', () => {
  const r = parseFeed(`<rss><channel><item><title>x</title><description>${'<b>'.repeat(20000)}deep</description></item></channel></rss>`, { url })
  assert.ok(r.ok)
  assert.equal(r.value.items[0]?.title, 'x')
})

test('parseFeedBytes treats a JSON body as JSON even without a JSON content type', () => {
  const body = new TextEncoder().encode('  {"version":"https://jsonfeed.org/version/1.1","title":"J","items":[]}')
  const r = parseFeedBytes(body, { contentType: 'text/plain', url })
  assert.ok(r.ok)
  assert.equal(r.value.format, 'json')
  assert.equal(r.value.charset, 'utf-8')
})

test('item categories include Media RSS and iTunes categories, nested ones too', () => {
  const xml = `<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/"><channel>
    <item><title>t</title><category>News</category><media:category>cat1</media:category>
      <itunes:category text="Technology"><itunes:category text="Gadgets"/></itunes:category></item>
  </channel></rss>`
  const result = parseFeed(xml, { url: null })
  assert.ok(result.ok)
  assert.deepEqual(result.value.items[0]?.categories, ['News', 'cat1', 'Technology', 'Gadgets'])
})
