/**
 * The story desk: the streaming clusterer's memory (ClusterStream) kept in step with the store. A new
 * article is placed in memory at once, synchronously, so articles stored concurrently see each other
 * in the order they arrive; the placements are written to the store in that same order. At start-up,
 * after an operator's split or merge, and once per window as it goes, the memory is rebuilt from what
 * the store holds for the window, so it stays bounded and agrees with the operator.
 */
import type { IsoDate } from '../domain/types.js'
import type { Store } from '../store/store.js'
import { ClusterStream, type StreamArticle } from './cluster/cluster-stream.js'
import { DEFAULT_CLUSTER_POLICY } from './cluster/story-clusterer.js'
import type { IngestEvent, StoryArticle } from './deps.js'

export interface StoryDesk {
  /**
   * Rebuilds the memory from the store's articles of the window (placing any never placed); returns
   * how many were read. Minutes on a big install: callers need not wait, as placements, splits and
   * merges asked for meanwhile wait for it, so they see what the store already holds.
   */
  hydrate(): Promise<number>
  /** True while a hydrate is under way (for readiness checks). */
  rebuilding(): boolean
  /** Puts a newly stored article in a story; null when it was not placed (already placed, nothing to read, or a failure, logged). */
  place(article: StoryArticle): Promise<{ storyId: number; duplicateOf: number | null } | null>
  /** An operator takes an article out of its story (see Store.splitFromStory). */
  split(articleId: number): Promise<{ fromStory: number; toStory: number } | null>
  /** An operator merges story `from` into story `into` (see Store.mergeStories). */
  merge(from: number, into: number): Promise<boolean>
  /** Resolves when every placement and rebuild asked for so far is done (before closing the store). */
  idle(): Promise<void>
}

export type StoryDeskEvent = Extract<IngestEvent, { type: 'story_failed' }>

export interface StoryDeskOptions {
  store: Store
  now: () => Date
  /** How far back the memory reaches; a story with nothing new for this long is closed. */
  windowHours?: number
  log?: (event: StoryDeskEvent) => void
}

/** Clustering reads this much of an article: a 10 MB text must not hold up every other placement. */
const CLUSTER_TEXT_CHARS = 50_000
/** Articles read back per rebuild (the newest, when the window holds more). */
const REBUILD_LIMIT = 50_000
/** A rebuild holds the event loop at most this long at a time. */
const YIELD_MS = 5

/** A placement decided in memory and not yet written. */
interface Placement {
  article: StreamArticle
  story: string
  duplicateOf: string | null
  similarity: number
}

