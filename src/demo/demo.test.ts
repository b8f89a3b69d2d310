import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import { gunzipSync } from 'node:zlib'
import iconv from 'iconv-lite'
import { DEMO_SOURCES } from './content.js'
import { buildDemoSite, DEMO_FEED_PATHS } from './publisher.js'
import type { DemoSite } from './publisher.js'
import { startDemoPublisher } from './server.js'
import type { DemoPublisher } from './server.js'

const anchor = new Date('2026-11-22T03:00:00.000Z')
const HOUR = 3_600_000

let pub: DemoPublisher
let site: DemoSite

before(async () => {
  pub = await startDemoPublisher({ port: 0, anchor })
  site = buildDemoSite({ baseUrl: pub.url, anchor })
})
after(async () => {
  await pub.close()
})

// ───────────────────────────── helpers ─────────────────────────────

function bytes(path: string): Uint8Array {
  const entry = site.get(path)
  assert.ok(entry, `${path} is served`)
  return entry.body
}

function isUtf8(data: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data)
    return true
  } catch {
    return false
  }
}

/** Decodes the way a careful client would: the charset the document itself declares. */
function text(path: string): string {
  const data = bytes(path)
  const head = Buffer.from(data.subarray(0, 512)).toString('latin1')
  const declared = /<meta charset="([^"]+)"/.exec(head)?.[1] ?? /encoding="([^"]+)"/.exec(head)?.[1] ?? 'utf-8'
  return iconv.decode(Buffer.from(data), declared)
}

function pathOf(url: string): string {
  assert.ok(url.startsWith(pub.url), `${url} is on the demo publisher`)
  return new URL(url).pathname
}

interface Item {
  link: string
  title: string
  published: number
  categories: string[]
  fullText: boolean
}

function feedItems(feedPath: string): Item[] {
  const src = DEMO_SOURCES.find((s) => s.feedPath === feedPath)
  assert.ok(src)
  const body = text(feedPath)
  if (src.feedFormat === 'json') {
    const feed = JSON.parse(body) as { items: Array<{ url: string; title: string; date_published: string; tags?: string[]; content_html?: string }> }
    return feed.items.map((i) => ({
      link: i.url,
      title: i.title,
      published: Date.parse(i.date_published),
      categories: i.tags ?? [],
      fullText: i.content_html !== undefined,
    }))
  }
  const blocks = body.match(src.feedFormat === 'atom' ? /<entry>[\s\S]*?<\/entry>/g : /<item>[\s\S]*?<\/item>/g) ?? []
  return blocks.map((b) => ({
    link: (src.feedFormat === 'atom' ? /<link rel="alternate" type="text\/html" href="([^"]+)"/ : /<link>([^<]+)<\/link>/).exec(b)?.[1] ?? '',
    title: /<title[^>]*>([^<]+)<\/title>/.exec(b)?.[1] ?? '',
    published: Date.parse((src.feedFormat === 'atom' ? /<published>([^<]+)</ : /<pubDate>([^<]+)</).exec(b)?.[1] ?? ''),
    categories: [...b.matchAll(src.feedFormat === 'atom' ? /<category [^>]*label="([^"]+)"/g : /<category>([^<]+)<\/category>/g)].map((m) => m[1] ?? ''),
    fullText: /<content[:\s]/.test(b),
  }))
}

function allItems(): Item[] {
  return DEMO_FEED_PATHS.flatMap(feedItems)
}

function jsonLd(page: string): { author: { name: string; description?: string }; datePublished: string } {
  const raw = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page)?.[1]
  assert.ok(raw, 'page has JSON-LD')
  return JSON.parse(raw) as { author: { name: string; description?: string }; datePublished: string }
}

const attr = (page: string, re: RegExp): string | undefined => re.exec(page)?.[1]

function bodyParagraphs(page: string): string[] {
  // Sponsored asides are clutter, not body.
  const body = (/<div class="story-body">([\s\S]*?)<\/div>\n<footer/.exec(page)?.[1] ?? '').replace(/<aside[\s\S]*?<\/aside>/g, '')
  return [...body.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ''))
}

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

