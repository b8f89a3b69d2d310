import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ArticleInput } from '../domain/types.js'
import type { Store } from '../store/store.js'
import { openStore } from '../store/open-store.js'
import { createStoryDesk, type StoryDeskEvent } from './story-desk.js'

// Invented reports: one event told by a wire service (and copied by others), one unrelated.
const DAM = [
  'Engineers at the Lake Orrin dam opened two of its five spillway gates on Tuesday morning after three days of heavy rain raised the reservoir to within a metre of its crest.',
  'The regional water authority said the release of about 240 cubic metres a second would lower the lake by half a metre before the weekend.',
  'Residents of Velden and Marrow Creek, the two villages downstream, were told to keep away from the riverbanks and to move cars parked on the low road by the old mill.',
  'Authority spokeswoman Ilse Brandt said the dam itself was sound and that the gates were opened as a precaution, not because of any damage to the structure.',
  'The last controlled release at Lake Orrin was in 2019, when a single gate was opened for eleven hours during a spring thaw.',
].join('\n')
/** The same event, written by someone else: it shares names and figures, not sentences. */
const DAM_FOLLOW = [
  'In Velden, sandbags were stacked outside the pharmacy and the primary school on Tuesday as water began to pour from the Lake Orrin spillway.',
  'Farmers along Marrow Creek moved sheep to higher fields while the river rose steadily through the afternoon, though it stayed inside its banks.',
  'Ilse Brandt of the regional water authority told listeners the two open gates at the Lake Orrin dam would stay open until Friday at the earliest.',
  'Older residents compared the scene with 2019, when one gate was opened, and said this time the river was louder and browner.',
].join('\n')
const INTRO = 'This report was first published by the Northern Wire Service and is republished with permission.\n'
const BAKERY = [
  'A bakery in the old town of Kestrel Bay won the national sourdough prize on Saturday, beating forty-one entries from across the country.',
  'Owner Tomas Reyes, who opened the shop in a former post office six years ago, said the winning loaf uses a starter his grandmother kept alive for decades.',
  'The judges praised its open crumb and the dark, blistered crust, and said it was the first time a bakery from the coast had taken the title.',
  'Reyes plans to spend the prize money on a second oven so that the queue outside the shop on weekend mornings moves a little faster.',
].join('\n')

const T = '2026-11-22T09:00:00.000Z'

function input(sourceId: number, guid: string, title: string, text: string, published: string | null): ArticleInput {
  return {
    sourceId, guid, url: `https://s${sourceId}.example/${guid}`, canonicalUrl: null, title, author: null, published, updated: null,
    lang: 'en', summary: null, blocks: text.split('\n').map((t) => ({ type: 'p' as const, text: t })), text, html: '', leadImage: null,
    captions: [], altLinks: [], tags: [], itemHash: guid, extractError: null, cleanup: null,
  }
}

async function setup() {
  const store = await openStore('sqlite::memory:')
  const wire = (await store.addSource({ kind: 'feed', url: 'https://wire.example/feed', title: 'Northern Wire' }, T)).source
  const paper = (await store.addSource({ kind: 'feed', url: 'https://paper.example/feed', title: 'Valley Paper' }, T)).source
  const radio = (await store.addSource({ kind: 'feed', url: 'https://radio.example/feed', title: 'Radio Orrin' }, T)).source
  const clock = { now: new Date('2026-11-22T12:00:00.000Z') }
  const events: StoryDeskEvent[] = []
  const desk = () => createStoryDesk({ store, now: () => clock.now, log: (e) => events.push(e) })
  return { store, wire, paper, radio, clock, events, desk }
}

/** Stores an article and hands it to the desk, as ingest does. */
async function ingest(store: Store, desk: ReturnType<typeof createStoryDesk>, a: ArticleInput, fetchedAt: string) {
  const { id } = await store.saveArticle(a, fetchedAt)
  const placed = await desk.place({ id, sourceId: a.sourceId, title: a.title, text: a.text, published: a.published, fetchedAt })
  return { id, placed }
}

test('two copies of one report share a story, the later marked as a copy; another report stays apart', async () => {
  const { store, wire, paper, desk: make } = await setup()
  const desk = make()
  assert.equal(await desk.hydrate(), 0)
  const original = await ingest(store, desk, input(wire.id, 'w1', 'Lake Orrin dam opens spillway gates after heavy rain', DAM, '2026-11-22T08:00:00.000Z'), T)
  const copy = await ingest(store, desk, input(paper.id, 'p1', 'Dam gates opened as Lake Orrin nears its crest', INTRO + DAM, '2026-11-22T08:30:00.000Z'), T)
  const other = await ingest(store, desk, input(paper.id, 'p2', 'Kestrel Bay bakery wins national sourdough prize', BAKERY, '2026-11-22T08:40:00.000Z'), T)

  assert.deepEqual(original.placed, { storyId: original.id, duplicateOf: null })
  assert.deepEqual(copy.placed, { storyId: original.id, duplicateOf: original.id })
  assert.deepEqual(other.placed, { storyId: other.id, duplicateOf: null })
  const story = await store.getStory(original.id)
  assert.equal(story?.title, 'Lake Orrin dam opens spillway gates after heavy rain')
  assert.deepEqual(story?.members.map((m) => [m.sourceTitle, m.duplicateOf, m.placedBy]), [
    ['Northern Wire', null, 'content'], ['Valley Paper', original.id, 'duplicate'],
  ])
  assert.equal(story?.sourceCount, 2)
  assert.equal((await store.getArticle(copy.id))?.duplicateOf, original.id)
  assert.equal((await store.getStory(other.id))?.articleCount, 1)
  await store.close()
})

