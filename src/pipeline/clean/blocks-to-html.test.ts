import { test } from 'node:test'
import assert from 'node:assert/strict'
import { blocksToHtml } from './blocks-to-html.js'

test('blocks become escaped HTML with list items grouped', () => {
  const html = blocksToHtml([
    { type: 'h2', text: 'Fares & <tickets>' },
    { type: 'p', text: 'One "quoted" line.' },
    { type: 'li', text: 'first' },
    { type: 'li', text: 'second' },
    { type: 'quote', text: 'We will.' },
    { type: 'pre', text: 'a < b' },
    { type: 'li', text: 'last' },
  ])
  assert.equal(html, [
    '<h2>Fares &amp; &lt;tickets&gt;</h2>',
    '<p>One &quot;quoted&quot; line.</p>',
    '<ul>', '<li>first</li>', '<li>second</li>', '</ul>',
    '<blockquote><p>We will.</p></blockquote>',
    '<pre>a &lt; b</pre>',
    '<ul>', '<li>last</li>', '</ul>',
  ].join('\n'))
  assert.equal(blocksToHtml([]), '')
})
