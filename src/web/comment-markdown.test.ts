import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { commentPlainText, renderCommentMarkdown } from './comment-markdown.js'

const A = 'rel="nofollow ugc noopener" target="_blank"'
const html = (text: string, opts?: { maxLinks?: number }): string => renderCommentMarkdown(text, opts).html

/** Every `<` in the output opens or closes one of the tags the renderer writes. */
const FOREIGN_TAG = /<(?!(?:p|\/p|br|blockquote|\/blockquote|em|\/em|strong|\/strong|code|\/code|\/a)>|a )/
/** Our exact tags; with them removed, no `<` or `>` may be left (all text ones are escaped). */
const OWN_TAGS = new RegExp(`</?(?:p|br|blockquote|em|strong|code)>|</a>|<a href="https?://[^"<>\\s]*" ${A}>`, 'g')

function assertSafe(out: string, input: string): void {
  assert.doesNotMatch(out, FOREIGN_TAG, `foreign tag for ${JSON.stringify(input)}: ${out}`)
  assert.doesNotMatch(out.replace(OWN_TAGS, ''), /[<>]/, `stray < or > for ${JSON.stringify(input)}: ${out}`)
  for (const [, href] of out.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^https?:\/\//, `href ${href} for ${JSON.stringify(input)}`)
}

describe('renderCommentMarkdown: blocks', () => {
  const cases: Array<[string, string, string]> = [
    ['one paragraph', 'Hello there', '<p>Hello there</p>'],
    ['blank lines separate paragraphs', 'one\n\n\ntwo', '<p>one</p><p>two</p>'],
    ['a single newline is a line break', 'one\ntwo', '<p>one<br>two</p>'],
    ['CRLF and lone CR are newlines', 'one\r\ntwo\r\rthree', '<p>one<br>two</p><p>three</p>'],
    ['a quote', '> quoted\n> still quoted', '<blockquote><p>quoted<br>still quoted</p></blockquote>'],
    ['a quote without the space', '>tight', '<blockquote><p>tight</p></blockquote>'],
    ['a quote, then the reply', '> they said\n\nI disagree', '<blockquote><p>they said</p></blockquote><p>I disagree</p>'],
    ['a line without > ends the quote', '> they said\nI disagree', '<blockquote><p>they said</p></blockquote><p>I disagree</p>'],
    ['a quote with two paragraphs', '> one\n>\n> two', '<blockquote><p>one</p><p>two</p></blockquote>'],
    ['one level only: a nested > is text', '>> deeper', '<blockquote><p>&gt; deeper</p></blockquote>'],
    ['lists stay text', '- one\n- two', '<p>- one<br>- two</p>'],
    ['headings stay text', '# Title', '<p># Title</p>'],
    ['nothing in, nothing out', '  \n\n ', ''],
  ]
  for (const [name, input, expected] of cases) it(name, () => assert.equal(html(input), expected))
})

describe('renderCommentMarkdown: emphasis and code', () => {
  const cases: Array<[string, string, string]> = [
    ['*em*', 'a *b* c', '<p>a <em>b</em> c</p>'],
    ['_em_', 'a _b_ c', '<p>a <em>b</em> c</p>'],
    ['**strong**', 'a **b** c', '<p>a <strong>b</strong> c</p>'],
    ['__strong__', 'a __b__ c', '<p>a <strong>b</strong> c</p>'],
    ['strong containing em', '**a *b* c**', '<p><strong>a <em>b</em> c</strong></p>'],
    ['***both***', '***wow***', '<p><em><strong>wow</strong></em></p>'],
    ['snake_case stays literal', 'call snake_case_name() or my__dunder__name', '<p>call snake_case_name() or my__dunder__name</p>'],
    ['stars work inside words, as in CommonMark', 'un*frigging*believable', '<p>un<em>frigging</em>believable</p>'],
    ['unbalanced markers stay literal', 'a *b and **c and _d', '<p>a *b and **c and _d</p>'],
    ['a lone star between spaces', '3 * 4 = 12', '<p>3 * 4 = 12</p>'],
    ['a backslash escapes a marker', '\\*not em\\*', '<p>*not em*</p>'],
    ['emphasis across a line break', '*one\ntwo*', '<p><em>one<br>two</em></p>'],
    ['inline code', 'run `npm test` now', '<p>run <code>npm test</code> now</p>'],
    ['no formatting inside code', '`*a* [b](https://x.example) <i>`', '<p><code>*a* [b](https://x.example) &lt;i&gt;</code></p>'],
    ['double backticks hold a backtick', '`` a ` b ``', '<p><code>a ` b</code></p>'],
    ['an unclosed backtick is literal', 'it`s', '<p>it`s</p>'],
  ]
  for (const [name, input, expected] of cases) it(name, () => assert.equal(html(input), expected))
})

describe('renderCommentMarkdown: links', () => {
  const cases: Array<[string, string, string]> = [
    ['[text](url)', 'see [the report](https://news.example/r?a=1&b=2)', `<p>see <a href="https://news.example/r?a=1&amp;b=2" ${A}>the report</a></p>`],
    ['link text may hold emphasis', '[*really* read](http://news.example)', `<p><a href="http://news.example/" ${A}><em>really</em> read</a></p>`],
    ['spaces around the destination', '[a](  https://x.example/  )', `<p><a href="https://x.example/" ${A}>a</a></p>`],
    ['an empty text shows the URL', '[](https://x.example/)', `<p><a href="https://x.example/" ${A}>https://x.example/</a></p>`],
    ['no link inside a link', '[a [b](https://b.example/) c](https://c.example/)', `<p>[a <a href="https://b.example/" ${A}>b</a> c](<a href="https://c.example/" ${A}>https://c.example/</a>)</p>`],
    ['a bare URL inside link text is text', '[https://a.example/](https://b.example/)', `<p><a href="https://b.example/" ${A}>https://a.example/</a></p>`],
    ['autolink', 'go to https://news.example/a/b now', `<p>go to <a href="https://news.example/a/b" ${A}>https://news.example/a/b</a> now</p>`],
    ['autolink: a full stop ends the sentence, not the URL', 'It is at https://news.example/a.', `<p>It is at <a href="https://news.example/a" ${A}>https://news.example/a</a>.</p>`],
    ['autolink: commas and question marks', 'https://a.example/x, or https://b.example/y?', `<p><a href="https://a.example/x" ${A}>https://a.example/x</a>, or <a href="https://b.example/y" ${A}>https://b.example/y</a>?</p>`],
    ['autolink in parentheses', '(see https://news.example/a)', `<p>(see <a href="https://news.example/a" ${A}>https://news.example/a</a>)</p>`],
    ['autolink keeps balanced parentheses', '(https://en.wikipedia.example/wiki/Mercury_(planet))', `<p>(<a href="https://en.wikipedia.example/wiki/Mercury_(planet)" ${A}>https://en.wikipedia.example/wiki/Mercury_(planet)</a>)</p>`],
    ['autolink keeps underscores in the path', 'https://x.example/a_b_c', `<p><a href="https://x.example/a_b_c" ${A}>https://x.example/a_b_c</a></p>`],
    ['autolink inside emphasis', '_https://x.example/_', `<p><em><a href="https://x.example/" ${A}>https://x.example/</a></em></p>`],
    ['autolink stops at <', 'https://x.example/<script>', `<p><a href="https://x.example/" ${A}>https://x.example/</a>&lt;script&gt;</p>`],
    ['the href is normalised, the text is as typed', 'HTTPS://News.Example/A', `<p><a href="https://news.example/A" ${A}>HTTPS://News.Example/A</a></p>`],
    ['quotes in a destination are percent-encoded', '[x](https://ok.example/"onmouseover="alert(1))', `<p><a href="https://ok.example/%22onmouseover=%22alert(1)" ${A}>x</a></p>`],
    ['no autolink inside a word', 'xhttps://x.example', '<p>xhttps://x.example</p>'],
  ]
  for (const [name, input, expected] of cases) it(name, () => assert.equal(html(input), expected))
})

describe('renderCommentMarkdown: links that are not made', () => {
  const cases: Array<[string, string, string]> = [
    ['javascript:', '[click](javascript:alert(1))', '<p>[click](javascript:alert(1))</p>'],
    ['JavaScript: in mixed case', '[click](JaVaScRiPt:alert(1))', '<p>[click](JaVaScRiPt:alert(1))</p>'],
    ['data:', '[click](data:text/html;base64,PHNjcmlwdD4=)', '<p>[click](data:text/html;base64,PHNjcmlwdD4=)</p>'],
    ['vbscript:', '[click](vbscript:msgbox(1))', '<p>[click](vbscript:msgbox(1))</p>'],
    ['an entity-encoded scheme', '[click](&#106;avascript:alert(1))', '<p>[click](&amp;#106;avascript:alert(1))</p>'],
    ['a tab inside the scheme', '[click](java\tscript:alert(1))', '<p>[click](java\tscript:alert(1))</p>'],
    ['a NUL inside the scheme is removed, and it is still not a link', '[click](java\u0000script:alert(1))', '<p>[click](javascript:alert(1))</p>'],
    ['protocol-relative', '[click](//evil.example/x)', '<p>[click](//evil.example/x)</p>'],
    ['relative', '[click](/admin)', '<p>[click](/admin)</p>'],
    ['mailto', '[mail](mailto:a@b.example)', '<p>[mail](mailto:a@b.example)</p>'],
    ['a title is not supported', '[a](https://x.example/ "t")', `<p>[a](<a href="https://x.example/" ${A}>https://x.example/</a> &quot;t&quot;)</p>`],
    ['an image is text (its URL may still be a link)', '![alt](https://x.example/i.png)', `<p>!<a href="https://x.example/i.png" ${A}>alt</a></p>`],
    ['a bare scheme alone', 'https:// and http://', '<p>https:// and http://</p>'],
  ]
  for (const [name, input, expected] of cases) it(name, () => assert.equal(html(input), expected))
})

describe('renderCommentMarkdown: link count', () => {
  it('counts links made, not links refused', () => {
    const r = renderCommentMarkdown('[a](https://a.example/) https://b.example/ [c](javascript:x) > https://d.example/')
    assert.equal(r.links, 3)
  })
  it('counts links in quotes', () => {
    assert.equal(renderCommentMarkdown('> https://a.example/\n\nhttps://b.example/').links, 2)
  })
  it('renders links past maxLinks as the text typed', () => {
    const r = renderCommentMarkdown('https://a.example/ [b](https://b.example/) https://c.example/', { maxLinks: 1 })
    assert.equal(r.links, 1)
    assert.equal(r.html, `<p><a href="https://a.example/" ${A}>https://a.example/</a> [b](https://b.example/) https://c.example/</p>`)
  })
  it('maxLinks 0 makes no link at all', () => {
    const r = renderCommentMarkdown('[*b*](https://b.example/)', { maxLinks: 0 })
    assert.deepEqual(r, { html: '<p>[<em>b</em>](https://b.example/)</p>', links: 0 })
  })
})

describe('renderCommentMarkdown: escaping', () => {
  const cases: Array<[string, string, string]> = [
    ['HTML is shown as text', '<b>bold</b>', '<p>&lt;b&gt;bold&lt;/b&gt;</p>'],
    ['a script tag is text', '<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
    ['quotes are escaped', '"onmouseover=alert(1) \'x\'', '<p>&quot;onmouseover=alert(1) &#39;x&#39;</p>'],
    ['an entity typed is shown as typed', 'write &lt; for <', '<p>write &amp;lt; for &lt;</p>'],
    ['ampersands', 'Q&A &amp; more', '<p>Q&amp;A &amp;amp; more</p>'],
    ['escaped inside emphasis and links', '*<i>* [<i>](https://x.example/)', `<p><em>&lt;i&gt;</em> <a href="https://x.example/" ${A}>&lt;i&gt;</a></p>`],
    ['control characters are removed, tabs kept', 'a\u0000b\u0007c\u001bd\te', '<p>abcd\te</p>'],
  ]
  for (const [name, input, expected] of cases) it(name, () => assert.equal(html(input), expected))

  it('truncates input over 20,000 characters', () => {
    const out = html('a'.repeat(25_000))
    assert.equal(out, `<p>${'a'.repeat(20_000)}</p>`)
  })

  const hostile = [
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', "'><a href='javascript:alert(1)'>x</a>",
    '<a href="javascript:alert(1)">x</a>', '[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '[x]( javascript:alert(1))',
    '[x](data:text/html,<script>alert(1)</script>)', '[x](&#x6A;avascript:alert(1))', '[x](https://ok.example/"><script>alert(1)</script>)',
    '[<img src=x onerror=alert(1)>](https://ok.example/)', '**<svg onload=alert(1)>**', '`</code><script>alert(1)</script>`',
    'https://ok.example/"onmouseover="alert(1)"', 'https://ok.example/\'onmouseover=\'alert(1)', '<javascript:alert(1)>', '![x](javascript:alert(1))',
    '> <script>alert(1)</script>', '<!--><img src=x onerror=alert(1)>-->', '<iframe srcdoc="<script>alert(1)</script>">',
    '[x](https://ok.example/)<img src=x onerror=alert(1)>', '*_[`<`](https://x.example/<)_*', '\\<script>', '&lt;script&gt;alert(1)&lt;/script&gt;',
  ]
  it('hostile input never yields a tag or an href of its own', () => {
    for (const input of hostile) assertSafe(html(input), input)
  })

  it('pathological input finishes and stays escaped', () => {
    const inputs = [
      '*'.repeat(20_000), '['.repeat(10_000), '_a'.repeat(10_000), '*a'.repeat(10_000), '**a*'.repeat(5_000), '[]('.repeat(7_000),
      '[](()'.repeat(4_000), 'https://%'.repeat(2_200), '`'.repeat(20_000), '` ``'.repeat(5_000), '<'.repeat(20_000), '> '.repeat(10_000),
      `${'['.repeat(5_000)}${'](https://x.example/)'.repeat(500)}`, '*_'.repeat(10_000), '\n'.repeat(20_000), '&#'.repeat(10_000),
    ]
    for (const input of inputs) assertSafe(html(input), input.slice(0, 30))
    assert.equal(html('<'.repeat(20_000)), `<p>${'&lt;'.repeat(20_000)}</p>`)
  })
})

describe('commentPlainText', () => {
  const cases: Array<[string, string, string]> = [
    ['drops emphasis and code markers', '**Hi** _there_, run `ls`', 'Hi there, run ls'],
    ['a link is its text', 'read [the report](https://x.example/) or https://y.example/', 'read the report or https://y.example/'],
    ['quotes lose their markers', '> they said\n\nI agree', 'they said\n\nI agree'],
    ['keeps literal markers and HTML as typed', 'a * b <b>c</b> snake_case', 'a * b <b>c</b> snake_case'],
    ['line breaks stay', 'one\ntwo', 'one\ntwo'],
  ]
  for (const [name, input, expected] of cases) it(name, () => assert.equal(commentPlainText(input), expected))
})
