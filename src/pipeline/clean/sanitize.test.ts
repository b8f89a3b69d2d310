import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sanitizeHtml } from './sanitize.js'
import { largestSrcsetCandidate } from './image-url.js'

const BASE = 'https://news.example/world/story.html'
const REL = 'rel="nofollow noopener noreferrer"'

describe('sanitizeHtml: allow-list', () => {
  const cases: Array<[string, string, string]> = [
    ['keeps paragraphs and inline emphasis', '<p>a <strong>b</strong> <em>c</em> <b>d</b> <i>e</i> <u>f</u> <s>g</s></p>', '<p>a <strong>b</strong> <em>c</em> <b>d</b> <i>e</i> <u>f</u> <s>g</s></p>'],
    ['h1 becomes h2, h2–h6 stay', '<h1>A</h1><h3>B</h3><h6>C</h6>', '<h2>A</h2><h3>B</h3><h6>C</h6>'],
    ['drops class, id and style', '<p class="lead" id="p1" style="color:red">x</p>', '<p>x</p>'],
    ['unwraps unknown tags but keeps their text', '<div><span>one</span> <section>two</section></div>', '<span>one</span> <section>two</section>'.replace(/<\/?(span|section)>/g, '')],
    ['keeps lists, quotes, code and definition lists', '<ul><li>a</li></ul><ol><li>b</li></ol><blockquote><p>q</p></blockquote><pre><code>x = 1</code></pre><dl><dt>t</dt><dd>d</dd></dl>', '<ul><li>a</li></ul><ol><li>b</li></ol><blockquote><p>q</p></blockquote><pre><code>x = 1</code></pre><dl><dt>t</dt><dd>d</dd></dl>'],
    ['keeps tables with numeric colspan/rowspan only', '<table><thead><tr><th colspan="2" scope="col">h</th></tr></thead><tbody><tr><td rowspan="x" onclick="y">c</td></tr></tbody></table>', '<table><thead><tr><th colspan="2">h</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table>'],
    ['keeps time datetime and abbr title', '<time datetime="2026-03-14" class="x">14 March</time> <abbr title="World Health Organization">WHO</abbr>', '<time datetime="2026-03-14">14 March</time> <abbr title="World Health Organization">WHO</abbr>'],
    ['keeps sub, sup, small, mark, q, cite, hr, br', '<p>H<sub>2</sub>O x<sup>2</sup> <small>s</small> <mark>m</mark> <q>q</q> <cite>c</cite><br>n</p><hr>', '<p>H<sub>2</sub>O x<sup>2</sup> <small>s</small> <mark>m</mark> <q>q</q> <cite>c</cite><br />n</p><hr />'],
    ['removes script, style and template with their content', '<p>a</p><script>alert(1)</script><style>p{}</style><template><p>t</p></template><p>b</p>', '<p>a</p><p>b</p>'],
    ['removes iframe, object, embed, form, noscript with their content', '<iframe src="https://v.example/e">fallback</iframe><object data="x">obj</object><embed src="y"><form><label>Email</label><button>Subscribe</button></form><noscript>Enable JS</noscript><p>ok</p>', '<p>ok</p>'],
    ['removes svg and math with their content', '<svg><text>Share</text></svg><math><mi>x</mi></math><p>ok</p>', '<p>ok</p>'],
    ['keeps figures and captions when they are given', '<figure><img src="/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>', '<figure><img src="https://news.example/a.jpg" alt="A" loading="lazy" /><figcaption>Cap</figcaption></figure>'],
  ]
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(sanitizeHtml(input, { baseUrl: BASE }), expected))
  }
})

describe('sanitizeHtml: links and images', () => {
  const cases: Array<[string, string, string | null, string]> = [
    ['relative link made absolute, with rel', '<a href="../b.html" title="B" target="_blank">b</a>', BASE, `<a href="https://news.example/b.html" ${REL} title="B">b</a>`],
    ['tracking parameters dropped from links, fragment kept', '<a href="/x?utm_source=a&amp;id=2#sec">x</a>', BASE, `<a href="https://news.example/x?id=2#sec" ${REL}>x</a>`],
    ['mailto kept', '<a href="mailto:desk@news.example">mail</a>', BASE, `<a href="mailto:desk@news.example" ${REL}>mail</a>`],
    ['ftp link unwrapped, text kept', '<p><a href="ftp://f.example/a">file</a></p>', BASE, '<p>file</p>'],
    ['anchor without href unwrapped', '<p>x <a name="top">y</a> z</p>', BASE, '<p>x y z</p>'],
    ['relative link without a base is unwrapped', '<p><a href="/a">a</a> and <a href="https://o.example/">o</a></p>', null, `<p>a and <a href="https://o.example/" ${REL}>o</a></p>`],
    ['protocol-relative without a base becomes https', '<img src="//cdn.example/a.jpg">', null, '<img src="https://cdn.example/a.jpg" loading="lazy" />'],
    ['srcset: the largest width goes into src', '<img src="s.jpg" srcset="a.jpg 300w, b.jpg 1200w, c.jpg 800w" width="300" height="200">', BASE, '<img src="https://news.example/world/b.jpg" width="300" height="200" loading="lazy" />'],
    ['srcset: the highest density when no widths', '<img srcset="/a.jpg, /a@3x.jpg 3x, /a@2x.jpg 2x">', BASE, '<img src="https://news.example/a@3x.jpg" loading="lazy" />'],
    ['lazy-load data-src replaces a placeholder src', '<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="r">', BASE, '<img src="https://news.example/real.jpg" alt="r" loading="lazy" />'],
    ['non-numeric width dropped', '<img src="/a.jpg" width="100%" height="40">', BASE, '<img src="https://news.example/a.jpg" height="40" loading="lazy" />'],
    ['data: image dropped', '<p>x<img src="data:image/png;base64,AAAA">y</p>', BASE, '<p>xy</p>'],
    ['1×1 tracking pixel dropped', '<p>x<img src="https://stats.example/p.gif" width="1" height="1">y</p>', BASE, '<p>xy</p>'],
    ['relative image without a base dropped', '<p>x<img src="/a.jpg">y</p>', null, '<p>xy</p>'],
  ]
  for (const [name, input, base, expected] of cases) {
    it(name, () => assert.equal(sanitizeHtml(input, { baseUrl: base }), expected))
  }

  it('srcset with commas inside URLs', () => {
    assert.equal(largestSrcsetCandidate('https://i.example/w_400,h_300/a.jpg 400w, https://i.example/w_1600,h_1200/a.jpg 1600w'), 'https://i.example/w_1600,h_1200/a.jpg')
  })
})

