import { createHash } from 'node:crypto'
import type {
  AiOptOut, ArticleInput, ExtractedArticle, FeedItem, FetchResponse, IsoDate, ParsedFeed, PollHints, Source, SourceFetchState,
} from '../domain/types.js'
import { err, ok, stageError, type Result, type StageError } from '../domain/result.js'
import type { ArticleRef, SourcePatch } from '../store/store.js'
import type { ExtractionCounts, IngestDeps, ItemOutcome, RefreshReport, StoryArticle } from './deps.js'
import { eachLimited } from './each-limited.js'
import { describeBotCheck, detectBotCheck } from './fetch/bot-check.js'
import { RHYTHM_SAMPLE, afterFailure, nextCheckAfterSuccess } from './schedule/next-check.js'
import { decode } from './decode/decode.js'
import { parseFeedResponse } from './parse/parse-feed.js'
import { readSiteListing, readSitemapListing } from './site-rule.js'
import { extractArticle } from './extract/extract.js'
import { extractFragment } from './extract/extract-fragment.js'
import { cleanUrl } from './clean/clean-url.js'
import { excerpt } from './clean/text.js'
import { pickTags } from './enrich/tags.js'
import { enrich, mergeTags } from './enrich/enrich.js'
import { mergeOptOut, optOutFromHeaders, optOutFromHtml } from './fetch/ai-optout.js'
import { cleanArticle } from './clean/clean-article.js'

/**
 * The one orchestrator: fetch → decode → parse → extract → clean → enrich → store → story. The scheduler,
 * the "refresh now" button, the CLI and the API all come through here, so they behave alike.
 */

/** Fetches one source and stores what is new or changed; the outcome is stored on the source. */
export async function refreshSource(deps: IngestDeps, source: Source): Promise<RefreshReport> {
  const startedAt = deps.now()
  const res = await deps.fetch({ url: source.url, purpose: 'feed', etag: source.etag, lastModified: source.lastModified })
  if (!res.ok) return recordFailure(deps, source, res.error, startedAt, { httpStatus: res.error.status ?? null, bytes: null })
  const fetched = { httpStatus: res.value.status, bytes: res.value.body.byteLength }
  if (res.value.notModified) {
    const next = await nextCheck(deps, source, startedAt, res.value, source.pollHints)
    await deps.store.updateSource(source.id, success(startedAt, res.value, source, next))
    return report(deps, { sourceId: source.id, url: source.url, outcome: 'not_modified', created: 0, updated: 0, unchanged: 0, degraded: 0, error: null, nextCheckAt: next, ...fetched, itemsSeen: 0 }, startedAt)
  }
  const feed = await readListing(deps, source, res.value)
  if (!feed.ok) return recordFailure(deps, source, botCheckOr(res.value, feed.error), startedAt, fetched)
  if (source.kind === 'feed') deps.onFeedFetched?.(source, res.value, feed.value)
  const counts = await ingestFeed(deps, source, feed.value)

  // A feed that moved for good (301/308 all the way) is polled at its new address from now on.
  if (res.value.movedTo && res.value.movedTo !== source.url && await deps.store.moveSource(source.id, res.value.movedTo)) {
    deps.log?.({ type: 'source_moved', sourceId: source.id, from: source.url, to: res.value.movedTo })
  }
  // After ingesting, so that the articles just stored count towards the source's rhythm.
  const hints = pollHints(feed.value)
  const next = await nextCheck(deps, source, startedAt, res.value, hints)
  const patch: SourcePatch = { ...success(startedAt, res.value, source, next), pollHints: hints, ...sourceMetadata(source, feed.value) }
  const siteSignals = await sourceOptOut(deps, source, res.value)
  if (JSON.stringify(siteSignals) !== JSON.stringify(source.aiOptOut)) patch.aiOptOut = siteSignals
  await deps.store.updateSource(source.id, patch)
  return report(deps, { sourceId: source.id, url: source.url, outcome: 'updated', ...counts, error: null, nextCheckAt: next, ...fetched, itemsSeen: feed.value.items.length }, startedAt)
}

/** Signals against AI use on the feed's (or listing page's) response and the site's tdmrep.json; null when there are none. */
async function sourceOptOut(deps: IngestDeps, source: Source, res: FetchResponse): Promise<AiOptOut | null> {
  const m = mergeOptOut(optOutFromHeaders(res.headers), deps.aiSignals ? await deps.aiSignals.tdmRep(res.url || source.url) : null)
  return m.optedOut || m.imagesOnly ? m : null
}

/** The fetched document as a list of items, read according to the source's kind. */
async function readListing(deps: IngestDeps, source: Source, res: FetchResponse): Promise<Result<ParsedFeed>> {
  switch (source.kind) {
    case 'sitemap': return readSitemapListing(deps, res)
    case 'site': return readSiteListing(deps, source, res)
    case 'feed': return parseFeedResponse(res)
  }
}

