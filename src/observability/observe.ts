import type { Result } from '../domain/result.js'
import type { IngestEvent, ItemOutcome, RefreshReport } from '../pipeline/deps.js'
import type { JobHandler, JobQueue } from '../jobs/queue.js'
import type { AiWorkerEvent } from '../jobs/ai-worker.js'
import type { Store } from '../store/store.js'
import type { Logger } from './logger.js'
import type { Metrics } from './metrics.js'

/** How long the fetch log keeps an attempt. */
export const FETCH_LOG_DAYS = 30
const PRUNE_EVERY_MS = 3_600_000

/** A URL as logs may show it: scheme, host and path (query strings carry feed keys and tokens). */
export function logUrl(raw: string | null | undefined): string | null {
  if (!raw) return null
  try {
    const u = new URL(raw)
    return `${u.protocol}//${u.host}${u.pathname}`
  } catch {
    return null
  }
}

/** A message as logs may show it: URLs in it lose their query strings (feed keys, tokens). */
export function logMessage(message: string): string {
  return message.replace(/(https?:\/\/[^\s?#"'<>]+)\?[^\s#"'<>]*/g, '$1?…')
}

/**
 * The orchestrator's and the jobs' hooks (IngestDeps.recordRefresh / observeItem / log, a queue's
 * handlers, the AI worker's events), turned into fetch-log rows, metrics and log lines.
 */
export function createIngestObserver(deps: { store: Pick<Store, 'recordFetch' | 'pruneFetchLog'>; metrics: Metrics; log: Logger; now: () => Date }) {
  const log = deps.log
  let lastPrune = 0
  return {
    async recordRefresh(r: RefreshReport): Promise<void> {
      deps.metrics.refresh(r)
      const x = r.extraction
      try {
        await deps.store.recordFetch({
          sourceId: r.sourceId,
          startedAt: r.startedAt ?? deps.now().toISOString(),
          outcome: r.outcome,
          httpStatus: r.httpStatus ?? r.error?.status ?? null,
          durationMs: r.durationMs ?? 0,
          bytes: r.bytes ?? null,
          itemsSeen: r.itemsSeen ?? 0,
          created: r.created,
          updated: r.updated,
          queued: r.queued ?? 0,
          fullText: x?.full ?? 0,
          feedFallback: x?.fallback ?? 0,
          mojibakeRepaired: x?.mojibakeRepaired ?? 0,
          charsetGuessed: x?.charsetGuessed ?? 0,
          itemErrors: x?.failed ?? 0,
          errorCode: r.error?.code ?? null,
          errorMessage: r.error?.message ?? null,
        })
        const t = deps.now().getTime()
        if (t - lastPrune >= PRUNE_EVERY_MS) {
          lastPrune = t
          await deps.store.pruneFetchLog(new Date(t - FETCH_LOG_DAYS * 86_400_000).toISOString())
        }
      } catch (e) {
        // A source removed mid-refresh has no row to log against; anything else is worth a line.
        deps.metrics.logErrors.inc({ component: 'fetch_log' })
        log.warn({ component: 'fetch_log', sourceId: r.sourceId, err: e }, 'could not record the refresh in the fetch log')
      }
    },
    observeItem(_sourceId: number, r: Result<ItemOutcome>): void {
      deps.metrics.item(r)
    },
    /** Ingest events as log lines (errors with the source id and the error code). */
    ingestEvent(e: IngestEvent): void {
      const l = log.child({ component: 'refresh' })
      switch (e.type) {
        case 'source_refreshed': {
          const r = e.report
          const fields = { sourceId: r.sourceId, url: logUrl(r.url), outcome: r.outcome, status: r.httpStatus ?? null, ms: r.durationMs, created: r.created, updated: r.updated, queued: r.queued }
          if (r.error) {
            deps.metrics.logErrors.inc({ component: 'refresh' })
            l.warn({ ...fields, code: r.error.code, error: logMessage(r.error.message) }, 'refresh failed')
          } else if (r.created || r.updated || r.queued) l.info(fields, 'refreshed')
          else l.debug(fields, 'refreshed')
          break
        }
        case 'item_failed':
          l.warn({ sourceId: e.sourceId, link: logUrl(e.link), code: e.error.code, error: logMessage(e.error.message) }, 'item skipped')
          break
        case 'story_failed':
          l.warn({ articleId: e.articleId, error: e.message }, 'article not placed in a story')
          break
        case 'source_moved':
          l.info({ sourceId: e.sourceId, from: logUrl(e.from), to: logUrl(e.to) }, 'source moved permanently')
          break
      }
    },
    aiEvent(e: AiWorkerEvent): void {
      const l = log.child({ component: 'ai' })
      if (e.type === 'ai_failed') l.error({ taskId: e.task.id, feature: e.task.feature, code: e.error.code, error: e.error.message }, 'AI task failed')
      else if (e.type === 'ai_retry') l.warn({ taskId: e.task.id, feature: e.task.feature, code: e.error.code, nextTryAt: e.nextTryAt }, 'AI task will be retried')
      else l.debug({ taskId: e.task.id, feature: e.task.feature, ms: e.latencyMs }, 'AI task done')
    },
  }
}

export type IngestObserver = ReturnType<typeof createIngestObserver>

/** The queue with each failed job attempt logged (queue, job id, attempt, error) and counted. */
export function observedQueue(queue: JobQueue, deps: { metrics: Metrics; log: Logger }): JobQueue {
  const log = deps.log.child({ component: 'jobs' })
  return new Proxy(queue, {
    get(target, prop, receiver) {
      if (prop === 'work') {
        const work: JobQueue['work'] = <T,>(name: Parameters<JobQueue['work']>[0], opts: Parameters<JobQueue['work']>[1], handler: JobHandler<T>) => target.work<T>(name, opts, async (job) => {
          try {
            await handler(job)
          } catch (e) {
            deps.metrics.jobFailures.inc({ queue: name })
            log.error({ queue: name, jobId: job.id, attempt: job.attempt, err: e }, 'job failed')
            throw e
          }
        })
        return work
      }
      const v = Reflect.get(target, prop, receiver)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}
