import { test } from 'node:test'
import assert from 'node:assert/strict'
import { extractEntities } from './entities.js'

// Invented story with real-world institutions as the kinds of names news carries.
const TEXT = `Prime Minister Keir Starmer met Apple executives in London on Monday, he told Reuters.
Starmer said the Bank of England and the European Commission would review the deal. Tim Cook, chief executive of Apple, flew in from California.
Officials at Goldman Sachs and the University of Oxford declined to comment. NATO was not involved.
Mr Starmer later visited Manchester, where Acme Robotics Ltd builds its machines. "We are pleased," Cook said.`

test('English: people, organisations and places, merged and most mentioned first', () => {
  const e = extractEntities({ title: 'Starmer meets Apple boss in London', text: TEXT, lang: 'en' })
  assert.equal(e.people[0], 'Keir Starmer') // "Starmer", "Mr Starmer" and "Prime Minister Keir Starmer" are one person
  assert.ok(e.people.includes('Tim Cook'))
  assert.ok(!e.people.some((p) => /Starmer/.test(p) && p !== 'Keir Starmer'), e.people.join(', '))
  assert.ok(!e.people.some((p) => /Minister|^Mr/.test(p)), e.people.join(', '))
  for (const o of ['Apple', 'Reuters', 'Bank of England', 'European Commission', 'Goldman Sachs', 'University of Oxford', 'NATO', 'Acme Robotics Ltd']) assert.ok(e.organizations.includes(o), `${o} in ${e.organizations.join(', ')}`)
  assert.equal(e.organizations[0], 'Apple')
  for (const p of ['London', 'California', 'Manchester']) assert.ok(e.places.includes(p), `${p} in ${e.places.join(', ')}`)
  for (const kind of [e.people, e.organizations, e.places]) assert.equal(new Set(kind).size, kind.length)
})

test('the language is guessed when not given, and each list holds at most 8', () => {
  assert.deepEqual(extractEntities({ title: null, text: TEXT }), extractEntities({ title: null, text: TEXT, lang: 'en' }))
  const many = Array.from({ length: 12 }, (_, i) => `Officials at Company${String.fromCharCode(65 + i)} Inc met Mayor Anna Person${String.fromCharCode(65 + i)} in town.`).join(' ')
  const e = extractEntities({ title: null, text: many, lang: 'en' })
  assert.ok(e.organizations.length <= 8 && e.people.length <= 8 && e.places.length <= 8)
})

test('German and French fall back to capitalised runs with cues', () => {
  const de = extractEntities({ title: null, lang: 'de', text: 'Bundeskanzler Olaf Scholz traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron. Die Deutsche Bank und die Universität Heidelberg begrüßten das Treffen. Scholz sagte, die Europäische Kommission werde den Plan prüfen. Auch Vertreter der Siemens AG waren in Paris dabei.' })
  assert.deepEqual(de.people, ['Olaf Scholz', 'Emmanuel Macron'])
  for (const o of ['Deutsche Bank', 'Universität Heidelberg', 'Siemens AG', 'Europäische Kommission']) assert.ok(de.organizations.includes(o), `${o} in ${de.organizations.join(', ')}`)
  assert.deepEqual(de.places, ['Berlin', 'Paris'])
  // German nouns are capitalised: none of them may come out as a name.
  assert.ok(![...de.people, ...de.organizations, ...de.places].some((x) => /Treffen|Plan|Montag|Vertreter/.test(x)))

  const fr = extractEntities({ title: null, lang: 'fr', text: "Le président Emmanuel Macron a rencontré lundi à Paris le chancelier Olaf Scholz. La Banque de France et l'Université de Lyon ont salué la rencontre. Macron a déclaré que le plan serait examiné." })
  assert.deepEqual(fr.people, ['Emmanuel Macron', 'Olaf Scholz'])
  assert.ok(fr.organizations.includes('Banque de France') && fr.organizations.includes('Université de Lyon'))
  assert.deepEqual(fr.places, ['Paris'])
})

test('CJK and text without names give empty lists, not noise', () => {
  const empty = { people: [], organizations: [], places: [] }
  assert.deepEqual(extractEntities({ title: '東京で会議', text: '岸田首相は月曜日、東京でアップルの幹部と会談した。', lang: 'ja' }), empty)
  assert.deepEqual(extractEntities({ title: null, text: '' }), empty)
  assert.deepEqual(extractEntities({ title: null, text: 'it rained all day and nobody went out.' }), empty)
})
