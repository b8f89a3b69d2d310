import { test } from 'node:test'
import assert from 'node:assert/strict'
import { gzipSync } from 'node:zlib'
import { isNewsSitemap, parseSitemap, pickChildSitemaps, sitemapFeed, sitemapsFromRobots, type Sitemap } from './sitemap.js'

const bytes = (s: string) => new TextEncoder().encode(s)
const URL0 = 'https://harbor.example/sitemap.xml'

function urlset(s: Sitemap) {
  assert.equal(s.type, 'urlset')
  return s as Extract<Sitemap, { type: 'urlset' }>
}

test('a urlset gives each page with its lastmod, change frequency, priority and images; bad and repeated locs are dropped', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://harbor.example/ferry-returns?a=1&amp;b=2</loc><lastmod>2026-11-20</lastmod><changefreq>daily</changefreq><priority>0.8</priority>
    <image:image><image:loc>https://harbor.example/img/ferry.jpg</image:loc></image:image></url>
  <url><loc> /relative/pier-repairs </loc><lastmod>2026-11-21T08:30:00+01:00</lastmod><priority>7</priority></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><loc>https://harbor.example/ferry-returns?a=1&amp;b=2</loc></url>
  <url><lastmod>2026-11-22</lastmod></url>
</urlset>`
  const r = parseSitemap(bytes(xml), { url: URL0 })
  assert.ok(r.ok)
  const s = urlset(r.value)
  assert.deepEqual(s.entries, [
    { url: 'https://harbor.example/ferry-returns?a=1&b=2', lastmod: '2026-11-20T00:00:00.000Z', changefreq: 'daily', priority: 0.8, images: ['https://harbor.example/img/ferry.jpg'], news: null },
    { url: 'https://harbor.example/relative/pier-repairs', lastmod: '2026-11-21T07:30:00.000Z', changefreq: null, priority: null, images: [], news: null },
  ])
  assert.equal(isNewsSitemap(s), false)
})

const NEWS = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://harbor.example/a/older</loc>
    <n:news><n:publication><n:name>Harbor Herald</n:name><n:language>en</n:language></n:publication>
      <n:publication_date>2026-11-21T09:00:00Z</n:publication_date><n:title>Council weighs &amp; delays the pier vote</n:title>
      <n:keywords>council, pier,  Council , </n:keywords></n:news></url>
  <url><loc>https://harbor.example/a/undated</loc><n:news><n:title>Tide tables</n:title></n:news></url>
  <url><loc>https://harbor.example/a/newest</loc><lastmod>2026-11-22T10:00:00Z</lastmod>
    <n:news><n:publication><n:name>Harbor Herald</n:name><n:language>en</n:language></n:publication>
      <n:publication_date>2026-11-22T07:15:00+00:00</n:publication_date><n:title>Ferry returns to the east pier</n:title></n:news></url>
</urlset>`

test('a Google News sitemap becomes feed items: title, publication date, keywords; newest first and bounded', () => {
  const r = parseSitemap(bytes(NEWS), { url: 'https://harbor.example/news-sitemap.xml' })
  assert.ok(r.ok)
  const s = urlset(r.value)
  assert.equal(isNewsSitemap(s), true)
  const feed = sitemapFeed(s.entries, { url: 'https://harbor.example/news-sitemap.xml', maxItems: 10 })
  assert.equal(feed.format, 'sitemap')
  assert.equal(feed.title, 'Harbor Herald')
  assert.equal(feed.language, 'en')
  assert.equal(feed.link, 'https://harbor.example/')
  assert.deepEqual(feed.items.map((i) => [i.id, i.link, i.title, i.published, i.updated]), [
    ['https://harbor.example/a/newest', 'https://harbor.example/a/newest', 'Ferry returns to the east pier', '2026-11-22T07:15:00.000Z', '2026-11-22T10:00:00.000Z'],
    ['https://harbor.example/a/older', 'https://harbor.example/a/older', 'Council weighs & delays the pier vote', '2026-11-21T09:00:00.000Z', null],
    ['https://harbor.example/a/undated', 'https://harbor.example/a/undated', 'Tide tables', null, null],
  ])
  assert.deepEqual(feed.items[1]?.categories, ['council', 'pier'])
  const two = sitemapFeed(s.entries, { url: 'https://harbor.example/news-sitemap.xml', maxItems: 2 })
  assert.deepEqual(two.items.map((i) => i.id), ['https://harbor.example/a/newest', 'https://harbor.example/a/older'])
})

test('a sitemap index lists its children; the most recently modified are read first, and only so many', () => {
  const xml = `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://harbor.example/sitemap-pages.xml</loc></sitemap>
  <sitemap><loc>https://harbor.example/sitemap-2026-10.xml</loc><lastmod>2026-10-31</lastmod></sitemap>
  <sitemap><loc>https://harbor.example/sitemap-2026-11.xml</loc><lastmod>2026-11-22T06:00:00Z</lastmod></sitemap>
  <sitemap><loc>https://harbor.example/sitemap-2026-09.xml</loc><lastmod>2026-09-30</lastmod></sitemap>
</sitemapindex>`
  const r = parseSitemap(bytes(xml), { url: URL0 })
  assert.ok(r.ok)
  assert.equal(r.value.type, 'index')
  if (r.value.type !== 'index') return
  assert.equal(r.value.sitemaps.length, 4)
  assert.deepEqual(pickChildSitemaps(r.value.sitemaps, { max: 2 }).map((s) => s.url), [
    'https://harbor.example/sitemap-2026-11.xml', 'https://harbor.example/sitemap-2026-10.xml',
  ])
  assert.equal(pickChildSitemaps(r.value.sitemaps, { max: 10 }).at(-1)?.url, 'https://harbor.example/sitemap-pages.xml', 'undated last')
})

test('gzip-compressed sitemaps are read; a bomb and a corrupt file are clear errors', () => {
  const r = parseSitemap(gzipSync(bytes(NEWS)), { url: 'https://harbor.example/news.xml.gz', contentType: 'application/x-gzip' })
  assert.ok(r.ok)
  assert.equal(urlset(r.value).entries.length, 3)
  const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20))
  const big = parseSitemap(bomb, { url: URL0, maxBytes: 1_000_000 })
  assert.ok(!big.ok)
  assert.equal(big.error.code, 'body_too_large')
  const corrupt = parseSitemap(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]), { url: URL0 })
  assert.ok(!corrupt.ok)
  assert.equal(corrupt.error.code, 'sitemap_malformed')
})

