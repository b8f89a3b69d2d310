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

// ───────────────────────────── the detailed model ─────────────────────────────

const atom = (body: string, attrs = ''): string => `<feed xmlns="http://www.w3.org/2005/Atom"${attrs}>${body}</feed>`

test('dangerous markup never leaves the parser: content, summaries and HTML titles are sanitized', () => {
  const r = parseFeed(
    atom(`<title type="html">&lt;b onclick="x()"&gt;Bold&lt;/b&gt; news</title>
      <entry><id>e1</id><title type="html">Hi&lt;script&gt;alert(1)&lt;/script&gt;</title>
        <summary type="html">&lt;img src="/a.png" onerror="alert(1)"&gt;&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;</summary>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p style="color: red; position: fixed">Body</p><a href="javascript:alert(1)">x</a><script>alert(2)</script></div></content>
      </entry>`),
    { url: 'https://news.example/feed' },
  )
  assert.ok(r.ok)
  const item = r.value.items[0]
  assert.equal(r.value.titleDetail?.value, '<b>Bold</b> news')
  assert.equal(item?.titleDetail?.value, 'Hi')
  assert.equal(item?.summary, '<img src="https://news.example/a.png" />')
  assert.equal(item?.contentHtml, '<p style="color: red;">Body</p><a href="">x</a>')
  for (const html of [item?.summary, item?.contentHtml, item?.titleDetail?.value, r.value.titleDetail?.value]) {
    assert.doesNotMatch(html ?? '', /script|onerror|onclick|iframe|javascript:|position/i)
  }
})

test('RSS descriptions and content:encoded are sanitized too', () => {
  const r = parseFeed(
    `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>t</title>
      <description>&lt;p onmouseover="x()"&gt;Short&lt;/p&gt;&lt;script&gt;bad()&lt;/script&gt;</description>
      <content:encoded><![CDATA[<p>Long <object data="x.swf"></object>text</p><meta http-equiv="refresh" content="0;url=https://evil.example/">]]></content:encoded>
    </item></channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.equal(r.value.items[0]?.summary, '<p>Short</p>')
  assert.equal(r.value.items[0]?.contentHtml, '<p>Long text</p>')
})

test('text constructs keep their type: an HTML title has markup in its detail and plain text for display', () => {
  const r = parseFeed(
    atom(`<entry><id>1</id><title type="html">Rock &amp;amp; &lt;i&gt;roll&lt;/i&gt;</title><content type="text">a &lt;b&gt; is bold</content></entry>
      <entry><id>2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Tom <em>and</em> Jerry</div></title></entry>
      <entry><id>3</id><title type="text/plain" mode="base64">UGxhaW4gPGI+dGV4dDwvYj4=</title></entry>`),
    { url },
  )
  assert.ok(r.ok)
  const [a, b, c] = r.value.items
  assert.deepEqual([a?.title, a?.titleDetail?.value, a?.titleDetail?.type], ['Rock & roll', 'Rock &amp; <i>roll</i>', 'text/html'])
  assert.deepEqual([a?.content[0]?.value, a?.content[0]?.type, a?.contentHtml], ['a <b> is bold', 'text/plain', 'a &lt;b&gt; is bold'])
  assert.deepEqual([b?.title, b?.titleDetail?.value, b?.titleDetail?.type], ['Tom and Jerry', 'Tom <em>and</em> Jerry', 'application/xhtml+xml'])
  assert.deepEqual([c?.title, c?.titleDetail?.value], ['Plain <b>text</b>', 'Plain <b>text</b>'])
})

test('an RSS title that is HTML is recognised; one that merely mentions a tag is not', () => {
  const r = parseFeed(
    `<rss><channel><item><title>Fish &amp;amp; &lt;b&gt;chips&lt;/b&gt;</title></item><item><title>Use the &lt;blink&gt; tag</title></item></channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual(r.value.items.map((i) => [i.titleDetail?.type, i.titleDetail?.value, i.title]), [
    ['text/html', 'Fish &amp; <b>chips</b>', 'Fish & chips'],
    ['text/plain', 'Use the <blink> tag', 'Use the <blink> tag'],
  ])
})

test('format versions', () => {
  const version = (text: string): string => {
    const r = parseFeed(text, { url })
    return r.ok ? r.value.version : r.error.code
  }
  assert.equal(version('<rss version="2.0"><channel/></rss>'), 'rss20')
  assert.equal(version('<rss version="0.92"><channel/></rss>'), 'rss092')
  assert.equal(version('<rss version="0.91"><channel/></rss>'), 'rss091u')
  assert.equal(version('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x"><rss version="0.91"><channel/></rss>'), 'rss091n')
  assert.equal(version('<rss><channel/></rss>'), 'rss')
  assert.equal(version('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>'), 'rss10')
  assert.equal(version('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"/>'), 'rss090')
  assert.equal(version(atom('')), 'atom10')
  assert.equal(version('<feed version="0.3" xmlns="http://purl.org/atom/ns#"/>'), 'atom03')
  assert.equal(version('{"version":"https://jsonfeed.org/version/1.1","items":[]}'), 'json11')
  assert.equal(version('<CHANNEL HREF="https://old.example/"/>'), 'cdf')
})

test('the HTTP Content-Language is the language when the feed declares none', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
  const lang = (s: string): string | null => {
    const r = parseFeedBytes(bytes(s), { url, contentLanguage: 'de-CH, en' })
    return r.ok ? r.value.language : null
  }
  assert.equal(lang('<rss><channel><title>t</title></channel></rss>'), 'de-CH')
  assert.equal(lang('<rss><channel><language>fr</language></channel></rss>'), 'fr')
  assert.equal(lang(atom('', ' xml:lang="nl"')), 'nl')
})

