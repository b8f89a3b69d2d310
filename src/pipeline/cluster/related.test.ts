import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ArticleSummary } from '../../domain/types.js'
import { rankRelated } from './related.js'

const card = (id: number, sourceId: number, title: string, excerpt: string, tags: string[] = []): ArticleSummary => ({
  id, sourceId, sourceTitle: `S${sourceId}`, url: `https://x.example/${id}`, title, authorName: null,
  published: `2026-11-2${id % 10}T00:00:00.000Z`, fetchedAt: '2026-11-21T00:00:00.000Z', lang: 'en', leadImage: null,
  excerpt, tags: tags.map((t) => ({ slug: t, label: t })),
})

test('related articles: shared tags first, then shared words; unrelated ones left out, with reasons', () => {
  const subject = {
    id: 1, sourceId: 1, title: 'Marathon shoe weighs only 129 grams',
    text: 'The running shoe maker unveiled a marathon racing shoe with a new foam midsole.', tags: [{ slug: 'running', label: 'running' }, { slug: 'shoes', label: 'shoes' }],
  }
  const picks = rankRelated(subject, [
    card(2, 2, 'Council passes budget', 'The council approved the city budget.', []),
    card(3, 3, 'Rival brand stock slides', 'Shares of the running brand fell.', ['running']),
    card(4, 2, 'New marathon record set', 'A runner set a marathon record wearing racing shoe prototypes with foam.', []),
    card(5, 1, 'Shoe maker expands', 'Running shoe maker opens a factory.', ['running', 'shoes']),
    card(1, 1, 'Marathon shoe weighs only 129 grams', 'self', ['running', 'shoes']),
  ], { limit: 10 })
  assert.deepEqual(picks.map((p) => p.article.id), [5, 3, 4])
  assert.deepEqual(picks[0]?.reasons.sharedTags, ['running', 'shoes'])
  assert.equal(picks[0]?.reasons.sameSource, true)
  assert.ok(picks[2]?.reasons.sharedWords.includes('marathon'))
})
