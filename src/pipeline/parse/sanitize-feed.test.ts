import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sanitizeFeedHtml, sanitizeStyle } from './sanitize-feed.js'

const base = 'https://blog.example/posts/'
const clean = (html: string, b: string | null = base): string => sanitizeFeedHtml(html, { base: b })

test('script, style and applet go with their content; other unknown tags only lose the tag', () => {
  assert.equal(clean('Before<script>steal(document.cookie)</script> after'), 'Before after')
  assert.equal(clean('<style>p { display: none }</style><p>Shown</p>'), '<p>Shown</p>')
  assert.equal(clean('<applet code="x.class">fallback</applet>ok'), 'ok')
  assert.equal(clean('<blink>Sale</blink> today'), 'Sale today')
})

test('embedded documents and page-level tags are removed', () => {
  for (const html of [
    '<iframe src="https://evil.example/"></iframe>x',
    '<embed src="https://evil.example/movie.swf">x',
    '<object data="https://evil.example/x.swf"><param name="a" value="b"></object>x',
    '<frameset><frame src="https://evil.example/"></frameset>x',
    '<meta http-equiv="refresh" content="0; url=https://evil.example/">x',
    '<link rel="stylesheet" href="https://evil.example/x.css">x',
    '<base href="https://evil.example/">x',
  ]) {
    assert.equal(clean(html), 'x', html)
  }
})

test('event handlers are dropped and unsafe URLs emptied in links and images', () => {
  assert.equal(clean('<img src="pic.jpg" onerror="alert(1)" onload="alert(2)">'), '<img src="https://blog.example/posts/pic.jpg" />')
  assert.equal(clean('<a href="javascript:alert(1)">x</a>'), '<a href="">x</a>')
  assert.equal(clean('<a href=" JaVaScRiPt:alert(1)">x</a>'), '<a href="">x</a>')
  assert.equal(clean('<a href="java&#x09;script:alert(1)">x</a>'), '<a href="">x</a>')
  assert.equal(clean('<a href="vbscript:msgbox(1)">x</a>'), '<a href="">x</a>')
  // References are decoded before the scheme is checked, and never revived afterwards.
  for (const b of [null, base]) {
    assert.equal(clean('<a href="javascript&colon;alert(1)">x</a>', b), '<a href="">x</a>')
    assert.equal(clean('<a href="&#106;avascript:alert(1)">x</a>', b), '<a href="">x</a>')
    assert.doesNotMatch(clean('<a href="javascript&amp;colon;alert(1)">x</a>', b), /href="javascript&colon;/)
  }
  assert.equal(clean('<a href="/s?a=1&amp;b=2">q</a>'), '<a href="https://blog.example/s?a=1&amp;b=2">q</a>')
  assert.equal(clean('<td background="javascript:alert(1)">x</td>'), '<td background="">x</td>')
  assert.equal(clean('<img src="data:text/html;base64,PHNjcmlwdD4=">'), '<img src="" />')
  assert.equal(clean('<a href="mailto:desk@news.example">Write to us</a>'), '<a href="mailto:desk@news.example">Write to us</a>')
})

test('inline CSS keeps harmless properties only', () => {
  assert.equal(sanitizeStyle('color: red; position: absolute; font-weight: bold'), 'color: red; font-weight: bold;')
  assert.equal(sanitizeStyle('background: url(javascript:alert(1))'), '')
  assert.equal(sanitizeStyle('width: expression(alert(1))'), '')
  assert.equal(sanitizeStyle('margin: 0 auto; padding: 4px'), 'margin: 0 auto; padding: 4px;')
  assert.equal(clean('<p style="behavior: url(x.htc)">t</p>'), '<p>t</p>')
})

test('relative URLs resolve against the base; without a base they stay as written', () => {
  assert.equal(clean('<a href="../about">About</a>'), '<a href="https://blog.example/about">About</a>')
  assert.equal(clean('<a href="../about">About</a>', null), '<a href="../about">About</a>')
  assert.equal(clean('<blockquote cite="/source">q</blockquote>'), '<blockquote cite="https://blog.example/source">q</blockquote>')
})

test('output is normalised: attributes sorted and lower-cased, void elements self-closed', () => {
  assert.equal(clean('<IMG ALT="A cat" SRC="/cat.png"><BR>'), '<img alt="A cat" src="https://blog.example/cat.png" /><br />')
  assert.equal(clean('<td rowspan="2" colspan="3">x</td>'), '<td colspan="3" rowspan="2">x</td>')
})

test('SVG and MathML survive with their own vocabularies, scripts inside them do not', () => {
  assert.equal(
    clean('<svg viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" onclick="alert(1)"/><script>alert(2)</script></svg>'),
    '<svg viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"><circle cx="5" cy="5" r="4"></circle></svg>',
  )
  // Animation could rewrite a link into a javascript: URL after sanitizing, so it is not allowed.
  assert.equal(
    clean('<svg><a xlink:href="/x"><animate attributeName="href" to="javascript:alert(1)"/>t</a></svg>'),
    '<svg xmlns="http://www.w3.org/2000/svg"><a xlink:href="https://blog.example/x" xmlns:xlink="http://www.w3.org/1999/xlink">t</a></svg>',
  )
  assert.equal(clean('<math><mi>x</mi><mo>+</mo><mn>1</mn></math>'), '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi><mo>+</mo><mn>1</mn></math>')
  // Outside SVG, an SVG-only element is not markup a reader gets.
  assert.equal(clean('<title>Page</title><p>x</p>'), 'Page<p>x</p>')
})

test('Windows-1252 character references mean what Windows shows', () => {
  assert.equal(clean('<p>don&#146;t &#151; &#X2014;</p>'), '<p>don&#x2019;t &#x2014; &#x2014;</p>')
})

test('text without markup comes back as it was, a bare ampersand escaped', () => {
  assert.equal(clean('  Plain words &amp; more  '), 'Plain words &amp; more')
  assert.equal(clean('Q&A'), 'Q&amp;A')
  assert.equal(clean('<!not a doctype'), '&lt;!not a doctype')
})