test('people keep name, email and home page; feed authors and publishers are read', () => {
  const r = parseFeed(
    atom(`<author><name>Ana Ruiz</name><email>ana@news.example</email><uri>/people/ana</uri></author>
      <entry><id>1</id><contributor><name>Ben</name></contributor><contributor><email>cy@news.example</email></contributor></entry>`),
    { url: 'https://news.example/feed.xml' },
  )
  assert.ok(r.ok)
  assert.deepEqual(r.value.authors, [{ name: 'Ana Ruiz', email: 'ana@news.example', href: 'https://news.example/people/ana' }])
  assert.deepEqual(r.value.items[0]?.authors, r.value.authors)
  assert.deepEqual(r.value.items[0]?.contributors.map((p) => p.name ?? p.email), ['Ben', 'cy@news.example'])

  const rss = parseFeed(
    `<rss><channel><managingEditor>desk@news.example (News Desk)</managingEditor><webMaster>Web Team &lt;web@news.example&gt;</webMaster></channel></rss>`,
    { url },
  )
  assert.ok(rss.ok)
  assert.deepEqual(rss.value.authors, [{ name: 'News Desk', email: 'desk@news.example', href: null }])
  assert.deepEqual(rss.value.publisher, { name: 'Web Team', email: 'web@news.example', href: null })
})

test('links keep rel, type, title and length; categories keep term, scheme and label', () => {
  const r = parseFeed(
    atom(`<link rel="self" href="https://news.example/feed.xml"/>
      <entry><id>1</id><link href="/a"/><link rel="enclosure" type="audio/mpeg" length="42" href="/a.mp3" title="Listen"/>
        <link rel="license" href="https://creativecommons.org/licenses/by/4.0/"/>
        <category term="tech" scheme="https://news.example/sections" label="Technology"/></entry>`),
    { url: 'https://news.example/feed.xml' },
  )
  assert.ok(r.ok)
  assert.deepEqual(r.value.links.map((l) => [l.rel, l.type]), [['self', 'application/atom+xml']])
  const item = r.value.items[0]
  assert.deepEqual(item?.links.map((l) => [l.rel, l.href, l.type, l.title, l.length]), [
    ['alternate', 'https://news.example/a', 'text/html', null, null],
    ['enclosure', 'https://news.example/a.mp3', 'audio/mpeg', 'Listen', 42],
    ['license', 'https://creativecommons.org/licenses/by/4.0/', null, null, null],
  ])
  assert.deepEqual(item?.tags, [{ term: 'tech', scheme: 'https://news.example/sections', label: 'Technology' }])
  assert.deepEqual(item?.categories, ['Technology'])
})

