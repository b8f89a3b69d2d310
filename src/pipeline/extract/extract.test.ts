import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { ExtractedArticle } from '../../domain/types.js'
import { extractArticle } from './extract.js'

const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url))
const UPDATE = process.env['UPDATE_GOLDEN'] === '1'

/** Each fixture names the URL it was "fetched" from in its first comment. */
function load(name: string): { html: string; url: string | null } {
  const html = readFileSync(join(TESTDATA, `${name}.html`), 'utf8')
  return { html, url: /tidings-test-url:\s*(\S+)/.exec(html)?.[1] ?? null }
}

function run(name: string): ReturnType<typeof extractArticle> {
  const { html, url } = load(name)
  return extractArticle(html, { url })
}

function article(name: string): ExtractedArticle {
  const r = run(name)
  if (!r.ok) assert.fail(`${name}: expected an article, got ${r.error.code}: ${r.error.message}`)
  return r.value
}

// ─── golden files: testdata/x.html → x.expected.json (all fields but html and text) + x.expected.html ───

describe('extractArticle golden files', () => {
  const names = readdirSync(TESTDATA).filter((f) => f.endsWith('.html') && !f.endsWith('.expected.html')).map((f) => f.slice(0, -5)).sort()
  it('has fixtures', () => assert.ok(names.length >= 6))
  for (const name of names) {
    it(name, () => {
      const r = run(name)
      // `text` is left out of the JSON: it is the blocks joined, which another test asserts.
      const { html, text: _text, ...rest } = r.ok ? r.value : { html: null, text: null }
      const json = `${JSON.stringify(r.ok ? { ok: true, value: rest } : { ok: false, error: { stage: r.error.stage, code: r.error.code } }, null, 2)}\n`
      const jsonPath = join(TESTDATA, `${name}.expected.json`)
      const htmlPath = join(TESTDATA, `${name}.expected.html`)
      if (UPDATE) {
        writeFileSync(jsonPath, json)
        if (html !== null) writeFileSync(htmlPath, `${html}\n`)
        return
      }
      assert.ok(existsSync(jsonPath), `${jsonPath} is missing: run with UPDATE_GOLDEN=1 and review the diff`)
      assert.deepEqual(JSON.parse(json), JSON.parse(readFileSync(jsonPath, 'utf8')))
      if (html !== null) assert.equal(`${html}\n`, readFileSync(htmlPath, 'utf8'))
    })
  }
})

// ─── what a reader would check, independent of the golden files ───

/** Asserts that `needles` occur in `text` in this order. */
function inOrder(text: string, needles: string[]): void {
  let from = 0
  for (const n of needles) {
    const at = text.indexOf(n, from)
    assert.ok(at >= 0, `"${n}" missing (or out of order) in:\n${text}`)
    from = at + n.length
  }
}

function absent(text: string, needles: string[]): void {
  for (const n of needles) assert.ok(!text.includes(n), `"${n}" should not be in:\n${text}`)
}

/** Clutter every fixture carries in some form. */
const CLUTTER = ['cookie', 'Subscribe', 'Sign up', 'newsletter', 'Share on', 'Read more', 'All rights reserved', 'Comments']

