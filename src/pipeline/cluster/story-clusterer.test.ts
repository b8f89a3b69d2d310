import { test } from 'node:test'
import assert from 'node:assert/strict'
import { StoryClusterer, DEFAULT_CLUSTER_POLICY } from './story-clusterer.js'

// Invented reports: two look-alike events (two ferry groundings in one region) and an unrelated one.
const H = 3_600_000
const T0 = Date.UTC(2026, 10, 2, 8)
const ferryA = [
  { key: 'a1', title: 'Ferry Marisol runs aground off Kelvar Island', text: 'The ferry Marisol ran aground off Kelvar Island on Tuesday with 212 passengers aboard. The coast guard said Captain Ines Varga reported a loss of steering near the Kelvar lighthouse. No injuries were reported and tugs from Port Alden were sent.' },
  { key: 'a2', title: 'Passengers taken off grounded Marisol near Kelvar', text: 'Rescue boats took 212 passengers off the ferry Marisol after it grounded near Kelvar Island. Captain Ines Varga stayed aboard. Tugs from Port Alden will try to refloat the Marisol at high tide, the coast guard said.' },
  { key: 'a3', title: 'Marisol refloated at Kelvar, inquiry opened', text: 'Tugs from Port Alden refloated the ferry Marisol off Kelvar Island on Wednesday. The maritime authority opened an inquiry into the steering failure reported by Captain Ines Varga. All 212 passengers had been landed safely.' },
]
const ferryB = [
  { key: 'b1', title: 'Ferry Nordhavn grounds in fog at Tessel Sound', text: 'The ferry Nordhavn grounded in thick fog in Tessel Sound on Thursday with 87 passengers aboard. The coast guard said Captain Oskar Lind had reduced speed. Tugs from Brannock were sent and no injuries were reported.' },
  { key: 'b2', title: 'Nordhavn passengers ashore after Tessel Sound grounding', text: 'All 87 passengers of the Nordhavn were brought ashore at Brannock after the ferry grounded in Tessel Sound. Captain Oskar Lind said the fog came in within minutes. The coast guard will inspect the hull.' },
]
const other = { key: 'c1', title: 'City council approves new library budget', text: 'The city council approved a budget for the new central library on Monday. Construction by the firm Halden Works starts in spring, and the mayor said the reading rooms will open in two years.' }

function run(order: typeof ferryA, policy = DEFAULT_CLUSTER_POLICY) {
  const c = new StoryClusterer<string, string>((k) => k, policy)
  const out = new Map<string, string>()
  order.forEach((a, i) => out.set(a.key, c.add({ ...a, time: T0 + i * H }).story))
  return { c, out }
}

test('articles on one event share a story; a look-alike event and an unrelated report get their own', () => {
  const { out } = run([...ferryA, ...ferryB, other])
  assert.equal(out.get('a2'), out.get('a1'))
  assert.equal(out.get('a3'), out.get('a1'))
  assert.equal(out.get('b2'), out.get('b1'))
  assert.notEqual(out.get('b1'), out.get('a1'))
  assert.notEqual(out.get('c1'), out.get('a1'))
  assert.notEqual(out.get('c1'), out.get('b1'))
})

test('explain names the shared entities and words', () => {
  const { c, out } = run(ferryA)
  const why = c.explain(ferryA[2]!, out.get('a1')!)
  assert.ok(why.entities.includes('marisol'), why.entities.join(','))
  assert.ok(why.entities.some((e) => e.includes('kelvar')), why.entities.join(','))
  assert.ok(why.terms.includes('ferry') || why.terms.includes('tug'), why.terms.join(','))
})

test('a story closes after its window: the same event much later starts a new story', () => {
  const c = new StoryClusterer<string, string>((k) => k, { ...DEFAULT_CLUSTER_POLICY, windowHours: 24 })
  const first = c.add({ ...ferryA[0]!, time: T0 }).story
  c.add({ ...other, time: T0 + 30 * H })
  const late = c.add({ ...ferryA[1]!, time: T0 + 60 * H })
  assert.equal(late.started, true)
  assert.notEqual(late.story, first)
})

test('operator decisions: forced joins a given story, avoid keeps an article out of one', () => {
  const c = new StoryClusterer<string, string>((k) => k)
  const a = c.add({ ...ferryA[0]!, time: T0 }).story
  const forced = c.add({ ...other, time: T0 + H }, { forced: a })
  assert.equal(forced.story, a)
  const kept = c.add({ ...ferryA[1]!, time: T0 + 2 * H }, { avoid: new Set([a]) })
  assert.notEqual(kept.story, a)
})

test('forced to a story that is not open starts that story (rebuilding after a split)', () => {
  const c = new StoryClusterer<string, string>((k) => k)
  const a = c.add({ ...ferryA[0]!, time: T0 }).story
  const split = c.add({ ...ferryA[1]!, time: T0 + H }, { forced: 'split-1' })
  assert.equal(split.story, 'split-1')
  assert.notEqual(split.story, a)
})