test('RSS categories, made-up <tags>, Media RSS and iTunes keywords become tags in document order', () => {
  const r = parseFeed(
    `<rss xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
      <itunes:keywords>science, space</itunes:keywords>
      <item><title>t</title><tags>one, two</tags><category domain="https://news.example/c">three</category><media:category label="Four">four</media:category></item>
    </channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual(r.value.tags.map((t) => t.term), ['science', 'space'])
  assert.deepEqual(r.value.items[0]?.tags.map((t) => [t.term, t.scheme, t.label]), [
    ['one', null, null],
    ['two', null, null],
    ['three', 'https://news.example/c', null],
    ['four', 'http://search.yahoo.com/mrss/category_schema', 'Four'],
  ])
})

test('dates: dc:date is the updated date; when an element repeats, the last readable one counts', () => {
  const r = parseFeed(
    `<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><title>t</title><dc:date>2024-05-01T10:00:00Z</dc:date></item></channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual([r.value.items[0]?.published, r.value.items[0]?.updated], [null, '2024-05-01T10:00:00.000Z'])
  const a = parseFeed(atom(`<entry><id>1</id><updated>2024-01-01T00:00:00Z</updated><updated>2024-02-01T00:00:00Z</updated><updated>soon</updated></entry>`), { url })
  assert.ok(a.ok)
  assert.equal(a.value.items[0]?.updated, '2024-02-01T00:00:00.000Z')
})

test('relative ids resolve against xml:base or the document; tag: and urn: ids are kept exactly', () => {
  const r = parseFeed(
    atom(`<entry><id>/posts/1</id></entry><entry xml:base="https://other.example/x/"><id>2</id></entry><entry><id>tag:news.example,2024:3</id></entry>`),
    { url: 'https://news.example/feed.xml' },
  )
  assert.ok(r.ok)
  assert.deepEqual(r.value.items.map((i) => i.id), ['https://news.example/posts/1', 'https://other.example/x/2', 'tag:news.example,2024:3'])
})

test('the original source of a syndicated entry is kept', () => {
  const r = parseFeed(
    atom(`<entry><id>1</id><title>Copy</title><source><id>urn:orig</id><title>Original Blog</title><link href="https://orig.example/"/>
      <author><name>Orig Author</name></author><rights>CC BY</rights></source></entry>`),
    { url },
  )
  assert.ok(r.ok)
  const s = r.value.items[0]?.source
  assert.deepEqual([s?.id, s?.title, s?.link, s?.rightsDetail?.value], ['urn:orig', 'Original Blog', 'https://orig.example/', 'CC BY'])
  assert.equal(r.value.items[0]?.author, 'Orig Author')

  const rss = parseFeed(`<rss><channel><item><title>t</title><source url="https://orig.example/rss">Orig</source></item></channel></rss>`, { url })
  assert.ok(rss.ok)
  assert.deepEqual([rss.value.items[0]?.source?.title, rss.value.items[0]?.source?.href], ['Orig', 'https://orig.example/rss'])
})

test('feed rights, generator, info and content languages', () => {
  const r = parseFeed(
    `<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="en"><copyright>© 2024 News</copyright>
      <generator url="https://gen.example/" version="2.1">Gen</generator><info>About this feed</info>
      <entry><content xml:lang="fr_CA">Bonjour</content><summary>Hello</summary></entry></feed>`,
    { url },
  )
  assert.ok(r.ok)
  assert.equal(r.value.rightsDetail?.value, '© 2024 News')
  assert.deepEqual(r.value.generator, { name: 'Gen', href: 'https://gen.example/', version: '2.1' })
  assert.equal(r.value.infoDetail?.value, 'About this feed')
  assert.deepEqual(r.value.items[0]?.content.map((c) => c.language), ['fr-CA'])
  assert.equal(r.value.items[0]?.summaryDetail?.language, 'en')
})

test('Channel Definition Format', () => {
  const r = parseFeed(
    `<CHANNEL HREF="https://old.example/" LASTMOD="2004-04-06T23:05:43-05:00"><TITLE>Old site</TITLE><ABSTRACT>News</ABSTRACT>
      <ITEM HREF="https://old.example/1" LASTMOD="2004-04-05T10:00:00Z"><TITLE>First</TITLE><ABSTRACT>One</ABSTRACT></ITEM></CHANNEL>`,
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual([r.value.format, r.value.title, r.value.link, r.value.description, r.value.updated], [
    'cdf', 'Old site', 'https://old.example/', 'News', '2004-04-07T04:05:43.000Z',
  ])
  assert.deepEqual(r.value.items.map((i) => [i.title, i.link, i.updated, i.summary]), [['First', 'https://old.example/1', '2004-04-05T10:00:00.000Z', 'One']])
})

test('podcast and publishing extras: explicit, block, subtitle, license, image, moved feeds, text input', () => {
  const r = parseFeed(
    `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:cc="http://web.resource.org/cc/"
        xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <channel><title>Show</title><itunes:explicit>Clean</itunes:explicit><itunes:block> Yes </itunes:block>
        <itunes:new-feed-url>https://new.example/feed.xml</itunes:new-feed-url>
        <image><url>/logo.png</url><title>Show logo</title><link>https://show.example/</link><width>88</width><height>31</height></image>
        <textInput><title>Search</title><name>q</name><link>https://show.example/search</link></textInput>
        <item><title>Ep 1</title><itunes:explicit>yes</itunes:explicit><itunes:subtitle>The  first one</itunes:subtitle>
          <cc:license rdf:resource="https://creativecommons.org/licenses/by/4.0/"/></item>
        <item><title>Ep 2</title><itunes:explicit>maybe</itunes:explicit></item>
      </channel></rss>`,
    { url: 'https://show.example/feed.xml' },
  )
  assert.ok(r.ok)
  const f = r.value
  assert.deepEqual([f.explicit, f.block, f.newLocation], [false, true, 'https://new.example/feed.xml'])
  assert.deepEqual(f.image, { url: 'https://show.example/logo.png', title: 'Show logo', link: 'https://show.example/', width: 88, height: 31 })
  assert.deepEqual(f.textInput, { title: 'Search', description: null, name: 'q', link: 'https://show.example/search' })
  assert.deepEqual(f.items.map((i) => [i.explicit, i.subtitle, i.license]), [
    [true, 'The first one', 'https://creativecommons.org/licenses/by/4.0/'],
    [null, null, null],
  ])
  const moved = parseFeed(`<rss><redirect><newLocation>https://moved.example/rss</newLocation></redirect><channel/></rss>`, { url })
  assert.ok(moved.ok)
  assert.equal(moved.value.newLocation, 'https://moved.example/rss')
})

test('dates keep the text they were read from, and unreadable dates their text alone', () => {
  const r = parseFeed(
    `<rss><channel><lastBuildDate>Sat, 07 Sep 2002 00:00:01 GMT</lastBuildDate>
      <item><title>t</title><pubDate>the day after tomorrow</pubDate></item></channel></rss>`,
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual([r.value.updated, r.value.dateText?.updated], ['2002-09-07T00:00:01.000Z', 'Sat, 07 Sep 2002 00:00:01 GMT'])
  assert.deepEqual([r.value.items[0]?.published, r.value.items[0]?.dateText?.published], [null, 'the day after tomorrow'])
})

test('Media RSS descriptions are the summary when there is no other (YouTube-style feeds)', () => {
  const r = parseFeed(
    atom(`<entry xmlns:media="http://search.yahoo.com/mrss/"><id>v1</id><title>Clip</title>
      <media:group><media:title>Clip</media:title><media:description>What happens &lt;here&gt;</media:description></media:group></entry>`),
    { url },
  )
  assert.ok(r.ok)
  assert.deepEqual([r.value.items[0]?.summaryDetail?.value, r.value.items[0]?.summary], ['What happens <here>', 'What happens &lt;here&gt;'])
})

test('an RSS item with both a summary and a description keeps the first as summary and the other as content', () => {
  const r = parseFeed(`<rss><channel><item><description>Long body</description><summary>Short</summary></item></channel></rss>`, { url })
  assert.ok(r.ok)
  assert.deepEqual([r.value.items[0]?.summary, r.value.items[0]?.contentHtml], ['Long body', 'Short'])
})
