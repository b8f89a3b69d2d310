import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { identityKeys, urlKey } from './url-key.js'

describe('urlKey', () => {
  const same: Array<[string, string, string]> = [
    ['tracking parameters', 'https://news.example/a/1', 'https://news.example/a/1?utm_source=rss&utm_medium=feed'],
    ['scheme', 'http://news.example/a/1', 'https://news.example/a/1'],
    ['trailing slash', 'https://news.example/a/1/', 'https://news.example/a/1'],
    ['www.', 'https://www.news.example/a/1', 'https://news.example/a/1'],
    ['fragment', 'https://news.example/a/1#comments', 'https://news.example/a/1'],
    ['host case and default port', 'https://NEWS.example:443/a/1', 'https://news.example/a/1'],
    ['parameter order', 'https://news.example/story?id=7&page=2', 'https://news.example/story?page=2&id=7'],
  ]
  for (const [name, a, b] of same) it(`folds ${name}`, () => assert.equal(urlKey(a), urlKey(b)))

  const different: Array<[string, string, string]> = [
    ['another path', 'https://news.example/a/1', 'https://news.example/a/2'],
    ['path case', 'https://news.example/a/Story', 'https://news.example/a/story'],
    ['a real parameter', 'https://news.example/story?id=7', 'https://news.example/story?id=8'],
    ['another host', 'https://news.example/a/1', 'https://other.example/a/1'],
    ['another port', 'https://news.example:8443/a/1', 'https://news.example/a/1'],
    ['a subdomain that is not www', 'https://m.news.example/a/1', 'https://news.example/a/1'],
  ]
  for (const [name, a, b] of different) it(`keeps apart ${name}`, () => assert.notEqual(urlKey(a), urlKey(b)))

  it('gives no key to a front page or to what is not an http(s) URL', () => {
    assert.equal(urlKey('https://news.example/'), null)
    assert.equal(urlKey('https://www.news.example/?utm_source=x'), null)
    assert.equal(urlKey('tag:news.example,2026:42'), null)
    assert.equal(urlKey(null), null)
    assert.equal(urlKey('https://news.example/a/1'), 'news.example/a/1')
  })
})

describe('identityKeys', () => {
  it('keeps a canonical URL that names the article', () => {
    assert.deepEqual(identityKeys({ url: 'https://news.example/a/1?from=home', canonicalUrl: 'https://news.example/a/1' }), {
      urlKey: 'news.example/a/1?from=home', canonicalKey: 'news.example/a/1',
    })
  })
  it('ignores a canonical URL that points at the front page or a section above the article', () => {
    assert.equal(identityKeys({ url: 'https://news.example/world/2026/ferry', canonicalUrl: 'https://news.example/' }).canonicalKey, null)
    assert.equal(identityKeys({ url: 'https://news.example/world/2026/ferry', canonicalUrl: 'https://news.example/world' }).canonicalKey, null)
  })
})
