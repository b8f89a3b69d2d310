import { createHash } from 'node:crypto'
import type {
  ArticleInput, ExtractedArticle, FeedItem, FetchResponse, IsoDate, ParsedFeed, Source, SourceFetchState,
} from '../domain/types.js'
import { err, ok, stageError, type Result, type StageError } from '../domain/result.js'
import type { Store } from '../store/store.js'
import type { Fetcher } from './fetch/fetcher.js'
import { backoffMs } from './fetch/backoff.js'
import { decode } from './decode/decode.js'
import { parseFeedBytes } from './parse/parse-feed.js'
import { discoverFeeds, guessFeedUrls } from './parse/discover.js'
import { parseOpml } from './parse/opml.js'
import { extractArticle } from './extract/extract.js'
import { extractFragment } from './extract/extract-fragment.js'
import { cleanUrl } from './clean/clean-url.js'
import { excerpt } from './clean/text.js'
import { pickTags } from './enrich/tags.js'
import { fixText } from './decode/fix-text.js'
import { cleanBody } from './clean/clean-body.js'
import { blocksToHtml } from './clean/blocks-to-html.js'
import { patchBodyHtml } from './clean/patch-body-html.js'

/**
 * The one orchestrator: fetch → decode → parse → extract → clean → enrich → store. The scheduler,
 * the "refresh now" button, the CLI and the API all come through here, so they behave alike.
 */
export interface IngestDeps {
  store: Store
  fetch: Fetcher
  now: () => Date
  random: () => number
  policy: IngestPolicy
  log?: (event: IngestEvent) => void
}

export interface IngestPolicy {
  pollIntervalMinutes: number
  backoffBaseMinutes: number
  backoffMaxMinutes: number
  /** Newest items taken per refresh; older ones in a long feed are left alone. */
  maxItemsPerRefresh: number
  /** Article pages fetched at once within one source (the fetcher still paces each host). */
  articleConcurrency: number
}

export const DEFAULT_POLICY: IngestPolicy = {
  pollIntervalMinutes: 30, backoffBaseMinutes: 5, backoffMaxMinutes: 24 * 60, maxItemsPerRefresh: 50, articleConcurrency: 3,
}

export type IngestEvent =
  | { type: 'source_refreshed'; report: RefreshReport }
  | { type: 'item_failed'; sourceId: number; link: string | null; error: StageError }

export interface RefreshReport {
  sourceId: number
  url: string
  outcome: 'updated' | 'not_modified' | 'error'
  created: number
  updated: number
  unchanged: number
  /** Items stored from feed content because their page could not be fetched or read. */
  degraded: number
  error: StageError | null
  nextCheckAt: IsoDate
}

const MINUTE = 60_000

// ─────────────── subscribing ───────────────

export interface SubscribeResult {
  source: Source
  created: boolean
}

/**
 * Subscribes to a URL: a feed as it is, or an HTML page whose declared (or conventional) feed is
 * found. Nothing is stored when no feed can be found, and the reason is returned.
 */
export async function subscribe(deps: IngestDeps, rawUrl: string, opts: { title?: string | null } = {}): Promise<Result<SubscribeResult>> {
  const url = normalizeInputUrl(rawUrl)
  if (!url) return err(stageError('input', 'invalid_url', `Not a web address: "${rawUrl.slice(0, 200)}"`))
  const existing = await deps.store.findSourceByUrl(url)
  if (existing) return ok({ source: existing, created: false })

  const res = await deps.fetch({ url, purpose: 'feed' })
  if (!res.ok) return res
  const feed = parseFeedBytes(res.value.body, { contentType: res.value.headers['content-type'] ?? null, url: res.value.url })
  if (feed.ok) return ok(await addFeedSource(deps, res.value.url, feed.value, opts.title))

  // Not a feed: read it as a page and look for the feeds it declares, then the usual places.
  const html = decode(res.value.body, { contentType: res.value.headers['content-type'] ?? null, kind: 'html' }).text
  const declared = discoverFeeds(html, { url: res.value.url }).map((f) => f.url)
  const candidates = [...new Set([...declared, ...(declared.length ? [] : guessFeedUrls(res.value.url))])]
  for (const candidate of candidates.slice(0, 8)) {
    const known = await deps.store.findSourceByUrl(candidate)
    if (known) return ok({ source: known, created: false })
    const r = await deps.fetch({ url: candidate, purpose: 'feed' })
    if (!r.ok) continue
    const f = parseFeedBytes(r.value.body, { contentType: r.value.headers['content-type'] ?? null, url: r.value.url })
    if (f.ok) return ok(await addFeedSource(deps, candidate, f.value, opts.title, res.value.url))
  }
  return err(stageError('parse', 'no_feed_found', `${res.value.url} is not a feed and declares none (${feed.error.message})`))
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
      const r = await deps.store.addSource({ kind: 'feed', url, siteUrl: o.htmlUrl, title: o.title || null }, deps.now().toISOString())
      if (r.created) report.added++
      else report.existing++
    }
    onProgress?.(i + 1, outlines.length)
  }
  return ok(report)
}