describe('sanitizeHtml: XSS vectors', () => {
  // Each input must come out without anything a browser would execute or load as script.
  const vectors: Array<[string, string]> = [
    ['event handler attribute', '<p onclick="alert(1)" onmouseover=alert(2)>x</p>'],
    ['img src=x onerror', '<img src=x onerror=alert(1)>'],
    ['img with javascript src', '<img src="javascript:alert(1)">'],
    ['javascript: href', '<a href="javascript:alert(1)">x</a>'],
    ['mixed-case JaVaScRiPt:', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['entity-encoded javascript:', '<a href="&#106;avascript:alert(1)">x</a>'],
    ['fully entity-encoded javascript:', '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>'],
    ['entity colon', '<a href="javascript&colon;alert(1)">x</a>'],
    ['tab inside the scheme', '<a href="jav\tascript:alert(1)">x</a>'],
    ['encoded tab inside the scheme', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
    ['encoded newline inside the scheme', '<a href="jav&#x0A;ascript:alert(1)">x</a>'],
    ['leading space and control characters', '<a href=" &#x01; javascript:alert(1)">x</a>'],
    ['vbscript:', '<a href="vbscript:msgbox(1)">x</a>'],
    ['data: link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
    ['svg onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
    ['svg with script inside', '<svg><script>alert(1)</script></svg>'],
    ['CSS expression in style', '<p style="width: expression(alert(1))">x</p>'],
    ['CSS url(javascript:) in style', '<div style="background:url(javascript:alert(1))">x</div>'],
    ['split script tag <scr<script>ipt>', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
    ['unclosed script', '<p>ok</p><script>alert(1)'],
    ['unclosed tags', '<p><b><i>text<a href="javascript:alert(1)">x'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['object data javascript', '<object data="javascript:alert(1)"></object>'],
    ['embed', '<embed src="javascript:alert(1)">'],
    ['form action', '<form action="javascript:alert(1)"><button>go</button></form>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['base href', '<base href="javascript:alert(1)//">'],
    ['math with xlink', '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>'],
    ['HTML comment hiding a tag', '<!--<img src=x onerror=alert(1)>-->'],
    ['attribute breaking out with quotes', '<a href=\'https://a.example/"onmouseover="alert(1)\'>x</a>'],
    ['noscript parsing differential', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['template with script', '<template><script>alert(1)</script></template>'],
    ['style tag with expression', '<style>body{background:expression(alert(1))}</style>'],
    ['link to javascript in blockquote cite', '<blockquote cite="javascript:alert(1)">q</blockquote>'],
  ]
  for (const [name, input] of vectors) {
    it(name, () => {
      for (const baseUrl of [BASE, null]) {
        const out = sanitizeHtml(input, { baseUrl })
        assert.doesNotMatch(out, /<\s*(script|svg|math|iframe|object|embed|form|style|meta|base|template|noscript)\b/i, out)
        assert.doesNotMatch(out, /\son[a-z]+\s*=/i, out)
        assert.doesNotMatch(out, /\sstyle\s*=/i, out)
        assert.doesNotMatch(out, /(href|src|cite)\s*=\s*"(?!https?:|mailto:)/i, out)
      }
    })
  }

  it('an img with onerror keeps only the safe attributes', () => {
    assert.equal(sanitizeHtml('<img src=x onerror=alert(1)>', { baseUrl: BASE }), '<img src="https://news.example/world/x" loading="lazy" />')
  })
  it('the split script leaves only inert text', () => {
    assert.equal(sanitizeHtml('<scr<script>ipt>alert(1)</script>', { baseUrl: BASE }), 'ipt&gt;alert(1)')
  })
  it('unclosed tags are closed', () => {
    assert.equal(sanitizeHtml('<p>unclosed <b>bold <i>it', { baseUrl: BASE }), '<p>unclosed <b>bold <i>it</i></b></p>')
  })
})
