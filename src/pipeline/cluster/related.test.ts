import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ArticleSummary } from '../../domain/types.js'
import { rankRelated } from './related.js'

const card = (id: number, sourceId: number, title: string, excerpt: string, tags: string[] = []): ArticleSummary => ({
  id, sourceId, sourceTitle: `S${sourceId}`, url: `https://x.example/${id}`, title, authorName: null,
  published: `2026-11-2${id % 10}T00:00:00.000Z`, fetchedAt: '2026-11-21T00:00:00.000Z', lang: 'en', leadImage: null,
  excerpt, tags: tags.map((t) => ({ slug: t, label: t })),
})

test('related articles: shared tags first, then shared words; unrelated ones left out, with reasons', () => {
  const subject = {
    id: 1, sourceId: 1, title: 'Marathon shoe weighs only 129 grams',
    text: 'The running shoe maker unveiled a marathon racing shoe with a new foam midsole.', tags: [{ slug: 'running', label: 'running' }, { slug: 'shoes', label: 'shoes' }],
  }
  const picks = rankRelated(subject, [
    card(2, 2, 'Council passes budget', 'The council approved the city budget.', []),
    card(3, 3, 'Rival brand stock slides', 'Shares of the running brand fell.', ['running']),
    card(4, 2, 'New marathon record set', 'A runner set a marathon record wearing racing shoe prototypes with foam.', []),
    card(5, 1, 'Shoe maker expands', 'Running shoe maker opens a factory.', ['running', 'shoes']),
    card(1, 1, 'Marathon shoe weighs only 129 grams', 'self', ['running', 'shoes']),
  ], { limit: 10 })
  assert.deepEqual(picks.map((p) => p.article.id), [5, 3, 4])
  assert.deepEqual(picks[0]?.reasons.sharedTags, ['running', 'shoes'])
  assert.equal(picks[0]?.reasons.sameSource, true)
  assert.ok(picks[2]?.reasons.sharedWords.includes('marathon'))
})

const member = (c: ArticleSummary, duplicateOf: number | null) => ({ ...c, duplicateOf })

test('related articles: the story first (originals before copies), then related stories, then more from the source, each with its reason', () => {
  const subject = {
    id: 10, sourceId: 1, title: 'Ferry line reopens after storm repairs',
    text: 'The Harbor Ferry Company restarted the east pier crossing after six weeks of repairs.', tags: [{ slug: 'transport', label: 'transport' }],
  }
  // Story: 10 (subject, original of its group), 11 and 12 copy 10; 13 is independent coverage; 14 copies 13.
  const story = {
    members: [
      member(card(10, 1, subject.title, subject.text, ['transport']), null),
      member(card(11, 2, 'Harbor ferry back in service', 'The Harbor Ferry Company restarted the east pier crossing.'), 10),
      member(card(13, 3, 'East pier crossing resumes', 'Harbor Ferry Company boats sail again.'), null),
      member(card(12, 4, 'Ferry returns', 'The Harbor Ferry Company restarted the crossing.'), 10),
      member(card(14, 5, 'Crossing resumes', 'Harbor Ferry Company boats sail again.'), 13),
    ],
  }
  const picks = rankRelated(subject, [
    { ...card(20, 6, 'Harbor Ferry Company orders two new boats', 'The operator ordered boats.'), storyId: 20 },
    { ...card(21, 6, 'New engines for the boats', 'The Harbor Ferry Company boats get engines.'), storyId: 20 }, // the same other story: one card, its best
    card(22, 7, 'Bus fares rise in spring', 'Fares go up.', ['transport']),
    card(23, 1, 'Council weighs library hours', 'The council met.'), // same source, unrelated
    card(24, 1, 'Bakery wins prize', 'A bakery won.'),
    card(25, 1, 'Market opens', 'Stalls open.'),
    card(11, 2, 'Harbor ferry back in service', 'dup of a story member'),
  ], { limit: 8, story })
  assert.deepEqual(picks.map((p) => [p.article.id, p.reasons.kind]), [
    [13, 'same_story'], [11, 'same_story'], [12, 'same_story'], [14, 'same_story'],
    [20, 'related'], [22, 'related'],
    [25, 'same_source'], [24, 'same_source'], // newest first, two at most
  ])
  assert.equal(picks[0]!.reasons.original, true)
  assert.deepEqual([picks[1]!.reasons.original, picks[1]!.reasons.copyOf], [false, 10])
  assert.equal(picks[3]!.reasons.copyOf, 13)
  assert.ok(picks.find((p) => p.article.id === 20)!.reasons.sharedEntities.includes('Harbor Ferry Company'))
  assert.deepEqual(picks.find((p) => p.article.id === 22)!.reasons.sharedTags, ['transport'])
})

