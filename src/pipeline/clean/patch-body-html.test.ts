import { test } from 'node:test'
import assert from 'node:assert/strict'
import { patchBodyHtml } from './patch-body-html.js'
import type { Block } from '../../domain/types.js'

const p = (text: string): Block => ({ type: 'p', text })

test('removed blocks lose their element, edited ones their text; links elsewhere survive', () => {
  const html = '<p>Menu</p>\n<p>The port <a href="https://x.example/a">signed</a> a deal andJapan agreed.</p>\n<ul><li>Share</li></ul>\n<p>It &amp; more.</p>'
  const blocks = [p('Menu'), p('The port signed a deal andJapan agreed.'), { type: 'li' as const, text: 'Share' }, p('It & more.')]
  const out = patchBodyHtml(html, blocks, [null, 'The port signed a deal and Japan agreed.', null, 'It & more.'])
  assert.equal(out, '\n<p>The port signed a deal and Japan agreed.</p>\n\n<p>It &amp; more.</p>')
  const keepLinks = patchBodyHtml(html, blocks, [null, blocks[1]!.text, 'Share', 'It & more.'])
  assert.match(keepLinks!, /<a href="https:\/\/x\.example\/a">signed<\/a>/)
  assert.doesNotMatch(keepLinks!, /Menu/)
})

test('text that cannot be matched to the HTML gives null (the caller renders blocks instead)', () => {
  assert.equal(patchBodyHtml('<p>One</p>', [p('Two')], [null]), null)
})

test('new text is escaped, never parsed as markup', () => {
  const out = patchBodyHtml('<p>x</p>', [p('x')], ['<img src=x onerror=alert(1)>'])
  assert.equal(out, '<p>&lt;img src=x onerror=alert(1)&gt;</p>')
})