function get(path: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${pub.url}${path}`, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

// ───────────────────────────── feeds and pages ─────────────────────────────

describe('demo publisher content', () => {
  it('offers at least four feeds, in RSS 2.0, Atom 1.0 and JSON Feed 1.1', () => {
    assert.ok(DEMO_FEED_PATHS.length >= 4)
    const kinds = DEMO_FEED_PATHS.map((p) => {
      const t = text(p)
      if (t.includes('<rss version="2.0"')) return 'rss'
      if (t.includes('<feed xmlns="http://www.w3.org/2005/Atom"')) return 'atom'
      if ((JSON.parse(t) as { version?: string }).version === 'https://jsonfeed.org/version/1.1') return 'json'
      return 'unknown'
    })
    assert.deepEqual([...new Set(kinds)].sort(), ['atom', 'json', 'rss'])
  })

  it('feeds lead to at least 24 distinct, full article pages', () => {
    const links = new Set(allItems().map((i) => i.link))
    assert.ok(links.size >= 24, `${links.size} article links`)
    for (const link of links) {
      const path = pathOf(link)
      assert.match(site.get(path)?.contentType ?? '', /^text\/html/, path)
      const page = text(path)
      assert.match(page, /<html lang="(en|fr)">/, path)
      assert.match(page, /<article class="story">/, path)
      assert.match(page, /<time datetime="\d{4}-\d\d-\d\dT[^"]+">/, path)
      assert.match(page, /<meta property="article:published_time" content="[^"]+">/, path)
      assert.match(page, /<meta property="article:tag" content="[^"]+">/, path)
      assert.match(page, /<title>[^<]+ \| [^<]+<\/title>/, path)
      const paragraphs = bodyParagraphs(page)
      assert.ok(paragraphs.length >= 4 && paragraphs.length <= 10 /* 9 + a syndication intro */, `${path}: ${paragraphs.length} paragraphs`)
      assert.ok(paragraphs.every((p) => p.length > 40), `${path}: every paragraph is real text`)
      // The clutter extraction has to get past.
      for (const clutter of ['class="share-bar"', 'class="newsletter"', 'class="more-from"', 'class="cookie-notice"', 'class="site-footer"', 'class="main-nav"']) {
        assert.ok(page.includes(clutter), `${path} has ${clutter}`)
      }
    }
  })

  it('dates span the last three days, with some stories from the last hour', () => {
    const times = allItems().map((i) => i.published)
    assert.ok(times.every((t) => Number.isFinite(t) && t <= anchor.getTime() && t >= anchor.getTime() - 4 * 24 * HOUR))
    assert.ok(times.filter((t) => t >= anchor.getTime() - HOUR).length >= 3, 'at least three stories in the last hour')
    assert.ok(Math.min(...times) <= anchor.getTime() - 2 * 24 * HOUR, 'some stories are days old')
  })

  it('carries the full text in the Herald feed for some items only', () => {
    const items = feedItems('/herald/feed.xml')
    const full = items.filter((i) => i.fullText).length
    assert.ok(full > 0 && full < items.length, `${full} of ${items.length}`)
  })

  it('tags connect articles across outlets', () => {
    const outletsByTag = new Map<string, Set<string>>()
    for (const feed of DEMO_FEED_PATHS) {
      for (const item of feedItems(feed)) {
        assert.ok(item.categories.length >= 2 && item.categories.length <= 4, `${item.title}: ${item.categories.length} tags`)
        for (const c of item.categories) outletsByTag.set(c, (outletsByTag.get(c) ?? new Set()).add(feed))
      }
    }
    const shared = [...outletsByTag].filter(([, outlets]) => outlets.size >= 2).map(([tag]) => tag)
    assert.ok(shared.length >= 4, `shared tags: ${shared.join(', ')}`)
  })

  it('serves the Gazette feed in windows-1252, declared only inside the XML', () => {
    const feed = bytes('/gazette/rss.xml')
    assert.equal(isUtf8(feed), false, 'not valid UTF-8')
    assert.equal(site.get('/gazette/rss.xml')?.contentType, 'application/rss+xml')
    const decoded = iconv.decode(Buffer.from(feed), 'windows-1252')
    assert.ok(decoded.startsWith('<?xml version="1.0" encoding="windows-1252"?>'))
    for (const ch of ['é', 'è', 'à', 'ç', '€', '«', '»', '’']) assert.ok(decoded.includes(ch), `feed contains ${ch}`)
    // What a client that assumed UTF-8 would show.
    assert.ok(!new TextDecoder().decode(feed).includes('€'))
  })

  it('serves Gazette article pages in windows-1252 with a meta charset', () => {
    const links = feedItems('/gazette/rss.xml').map((i) => pathOf(i.link))
    assert.ok(links.length >= 4)
    for (const path of links) {
      const data = bytes(path)
      assert.equal(isUtf8(data), false, `${path} is not UTF-8`)
      assert.equal(site.get(path)?.contentType, 'text/html')
      const page = iconv.decode(Buffer.from(data), 'windows-1252')
      assert.match(page, /<meta charset="windows-1252">/)
      assert.match(page, /<html lang="fr">/)
    }
    const all = links.map(text).join('\n')
    for (const ch of ['é', 'è', 'à', 'ç', '€', '«', '»', '’', '“', '”']) assert.ok(all.includes(ch), `pages contain ${ch}`)
  })

  it('links an English Kita Daily story to its Shift_JIS Japanese version and back', () => {
    const english = feedItems('/kita/feed.json')
      .map((i) => ({ url: i.link, page: text(pathOf(i.link)) }))
      .filter((p) => p.page.includes('hreflang="ja"'))
    assert.equal(english.length, 1)
    const { url: enUrl, page: enPage } = english[0] ?? assert.fail()
    const jaUrl = attr(enPage, /<link rel="alternate" hreflang="ja" href="([^"]+)">/)
    assert.ok(jaUrl)
    assert.ok(enPage.includes(`<a href="${jaUrl}" hreflang="ja">Read the article in Japanese</a>`))

    const data = bytes(pathOf(jaUrl))
    assert.equal(isUtf8(data), false, 'not UTF-8')
    const ja = iconv.decode(Buffer.from(data), 'Shift_JIS')
    assert.deepEqual(new Uint8Array(iconv.encode(ja, 'Shift_JIS')), data, 'round-trips through Shift_JIS')
    assert.match(ja, /<meta charset="Shift_JIS">/)
    assert.match(ja, /<html lang="ja">/)
    assert.ok(bodyParagraphs(ja).filter((p) => /[\u3040-\u30ff\u4e00-\u9fff]{20}/.test(p)).length >= 4, 'Japanese paragraphs')
    assert.ok(ja.includes(`<link rel="alternate" hreflang="en" href="${enUrl}">`), 'reciprocal hreflang')
  })

  it('marks exactly one syndicated copy, whose canonical link is the existing original', () => {
    const pages = allItems().map((i) => ({ url: i.link, page: text(pathOf(i.link)) }))
    const copies = pages.filter((p) => attr(p.page, /<link rel="canonical" href="([^"]+)">/) !== p.url)
    assert.equal(copies.length, 1)
    const copy = copies[0] ?? assert.fail()
    const originalUrl = attr(copy.page, /<link rel="canonical" href="([^"]+)">/) ?? ''
    assert.ok(site.has(pathOf(originalUrl)), 'original page exists')
    const original = text(pathOf(originalUrl))
    assert.notEqual(attr(copy.page, /<h1>([^<]+)<\/h1>/), attr(original, /<h1>([^<]+)<\/h1>/), 'different headline')
    assert.ok(copy.page.includes('This report was first published by Harbor City Herald and is republished with permission.'))
    const copyBody = bodyParagraphs(copy.page)
    const originalBody = bodyParagraphs(original)
    assert.deepEqual(copyBody.slice(1), originalBody, 'same body after the crediting intro')
    assert.ok(Date.parse(jsonLd(copy.page).datePublished) > Date.parse(jsonLd(original).datePublished), 'published later')
  })

  it('gives one author a bio in JSON-LD and a visible author box on several pages', () => {
    const withBio = allItems()
      .map((i) => text(pathOf(i.link)))
      .filter((page) => jsonLd(page).author.description)
    assert.ok(withBio.length >= 3, `${withBio.length} pages`)
    const names = new Set(withBio.map((p) => jsonLd(p).author.name))
    assert.equal(names.size, 1)
    for (const page of withBio) {
      const { name, description } = jsonLd(page).author
      assert.match(page, new RegExp(`Author: <a rel="author" href="[^"]+">${name}</a>`))
      assert.ok(page.includes(`<p class="author-bio">${description}</p>`))
    }
  })

  it('keeps captions and credits apart in figures, and every image exists', () => {
    let credited = 0
    for (const [path, entry] of site) {
      if (!entry.contentType.startsWith('text/html')) continue
      const page = text(path)
      credited += (page.match(/<figcaption>[^<]+ <span class="credit">Photo ?: [^<]+<\/span><\/figcaption>/g) ?? []).length
      for (const m of page.matchAll(/<img src="([^"]+)"/g)) {
        assert.equal(site.get(pathOf(m[1] ?? ''))?.contentType, 'image/svg+xml', `${path} → ${m[1]}`)
      }
    }
    assert.ok(credited >= 10, `${credited} credited figures`)
  })

  it('has an index with feed discovery links and a permissive robots.txt', () => {
    const index = text('/')
    for (const feed of DEMO_FEED_PATHS) assert.ok(index.includes(`<link rel="alternate" type="application/`) && index.includes(`href="${pub.url}${feed}"`), feed)
    assert.match(index, /type="application\/rss\+xml"/)
    assert.match(text('/robots.txt'), /User-agent: \*\nAllow: \//)
  })

  it('builds the same site for the same anchor', () => {
    const again = buildDemoSite({ baseUrl: pub.url, anchor })
    assert.deepEqual([...again.keys()], [...site.keys()])
    for (const [path, entry] of again) assert.equal(entry.etag, site.get(path)?.etag, path)
  })
})

