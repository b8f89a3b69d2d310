import type { Store } from '../store/store.js'
import { subscribe } from '../pipeline/subscribe.js'
import type { IngestDeps } from '../pipeline/deps.js'
import { startDemoPublisher, } from './server.js'
import { DEMO_FEED_PATHS } from './publisher.js'

export interface DemoHandle {
  /** `http://127.0.0.1:8081` */
  url: string
  /** `127.0.0.1:8081`, for the fetcher's allow-list: the demo is the one loopback host we fetch by default. */
  host: string
  /** On an install with no sources, subscribes to the demo feeds once (never again after that, even if removed). */
  subscribeOnce(deps: IngestDeps): Promise<void>
  close(): Promise<void>
}

const ANCHOR_KEY = 'demo.anchor'
const SUBSCRIBED_KEY = 'demo.subscribed'

/** Starts the bundled offline publisher; its dates hang from an anchor stored at first start, so they stay put across restarts. */
export async function startDemo(opts: { store: Store; port: number; now: () => Date }): Promise<DemoHandle> {
  let anchor = await opts.store.getSetting(ANCHOR_KEY)
  if (!anchor || Number.isNaN(Date.parse(anchor))) {
    anchor = opts.now().toISOString()
    await opts.store.setSetting(ANCHOR_KEY, anchor)
  }
  const server = await startDemoPublisher({ port: opts.port, host: '127.0.0.1', anchor: new Date(anchor) })
  const u = new URL(server.url)
  return {
    url: server.url,
    host: u.host,
    async subscribeOnce(deps) {
      if (await opts.store.getSetting(SUBSCRIBED_KEY)) return
      if ((await opts.store.listSources()).length > 0) return
      for (const path of DEMO_FEED_PATHS) {
        const r = await subscribe(deps, new URL(path, server.url).toString())
        if (!r.ok) console.error(`demo: could not subscribe to ${path}: ${r.error.message}`)
      }
      await opts.store.setSetting(SUBSCRIBED_KEY, opts.now().toISOString())
    },
    close: () => server.close(),
  }
}
