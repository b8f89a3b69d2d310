import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_DUPLICATE_POLICY, DedupIndex, fingerprint } from './dedup-index.js'
import { LshIndex, minhash } from './minhash.js'
import { mix32 } from './shingles.js'

// One invented local report (no real publisher's text), in the shapes it reaches us in.
const TITLE = 'Harbour council approves £48m tidal barrier for Wrenfield after record surge'
const BODY = [
  'Wrenfield’s harbour council voted 9 to 2 on Tuesday evening to build a tidal barrier across the mouth of the Calder estuary, three months after a record storm surge flooded more than 340 homes in the lower town.',
  'The £48 million scheme, drawn up by the engineering firm Ostler & Pike, will place six steel gates between the old lighthouse and the ferry slipway. Work is due to begin next spring and should take about four years, during which the ferry will run from a temporary pontoon.',
  'Council leader Imogen Hartley said the decision was overdue. “We cannot ask families to bail out their kitchens every winter and call it resilience,” she told the meeting, which ran past midnight.',
  'Opponents, led by the fishing co-operative, argued that the gates would silt up the channel and cut the number of days boats can leave harbour. Its chair, Declan Morrow, said members would study the plans before deciding whether to seek a judicial review.',
  'The regional flood agency has promised to pay 60 per cent of the cost, with the rest coming from a levy on harbour dues and a government resilience grant. An independent review of the sediment modelling will be published in June.',
  'Residents who lost property in the January surge are still waiting for the final round of compensation payments, which the council said would be made before the end of the month.',
]
const GAZETTE_HEADER = 'Wrenfield Gazette | Local news | Subscribe from £1 a week'
const GAZETTE_FOOTER = 'Copyright 2026 Wrenfield Gazette Media Ltd. All rights reserved. Sign up to our morning newsletter for the day’s top stories, and follow us for breaking news alerts.'
const WIRE_HEADER = 'COASTAL WIRE SYNDICATION — filed 06:40 GMT — for immediate release'
const WIRE_FOOTER = 'Distributed by Coastal Wire to member outlets under the standard licence. Corrections and queries go to the regional newsdesk; picture rights are sold separately.'

const article = (title: string, paras: string[], header = '', footer = '') => [title, header, ...paras, footer].filter((s) => s !== '').join('\n\n')
const ORIGINAL = article(TITLE, BODY, GAZETTE_HEADER, GAZETTE_FOOTER)

/** The other report: same event, names, numbers and quote; every sentence its own. */
const OTHER_WRITER = article('Wrenfield to get six-gate flood barrier despite fishermen’s fears', [
  'Fishing crews in Wrenfield fear for their livelihoods after councillors backed a £48m barrier on the Calder estuary by 9 votes to 2.',
  'The storm in January left 340 homes under water and prompted months of argument over how to protect the lower town. Engineers from Ostler & Pike propose six gates, anchored near the lighthouse, to be closed whenever a surge is forecast.',
  '“We cannot ask families to bail out their kitchens every winter and call it resilience,” Imogen Hartley, who leads the council, said after the vote.',
  'Declan Morrow of the fishing co-operative warned that silt could build up behind the structure. A legal challenge has not been ruled out, he said, and skippers will meet on Friday to discuss their options.',
  'Sixty per cent of the money is expected from the flood agency. Construction could start in the spring and last four years, with a sediment study due in June.',
], 'Marsh Coast Radio news online', 'Listen to Marsh Coast Radio on 97.4 FM. Send us your stories and photographs through the website.')

function indexed(text = ORIGINAL): DedupIndex<string> {
  const index = new DedupIndex<string>()
  index.add('gazette-1', fingerprint(text))
  // a few unrelated items, so that a match is picked out of several candidates
  index.add('sport-7', fingerprint(article('Rovers hold Athletic to goalless draw', ['Rovers held Athletic to a goalless draw on Saturday in front of a crowd of 5,200, with both goalkeepers making late saves in a scrappy second half.', 'The result keeps Rovers fourth in the table, two points clear of the play-off places, while Athletic remain without a win in six league matches.'])))
  index.add('arts-3', fingerprint(article('Library reopens after roof repairs', ['The central library reopened on Monday after eight months of roof repairs, with a new reading room on the top floor and longer opening hours on Thursdays.'])))
  return index
}

test('a syndicated copy with other header and footer boilerplate is found', () => {
  const copy = article(TITLE, BODY, WIRE_HEADER, WIRE_FOOTER)
  const match = indexed().lookup(fingerprint(copy))
  assert.equal(match?.key, 'gazette-1')
  assert.ok(match.containment >= 0.7 && match.containment <= 1, `containment ${match.containment}`)
})

