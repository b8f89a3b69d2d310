/**
 * Home's "Top stories": a story counts for more the more publishers cover it, and for less the
 * older its latest article is.
 *
 *   score = log2(1 + sources) × 0.5^(ageHours / halfLifeHours)
 *
 * The logarithm gives diminishing returns (the fifth source adds less than the second), so a story
 * that five outlets carried this morning beats a lone article from a minute ago, while the half-life
 * (12 hours by default) lets a busy story from days ago fall below fresh two-source ones. Age is
 * counted from the story's latest article: new coverage keeps a story up. More articles than
 * sources (copies, follow-ups) only break ties.
 */
/** What ranking reads of a story (a StorySummary has it). */
export interface RankableStory {
  id: number
  sourceCount: number
  articleCount: number
  /** The latest article's time (ISO). */
  lastAt: string
}

export interface RankStoriesOptions {
  now: Date
  /** Hours after which a story's weight halves (default 12). */
  halfLifeHours?: number
  limit?: number
}

export interface RankedStory<S extends RankableStory = RankableStory> {
  story: S
  score: number
  /** The parts of the score, for the page and for tests. */
  reasons: { sources: number; sourceWeight: number; ageHours: number; decay: number }
}

export const DEFAULT_HALF_LIFE_HOURS = 12

export function storyScore(story: Pick<RankableStory, 'sourceCount' | 'lastAt'>, opts: { now: Date; halfLifeHours?: number }): Omit<RankedStory, 'story'> {
  const halfLife = opts.halfLifeHours ?? DEFAULT_HALF_LIFE_HOURS
  const sources = Math.max(1, story.sourceCount)
  const sourceWeight = Math.log2(1 + sources)
  const last = Date.parse(story.lastAt)
  // A date in the future (a publisher's clock or time zone slip) counts as now.
  const ageHours = Number.isNaN(last) ? Infinity : Math.max(0, (opts.now.getTime() - last) / 3_600_000)
  const decay = Number.isFinite(ageHours) ? 0.5 ** (ageHours / halfLife) : 0
  return { score: sourceWeight * decay, reasons: { sources, sourceWeight, ageHours, decay } }
}

export function rankStories<S extends RankableStory>(stories: S[], opts: RankStoriesOptions): RankedStory<S>[] {
  const ranked = stories.map((story) => ({ story, ...storyScore(story, opts) }))
  ranked.sort((a, b) => b.score - a.score || b.story.articleCount - a.story.articleCount || b.story.lastAt.localeCompare(a.story.lastAt) || a.story.id - b.story.id)
  return opts.limit === undefined ? ranked : ranked.slice(0, opts.limit)
}
