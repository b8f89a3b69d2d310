import { createHash } from 'node:crypto'
import type {
  ArticleInput, ExtractedArticle, FeedItem, FetchResponse, IsoDate, ParsedFeed, Source, SourceFetchState,
} from '../domain/types.js'
import { err, ok, stageError, type Result, type StageError } from '../domain/result.js'
import type { Store } from '../store/store.js'
import type { IngestDeps, RefreshReport } from './deps.js'
import { eachLimited } from './each-limited.js'
import { backoffMs } from './fetch/backoff.js'
import { decode } from './decode/decode.js'
import { parseFeedBytes } from './parse/parse-feed.js'
import { extractArticle } from './extract/extract.js'
import { extractFragment } from './extract/extract-fragment.js'
import { cleanUrl } from './clean/clean-url.js'
import { excerpt } from './clean/text.js'
import { pickTags } from './enrich/tags.js'
import { cleanArticle } from './clean/clean-article.js'

/**
 * The one orchestrator: fetch → decode → parse → extract → clean → enrich → store. The scheduler,
 * the "refresh now" button, the CLI and the API all come through here, so they behave alike.
 */

const MINUTE = 60_000

/** Fetches one source and stores what is new or changed; the outcome is stored on the source. */
export async function refreshSource(deps: IngestDeps, source: Source): Promise<RefreshReport> {
  const startedAt = deps.now()
  const res = await deps.fetch({ url: source.url, purpose: 'feed', etag: source.etag, lastModified: source.lastModified })
  if (!res.ok) return recordFailure(deps, source, res.error, startedAt)
  if (res.value.notModified) {
    const next = nextCheck(deps, startedAt, null)
    await deps.store.updateSource(source.id, success(startedAt, res.value, source, next))
    return report(deps, { sourceId: source.id, url: source.url, outcome: 'not_modified', created: 0, updated: 0, unchanged: 0, degraded: 0, error: null, nextCheckAt: next })
  }
  const feed = readListing(source, res.value)
  if (!feed.ok) return recordFailure(deps, source, feed.error, startedAt)
  const counts = await ingestFeed(deps, source, feed.value)

  const next = nextCheck(deps, startedAt, feed.value.ttlMinutes)
  const patch: Parameters<Store['updateSource']>[1] = { ...success(startedAt, res.value, source, next), ...sourceMetadata(source, feed.value) }
  await deps.store.updateSource(source.id, patch)
  return report(deps, { sourceId: source.id, url: source.url, outcome: 'updated', ...counts, error: null, nextCheckAt: next })
}

/** The fetched document as a list of items, read according to the source's kind. */
function readListing(source: Source, res: FetchResponse): Result<ParsedFeed> {
  return parseFeedBytes(res.body, { contentType: res.headers['content-type'] ?? null, url: res.url })
}

/** Fills in what the source record lacks from what the feed says about itself. */
function sourceMetadata(source: Source, feed: ParsedFeed): Parameters<Store['updateSource']>[1] {
  const patch: Parameters<Store['updateSource']>[1] = {}
  if (feed.title && source.title === new URL(source.url).hostname) patch.title = feed.title
  if (feed.link && !source.siteUrl) patch.siteUrl = feed.link
  if (feed.description && !source.description) patch.description = feed.description
  if (feed.language && !source.language) patch.language = feed.language
  return patch
}

export interface IngestCounts {
  created: number
  updated: number
  unchanged: number
  degraded: number
}

/**
 * Stores a feed's items (newest first, at most `maxItemsPerRefresh`): each new or changed item's page
 * is fetched, extracted, cleaned and saved. Polling and pushed content (WebSub) both come through here.
 */
