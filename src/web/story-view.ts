/**
 * What the story page and the article page need beyond the stored story: each duplicate group's
 * original (provenance's choice, with its reasons) and every copy's changes, and why the articles
 * were grouped. Reads full texts from the store, for a bounded number of members.
 */
import type { Article, StoryDetail, StoryMember } from '../domain/types.js'
import type { Store } from '../store/store.js'
import { changesOf, pickOriginal, type MemberChanges, type ProvenanceMember } from '../pipeline/dedup/provenance.js'
import { explainStory, type StoryExplanation } from '../pipeline/cluster/explain-story.js'

export interface CopyView { member: StoryMember; changes: MemberChanges }

/** One piece of coverage: a single article, or an original with the copies that republish it. */
export interface GroupView {
  original: StoryMember
  /** Why provenance chose this original (sources named), empty for an article without copies. */
  reasons: string[]
  /** What only the original has against its copies (an injected token, say); null without copies. */
  originalChanges: MemberChanges | null
  copies: CopyView[]
}

export interface StoryView {
  story: StoryDetail
  /** Oldest original first. */
  groups: GroupView[]
  why: StoryExplanation
}

/** Full texts read for one story page; members past this are explained from their excerpts. */
const FULL_TEXTS = 60

const groupKey = (m: { id: number; duplicateOf: number | null }) => m.duplicateOf ?? m.id
const when = (m: { published: string | null; fetchedAt: string }) => m.published ?? m.fetchedAt

function provenanceMember(m: StoryMember, full: Article | undefined): ProvenanceMember {
  return {
    id: String(m.id), title: full?.title ?? m.title, text: full?.text ?? m.excerpt,
    published: m.published, url: m.url, canonicalUrl: m.canonicalUrl, sourceTitle: m.sourceTitle,
  }
}

/** Provenance names members by id; a reader knows them by their source. */
function readable(reasons: string[], members: StoryMember[]): string[] {
  const name = new Map(members.map((m) => [String(m.id), m.sourceTitle]))
  return reasons.map((r) => r.replace(/(?<![\w:.\/-])(\d+)(?![\w:.\/-])/g, (id) => name.get(id) ?? id))
}

/** Members grouped by duplicate group, in story order (oldest first). */
function groupsOf(members: StoryMember[]): StoryMember[][] {
  const groups = new Map<number, StoryMember[]>()
  for (const m of members) {
    const g = groups.get(groupKey(m))
    if (g) g.push(m)
    else groups.set(groupKey(m), [m])
  }
  return [...groups.values()]
}

async function fullTexts(store: Store, ids: number[]): Promise<Map<number, Article>> {
  const got = await Promise.all(ids.map((id) => store.getArticle(id)))
  return new Map(got.filter((a): a is Article => a !== null).map((a) => [a.id, a]))
}

export async function storyView(store: Store, story: StoryDetail): Promise<StoryView> {
  const raw = groupsOf(story.members)
  // Groups with copies need their full texts to compare; the rest are read for the explanation.
  const wanted = [...raw.filter((g) => g.length > 1).flat(), ...story.members].map((m) => m.id)
  const full = await fullTexts(store, [...new Set(wanted)].slice(0, FULL_TEXTS))
  const groups: GroupView[] = raw.map((g) => {
    if (g.length === 1) return { original: g[0]!, reasons: [], originalChanges: null, copies: [] }
    const report = changesOf({ members: g.map((m) => provenanceMember(m, full.get(m.id))) })
    const byId = new Map(report.members.map((r) => [r.id, r]))
    const original = g.find((m) => String(m.id) === report.original) ?? g[0]!
    return {
      original,
      reasons: readable(report.reasons, g),
      originalChanges: byId.get(String(original.id))?.changes ?? null,
      copies: g.filter((m) => m !== original).map((m) => ({ member: m, changes: byId.get(String(m.id))!.changes })),
    }
  })
  groups.sort((a, b) => when(a.original).localeCompare(when(b.original)) || a.original.id - b.original.id)
  // Copies repeat their original word for word: with two or more pieces of coverage, only the originals explain.
  const explained = groups.length >= 2 ? groups.map((g) => g.original) : story.members
  const why = explainStory(explained.map((m) => ({ title: full.get(m.id)?.title ?? m.title, text: full.get(m.id)?.text ?? m.excerpt })))
  return { story, groups, why }
}

/**
 * For the article page: the original of the article's own duplicate group as provenance picks it
 * (null when the article has no copies and copies nothing). Reads the group's full texts, a few at most.
 */
export async function originalFor(store: Store, a: Article, story: StoryDetail): Promise<StoryMember | null> {
  const group = story.members.filter((m) => groupKey(m) === groupKey(a))
  if (group.length < 2) return null
  const members = group.filter((m, i) => i < 8 || m.id === a.id)
  const full = await fullTexts(store, members.filter((m) => m.id !== a.id).map((m) => m.id))
  full.set(a.id, a)
  const choice = pickOriginal(members.map((m) => provenanceMember(m, full.get(m.id))))
  return members.find((m) => String(m.id) === choice.original) ?? null
}
