import type { Store } from '../store/store.js'

/**
 * Renders article pages ahead of readers, into the stored pages (web/stored-pages.ts): it walks the
 * articles newest first, a window at a time, and asks the site for each one whose page is missing,
 * stale or of an earlier build, as an anonymous reader in the site's language would. The page cache
 * stores what comes back, so the reader who asks next gets it from the database.
 *
 * It gives way to readers: before each page it waits until the site has had no reader's request for a
 * moment (`idle`), so a busy site renders pages for its readers as they ask and warms in its pauses.
 * After a full pass it rests, then starts again from the newest (pages go stale as relative times move
 * on and related lists come due).
 */
export interface PageWarmerOptions {
  store: Store
  /** GETs a path of the site as the warmer's anonymous reader; resolves to the answer's status. */
  render(path: string): Promise<number>
  /** The stored pages' key of this reader's article pages, without the id. */
  keyPrefix: string
  /** The build whose pages count as rendered (see stored-pages.ts). */
  build: () => string
  now: () => number
  /** Whether readers leave room for a page now. */
  idle?: () => boolean
  /** Articles whose id modulo `count` is `index` (several warmers sharing the work). */
  shard?: { index: number; count: number }
  /** Articles per look-up (default 200). */
  window?: number
  /** Rest between passes (default 5 min), and the wait while readers are busy (default 100 ms). */
  restMs?: number
  busyWaitMs?: number
  onError?: (message: string, e: unknown) => void
}

export interface PassReport { rendered: number; failed: number; seconds: number }

export interface PageWarmer {
  /** One pass over every article; `progress` after each window. */
  pass(progress?: (r: PassReport) => void): Promise<PassReport>
  /** Passes until stopped. */
  start(): void
  stop(): Promise<void>
}

export function createPageWarmer(o: PageWarmerOptions): PageWarmer {
  const window = o.window ?? 200
  const restMs = o.restMs ?? 300_000
  const busyWaitMs = o.busyWaitMs ?? 100
  let stopped = false
  let running: Promise<void> | null = null
  let wake: (() => void) | null = null
  const sleep = (ms: number) => new Promise<void>((r) => {
    const t = setTimeout(() => { wake = null; r() }, ms)
    t.unref?.()
    wake = () => { clearTimeout(t); wake = null; r() }
  })
  const mine = (id: number) => !o.shard || id % o.shard.count === o.shard.index

  async function pass(progress?: (r: PassReport) => void): Promise<PassReport> {
    const t0 = performance.now()
    const r: PassReport = { rendered: 0, failed: 0, seconds: 0 }
    let cursor: string | null = null
    do {
      const batch: { ids: number[]; next: string | null } = await o.store.pagesToRender({ keyPrefix: o.keyPrefix, build: o.build(), now: o.now(), cursor, window })
      for (const id of batch.ids) {
        if (!mine(id)) continue
        while (!stopped && o.idle && !o.idle()) await sleep(busyWaitMs)
        if (stopped) break
        try {
          const status = await o.render(`/articles/${id}`)
          if (status === 200) r.rendered++
          else r.failed++
        } catch (e) {
          r.failed++
          o.onError?.(`could not render the page of article ${id}`, e)
        }
        // Readers' requests go first between two pages.
        await new Promise((resolve) => setImmediate(resolve))
      }
      cursor = batch.next
      r.seconds = (performance.now() - t0) / 1000
      progress?.(r)
    } while (cursor !== null && !stopped)
    return r
  }

  return {
    pass,
    start() {
      if (running) return
      stopped = false
      running = (async () => {
        while (!stopped) {
          try {
            await pass()
          } catch (e) {
            o.onError?.('a pass of the page warmer failed', e)
          }
          if (!stopped) await sleep(restMs)
        }
      })()
    },
    async stop() {
      stopped = true
      wake?.()
      await running
      running = null
    },
  }
}
