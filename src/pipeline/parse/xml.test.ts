import { test } from 'node:test'
import assert from 'node:assert/strict'
import { attr, child, elements, NS, parseXml, textOf, type XEl } from './xml.js'

const root = (xml: string, url: string | null = null): XEl => {
  const doc = parseXml(xml, { url })
  assert.ok(doc.elements[0], 'no root element')
  return doc.elements[0]
}

const path = (el: XEl, ...locals: string[]): XEl => {
  let at = el
  for (const local of locals) {
    const next = elements(at).find((e) => e.local === local)
    assert.ok(next, `no <${local}> under <${at.name}>`)
    at = next
  }
  return at
}

test('namespaces are matched by URI whatever the prefix, with known aliases', () => {
  const r = root(
    '<rss xmlns:x="http://purl.org/dc/elements/1.1/" xmlns:m="HTTPS://tools.search.yahoo.com/mrss">' +
      '<item><x:creator>Ann</x:creator><m:thumbnail url="a.jpg"/><dc:date>2024</dc:date><foo:bar/></item></rss>',
  )
  const item = path(r, 'item')
  assert.equal(path(item, 'creator').ns, NS.dc)
  assert.equal(path(item, 'thumbnail').ns, NS.media)
  // A common prefix nobody declared still means what everyone means by it; an unknown one stays apart.
  assert.equal(path(item, 'date').ns, NS.dc)
  assert.equal(path(item, 'bar').ns, 'undeclared:foo')
  assert.equal(child(item, NS.dc, 'creator')?.name, 'x:creator')
})

test('a default namespace applies to descendants until redeclared', () => {
  const r = root('<feed xmlns="http://www.w3.org/2005/Atom"><entry><content><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry></feed>')
  assert.equal(r.ns, NS.atom)
  assert.equal(path(r, 'entry', 'content').ns, NS.atom)
  assert.equal(path(r, 'entry', 'content', 'div', 'p').ns, NS.xhtml)
})

test('prefixes that look like Object properties are plain undeclared prefixes', () => {
  const r = root('<r><constructor:a/><__proto__:b/><c xmlns:d="constructor"><d:e/></c></r>')
  assert.equal(path(r, 'a').ns, 'undeclared:constructor')
  assert.equal(path(r, 'b').ns, 'undeclared:__proto__')
  assert.equal(path(r, 'c', 'e').ns, 'constructor')
})

test('xml:base is made absolute along the chain and xml:lang is inherited', () => {
  const r = root(
    '<feed xml:base="/blog/" xml:lang="en"><entry xml:base="2024/" xml:lang="fr"><content/></entry><entry xml:lang=""><x/></entry></feed>',
    'https://example.com/feed.xml',
  )
  assert.equal(r.xmlBase, 'https://example.com/blog/')
  const [first, second] = elements(r)
  assert.equal(path(first!, 'content').xmlBase, 'https://example.com/blog/2024/')
  assert.equal(path(first!, 'content').lang, 'fr')
  // xml:lang="" means "unknown", not "inherit".
  assert.equal(path(second!, 'x').lang, null)
  assert.equal(second!.xmlBase, 'https://example.com/blog/')
})

test('HTML entities decode in text and attributes; a bare & survives', () => {
  const r = root('<r><t>caf&eacute;&nbsp;&#8217;&#x41; AT&T &amp; more</t><a href="/x?a=1&copy=2&amp;b=&quot;3&quot;"/></r>')
  assert.equal(textOf(path(r, 't')), 'caf\u00e9\u00a0\u2019A AT&T & more')
  assert.equal(attr(path(r, 'a'), 'href'), '/x?a=1&copy=2&b="3"')
})

test('&lang; and &rang; keep their HTML 4 meaning in feeds', () => {
  const r = root('<r><t>a &lang;b&rang; &amp;lang;</t><a title="&lang;"/></r>')
  assert.equal(textOf(path(r, 't')), 'a \u2329b\u232a &lang;')
  assert.equal(attr(path(r, 'a'), 'title'), '\u2329')
})

