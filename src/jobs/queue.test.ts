import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openStore } from '../store/open-store.js'
import { rawDb } from '../store/raw-db.js'
import type { Store } from '../store/store.js'
import { queueContract, type QueueWorld } from './queue.contract.js'
import { EmbeddedQueue } from './embedded-queue.js'
import { PgBossQueue } from './pgboss-queue.js'
import type { JobQueue } from './queue.js'

async function embeddedWorld(openDb: () => Promise<Store>, cleanup?: () => Promise<void>): Promise<QueueWorld> {
  const store = await openDb()
  const db = rawDb(store)
  const queues: JobQueue[] = []
  return {
    controlsClock: true,
    async queue(opts = {}) {
      const offset = opts.clockOffsetMs ?? 0
      const q = new EmbeddedQueue({ db, dialect: store.dialect, now: () => new Date(Date.now() + offset) })
      await q.start()
      queues.push(q)
      return q
    },
    async close() {
      for (const q of queues) await q.stop({ timeoutMs: 0 })
      await store.close()
      await cleanup?.()
    },
  }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  await c.query(`drop schema if exists ${schema} cascade`)
  await c.end()
}

queueContract('embedded, sqlite in memory', () => embeddedWorld(() => openStore('sqlite::memory:')))

queueContract('embedded, sqlite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-jobs-'))
  return embeddedWorld(() => openStore(`sqlite:${join(dir, 'tidings.db')}`), async () => rmSync(dir, { recursive: true, force: true }))
})

const pgUrl = process.env.TEST_DATABASE_URL
if (pgUrl) {
  queueContract('embedded, postgres', async () => {
    const schema = `jobs_test_${randomBytes(4).toString('hex')}`
    return embeddedWorld(() => openStore(pgUrl, { schema }), () => dropSchema(pgUrl, schema))
  })

  queueContract('pg-boss', async () => {
    const schema = `pgboss_test_${randomBytes(4).toString('hex')}`
    const queues: JobQueue[] = []
    return {
      controlsClock: false,
      async queue() {
        // Maintenance every second so that an expired job is noticed within the test.
        const q = new PgBossQueue({ url: pgUrl, schema, maxConnections: 4, maintenanceIntervalSeconds: 1 })
        await q.start()
        queues.push(q)
        return q
      },
      async close() {
        for (const q of queues) await q.stop({ timeoutMs: 0 })
        await dropSchema(pgUrl, schema)
      },
    }
  })

  test('pg-boss: retry back-off is capped at one hour', async () => {
    const schema = `pgboss_test_${randomBytes(4).toString('hex')}`
    const q = new PgBossQueue({ url: pgUrl, schema, maxConnections: 2 })
    await q.start()
    try {
      let runs = 0
      const id = await q.send('enrich', {}, { retryLimit: 5, retryDelaySeconds: 3600 })
      await q.work('enrich', { concurrency: 1, pollMs: 500 }, async () => { runs++; throw new Error('down') })
      const c = new pg.Client({ connectionString: pgUrl })
      await c.connect()
      try {
        // pg-boss alone would wait 3600–7200 s before the first retry. clock_timestamp(), not now(): a reader's
        // now() is its transaction's start, which can precede the writer's though it sees the writer's commit.
        const row = await waitFor(async () => (await c.query(
          `select extract(epoch from start_after - clock_timestamp())::float8 as wait from ${schema}.job where id = $1 and state = 'retry'`, [id],
        )).rows[0] as { wait: number } | undefined)
        assert.ok(row.wait > 3500 && row.wait <= 3600, `waits ${row.wait} s`)
        assert.equal(runs, 1)
      } finally {
        await c.end()
      }
    } finally {
      await q.stop({ timeoutMs: 0 })
      await dropSchema(pgUrl, schema)
    }
  })
} else {
  test('job queue contract: postgres', { skip: 'TEST_DATABASE_URL is not set; the embedded-on-Postgres and pg-boss halves did not run' }, () => {})
}

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** The embedded queue with a clock the test moves by hand. */
async function manualClock(): Promise<{ store: Store; at: (iso: string) => void; now: () => Date; queue: () => EmbeddedQueue; row: (id: string) => Promise<any> }> {
  const store = await openStore('sqlite::memory:')
  let t = Date.parse('2026-11-20T10:00:00.000Z')
  const now = () => new Date(t)
  return {
    store,
    now,
    at: (iso) => { t = Date.parse(iso) },
    queue: () => new EmbeddedQueue({ db: rawDb(store), dialect: store.dialect, now }),
    row: (id) => rawDb(store).selectFrom('jobs').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow(),
  }
}