/** Fills in what the source record lacks from what the feed says about itself. */
function sourceMetadata(source: Source, feed: ParsedFeed): SourcePatch {
  const patch: SourcePatch = {}
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
  /** Items handed to workers as extract jobs (with a queue only). */
  queued: number
  /** What extraction and cleaning said of the items ingested here. */
  extraction: ExtractionCounts
}

/** What an item's ingest needs of its listing: the format, the declared language, its siblings' ids. */
export interface ListingContext {
  format: ParsedFeed['format']
  language: string | null
  itemIds: string[]
}

const listingOf = (feed: ParsedFeed): ListingContext => ({ format: feed.format, language: feed.language ?? null, itemIds: feed.items.map((i) => i.id) })

/** Already stored as it is now, or deleted by an operator: nothing to fetch. */
async function knownUnchanged(deps: IngestDeps, source: Source, listing: ListingContext, item: FeedItem): Promise<boolean> {
  const link = item.link ? cleanUrl(item.link) : null
  const ref = sameItem(await deps.store.findArticleRef({ sourceId: source.id, guid: item.id, url: link ?? item.id }), listing, item)
  return ref !== null && (ref.deleted || ref.itemHash === itemHash(item))
}

/** An extract job: one listed item → one stored article (the worker side of `queueItem`). */
export async function ingestListedItem(deps: IngestDeps, job: { sourceId: number; listing: ListingContext; item: FeedItem }): Promise<Result<ItemOutcome> | null> {
  const source = await deps.store.getSource(job.sourceId)
  if (!source) return null
  return ingestItem(deps, source, job.listing, job.item)
}

/**
 * Stores a feed's items (newest first, at most `maxItemsPerRefresh`): each new or changed item's page
 * is fetched, extracted, cleaned and saved. Polling and pushed content (WebSub) both come through here.
 */
export async function ingestFeed(deps: IngestDeps, source: Source, feed: ParsedFeed): Promise<IngestCounts> {
  const counts: IngestCounts = { created: 0, updated: 0, unchanged: 0, degraded: 0, queued: 0, extraction: { full: 0, fallback: 0, mojibakeRepaired: 0, charsetGuessed: 0, failed: 0 } }
  const items = newestFirst(feed.items).slice(0, deps.policy.maxItemsPerRefresh)
  const listing = listingOf(feed)
  if (deps.queueItem) {
    // Workers: each new or changed item becomes an extract job of its own (any worker may take it).
    for (const item of items) {
      try {
        if (await knownUnchanged(deps, source, listing, item)) counts.unchanged++
        else {
          await deps.queueItem({ sourceId: source.id, listing, item })
          counts.queued++
        }
      } catch (e) {
        deps.log?.({ type: 'item_failed', sourceId: source.id, link: item.link, error: unexpected(e) })
      }
    }
    return counts
  }
  await eachLimited(items, deps.policy.articleConcurrency, async (item) => {
    const r = await ingestItem(deps, source, listing, item)
    if (!r.ok) {
      counts.extraction.failed++
      deps.log?.({ type: 'item_failed', sourceId: source.id, link: item.link, error: r.error })
      return
    }
    counts[r.value.status]++
    if (r.value.degraded) counts.degraded++
    if (r.value.extracted) counts.extraction[r.value.degraded ? 'fallback' : 'full']++
    if (r.value.mojibakeRepaired) counts.extraction.mojibakeRepaired++
    if (r.value.charsetGuessed) counts.extraction.charsetGuessed++
  }, (e, item) => {
    counts.extraction.failed++
    deps.log?.({ type: 'item_failed', sourceId: source.id, link: item.link, error: unexpected(e) })
  })
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
    failingSince: null,
    // A paused source that an operator refreshed successfully is polled again.
    pausedAt: null,
    pauseReason: null,
  }
}

/** The next poll from the response's caching headers, the feed's hints and how often the source publishes. */
async function nextCheck(deps: IngestDeps, source: Source, at: Date, res: FetchResponse, hints: PollHints | null): Promise<IsoDate> {
  const recent = await deps.store.recentArticleTimes(source.id, RHYTHM_SAMPLE)
  return nextCheckAfterSuccess({
    now: at, random: deps.random, policy: deps.policy, headers: res.headers, hints, recent, pushActiveUntil: source.pushActiveUntil,
  })
}

function pollHints(feed: ParsedFeed): PollHints | null {
  const hints: PollHints = { ttlMinutes: feed.ttlMinutes, skipHours: feed.skipHours ?? [], skipDays: feed.skipDays ?? [] }
  return hints.ttlMinutes === null && hints.skipHours.length === 0 && hints.skipDays.length === 0 ? null : hints
}