test('CDATA is literal and joins the text around it', () => {
  const r = root('<r><t>a &amp; <![CDATA[<b>&amp;</b>]]> c</t></r>')
  assert.deepEqual(path(r, 't').children, [{ type: 'text', value: 'a & <b>&amp;</b> c' }])
})

test('the first of duplicate attributes wins', () => {
  const r = root('<r><a x="1" x="2" y=\'3\' z/></r>')
  assert.deepEqual(path(r, 'a').attrs.map((a) => [a.name, a.value]), [['x', '1'], ['y', '3'], ['z', '']])
})

test('junk before the root and close tags that match nothing are tolerated', () => {
  const doc = parseXml('Warning: <b>oops</b> in line 3\n<?xml version="1.0"?><rss><channel><title>AT&amp;T</zz> news</title></channel></rss>', { url: null })
  const rss = doc.elements.find((e) => e.local === 'rss')
  assert.ok(rss)
  assert.equal(textOf(path(rss, 'channel', 'title')), 'AT&T news')
})

test('a truncated document keeps what was read and marks what was still open', () => {
  const r = root('<rss><channel><item><title>A</title></item><item><title>B</ti')
  const [first, second] = elements(path(r, 'channel'))
  assert.equal(first!.complete, true)
  assert.equal(second!.complete, false)
  assert.equal(r.complete, false)
  assert.equal(textOf(path(first!, 'title')), 'A')
})

test('internal DTD entities expand, including references between them', () => {
  const r = root('<!DOCTYPE rss [<!ENTITY host "example.com"><!ENTITY id "tag:&host;,2024:">]><rss><guid>&id;1</guid><x>&lang;</x></rss>')
  assert.equal(textOf(path(r, 'guid')), 'tag:example.com,2024:1')
  assert.equal(textOf(path(r, 'x')), '\u2329')
})

test('a nested entity bomb (billion laughs) stays small', () => {
  const decls = ['<!ENTITY l0 "lol">']
  for (let i = 1; i <= 30; i++) decls.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`)
  const doc = parseXml(`<!DOCTYPE r [${decls.join('')}]><r><t>&l30;</t><u>&l2;</u></r>`, { url: null })
  const r = doc.elements[0]!
  // Entities that would grow past the bound are refused (left as written); small ones still expand.
  assert.equal(textOf(path(r, 't')), '&l30;')
  assert.equal(textOf(path(r, 'u')), 'lol'.repeat(100))
})

test('many references to one large entity stop adding text at the document budget', () => {
  const big = 'x'.repeat(9_000)
  const refs = '&e;'.repeat(5_000) // 45 MB if every reference expanded
  const doc = parseXml(`<!DOCTYPE r [<!ENTITY e "${big}">]><r><t>${refs}</t></r>`, { url: null })
  const text = textOf(path(doc.elements[0]!, 't'))
  assert.ok(text.startsWith(big + big))
  assert.ok(text.length <= 1_000_000 + refs.length, `expanded to ${text.length} characters`)
})

test('nesting beyond the depth limit is cut without losing what follows', () => {
  const depth = 2_000
  const doc = parseXml(`<r>${'<d>'.repeat(depth)}deep${'</d>'.repeat(depth)}<after>ok</after></r>`, { url: null })
  const r = doc.elements[0]!
  let levels = 0
  for (let at: XEl | undefined = r; at; at = elements(at)[0]) levels++
  assert.ok(levels < 300, `${levels} levels kept`)
  assert.equal(textOf(path(r, 'after')), 'ok')
})

test('deep unclosed nesting with stray close tags still parses', () => {
  const n = 50_000
  const doc = parseXml(`<r>${'<a>'.repeat(n)}${'</b>'.repeat(n)}</r><s/>`, { url: null })
  assert.deepEqual(doc.elements.map((e) => e.name), ['r', 's'])
})