test('related articles: a copy sees its original first; provenance may name another member the original', () => {
  const subject = { id: 11, sourceId: 2, title: 'Harbor ferry back in service', text: 'The harbor ferry returned.', tags: [] }
  const members = [
    member(card(10, 1, 'Ferry line reopens', 'The harbor ferry returned.'), null),
    member(card(13, 3, 'East pier crossing resumes', 'Boats sail again.'), null),
    member(card(11, 2, subject.title, subject.text), 10),
    member(card(12, 4, 'Ferry returns', 'The harbor ferry returned.'), 10),
  ]
  const plain = rankRelated(subject, [], { limit: 6, story: { members } })
  assert.deepEqual(plain.map((p) => p.article.id), [10, 13, 12])
  // pickOriginal says 12 is the group's original (say its canonical URL is where the others point).
  const picked = rankRelated(subject, [], { limit: 6, story: { members, originals: [12] } })
  assert.deepEqual(picked.map((p) => [p.article.id, p.reasons.original, p.reasons.copyOf]), [[12, true, null], [13, true, null], [10, false, 12]])
})

test('related articles: the story takes at most half the list while others wait; spare room goes back to it', () => {
  const subject = { id: 1, sourceId: 1, title: 'Quake shakes the coast', text: 'A quake shook the coast.', tags: [{ slug: 'quake', label: 'quake' }] }
  const members = [1, 2, 3, 4, 5, 6].map((id) => member(card(id, id, `Quake shakes the coast ${id}`, 'A quake shook the coast.'), null))
  const others = [30, 31, 32, 33].map((id) => card(id, 9, `Quake aftershock ${id}`, 'Aftershocks.', ['quake']))
  const full = rankRelated(subject, others, { limit: 6, story: { members } })
  assert.deepEqual(full.map((p) => p.reasons.kind), ['same_story', 'same_story', 'same_story', 'related', 'related', 'related'])
  const sparse = rankRelated(subject, others.slice(0, 1), { limit: 6, story: { members } })
  assert.deepEqual(sparse.map((p) => p.reasons.kind), ['same_story', 'same_story', 'same_story', 'same_story', 'same_story', 'related'])
})

test('related articles: a card shares an entity when it names it as written, as a whole word', () => {
  const subject = {
    id: 1, sourceId: 1, title: 'Orchard Systems buys a chip maker',
    text: 'Orchard Systems agreed to buy Lumen Devices, the chip maker, for two billion.', tags: [],
  }
  const picks = rankRelated(subject, [
    card(2, 2, 'Lumen Devices shares jump', 'Investors cheered the deal.'),
    card(3, 3, 'Fruit prices', 'An orchard systems review of apple farming, with lumen devices for greenhouses.'),
    card(4, 4, 'Lumen Devicesworth opens', 'A shop opened.'),
  ], { limit: 10 })
  const shared = new Map(picks.map((p) => [p.article.id, p.reasons.sharedEntities]))
  assert.deepEqual(shared.get(2), ['Lumen Devices'])
  assert.ok(!shared.get(3)?.length, 'the same words in lower case name no entity')
  assert.ok(!shared.get(4)?.length, 'nor does a longer word that starts with it')
})
