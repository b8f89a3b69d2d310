import { test } from 'node:test'
import assert from 'node:assert/strict'
import { splitSentences } from './sentences.js'

const texts = (t: string) => splitSentences(t).map((s) => s.text)

test('sentences: abbreviations, initials, decimals and dotted acronyms do not end a sentence', () => {
  assert.deepEqual(texts('Dr. Ana Ruiz met Mr. J. K. Lowe at 10.30 on Jan. 5. The fare rose 3.5 per cent. Prices in the U.S. rose too.'), [
    'Dr. Ana Ruiz met Mr. J. K. Lowe at 10.30 on Jan. 5.',
    'The fare rose 3.5 per cent.',
    'Prices in the U.S. rose too.',
  ])
})

test('sentences: a closing quote after the stop stays with its sentence; ? and ! end sentences', () => {
  assert.deepEqual(texts('“We will build it.” She left. Why now? Because it flooded!'), ['“We will build it.”', 'She left.', 'Why now?', 'Because it flooded!'])
})

test('sentences: offsets point into the text and paragraphs are counted by newlines', () => {
  const text = 'First one. Second one.\n\nA new paragraph here.'
  const s = splitSentences(text)
  assert.equal(s.length, 3)
  for (const x of s) assert.equal(text.slice(x.start, x.end), x.text)
  assert.deepEqual(s.map((x) => x.paragraph), [0, 0, 1])
  assert.deepEqual(s.map((x) => x.index), [0, 1, 2])
})

test('sentences: Chinese and Japanese full stops end sentences without a following space', () => {
  assert.deepEqual(texts('東京都は橋を建てると発表した。工事は来年始まる。'), ['東京都は橋を建てると発表した。', '工事は来年始まる。'])
})

test('sentences: a lower-case word after a full stop (a tokenisation slip) does not start a sentence; empty text has none', () => {
  assert.equal(texts('He paid approx. twenty pounds for it.').length, 1)
  assert.deepEqual(splitSentences(''), [])
  assert.deepEqual(splitSentences('  \n  '), [])
})
