/**
 * JOBS=queue on SQLite, in one process: the bundled demo publisher ingested through fetch → extract →
 * cluster jobs on the embedded queue gives the same articles and stories as the inline pipeline, and
 * /admin/jobs shows the queue's depth and its dead letters with a retry.
 */
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config/config.js'
import { buildApp, type App } from '../src/app.js'

const dirs: string[] = []
const apps: App[] = []
after(async () => {
  for (const a of apps) await a.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function demo(jobs: 'inline' | 'queue') {
  const dir = mkdtempSync(join(tmpdir(), `tidings-jobs-${jobs}-`))
  dirs.push(dir)
  const app = await buildApp(loadConfig({ DATA_DIR: dir, DEMO: '1', DEMO_PORT: '0', SCHEDULER: '0', FETCH_PER_HOST_INTERVAL_MS: '0', JOBS: jobs }), { schedule: false })
  apps.push(app)
  await app.scheduler.tick()
  return app
}

async function settled(app: App) {
  for (let i = 0; i < 120; i++) {
    const c = await app.queue!.counts()
    if (c.every((x) => x.queued === 0 && x.active === 0)) return c
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error('the queue did not drain')
}

const snapshot = async (app: App) => {
  const items = (await app.store.listArticles({ limit: 500 })).items
  const full = await Promise.all(items.map((a) => app.store.getArticle(a.id)))
  return {
    titles: items.map((a) => a.title).sort(),
    // Which titles share a story (ids differ between the two installs).
    groups: [...new Set(full.map((a) => a!.storyId))].map((s) => full.filter((a) => a!.storyId === s).map((a) => a!.title).sort().join(' | ')).sort(),
  }
}

test('the demo through the embedded job queue matches the inline pipeline: same articles, same stories', async () => {
  const inline = await demo('inline')
  const queued = await demo('queue')
  assert.equal(queued.queue?.kind, 'embedded')
  const counts = await settled(queued)
  const byName = Object.fromEntries(counts.map((c) => [c.name, c]))
  assert.equal(byName['fetch']!.completed, (await queued.store.listSources()).length, 'one fetch job per source')
  assert.ok(byName['extract']!.completed >= 20, 'an extract job per article')
  assert.equal(byName['extract']!.failed, 0)
  const [a, b] = [await snapshot(inline), await snapshot(queued)]
  assert.deepEqual(b.titles, a.titles)
  assert.deepEqual(b.groups, a.groups, 'the same stories')
  // A second round finds nothing new to queue: every item is known.
  for (const s of await queued.store.listSources()) await queued.store.updateSource(s.id, { nextCheckAt: new Date(0).toISOString(), etag: null, lastModified: null })
  await queued.scheduler.tick()
  const again = Object.fromEntries((await settled(queued)).map((c) => [c.name, c]))
  assert.equal(again['extract']!.completed, byName['extract']!.completed, 'no extract job for unchanged items')
})

test('/admin/jobs: depth per job kind and dead letters, with a retry that queues the job again', async () => {
  const app = apps[1]!
  const id = await app.queue!.send('extract', { sourceId: 999_999, listing: { format: 'rss', language: null, itemIds: [] }, item: { id: 'x' } }, { retryLimit: 0 })
  assert.ok(id)
  // The extract handler finds no such source and completes; a job that throws is what dies: make one.
  await app.queue!.work('enrich', { concurrency: 1, pollMs: 100 }, async () => { throw new Error('model endpoint refused: HTTP 401') })
  await app.queue!.send('enrich', { articleId: 1 }, { retryLimit: 0 })
  for (let i = 0; i < 40 && (await app.queue!.dead({ limit: 5 })).length === 0; i++) await new Promise((r) => setTimeout(r, 250))
  const page = await (await app.web.request('/admin/jobs')).text()
  assert.match(page, /<th scope="row">enrich<\/th><td>0<\/td><td>0<\/td><td>0<\/td><td>1<\/td>/)
  assert.match(page, /model endpoint refused: HTTP 401/)
  const dead = (await app.queue!.dead({ limit: 5 }))[0]!
  const r = await app.web.request(`/admin/jobs/${dead.id}/retry`, { method: 'POST', headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
  assert.equal(r.status, 303)
  assert.match(await (await app.web.request(r.headers.get('location')!)).text(), /Queued again\./)
})
