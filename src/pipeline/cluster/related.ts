import type { ArticleSummary, Tag } from '../../domain/types.js'

export interface RelatedSubject {
  id: number
  sourceId: number
  title: string
  text: string
  tags: Tag[]
}

export interface RelatedPick {
  article: ArticleSummary
  score: number
  /** Why it was picked, for the reader and for tests: shared tags and words, same source. */
  reasons: { sharedTags: string[]; sharedWords: string[]; sameSource: boolean }
}

const STOP = new Set(
  ('the and for are but not you all any can had her was one our out day get has him his how man new now old see two way who boy did its let put say she too use that with have this will your from they know want been good much some time very when come here just like long make many more only over such take than them well were what which while about after again also back being could every first into most other said says said their there these thing think those three through under where would year years week people after before since while still very just told according including percent per cent '
  + 'le la les des une dans pour sur avec est qui que pas plus par ses aux ont été sont cette mais').split(/\s+/),
)

function words(s: string): Set<string> {
  const out = new Set<string>()
  for (const w of s.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]{3,}/gu) ?? []) if (!STOP.has(w) && !/^\d+$/.test(w)) out.add(w)
  return out
}

/**
 * Ranks candidate articles as related to `subject`: shared tags weigh most, then shared title
 * words, then shared words of the text's start; the same source is a small tie-breaker. Pure: the
 * caller gathers candidates (same tags, recent, same source) from the store.
 */
export function rankRelated(subject: RelatedSubject, candidates: ArticleSummary[], opts: { limit: number }): RelatedPick[] {
  const subjectTags = new Set(subject.tags.map((t) => t.slug))
  const subjectTitle = words(subject.title)
  const subjectText = words(`${subject.title} ${subject.text.slice(0, 3000)}`)
  const seen = new Set<number>([subject.id])
  const picks: RelatedPick[] = []
  for (const c of candidates) {
    if (seen.has(c.id)) continue
    seen.add(c.id)
    const sharedTags = c.tags.filter((t) => subjectTags.has(t.slug)).map((t) => t.label)
    const candTitle = words(c.title)
    const candText = words(`${c.title} ${c.excerpt}`)
    const titleHits = [...candTitle].filter((w) => subjectTitle.has(w))
    const textHits = [...candText].filter((w) => subjectText.has(w) && !titleHits.includes(w))
    const sameSource = c.sourceId === subject.sourceId
    const score = 3 * sharedTags.length + 1.5 * titleHits.length + 0.5 * Math.min(textHits.length, 10) + (sameSource ? 0.25 : 0)
    if (sharedTags.length === 0 && titleHits.length === 0 && textHits.length < 3) continue
    picks.push({ article: c, score, reasons: { sharedTags, sharedWords: [...titleHits, ...textHits].slice(0, 8), sameSource } })
  }
  picks.sort((a, b) => b.score - a.score || (b.article.published ?? b.article.fetchedAt).localeCompare(a.article.published ?? a.article.fetchedAt))
  return picks.slice(0, opts.limit)
}