// ─────────────── refreshing ───────────────

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
  const feed = parseFeedBytes(res.value.body, { contentType: res.value.headers['content-type'] ?? null, url: res.value.url })
  if (!feed.ok) return recordFailure(deps, source, feed.error, startedAt)

  const counts = { created: 0, updated: 0, unchanged: 0, degraded: 0 }
  const items = newestFirst(feed.value.items).slice(0, deps.policy.maxItemsPerRefresh)
  await eachLimited(items, deps.policy.articleConcurrency, async (item) => {
    const r = await ingestItem(deps, source, feed.value, item)
    if (!r.ok) {
      deps.log?.({ type: 'item_failed', sourceId: source.id, link: item.link, error: r.error })
      return
    }
    counts[r.value.status]++
    if (r.value.degraded) counts.degraded++
  }, (e, item) => deps.log?.({ type: 'item_failed', sourceId: source.id, link: item.link, error: unexpected(e) }))

  const next = nextCheck(deps, startedAt, feed.value.ttlMinutes)
  const patch: Parameters<Store['updateSource']>[1] = success(startedAt, res.value, source, next)
  if (feed.value.title && source.title === new URL(source.url).hostname) patch.title = feed.value.title
  if (feed.value.link && !source.siteUrl) patch.siteUrl = feed.value.link
  if (feed.value.description && !source.description) patch.description = feed.value.description
  if (feed.value.language && !source.language) patch.language = feed.value.language
  await deps.store.updateSource(source.id, patch)
  return report(deps, { sourceId: source.id, url: source.url, outcome: 'updated', ...counts, error: null, nextCheckAt: next })
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

/**
 * Clean: mojibake repaired (title, blocks, captions), then the body cleaned of chrome, promos,
 * repeated captions and injected runs, lost spaces restored. The HTML is patched to match, keeping
 * its links; when it cannot be matched block for block, the cleaned blocks are rendered instead.
 */
export function cleanArticle(body: ExtractedArticle, meta: { title: string | null; lang: string | null; siteName: string | null }) {
  let repaired = 0
  const fix = (s: string): string => {
    const r = fixText(s)
    if (r.fixed) repaired++
    return r.text
  }
  const title = meta.title === null ? null : fix(meta.title)
  const fixedBlocks = body.blocks.map((b) => ({ ...b, text: fix(b.text) }))
  const fixedCaptions = body.captions.map((c) => ({ ...c, text: fix(c.text), credit: c.credit === null ? null : fix(c.credit) }))
  const c = cleanBody({ blocks: fixedBlocks, captions: fixedCaptions, title, lang: meta.lang, siteName: meta.siteName, byline: body.byline })
  const changed = repaired > 0 || c.removed.length > 0 || c.flags.lostSpacesRestored > 0 || c.flags.injectedText.length > 0
  const text = c.blocks.map((b) => b.text).join('\n')
  if (!changed) return { title, blocks: c.blocks, captions: c.captions, text, html: body.html, cleanup: null }

  // Which input block became which output block: removed ones are gone, the others follow in order.
  const gone = new Set(c.removed.filter((r) => !r.partial).map((r) => r.index))
  const after: (string | null)[] = []
  let k = 0
  for (let i = 0; i < body.blocks.length; i++) after.push(gone.has(i) ? null : c.blocks[k++]?.text ?? null)
  const html = (k === c.blocks.length ? patchBodyHtml(body.html, body.blocks, after) : null) ?? blocksToHtml(c.blocks)
  return {
    title,
    blocks: c.blocks,
    captions: c.captions,
    text,
    html,
    cleanup: {
      removed: c.removed.map((r) => ({ text: r.block.text, reason: r.reason })),
      injected: c.flags.injectedText.map((x) => ({ text: x.text, reason: x.reason })),
      repaired,
      spacesRestored: c.flags.lostSpacesRestored,
    },
  }
}

/**
 * Runs `fn` over `items` with at most `limit` at once. A throw (a bug: expected failures are values)
 * goes to `onError` and does not stop the others.
 */
export async function eachLimited<T>(
  items: T[], limit: number, fn: (item: T) => Promise<void>, onError: (e: unknown, item: T) => void,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!
      try {
        await fn(item)
      } catch (e) {
        onError(e, item)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
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
