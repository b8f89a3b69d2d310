import type { ArticleSummary, Tag } from '../../domain/types.js'
import { storyTerms } from './story-features.js'

export interface RelatedSubject {
  id: number
  sourceId: number
  title: string
  text: string
  tags: Tag[]
}

/** A candidate card; with its story id when the caller knows it (then one card per other story). */
export type RelatedCandidate = ArticleSummary & { storyId?: number | null }

/** The subject's story: its members (the subject may be among them) and which are originals. */
export interface RelatedStoryInput {
  members: (ArticleSummary & { duplicateOf: number | null })[]
  /**
   * The originals provenance chose (pickOriginal), one per duplicate group. A group without one here
   * keeps its key (the member whose duplicateOf is null) as its original.
   */
  originals?: Iterable<number>
}

export type RelatedKind = 'same_story' | 'related' | 'same_source'

export interface RelatedReasons {
  /** Which list the pick came from: the subject's story, another story sharing terms, or its source's other articles. */
  kind: RelatedKind
  sharedTags: string[]
  sharedEntities: string[]
  sharedWords: string[]
  sameSource: boolean
  /** same_story only: whether it is an original, and if a copy, the id of the original it copies. */
  original?: boolean
  copyOf?: number | null
}

export interface RelatedPick {
  article: ArticleSummary
  score: number
  /** Why it was picked, for the reader and for tests. */
  reasons: RelatedReasons
}

export interface RelatedOptions {
  limit: number
  story?: RelatedStoryInput | null
  /** At most this many of the story's own articles (default half the limit, rounded up) and of the source's (default 2); related stories fill the rest. */
  maxSameStory?: number
  maxSameSource?: number
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

/** Named entities as written, keyed by their lower-case form. */
function entitiesOf(title: string, text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const e of storyTerms({ title, text }).entities) if (!out.has(e.toLowerCase())) out.set(e.toLowerCase(), e)
  return out
}

const when = (a: ArticleSummary) => a.published ?? a.fetchedAt

/**
 * `f(title, text)` kept for the last `max` texts, keyed by the text itself (an edited article is read
 * again): the article page weighs the same recent cards, and a subject, on every request.
 */
function memoByText<T>(max: number, f: (title: string, text: string) => T): (title: string, text: string) => T {
  const memo = new Map<string, T>()
  return (title, text) => {
    const key = `${title}\u0000${text}`
    let v = memo.get(key)
    if (v !== undefined) return v
    v = f(title, text)
    if (memo.size >= max) memo.delete(memo.keys().next().value!)
    memo.set(key, v)
    return v
  }
}

/** A card's (or the subject's) words. */
const wordsOf = memoByText(4000, (title, text) => ({ title: words(title), text: words(`${title} ${text}`) }))
/** The subject's entities: only the subject is tagged (the tagger is the costly part). */
const entitiesOfSubject = memoByText(1000, entitiesOf)

const WORDISH = /[\p{L}\p{N}]/u
/**
 * The subject's entities a card names, as written (case and all), as whole words: a card's own text is
 * not tagged again. Hundreds of cards are weighed per page, and tagging each excerpt was the largest
 * cost of the related list.
 */
function entitiesNamed(entities: Map<string, string>, title: string, text: string): string[] {
  const hay = `${title}\n${text}`
  const out: string[] = []
  for (const written of entities.values()) {
    for (let i = hay.indexOf(written); i >= 0; i = hay.indexOf(written, i + 1)) {
      const before = i > 0 ? hay[i - 1]! : ' '
      const after = hay[i + written.length] ?? ' '
      if (!WORDISH.test(before) && !WORDISH.test(after)) { out.push(written); break }
    }
  }
  return out
}

/**
 * The article page's "Related Articles", in three runs:
 *
 * 1. `same_story`: the other articles of the subject's story, originals before copies (the subject's
 *    own original first when it is a copy, then oldest first, as the story's timeline reads);
 * 2. `related`: articles of other stories sharing tags, named entities or title words, best first
 *    (shared tags weigh 3, entities 2, title words 1.5, words of the text's start 0.5; the same
 *    source adds 0.25), one per story when candidates carry their story id;
 * 3. `same_source`: more from the subject's source, newest first.
 *
 * Pure: the caller gathers candidates (same tags, recent, same source) and the story from the store.
 */
