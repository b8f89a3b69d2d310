import { test } from 'node:test'
import assert from 'node:assert/strict'
import { askArticle } from './ask.js'
import { ARTICLE } from './testdata/article.js'

const ask = (question: string) => askArticle({ ...ARTICLE, question, lang: 'en' })

test('ask: the answer is the article’s own sentence, quoted with its place in the text', () => {
  const a = ask('How much does the scheme cost?')
  assert.equal(a.found, true)
  assert.ok(a.sentences.some((s) => /£48 million/.test(s.text)), 'a question of cost finds the sum')
  for (const s of a.sentences) assert.equal(ARTICLE.text.slice(s.start, s.end), s.text)
})

test('ask: who, when and why questions find the sentences that say it', () => {
  assert.match(ask('Who leads the council?').sentences.map((s) => s.text).join(' '), /Imogen Hartley/)
  assert.match(ask('When does construction begin?').sentences.map((s) => s.text).join(' '), /next spring/)
  assert.match(ask('Why is the fishing co-operative against the gates?').sentences.map((s) => s.text).join(' '), /silt up the channel/)
})

test('ask: a sentence that goes on from a matching one counts when it holds what is asked (a sum for a cost)', () => {
  const text = 'The council backed a new tidal barrier on Tuesday.\nThe scheme will need £48 million over three years.\nFishing crews said they would study it.'
  const a = askArticle({ title: null, text, question: 'How much will the tidal barrier cost?', lang: 'en' })
  assert.ok(a.sentences.some((s) => /£48 million/.test(s.text)), JSON.stringify(a))
})

test('ask: a question the article does not cover gets “the article does not say”', () => {
  for (const q of ['What did the prime minister say about interest rates?', 'Who won the football match in Madrid?', '', '???']) {
    assert.deepEqual(ask(q), { found: false, sentences: [] }, q)
  }
})

test('ask: at most the requested number of sentences, in article order', () => {
  const a = askArticle({ ...ARTICLE, question: 'Where will the ferry run during construction?', lang: 'en' }, { maxSentences: 2 })
  assert.ok(a.found && a.sentences.length >= 1 && a.sentences.length <= 2)
  assert.match(a.sentences.map((s) => s.text).join(' '), /temporary pier/)
  assert.deepEqual(a.sentences.map((s) => s.index), [...a.sentences.map((s) => s.index)].sort((x, y) => x - y))
})
