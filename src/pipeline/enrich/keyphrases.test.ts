import { test } from 'node:test'
import assert from 'node:assert/strict'
import { extractKeyphrases, hashtagsFrom, stopwordShare } from './keyphrases.js'

// Our own invented story.
const TITLE = 'Harbour city bans cruise ships after pollution protests'
const TEXT = `The harbour city of Port Ellery will ban large cruise ships from its old port from next summer, the council decided on Thursday.
Residents had protested for months against pollution from the cruise ships, which burn heavy fuel while they wait in the harbour.
"The air in the old town was unbreathable," said Marta Vensel, who led the protests. Pollution readings near the harbour were three times the national limit.
Tour operators warned that the ban would cost jobs. The council said cruise ships could still anchor outside the harbour and bring passengers in by ferry.
The decision makes Port Ellery the third harbour city in the region to restrict cruise ships, after protests over pollution and overcrowding.`

test('keyphrases of a news story name what it is about, best first, without stop-words or numbers', () => {
  const kp = extractKeyphrases({ title: TITLE, text: TEXT, lang: 'en' })
  assert.ok(kp.length > 0 && kp.length <= 10)
  const lower = kp.map((k) => k.toLowerCase())
  for (const want of ['harbour', 'pollution', 'cruise']) assert.ok(lower.slice(0, 6).some((k) => k.includes(want)), `${want} in ${kp.join(', ')}`)
  for (const junk of ['the', 'said', 'three', 'which', 'thursday']) assert.ok(!lower.includes(junk), `${junk} in ${kp.join(', ')}`)
  assert.equal(new Set(lower).size, lower.length)
  // "ships" and "ship" are one term.
  assert.ok(!(lower.includes('ship') && lower.includes('ships')))
})

test('max is honoured, and empty input gives nothing', () => {
  assert.equal(extractKeyphrases({ title: TITLE, text: TEXT }, { max: 3 }).length, 3)
  assert.deepEqual(extractKeyphrases({ title: null, text: '' }), [])
  assert.deepEqual(extractKeyphrases({ title: null, text: '12 34 , . !' }), [])
})

test('German, French and Spanish text gives content words, not function words', () => {
  const rows: [string, string, string, string[], string[]][] = [
    ['de', 'Hafenstadt verbietet Kreuzfahrtschiffe', 'Die Hafenstadt verbietet große Kreuzfahrtschiffe im alten Hafen. Die Anwohner hatten monatelang gegen die Luftverschmutzung durch die Kreuzfahrtschiffe protestiert. Der Stadtrat sagte, die Kreuzfahrtschiffe dürften vor dem Hafen ankern.', ['kreuzfahrtschiffe'], ['die', 'der', 'dem']],
    ['fr', 'La ville portuaire interdit les paquebots', "La ville portuaire interdira les grands paquebots dans le vieux port. Les habitants protestaient depuis des mois contre la pollution des paquebots. Le conseil a dit que les paquebots pourraient mouiller hors du port.", ['paquebots'], ['les', 'le', 'la', 'des']],
    ['es', 'La ciudad portuaria prohíbe los cruceros', 'La ciudad portuaria prohibirá los grandes cruceros en el puerto viejo. Los vecinos protestaron durante meses contra la contaminación de los cruceros. El ayuntamiento dijo que los cruceros podrán fondear fuera del puerto.', ['cruceros'], ['los', 'el', 'la', 'que']],
  ]
  for (const [lang, title, text, want, junk] of rows) {
    for (const l of [lang, null]) {
      const kp = extractKeyphrases({ title, text, lang: l }).map((k) => k.toLowerCase())
      for (const w of want) assert.ok(kp.slice(0, 3).includes(w), `${lang}/${l}: ${kp.join(', ')}`)
      for (const j of junk) assert.ok(!kp.includes(j), `${lang}/${l}: ${j} in ${kp.join(', ')}`)
    }
  }
})

test('CJK text gives words, not single characters or particles', () => {
  const kp = extractKeyphrases({ title: '港町がクルーズ船を禁止', text: '港町はクルーズ船の入港を来年から禁止する。住民は大気汚染に抗議していた。クルーズ船の大気汚染は深刻だった。', lang: 'ja' })
  assert.ok(kp.length > 0)
  assert.ok(kp.some((k) => k.includes('クルーズ')), kp.join(', '))
  for (const k of kp) assert.ok([...k].length >= 2 && !/^[\p{Script=Hiragana}]+$/u.test(k), k)
  assert.ok(extractKeyphrases({ title: '港口城市禁止游轮', text: '港口城市将禁止大型游轮进入老港。居民抗议游轮造成的空气污染。', lang: 'zh' }).length > 0)
})

test('stop-word share tells English from German', () => {
  const en = 'The council said that the ships would not be allowed in the harbour from next year.'
  assert.ok(stopwordShare(en, 'en') > stopwordShare(en, 'de'))
  assert.equal(stopwordShare(en, 'xx'), 0)
})

test('hashtags are a few clean readable labels, one per slug', () => {
  const tags = hashtagsFrom(['climate change', 'Climate Change', 'the', '2026', 'Nike', 'said', 'a very long phrase that nobody would ever use as a tag', 'x', 'people', 'electric cars', 'batteries', 'Norway', 'charging'])
  assert.deepEqual(tags.map((t) => t.label), ['Climate change', 'Nike', 'Electric cars', 'Batteries', 'Norway', 'Charging'])
  assert.deepEqual(tags[0], { slug: 'climate-change', label: 'Climate change' })
  assert.equal(hashtagsFrom(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => `${x}${x}${x}word`), { max: 2 }).length, 2)
})

test('with entities, part of a name becomes the full name, once', () => {
  const tags = hashtagsFrom(['Vensel', 'harbour', 'Marta', 'Ellery'], { entities: { people: ['Marta Vensel'], organizations: [], places: ['Port Ellery'] } })
  assert.deepEqual(tags.map((t) => t.label), ['Marta Vensel', 'Harbour', 'Port Ellery'])
})
