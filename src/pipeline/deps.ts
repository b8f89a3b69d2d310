import type { AiOptOut, FetchResponse, IsoDate, ParsedFeed, Source } from '../domain/types.js'
import type { Result, StageError } from '../domain/result.js'
import type { Store } from '../store/store.js'
import type { Fetcher } from './fetch/fetcher.js'
import { DEFAULT_SCHEDULE, type SchedulePolicy } from './schedule/next-check.js'

/** What the orchestrator (ingest.ts) and the subscribing entry points (subscribe.ts) run with. */
export interface IngestDeps {
  store: Store
  fetch: Fetcher
  now: () => Date
  random: () => number
  policy: IngestPolicy
  log?: (event: IngestEvent) => void
  /** Called after each successful poll of a feed source, with what was fetched (WebSub hub discovery). */
  onFeedFetched?: (source: Source, res: FetchResponse, feed: ParsedFeed) => void
  /** Puts each newly created article in a story (pipeline/story-desk.ts); never for updates. */
  stories?: { place(article: StoryArticle): Promise<unknown> }
  /** The site-wide TDM reservation (`/.well-known/tdmrep.json`, cached per host) for a URL. */
  aiSignals?: { tdmRep(url: string): Promise<AiOptOut> }
  /** Told of each newly created article (AI_PRECOMPUTE queues its summary). */
  ai?: { articleCreated(articleId: number): Promise<void> }
  /**
   * With workers: new and changed items are handed over as extract jobs instead of being fetched in
   * this refresh (any worker process takes them; ingest.ts `ingestListedItem` runs one).
   */
  queueItem?: (job: { sourceId: number; listing: import('./ingest.js').ListingContext; item: import('../domain/types.js').FeedItem }) => Promise<void>
  /**
   * Told of every refresh's report, awaited (the fetch log and metrics: src/observability/). A failure
   * here never fails the refresh.
   */
  recordRefresh?: (report: RefreshReport) => Promise<void>
  /** Told of each item's outcome, in a refresh or in an extract job (metrics). */
  observeItem?: (sourceId: number, outcome: Result<ItemOutcome>) => void
}

/** What ingesting one feed item came to, with what extraction and cleaning could tell of it. */
export interface ItemOutcome {
  status: 'created' | 'updated' | 'unchanged'
  /** Stored from the feed's content: the page could not be fetched or read. */
  degraded: boolean
  /** The item went through extraction (false when it was known and unchanged, or deleted). */
  extracted: boolean
  /** Cleaning repaired mojibake in it (text decoded with the wrong charset somewhere upstream). */
  mojibakeRepaired: boolean
  /** Its page declared no charset that decoded it: the charset was detected or guessed. */
  charsetGuessed: boolean
}

/** Per-article facts of one refresh's items (those handed to workers are not in them). */
export interface ExtractionCounts {
  /** Articles stored with the page's extracted text. */
  full: number
  /** Articles stored from the feed's content (degraded). */
  fallback: number
  mojibakeRepaired: number
  charsetGuessed: number
  /** Items that could not be stored (no readable text, or an error). */
  failed: number
}

/** What story placement reads of a newly stored article. */
export interface StoryArticle {
  id: number
  sourceId: number
  title: string
  text: string
  published: IsoDate | null
  fetchedAt: IsoDate
}

/** Polling and back-off (schedule/next-check.ts) plus what a refresh takes in. */
export interface IngestPolicy extends SchedulePolicy {
  /** Newest items taken per refresh; older ones in a long feed are left alone. */
  maxItemsPerRefresh: number
  /** Article pages fetched at once within one source (the fetcher still paces each host). */
  articleConcurrency: number
}

export const DEFAULT_POLICY: IngestPolicy = {
  ...DEFAULT_SCHEDULE, maxItemsPerRefresh: 50, articleConcurrency: 3,
}

export type IngestEvent =
  | { type: 'source_refreshed'; report: RefreshReport }
  | { type: 'item_failed'; sourceId: number; link: string | null; error: StageError }
  | { type: 'source_moved'; sourceId: number; from: string; to: string }
  /** The article is stored but in no story (it is placed again when the story desk next rebuilds). */
  | { type: 'story_failed'; articleId: number; message: string }

export interface RefreshReport {
  sourceId: number
  url: string
  outcome: 'updated' | 'not_modified' | 'error'
  created: number
  updated: number
  unchanged: number
  /** Items stored from feed content because their page could not be fetched or read. */
  degraded: number
  /** Items handed to workers as extract jobs (with a job queue). */
  queued?: number
  error: StageError | null
  nextCheckAt: IsoDate
  /** When the refresh started and how long it took (by the orchestrator's clock). */
  startedAt?: IsoDate
  durationMs?: number
  /** The feed (or listing page) request: HTTP status (null when no response came) and body bytes. */
  httpStatus?: number | null
  bytes?: number | null
  /** Items the listing held. */
  itemsSeen?: number
  extraction?: ExtractionCounts
}