export async function ingestFeed(deps: IngestDeps, source: Source, feed: ParsedFeed): Promise<IngestCounts> {
  const counts: IngestCounts = { created: 0, updated: 0, unchanged: 0, degraded: 0 }
  const items = newestFirst(feed.items).slice(0, deps.policy.maxItemsPerRefresh)
  await eachLimited(items, deps.policy.articleConcurrency, async (item) => {
    const r = await ingestItem(deps, source, feed, item)
    if (!r.ok) {
      deps.log?.({ type: 'item_failed', sourceId: source.id, link: item.link, error: r.error })
      return
    }
    counts[r.value.status]++
    if (r.value.degraded) counts.degraded++
  }, (e, item) => deps.log?.({ type: 'item_failed', sourceId: source.id, link: item.link, error: unexpected(e) }))
  return counts
}

function success(at: Date, res: FetchResponse, source: Source, next: IsoDate): Partial<SourceFetchState> {
  return {
    etag: res.notModified ? source.etag : res.headers['etag'] ?? null,
    lastModified: res.notModified ? source.lastModified : res.headers['last-modified'] ?? null,
    errorCount: 0,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastFetchedAt: at.toISOString(),
    lastSuccessAt: at.toISOString(),
    nextCheckAt: next,
  }
}

function nextCheck(deps: IngestDeps, at: Date, ttlMinutes: number | null): IsoDate {
  const minutes = Math.max(deps.policy.pollIntervalMinutes, Math.min(ttlMinutes ?? 0, 24 * 60))
  // A little jitter so sources added together do not stay in lock-step.
  const jitter = 1 + deps.random() * 0.1
  return new Date(at.getTime() + minutes * MINUTE * jitter).toISOString()
}

async function recordFailure(deps: IngestDeps, source: Source, error: StageError, at: Date): Promise<RefreshReport> {
  const errorCount = source.errorCount + 1
  const backoff = backoffMs({
    errorCount, baseMs: deps.policy.backoffBaseMinutes * MINUTE, maxMs: deps.policy.backoffMaxMinutes * MINUTE, random: deps.random,
  })
  const waitMs = Math.max(backoff, (error.retryAfterSeconds ?? 0) * 1000)
  const next = new Date(at.getTime() + waitMs).toISOString()
  await deps.store.updateSource(source.id, {
    errorCount, lastErrorCode: error.code, lastErrorMessage: error.message.slice(0, 1000), lastFetchedAt: at.toISOString(), nextCheckAt: next,
  })
  return report(deps, { sourceId: source.id, url: source.url, outcome: 'error', created: 0, updated: 0, unchanged: 0, degraded: 0, error, nextCheckAt: next })
}

