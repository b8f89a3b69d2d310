import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { DiscoveredFeed } from '../../domain/types.js'
import { discoverFeeds, guessFeedUrls } from './discover.js'

const page = (head: string): string => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><p>Hi</p></body></html>`

const rows: Array<{ name: string; html: string; url?: string; want: DiscoveredFeed[] }> = [
  {
    name: 'RSS and Atom in page order, relative hrefs made absolute',
    html: page(`
      <link rel="alternate" type="application/rss+xml" title="Harbour Gazette &raquo; Feed" href="/feed/">
      <link rel="alternate" type="application/atom+xml" title="Atom" href="atom.xml">`),
    url: 'https://harbour-gazette.example/news/today.html',
    want: [
      { url: 'https://harbour-gazette.example/feed/', title: 'Harbour Gazette » Feed', type: 'application/rss+xml' },
      { url: 'https://harbour-gazette.example/news/atom.xml', title: 'Atom', type: 'application/atom+xml' },
    ],
  },
  {
    name: 'JSON Feed and RDF; rel with several tokens and odd case; type parameters ignored',
    html: page(`
      <LINK REL="Alternate Feed" TYPE="application/feed+json; charset=utf-8" HREF="/feed.json">
      <link rel="home alternate" type="application/rdf+xml" href="/index.rdf" title="">`),
    want: [
      { url: 'https://site.example/feed.json', title: null, type: 'application/feed+json' },
      { url: 'https://site.example/index.rdf', title: null, type: 'application/rdf+xml' },
    ],
  },
  {
    name: 'duplicates (same URL after resolution) keep the first',
    html: page(`
      <link rel="alternate" type="application/rss+xml" title="Main" href="https://site.example/feed">
      <link rel="alternate" type="application/rss+xml" title="Again" href="/feed">`),
    want: [{ url: 'https://site.example/feed', title: 'Main', type: 'application/rss+xml' }],
  },
  {
    name: '<base href> changes how relative hrefs resolve',
    html: page(`<base href="https://cdn.site.example/blog/"><link rel="alternate" type="application/atom+xml" href="atom.xml">`),
    want: [{ url: 'https://cdn.site.example/blog/atom.xml', title: null, type: 'application/atom+xml' }],
  },
  {
    name: 'not feeds: stylesheets, hreflang alternates, oEmbed and the WordPress REST API',
    html: page(`
      <link rel="stylesheet" type="text/css" href="/style.css">
      <link rel="alternate" hreflang="de" href="/de/">
      <link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
      <link rel="alternate" type="application/json" href="https://site.example/wp-json/wp/v2/pages/2">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml">`),
    want: [],
  },
  {
    name: 'links in the body count too (some templates put them there)',
    html: `<html><body><link rel="alternate" type="application/rss+xml" href="/rss"></body></html>`,
    want: [{ url: 'https://site.example/rss', title: null, type: 'application/rss+xml' }],
  },
  { name: 'no HTML at all', html: '', want: [] },
]

for (const row of rows) {
  test(`discoverFeeds: ${row.name}`, () => {
    assert.deepEqual(discoverFeeds(row.html, { url: row.url ?? 'https://site.example/' }), row.want)
  })
}

test('guessFeedUrls: site root', () => {
  assert.deepEqual(guessFeedUrls('https://site.example/'), [
    'https://site.example/feed',
    'https://site.example/rss.xml',
    'https://site.example/atom.xml',
    'https://site.example/feed.xml',
    'https://site.example/index.xml',
    'https://site.example/feed.json',
    'https://site.example/rss',
  ])
})

test('guessFeedUrls: a blog in a folder is tried first, then the root; query and fragment dropped', () => {
  const urls = guessFeedUrls('https://site.example/blog/2024/post.html?x=1#top')
  assert.equal(urls[0], 'https://site.example/blog/2024/feed')
  assert.ok(urls.includes('https://site.example/feed'))
  assert.equal(new Set(urls).size, urls.length)
  assert.deepEqual(guessFeedUrls('https://site.example/blog').slice(0, 2), ['https://site.example/blog/feed', 'https://site.example/blog/rss.xml'])
})

test('guessFeedUrls: not a web URL', () => {
  assert.deepEqual(guessFeedUrls('not a url'), [])
  assert.deepEqual(guessFeedUrls('ftp://site.example/'), [])
})
