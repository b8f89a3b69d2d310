import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openStore } from '../store/open-store.js'
import { createScheduler } from './scheduler.js'
import { DEFAULT_POLICY, type IngestDeps } from '../pipeline/deps.js'
import type { Fetcher } from '../pipeline/fetch/fetcher.js'
import { ok } from '../domain/result.js'

const FEED = (n: number) => `<rss version="2.0"><channel><title>S${n}</title>
<item><guid isPermaLink="false">${n}-1</guid><title>Item ${n}</title><description>&lt;p&gt;Story ${n} is told here at enough length to be kept as text.&lt;/p&gt;</description></item></channel></rss>`

test('the scheduler refreshes due sources only, joins a refresh already running, and stops cleanly', async () => {
  const store = await openStore('sqlite::memory:')
  let now = new Date('2026-11-22T12:00:00.000Z')
  const requested: string[] = []
  let release: () => void = () => {}
  const gate = new Promise<void>((r) => (release = r))
  const fetch: Fetcher = async (req) => {
    requested.push(req.url)
    if (req.url.includes('slow')) await gate
    const n = Number(/s(\d)/.exec(req.url)?.[1] ?? 0)
    return ok({ url: req.url, status: 200, headers: { 'content-type': 'application/rss+xml' }, body: new TextEncoder().encode(FEED(n)), notModified: false, redirects: [] })
  }
  const deps: IngestDeps = { store, fetch, now: () => now, random: () => 0, policy: { ...DEFAULT_POLICY } }
  const due = (await store.addSource({ kind: 'feed', url: 'https://s1.example/feed' }, now.toISOString())).source
  const later = (await store.addSource({ kind: 'feed', url: 'https://s2.example/feed' }, now.toISOString())).source
  await store.updateSource(later.id, { nextCheckAt: new Date(now.getTime() + 3_600_000).toISOString() })

  const scheduler = createScheduler(deps, { tickMs: 60_000, concurrency: 2, autoStart: false })
  await scheduler.tick()
  assert.deepEqual(requested, ['https://s1.example/feed'])
  assert.equal((await store.getSource(due.id))?.nextCheckAt, new Date(now.getTime() + 30 * 60_000).toISOString(), 'next check one poll interval later')

  const slow = (await store.addSource({ kind: 'feed', url: 'https://slow-s3.example/feed' }, now.toISOString())).source
  const a = scheduler.refreshNow(slow.id)
  const b = scheduler.refreshNow(slow.id)
  const tick = scheduler.tick() // the slow source is in flight: the tick must not start it again
  release()
  const [ra, rb] = await Promise.all([a, b, tick])
  assert.equal(ra, rb, 'the second request joined the first')
  assert.equal(requested.filter((u) => u.includes('slow')).length, 1)
  assert.equal(await scheduler.refreshNow(99_999), null)

  now = new Date(now.getTime() + 2 * 3_600_000)
  await scheduler.tick()
  assert.ok(requested.includes('https://s2.example/feed'), 'due later, refreshed when its time came')
  await scheduler.stop()
  await store.close()
})