test('embedded: the retry delay doubles each attempt up to one hour', async () => {
  const m = await manualClock()
  const q = m.queue()
  try {
    const id = (await q.send('fetch', { sourceId: 1 }, { retryLimit: 6, retryDelaySeconds: 600 }))!
    await q.work('fetch', { concurrency: 1, pollMs: 10 }, async () => { throw new Error('HTTP 503') })
    const waits: number[] = []
    for (let attempt = 1; attempt <= 6; attempt++) {
      const r = await waitFor(async () => { const r = await m.row(id); return r.state === 'queued' && r.attempt === attempt ? r : undefined })
      assert.equal(r.last_error, 'HTTP 503')
      const from = m.now().getTime()
      waits.push((Date.parse(r.start_after) - from) / 1000)
      m.at(r.start_after) // due now: the next poll takes it
    }
    assert.deepEqual(waits, [600, 1200, 2400, 3600, 3600, 3600])
    const dead = await waitFor(async () => { const r = await m.row(id); return r.state === 'failed' ? r : undefined })
    assert.equal(dead.attempt, 7)
  } finally {
    await q.stop({ timeoutMs: 0 })
    await m.store.close()
  }
})

test('embedded: completed jobs go after a day, dead ones stay', async () => {
  const m = await manualClock()
  const q = m.queue()
  try {
    await q.send('extract', { ok: true })
    await q.send('extract', { ok: false }, { retryLimit: 0 })
    await q.work<{ ok: boolean }>('extract', { concurrency: 1, pollMs: 10 }, async (job) => { if (!job.data.ok) throw new Error('no') })
    await waitFor(async () => { const c = (await q.counts())[1]!; return c.completed === 1 && c.failed === 1 ? true : undefined })
    m.at('2026-11-21T10:30:00.000Z')
    await waitFor(async () => ((await q.counts())[1]!.completed === 0 ? true : undefined))
    assert.equal((await q.counts())[1]!.failed, 1)
    assert.equal((await q.dead({ limit: 5 })).length, 1)
  } finally {
    await q.stop({ timeoutMs: 0 })
    await m.store.close()
  }
})

test('embedded: a worker whose job expired and went to another cannot finish it', async () => {
  const store = await openStore('sqlite::memory:')
  const db = rawDb(store)
  const a = new EmbeddedQueue({ db, dialect: store.dialect })
  const b = new EmbeddedQueue({ db, dialect: store.dialect, now: () => new Date(Date.now() + 120_000) })
  const aGate = { open: () => {} }
  const bGate = { open: () => {} }
  try {
    const id = await a.send('fetch', {}, { expireInSeconds: 60 })
    let aHas = false
    let bHas = false
    await a.work('fetch', { concurrency: 1, pollMs: 10 }, async () => { aHas = true; await new Promise<void>((r) => { aGate.open = r }) })
    await waitFor(async () => (aHas ? true : undefined))
    await b.work('fetch', { concurrency: 1, pollMs: 10 }, async () => { bHas = true; await new Promise<void>((r) => { bGate.open = r }) })
    await waitFor(async () => (bHas ? true : undefined))
    aGate.open() // the stale worker returns: its completion must not land
    await new Promise((r) => setTimeout(r, 50))
    assert.deepEqual((await a.counts())[0], { name: 'fetch', queued: 0, active: 1, failed: 0, completed: 0 })
    bGate.open()
    await waitFor(async () => ((await a.counts())[0]!.completed === 1 ? true : undefined))
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow()
    assert.equal(row.attempt, 2)
    assert.match(row.last_error, /attempt 1 expired/)
  } finally {
    await a.stop({ timeoutMs: 0 })
    await b.stop({ timeoutMs: 0 })
    await store.close()
  }
})
