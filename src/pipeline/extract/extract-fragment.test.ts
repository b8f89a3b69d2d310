import { describe, it, test } from 'node:test'
import assert from 'node:assert/strict'
import { extractFragment } from './extract-fragment.js'

// What a feed's content:encoded typically carries: paragraphs, a captioned figure, a tracking pixel, a script.
const CONTENT = `
<p>The ferry company said on Monday that the <a href="/routes/corran?utm_source=rss">Corran route</a> will run every hour from June.</p>
<figure><img src="https://cdn.meridianpost.example/ferry.jpg" alt=""><figcaption>The new ferry at Corran pier. <span class="photo-credit">Photo: Ann Lee</span></figcaption></figure>
<p>Passengers asked for later sailings on Fridays and Saturdays.</p>
<figure><img src="https://cdn.meridianpost.example/ferry-2.jpg" alt=""><figcaption>The new ferry at Corran pier. Photo: Ann Lee</figcaption></figure>
<img src="https://stats.meridianpost.example/pixel.gif" width="1" height="1">
<script>track()</script>
<p>The post <a href="https://meridianpost.example/a">Ferry timetable</a> appeared first on Meridian Post.</p>`

describe('extractFragment', () => {
  const a = extractFragment(CONTENT, { url: 'https://meridianpost.example/en/2026/05/ferry' })

  it('separates captions (once) from the body', () => {
    assert.deepEqual(a.captions, [{ text: 'The new ferry at Corran pier.', credit: 'Ann Lee', imageUrl: 'https://cdn.meridianpost.example/ferry.jpg' }])
    assert.ok(!a.text.includes('Corran pier'))
    assert.doesNotMatch(a.html, /figcaption|Corran pier/)
  })

  it('gives blocks and text in order, with link text spaced', () => {
    assert.deepEqual(a.blocks.map((b) => b.type), ['p', 'p', 'p'])
    assert.equal(a.blocks[0]?.text, 'The ferry company said on Monday that the Corran route will run every hour from June.')
    assert.equal(a.text, a.blocks.map((b) => b.text).join('\n'))
  })

  it('sanitizes the html: absolute links without tracking, no script', () => {
    assert.match(a.html, /<a href="https:\/\/meridianpost\.example\/routes\/corran" rel="nofollow noopener noreferrer">Corran route<\/a>/)
    assert.doesNotMatch(a.html, /<script|track\(\)|utm_|pixel\.gif/)
  })

  it('leaves metadata null or empty for the caller to fill from the feed', () => {
    assert.equal(a.title, null)
    assert.equal(a.byline, null)
    assert.equal(a.authorBio, null)
    assert.equal(a.published, null)
    assert.equal(a.updated, null)
    assert.equal(a.lang, null)
    assert.equal(a.siteName, null)
    assert.equal(a.description, null)
    assert.equal(a.canonicalUrl, null)
    assert.equal(a.leadImage, null)
    assert.deepEqual(a.altLinks, [])
    assert.deepEqual(a.keywords, [])
  })

  it('without a URL, relative links lose their href but keep their text', () => {
    const f = extractFragment('<p>See <a href="/x">the map</a>.</p>', { url: null })
    assert.equal(f.html, '<p>See the map.</p>')
    assert.equal(f.text, 'See the map.')
  })

  it('empty and odd input give an empty article, never a throw', () => {
    for (const html of ['', '   ', '<html><body></body></html>', '<div><p>unclosed', '</p></div>']) {
      const f = extractFragment(html, { url: null })
      assert.equal(typeof f.text, 'string')
      assert.deepEqual(f.captions, [])
    }
    assert.equal(extractFragment('<div><p>unclosed', { url: null }).text, 'unclosed')
  })
})

test('feed content nested beyond the engine’s depth limit gives an empty article, not a crash', () => {
  const deep = `${'<div>'.repeat(6000)}<p>Deep text</p>${'</div>'.repeat(6000)}`
  const a = extractFragment(deep, { url: null })
  assert.equal(a.text, '')
  assert.deepEqual(a.blocks, [])
})
