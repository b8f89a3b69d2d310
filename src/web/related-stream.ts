import type { Article, ArticleSummary, StoryDetail } from '../domain/types.js'
import type { Store } from '../store/store.js'
import { rankRelated, type RelatedPick } from '../pipeline/cluster/related.js'

/** Cards per page of the related stream (the article page shows the first page). */
export const RELATED_PER_PAGE = 8
/** The stream stops here even when candidates remain: past this, nobody is reading "related" any more. */
export const RELATED_MAX_PAGES = 10
/** Candidate pools at page 1 (shared tags, recent, same source); page k reads k times as deep, up to the store's 200. */
const POOL = { tags: 40, recent: 60, source: 10 }

/**
 * One page of "Related Articles" and whether another follows. Page k is rankRelated over pools k
 * times as deep as page 1's, without what pages 1…k−1 showed; those are ranked again from the
 * same (prefix) pools, so each page is what the reader saw there, no card comes twice, and page 1
 * is the article page's own list. The stream ends when a page comes out empty.
 */
export async function relatedPage(
  store: Store, a: Article, story: StoryDetail | null, original: Promise<{ id: number } | null>, page: number,
): Promise<{ picks: RelatedPick[]; next: number | null }> {
  const want = Math.min(page + 1, RELATED_MAX_PAGES)
  const depth = (n: number) => Math.min(n * want, 200)
  const [byTags, recent, sameSource, orig] = await Promise.all([
    store.articlesSharingTags(a.id, depth(POOL.tags)),
    store.listArticles({ limit: depth(POOL.recent) }),
    store.listArticles({ limit: depth(POOL.source), sourceId: a.sourceId }),
    original,
  ])
  const shown = new Set<number>()
  let current: RelatedPick[] = []
  for (let k = 1; k <= want; k++) {
    const cut = (list: ArticleSummary[], n: number) => list.slice(0, Math.min(n * k, 200)).filter((x) => !shown.has(x.id))
    const candidates = [...cut(byTags, POOL.tags), ...cut(recent.items, POOL.recent), ...cut(sameSource.items, POOL.source)]
    const members = story ? story.members.filter((m) => !shown.has(m.id)) : []
    const picks = rankRelated(a, candidates, {
      limit: RELATED_PER_PAGE,
      story: story ? { members, originals: orig ? [orig.id] : [] } : null,
    })
    if (k === page) current = picks
    if (k === page + 1) return { picks: current, next: picks.length > 0 ? page + 1 : null }
    if (picks.length === 0) return { picks: k === page ? current : [], next: null }
    for (const p of picks) shown.add(p.article.id)
  }
  return { picks: current, next: null }
}