test('a copy cut to its first half is found', () => {
  const half = article(TITLE, BODY.slice(0, 3))
  const match = indexed(article(TITLE, BODY)).lookup(fingerprint(half))
  assert.equal(match?.key, 'gazette-1')
  assert.ok(match.containment >= 0.8, `containment ${match.containment}`)
  assert.ok(match.jaccard < 0.8, `a half copy is not a whole copy: jaccard ${match.jaccard}`)
})

test('a copy with an added intro paragraph and a rewritten headline is found', () => {
  const copy = article('Six steel gates: what Wrenfield’s barrier vote means for you', [
    'Our coastal correspondent explains the decision, and what happens next for the people of the lower town and the boats that work from its quay.',
    ...BODY,
  ], WIRE_HEADER, WIRE_FOOTER)
  const match = indexed().lookup(fingerprint(copy))
  assert.equal(match?.key, 'gazette-1')
  assert.ok(match.containment >= 0.7, `containment ${match.containment}`)
})

test('another writer’s report of the same event, sharing names, numbers and a quote, is not a duplicate', () => {
  assert.equal(indexed().lookup(fingerprint(OTHER_WRITER)), null)
})

test('a title-only teaser is never matched, even against its own article', () => {
  const teaser = fingerprint(TITLE)
  assert.ok(teaser.shingles < DEFAULT_DUPLICATE_POLICY.minShingles)
  assert.equal(indexed().lookup(teaser), null)
  const index = new DedupIndex<string>()
  index.add('teaser', teaser)
  assert.equal(index.lookup(fingerprint(ORIGINAL)), null)
})

test('the LSH index and DedupIndex keep finding early entries after growing far past their initial capacity', () => {
  const setOf = (n: number) => Uint32Array.from({ length: 300 }, (_, i) => mix32(n * 1000 + i + 1))
  const lsh = new LshIndex(4)
  const sigs: Uint32Array[] = []
  for (let n = 0; n < 3000; n++) {
    const sig = minhash(setOf(n))
    sigs.push(sig)
    assert.equal(lsh.add(sig), n)
  }
  assert.equal(lsh.size, 3000)
  for (const n of [0, 1, 2, 3, 4, 1000, 2999]) assert.ok(lsh.candidates(sigs[n]!).includes(n), `entry ${n}`)
  // unrelated sets share no band, so the candidates are the entry alone
  assert.deepEqual(lsh.candidates(sigs[17]!), [17])

  const index = new DedupIndex<string>(DEFAULT_DUPLICATE_POLICY, 2)
  index.add('gazette-1', fingerprint(ORIGINAL))
  for (let n = 0; n < 2000; n++) index.add(`filler-${n}`, { signature: minhash(setOf(n)), shingles: 300 })
  assert.equal(index.size, 2001)
  assert.equal(index.lookup(fingerprint(article(TITLE, BODY, WIRE_HEADER, WIRE_FOOTER)))?.key, 'gazette-1')
  assert.equal(index.lookup({ signature: minhash(setOf(1234)), shingles: 300 })?.key, 'filler-1234')
})

test('an index made with no or a nonsensical expected size still grows and finds copies', () => {
  for (const expected of [0, -5, Number.NaN]) {
    const index = new DedupIndex<string>(DEFAULT_DUPLICATE_POLICY, expected)
    index.add('gazette-1', fingerprint(ORIGINAL))
    assert.equal(index.lookup(fingerprint(article(TITLE, BODY, WIRE_HEADER, WIRE_FOOTER)))?.key, 'gazette-1', `expected=${expected}`)
  }
})

test('of two earlier copies the one that best contains the new text is chosen', () => {
  const index = indexed()
  index.add('wire-half', fingerprint(article(TITLE, BODY.slice(0, 3), WIRE_HEADER, WIRE_FOOTER)))
  // the full wire copy wholly contains the wire half (same boilerplate), while the Gazette original has other boilerplate
  const match = index.lookup(fingerprint(article(TITLE, BODY, WIRE_HEADER, WIRE_FOOTER)))
  assert.equal(match?.key, 'wire-half')
  assert.ok(match.containment >= 0.8, `containment ${match.containment}`)
  const gazette = indexed().lookup(fingerprint(article(TITLE, BODY, WIRE_HEADER, WIRE_FOOTER)))
  assert.ok(gazette !== null && gazette.containment < match.containment, `gazette ${gazette?.containment}`)
})
