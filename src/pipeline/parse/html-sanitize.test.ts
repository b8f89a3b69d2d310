import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Parser } from 'htmlparser2'
import { sanitizeHtmlFragment } from './html-sanitize.js'
import sanitize from 'sanitize-html'
import {
  ALL_ATTRIBUTES, ALL_ELEMENTS, DROP_WITH_CONTENT, MATHML_NS, SAFE_SCHEMES, SVG_NS, VOID, normalizeCharRefs, transform,
} from './sanitize-feed.js'

/**
 * The reference: sanitize-html 2.17 with the same allow-lists and transform. Our one-pass sanitizer was
 * written to print exactly what this prints; the tests below hold it to that on hostile input.
 */
function sanitizeWithLibrary(html: string, base: string | null): string {
  // `<!` that is not a comment or a well-formed doctype is text, not markup; CDATA in HTML is text too.
  const input = html.replace(/<!(?!--|DOCTYPE\s+[a-z][^<>]*>)/gi, '&lt;!')
  const open: string[] = []
  let svgDepth = 0
  let mathDepth = 0
  const drop = new WeakSet<object>()
  const options: sanitize.IOptions & { allowedEmptyAttributes: string[] } = {
    allowedTags: ALL_ELEMENTS,
    allowedAttributes: false, // the transform below keeps only the allowed ones, per vocabulary
    allowedSchemes: SAFE_SCHEMES,
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'action', 'longdesc', 'usemap', 'poster', 'background', 'dynsrc', 'lowsrc', 'xlink:href'],
    allowProtocolRelative: true,
    allowedEmptyAttributes: ALL_ATTRIBUTES,
    nonBooleanAttributes: [],
    selfClosing: VOID,
    nonTextTags: DROP_WITH_CONTENT,
    parseStyleAttributes: false,
    disallowedTagsMode: 'discard',
    // Markup nested deeper than any page needs only serves to choke whatever renders it; the text stays.
    nestingLimit: 512,
    parser: { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true },
    onOpenTag(name, attribs) {
      open.push(name)
      if (name === 'svg' && (attribs.xmlns === undefined || attribs.xmlns === SVG_NS)) svgDepth++
      if (name === 'math' && (attribs.xmlns === undefined || attribs.xmlns === MATHML_NS)) mathDepth++
    },
    onCloseTag(name) {
      const i = open.lastIndexOf(name)
      if (i < 0) return
      for (const closed of open.splice(i)) {
        if (closed === 'svg' && svgDepth > 0) svgDepth--
        if (closed === 'math' && mathDepth > 0) mathDepth--
      }
    },
    transformTags: {
      '*': (tagName, attribs) => transform(tagName, attribs, { base, inSvg: svgDepth > 0, inMath: mathDepth > 0, drop }),
    },
    exclusiveFilter: (frame) => (drop.has(frame.attribs) ? 'excludeTag' : false),
  }
  let out: string
  try {
    out = sanitize(input, options)
  } catch {
    // A library failure on one field must not cost the whole feed: the field is kept as escaped text.
    out = input.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  }
  return normalizeCharRefs(out).trim().replace(/\r\n/g, '\n')
}

const base = 'https://paper.example/news/'
const clean = (html: string, b: string | null = base): string => sanitizeHtmlFragment(html, { base: b })

const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'action', 'longdesc', 'usemap', 'poster', 'background', 'dynsrc', 'lowsrc', 'data', 'xlink:href', 'formaction'])
const FORBIDDEN_TAGS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'applet', 'frame', 'frameset', 'meta', 'link', 'base', 'animate', 'set'])

