import { test } from 'node:test'
import assert from 'node:assert/strict'
import iconv from 'iconv-lite'
import { changesOf, compareToOriginal, findCredit, pickOriginal, MAX_LISTED, type ProvenanceMember } from './provenance.js'

// An invented report, long enough for script profiling to judge what is out of place.
const REPORT = [
  'The river council has approved a night ferry between the old quay and the northern wharf.',
  'Boats will run every forty minutes from nine in the evening until two in the morning, starting in March.',
  'Councillors said the service answers years of complaints from shift workers who could not get home after the last bus.',
  'The ferry operator will lease two electric boats for the first year and buy them if the route pays its way.',
  'Fares will match the day service, and monthly passes will be valid on the night boats as well.',
  'A survey of riverside residents found that most would use the service at least once a week.',
  'Critics on the council warned that the wharf lighting is poor and asked for new lamps before the launch.',
  "The council's transport chair said lighting works were already budgeted and would finish by February.",
  'If the trial succeeds, a second route to the eastern marshes could follow within two years.',
].join('\n')

const member = (id: string, over: Partial<ProvenanceMember> = {}): ProvenanceMember => ({
  id, title: 'Night ferry approved', text: REPORT, published: null, url: null, canonicalUrl: null, ...over,
})

test('a member crediting another publisher is the copy, even when it was published first', () => {
  const copy = member('agg', {
    text: `The Riverside Gazette is pleased to share this report from our partners with readers.\n${REPORT}`,
    published: '2026-03-01T08:00:00Z', url: 'https://aggregator.example/ferry',
  })
  const original = member('pub', { published: '2026-03-01T10:00:00Z', url: 'https://council-news.example/ferry' })
  for (const order of [[copy, original], [original, copy]]) {
    const r = pickOriginal(order)
    assert.equal(r.original, 'pub')
    assert.match(r.reasons.join(' | '), /agg credits another publisher: 'is pleased to share … report from our'|agg credits another publisher/)
  }
})

test('a canonical link outweighs credits and dates', () => {
  const a = member('a', { url: 'https://one.example/story/9', canonicalUrl: 'https://www.two.example/ferry/', published: '2026-01-01T00:00:00Z' })
  const b = member('b', {
    url: 'https://two.example/ferry', published: '2026-01-05T00:00:00Z',
    text: `${REPORT}\nThis article was originally published by the Harbour Courier.`,
  })
  const r = pickOriginal([a, b])
  assert.equal(r.original, 'b')
  assert.match(r.reasons[0]!, /canonical link of a points to b/)
  // A canonical link to a site outside the group still marks the copy.
  const c = member('c', { url: 'https://three.example/x', canonicalUrl: 'https://elsewhere.example/y' })
  assert.equal(pickOriginal([c, member('d', { url: 'https://four.example/z' })]).original, 'd')
  // A self-canonical link is no evidence.
  const e = member('e', { url: 'https://five.example/p', canonicalUrl: 'https://five.example/p/' })
  assert.equal(pickOriginal([e, member('f')]).original, 'e')
})