describe('extractArticle: what a reader sees', () => {
  it('figures: captions and credits apart from the body, repeated caption once', () => {
    const a = article('harbor-figures')
    assert.equal(a.title, 'Night shift at Brindle Quay keeps a port town awake')
    assert.equal(a.byline, 'Ines Fairweather')
    assert.equal(a.published, '2026-03-14T05:30:00.000Z')
    assert.equal(a.siteName, 'The Harbor Ledger')
    assert.equal(a.canonicalUrl, 'https://www.harborledger.example/news/2026/03/14/night-shift-fish-market')
    inOrder(a.text, ['At ten minutes to midnight', 'The market has run through the night since 1911', '"People think it\'s romantic,"',
      'A market that pays for the town', 'turned over £41 million', 'The tide doesn\'t wait', 'replacing the ice plant', 'the gulls have the quay'])
    absent(a.text, [...CLUTTER, 'Traders sort the first catch', 'Auctioneer Colm Dray calls', 'Ice is shovelled', 'Mara Quill', 'Ivo Brandt',
      'Ledger Archive', 'Puzzles', 'SaltyDog77', 'Winter ferry timetable', 'Morning Tide', 'By Ines'])
    assert.deepEqual(a.captions, [
      { text: 'Traders sort the first catch of the night at the Brindle Quay market.', credit: 'Mara Quill / Harbor Ledger', imageUrl: 'https://www.harborledger.example/img/2026/03/market-1600.jpg' },
      { text: 'Auctioneer Colm Dray calls prices for hake, a job he has done for 31 years', credit: 'Ivo Brandt', imageUrl: 'https://www.harborledger.example/img/2026/03/auction.jpg' },
      { text: 'Ice is shovelled over the morning\'s last boxes.', credit: 'Ledger Archive', imageUrl: 'https://www.harborledger.example/img/2026/03/ice.jpg' },
    ])
    assert.doesNotMatch(a.html, /<figcaption|Traders sort|<img/)
    assert.equal(a.leadImage, 'https://www.harborledger.example/img/2026/03/market-1600.jpg')
  })

  it('JSON-LD @graph: authors, bio, dates, publisher; the author box is not body', () => {
    const a = article('jsonld-graph')
    assert.equal(a.title, 'Sensors under the Tarnfell glacier record a summer of meltwater')
    assert.equal(a.byline, 'Lena Okafor, Tomas Vell')
    assert.match(a.authorBio ?? '', /^Lena Okafor is the Dispatch's science correspondent\./)
    assert.equal(a.published, '2026-06-03T06:15:00.000Z')
    assert.equal(a.updated, '2026-06-03T15:40:00.000Z')
    assert.equal(a.siteName, 'Northwind Dispatch Media')
    assert.equal(a.lang, 'en')
    assert.equal(a.canonicalUrl, 'https://northwind-dispatch.example/science/2026/06/glacier-sensors')
    assert.equal(a.leadImage, 'https://cdn.northwind-dispatch.example/2026/06/tarnfell-1200.jpg')
    assert.deepEqual(a.keywords, ['Glaciers', 'Climate', 'Field research'])
    inOrder(a.text, ['For most of the year the Tarnfell glacier', 'Last autumn the researchers', 'Why the bed matters', '"We assumed the system was sluggish,"', 'a second site on a smaller glacier'])
    absent(a.text, [...CLUTTER, 'Lena writes about the poles', 'More from Lena', 'Most read', 'Weekly Thaw', 'Subscribe for £1', 'Join the discussion', 'Tweet'])
  })

  it('hreflang alternates and the in-body "Read this article in Japanese" link', () => {
    const a = article('hreflang')
    assert.equal(a.title, 'Tidal turbines to power island ferry terminal in two-year pilot')
    assert.equal(a.byline, 'Rosa Linde')
    assert.equal(a.published, '2026-05-21T09:00:00.000Z')
    assert.equal(a.updated, '2026-05-21T11:25:00.000Z')
    assert.deepEqual(a.altLinks, [
      { lang: 'ja', url: 'https://meridianpost.example/ja/2026/05/tidal-energy-pilot' },
      { lang: 'fr-FR', url: 'https://meridianpost.example/fr/2026/05/pilote-energie-maremotrice' },
      { lang: 'es', url: 'https://es.meridianpost.example/2026/05/piloto-mareomotriz' },
    ])
    assert.equal(a.leadImage, 'https://img.meridianpost.example/2026/05/turbine.jpg?w=1200')
    assert.deepEqual(a.keywords, ['tidal energy', 'ferries', 'Isle of Corran'])
    inOrder(a.text, ['Two underwater turbines', 'each about the size of a bus', 'Islanders have argued', 'Engineers will spend', 'a lit buoy'])
    absent(a.text, [...CLUTTER, 'Read this article in Japanese', 'Energy correspondent', '日本語', 'Sign me up', 'Grid battery opens', 'No comments yet', 'first month free'])
  })

  it('a Japanese page', () => {
    const a = article('japanese')
    assert.equal(a.title, '港町の朝市、3年ぶりに再開\u3000漁協「にぎわい戻った」')
    assert.equal(a.byline, '佐藤 一郎')
    assert.equal(a.published, '2026-04-01T22:00:00.000Z')
    assert.equal(a.lang, 'ja')
    assert.equal(a.siteName, '桜新報')
    assert.deepEqual(a.keywords, ['朝市', '霧ヶ浦港', '地域経済', '漁業'])
    assert.deepEqual(a.captions, [{ text: '3年ぶりに再開し、買い物客でにぎわう霧ヶ浦港の朝市＝2日午前6時半', credit: '山田花子', imageUrl: 'https://www.sakura-shimbun.example/images/2026/04/asaichi_main.jpg' }])
    inOrder(a.text, ['岸壁の改修工事のため', '朝市は1960年代から', '田村誠組合長は', '観光客の呼び込みも', '臨時バスを土日に運行', '初日に訪れた'])
    absent(a.text, ['クッキー', '全国', 'アクセスランキング', '関連記事', 'メールマガジン', '無断転載', '買い物客でにぎわう', '山田花子', 'シェア'])
  })

  it('inline links keep the spaces between words', () => {
    const a = article('inline-links')
    assert.equal(a.title, 'Riverbend port handles record container volumes as Asian routes grow')
    assert.equal(a.byline, 'Theo Marsh, Priya Nand')
    assert.equal(a.published, '2026-02-09T20:00:00.000Z')
    assert.equal(a.siteName, 'Riverbend Courier')
    inOrder(a.text, ['routes between Korea and Japan that now call', 'Port director Gloria Estevez said the growth "is not a one-off" and that three more carriers',
      'Most of the new traffic is refrigerated cargo: fruit', 'Residents along the East Line say', 'loaded off-peak;', 'We can grow', 'available at riverbend-port.example.'])
    absent(a.text, [...CLUTTER, 'andJapan', 'isthe', 'Support local journalism', 'You may also like', 'Business Briefing', 'Obituaries', 'Topics:', 'woke me at 3am'])
    assert.deepEqual(a.blocks.filter((b) => b.type === 'li').map((b) => b.text.slice(0, 20)), ['a second rail siding', 'a truck booking syst', 'dredging the turning'])
    assert.ok(a.blocks.some((b) => b.type === 'quote' && b.text.startsWith('We can grow')))
    // Links in the stored HTML are absolute and free of tracking parameters.
    assert.match(a.html, /href="https:\/\/riverbend-courier\.example\/tag\/korea" rel="nofollow noopener noreferrer"/)
    assert.match(a.html, /href="https:\/\/riverbend-courier\.example\/tag\/japan"/)
    assert.doesNotMatch(a.html, /utm_|fbclid|class=|style=/)
  })

  it('only OpenGraph metadata', () => {
    const a = article('og-only')
    assert.equal(a.title, 'Review: ‘The Salt Road’ walks slowly, and that is the point')
    assert.equal(a.byline, null)
    assert.equal(a.published, '2026-04-18T17:00:00.000Z')
    assert.equal(a.updated, '2026-04-19T07:30:00.000Z')
    assert.equal(a.lang, 'en-GB')
    assert.equal(a.siteName, 'Lantern Review')
    assert.equal(a.description, 'Odile Brenner\'s debut follows a salt trader across a drying lake, one chapter per day.')
    assert.equal(a.canonicalUrl, 'https://lanternreview.example/books/the-salt-road-review?page=1')
    assert.equal(a.leadImage, 'https://lanternreview.example/media/2026/04/salt-road-cover.jpg')
    assert.deepEqual(a.keywords, ['Fiction', 'Debut novels'])
    inOrder(a.text, ['Odile Brenner\'s first novel', 'That is the whole plot', 'What keeps the pages turning', 'less sure of itself', 'lands like a slammed door'])
    absent(a.text, [...CLUTTER, 'Become a member', 'Popular this week', 'I loved the donkeys', 'Harbour Lights', 'Registered charity', 'Podcast'])
  })

  it('a WordPress blog: caption boxes outside figures, .byline, <time>, author bio', () => {
    const a = article('wp-blog')
    assert.equal(a.title, 'Restoring a 1950s enamel stove, one burner at a time')
    assert.equal(a.byline, 'Dana Reyes')
    assert.equal(a.authorBio, 'Dana Reyes restores vintage kitchen appliances in a drafty garage in Ohio and writes about every mistake along the way.')
    assert.equal(a.published, '2026-01-20T21:45:00.000Z')
    assert.equal(a.updated, '2026-01-22T14:10:00.000Z')
    assert.equal(a.siteName, 'Copper Kettle Notes')
    assert.deepEqual(a.captions.map((c) => [c.text, c.credit]), [
      ['The stove as we found it, with forty years of grease on the splashback.', 'Dana Reyes'],
      ['Burners soaking in vinegar in the garage sink.', 'Sam Reyes'],
    ])
    assert.equal(a.captions[0]?.imageUrl, 'https://copperkettlenotes.example/wp-content/uploads/2026/01/stove-before.jpg')
    inOrder(a.text, ['When we bought the house', 'The first job was simply getting it clean', 'Next came the burners', 'The fourth burner was cracked', 'The oven door', 'a broken spring', 'distant helicopter'])
    absent(a.text, [...CLUTTER, 'forty years of grease', 'Burners soaking', 'Share this', 'Saving a cast-iron sink', 'About Dana Reyes', 'Leave a Reply', 'Kettle Club',
      'Posted on', 'Proudly powered', 'Recent Posts', 'Tagged'])
  })

  it('an app shell with no article is extract_empty', () => {
    const r = run('empty-shell')
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.equal(r.error.stage, 'extract')
      assert.equal(r.error.code, 'extract_empty')
    }
  })

  it('every extracted body is sanitized HTML without captions, photo figures or scripts', () => {
    for (const name of ['harbor-figures', 'jsonld-graph', 'hreflang', 'japanese', 'inline-links', 'og-only', 'wp-blog']) {
      const a = article(name)
      assert.doesNotMatch(a.html, /<(figcaption|script|style|form|nav|aside|div|span|button)\b/i, name)
      // A figure without media (a pull quote) is body; a photo figure never is.
      assert.doesNotMatch(a.html, /<figure>(?:(?!<\/figure>)[\s\S])*<img/, name)
      assert.doesNotMatch(a.html, /\s(class|id|style|on\w+)=/i, name)
      for (const c of a.captions) if (c.text) assert.ok(!a.text.includes(c.text), `${name}: caption "${c.text}" leaked into text`)
      assert.equal(a.text, a.blocks.map((b) => b.text).join('\n'))
    }
  })
})

