import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseHtmlDocument } from './parse-html.js'
import { pruneHeldElsewhere } from './prune.js'

function prune(body: string): string {
  const doc = parseHtmlDocument(`<!DOCTYPE html><html><body>${body}</body></html>`)
  pruneHeldElsewhere(doc)
  return doc.body.innerHTML
}

describe('pruneHeldElsewhere', () => {
  const cases: Array<[string, string, string]> = [
    ['removes the byline and dateline line', '<article><div class="meta"><span class="author-name">Rosa Linde</span>, Energy correspondent · <time>21 May</time></div><p>Body.</p></article>', '<article><p>Body.</p></article>'],
    ['keeps an "author" span inside running text', '<p>As <span class="author">Ann Lee</span> wrote last year, the bridge is old.</p>', '<p>As <span class="author">Ann Lee</span> wrote last year, the bridge is old.</p>'],
    ['keeps a long block whatever its class says', `<div class="meta">${'Long body text. '.repeat(20)}</div>`, `<div class="meta">${'Long body text. '.repeat(20)}</div>`],
    ['removes the whole author box, not only the bio', '<article><p>Body.</p><div class="author-box"><h4>Lena</h4><p class="author-bio">Lena writes.</p><a href="/l">More</a></div></article>', '<article><p>Body.</p></article>'],
    ['keeps a long ".bio" block: that is the article', `<div class="bio"><p>${'She was born in a fishing town. '.repeat(50)}</p></div>`, `<div class="bio"><p>${'She was born in a fishing town. '.repeat(50)}</p></div>`],
    ['removes a paragraph made only of other-language links', '<p><a hreflang="ja" href="/ja/">Read this article in Japanese</a> · <a hreflang="es" href="/es/">En español</a></p><p>Body.</p>', '<p>Body.</p>'],
    ['keeps a sentence that merely contains an hreflang link', '<p>The <a hreflang="ja" href="/ja/">Japanese edition</a> ran the story first.</p>', '<p>The <a hreflang="ja" href="/ja/">Japanese edition</a> ran the story first.</p>'],
  ]
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(prune(input), expected))
  }
})
