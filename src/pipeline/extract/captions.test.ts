import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Caption } from '../../domain/types.js'
import { readCaptions, separateCaptions, splitCredit } from './captions.js'
import { getInnerHTML } from 'domutils'
import { PageIndex, bodyOf } from './dom.js'
import { parsePage } from './engine/main-content.js'

const BASE = 'https://ledger.example/news/story'

function run(body: string): { captions: Caption[]; rest: string } {
  const root = bodyOf(parsePage(`<!DOCTYPE html><html><body>${body}</body></html>`))
  const captions = separateCaptions(root, { baseUrl: BASE })
  return { captions, rest: getInnerHTML(root) }
}

describe('splitCredit', () => {
  const cases: Array<[string, string, string | null]> = [
    ['The quay at dawn. Photo: Mara Quill', 'The quay at dawn.', 'Photo: Mara Quill'],
    ['The quay at dawn (Photo by Ivo Brandt)', 'The quay at dawn', 'Photo by Ivo Brandt'],
    ['The quay at dawn. (Photo: Ivo Brandt/Harbor Wire)', 'The quay at dawn.', 'Photo: Ivo Brandt/Harbor Wire'],
    ['Ice over the boxes. © Ledger Archive', 'Ice over the boxes.', '© Ledger Archive'],
    ['The ferry leaves Corran (Harbor Wire Photo/Ann Lee)', 'The ferry leaves Corran', 'Harbor Wire Photo/Ann Lee'],
    ['Burners soaking in vinegar. Credit: Sam Reyes', 'Burners soaking in vinegar.', 'Credit: Sam Reyes'],
    ['にぎわう朝市（写真：山田花子）', 'にぎわう朝市', '写真：山田花子'],
    ['Photographs of the harbour were taken in 1911', 'Photographs of the harbour were taken in 1911', null],
    ['A caption without any credit', 'A caption without any credit', null],
  ]
  for (const [input, text, credit] of cases) {
    it(input, () => assert.deepEqual(splitCredit(input), { text, credit }))
  }
})

describe('separateCaptions', () => {
  it('takes figure captions with a credit element and removes the figure', () => {
    const { captions, rest } = run(
      '<p>Before.</p><figure><img src="/a.jpg"><figcaption>Traders sort the catch. <span class="credit">Photo: Mara Quill</span></figcaption></figure><p>After.</p>',
    )
    assert.deepEqual(captions, [{ text: 'Traders sort the catch.', credit: 'Mara Quill', imageUrl: 'https://ledger.example/a.jpg' }])
    assert.equal(rest, '<p>Before.</p><p>After.</p>')
  })

  it('reads a credit written into the caption text', () => {
    const { captions } = run('<figure><img src="/a.jpg"><figcaption>The auctioneer calls prices (Photo by Ivo Brandt)</figcaption></figure>')
    assert.deepEqual(captions, [{ text: 'The auctioneer calls prices', credit: 'Ivo Brandt', imageUrl: 'https://ledger.example/a.jpg' }])
  })

  it('a credit element outside the figcaption counts too', () => {
    const { captions } = run('<figure><img src="/a.jpg"><span class="image-copyright">© Ledger Archive</span><figcaption>Ice.</figcaption></figure>')
    assert.deepEqual(captions, [{ text: 'Ice.', credit: 'Ledger Archive', imageUrl: 'https://ledger.example/a.jpg' }])
  })

  it('the same caption twice is returned once', () => {
    const { captions, rest } = run(
      '<figure><img src="/a.jpg"><figcaption>Same words. <span class="credit">Photo: X</span></figcaption></figure>' +
        '<p>Body.</p><div class="lightbox-caption">Same words. Photo: X</div>' +
        '<figure><img src="/a-big.jpg"><figcaption>Same words. <span class="credit">Photo: X</span></figcaption></figure>',
    )
    assert.equal(captions.length, 1)
    assert.equal(captions[0]?.text, 'Same words.')
    assert.equal(rest, '<p>Body.</p>')
  })

  it('a WordPress caption box outside figures, with its image', () => {
    const { captions, rest } = run(
      '<div class="wp-caption"><img src="/up/stove.jpg" srcset="/up/stove-300.jpg 300w, /up/stove-2048.jpg 2048w"><p class="wp-caption-text">The stove as found.</p></div><p>Body.</p>',
    )
    assert.deepEqual(captions, [{ text: 'The stove as found.', credit: null, imageUrl: 'https://ledger.example/up/stove-2048.jpg' }])
    assert.equal(rest, '<p>Body.</p>')
  })

  it('a caption paragraph after a lone image takes the image with it', () => {
    const { captions, rest } = run('<p>Body one.</p><p><img src="/b.jpg"></p><p class="image-caption">Burners soaking. Credit: Sam Reyes</p><p>Body two.</p>')
    assert.deepEqual(captions, [{ text: 'Burners soaking.', credit: 'Sam Reyes', imageUrl: 'https://ledger.example/b.jpg' }])
    assert.equal(rest, '<p>Body one.</p><p>Body two.</p>')
  })

  it('a figure without media (a pull quote) stays in the body', () => {
    const { captions, rest } = run('<figure class="pullquote"><blockquote><p>The tide does not wait.</p></blockquote><figcaption>— Colm Dray</figcaption></figure>')
    assert.deepEqual(captions, [])
    assert.match(rest, /The tide does not wait/)
  })

  it('a big container that mentions captions is not a caption', () => {
    const long = '<p>Paragraph text that goes on for a while.</p>'.repeat(5)
    const { captions, rest } = run(`<div class="has-captions">${long}</div>`)
    assert.deepEqual(captions, [])
    assert.match(rest, /Paragraph text/)
  })

  it('a figure with only an image is removed; its image is kept as a caption-less entry', () => {
    const { captions, rest } = run('<p>a</p><figure><img src="/only.jpg"></figure>')
    assert.deepEqual(captions, [{ text: '', credit: null, imageUrl: 'https://ledger.example/only.jpg' }])
    assert.equal(rest, '<p>a</p>')
  })

  it('lazy-loaded figure images use the real URL', () => {
    const { captions } = run('<figure><img src="data:image/gif;base64,R0l" data-src="/real.jpg"><figcaption>Cap.</figcaption></figure>')
    assert.equal(captions[0]?.imageUrl, 'https://ledger.example/real.jpg')
  })
})

describe('readCaptions', () => {
  it('returns what separateCaptions returns and leaves the page exactly as it was', () => {
    const body =
      '<p>Before.</p><figure><img src="/a.jpg"><figcaption>Traders sort the catch. <span class="credit">Photo: Mara Quill</span></figcaption></figure>' +
      '<div class="wp-caption"><img src="/w.jpg"><p class="wp-caption-text">The pier. Photo: Ann Lee</p></div>' +
      '<p><img src="/b.jpg"></p><p class="image-caption">Burners soaking.</p><p class="image-caption">A second caption.</p><p>After.</p>'
    const page = parsePage(`<!DOCTYPE html><html><body>${body}</body></html>`)
    const root = bodyOf(page)
    const read = readCaptions(root, { baseUrl: BASE, index: new PageIndex(page) })
    assert.equal(getInnerHTML(root), body)
    // Sibling links are restored too: what walks the tree by prev/next sees the same page.
    root.children.forEach((n, i) => {
      assert.equal(n.prev, root.children[i - 1] ?? null)
      assert.equal(n.next, root.children[i + 1] ?? null)
      assert.equal(n.parent, root)
    })
    assert.deepEqual(read, run(body).captions)
  })
})
