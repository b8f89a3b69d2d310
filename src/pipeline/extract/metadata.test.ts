import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalLang, extractMetadata } from './metadata.js'
import type { PageMetadata } from './metadata.js'
import { parsePage } from './engine/main-content.js'

const URL_ = 'https://paper.example/news/2026/story'

function meta(head: string, body = '', htmlAttrs = ''): PageMetadata {
  const doc = parsePage(`<!DOCTYPE html><html ${htmlAttrs}><head>${head}</head><body>${body}</body></html>`)
  return extractMetadata(doc, { url: URL_ })
}

const ld = (data: unknown): string => `<script type="application/ld+json">${JSON.stringify(data)}</script>`

describe('extractMetadata: JSON-LD', () => {
  it('reads a top-level array of nodes', () => {
    const m = meta(ld([
      { '@type': 'BreadcrumbList', name: 'Crumbs' },
      { '@type': 'NewsArticle', headline: 'Array headline', datePublished: '2026-01-02T03:04:05Z', author: { '@type': 'Person', name: 'Ann Lee' } },
    ]))
    assert.equal(m.title, 'Array headline')
    assert.equal(m.byline, 'Ann Lee')
    assert.equal(m.published, '2026-01-02T03:04:05.000Z')
  })

  it('follows @id references inside @graph for author, bio and publisher', () => {
    const m = meta(ld({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'Organization', '@id': '#org', name: 'Paper Co' },
        { '@type': 'Person', '@id': '#ann', name: 'Ann Lee', description: 'Ann covers courts.' },
        { '@type': 'Article', headline: 'Graph headline', author: { '@id': '#ann' }, publisher: { '@id': '#org' }, keywords: 'Courts, Appeals, courts' },
      ],
    }))
    assert.equal(m.byline, 'Ann Lee')
    assert.equal(m.authorBio, 'Ann covers courts.')
    assert.equal(m.siteName, 'Paper Co')
    assert.deepEqual(m.keywords, ['Courts', 'Appeals'])
  })

  it('several authors are joined, duplicates once', () => {
    const m = meta(ld({ '@type': 'NewsArticle', author: ['Ann Lee', { '@type': 'Person', name: 'Bo Chen' }, { name: 'ann lee' }] }))
    assert.equal(m.byline, 'Ann Lee, Bo Chen')
  })

  it('skips invalid JSON and keeps reading the other blocks', () => {
    const m = meta('<script type="application/ld+json">{ "@type": "NewsArticle", "headline": "Broken", }</script>' +
      ld({ '@type': 'NewsArticle', headline: 'Valid one' }))
    assert.equal(m.title, 'Valid one')
  })

  it('reads JSON-LD wrapped in a CDATA comment', () => {
    const m = meta('<script type="application/ld+json">//<![CDATA[\n{"@type":"BlogPosting","headline":"Wrapped"}\n//]]></script>')
    assert.equal(m.title, 'Wrapped')
  })

  it('image as ImageObject array and keywords as array', () => {
    const m = meta(ld({ '@type': 'NewsArticle', image: [{ '@type': 'ImageObject', url: '/img/a.jpg' }], keywords: ['Rail', ' Noise ', 'rail'] }))
    assert.equal(m.leadImage, 'https://paper.example/img/a.jpg')
    assert.deepEqual(m.keywords, ['Rail', 'Noise'])
  })

  it('a URL given as author name is not a byline', () => {
    const m = meta(ld({ '@type': 'NewsArticle', author: 'https://paper.example/staff/ann' }) + '<meta name="author" content="Ann Lee">')
    assert.equal(m.byline, 'Ann Lee')
  })
})

describe('extractMetadata: title', () => {
  const cases: Array<[string, string, string, string | null]> = [
    ['og:title first', '<meta property="og:title" content="OG title"><title>Doc title | Paper</title>', '<h1>H1</h1>', 'OG title'],
    ['og:title with the site name suffix', '<meta property="og:title" content="Story - The Paper"><meta property="og:site_name" content="The Paper">', '', 'Story'],
    ['h1 in the article before <title>', '<title>Doc title | Paper</title>', '<header><h1>Paper</h1></header><article><h1>Real headline</h1></article>', 'Real headline'],
    ['a site-logo h1 is not the title', '<title>Rates rise again | Paper</title>', '<header class="site-header"><h1>Paper</h1></header><p>x</p>', 'Rates rise again'],
    ['<title> minus a " | Site" suffix', '<title>Council approves new bridge | Riverbend Courier</title>', '', 'Council approves new bridge'],
    ['a dash inside a title is not a separator', '<title>Tokyo - the city that never sleeps, again and again</title>', '', 'Tokyo - the city that never sleeps, again and again'],
    ['full-width bar in Japanese titles', '<title>朝市が再開｜桜新報</title>', '', '朝市が再開'],
    ['no title at all', '', '<p>text</p>', null],
  ]
  for (const [name, head, body, expected] of cases) {
    it(name, () => assert.equal(meta(head, body).title, expected))
  }
})