describe('extractArticle: bad input never throws', () => {
  const inputs: Array<[string, string]> = [
    ['empty string', ''],
    ['plain text', 'just some words'],
    ['control characters', '\u0000\u0001\u0002'],
    ['an RSS document', '<?xml version="1.0"?><rss><channel><item><title>x</title></item></channel></rss>'],
    ['a frameset', '<frameset><frame src="a.html"></frameset>'],
  ]
  for (const [name, html] of inputs) {
    it(name, () => {
      const r = extractArticle(html, { url: 'https://x.example/a' })
      assert.equal(r.ok, false)
      if (!r.ok) assert.ok(r.error.code === 'extract_empty' || r.error.code === 'extract_failed', r.error.code)
    })
  }

  it('absurdly deep nesting is refused, not left to stall', () => {
    const para = '<p>Some paragraph text, with commas, that is long enough to count as an article body here.</p>'.repeat(3)
    const r = extractArticle('<div>'.repeat(3000) + para + '</div>'.repeat(3000), { url: null })
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.equal(r.error.code, 'extract_failed')
      assert.match(r.error.message, /levels deep/)
    }
  })

  it('ordinary nesting (150 levels) is still read', () => {
    const para = '<p>Some paragraph text, with commas, that is long enough to count as an article body here.</p>'.repeat(3)
    assert.ok(extractArticle('<div>'.repeat(150) + para + '</div>'.repeat(150), { url: null }).ok)
  })

  it('a bare fragment with enough text is still an article', () => {
    const body = 'The committee met on Tuesday and agreed to publish its findings before the end of the month. '.repeat(3)
    const r = extractArticle(`<p>${body}</p>`, { url: null })
    assert.ok(r.ok)
    if (r.ok) assert.equal(r.value.text, body.trim())
  })
})
