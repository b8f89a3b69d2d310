import type { FetchResponse, ParsedFeed, SiteRule, Source } from '../domain/types.js'
import { err, ok, type Result, type StageError } from '../domain/result.js'
import type { IngestDeps } from './deps.js'
import { decodeResponse } from './decode/decode.js'
import { pickLinks, siteFeed, type SitePick } from './parse/site-links.js'
import {
  isNewsSitemap, parseSitemapResponse, pickChildSitemaps, sitemapFeed, sitemapsFromRobots, type Sitemap, type SitemapEntry,
} from './parse/sitemap.js'

/**
 * Sources without a feed, the I/O around the pure stages parse/sitemap.ts and parse/site-links.ts:
 * reading a sitemap (and the newest children of a sitemap index), reading a site page under its rule
 * (keeping what the rule picked for the operator to see), previewing a rule, finding a news sitemap.
 */

/** Children of a sitemap index read per refresh, and sitemap fetches per refresh or discovery in all. */
const MAX_CHILD_SITEMAPS = 3
const MAX_SITEMAP_FETCHES = 8

/** A sitemap source's document as a list of its newest entries; an index is followed to its newest children. */
export async function readSitemapListing(deps: IngestDeps, res: FetchResponse): Promise<Result<ParsedFeed>> {
  const top = parseSitemapResponse(res)
  if (!top.ok) return top
  const entries: SitemapEntry[] = []
  let firstError: StageError | null = null
  let fetches = 1
  const queue: Array<{ map: Sitemap; depth: number }> = [{ map: top.value, depth: 0 }]
  while (queue.length > 0) {
    const { map, depth } = queue.shift()!
    if (map.type === 'urlset') {
      entries.push(...map.entries)
      continue
    }
    // An index of indexes is followed one level down; deeper nesting is not in the protocol.
    if (depth >= 2) continue
    for (const child of pickChildSitemaps(map.sitemaps, { max: MAX_CHILD_SITEMAPS })) {
      if (fetches >= MAX_SITEMAP_FETCHES) break
      fetches++
      const r = await deps.fetch({ url: child.url, purpose: 'feed' })
      const parsed = r.ok ? parseSitemapResponse(r.value) : r
      if (parsed.ok) queue.push({ map: parsed.value, depth: depth + 1 })
      else firstError ??= parsed.error
    }
  }
  if (entries.length === 0 && firstError) return err(firstError)
  const seen = new Set<string>()
  const unique = entries.filter((e) => !seen.has(e.url) && (seen.add(e.url), true))
  return ok(sitemapFeed(unique, { url: res.url, maxItems: deps.policy.maxItemsPerRefresh }))
}

/** A site source's page as the links its rule picks; the picks are kept on the source as the operator's preview. */
export async function readSiteListing(deps: IngestDeps, source: Source, res: FetchResponse): Promise<Result<ParsedFeed>> {
  const html = decodeResponse(res, 'html')
  const pick = pickLinks(html, { url: res.url, rule: source.rule })
  if (!pick.ok) return pick
  await deps.store.updateSource(source.id, { pickedLinks: pick.value.links })
  return ok(siteFeed(pick.value, { url: res.url }))
}

/** What `rule` would pick on the source's page now (fetched afresh); nothing is stored. */
export async function previewRule(deps: IngestDeps, source: Source, rule: SiteRule | null): Promise<Result<SitePick>> {
  const res = await deps.fetch({ url: source.url, purpose: 'feed' })
  if (!res.ok) return res
  const html = decodeResponse(res.value, 'html')
  return pickLinks(html, { url: res.value.url, rule })
}

const CONVENTIONAL_NEWS_SITEMAPS = ['/news-sitemap.xml', '/sitemap_news.xml', '/sitemap-news.xml', '/sitemap.xml']

/**
 * A Google News sitemap for the site of `pageUrl`: those declared in robots.txt (news-named ones first),
 * then the usual places, following an index to its news-named children. At most 8 fetches. A general
 * sitemap is not taken: it lists every page of a site (about, tag and author pages too), where a news
 * sitemap lists recent articles only.
 */
export async function findNewsSitemap(deps: IngestDeps, pageUrl: string): Promise<{ url: string; map: Sitemap } | null> {
  const origin = new URL(pageUrl).origin
  let fetches = 1
  const robots = await deps.fetch({ url: `${origin}/robots.txt`, purpose: 'robots' })
  const declared = robots.ok ? sitemapsFromRobots(new TextDecoder().decode(robots.value.body), { url: `${origin}/robots.txt` }) : []
  const newsFirst = (urls: string[]) => [...urls.filter((u) => /news/i.test(u)), ...urls.filter((u) => !/news/i.test(u))]
  const queue = [...new Set([...newsFirst(declared), ...CONVENTIONAL_NEWS_SITEMAPS.map((p) => `${origin}${p}`)])]
  const tried = new Set<string>()
  while (queue.length > 0 && fetches < MAX_SITEMAP_FETCHES) {
    const url = queue.shift()!
    if (tried.has(url)) continue
    tried.add(url)
    fetches++
    const r = await deps.fetch({ url, purpose: 'feed' })
    if (!r.ok) continue
    const map = parseSitemapResponse(r.value)
    if (!map.ok) continue
    if (isNewsSitemap(map.value)) return { url: r.value.url, map: map.value }
    if (map.value.type === 'index') queue.unshift(...map.value.sitemaps.map((s) => s.url).filter((u) => /news/i.test(u)).slice(0, 2))
  }
  return null
}