test('placements made at once are written in the order they were made', async () => {
  const { store, wire, paper, radio, desk: make } = await setup()
  const desk = make()
  const saved = await Promise.all([
    store.saveArticle(input(wire.id, 'w1', 'Lake Orrin dam opens spillway gates', DAM, '2026-11-22T08:00:00.000Z'), T),
    store.saveArticle(input(paper.id, 'p1', 'Dam gates opened at Lake Orrin', INTRO + DAM, '2026-11-22T08:30:00.000Z'), T),
    store.saveArticle(input(radio.id, 'r1', 'Orrin gates open', DAM, '2026-11-22T08:45:00.000Z'), T),
  ])
  const texts = [DAM, INTRO + DAM, DAM]
  // As ingest stores items concurrently: every place call starts before any write is done.
  const placed = await Promise.all(saved.map((s, i) => desk.place({ id: s.id, sourceId: 0, title: 'x', text: texts[i]!, published: null, fetchedAt: T })))
  const first = saved[0]!.id
  assert.deepEqual(placed.map((p) => p?.storyId), [first, first, first])
  assert.equal((await store.getStory(first))?.articleCount, 3)
  assert.equal(await desk.place({ id: first, sourceId: 0, title: 'x', text: DAM, published: null, fetchedAt: T }), null, 'placed once only')
  await store.close()
})

test('a copy that arrives while a restarted desk is still rebuilding waits for it and joins its original', async () => {
  const { store, wire, radio, desk: make } = await setup()
  const original = await ingest(store, make(), input(wire.id, 'w1', 'Lake Orrin dam opens spillway gates after heavy rain', DAM, '2026-11-22T08:00:00.000Z'), T)
  const after = make() // a restart: the rebuild runs in the background while ingest goes on
  const rebuilt = after.hydrate()
  assert.equal(after.rebuilding(), true)
  const copy = await ingest(store, after, input(radio.id, 'r1', 'Spillway gates open at Orrin', `${DAM}\nMore on our morning programme.`, '2026-11-22T10:00:00.000Z'), T)
  await rebuilt
  assert.equal(after.rebuilding(), false)
  await after.idle()
  // Placed once, by the placement or by the rebuild that read it from the store, against the rebuilt memory.
  const story = await store.getStory(original.id)
  assert.deepEqual(story?.members.map((m) => [m.id, m.duplicateOf]), [[original.id, null], [copy.id, original.id]])
  await after.idle()
  await store.close()
})

test('a fresh desk hydrated from the store puts a third copy in the same story', async () => {
  const { store, wire, paper, radio, desk: make } = await setup()
  const before = make()
  const original = await ingest(store, before, input(wire.id, 'w1', 'Lake Orrin dam opens spillway gates after heavy rain', DAM, '2026-11-22T08:00:00.000Z'), T)
  const copy = await ingest(store, before, input(paper.id, 'p1', 'Dam gates opened as Lake Orrin nears its crest', INTRO + DAM, '2026-11-22T08:30:00.000Z'), T)
  await ingest(store, before, input(paper.id, 'p2', 'Kestrel Bay bakery wins national sourdough prize', BAKERY, '2026-11-22T08:40:00.000Z'), T)

  const after = make() // a restart
  assert.equal(await after.hydrate(), 3)
  const third = await ingest(store, after, input(radio.id, 'r1', 'Spillway gates open at Orrin', `${DAM}\nListeners can follow updates on our morning programme.`, '2026-11-22T10:00:00.000Z'), T)
  assert.equal(third.placed?.storyId, original.id)
  assert.equal(third.placed?.duplicateOf, original.id, 'a copy of a copy names the first of the group')
  const story = await store.getStory(original.id)
  assert.deepEqual(story?.members.map((m) => m.id), [original.id, copy.id, third.id])
  assert.equal(story?.sourceCount, 3)
  await store.close()
})

test('hydrating places the articles that were never placed', async () => {
  const { store, wire, paper, desk: make } = await setup()
  const a = await store.saveArticle(input(wire.id, 'w1', 'Lake Orrin dam opens spillway gates', DAM, '2026-11-22T08:00:00.000Z'), T)
  const b = await store.saveArticle(input(paper.id, 'p1', 'Dam gates opened at Lake Orrin', INTRO + DAM, '2026-11-22T08:30:00.000Z'), T)
  const old = await store.saveArticle(input(paper.id, 'p0', 'Kestrel Bay bakery wins', BAKERY, '2026-11-01T08:00:00.000Z'), '2026-11-01T09:00:00.000Z')
  assert.equal(await make().hydrate(), 2, 'only the window is read')
  assert.deepEqual((await store.getStory(a.id))?.members.map((m) => m.id), [a.id, b.id])
  assert.equal((await store.getArticle(old.id))?.storyId, null)
  await store.close()
})

