import { test } from 'node:test'
import assert from 'node:assert/strict'
import { pickTags, tagSlug } from './tags.js'

test('tag slugs are stable across case, spacing and width', () => {
  const rows: [string, string][] = [
    ['Climate Change', 'climate-change'],
    ['  climate   change ', 'climate-change'],
    ['ＴＩＤＩＮＧＳ', 'tidings'],
    ['C++ / Rust', 'c-rust'],
    ['東京', '東京'],
    ['Élections 2026', 'élections-2026'],
  ]
  for (const [label, slug] of rows) assert.equal(tagSlug(label), slug, label)
})

test('tags come from categories then keywords, without duplicates or noise', () => {
  const tags = pickTags({
    categories: ['Transport', 'News', 'World/Asia', 'transport', '2026'],
    keywords: ['Ferries', 'Asia', 'https://example.com/tag/x'],
  })
  assert.deepEqual(tags.map((t) => t.label), ['Transport', 'Asia', 'Ferries'])
  assert.equal(pickTags({ categories: Array.from({ length: 20 }, (_, i) => `t${i}x`), keywords: [] }).length, 8)
})
