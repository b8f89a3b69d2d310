import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { OpmlOutline } from '../../domain/types.js'
import { parseOpml, renderOpml } from './opml.js'

const subscriptions: OpmlOutline[] = [
  { title: 'The Harbour Gazette', xmlUrl: 'https://harbour-gazette.example/feed/', htmlUrl: 'https://harbour-gazette.example/', category: 'News' },
  { title: 'Kettle & Code', xmlUrl: 'https://kettle-and-code.example/blog/atom.xml?format=full&lang=en', htmlUrl: null, category: 'Tech' },
  { title: 'Lab Notes "weekly" <beta>', xmlUrl: 'https://lab-notes.example/index.rdf', htmlUrl: 'https://lab-notes.example/', category: 'Tech' },
  { title: 'Quillfeather\nJournal', xmlUrl: 'http://quillfeather.example/rss.xml', htmlUrl: null, category: null },
  { title: 'Mountain Radio', xmlUrl: 'http://mountain-radio.example/rss', htmlUrl: null, category: 'News' },
]

test('renderOpml → parseOpml round trip', () => {
  const xml = renderOpml(subscriptions, { title: 'My feeds & more', now: '2026-11-22T03:00:00.000Z' })
  const parsed = parseOpml(xml)
  assert.ok(parsed.ok, JSON.stringify(parsed))
  const byUrl = new Map(parsed.value.map((o) => [o.xmlUrl, o]))
  assert.equal(parsed.value.length, subscriptions.length)
  for (const s of subscriptions) {
    // A newline in a title comes back as a space: outline titles are one line.
    assert.deepEqual(byUrl.get(s.xmlUrl), { ...s, title: s.title.replace(/\s+/g, ' ') })
  }
})

test('sources without a feed travel as link outlines that other readers skip and Tidings reads back with their rule', () => {
  const rule = JSON.stringify({ include: ['/news/20*/'], exclude: [], selector: 'main', maxLinks: 20 })
  const list: OpmlOutline[] = [
    { title: 'Harbour Gazette news', xmlUrl: 'https://harbour-gazette.example/news/', htmlUrl: null, category: null, kind: 'site', rule },
    { title: 'Harbour sitemap', xmlUrl: 'https://harbour-gazette.example/news-sitemap.xml', htmlUrl: null, category: null, kind: 'sitemap', rule: null },
  ]
  const xml = renderOpml(list, { title: 'Mine', now: '2026-11-22T03:00:00.000Z' })
  assert.match(xml, /<outline type="link" [^>]*url="https:\/\/harbour-gazette.example\/news\/" tidingsKind="site" tidingsRule="\{&quot;include&quot;/)
  assert.doesNotMatch(xml, /xmlUrl/, 'no feed URL, so a feed reader does not subscribe to a page')
  const parsed = parseOpml(xml)
  assert.ok(parsed.ok)
  assert.deepEqual(parsed.value, list)
})

test('renderOpml: OPML 2.0, escaped, grouped by category in order of first appearance, uncategorised last', () => {
  const xml = renderOpml(subscriptions, { title: 'My feeds & more', now: '2026-11-22T03:00:00.000Z' })
  assert.equal(
    xml,
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<opml version="2.0">',
      '  <head>',
      '    <title>My feeds &amp; more</title>',
      '    <dateCreated>Sun, 22 Nov 2026 03:00:00 GMT</dateCreated>',
      '  </head>',
      '  <body>',
      '    <outline text="News" title="News">',
      '      <outline type="rss" text="The Harbour Gazette" title="The Harbour Gazette" xmlUrl="https://harbour-gazette.example/feed/" htmlUrl="https://harbour-gazette.example/"/>',
      '      <outline type="rss" text="Mountain Radio" title="Mountain Radio" xmlUrl="http://mountain-radio.example/rss"/>',
      '    </outline>',
      '    <outline text="Tech" title="Tech">',
      '      <outline type="rss" text="Kettle &amp; Code" title="Kettle &amp; Code" xmlUrl="https://kettle-and-code.example/blog/atom.xml?format=full&amp;lang=en"/>',
      '      <outline type="rss" text="Lab Notes &quot;weekly&quot; &lt;beta&gt;" title="Lab Notes &quot;weekly&quot; &lt;beta&gt;" xmlUrl="https://lab-notes.example/index.rdf" htmlUrl="https://lab-notes.example/"/>',
      '    </outline>',
      '    <outline type="rss" text="Quillfeather&#10;Journal" title="Quillfeather&#10;Journal" xmlUrl="http://quillfeather.example/rss.xml"/>',
      '  </body>',
      '</opml>',
      '',
    ].join('\n'),
  )
})

test('parseOpml: nesting, missing titles, bad entities, duplicates, folders without feeds', () => {
  const opml = `<?xml version="1.0"?>
<opml version="1.0">
  <head><title>Export from another reader</title></head>
  <body>
    <outline text="Caf&eacute; &amp; Food" title="Caf&eacute; &amp; Food">
      <outline text="Small Town Bakery" type="rss" xmlUrl="https://smalltown-bakery.example/feed.json" htmlUrl="https://smalltown-bakery.example/"/>
      <outline type="rss" xmlURL="https://fish-and-chips.example/rss?a=1&b=2"/>
      <outline text="Sub-folder">
        <outline text="Deep" type="rss" xmlUrl="https://deep.example/feed"/>
      </outline>
    </outline>
    <outline text="Empty folder"/>
    <outline text="Top level" type="rss" xmlUrl="https://top.example/feed" category="/Misc/Other,/Second"/>
    <outline text="Duplicate" type="rss" xmlUrl="https://smalltown-bakery.example/feed.json"/>
    <outline text="Not a feed" type="link" url="https://example.org/page"/>
    <outline text="Browser-era scheme" type="rss" xmlUrl="feed://old.example/rss"/>
    <outline text="Relative" type="rss" xmlUrl="/feed.xml"/>
  </body>
</opml>`
  const r = parseOpml(opml)
  assert.ok(r.ok)
  assert.deepEqual(r.value, [
    { title: 'Small Town Bakery', xmlUrl: 'https://smalltown-bakery.example/feed.json', htmlUrl: 'https://smalltown-bakery.example/', category: 'Café & Food' },
    { title: 'https://fish-and-chips.example/rss?a=1&b=2', xmlUrl: 'https://fish-and-chips.example/rss?a=1&b=2', htmlUrl: null, category: 'Café & Food' },
    { title: 'Deep', xmlUrl: 'https://deep.example/feed', htmlUrl: null, category: 'Sub-folder' },
    { title: 'Top level', xmlUrl: 'https://top.example/feed', htmlUrl: null, category: 'Misc/Other' },
    { title: 'Browser-era scheme', xmlUrl: 'http://old.example/rss', htmlUrl: null, category: null },
  ])
})

test('parseOpml: errors', () => {
  const code = (text: string): string => {
    const r = parseOpml(text)
    return r.ok ? `ok:${r.value.length}` : r.error.code
  }
  assert.equal(code(''), 'opml_empty')
  assert.equal(code('<rss><channel/></rss>'), 'opml_invalid')
  assert.equal(code('<!doctype html><html><body>hi</body></html>'), 'opml_invalid')
  assert.equal(code('<opml version="2.0"><body></body></opml>'), 'ok:0')
})