test('plain-text sitemaps: one URL a line, blank lines and junk lines skipped', () => {
  const r = parseSitemap(bytes('https://harbor.example/a/one\r\n\r\nhttps://harbor.example/a/two\nhttps://harbor.example/a/one\n'), { url: 'https://harbor.example/sitemap.txt', contentType: 'text/plain' })
  assert.ok(r.ok)
  assert.deepEqual(urlset(r.value).entries.map((e) => e.url), ['https://harbor.example/a/one', 'https://harbor.example/a/two'])
})

test('what is not a sitemap says so: an HTML page, a feed, prose, an empty body', () => {
  const cases: Array<[string, string]> = [
    ['<!doctype html><html><body><a href="/a">A</a></body></html>', 'sitemap_format_unknown'],
    ['<rss version="2.0"><channel><title>T</title></channel></rss>', 'sitemap_format_unknown'],
    ['Hello, this is not a list of addresses.\nhttps://harbor.example/', 'sitemap_format_unknown'],
    ['  \n ', 'sitemap_empty'],
  ]
  for (const [body, code] of cases) {
    const r = parseSitemap(bytes(body), { url: URL0 })
    assert.ok(!r.ok, body)
    assert.equal(r.error.code, code, body)
  }
})

test('malformed XML still gives what can be read: bare &, junk before the root, a truncated download', () => {
  const xml = `Warning: something in /var/www on line 3
<urlset><url><loc>https://harbor.example/q?a=1&b=2</loc></url><url><loc>https://harbor.example/second</loc></url><url><loc>https://harbor.example/thi`
  const r = parseSitemap(bytes(xml), { url: URL0 })
  assert.ok(r.ok)
  assert.deepEqual(urlset(r.value).entries.map((e) => e.url).slice(0, 2), ['https://harbor.example/q?a=1&b=2', 'https://harbor.example/second'])
})

test('entries are bounded', () => {
  const many = `<urlset>${Array.from({ length: 120 }, (_, i) => `<url><loc>https://harbor.example/p/${i}</loc></url>`).join('')}</urlset>`
  const r = parseSitemap(bytes(many), { url: URL0, maxEntries: 50 })
  assert.ok(r.ok)
  const s = urlset(r.value)
  assert.equal(s.entries.length, 50)
  assert.equal(s.truncated, true)
})

test('robots.txt Sitemap lines, made absolute and without repeats', () => {
  const robots = 'User-agent: *\nDisallow: /private\nSitemap: https://harbor.example/news-sitemap.xml\nsitemap:/sitemap.xml\nSITEMAP: https://harbor.example/news-sitemap.xml\n# Sitemap: https://harbor.example/commented.xml\n'
  assert.deepEqual(sitemapsFromRobots(robots, { url: 'https://harbor.example/robots.txt' }), [
    'https://harbor.example/news-sitemap.xml', 'https://harbor.example/sitemap.xml',
  ])
})
