import type { ArticleSummary } from '../domain/types.js'
import type { SourceWithStats, Store } from '../store/store.js'
import type { HomeSection } from './pages/lists.js'

/** Home's sections: this many hashtags and this many sources, each with a few cards. */
export const SECTION_TAGS = 4
export const SECTION_SOURCES = 4
export const SECTION_CARDS = 3
/** Hashtags are counted over the articles of the last days. */
const TAG_DAYS = 3

/**
 * Sections by hashtag (the busiest of the last days) and by source (the most recently published),
 * each with its newest few cards, none repeated across sections. Bounded: one count over the recent
 * window plus SECTION_TAGS + SECTION_SOURCES indexed lists, however many sources there are.
 */
export async function homeSections(store: Store, sources: SourceWithStats[], now: Date, exclude: Iterable<number> = []): Promise<HomeSection[]> {
  const since = new Date(now.getTime() - TAG_DAYS * 86_400_000).toISOString()
  const busiest = sources.filter((s) => s.latestArticleAt !== null && s.articleCount > 0)
    .sort((a, b) => b.latestArticleAt!.localeCompare(a.latestArticleAt!) || a.id - b.id).slice(0, SECTION_SOURCES)
  const tags = (await store.busyTags({ since, limit: SECTION_TAGS })).filter((t) => t.count >= 2)
  const fetchN = SECTION_CARDS * 3
  const [tagLists, sourceLists] = await Promise.all([
    Promise.all(tags.map((t) => store.listArticles({ limit: fetchN, tag: t.slug }))),
    Promise.all(busiest.map((s) => store.listArticles({ limit: fetchN, sourceId: s.id }))),
  ])
  const seen = new Set<number>(exclude)
  const pick = (items: ArticleSummary[]) => {
    const out = items.filter((a) => !seen.has(a.id)).slice(0, SECTION_CARDS)
    for (const a of out) seen.add(a.id)
    return out
  }
  const out: HomeSection[] = []
  tags.forEach((t, i) => {
    const items = pick(tagLists[i]!.items)
    if (items.length > 0) out.push({ kind: 'tag', key: t.slug, title: t.label, href: `/tags/${encodeURIComponent(t.slug)}`, items })
  })
  busiest.forEach((s, i) => {
    const items = pick(sourceLists[i]!.items)
    if (items.length > 0) out.push({ kind: 'source', key: String(s.id), title: s.title, href: `/sources/${s.id}`, items })
  })
  return out
}
