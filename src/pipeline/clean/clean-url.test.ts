import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cleanUrl } from './clean-url.js'

describe('cleanUrl', () => {
  const cases: Array<[string, string, { base?: string; keepFragment?: boolean } | undefined, string | null]> = [
    ['already clean', 'https://news.example/a/b', undefined, 'https://news.example/a/b'],
    ['drops the fragment', 'https://news.example/a#comments', undefined, 'https://news.example/a'],
    ['keeps the fragment when asked (in-body links)', 'https://news.example/a#notes', { keepFragment: true }, 'https://news.example/a#notes'],
    ['drops utm_* parameters', 'https://news.example/a?utm_source=rss&utm_medium=feed&utm_campaign=x', undefined, 'https://news.example/a'],
    ['keeps real parameters, in order', 'https://news.example/a?id=7&utm_source=x&page=2', undefined, 'https://news.example/a?id=7&page=2'],
    ['drops click ids', 'https://news.example/a?fbclid=1&gclid=2&yclid=3&msclkid=4', undefined, 'https://news.example/a'],
    ['drops Mailchimp and HubSpot ids', 'https://news.example/a?mc_cid=1&mc_eid=2&_hsenc=3&_hsmi=4&x=1', undefined, 'https://news.example/a?x=1'],
    ['drops ref_src and igshid', 'https://news.example/a?ref_src=twsrc%5Etfw&igshid=abc', undefined, 'https://news.example/a'],
    ['tracking names are matched case-insensitively', 'https://news.example/a?UTM_Source=x&FBCLID=y', undefined, 'https://news.example/a'],
    ['kept parameters are not re-encoded', 'https://news.example/s?q=a%20b&t=%7E&utm_source=x', undefined, 'https://news.example/s?q=a%20b&t=%7E'],
    ['lower-cases the host', 'https://News.EXAMPLE/Path', undefined, 'https://news.example/Path'],
    ['removes the default port', 'https://news.example:443/a', undefined, 'https://news.example/a'],
    ['removes the default http port', 'http://news.example:80/a', undefined, 'http://news.example/a'],
    ['keeps a non-default port', 'https://news.example:8443/a', undefined, 'https://news.example:8443/a'],
    ['absolutizes against a base', '/b/c?utm_medium=x', { base: 'https://news.example/a/' }, 'https://news.example/b/c'],
    ['relative path against a base', 'c.html', { base: 'https://news.example/a/b.html' }, 'https://news.example/a/c.html'],
    ['protocol-relative against a base', '//cdn.example/x.jpg', { base: 'http://news.example/' }, 'http://cdn.example/x.jpg'],
    ['trims surrounding whitespace', '  https://news.example/a  ', undefined, 'https://news.example/a'],
    ['relative without a base is null', '/a/b', undefined, null],
    ['mailto is null', 'mailto:desk@news.example', undefined, null],
    ['javascript is null', 'javascript:alert(1)', undefined, null],
    ['data is null', 'data:text/html,<b>x</b>', undefined, null],
    ['ftp is null', 'ftp://files.example/a', undefined, null],
    ['garbage is null', 'http://', undefined, null],
    ['an unusable base is ignored', 'https://news.example/a', { base: 'not a url' }, 'https://news.example/a'],
    ['an empty query is removed entirely', 'https://news.example/a?utm_source=x', undefined, 'https://news.example/a'],
  ]
  for (const [name, input, ctx, expected] of cases) {
    it(name, () => assert.equal(cleanUrl(input, ctx), expected))
  }
})