export function createStoryDesk(opts: StoryDeskOptions): StoryDesk {
  const { store, now } = opts
  const windowHours = opts.windowHours ?? DEFAULT_CLUSTER_POLICY.windowHours
  const newStream = () => new ClusterStream({ clusters: { ...DEFAULT_CLUSTER_POLICY, windowHours } })
  let stream = newStream()
  let known = new Set<number>()
  let rebuiltAt = now().getTime()
  /** Placed in memory, write still queued: a rebuild puts them back, as the store does not have them yet. */
  const unwritten = new Set<Placement>()

  // Every store write, and every rebuild, runs one after the other in call order.
  let tail: Promise<unknown> = Promise.resolve()
  const queue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job)
    tail = run.then(() => {}, () => {})
    return run
  }

  const fail = (articleId: number, e: unknown) =>
    opts.log?.({ type: 'story_failed', articleId, message: e instanceof Error ? e.message : String(e) })

  const write = (p: Placement): Promise<number> => {
    const id = Number(p.article.id)
    const story = Number(p.story)
    const duplicateOf = p.duplicateOf === null ? null : Number(p.duplicateOf)
    return store.placeInStory(id, {
      storyId: story === id ? null : story,
      duplicateOf,
      similarity: p.similarity,
      placedBy: duplicateOf !== null ? 'duplicate' : 'content',
    }, now().toISOString())
  }

  /** Runs inside the queue. `remap` moves placements not yet written out of a story the operator emptied. */
  async function rebuild(remap?: { from: number; to: number }): Promise<number> {
    const at = now()
    const since = new Date(at.getTime() - windowHours * 3_600_000).toISOString()
    const records = await store.clusterRecords({ since, limit: REBUILD_LIMIT })
    const next = newStream()
    const ids = new Set<number>()
    const unplaced: Placement[] = []
    let slice = performance.now()
    for (const r of records) {
      // Minutes of CPU on a big install: requests get in every few milliseconds (the new memory goes
      // live only at the end). By time, not by count: placing an unplaced article costs far more than
      // restoring a placed one.
      if (performance.now() - slice > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve))
        slice = performance.now()
      }
      ids.add(r.id)
      const article = streamArticle({ id: r.id, title: r.title, text: r.text, at: r.at })
      try {
        if (r.storyId !== null) {
          next.restore(article, { story: String(r.storyId), duplicateOf: r.duplicateOf === null ? null : String(r.duplicateOf) })
        } else if (readable(article)) {
          // Stored while placement failed or before stories existed: placed now.
          const d = next.add(article)
          unplaced.push({ article, story: d.story, duplicateOf: d.duplicateOf, similarity: d.similarity })
        }
      } catch (e) {
        fail(r.id, e)
      }
    }
    // Placed while the store was being read (in the old memory): their writes are queued behind this.
    for (const p of unwritten) {
      if (remap && p.story === String(remap.from)) p.story = String(remap.to)
      if (ids.has(Number(p.article.id))) continue
      ids.add(Number(p.article.id))
      next.restore(p.article, { story: p.story, duplicateOf: p.duplicateOf })
    }
    stream = next
    known = ids
    rebuiltAt = at.getTime()
    for (const p of unplaced) {
      try {
        await write(p)
      } catch (e) {
        fail(Number(p.article.id), e)
      }
    }
    return records.length
  }

  /** Hydrates under way: a placement waits for them (splits and merges already queue behind them). */
  let hydrating = 0
  let hydrated: Promise<unknown> = Promise.resolve()

  const desk: StoryDesk = {
    hydrate: () => {
      hydrating++
      const run = queue(() => rebuild())
      hydrated = run.then(() => {}, () => {}).finally(() => { hydrating-- })
      return run
    },

    rebuilding: () => hydrating > 0,

    place(a) {
      // Placed against an empty memory, a new article would start a story of its own beside its own.
      if (hydrating > 0) return hydrated.then(() => desk.place(a))
      if (known.has(a.id)) return Promise.resolve(null)
      let p: Placement
      try {
        const article = streamArticle({ id: a.id, title: a.title, text: a.text, at: storyTime(a) })
        if (!readable(article)) {
          fail(a.id, new Error(`story desk: article ${a.id} has no title or text to cluster`))
          return Promise.resolve(null)
        }
        const d = stream.add(article)
        p = { article, story: d.story, duplicateOf: d.duplicateOf, similarity: d.similarity }
      } catch (e) {
        fail(a.id, e)
        return Promise.resolve(null)
      }
      known.add(a.id)
      unwritten.add(p)
      const placed = queue(async () => {
        try {
          const storyId = await write(p)
          return { storyId, duplicateOf: p.duplicateOf === null ? null : Number(p.duplicateOf) }
        } catch (e) {
          fail(a.id, e)
          return null
        } finally {
          unwritten.delete(p)
        }
      })
      // Stories older than the window are closed in the stream but its indexes keep every article:
      // rebuilding once a window keeps the memory to about two windows' worth.
      if (now().getTime() - rebuiltAt > windowHours * 3_600_000) {
        rebuiltAt = now().getTime()
        void queue(() => rebuild()).catch((e) => fail(a.id, e))
      }
      return placed
    },

    split: (articleId) => queue(async () => {
      const r = await store.splitFromStory(articleId, now().toISOString())
      // When the article started its story, the rest went on under `fromStory`: so do pending placements.
      if (r) await rebuild({ from: r.toStory, to: r.fromStory })
      return r
    }),

    // After the hydrate, the placements waiting for it have queued their writes: then the queue's end.
    idle: () => hydrated.then(() => tail).then(() => {}),

    merge: (from, into) => queue(async () => {
      const merged = await store.mergeStories(from, into, now().toISOString())
      if (merged) await rebuild({ from, to: into })
      return merged
    }),
  }
  return desk
}

/** When an article happened for clustering: publication, or fetch when there is none or it lies ahead (as the store's list time). */
function storyTime(a: Pick<StoryArticle, 'published' | 'fetchedAt'>): IsoDate {
  const published = a.published ? Date.parse(a.published) : Number.NaN
  const fetched = Date.parse(a.fetchedAt)
  return !Number.isNaN(published) && (Number.isNaN(fetched) || published < fetched) ? a.published! : a.fetchedAt
}

function streamArticle(a: { id: number; title: unknown; text: unknown; at: IsoDate }): StreamArticle {
  const t = Date.parse(a.at)
  return {
    id: String(a.id),
    title: typeof a.title === 'string' ? a.title : '',
    text: typeof a.text === 'string' ? a.text.slice(0, CLUSTER_TEXT_CHARS) : '',
    time: Number.isNaN(t) ? null : t,
  }
}

const readable = (a: StreamArticle) => a.title.trim().length > 0 || a.text.trim().length > 0