describe('extractMetadata: byline and bio', () => {
  const cases: Array<[string, string, string, string | null]> = [
    ['meta author, "By " stripped', '<meta name="author" content="By Rosa Linde">', '', 'Rosa Linde'],
    ['rel=author links', '', '<article><p class="byline">By <a rel="author" href="/a">Ann Lee</a> and <a rel="author" href="/b">Bo Chen</a></p></article>', 'Ann Lee, Bo Chen'],
    ['.byline text, "By" and the date removed', '', '<article><div class="byline">By Dana Reyes | <time datetime="2026-01-01">Jan 1</time></div></article>', 'Dana Reyes'],
    ['a byline in the related list is not this article\'s', '', '<article><p>x</p></article><aside class="related"><span class="byline">By Somebody Else</span></aside>', null],
    ['article:author URL is not a name', '<meta property="article:author" content="https://paper.example/staff/ann">', '', null],
  ]
  for (const [name, head, body, expected] of cases) {
    it(name, () => assert.equal(meta(head, body).byline, expected))
  }

  it('taxonomy classes on <body> and <article> do not make the page furniture', () => {
    const doc = parsePage('<!DOCTYPE html><html><head></head><body class="single category-social tag-share">' +
      '<article class="post tag-share category-social"><p class="byline">By <a rel="author" href="/a">Ann Lee</a></p>' +
      '<time datetime="2026-01-01T10:00:00Z">x</time><p>x</p></article></body></html>')
    const m = extractMetadata(doc, { url: URL_ })
    assert.equal(m.byline, 'Ann Lee')
    assert.equal(m.published, '2026-01-01T10:00:00.000Z')
  })

  it('bio from an author box', () => {
    const m = meta('', '<article><p>x</p><div class="author-box"><h4>Ann</h4><p class="author-bio">Ann covers  courts.</p></div></article>')
    assert.equal(m.authorBio, 'Ann covers courts.')
  })
  it('bio from microdata', () => {
    const m = meta('', '<div itemprop="author" itemscope><span itemprop="name">Ann</span><span itemprop="description">Court reporter since 2009.</span></div>')
    assert.equal(m.authorBio, 'Court reporter since 2009.')
  })
})

describe('extractMetadata: dates', () => {
  const cases: Array<[string, string, string, string | null, string | null]> = [
    ['article:published_time / modified_time', '<meta property="article:published_time" content="2026-05-21T09:00:00Z"><meta property="article:modified_time" content="2026-05-21T11:25:00+01:00">', '', '2026-05-21T09:00:00.000Z', '2026-05-21T10:25:00.000Z'],
    ['meta date variants', '<meta name="dc.date.issued" content="2026-04-02T07:00:00+09:00">', '', '2026-04-01T22:00:00.000Z', null],
    ['<time datetime> in the article, not the related list', '', '<article><time datetime="2026-03-14T05:30:00Z">x</time></article><aside class="related"><time datetime="2020-01-01T00:00:00Z">old</time></aside>', '2026-03-14T05:30:00.000Z', null],
    ['<time class="updated"> is the update, not the publication', '', '<article><time class="updated" datetime="2026-01-22T09:10:00Z">u</time><time class="published" datetime="2026-01-20T16:45:00Z">p</time></article>', '2026-01-20T16:45:00.000Z', '2026-01-22T09:10:00.000Z'],
    ['a bare day gives way to a time on that day', '<meta itemprop="datePublished" content="2026-02-09">', '<article><time datetime="2026-02-09T14:00:00-06:00">x</time></article>', '2026-02-09T20:00:00.000Z', null],
    ['garbage dates are skipped', '<meta property="article:published_time" content="soon"><meta name="date" content="2026-01-01">', '', '2026-01-01T00:00:00.000Z', null],
  ]
  for (const [name, head, body, published, updated] of cases) {
    it(name, () => {
      const m = meta(head, body)
      assert.equal(m.published, published)
      assert.equal(m.updated, updated)
    })
  }
})