test('split and merge are kept by the store and by a desk rebuilt from it', async () => {
  const { store, wire, paper, radio, desk: make } = await setup()
  const desk = make()
  const original = await ingest(store, desk, input(wire.id, 'w1', 'Lake Orrin dam opens spillway gates after heavy rain', DAM, '2026-11-22T08:00:00.000Z'), T)
  const follow = await ingest(store, desk, input(radio.id, 'r1', 'Velden braces as Lake Orrin gates open', DAM_FOLLOW, '2026-11-22T08:20:00.000Z'), T)
  const bakery = await ingest(store, desk, input(paper.id, 'p2', 'Kestrel Bay bakery wins national sourdough prize', BAKERY, '2026-11-22T08:40:00.000Z'), T)
  assert.deepEqual(follow.placed, { storyId: original.id, duplicateOf: null }, 'joined by content')

  assert.deepEqual(await desk.split(follow.id), { fromStory: original.id, toStory: follow.id })
  assert.equal(await desk.merge(bakery.id, original.id), true)
  const fresh = make() // a restart
  assert.equal(await fresh.hydrate(), 3)
  assert.deepEqual((await store.getStory(original.id))?.members.map((m) => m.id), [original.id, bakery.id], 'hydrating changed nothing')
  assert.deepEqual((await store.getStory(follow.id))?.members.map((m) => m.id), [follow.id])
  assert.equal(await store.getStory(bakery.id), null)

  // A copy of the merged report follows it into the story it was merged into.
  const bakeryCopy = await ingest(store, fresh, input(paper.id, 'p3', 'Kestrel Bay bakery wins national sourdough prize', `${BAKERY}\nThe shop opens at seven.`, '2026-11-22T09:30:00.000Z'), T)
  assert.deepEqual(bakeryCopy.placed, { storyId: original.id, duplicateOf: bakery.id })
  const wireCopy = await ingest(store, fresh, input(paper.id, 'p4', 'Lake Orrin dam opens spillway gates after heavy rain', INTRO + DAM, '2026-11-22T09:40:00.000Z'), T)
  assert.deepEqual(wireCopy.placed, { storyId: original.id, duplicateOf: original.id })
  assert.deepEqual((await store.storyDecisions(original.id)).map((d) => d.kind), ['merge', 'split'])
  await store.close()
})

// StoryClusterer.add with `forced` naming a story it does not hold yet searches the other stories
// instead of starting that one (cluster/story-clusterer.ts), so a restored article that an operator
// split off is folded back into the story it was split from, in memory: its copies then go there.
test('a copy of an article split off follows it after a rebuild', async () => {
  const { store, wire, radio, paper, desk: make } = await setup()
  const desk = make()
  const original = await ingest(store, desk, input(wire.id, 'w1', 'Lake Orrin dam opens spillway gates after heavy rain', DAM, '2026-11-22T08:00:00.000Z'), T)
  const follow = await ingest(store, desk, input(radio.id, 'r1', 'Velden braces as Lake Orrin gates open', DAM_FOLLOW, '2026-11-22T08:20:00.000Z'), T)
  assert.equal(follow.placed?.storyId, original.id)
  await desk.split(follow.id)
  const copy = await ingest(store, desk, input(paper.id, 'p1', 'Velden braces as Lake Orrin gates open', `${DAM_FOLLOW}\nFirst broadcast on Radio Orrin.`, '2026-11-22T09:00:00.000Z'), T)
  assert.deepEqual(copy.placed, { storyId: follow.id, duplicateOf: follow.id })
  await store.close()
})

test('an article with nothing to read, or deleted before placement, is logged and skipped', async () => {
  const { store, wire, events, desk: make } = await setup()
  const desk = make()
  const empty = await store.saveArticle(input(wire.id, 'w0', '  ', '\n', null), T)
  assert.equal(await desk.place({ id: empty.id, sourceId: wire.id, title: '  ', text: '\n', published: null, fetchedAt: T }), null)
  const weird = { id: 999, sourceId: wire.id, title: null, text: 42, published: 'not a date', fetchedAt: 'never' } as never
  assert.equal(await desk.place(weird), null)
  const gone = await store.saveArticle(input(wire.id, 'w1', 'Dam', DAM, null), T)
  await store.deleteArticle(gone.id, T)
  assert.equal(await desk.place({ id: gone.id, sourceId: wire.id, title: 'Dam', text: DAM, published: null, fetchedAt: T }), null)
  assert.deepEqual(events.map((e) => e.articleId), [empty.id, 999, gone.id])
  assert.match(events[2]!.message, /not stored/)
  // The desk goes on.
  const next = await store.saveArticle(input(wire.id, 'w2', 'Bakery', BAKERY, null), T)
  assert.equal((await desk.place({ id: next.id, sourceId: wire.id, title: 'Bakery', text: BAKERY, published: null, fetchedAt: T }))?.storyId, next.id)
  await store.close()
})
