import type { Article, ArticleSummary, StoryDetail } from '../domain/types.js'
import type { Store } from '../store/store.js'
import { rankRelated, type RelatedPick } from '../pipeline/cluster/related.js'

/** Cards per page of the related stream (the article page shows the first page). */
export const RELATED_PER_PAGE = 8
/** The stream stops here even when candidates remain: past this, nobody is reading "related" any more. */
export const RELATED_MAX_PAGES = 10
/** Candidate pools at page 1 (shared tags, recent, same source); page k reads k times as deep, up to the store's 200. */
const POOL = { tags: 40, recent: 60, source: 10 }
/** The deepest recent pool any page reads: what `recentArticles` must return. */
export const RECENT_POOL_MAX = Math.min(POOL.recent * RELATED_MAX_PAGES, 200)

/**
 * Where the candidates come from. `recent` is the site's newest RECENT_POOL_MAX articles, the same
 * for every article page: the web app keeps it for a few seconds rather than reading it per request.
 */
export interface RelatedInputs {
  store: Pick<Store, 'articlesSharingTags' | 'listArticles'>
  recent: () => Promise<ArticleSummary[]>
}

/**
 * One page of "Related Articles" and whether another follows. Page k is rankRelated over pools k
 * times as deep as page 1's, without what pages 1…k−1 showed; those are ranked again from the
 * same (prefix) pools, so each page is what the reader saw there, no card comes twice, and page 1
 * is the article page's own list. The stream ends when the next page would come out empty.
 *
 * Whether a next page exists is exact but usually cheap: an unshown article of the story or of the
 * same source (its pool is read one page deeper) is always picked, so the next page is ranked in
 * full only when neither is left.
 */
export async function relatedPage(
  inputs: RelatedInputs, a: Article, story: StoryDetail | null, original: Promise<{ id: number } | null>, page: number,
): Promise<{ picks: RelatedPick[]; next: number | null }> {
  const { store } = inputs
  const depth = (n: number, k: number) => Math.min(n * k, 200)
  const [byTags, recent, sameSource, orig] = await Promise.all([
    store.articlesSharingTags(a.id, depth(POOL.tags, page)),
    inputs.recent(),
    store.listArticles({ limit: depth(POOL.source, page + 1), sourceId: a.sourceId }),
    original,
  ])
  const pools = { tags: byTags, recent, source: sameSource.items }
  const shown = new Set<number>()
  const rank = (k: number, p: typeof pools) => {
    const cut = (list: ArticleSummary[], n: number) => list.slice(0, depth(n, k)).filter((x) => !shown.has(x.id))
    const candidates = [...cut(p.tags, POOL.tags), ...cut(p.recent, POOL.recent), ...cut(p.source, POOL.source)]
    const members = story ? story.members.filter((m) => !shown.has(m.id)) : []
    return rankRelated(a, candidates, {
      limit: RELATED_PER_PAGE,
      story: story ? { members, originals: orig ? [orig.id] : [] } : null,
    })
  }
  let current: RelatedPick[] = []
  for (let k = 1; k <= page; k++) {
    current = rank(k, pools)
    if (current.length === 0) return { picks: [], next: null }
    for (const p of current) shown.add(p.article.id)
  }
  if (page >= RELATED_MAX_PAGES) return { picks: current, next: null }
  const left = (x: { id: number }) => x.id !== a.id && !shown.has(x.id)
  if (story?.members.some(left) || sameSource.items.slice(0, depth(POOL.source, page + 1)).some(left)) return { picks: current, next: page + 1 }
  const deeper = { tags: await store.articlesSharingTags(a.id, depth(POOL.tags, page + 1)), recent, source: sameSource.items }
  return { picks: current, next: rank(page + 1, deeper).length > 0 ? page + 1 : null }
}