describe('extractMetadata: language, site, URLs, keywords', () => {
  it('og:locale ja_JP → ja-JP when <html lang> is missing', () => assert.equal(meta('<meta property="og:locale" content="ja_JP">').lang, 'ja-JP'))
  it('<html lang> first', () => assert.equal(meta('<meta property="og:locale" content="ja_JP">', '', 'lang="en-gb"').lang, 'en-GB'))
  it('content-language meta', () => assert.equal(meta('<meta http-equiv="Content-Language" content="fr-CA, en">').lang, 'fr-CA'))
  it('canonicalLang rejects junk', () => assert.equal(canonicalLang('not a language tag!'), null))

  it('site name from the <title> suffix when nothing declares it', () => {
    assert.equal(meta('<title>Bridge opens – Riverbend Courier</title>', '<article><h1>Bridge opens</h1></article>').siteName, 'Riverbend Courier')
  })

  it('canonical: link rel=canonical, absolute and without tracking', () => {
    assert.equal(meta('<link rel="canonical" href="/news/2026/story?utm_source=x#top">').canonicalUrl, 'https://paper.example/news/2026/story')
  })
  it('canonical: og:url when no link', () => {
    assert.equal(meta('<meta property="og:url" content="https://paper.example/s?fbclid=1&id=4">').canonicalUrl, 'https://paper.example/s?id=4')
  })
  it('canonical: <base href> is respected', () => {
    assert.equal(meta('<base href="https://cdn.paper.example/root/"><link rel="canonical" href="a/b">').canonicalUrl, 'https://cdn.paper.example/root/a/b')
  })

  it('lead image: og:image, then the first content image (not a logo)', () => {
    assert.equal(meta('<meta property="og:image" content="/og.jpg">').leadImage, 'https://paper.example/og.jpg')
    assert.equal(meta('', '<header><img src="/logo.png" class="logo"></header><article><img src="/tiny.gif" width="1" height="1"><figure><img src="/photo.jpg"></figure></article>').leadImage, 'https://paper.example/photo.jpg')
  })

  it('alternates: hreflang links, not x-default, not this page, plus in-article hreflang links, de-duplicated', () => {
    const m = meta(
      '<link rel="alternate" hreflang="en" href="https://paper.example/news/2026/story">' +
        '<link rel="alternate" hreflang="ja" href="/ja/news/2026/story">' +
        '<link rel="alternate" hreflang="x-default" href="/news/2026/story-intl">' +
        '<link rel="alternate" hreflang="de_DE" href="https://de.paper.example/story">',
      '<nav><a hreflang="fr" href="/fr/">Français</a></nav>' +
        '<article><p><a hreflang="ja" href="/ja/news/2026/story?utm_source=body">Read this article in Japanese</a> ' +
        '<a hreflang="es" href="https://es.paper.example/historia">En español</a></p><p>Body.</p></article>',
    )
    assert.deepEqual(m.altLinks, [
      { lang: 'ja', url: 'https://paper.example/ja/news/2026/story' },
      { lang: 'de-DE', url: 'https://de.paper.example/story' },
      { lang: 'es', url: 'https://es.paper.example/historia' },
    ])
  })

  it('keywords: article:tag, news_keywords, keywords, trimmed and de-duplicated case-insensitively', () => {
    const m = meta(
      '<meta property="article:tag" content="Ports"><meta property="article:tag" content="Shipping">' +
        '<meta name="news_keywords" content="ports, rail , Noise"><meta name="keywords" content="noise,、,Freight">',
    )
    assert.deepEqual(m.keywords, ['Ports', 'Shipping', 'rail', 'Noise', 'Freight'])
  })

  it('a page with no metadata gives nulls and empty lists', () => {
    assert.deepEqual(meta('', '<p>Just text.</p>'), {
      title: null, byline: null, authorBio: null, published: null, updated: null, lang: null, siteName: null,
      description: null, canonicalUrl: null, leadImage: null, altLinks: [], keywords: [],
    })
  })
})