// ───────────────────────────── the server ─────────────────────────────

describe('demo publisher server', () => {
  it('serves every path with 200, then 304 to If-None-Match', async () => {
    for (const [path, entry] of site) {
      const first = await get(path)
      assert.equal(first.status, 200, path)
      assert.equal(first.headers['content-type'], entry.contentType, path)
      assert.deepEqual(new Uint8Array(first.body), entry.body, path)
      const etag = first.headers.etag
      assert.ok(etag, `${path} has an ETag`)
      assert.ok(first.headers['last-modified'], `${path} has Last-Modified`)
      const second = await get(path, { headers: { 'if-none-match': etag } })
      assert.equal(second.status, 304, path)
      assert.equal(second.body.length, 0)
    }
  })

  it('answers If-Modified-Since with 304 when nothing changed', async () => {
    const first = await get('/herald/feed.xml')
    const lastModified = first.headers['last-modified'] ?? ''
    assert.equal((await get('/herald/feed.xml', { headers: { 'if-modified-since': lastModified } })).status, 304)
    const earlier = new Date(Date.parse(lastModified) - HOUR).toUTCString()
    assert.equal((await get('/herald/feed.xml', { headers: { 'if-modified-since': earlier } })).status, 200)
  })

  it('gzips when the client accepts it, and the weak ETag still validates', async () => {
    const res = await get('/kita/feed.json', { headers: { 'accept-encoding': 'gzip, deflate' } })
    assert.equal(res.status, 200)
    assert.equal(res.headers['content-encoding'], 'gzip')
    assert.deepEqual(new Uint8Array(gunzipSync(res.body)), bytes('/kita/feed.json'))
    const again = await get('/kita/feed.json', { headers: { 'accept-encoding': 'gzip', 'if-none-match': res.headers.etag ?? '' } })
    assert.equal(again.status, 304)
    const identity = await get('/kita/feed.json', { headers: { 'accept-encoding': 'gzip;q=0' } })
    assert.equal(identity.headers['content-encoding'], undefined)
  })

  it('answers HEAD with headers only', async () => {
    const res = await get('/gazette/rss.xml', { method: 'HEAD' })
    assert.equal(res.status, 200)
    assert.equal(Number(res.headers['content-length']), bytes('/gazette/rss.xml').byteLength)
    assert.equal(res.body.length, 0)
  })

  it('returns 404 for unknown paths and ignores query strings on known ones', async () => {
    assert.equal((await get('/herald/2001/01/01/no-such-story.html')).status, 404)
    assert.equal((await get('/nope')).status, 404)
    assert.equal((await get('/herald/?section=transit')).status, 200)
    const redirect = await get('/herald')
    assert.equal(redirect.status, 301)
    assert.equal(redirect.headers.location, '/herald/')
  })
})
