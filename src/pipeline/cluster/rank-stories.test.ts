import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { RankableStory } from './rank-stories.js'
import { rankStories, storyScore } from './rank-stories.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString()
const story = (id: number, sources: number, lastHoursAgo: number, articles = sources): RankableStory & { title: string; firstAt: string } => ({
  id, title: `Story ${id}`, firstAt: ago(lastHoursAgo + 2), lastAt: ago(lastHoursAgo), articleCount: articles, sourceCount: sources,
})

test('top stories: five sources this morning beat one source this minute; five sources four days ago fall below fresh pairs', () => {
  const ranked = rankStories([
    story(1, 1, 1 / 60), // a lone article from a minute ago
    story(2, 5, 6), // five outlets, this morning
    story(3, 5, 96), // five outlets, four days ago
    story(4, 2, 1), // two outlets, an hour ago
    story(5, 2, 3),
  ], { now: NOW })
  assert.deepEqual(ranked.map((r) => r.story.id), [2, 4, 5, 1, 3])
  const top = ranked[0]!
  assert.equal(top.reasons.sources, 5)
  assert.ok(Math.abs(top.reasons.ageHours - 6) < 1e-9)
  assert.ok(Math.abs(top.reasons.decay - 0.5 ** 0.5) < 1e-9, 'six hours is half a half-life')
})

test('top stories: sources give diminishing returns, age halves the weight every half-life, ties go to more articles', () => {
  const w = (n: number) => storyScore({ sourceCount: n, lastAt: ago(0) }, { now: NOW }).score
  assert.ok(w(2) - w(1) > w(5) - w(4), 'the second source adds more than the fifth')
  const fresh = storyScore({ sourceCount: 3, lastAt: ago(0) }, { now: NOW }).score
  const old = storyScore({ sourceCount: 3, lastAt: ago(24) }, { now: NOW, halfLifeHours: 24 }).score
  assert.ok(Math.abs(old - fresh / 2) < 1e-9)
  const future = storyScore({ sourceCount: 3, lastAt: ago(-5) }, { now: NOW })
  assert.equal(future.reasons.ageHours, 0, 'a future date counts as now')
  assert.deepEqual(rankStories([story(7, 3, 2, 3), story(8, 3, 2, 6)], { now: NOW, limit: 1 }).map((r) => r.story.id), [8])
})
