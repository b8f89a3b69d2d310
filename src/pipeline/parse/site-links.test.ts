import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { SiteRule } from '../../domain/types.js'
import { looksLikeArticle, pickLinks, ruleFromForm, siteFeed, siteKey } from './site-links.js'

const PAGE = 'https://www.harbor.example/world/'

/** A made-up section front: chrome, a list of stories, tag and author links, pagination, other sites. */
const FRONT = `<!doctype html><html lang="en-GB"><head><title>World | Harbor Herald</title>
<meta property="og:site_name" content="Harbor Herald"></head><body>
<header><a href="/">Home</a> <a href="/2026/11/22/live-updates-from-the-storm-desk">Live: storm desk</a></header>
<nav><a href="/world/">World</a><a href="/sport/">Sport</a><a href="/login">Sign in</a></nav>
<main>
  <ul class="headlines">
    <li><a href="/world/ferry-returns-to-the-east-pier"><img src="/i/ferry.jpg" alt="The ferry"></a>
        <h2><a href="/world/ferry-returns-to-the-east-pier#comments">Ferry returns to the <em>east</em> pier</a></h2>
        <a href="/tag/ferry-and-harbor-news">Ferry</a> <a href="/author/mina-okafor">Mina Okafor</a></li>
    <li><h2><a href="https://harbor.example/2026/11/21/council-vote">Council delays &amp; debates the vote</a></h2></li>
    <li><h2><a href="/story/4812345">Tide tables revised</a></h2></li>
    <li><h2><a href="/world/?utm_source=x">This page again</a></h2></li>
    <li><a href="https://other.example/world/someone-elses-long-story">Elsewhere</a></li>
    <li><a href="/world/page/2">More stories</a> <a href="/files/annual-report-twenty-six.pdf">Report</a></li>
  </ul>
  <div class="promo"><a href="/world/subscribe-now-for-half-price-offer?utm_campaign=z">Subscribe now for half price</a></div>
</main>
<footer><a href="/about/our-editorial-standards-and-ethics">Standards</a></footer>
</body></html>`

test('without a rule, article-looking links on the same site are picked in page order, with their anchor text', () => {
  const r = pickLinks(FRONT, { url: PAGE, rule: null })
  assert.ok(r.ok)
  assert.deepEqual(r.value.links, [
    { url: 'https://www.harbor.example/world/ferry-returns-to-the-east-pier', title: 'Ferry returns to the east pier' },
    { url: 'https://harbor.example/2026/11/21/council-vote', title: 'Council delays & debates the vote' },
    { url: 'https://www.harbor.example/story/4812345', title: 'Tide tables revised' },
  ])
  assert.equal(r.value.title, 'Harbor Herald')
  assert.equal(r.value.language, 'en-GB')
  assert.ok(r.value.candidates >= 10, 'every distinct link in scope is counted')
  const feed = siteFeed(r.value, { url: PAGE })
  assert.equal(feed.format, 'site')
  assert.equal(feed.items[0]?.id, 'https://www.harbor.example/world/ferry-returns-to-the-east-pier')
  assert.equal(feed.items[0]?.title, 'Ferry returns to the east pier')
})

const rule = (over: Partial<SiteRule>): SiteRule => ({ include: [], exclude: [], selector: null, maxLinks: 30, ...over })

test('an operator rule: include and exclude patterns, a selector scoping the links, a bound per refresh', () => {
  const urls = (r: SiteRule) => {
    const x = pickLinks(FRONT, { url: PAGE, rule: r })
    assert.ok(x.ok)
    return x.value.links.map((l) => l.url.replace('https://www.harbor.example', ''))
  }
  assert.deepEqual(urls(rule({ include: ['/world/'], exclude: ['/world/page/', '/world/subscribe-*'] })), ['/world/ferry-returns-to-the-east-pier'])
  assert.deepEqual(urls(rule({ include: ['/20*/**-desk$'] })), ['/2026/11/22/live-updates-from-the-storm-desk'], 'a rule takes links anywhere, chrome included')
  assert.deepEqual(urls(rule({ include: ['/20*/*/*/'] })), ['/2026/11/22/live-updates-from-the-storm-desk', 'https://harbor.example/2026/11/21/council-vote'])
  assert.deepEqual(urls(rule({ include: ['harbor.example/2026/'] })), ['https://harbor.example/2026/11/21/council-vote'], 'host and path')
  assert.deepEqual(urls(rule({ include: ['re:/story/\\d+$'] })), ['/story/4812345'])
  assert.deepEqual(urls(rule({ include: ['/world/sub*'] })), ['/world/subscribe-now-for-half-price-offer'], 'a rule can take what the heuristic leaves out')
  assert.deepEqual(urls(rule({ selector: 'ul.headlines h2' })), [
    '/world/ferry-returns-to-the-east-pier', 'https://harbor.example/2026/11/21/council-vote', '/story/4812345',
  ], 'the selector keeps the promo out; the page itself is never followed')
  assert.deepEqual(urls(rule({ maxLinks: 2 })), ['/world/ferry-returns-to-the-east-pier', 'https://harbor.example/2026/11/21/council-vote'])
})