/** A bug surfaced as a value, so it is reported like any other failure and the rest goes on. */
function unexpected(e: unknown): StageError {
  return stageError('ingest', 'internal_error', `unexpected error: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
}

function report(deps: IngestDeps, r: RefreshReport): RefreshReport {
  deps.log?.({ type: 'source_refreshed', report: r })
  return r
}

function newestFirst(items: FeedItem[]): FeedItem[] {
  return items
    .map((item, i) => ({ item, i, t: Date.parse(item.published ?? item.updated ?? '') }))
    .sort((a, b) => (Number.isNaN(b.t) ? 0 : b.t) - (Number.isNaN(a.t) ? 0 : a.t) || a.i - b.i)
    .map((x) => x.item)
}

export function itemHash(item: FeedItem): string {
  return createHash('sha256')
    .update(JSON.stringify([item.title, item.link, item.published, item.updated, item.summary, item.contentHtml, item.categories]))
    .digest('base64url')
    .slice(0, 22)
}

/** One feed item → one stored article (page fetched and extracted, feed content as the fallback). */
async function ingestItem(
  deps: IngestDeps, source: Source, feed: ParsedFeed, item: FeedItem,
): Promise<Result<{ status: 'created' | 'updated' | 'unchanged'; degraded: boolean }>> {
  const link = item.link ? cleanUrl(item.link) : null
  const hash = itemHash(item)
  const ref = await deps.store.findArticleRef({ sourceId: source.id, guid: item.id, url: link ?? item.id })
  if (ref && ref.itemHash === hash) return ok({ status: 'unchanged', degraded: false })

  let page: ExtractedArticle | null = null
  let finalUrl = link
  let pageError: StageError | null = null
  if (link) {
    const res = await deps.fetch({ url: link, purpose: 'page' })
    if (res.ok) {
      finalUrl = cleanUrl(res.value.url) ?? link
      const html = decode(res.value.body, { contentType: res.value.headers['content-type'] ?? null, kind: 'html' }).text
      const x = extractArticle(html, { url: finalUrl })
      if (x.ok) page = x.value
      else pageError = x.error
    } else {
      pageError = res.error
    }
  }
  const feedContent = item.contentHtml ?? item.summary
  // The page is the article; when it can't be had, the feed's own content stands in (marked degraded).
  const body = page && page.text.length > 0 ? page : feedContent ? extractFragment(feedContent, { url: finalUrl }) : null
  if (!body || body.text.trim().length === 0) {
    return err(pageError ?? stageError('extract', 'extract_empty', `No readable text for ${link ?? item.id}`))
  }
  const degraded = body !== page
  const clean = cleanArticle(body, { title: item.title || page?.title || null, lang: page?.lang ?? feed.language ?? null, siteName: page?.siteName ?? null })
  const summaryText = item.summary ? extractFragment(item.summary, { url: finalUrl }).text : null
  const byline = page?.byline ?? item.author
  const input: ArticleInput = {
    sourceId: source.id,
    guid: item.id,
    url: finalUrl ?? item.id,
    canonicalUrl: page?.canonicalUrl ? cleanUrl(page.canonicalUrl) : null,
    title: (clean.title || excerpt(clean.text, 80)).trim(),
    author: byline ? { name: byline, bio: page?.authorBio ?? null } : null,
    published: item.published ?? page?.published ?? item.updated ?? null,
    updated: item.updated ?? page?.updated ?? null,
    lang: page?.lang ?? feed.language ?? null,
    summary: summaryText ? excerpt(summaryText, 600) : null,
    blocks: clean.blocks,
    text: clean.text,
    html: clean.html,
    leadImage: page?.leadImage ?? item.imageUrl ?? body.captions[0]?.imageUrl ?? null,
    captions: clean.captions,
    altLinks: page?.altLinks ?? [],
    tags: pickTags({ categories: item.categories, keywords: page?.keywords ?? [] }),
    itemHash: hash,
    extractError: degraded && pageError ? { code: pageError.code, message: pageError.message } : null,
    cleanup: clean.cleanup,
  }
  const saved = await deps.store.saveArticle(input, deps.now().toISOString())
  return ok({ status: saved.status, degraded })
}

export interface RefreshManyReport {
  reports: RefreshReport[]
  ok: number
  failed: number
  created: number
  updated: number
}

/** Refreshes the given sources with bounded concurrency, reporting progress as each finishes. */
export async function refreshMany(
  deps: IngestDeps, sources: Source[], opts: { concurrency: number; onProgress?: (r: RefreshReport, done: number, total: number) => void },
): Promise<RefreshManyReport> {
  const out: RefreshManyReport = { reports: [], ok: 0, failed: 0, created: 0, updated: 0 }
  await eachLimited(sources, opts.concurrency, async (s) => {
    const r = await refreshSource(deps, s)
    out.reports.push(r)
    if (r.outcome === 'error') out.failed++
    else out.ok++
    out.created += r.created
    out.updated += r.updated
    opts.onProgress?.(r, out.reports.length, sources.length)
  }, (e, s) => {
    const r: RefreshReport = {
      sourceId: s.id, url: s.url, outcome: 'error', created: 0, updated: 0, unchanged: 0, degraded: 0, error: unexpected(e), nextCheckAt: s.nextCheckAt,
    }
    out.reports.push(r)
    out.failed++
    deps.log?.({ type: 'source_refreshed', report: r })
    opts.onProgress?.(r, out.reports.length, sources.length)
  })
  return out
}
