import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Block } from '../../domain/types.js'
import { htmlToBlocks } from './blocks.js'

describe('htmlToBlocks', () => {
  const cases: Array<[string, string, Block[]]> = [
    ['inline link text keeps the spaces around it', '<p>trade between Korea and <a href="/j">Japan</a> is the <a href="/k">key</a>.</p>',
      [{ type: 'p', text: 'trade between Korea and Japan is the key.' }]],
    ['inline elements on separate lines are joined by one space', '<p>growth "is <em>not</em> a one-off" and that\n   <strong>three more</strong>\n   carriers</p>',
      [{ type: 'p', text: 'growth "is not a one-off" and that three more carriers' }]],
    ['adjacent inline elements without whitespace stay joined, as a browser shows them', '<p><span>Brindle</span><span>Quay</span></p>',
      [{ type: 'p', text: 'BrindleQuay' }]],
    ['headings are mapped: h1 → h2, h5/h6 → h4', '<h1>A</h1><h2>B</h2><h3>C</h3><h4>D</h4><h5>E</h5><h6>F</h6>',
      [{ type: 'h2', text: 'A' }, { type: 'h2', text: 'B' }, { type: 'h3', text: 'C' }, { type: 'h4', text: 'D' }, { type: 'h4', text: 'E' }, { type: 'h4', text: 'F' }]],
    ['list items, nested lists after their parent', '<ul><li>one</li><li>two<ul><li>two-a</li></ul></li></ul><ol><li><p>three</p></li></ol>',
      [{ type: 'li', text: 'one' }, { type: 'li', text: 'two' }, { type: 'li', text: 'two-a' }, { type: 'li', text: 'three' }]],
    ['blockquote is a quote; its paragraphs are quotes', '<blockquote>short</blockquote><blockquote><p>first</p><p>second</p></blockquote>',
      [{ type: 'quote', text: 'short' }, { type: 'quote', text: 'first' }, { type: 'quote', text: 'second' }]],
    ['pre keeps its indentation', '<pre><code>if (x) {\n    y()\n}</code></pre>',
      [{ type: 'pre', text: 'if (x) {\n    y()\n}' }]],
    ['br is a newline inside the block', '<p>line one<br>line two</p>', [{ type: 'p', text: 'line one\nline two' }]],
    ['loose text in a div becomes a paragraph', '<div>loose text <b>here</b><p>real paragraph</p>tail</div>',
      [{ type: 'p', text: 'loose text here' }, { type: 'p', text: 'real paragraph' }, { type: 'p', text: 'tail' }]],
    ['empty blocks are dropped; NBSP and zero-width characters normalised', '<p>&nbsp;</p><p>\u200B</p><p>a&nbsp;&nbsp;b\u200B</p>',
      [{ type: 'p', text: 'a b' }]],
    ['entities are decoded', '<p>Fish &amp; chips &ldquo;cost&rdquo; &pound;9</p>', [{ type: 'p', text: 'Fish & chips “cost” £9' }]],
    ['images, scripts, figcaptions and forms give no text', '<p>a<img src="x.jpg" alt="ALT"><script>var x</script></p><figcaption>cap</figcaption><form><button>Go</button></form>',
      [{ type: 'p', text: 'a' }]],
    ['table rows become paragraphs with cells separated', '<table><tr><th>Party</th><th>Seats</th></tr><tr><td>Green</td><td>12</td></tr></table>',
      [{ type: 'p', text: 'Party | Seats' }, { type: 'p', text: 'Green | 12' }]],
    ['a link wrapping blocks is a container', '<a href="/x"><h3>Card title</h3><p>Card text</p></a>',
      [{ type: 'h3', text: 'Card title' }, { type: 'p', text: 'Card text' }]],
    ['Japanese text is kept as is', '<p>朝市が<a href="/x">再開</a>した。</p>', [{ type: 'p', text: '朝市が再開した。' }]],
  ]
  for (const [name, html, expected] of cases) {
    it(name, () => assert.deepEqual(htmlToBlocks(html), expected))
  }
})
