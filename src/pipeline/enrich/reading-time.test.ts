import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readingMinutes } from './reading-time.js'

test('reading time: about 230 words a minute, at least one minute, nothing for no words', () => {
  assert.equal(readingMinutes('A short note.'), 1)
  assert.equal(readingMinutes(Array.from({ length: 1150 }, (_, i) => `word${i}`).join(' ')), 5)
  assert.equal(readingMinutes(''), 0)
  assert.equal(readingMinutes(' \n — '), 0)
})

test('reading time: Chinese and Japanese are counted in characters, not in space-separated words', () => {
  const ja = '東京都は新しい橋の建設を発表した。'.repeat(60) // 17 characters × 60 = 1,020 characters, no spaces
  assert.equal(readingMinutes(ja, 'ja'), 2)
})
