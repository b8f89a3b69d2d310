import { test } from 'node:test'
import assert from 'node:assert/strict'
import { summarize } from './summarize.js'
import { ARTICLE } from './testdata/article.js'

test('summary: about three of the article’s own sentences, the lead first, in article order', () => {
  const { summary } = summarize({ ...ARTICLE, lang: 'en' })
  assert.equal(summary.length, 3)
  assert.match(summary[0]!.text, /^Wrenfield’s harbour council voted 9 to 2/)
  for (const s of summary) assert.equal(ARTICLE.text.slice(s.start, s.end), s.text, 'quoted exactly, with its place in the text')
  assert.deepEqual(summary.map((s) => s.index), [...summary.map((s) => s.index)].sort((a, b) => a - b))
})

test('summary: bylines and calls to action are never chosen', () => {
  const { summary, keyPoints } = summarize({ ...ARTICLE, lang: 'en' })
  for (const s of [...summary, ...keyPoints]) assert.doesNotMatch(s.text, /^By Tom Ashby|newsletter/)
})

test('key points: other sentences than the summary, in article order, three to five', () => {
  const { summary, keyPoints } = summarize({ ...ARTICLE, lang: 'en' })
  assert.ok(keyPoints.length >= 3 && keyPoints.length <= 5, String(keyPoints.length))
  const taken = new Set(summary.map((s) => s.index))
  assert.ok(keyPoints.every((k) => !taken.has(k.index)), 'a key point does not repeat the summary')
  assert.deepEqual(keyPoints.map((s) => s.index), [...keyPoints.map((s) => s.index)].sort((a, b) => a - b))
})

test('summary: a near-repeat of a chosen sentence (a caption restating the lead) is skipped', () => {
  const lead = 'The harbour council voted on Tuesday to build a tidal barrier across the Calder estuary after the floods.'
  const text = [lead, `Pictured: the harbour council voted on Tuesday to build a tidal barrier across the Calder estuary after floods.`, ...ARTICLE.text.split('\n').slice(2)].join('\n')
  const { summary } = summarize({ title: ARTICLE.title, text, lang: 'en' })
  assert.equal(summary.filter((s) => /tidal barrier across the Calder/.test(s.text)).length, 1)
})

test('summary: nothing to summarise gives nothing, not an error', () => {
  assert.deepEqual(summarize({ title: null, text: '' }), { summary: [], keyPoints: [] })
  assert.deepEqual(summarize({ title: 'x', text: 'Share this. Click here.' }).summary, [])
})
