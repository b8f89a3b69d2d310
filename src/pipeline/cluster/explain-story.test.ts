import { test } from 'node:test'
import assert from 'node:assert/strict'
import { explainStory } from './explain-story.js'

const members = [
  { title: 'Ferry line reopens after storm repairs', text: 'The Harbor Ferry Company restarted the east pier crossing on Monday after repairs took six weeks. Mayor Lena Ortiz rode the first boat.' },
  { title: 'Harbor ferry back in service', text: 'Passengers returned to the east pier crossing as the Harbor Ferry Company resumed trips. Mayor Lena Ortiz called it a relief after six weeks.' },
  { title: 'East pier crossing resumes', text: 'After six weeks of storm repairs, the Harbor Ferry Company is sailing again. Lena Ortiz, the mayor, was aboard.' },
  { title: 'Council weighs library hours', text: 'The council met on Tuesday to discuss opening hours at the library.' },
]

test('why grouped: the names, phrases and words most members share, most shared first', () => {
  const why = explainStory(members)
  assert.equal(why.memberCount, 4)
  const entities = why.entities.map((e) => e.label)
  assert.ok(entities.includes('Harbor Ferry Company'), entities.join(', '))
  assert.equal(why.entities.find((e) => e.label === 'Harbor Ferry Company')?.members, 3)
  assert.ok(!entities.some((e) => ['harbor', 'company', 'ortiz', 'Ferry'].includes(e)), 'parts of a name are not names of their own')
  assert.ok(why.phrases.some((p) => p.label === 'east pier'), why.phrases.map((p) => p.label).join(', '))
  assert.ok(why.phrases.some((p) => p.label === 'Lena Ortiz'), 'a name the entity finder missed still shows, capitalised')
  assert.ok(!why.phrases.some((p) => p.label === 'harbor ferry'), 'a phrase inside a shown name is not repeated')
  assert.ok(why.words.some((w) => w.label === 'mayor'), why.words.map((w) => w.label).join(', '))
  // Only in the unrelated member: not a reason.
  assert.ok(![...why.entities, ...why.phrases, ...why.words].some((t) => /library|council/i.test(t.label)))
  // A word inside a shown name with as many members is not repeated.
  assert.ok(!why.words.some((w) => w.label === 'company'))
  for (const list of [why.entities, why.phrases, why.words]) {
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.members >= list[i]!.members, 'most shared first')
  }
})

test('why grouped: a term must be in most members and at least two; a single article explains nothing', () => {
  assert.deepEqual(explainStory([members[0]!]), { memberCount: 1, entities: [], phrases: [], words: [] })
  const pair = explainStory([members[0]!, members[3]!])
  assert.equal(pair.entities.length + pair.phrases.length, 0)
  const strict = explainStory(members, { minShare: 1 })
  assert.equal(strict.entities.length + strict.phrases.length + strict.words.length, 0, 'nothing is in all four')
})
