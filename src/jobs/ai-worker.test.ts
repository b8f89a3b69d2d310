import { test } from 'node:test'
import assert from 'node:assert/strict'
import { openStore } from '../store/open-store.js'
import { createAiWorker, retryDelayMs, type AiRun } from './ai-worker.js'
import type { AiTaskKey } from '../domain/types.js'
import type { StageError } from '../domain/result.js'

const key = (n: number): AiTaskKey => ({ subject: 'article', subjectId: n, feature: 'summary', model: 'm', lang: 'en', inputKey: '' })
const fail = (code: string, retryable: boolean, extra: Partial<StageError> = {}) =>
  ({ ok: false as const, error: { stage: 'ai' as const, code, message: code, retryable, ...extra } })

async function setup(run: AiRun, maxAttempts = 3) {
  const store = await openStore('sqlite::memory:')
  let clock = Date.parse('2026-12-01T10:00:00.000Z')
  const now = () => new Date(clock)
  const events: string[] = []
  const worker = createAiWorker({ store, run, now, log: (e) => events.push(`${e.type}:${e.task.subjectId}`) }, { concurrency: 2, maxAttempts, leaseMs: 60_000, idleMs: 1000, autoStart: false })
  return { store, worker, events, advance: (ms: number) => { clock += ms }, now }
}

test('a task runs once, its value, tokens and latency are cached; the next request gets the cached result', async () => {
  let calls = 0
  const { store, worker, now } = await setup(async () => {
    calls++
    return { ok: true, value: { value: { text: 'A short summary.' }, promptTokens: 300, completionTokens: 40, latencyMs: 1200 } }
  })
  await store.requestAiTask(key(1), { now: now().toISOString() })
  assert.equal(await worker.drain(), 1)
  const t = await store.requestAiTask(key(1), { now: now().toISOString() })
  assert.equal(t.status, 'done')
  assert.deepEqual(t.result, { text: 'A short summary.' })
  assert.equal(t.promptTokens, 300)
  assert.equal(t.latencyMs, 1200)
  assert.equal(await worker.drain(), 0, 'nothing left to do')
  assert.equal(calls, 1)
  await store.close()
})

test('a rate-limited task waits as long as the server asked, then succeeds; a bad key fails at once', async () => {
  const answers = new Map<number, ReturnType<typeof fail>[]>([[1, [fail('ai_rate_limited', true, { retryAfterSeconds: 120 })]], [2, [fail('ai_auth', false)]]])
  const { store, worker, events, advance, now } = await setup(async (task) => {
    const next = answers.get(task.subjectId)?.shift()
    return next ?? { ok: true, value: { value: 'ok', promptTokens: 1, completionTokens: 1, latencyMs: 5 } }
  })
  await store.requestAiTask(key(1), { now: now().toISOString() })
  await store.requestAiTask(key(2), { now: now().toISOString() })
  await worker.drain()
  const waiting = await store.getAiTask(key(1))
  assert.equal(waiting?.status, 'queued')
  assert.equal(waiting?.errorCode, 'ai_rate_limited')
  assert.equal(waiting?.nextTryAt, '2026-12-01T10:02:00.000Z')
  assert.equal((await store.getAiTask(key(2)))?.status, 'failed')
  advance(60_000)
  assert.equal(await worker.drain(), 0, 'not before Retry-After')
  advance(61_000)
  assert.equal(await worker.drain(), 1)
  assert.equal((await store.getAiTask(key(1)))?.status, 'done')
  assert.deepEqual(events, ['ai_retry:1', 'ai_failed:2', 'ai_done:1'])
  await store.close()
})

test('a task that keeps timing out fails after the last attempt, with the error kept for the reader', async () => {
  const { store, worker, advance, now } = await setup(async () => fail('ai_timeout', true), 3)
  await store.requestAiTask(key(1), { now: now().toISOString() })
  for (let i = 0; i < 5; i++) {
    await worker.drain()
    advance(3_600_000)
  }
  const t = await store.getAiTask(key(1))
  assert.equal(t?.status, 'failed')
  assert.equal(t?.attempts, 3)
  assert.equal(t?.errorCode, 'ai_timeout')
  await store.close()
})

test('a feature that throws fails its task and the worker goes on with the others', async () => {
  const { store, worker, now } = await setup(async (task) => {
    if (task.subjectId === 1) throw new Error('boom')
    return { ok: true, value: { value: 'fine', promptTokens: null, completionTokens: null, latencyMs: null } }
  })
  await store.requestAiTask(key(1), { now: now().toISOString() })
  await store.requestAiTask(key(2), { now: now().toISOString() })
  await worker.drain()
  assert.equal((await store.getAiTask(key(1)))?.errorCode, 'ai_internal')
  assert.equal((await store.getAiTask(key(2)))?.status, 'done')
  await store.close()
})

test('back-off doubles from 30 s and is capped at an hour unless the server asked for a time', () => {
  const e = { stage: 'ai' as const, code: 'ai_server_error', message: '', retryable: true }
  assert.deepEqual([1, 2, 3, 10].map((a) => retryDelayMs(e, a)), [30_000, 60_000, 120_000, 3_600_000])
  assert.equal(retryDelayMs({ ...e, retryAfterSeconds: 7 }, 5), 7000)
})