test('relative links resolve against <base href>; non-web links are ignored', () => {
  const html = '<base href="https://cdn.harbor.example/news/"><a href="harbor-bridge-opens-to-cyclists">Bridge</a><a href="javascript:void(0)">x</a><a href="mailto:a@harbor.example">mail</a>'
  const r = pickLinks(html, { url: 'https://harbor.example/', rule: null })
  assert.ok(r.ok)
  assert.deepEqual(r.value.links, [{ url: 'https://cdn.harbor.example/news/harbor-bridge-opens-to-cyclists', title: 'Bridge' }])
})

test('the rule form: every bad field gets a message; a good form becomes a rule', () => {
  const bad = ruleFromForm({ include: '/news/\nre:(a+)+$\nre:[unclosed\nnews today', exclude: 're:(x|xy)*', selector: 'ul >> li', maxLinks: '0' })
  assert.ok(!bad.ok)
  const by = (f: string) => bad.error.filter((p) => p.field === f).map((p) => p.message).join(' | ')
  assert.match(by('include'), /"re:\(a\+\)\+\$": .*exponential/)
  assert.match(by('include'), /"re:\[unclosed": not a valid regular expression/)
  assert.match(by('include'), /"news today": a pattern cannot contain spaces/)
  assert.doesNotMatch(by('include'), /"\/news\/"/, 'the good pattern is not reported')
  assert.match(by('exclude'), /exponential/)
  assert.match(by('selector'), /"ul >> li" is not a CSS selector/)
  assert.match(by('maxLinks'), /from 1 to 200/)
  assert.match(JSON.stringify(ruleFromForm({ include: 're:.*a.*b.*c', exclude: '', selector: '', maxLinks: '' })), /at most two unbounded/)
  assert.match(JSON.stringify(ruleFromForm({ include: 're:(a)\\1', exclude: '', selector: '', maxLinks: '' })), /back-references/)
  assert.match(JSON.stringify(ruleFromForm({ include: '', exclude: '', selector: '', maxLinks: 'many' })), /whole number/)

  const good = ruleFromForm({ include: ' /world/ \r\n\r\nre:/story/\\d{5,9}$\n', exclude: '/world/live-*', selector: ' main ', maxLinks: '12' })
  assert.ok(good.ok)
  assert.deepEqual(good.value, { include: ['/world/', 're:/story/\\d{5,9}$'], exclude: ['/world/live-*'], selector: 'main', maxLinks: 12 })
})

test('a stored rule that no longer compiles is an error on the source, not silence', () => {
  const r = pickLinks(FRONT, { url: PAGE, rule: rule({ include: ['re:(a+)+'] }) })
  assert.ok(!r.ok)
  assert.equal(r.error.code, 'site_rule_invalid')
  const damaged = pickLinks(FRONT, { url: PAGE, rule: JSON.parse('{"include":"/world/","exclude":[],"selector":null,"maxLinks":5}') as SiteRule })
  assert.ok(!damaged.ok)
  assert.equal(damaged.error.code, 'site_rule_invalid')
})

test('article-looking links, and the pages that are not', () => {
  const page = new URL('https://harbor.example/')
  const cases: Array<[string, boolean]> = [
    ['https://harbor.example/2026/11/22/ferry', true],
    ['https://harbor.example/news/2026-11-22-ferry-returns', true],
    ['https://harbor.example/world/harbor-ferry-returns.html', true],
    ['https://news.harbor.example/a/ferry_returns_today', true],
    ['https://harbor.example/p/4812345', true],
    ['https://harbor.example/world/港のフェリーが-運航-再開', true],
    ['https://harbor.example/2026/11/', false],
    ['https://harbor.example/2026/', false],
    ['https://harbor.example/world/', false],
    ['https://harbor.example/tag/ferry-harbor-news', false],
    ['https://harbor.example/category/local-news-today', false],
    ['https://harbor.example/author/mina-okafor-smith', false],
    ['https://harbor.example/search?q=ferry-returns-today', false],
    ['https://harbor.example/world/ferry-returns-today?page=2', false],
    ['https://harbor.example/media/ferry-at-the-pier.jpg', false],
    ['https://harbor.example/subscribe-today-for-one-euro', false],
    ['https://other.example/world/harbor-ferry-returns', false],
    ['https://harbor.example/', false],
  ]
  for (const [u, want] of cases) assert.equal(looksLikeArticle(new URL(u), page), want, u)
})

test('registrable host, near enough', () => {
  assert.equal(siteKey('news.harbor.example'), 'harbor.example')
  assert.equal(siteKey('www.herald.co.uk'), 'herald.co.uk')
  assert.equal(siteKey('127.0.0.1'), '127.0.0.1')
  assert.equal(siteKey('localhost'), 'localhost')
})

test('hostile input stays bounded: deep nesting and a huge number of links', () => {
  const deep = '<div>'.repeat(5000) + '<a href="/a/deeply-nested-story-here">Deep</a>' + '</div>'.repeat(5000)
  assert.ok(pickLinks(deep, { url: 'https://harbor.example/', rule: null }).ok)
  const many = Array.from({ length: 20_000 }, (_, i) => `<a href="/p/the-story-number-${i}">Story ${i}</a>`).join('')
  const r = pickLinks(many, { url: 'https://harbor.example/', rule: rule({ maxLinks: 200 }) })
  assert.ok(r.ok)
  assert.equal(r.value.links.length, 200)
})
