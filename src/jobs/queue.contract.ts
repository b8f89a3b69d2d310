import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { JOB_NAMES, type Job, type JobCounts, type JobName, type JobQueue } from './queue.js'

/** One database holding a queue, and the instances ("worker processes") opened on it. */
export interface QueueWorld {
  /** A new, started queue instance on this world's database. */
  queue(opts?: { clockOffsetMs?: number }): Promise<JobQueue>
  /** Whether queue() honours clockOffsetMs (embedded); if not, the expiry test waits in real time. */
  readonly controlsClock: boolean
  /** Stops every instance, the abandoned ones too, and drops the database. */
  close(): Promise<void>
}

const POLL_MS = 50 // pg-boss raises it to its floor of 500 ms
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function until<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await sleep(25)
  }
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void
  const wait = new Promise<void>((resolve) => { open = resolve })
  return { wait, open }
}

async function countsOf(q: JobQueue, name: JobName): Promise<Omit<JobCounts, 'name'>> {
  const c = (await q.counts()).find((x) => x.name === name)
  assert.ok(c, `counts() has ${name}`)
  const { name: _, ...rest } = c
  return rest
}

/** One behaviour for both queues: the embedded one on SQLite (and Postgres), pg-boss on Postgres. */
export function queueContract(name: string, open: () => Promise<QueueWorld>): void {
  describe(`job queue contract: ${name}`, () => {
    const inWorld = (fn: (w: QueueWorld) => Promise<void>) => async () => {
      const w = await open()
      try {
        await fn(w)
      } finally {
        await w.close()
      }
    }

    test('a job sent is handled once, with its data', inWorld(async (w) => {
      const q = await w.queue()
      const seen: Job[] = []
      const id = await q.send('fetch', { sourceId: 7, url: 'https://news.example/feed.xml', tags: ['a', 'b'] })
      assert.ok(id)
      // Payloads that are not objects come back as sent.
      const other = [await q.send('extract', ['x', 1, { y: null }]), await q.send('extract', 'just text'), await q.send('extract', undefined)]
      assert.ok(other.every((x) => typeof x === 'string'))
      await q.work('fetch', { concurrency: 1, pollMs: POLL_MS }, async (job) => { seen.push(job) })
      await q.work('extract', { concurrency: 1, pollMs: POLL_MS }, async (job) => { seen.push(job) })
      await until('the jobs complete', async () => (await countsOf(q, 'fetch')).completed === 1 && (await countsOf(q, 'extract')).completed === 3)
      const fetched = seen.filter((j) => j.name === 'fetch')
      assert.equal(fetched.length, 1)
      assert.deepEqual(fetched[0], { id, name: 'fetch', data: { sourceId: 7, url: 'https://news.example/feed.xml', tags: ['a', 'b'] }, attempt: 1 })
      const extracted = new Map(seen.filter((j) => j.name === 'extract').map((j) => [j.id, j.data]))
      assert.deepEqual(other.map((x) => extracted.get(x!)), [['x', 1, { y: null }], 'just text', null])
      const all = await q.counts()
      assert.deepEqual(all.map((c) => c.name), [...JOB_NAMES])
      assert.deepEqual(await countsOf(q, 'fetch'), { queued: 0, active: 0, failed: 0, completed: 1 })
      assert.deepEqual(await countsOf(q, 'cluster'), { queued: 0, active: 0, failed: 0, completed: 0 })
      assert.equal(seen.length, 4, 'nothing ran twice')
    }))

    test('a singleton key allows one queued-or-active job per queue', inWorld(async (w) => {
      const q = await w.queue()
      const first = await q.send('fetch', { sourceId: 1 }, { singletonKey: 'source:1' })
      assert.ok(first)
      assert.equal(await q.send('fetch', { sourceId: 1 }, { singletonKey: 'source:1' }), null, 'refused while queued')
      assert.ok(await q.send('fetch', { sourceId: 2 }, { singletonKey: 'source:2' }), 'another key')
      assert.ok(await q.send('extract', { sourceId: 1 }, { singletonKey: 'source:1' }), 'the key is per queue')
      const racing = await Promise.all(Array.from({ length: 6 }, () => q.send('fetch', { sourceId: 3 }, { singletonKey: 'source:3' })))
      assert.equal(racing.filter((x) => x !== null).length, 1, 'concurrent sends: exactly one wins')

      const g = gate()
      const started: Job[] = []
      await q.work('fetch', { concurrency: 3, pollMs: POLL_MS }, async (job) => { started.push(job); await g.wait })
      await until('all three run', () => started.length === 3)
      assert.equal(await q.send('fetch', { sourceId: 1 }, { singletonKey: 'source:1' }), null, 'refused while active')
      g.open()
      await until('they complete', async () => (await countsOf(q, 'fetch')).completed === 3)
      const again = await q.send('fetch', { sourceId: 1 }, { singletonKey: 'source:1' })
      assert.ok(again, 'accepted once the first is done')
      assert.notEqual(again, first)
      await until('it completes too', async () => (await countsOf(q, 'fetch')).completed === 4)
    }))

    test('a failing handler is retried with back-off and can succeed', inWorld(async (w) => {
      const q = await w.queue()
      const attempts: number[] = []
      const id = await q.send('extract', { articleId: 3 }, { retryLimit: 3, retryDelaySeconds: 1 })
      await q.work('extract', { concurrency: 1, pollMs: POLL_MS }, async (job) => {
        assert.equal(job.id, id)
        attempts.push(job.attempt)
        if (job.attempt < 3) throw new Error(`flaky page (attempt ${job.attempt})`)
      })
      await until('the third attempt succeeds', async () => (await countsOf(q, 'extract')).completed === 1, 30_000)
      assert.deepEqual(attempts, [1, 2, 3])
      assert.deepEqual(await countsOf(q, 'extract'), { queued: 0, active: 0, failed: 0, completed: 1 })
      assert.deepEqual(await q.dead({ limit: 10 }), [])
    }))

    test('a job that always fails is dead after retryLimit + 1 attempts, and the admin can retry it', inWorld(async (w) => {
      const q = await w.queue()
      let fixed = false
      const runs: number[] = []
      const id = await q.send('enrich', { articleId: 4 }, { retryLimit: 2, retryDelaySeconds: 1 })
      assert.ok(id)
      await q.work('enrich', { concurrency: 1, pollMs: POLL_MS }, async (job) => {
        runs.push(job.attempt)
        if (!fixed) throw new Error(`model unavailable (attempt ${job.attempt})`)
      })
      const [d, ...more] = await until('the job is dead', async () => { const d = await q.dead({ limit: 10 }); return d.length > 0 && d }, 30_000)
      assert.equal(more.length, 0)
      assert.equal(d!.id, id)
      assert.equal(d!.name, 'enrich')
      assert.deepEqual(d!.data, { articleId: 4 })
      assert.equal(d!.attempts, 3)
      assert.match(d!.error, /model unavailable \(attempt 3\)/)
      assert.ok(Math.abs(Date.parse(d!.failedAt) - Date.now()) < 60_000, 'failedAt is a time')
      assert.deepEqual(runs, [1, 2, 3])
      assert.deepEqual(await countsOf(q, 'enrich'), { queued: 0, active: 0, failed: 1, completed: 0 })
      assert.deepEqual(await q.dead({ name: 'fetch', limit: 10 }), [])
      assert.equal((await q.dead({ name: 'enrich', limit: 10 })).length, 1)

      fixed = true
      assert.equal(await q.retryDead(id), true)
      assert.equal(await q.retryDead(id), false, 'no longer dead')
      assert.equal(await q.retryDead('no-such-job'), false)
      assert.equal(await q.retryDead('00000000-0000-4000-8000-000000000000'), false)
      assert.equal(await q.retryDead('999999'), false)
      await until('the fixed handler completes it', async () => (await countsOf(q, 'enrich')).completed === 1)
      assert.deepEqual(runs, [1, 2, 3, 4])
      assert.deepEqual(await countsOf(q, 'enrich'), { queued: 0, active: 0, failed: 0, completed: 1 })
      assert.deepEqual(await q.dead({ limit: 10 }), [])
    }))

    test('two workers with two slots each handle 40 jobs, each exactly once', inWorld(async (w) => {
      const a = await w.queue()
      const b = await w.queue()
      const sent = await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 ? a : b).send('extract', { n })))
      assert.ok(sent.every((x) => typeof x === 'string'))
      const handled: Job<{ n: number }>[] = []
      let running = 0
      let most = 0
      const handler = async (job: Job<{ n: number }>) => {
        handled.push(job)
        most = Math.max(most, ++running)
        await sleep(5)
        running--
      }
      await a.work('extract', { concurrency: 2, pollMs: POLL_MS }, handler)
      await b.work('extract', { concurrency: 2, pollMs: POLL_MS }, handler)
      await until('all 40 complete', async () => (await countsOf(a, 'extract')).completed === 40, 30_000)
      await a.stop()
      await b.stop()
      assert.equal(handled.length, 40)
      assert.equal(new Set(handled.map((j) => j.id)).size, 40, 'no job ran twice')
      assert.deepEqual(handled.map((j) => j.id).sort(), [...sent].sort())
      assert.deepEqual(handled.map((j) => j.data.n).sort((x, y) => x - y), Array.from({ length: 40 }, (_, n) => n))
      assert.ok(most <= 4, 'never more than 2 × 2 at once')
    }))

    test('stop() releases a job still running; a new worker completes it on the same attempt', inWorld(async (w) => {
      const a = await w.queue()
      const late = gate()
      let aJob: Job | null = null
      let aDone = false
      await a.work('cluster', { concurrency: 1, pollMs: POLL_MS }, async (job) => { aJob = job; await late.wait; aDone = true })
      const id = await a.send('cluster', { storyId: 6 })
      await until('the first worker runs it', () => aJob !== null)
      await a.stop({ timeoutMs: 100 })

      const b = await w.queue()
      assert.deepEqual(await countsOf(b, 'cluster'), { queued: 1, active: 0, failed: 0, completed: 0 }, 'released, not failed')
      const bJobs: Job[] = []
      await b.work('cluster', { concurrency: 1, pollMs: POLL_MS }, async (job) => { bJobs.push(job) })
      // At once: well before any retry back-off (30 s by default) would let it run.
      await until('the second worker completes it', async () => (await countsOf(b, 'cluster')).completed === 1, 10_000)
      assert.equal(bJobs.length, 1)
      assert.equal(bJobs[0]!.id, id)
      assert.equal(bJobs[0]!.attempt, 1, 'the interrupted run is not an attempt')

      late.open() // the first worker's handler ends after all: it must change nothing
      await until('the abandoned handler returns', () => aDone)
      await sleep(100)
      assert.deepEqual(await countsOf(b, 'cluster'), { queued: 0, active: 0, failed: 0, completed: 1 })
      assert.equal(bJobs.length, 1)
    }))

    test('a job whose worker died is handled by another once it expires', inWorld(async (w) => {
      const a = await w.queue()
      let aRuns = 0
      // The first worker takes the job and never finishes it, nor stops: it died.
      await a.work('fetch', { concurrency: 1, pollMs: POLL_MS }, async () => { aRuns++; await new Promise(() => {}) })
      // With a clock we control, the job would not expire within the test without it; without, wait ~1 s.
      const expireInSeconds = w.controlsClock ? 600 : 1
      const id = await a.send('fetch', { sourceId: 9 }, { expireInSeconds, retryDelaySeconds: 1 })
      await until('the first worker holds it', () => aRuns === 1)

      const b = await w.queue(w.controlsClock ? { clockOffsetMs: (expireInSeconds + 1) * 1000 } : {})
      const bJobs: Job[] = []
      await b.work('fetch', { concurrency: 1, pollMs: POLL_MS }, async (job) => { bJobs.push(job) })
      await until('the other worker completes it', async () => (await countsOf(b, 'fetch')).completed === 1, 20_000)
      assert.equal(bJobs.length, 1)
      assert.equal(bJobs[0]!.id, id)
      assert.deepEqual(bJobs[0]!.data, { sourceId: 9 })
      assert.equal(bJobs[0]!.attempt, 2, 'the expired run counts as an attempt')
      assert.equal(aRuns, 1)
      assert.deepEqual(await countsOf(b, 'fetch'), { queued: 0, active: 0, failed: 0, completed: 1 })
    }))
  })
}
