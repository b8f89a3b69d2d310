import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { extractBody } from './extract-body.js'
import type { ExtractedBody } from './extract-body.js'
import { isBoilerplateLine } from './block-filter.js'

// Synthetic pages of made-up publishers. Each paragraph is distinct prose so a test can name what it expects.
const STORY = [
  'The ferry from Tallow Point left forty minutes late on Monday, after a crane on the quay jammed with a container half lifted.',
  'Passengers waited in the terminal café, where the owner, Bex Arundel, handed out free tea and said the delay was the third this month.',
  'Harbour engineers said the crane, bought second-hand in 2009, needs a new gearbox that will not arrive before the spring.',
  'Until then, the operator will load freight by hand at night, which it says will keep the morning sailings on time.',
  'Councillor Imre Voss, who chairs the transport committee, said the island could not keep relying on equipment older than most of its ferries.',
]

function page(body: string, head = '<title>A story | The Tallow Gazette</title>'): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`
}

const NAV = '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>'
const FOOTER = '<footer><p>© 2026 The Tallow Gazette. All rights reserved.</p><a href="/privacy">Privacy</a></footer>'
const paragraphs = (list: string[]): string => list.map((p) => `<p>${p}</p>`).join('\n')

function body(html: string): ExtractedBody {
  const r = extractBody(html)
  if (!r.ok) assert.fail(`expected a body, got ${r.error.code}: ${r.error.message}`)
  return r.value
}

function hasAll(text: string, needles: string[]): void {
  let from = 0
  for (const n of needles) {
    const at = text.indexOf(n, from)
    assert.ok(at >= 0, `"${n}" missing or out of order in:\n${text}`)
    from = at + n.length
  }
}

function hasNone(text: string, needles: string[]): void {
  for (const n of needles) assert.ok(!text.includes(n), `"${n}" should not be in:\n${text}`)
}

describe('extractBody: finding the article', () => {
  it('a plain article page: the story, without navigation, header or footer', () => {
    const b = body(page(`<header><a href="/">The Tallow Gazette</a></header>${NAV}<main><article><h1>Crane failure delays island ferry</h1>
      <div class="byline">By Nell Prentice</div>${paragraphs(STORY)}</article></main>${FOOTER}`))
    hasAll(b.text, STORY.map((s) => s.slice(0, 40)))
    hasNone(b.text, ['Home', 'Sport', 'All rights reserved', 'Crane failure delays', 'Nell Prentice'])
    assert.equal(b.text, b.blocks.map((x) => x.text).join('\n'))
    assert.equal(b.blocks.length, STORY.length)
  })

  it('deep nesting (120 wrappers) is read', () => {
    const open = '<div class="wrap">'.repeat(120)
    const b = body(page(`${NAV}${open}${paragraphs(STORY)}${'</div>'.repeat(120)}`))
    hasAll(b.text, STORY.map((s) => s.slice(0, 40)))
  })

  it('nesting beyond the bound is refused with a clear error, quickly', () => {
    const r = extractBody(page(`${'<div>'.repeat(5000)}${paragraphs(STORY)}${'</div>'.repeat(5000)}`))
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.equal(r.error.code, 'extract_failed')
      assert.match(r.error.message, /levels deep/)
    }
  })

  it('tables used for layout: the cell with the story, not the menu cells', () => {
    const menu = '<td class="left"><a href="/a">Archive</a><br><a href="/b">Letters</a><br><a href="/c">Weather</a></td>'
    const b = body(page(`<table width="100%"><tr><td colspan="2"><a href="/">Tallow Gazette</a></td></tr><tr>${menu}
      <td class="main"><font size="2">${STORY.join('<br><br>')}</font></td></tr><tr><td colspan="2">Copyright 2026</td></tr></table>`))
    hasAll(b.text, STORY.map((s) => s.slice(0, 40)))
    hasNone(b.text, ['Archive', 'Letters', 'Weather', 'Copyright'])
  })

  it('a data table inside the story is kept, row by row', () => {
    const table = '<table><tr><th>Sailing</th><th>Delay</th></tr><tr><td>06:40</td><td>40 minutes</td></tr><tr><td>09:15</td><td>none</td></tr></table>'
    const b = body(page(`<article>${paragraphs(STORY.slice(0, 3))}${table}${paragraphs(STORY.slice(3))}</article>`))
    hasAll(b.text, [STORY[2]!.slice(0, 30), 'Sailing | Delay', '06:40 | 40 minutes', STORY[3]!.slice(0, 30)])
  })

  it('lists of links (related stories, tags) are dropped; a list in the story is kept', () => {
    const related = `<div class="box"><h3>More from the Gazette</h3><ul>${['Lifeboat crew rescues kayaker', 'New bus timetable for the island', 'Fish market reopens after storm']
      .map((t, i) => `<li><a href="/s/${i}">${t}</a></li>`).join('')}</ul></div>`
    const steps = '<ul><li>a new gearbox for the crane, ordered in January;</li><li>night loading by hand until it arrives;</li><li>a review of all quay equipment by the summer.</li></ul>'
    const b = body(page(`<article>${paragraphs(STORY.slice(0, 3))}<p>The operator listed three measures:</p>${steps}${paragraphs(STORY.slice(3))}${related}</article>`))
    hasAll(b.text, ['three measures', 'a new gearbox for the crane', 'night loading by hand', 'a review of all quay equipment', STORY[4]!.slice(0, 30)])
    hasNone(b.text, ['Lifeboat crew', 'bus timetable', 'Fish market reopens', 'More from the Gazette'])
    assert.deepEqual(b.blocks.filter((x) => x.type === 'li').length, 3)
  })

  it('a comment section longer than the story is not the story', () => {
    const comments = Array.from({ length: 12 }, (_, i) =>
      `<div class="comment"><p class="comment-author">reader${i}</p><p>I have taken that ferry for ${i + 3} years, and the delays are nothing new, but the café tea is a nice touch, honestly it is.</p></div>`).join('')
    const b = body(page(`<article class="post">${paragraphs(STORY)}</article><section id="comments"><h2>Comments (12)</h2>${comments}</section>`))
    hasAll(b.text, STORY.map((s) => s.slice(0, 40)))
    hasNone(b.text, ['I have taken that ferry', 'reader3', 'Comments (12)'])
  })

  it('an article split across several containers (chunks between adverts) is read whole', () => {
    const ad = '<div class="ad-slot"><span>Advertisement</span></div>'
    const chunks = [STORY.slice(0, 2), STORY.slice(2, 4), STORY.slice(4)]
      .map((c) => `<div class="chunk"><div class="chunk-text">${paragraphs(c)}</div><div class="rail">${ad}</div></div>`).join(ad)
    const b = body(page(`${NAV}<div class="story">${chunks}</div>${FOOTER}`))
    hasAll(b.text, STORY.map((s) => s.slice(0, 40)))
    hasNone(b.text, ['Advertisement'])
  })

  it('share bars, newsletter boxes, cookie notices and promo lines inside the article are dropped', () => {
    const share = '<div class="share-tools"><a href="#">Share on Facebook</a><a href="#">Share on X</a></div>'
    const newsletter = '<div class="newsletter-signup"><p>Get the Morning Tide newsletter every day at 7am, free of charge.</p><form><input type="email"><button>Sign up</button></form></div>'
    const cookie = '<div id="cookie-consent"><p>We use cookies to improve your experience, and by continuing you agree to that.</p></div>'
    const promo = '<p><strong>READ MORE:</strong> <a href="/x">Island council approves harbour budget for next year</a></p>'
    const b = body(page(`${cookie}<article>${share}${paragraphs(STORY.slice(0, 2))}${promo}${newsletter}${paragraphs(STORY.slice(2))}<p>Advertisement</p></article>`))
    hasAll(b.text, STORY.map((s) => s.slice(0, 40)))
    hasNone(b.text, ['Share on', 'Morning Tide', 'cookies', 'READ MORE', 'harbour budget', 'Advertisement', 'Sign up'])
  })

  it('photos with captions and credits stay out; a pull quote without media stays in', () => {
    const figure = '<figure><img src="/crane.jpg" alt=""><figcaption>The jammed crane on Monday. Photo: Ada Kell</figcaption></figure>'
    const pull = '<figure class="pullquote"><blockquote><p>We cannot keep relying on old equipment.</p></blockquote></figure>'
    const b = body(page(`<article>${paragraphs(STORY.slice(0, 2))}${figure}${paragraphs(STORY.slice(2, 4))}${pull}${paragraphs(STORY.slice(4))}</article>`))
    hasNone(b.text, ['jammed crane', 'Ada Kell'])
    hasAll(b.text, [STORY[3]!.slice(0, 30), 'We cannot keep relying on old equipment.', STORY[4]!.slice(0, 30)])
    assert.ok(b.blocks.some((x) => x.type === 'quote'))
  })

  it('inline elements keep the spaces between words and add none inside words', () => {
    const p = '<p>Trade between <a href="/t/korea">Korea</a> and <a href="/t/japan">Japan</a> grew, says <em>Bex</em> <strong>Arundel</strong>, who runs the <b>T</b>allow café, and it is <i>un</i>expected.</p>'
    const b = body(page(`<article>${p}${paragraphs(STORY)}</article>`))
    hasAll(b.text, ['Trade between Korea and Japan grew, says Bex Arundel, who runs the Tallow café, and it is unexpected.'])
  })

  it('<p> with double line breaks becomes separate paragraphs', () => {
    const b = body(page(`<article><p>${STORY.slice(0, 3).join('<br><br>')}</p>${paragraphs(STORY.slice(3))}</article>`))
    assert.equal(b.blocks.length, STORY.length)
  })

  it('a very long page (2,000 paragraphs, 2,000 related links) ends with a result', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `<p>Paragraph ${i}: ${STORY[i % STORY.length]}</p>`).join('')
    const links = Array.from({ length: 2000 }, (_, i) => `<li><a href="/r/${i}">Related story number ${i}</a></li>`).join('')
    const b = body(page(`${NAV}<article>${long}</article><aside><ul>${links}</ul></aside>`))
    assert.equal(b.blocks.length, 2000)
    hasNone(b.text, ['Related story number'])
  })

  it('a page with no article is extract_empty', () => {
    for (const html of [
      page(`${NAV}<div id="app">Loading…</div>${FOOTER}`),
      page('<ul class="gallery">' + Array.from({ length: 30 }, (_, i) => `<li><a href="/p/${i}">Photo ${i}</a></li>`).join('') + '</ul>'),
      '',
      'plain words',
    ]) {
      const r = extractBody(html)
      assert.equal(r.ok, false, html.slice(0, 80))
      if (!r.ok) assert.equal(r.error.code, 'extract_empty')
    }
  })

  it('never throws on odd input', () => {
    for (const html of ['\u0000\u0001', '<frameset><frame src="a.html"></frameset>', '<?xml version="1.0"?><rss><channel></channel></rss>', '<p>'.repeat(10000), '</div>'.repeat(1000)]) {
      const r = extractBody(html)
      assert.ok(r.ok || r.error.code === 'extract_empty' || r.error.code === 'extract_failed')
    }
  })
})

describe('isBoilerplateLine', () => {
  const cases: Array<[string, boolean]> = [
    ['Advertisement', true],
    ['ADVERTISEMENT', true],
    ['Posted: Fri 6:45 PM, Feb 16, 2026 |', true],
    ['November 15, 2026', true],
    ['By Nell Prentice', true],
    ['Filed under: Ferries, Harbour', true],
    ['Share this article', true],
    ['By the end of the year, the crane will have been replaced.', false],
    ['29 November 2026 | 20 January 2027', false],
    ['02-751-1500', false],
    ['The ferry was delayed.', false],
    ['Ad hoc loading will continue until March, the operator said.', false],
  ]
  for (const [line, expected] of cases) it(`${expected ? 'drops' : 'keeps'} "${line}"`, () => assert.equal(isBoilerplateLine(line), expected))
})
