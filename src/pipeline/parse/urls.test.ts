import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resolveUrl } from './urls.js'

test('resolveUrl: relative against the base, http(s) only unless any scheme is allowed', () => {
  assert.equal(resolveUrl('../b/c?x=1#top', 'https://news.example/a/d/e'), 'https://news.example/a/b/c?x=1#top')
  assert.equal(resolveUrl('  https://news.example/long\n/path  ', null), 'https://news.example/long/path', 'wrapped and padded URLs')
  assert.equal(resolveUrl('javascript:alert(1)', 'https://news.example/'), null)
  assert.equal(resolveUrl('mailto:desk@news.example', null, { anyScheme: true }), 'mailto:desk@news.example')
  assert.equal(resolveUrl('not a url', null), null)
  assert.equal(resolveUrl('', 'https://news.example/'), null)
})

test('resolveUrl keeps the host as the publisher wrote it, and only the host', () => {
  assert.equal(resolveUrl('http://Harbour.EXAMPLE/a b', null), 'http://Harbour.EXAMPLE/a%20b', 'case kept; the path is still escaped')
  assert.equal(resolveUrl('/feed', 'http://www.港湾.example/'), 'http://www.港湾.example/feed', 'an internationalised host stays readable')
  assert.equal(resolveUrl('//cdn.Other.example/x', 'https://harbour.example/'), 'https://cdn.other.example/x', 'a host the base did not write is normalised')
  assert.equal(resolveUrl('x', 'http://user:pw@Harbour.example/dir/'), 'http://user:pw@Harbour.example/dir/x')
  // Both spellings lead to the same place when parsed again (fetching and comparing parse them).
  assert.equal(new URL(resolveUrl('/feed', 'http://www.港湾.example/')!).hostname, 'www.xn--j6wog.example')
})
