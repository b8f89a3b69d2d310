import type { OpmlOutline, ParsedFeed, Source } from '../domain/types.js'
import { err, ok, stageError, type Result } from '../domain/result.js'
import type { IngestDeps } from './deps.js'
import { decodeResponse } from './decode/decode.js'
import { parseFeedResponse } from './parse/parse-feed.js'
import { discoverFeeds, guessFeedUrls } from './parse/discover.js'
import { parseOpml } from './parse/opml.js'
import { parseSitemapResponse, type Sitemap } from './parse/sitemap.js'
import { pickLinks, ruleFromJson } from './parse/site-links.js'
import { findNewsSitemap } from './site-rule.js'

export interface SubscribeResult {
  source: Source
  created: boolean
}

/**
 * Subscribes to a URL: a feed as it is; a sitemap; an HTML page whose declared (or conventional) feed is
 * found; failing that, the site's news sitemap (home pages) or the page itself as a `site` source whose
 * article links are followed. Nothing is stored when none of these works, and the reason is returned.
 */
export async function subscribe(deps: IngestDeps, rawUrl: string, opts: { title?: string | null } = {}): Promise<Result<SubscribeResult>> {
  const url = normalizeInputUrl(rawUrl)
  if (!url) return err(stageError('input', 'invalid_url', `Not a web address: "${rawUrl.slice(0, 200)}"`))
  const existing = await deps.store.findSourceByUrl(url)
  if (existing) return ok({ source: existing, created: false })

  const res = await deps.fetch({ url, purpose: 'feed' })
  if (!res.ok) return res
  const feed = parseFeedResponse(res.value)
  if (feed.ok) return ok(await addFeedSource(deps, res.value.url, feed.value, opts.title))
  // A sitemap given by its address (a news sitemap, a sitemap index, a plain or gzip-compressed one).
  const map = parseSitemapResponse(res.value)
  if (map.ok) return ok(await addSitemapSource(deps, res.value.url, map.value, opts.title))

  // Not a feed: read it as a page and look for the feeds it declares, then the usual places.
  const html = decodeResponse(res.value, 'html')
  const declared = discoverFeeds(html, { url: res.value.url }).map((f) => f.url)
  const candidates = [...new Set([...declared, ...(declared.length ? [] : guessFeedUrls(res.value.url))])]
  for (const candidate of candidates.slice(0, 8)) {
    const known = await deps.store.findSourceByUrl(candidate)
    if (known) return ok({ source: known, created: false })
    const r = await deps.fetch({ url: candidate, purpose: 'feed' })
    if (!r.ok) continue
    const f = parseFeedResponse(r.value)
    if (f.ok) return ok(await addFeedSource(deps, candidate, f.value, opts.title, res.value.url))
  }
  return subscribeWithoutFeed(deps, { url: res.value.url, html, feedError: feed.error.message, title: opts.title })
}

/**
 * A page with no feed of its own: a news sitemap of its site when the page is the site's home page,
 * else the page itself as a `site` source (its article-looking links followed), provided it has any.
 */
async function subscribeWithoutFeed(
  deps: IngestDeps, p: { url: string; html: string; feedError: string; title?: string | null },
): Promise<Result<SubscribeResult>> {
  const site = new URL('/', p.url).href
  if (/^\/(?:index\.\w+)?$/.test(new URL(p.url).pathname)) {
    const news = await findNewsSitemap(deps, p.url)
    if (news) {
      const known = await deps.store.findSourceByUrl(news.url)
      if (known) return ok({ source: known, created: false })
      return ok(await addSitemapSource(deps, news.url, news.map, p.title))
    }
  }
  const pick = pickLinks(p.html, { url: p.url, rule: null })
  if (!pick.ok || pick.value.links.length === 0) {
    return err(stageError('parse', 'no_feed_found',
      `${p.url} is not a feed, declares none, and has no links that look like articles (${p.feedError})`))
  }
  return ok(await deps.store.addSource({
    kind: 'site', url: p.url, siteUrl: site, title: p.title?.trim() || pick.value.title, language: pick.value.language, rule: null,
  }, deps.now().toISOString()))
}

async function addSitemapSource(deps: IngestDeps, url: string, map: Sitemap, title?: string | null): Promise<SubscribeResult> {
  const news = map.type === 'urlset' ? map.entries.find((e) => e.news)?.news ?? null : null
  return deps.store.addSource({
    kind: 'sitemap',
    url,
    siteUrl: new URL('/', url).href,
    title: title?.trim() || news?.publicationName || null,
    language: news?.language ?? null,
  }, deps.now().toISOString())
}

async function addFeedSource(deps: IngestDeps, url: string, feed: ParsedFeed, title?: string | null, siteUrl?: string): Promise<SubscribeResult> {
  return deps.store.addSource({
    kind: 'feed',
    url,
    siteUrl: feed.link ?? siteUrl ?? null,
    title: title?.trim() || feed.title || null,
    description: feed.description,
    language: feed.language,
  }, deps.now().toISOString())
}

/** Accepts what people paste: missing scheme, feed: and feed:// forms, surrounding spaces. */
export function normalizeInputUrl(raw: string): string | null {
  let s = raw.trim().replace(/^feed:(\/\/)?/i, '')
  if (!s || /\s/.test(s)) return null
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) s = `https://${s}`
  try {
    const u = new URL(s)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
    u.hash = ''
    return u.toString()
  } catch {
    return null
  }
}

export interface ImportReport {
  added: number
  existing: number
  failed: { url: string; error: string }[]
}

/** Adds every feed of an OPML file as a source (fetched later by the scheduler, not now). */
export async function importOpml(deps: IngestDeps, text: string, onProgress?: (done: number, total: number) => void): Promise<Result<ImportReport>> {
  const parsed = parseOpml(text)
  if (!parsed.ok) return parsed
  const report: ImportReport = { added: 0, existing: 0, failed: [] }
  const outlines = parsed.value
  for (const [i, o] of outlines.entries()) {
    const url = normalizeInputUrl(o.xmlUrl)
    if (!url) {
      report.failed.push({ url: o.xmlUrl, error: 'not a web address' })
    } else {
      const kind = o.kind ?? 'feed'
      const rule = kind === 'site' ? ruleFromJson(o.rule) : null
      const r = await deps.store.addSource({ kind, url, siteUrl: o.htmlUrl, title: o.title || null, ...(rule ? { rule } : {}) }, deps.now().toISOString())
      if (r.created) report.added++
      else report.existing++
    }
    onProgress?.(i + 1, outlines.length)
  }
  return ok(report)
}

/** A source as an OPML outline: feeds as feeds, sources without a feed so that Tidings can read them back. */
export function sourceOutline(s: Source): OpmlOutline {
  const base = { title: s.title, xmlUrl: s.url, htmlUrl: s.siteUrl, category: null }
  return s.kind === 'feed' ? base : { ...base, kind: s.kind, rule: s.rule ? JSON.stringify(s.rule) : null }
}