/** What a browser would find in the output that can run code or load another document, if anything. */
function dangers(html: string): string[] {
  const found: string[] = []
  const p = new Parser({
    onopentag(name, attribs) {
      if (FORBIDDEN_TAGS.has(name)) found.push(`<${name}>`)
      for (const [key, value] of Object.entries(attribs)) {
        const v = value.replace(/[\u0000-\u0020]/g, '').toLowerCase()
        if (key.startsWith('on')) found.push(`${key}=`)
        if (URL_ATTRIBUTES.has(key) && /^(?:javascript|vbscript|data|livescript):/.test(v)) found.push(`${key}=${value}`)
        if (key === 'style' && /expression|url\(|javascript|behavior|@import/.test(v)) found.push(`style=${value}`)
      }
    },
  }, { decodeEntities: true })
  p.write(html)
  p.end()
  return found
}

const assertSafe = (input: string, b: string | null = base): string => {
  const out = clean(input, b)
  assert.deepEqual(dangers(out), [], `${JSON.stringify(input)} gave ${JSON.stringify(out)}`)
  return out
}

test('the danger check itself sees what it must', () => {
  assert.deepEqual(dangers('<a href="&#106;avascript:x">a</a><script>x</script><img src=x onerror=y>'), ['href=javascript:x', '<script>', 'onerror='])
})

test('references and whitespace inside a URL do not hide javascript:', () => {
  for (const href of ['&#106;avascript:alert(1)', '&#x6A;avascript:alert(1)', '&#0000106;avascript:alert(1)', 'javascript&colon;alert(1)',
    'java\tscript:alert(1)', 'java&#9;script:alert(1)', 'java&#x0A;script:alert(1)', ' \u0001javascript:alert(1)', 'JAVASCRIPT:alert(1)',
    'vbscript:msgbox(1)', 'data:text/html;base64,PGgxPng8L2gxPg==', 'jav&#x61;script:alert(1)']) {
    for (const b of [null, base]) {
      const out = assertSafe(`<a href="${href}">link</a><img src='${href}'>`, b)
      assert.match(out, /^<a href="[^"]*">link<\/a><img src="[^"]*" \/>$/, out)
    }
  }
  // An unquoted value ends at the whitespace, so what is left is a harmless relative address.
  assert.equal(clean('<img src=java\tscript:alert(1)>'), '<img src="https://paper.example/news/java" />')
})

test('script, style and applet go with their content, however they are disguised', () => {
  assert.equal(clean('a<script>alert(1)</script>b'), 'ab')
  assert.equal(clean('a<SCRIPT type="text/javascript">alert(1)</SCRIPT >b'), 'ab')
  assert.equal(clean('a<style>body { display: none }</style>b'), 'ab')
  assert.equal(clean('a<applet code="x.class"><param name="p" value="v">fallback</applet>b'), 'ab')
  // Nested halves leave only text behind.
  const out = assertSafe('<scr<script>ipt>alert(1)</script>')
  assert.doesNotMatch(out, /<script/i)
  assertSafe('<<script>script>alert(1)<</script>/script>')
  // A script that is never closed takes the rest of the fragment with it.
  assert.equal(clean('<p>kept</p><script>alert(1)<p>lost</p>'), '<p>kept</p>')
  // `</script` inside script text that does not end the tag does not end it either.
  assert.equal(clean('<script>var s = "</scriptx>"; alert(1)</script>after'), 'after')
})

test('unclosed and stray tags are balanced', () => {
  assert.equal(clean('<p>one<b>two'), '<p>one<b>two</b></p>')
  assert.equal(clean('<ul><li>a<li>b</ul>'), '<ul><li>a</li><li>b</li></ul>')
  assert.equal(clean('text</div></b>more'), 'textmore')
  assert.equal(clean('<table><tr><td>1<td>2</table>'), '<table><tr><td>1</td><td>2</td></tr></table>')
  // A tag cut off at the end of the fragment is dropped, never half-printed.
  assert.equal(clean('<p>end <a href="x'), '<p>end </p>')
  assertSafe('<p>end <img src="x" onerror="alert(1)"')
})

test('markup inside attribute values stays text', () => {
  const out = assertSafe('<img alt="</script><script>alert(1)</script>" src="a.png">')
  assert.equal(out, '<img alt="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" src="https://paper.example/news/a.png" />')
  assertSafe(`<p title='x" onmouseover="alert(1)'>t</p>`)
  assertSafe('<p title=x onmouseover=alert(1)>t</p>')
})

test('comments, CDATA and processing instructions never smuggle markup', () => {
  assert.equal(clean('a<!-- <script>alert(1)</script> -->b'), 'ab')
  assert.equal(clean('a<!--> <b>b</b>'), 'a <b>b</b>')
  assertSafe('<!-- --!><script>alert(1)</script> -->')
  const cdata = assertSafe('<![CDATA[<script>alert(1)</script>]]>after')
  assert.doesNotMatch(cdata, /<script/)
  assertSafe('<?xml version="1.0"?><script>alert(1)</script>')
  assertSafe('<!DOCTYPE html><img src=x onerror=alert(1)>')
  assertSafe('<!x><script>alert(1)</script>')
})

test('SVG and MathML keep their vocabularies, never their scripts or handlers', () => {
  for (const input of [
    '<svg><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
    '<svg onload="alert(1)"><rect width="1"/></svg>',
    '<svg><animate attributeName="href" to="javascript:alert(1)"/><a><text>x</text></a></svg>',
    '<svg><set attributeName="onclick" to="alert(1)"/></svg>',
    '<svg><foreignObject><script>alert(1)</script><img src=x onerror=alert(1)></foreignObject></svg>',
    '<svg><style>*{}</style><title><script>alert(1)</script></title></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
    '<math><annotation-xml encoding="text/html"><script>alert(1)</script></annotation-xml></math>',
    '<svg><math><mi><svg><script>alert(1)</script></svg></mi></math></svg>',
    '<math><svg><desc><math><style><img src=x onerror=alert(1)>',
  ]) assertSafe(input)
  assert.equal(clean('<svg viewbox="0 0 1 1"><lineargradient id="g"></lineargradient><path d="M0 0"/></svg>'),
    '<svg viewBox="0 0 1 1" xmlns="http://www.w3.org/2000/svg"><linearGradient id="g"></linearGradient><path d="M0 0"></path></svg>')
  // Outside SVG an SVG-only element loses its tag, not its text.
  assert.equal(clean('<p><tspan>t</tspan></p>'), '<p>t</p>')
})

test('event handlers and CSS that can run code are removed', () => {
  assert.equal(clean('<img src="a.png" onerror="alert(1)" ONLOAD=alert(2)>'), '<img src="https://paper.example/news/a.png" />')
  assert.equal(clean('<p style="width: expression(alert(1))">t</p>'), '<p>t</p>')
  assertSafe('<p style="background: url(javascript:alert(1)); color: red">t</p>')
  assert.equal(clean('<p style="color: red; position: fixed">t</p>'), '<p style="color: red;">t</p>')
  assertSafe('<p style="xss:ex&#x70;ression(alert(1))">t</p>')
  assertSafe('<p style="behavior: url(x.htc)">t</p>')
})

test('text keeps its character references; a bare ampersand and angle brackets are escaped', () => {
  assert.equal(clean('<b>Fish &amp; chips &copy; 2026</b> a & b > c'), '<b>Fish &amp; chips &copy; 2026</b> a &amp; b &gt; c')
  assert.equal(clean('<p>It&#146;s</p>'), '<p>It&#x2019;s</p>')
  assert.equal(clean('  <p>x</p>\r\n'), '<p>x</p>')
})

test('relative URLs resolve against the base', () => {
  assert.equal(clean('<a href="../about">About</a>'), '<a href="https://paper.example/about">About</a>')
  assert.equal(clean('<a href="../about">About</a>', null), '<a href="../about">About</a>')
})

test('markup nested deeper than 512 levels loses its tags beyond that, not its text', () => {
  const out = clean('<div>'.repeat(600) + 'deep' + '</div>'.repeat(600))
  assert.equal(out.match(/<div>/g)?.length, 512)
  assert.equal(out.match(/<\/div>/g)?.length, 512)
  assert.ok(out.includes('deep'))
})

test('random tag soup: never a danger, and the same output as the sanitize-html implementation', () => {
  let seed = 20260
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x80000000
  }
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!
  const parts = ['<', '>', '</', '/>', '<!--', '-->', '<![CDATA[', ']]>', '"', "'", '=', ' ', '\n', '&#106;', '&amp;', '&', 'x',
    'script', 'style', 'title', 'svg', 'math', 'mi', 'p', 'a', 'b', 'img', 'li', 'td', 'table', 'foreignObject', 'desc', 'applet',
    ' href=', ' src=', ' onclick=', ' style=', ' xlink:href=', 'javascript:alert(1)', 'java\tscript:', 'expression(x)', 'url(x)']
  for (let i = 0; i < 3000; i++) {
    let s = ''
    for (let k = 1 + Math.floor(rnd() * 30); k > 0; k--) s += pick(parts)
    const b = rnd() < 0.5 ? null : base
    const out = clean(s, b)
    assert.deepEqual(dangers(out), [], `${JSON.stringify(s)} gave ${JSON.stringify(out)}`)
    assert.equal(out, sanitizeWithLibrary(s, b), JSON.stringify(s))
  }
})