test('without canonical links or credits the earliest published wins, then the first seen', () => {
  const late = member('late', { published: '2026-02-02T09:00:00Z' })
  const early = member('early', { published: '2026-02-01T09:00:00+01:00' })
  const undated = member('undated')
  const r = pickOriginal([late, undated, early])
  assert.equal(r.original, 'early')
  assert.match(r.reasons[0]!, /earliest published \(2026-02-01T08:00:00.000Z/)
  assert.equal(pickOriginal([member('x'), member('y')]).original, 'x')
  assert.deepEqual(pickOriginal([member('solo')]), { original: 'solo', reasons: [] })
})

test('credit phrases are found in the opening and closing paragraphs, not in the story or in photo credits', () => {
  const credits = [
    'Originally published by the Valley Ledger.',
    'This story first appeared in the Valley Ledger and is republished with permission.',
    'This article was originally written for the Valley Ledger.',
    'A version of this article was first published on the Valley Ledger website.',
    'Reprinted with permission.',
    'Via Valley Ledger',
    'Courtesy of the Valley Ledger',
    'The post Night ferry approved appeared first on Valley Ledger.',
    'This piece is republished from the Valley Ledger under a Creative Commons licence.',
    'We are delighted to amplify our colleagues by sharing the following analysis.',
  ]
  for (const line of credits) {
    assert.ok(findCredit(`${REPORT}\n${line}`), `closing: ${line}`)
    assert.ok(findCredit(`${line}\n${REPORT}`), `opening: ${line}`)
  }
  const news = [
    'The study, first published in a journal in 2019, found the same.',
    'Via the new bridge, commuters save ten minutes.',
    'Ferry at dusk. (Photo via Quay Pictures)',
    'Image courtesy of the River Council',
    'The ferry was first published on the council timetable in May.',
    'First published in 1998, the river guide has sold many thousands of copies along the coast.',
  ]
  for (const line of news) assert.equal(findCredit(`${line}\n${REPORT}`), null, line)
  // Deep inside a long text a credit phrase is quoted news, not a credit line.
  const long = [REPORT, 'Elsewhere a rival paper said it was pleased to share this report with its own readers.', REPORT].join('\n')
  assert.equal(findCredit(long), null)
  // A publisher naming itself is not crediting someone else.
  assert.equal(findCredit(`${REPORT}\nOriginally published on Council News.`, { sourceTitle: 'Council News' }), null)
})

test('an added intro paragraph shows as added, and nothing else changed', () => {
  const c = compareToOriginal({
    original: { title: 'Night ferry approved', text: REPORT },
    copy: { title: 'Night ferry approved', text: `Our partner newsroom covers the river towns every week.\n${REPORT}` },
  })
  assert.deepEqual(c.added, ['Our partner newsroom covers the river towns every week.'])
  assert.equal(c.addedCount, 1)
  assert.deepEqual(c.removed, [])
  assert.equal(c.truncated, false)
  assert.equal(c.shared, 1)
  assert.equal(c.titleChanged, null)
})

test('a cut ending shows as truncated with its length, a dropped middle sentence as removed', () => {
  const lines = REPORT.split('\n')
  const copyText = [...lines.slice(0, 3), ...lines.slice(4, 6)].join('\n')
  const c = compareToOriginal({ original: { title: 'Night ferry approved', text: REPORT }, copy: { title: 'Ferry at night: council says yes', text: copyText } })
  assert.equal(c.truncated, true)
  assert.equal(c.truncatedCount, 3)
  assert.deepEqual(c.removed, [lines[3]])
  assert.equal(c.removedCount, 1)
  assert.deepEqual(c.added, [])
  assert.equal(c.shared, 0.556)
  assert.deepEqual(c.titleChanged, { from: 'Night ferry approved', to: 'Ferry at night: council says yes' })
})

test('an injected foreign-script token in the original is the original’s change, flagged as injected', () => {
  const lines = REPORT.split('\n')
  const spammed = ['新闻网', ...lines.slice(0, 5), lines[5]!.replace('residents', '新闻网 residents'), ...lines.slice(6)].join('\n')
  const g = changesOf({
    members: [
      member('copy', { text: `Republished with permission.\n${REPORT}` }),
      member('orig', { text: spammed }),
    ],
  })
  assert.equal(g.original, 'orig')
  const orig = g.members.find((m) => m.id === 'orig')!
  assert.equal(orig.role, 'original')
  assert.deepEqual(orig.changes.injected, ['新闻网'])
  assert.equal(orig.changes.injectedCount, 2)
  assert.deepEqual(orig.changes.added, [], 'the spam line is an injection, not an added sentence')
  const copy = g.members.find((m) => m.id === 'copy')!
  assert.equal(copy.role, 'copy')
  assert.deepEqual(copy.changes.added, ['Republished with permission.'])
  assert.deepEqual(copy.changes.injected, [])
  assert.deepEqual(copy.changes.removed, [])
})

test('mojibake, lost spaces and line breaks are not changed sentences', () => {
  const typographic = REPORT.replace("council's", 'council’s').replace('Critics on the council', '“Critics” on the council')
  const garbled = iconv.decode(Buffer.from(typographic, 'utf8'), 'gbk').replace('in the morning', 'inthe morning')
  assert.notEqual(garbled, typographic)
  assert.match(garbled, /鈥/)
  const c = compareToOriginal({
    original: { title: 'Night ferry approved', text: typographic },
    copy: { title: 'Night ferry approved', text: garbled.replace(/\n/g, ' ') },
  })
  assert.deepEqual({ added: c.added, removed: c.removed, injected: c.injected, truncated: c.truncated, shared: c.shared },
    { added: [], removed: [], injected: [], truncated: false, shared: 1 })
})

test('lists stay bounded while counts say how many there were', () => {
  const extra = Array.from({ length: 30 }, (_, i) => `Extra paragraph number ${i + 1} talks about something unrelated like weather ${i * 7}.`).join('\n')
  const c = compareToOriginal({ original: { title: 't', text: REPORT }, copy: { title: 't', text: `${REPORT}\n${extra}` } })
  assert.equal(c.added.length, MAX_LISTED)
  assert.equal(c.addedCount, 30)
})