/** A page that is not a feed may be a bot check sent with 200: say so rather than "not a feed". */
function botCheckOr(res: FetchResponse, error: StageError): StageError {
  const check = detectBotCheck({ status: res.status, headers: res.headers, body: res.body })
  if (!check) return error
  return stageError('fetch', 'bot_challenge', describeBotCheck(check, { url: res.url, status: res.status }), { status: res.status, retryable: true })
}

async function recordFailure(deps: IngestDeps, source: Source, error: StageError, at: Date, fetched: { httpStatus: number | null; bytes: number | null }): Promise<RefreshReport> {
  const outcome = afterFailure({ now: at, random: deps.random, policy: deps.policy, source, error })
  await deps.store.updateSource(source.id, {
    ...outcome, lastErrorCode: error.code, lastErrorMessage: error.message.slice(0, 1000), lastFetchedAt: at.toISOString(),
  })
  return report(deps, {
    sourceId: source.id, url: source.url, outcome: 'error', created: 0, updated: 0, unchanged: 0, degraded: 0, error, nextCheckAt: outcome.nextCheckAt,
    ...fetched, itemsSeen: 0,
  }, at)
}

/** A bug surfaced as a value, so it is reported like any other failure and the rest goes on. */
function unexpected(e: unknown): StageError {
  return stageError('ingest', 'internal_error', `unexpected error: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
}

/** The refresh's report, told to the log and the recorder (fetch log, metrics) with its start and duration. */
async function report(deps: IngestDeps, r: RefreshReport, startedAt: Date): Promise<RefreshReport> {
  const out: RefreshReport = { ...r, startedAt: startedAt.toISOString(), durationMs: Math.max(0, deps.now().getTime() - startedAt.getTime()) }
  deps.log?.({ type: 'source_refreshed', report: out })
  try {
    await deps.recordRefresh?.(out)
  } catch {
    // The recorder reports its own failures; a refresh is not undone by a missing log line.
  }
  return out
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

/** The part of a feed item's summary read for its excerpt. */
const SUMMARY_HEAD_CHARS = 64 * 1024

/** One feed item → one stored article; its outcome is told to `observeItem` (metrics). */
async function ingestItem(deps: IngestDeps, source: Source, feed: ListingContext, item: FeedItem): Promise<Result<ItemOutcome>> {
  const r = await ingestOneItem(deps, source, feed, item)
  deps.observeItem?.(source.id, r)
  return r
}

const SKIPPED: ItemOutcome = { status: 'unchanged', degraded: false, extracted: false, mojibakeRepaired: false, charsetGuessed: false }
/** Charsets the page did not declare (or declared wrongly): what decode had to work out for itself. */
const GUESSED_CHARSET = new Set(['detector', 'default', 'utf8-mixed'])

/** One feed item → one stored article (page fetched and extracted, feed content as the fallback). */
async function ingestOneItem(deps: IngestDeps, source: Source, feed: ListingContext, item: FeedItem): Promise<Result<ItemOutcome>> {
  const link = item.link ? cleanUrl(item.link) : null
  const hash = itemHash(item)
  // Identity before any fetch: same GUID, else same URL up to tracking parameters, scheme, `www.` and
  // a trailing slash (pipeline/diff/url-key.ts) — so a changed GUID or a tagged link is no duplicate.
  const ref = sameItem(await deps.store.findArticleRef({ sourceId: source.id, guid: item.id, url: link ?? item.id }), feed, item)
  // An article an operator deleted is never stored again, and its page is not even fetched.
  if (ref?.deleted) return ok(SKIPPED)
  if (ref && ref.itemHash === hash) return ok(SKIPPED)

  let page: ExtractedArticle | null = null
  let finalUrl = link
  let pageError: StageError | null = null
  let aiOptOut: AiOptOut | null = null
  let charsetGuessed = false
  if (link) {
    const res = await deps.fetch({ url: link, purpose: 'page' })
    if (res.ok) {
      finalUrl = cleanUrl(res.value.url) ?? link
      const decoded = decode(res.value.body, { contentType: res.value.headers['content-type'] ?? null, kind: 'html' })
      const html = decoded.text
      charsetGuessed = GUESSED_CHARSET.has(decoded.via)
      // The publisher's signals against AI use: on the response, in the page's head, in the site's tdmrep.json.
      aiOptOut = mergeOptOut(optOutFromHeaders(res.value.headers), optOutFromHtml(html), deps.aiSignals ? await deps.aiSignals.tdmRep(finalUrl) : null)
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
  // A feed's title is the publisher's; a followed link's text (site sources) is only a stand-in for the page's.
  const title = feed.format === 'site' ? page?.title || item.title : item.title || page?.title
  const clean = cleanArticle(body, { title: title || null, lang: page?.lang ?? feed.language ?? null, siteName: page?.siteName ?? null })
  // Only the head of the summary can reach its 600-character excerpt: a 10 MB description need not be read whole.
  const summaryText = item.summary ? extractFragment(item.summary.slice(0, SUMMARY_HEAD_CHARS), { url: finalUrl }).text : null
  const byline = page?.byline ?? item.author
  const declaredLang = page?.lang ?? feed.language ?? null
  const articleTitle = (clean.title || excerpt(clean.text, 80)).trim()
  const enrichment = enrich({ title: articleTitle, text: clean.text, lang: declaredLang })
  const optOut = mergeOptOut(aiOptOut, source.aiOptOut)
  const publisherTags = pickTags({ categories: item.categories, keywords: page?.keywords ?? [] })
  const input: ArticleInput = {
    sourceId: source.id,
    guid: item.id,
    url: finalUrl ?? item.id,
    canonicalUrl: page?.canonicalUrl ? cleanUrl(page.canonicalUrl) : null,
    title: articleTitle,
    author: byline ? { name: byline, bio: page?.authorBio ?? null } : null,
    published: item.published ?? page?.published ?? item.updated ?? null,
    updated: item.updated ?? page?.updated ?? null,
    // What the page says, unless the text is clearly in another language (a CMS's default left unchanged).
    lang: enrichment.lang && enrichment.lang !== primaryLang(declaredLang) ? enrichment.lang : declaredLang ?? enrichment.lang,
    summary: summaryText ? excerpt(summaryText, 600) : null,
    blocks: clean.blocks,
    text: clean.text,
    html: clean.html,
    leadImage: page?.leadImage ?? item.imageUrl ?? body.captions[0]?.imageUrl ?? null,
    captions: clean.captions,
    altLinks: page?.altLinks ?? [],
    // Hashtags made from the text are AI use: not for a publisher that opted out (an operator's "allow" is read at display).
    tags: optOut.optedOut && source.aiPolicy !== 'allow' ? publisherTags : mergeTags(publisherTags, enrichment.hashtags),
    itemHash: hash,
    extractError: degraded && pageError ? { code: pageError.code, message: pageError.message } : null,
    cleanup: clean.cleanup,
    enrichment,
    aiOptOut: aiOptOut && (aiOptOut.optedOut || aiOptOut.imagesOnly) ? aiOptOut : null,
  }
  // A new item may still be a known (or deleted) article under another address: the page's URL after
  // redirects, or its canonical URL when the GUID and the link both changed.
  let into = ref?.id ?? null
  if (!ref && (finalUrl !== link || input.canonicalUrl)) {
    const again = sameItem(await deps.store.findArticleRef({
      sourceId: source.id, guid: item.id, url: input.url, canonicalUrl: input.canonicalUrl,
    }), feed, item)
    if (again?.deleted) return ok({ ...SKIPPED, degraded })
    into = again?.id ?? null
  }
  const fetchedAt = deps.now().toISOString()
  const saved = await deps.store.saveArticle(input, fetchedAt, { into })
  if (saved.status === 'created' && deps.stories) await placeInStory(deps, { id: saved.id, sourceId: source.id, title: input.title, text: input.text, published: input.published, fetchedAt })
  if (saved.status === 'created' && deps.ai) await deps.ai.articleCreated(saved.id).catch(() => {}) // a summary ahead of the first reader; the article is stored whatever happens
  return ok({
    status: saved.status === 'deleted' ? 'unchanged' : saved.status, degraded, extracted: true,
    mojibakeRepaired: (clean.cleanup?.repaired ?? 0) > 0, charsetGuessed: charsetGuessed && !degraded,
  })
}

/** `en-US` → `en`. */
function primaryLang(tag: string | null): string | null {
  return tag ? tag.toLowerCase().split(/[-_]/)[0] || null : null
}

/** A new article goes to its story; the article is stored whatever happens there. */
async function placeInStory(deps: IngestDeps, article: StoryArticle): Promise<void> {
  try {
    await deps.stories?.place(article)
  } catch (e) {
    deps.log?.({ type: 'story_failed', articleId: article.id, message: e instanceof Error ? e.message : String(e) })
  }
}

/**
 * A match by URL is not the same item when the matched article's GUID is still listed in this feed
 * beside the item: two items the publisher lists side by side are two articles, even on one link.
 */
function sameItem(ref: ArticleRef | null, feed: ListingContext, item: FeedItem): ArticleRef | null {
  if (!ref || ref.matchedBy === 'guid') return ref
  return feed.itemIds.some((id) => id !== item.id && id === ref.guid) ? null : ref
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
    void deps.recordRefresh?.(r).catch(() => {})
    opts.onProgress?.(r, out.reports.length, sources.length)
  })
  return out
}