export function rankRelated(subject: RelatedSubject, candidates: RelatedCandidate[], opts: RelatedOptions): RelatedPick[] {
  const subjectTags = new Set(subject.tags.map((t) => t.slug))
  const lead = subject.text.slice(0, 3000)
  const { title: subjectTitle, text: subjectText } = wordsOf(subject.title, lead)
  const subjectEntities = entitiesOfSubject(subject.title, lead)
  const overlap = (c: ArticleSummary) => {
    const sharedTags = c.tags.filter((t) => subjectTags.has(t.slug)).map((t) => t.label)
    const f = wordsOf(c.title, c.excerpt)
    const titleHits = [...f.title].filter((w) => subjectTitle.has(w))
    const textHits = [...f.text].filter((w) => subjectText.has(w) && !titleHits.includes(w))
    const sharedEntities = entitiesNamed(subjectEntities, c.title, c.excerpt)
    const sameSource = c.sourceId === subject.sourceId
    const score = 3 * sharedTags.length + 2 * Math.min(sharedEntities.length, 5) + 1.5 * titleHits.length + 0.5 * Math.min(textHits.length, 10) + (sameSource ? 0.25 : 0)
    const related = sharedTags.length > 0 || sharedEntities.length > 0 || titleHits.length > 0 || textHits.length >= 3
    return { score, related, sharedTags, sharedEntities, sharedWords: [...titleHits, ...textHits].slice(0, 8), sameSource }
  }

  // 1. The story's own articles.
  const storyPicks: RelatedPick[] = []
  const taken = new Set<number>([subject.id])
  if (opts.story) {
    const members = opts.story.members
    const chosen = new Set(opts.story.originals ?? [])
    const groupOf = (m: { id: number; duplicateOf: number | null }) => m.duplicateOf ?? m.id
    const originalOf = new Map<number, number>()
    for (const m of members) if (chosen.has(m.id)) originalOf.set(groupOf(m), m.id)
    for (const m of members) if (m.duplicateOf === null && !originalOf.has(m.id)) originalOf.set(m.id, m.id)
    const subjectMember = members.find((m) => m.id === subject.id)
    const subjectOriginal = subjectMember ? originalOf.get(groupOf(subjectMember)) ?? null : null
    for (const m of members) {
      if (taken.has(m.id)) continue
      taken.add(m.id)
      const original = originalOf.get(groupOf(m))
      const isOriginal = original === undefined || original === m.id
      const o = overlap(m)
      storyPicks.push({
        article: m, score: o.score,
        reasons: { kind: 'same_story', sharedTags: o.sharedTags, sharedEntities: o.sharedEntities, sharedWords: o.sharedWords, sameSource: o.sameSource, original: isOriginal, copyOf: isOriginal ? null : original! },
      })
    }
    const rank = (p: RelatedPick) => (p.reasons.original ? (p.article.id === subjectOriginal ? 0 : 1) : 2)
    storyPicks.sort((a, b) => rank(a) - rank(b) || when(a.article).localeCompare(when(b.article)) || a.article.id - b.article.id)
  }

  // 2 and 3. Other stories' articles, and the source's.
  const relatedPicks: (RelatedPick & { storyId: number | null })[] = []
  const sourcePicks: RelatedPick[] = []
  for (const c of candidates) {
    if (taken.has(c.id)) continue
    taken.add(c.id)
    const o = overlap(c)
    const reasons = { sharedTags: o.sharedTags, sharedEntities: o.sharedEntities, sharedWords: o.sharedWords, sameSource: o.sameSource }
    if (o.related) relatedPicks.push({ article: c, score: o.score, reasons: { kind: 'related', ...reasons }, storyId: c.storyId ?? null })
    else if (o.sameSource) sourcePicks.push({ article: c, score: o.score, reasons: { kind: 'same_source', ...reasons } })
  }
  relatedPicks.sort((a, b) => b.score - a.score || when(b.article).localeCompare(when(a.article)))
  const perStory = new Set<number>()
  const related = relatedPicks.filter((p) => {
    if (p.storyId === null) return true
    if (perStory.has(p.storyId)) return false
    perStory.add(p.storyId)
    return true
  }).map(({ storyId: _, ...p }) => p)
  sourcePicks.sort((a, b) => when(b.article).localeCompare(when(a.article)))

  const limit = opts.limit
  const story = storyPicks.slice(0, Math.min(limit, opts.maxSameStory ?? Math.ceil(limit / 2)))
  const source = sourcePicks.slice(0, Math.min(limit - story.length, opts.maxSameSource ?? 2))
  const rel = related.slice(0, limit - story.length - source.length)
  // Room left over (few related stories) goes back to the story's articles, then the source's.
  let room = limit - story.length - source.length - rel.length
  const moreStory = storyPicks.slice(story.length, story.length + room)
  room -= moreStory.length
  const moreSource = sourcePicks.slice(source.length, source.length + room)
  return [...story, ...moreStory, ...rel, ...source, ...moreSource]
}
