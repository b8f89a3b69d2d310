import { createHash } from 'node:crypto'
import type { FeedItem } from '../domain/types.js'
import type { IngestDeps, StoryArticle } from '../pipeline/deps.js'
import { ingestListedItem, refreshSource, type ListingContext } from '../pipeline/ingest.js'
import type { JobQueue } from './queue.js'

export interface ExtractJob { sourceId: number; listing: ListingContext; item: FeedItem }
export interface FetchJob { sourceId: number }

export interface PipelineWorkers {
  /** Queues a refresh of the source (one queued or running per source, whoever asks). */
  queueFetch(sourceId: number): Promise<boolean>
  /** Takes fetch, extract and cluster jobs in this process. */
  start(opts: { fetch: number; extract: number; cluster: boolean }): Promise<void>
}

const itemKey = (sourceId: number, item: FeedItem) => `${sourceId}:${createHash('sha256').update(item.id).digest('hex').slice(0, 32)}`

/**
 * Ingest as jobs, for several worker processes: `fetch` refreshes a source and hands each new or changed
 * item over as an `extract` job; `extract` fetches, extracts, cleans, enriches and stores one article and
 * queues its `cluster` job; `cluster` places the article in a story (under the shared story lock).
 * Every handler is safe to run twice: the store matches items by identity and the desk skips an article
 * it has placed.
 */
export function createPipelineWorkers(queue: JobQueue, deps: IngestDeps, opts: { expireSeconds: number } = { expireSeconds: 600 }): PipelineWorkers {
  const expire = opts.expireSeconds
  const stories = deps.stories
  const place = stories
    ? { place: async (a: StoryArticle) => { await queue.send('cluster', a, { singletonKey: `article:${a.id}`, retryLimit: 5, retryDelaySeconds: 5, expireInSeconds: expire }) } }
    : undefined
  const withJobs: IngestDeps = {
    ...deps,
    stories: place,
    queueItem: async (job) => {
      await queue.send('extract', job, { singletonKey: itemKey(job.sourceId, job.item), retryLimit: 2, retryDelaySeconds: 15, expireInSeconds: expire })
    },
  }
  return {
    async queueFetch(sourceId) {
      // Past its expiry a fetch is retried elsewhere: a slow host can hold one for minutes (50 pages at a polite pace).
      return (await queue.send<FetchJob>('fetch', { sourceId }, { singletonKey: `source:${sourceId}`, retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: Math.min(86_399, expire * 3) })) !== null
    },
    async start(slots) {
      if (slots.fetch > 0) {
        await queue.work<FetchJob>('fetch', { concurrency: slots.fetch }, async (job) => {
          const source = await deps.store.getSource(job.data.sourceId)
          // Removed or paused since it was queued, or refreshed meanwhile (another process's scheduler read
          // it as due just before this refresh moved its next check): nothing to do. Fetch failures are
          // stored on the source, not thrown.
          if (!source || source.pausedAt || Date.parse(source.nextCheckAt) > deps.now().getTime()) return
          await refreshSource(withJobs, source)
        })
      }
      if (slots.extract > 0) {
        await queue.work<ExtractJob>('extract', { concurrency: slots.extract }, async (job) => {
          const r = await ingestListedItem(withJobs, job.data)
          // An unreadable page is the item's outcome, not the job's: retrying would not read it either.
          if (r && !r.ok) deps.log?.({ type: 'item_failed', sourceId: job.data.sourceId, link: job.data.item.link, error: r.error })
        })
      }
      if (slots.cluster && stories) {
        await queue.work<StoryArticle>('cluster', { concurrency: 1 }, async (job) => {
          await stories.place(job.data)
        })
      }
    },
  }
}
