import { test } from 'node:test'
import assert from 'node:assert/strict'
import { err, ok, stageError } from '../../domain/result.js'
import type { Result, StageError } from '../../domain/result.js'
import { NO_OPT_OUT } from './ai-optout.js'
import { createTdmRepLookup } from './tdmrep-cache.js'

type Reply = Result<{ status: number; body: string }, StageError>
const HOUR = 60 * 60_000
const NEWS_RULES = JSON.stringify([{ location: '/news/', 'tdm-reservation': 1, 'tdm-policy': 'https://a.example/policy' }])

/** A fake fetch that counts calls per URL and answers from a table (or a function of the call number). */
function fakeFetch(answer: (url: string, n: number) => Reply | Promise<Reply>) {
  const calls: string[] = []
  return {
    calls,
    fetch: async (url: string): Promise<Reply> => {
      calls.push(url)
      return answer(url, calls.filter((c) => c === url).length)
    },
  }
}

function clock(start = 1_000_000) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

test('tdmrep lookup: fetches the origin\'s well-known file once and applies it to each page', async () => {
  const f = fakeFetch(() => ok({ status: 200, body: NEWS_RULES }))
  const c = clock()
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: c.now })
  assert.deepEqual(await lookup('https://a.example/news/1'), {
    optedOut: true,
    imagesOnly: false,
    signals: ['tdmrep.json: /news/'],
    policyUrl: 'https://a.example/policy',
  })
  assert.deepEqual(await lookup('https://a.example/sport/2'), NO_OPT_OUT)
  assert.equal((await lookup('https://a.example/news/3?x=1')).optedOut, true)
  assert.deepEqual(f.calls, ['https://a.example/.well-known/tdmrep.json'])
})

test('tdmrep lookup: one file per origin, port and scheme included', async () => {
  const f = fakeFetch(() => ok({ status: 200, body: '[]' }))
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: clock().now })
  await lookup('https://a.example/x')
  await lookup('https://b.example/x')
  await lookup('https://a.example:8443/x')
  await lookup('http://a.example/x')
  await lookup('https://A.EXAMPLE/y')
  assert.deepEqual(f.calls, [
    'https://a.example/.well-known/tdmrep.json',
    'https://b.example/.well-known/tdmrep.json',
    'https://a.example:8443/.well-known/tdmrep.json',
    'http://a.example/.well-known/tdmrep.json',
  ])
})

test('tdmrep lookup: refetched after the TTL (24 h by default), and the new file applies', async () => {
  const f = fakeFetch((_, n) => ok({ status: 200, body: n === 1 ? '[]' : NEWS_RULES }))
  const c = clock()
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: c.now })
  assert.equal((await lookup('https://a.example/news/1')).optedOut, false)
  c.advance(24 * HOUR - 1)
  assert.equal((await lookup('https://a.example/news/1')).optedOut, false)
  assert.equal(f.calls.length, 1)
  c.advance(1)
  assert.equal((await lookup('https://a.example/news/1')).optedOut, true)
  assert.equal(f.calls.length, 2)
})

test('tdmrep lookup: a custom TTL', async () => {
  const f = fakeFetch(() => ok({ status: 200, body: '[]' }))
  const c = clock()
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: c.now, ttlMs: 1000 })
  await lookup('https://a.example/')
  c.advance(999)
  await lookup('https://a.example/')
  c.advance(1)
  await lookup('https://a.example/')
  assert.equal(f.calls.length, 2)
})

test('tdmrep lookup: 404 (as a value or as an error) is "no rules", cached for the full TTL', async () => {
  for (const reply of [
    ok({ status: 404, body: 'Not found' }),
    err(stageError('fetch', 'http_not_found', 'HTTP 404', { status: 404 })),
    err(stageError('fetch', 'http_gone', 'HTTP 410', { status: 410 })),
    ok({ status: 200, body: '<!doctype html><p>Soft 404</p>' }),
    ok({ status: 200, body: '{"location":"/","tdm-reservation":1}' }),
  ]) {
    const f = fakeFetch(() => reply)
    const c = clock()
    const lookup = createTdmRepLookup({ fetch: f.fetch, now: c.now })
    assert.deepEqual(await lookup('https://a.example/news/1'), NO_OPT_OUT)
    c.advance(23 * HOUR)
    await lookup('https://a.example/news/2')
    assert.equal(f.calls.length, 1, JSON.stringify(reply))
    c.advance(HOUR)
    await lookup('https://a.example/news/3')
    assert.equal(f.calls.length, 2)
  }
})

test('tdmrep lookup: network errors, 5xx and 429 are "no rules" for a shorter time', async () => {
  for (const reply of [
    err(stageError('fetch', 'network_error', 'connection reset', { retryable: true })),
    err(stageError('fetch', 'http_server_error', 'HTTP 503', { status: 503, retryable: true })),
    err(stageError('fetch', 'http_rate_limited', 'HTTP 429', { status: 429, retryable: true })),
    ok({ status: 500, body: '' }),
  ]) {
    const f = fakeFetch(() => reply)
    const c = clock()
    const lookup = createTdmRepLookup({ fetch: f.fetch, now: c.now })
    assert.deepEqual(await lookup('https://a.example/'), NO_OPT_OUT)
    c.advance(HOUR - 1)
    await lookup('https://a.example/')
    assert.equal(f.calls.length, 1)
    c.advance(1)
    await lookup('https://a.example/')
    assert.equal(f.calls.length, 2, JSON.stringify(reply))
  }
})

test('tdmrep lookup: a site that recovers from an error is read on the next try', async () => {
  const f = fakeFetch((_, n) => (n === 1 ? err(stageError('fetch', 'timeout', 'timed out', { retryable: true })) : ok({ status: 200, body: NEWS_RULES })))
  const c = clock()
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: c.now, errorTtlMs: 5 * 60_000 })
  assert.equal((await lookup('https://a.example/news/1')).optedOut, false)
  c.advance(5 * 60_000)
  assert.equal((await lookup('https://a.example/news/1')).optedOut, true)
})

test('tdmrep lookup: concurrent callers share one request', async () => {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const f = fakeFetch(async () => {
    await gate
    return ok({ status: 200, body: NEWS_RULES })
  })
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: clock().now })
  const pending = [lookup('https://a.example/news/1'), lookup('https://a.example/other'), lookup('https://a.example/news/2'), lookup('https://b.example/news/1')]
  release()
  const results = await Promise.all(pending)
  assert.deepEqual(results.map((r) => r.optedOut), [true, false, true, true])
  assert.deepEqual(f.calls, ['https://a.example/.well-known/tdmrep.json', 'https://b.example/.well-known/tdmrep.json'])
})

test('tdmrep lookup: a throwing fetch or a bad page URL never rejects', async () => {
  const f = fakeFetch(() => {
    throw new Error('boom')
  })
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: clock().now })
  assert.deepEqual(await lookup('https://a.example/'), NO_OPT_OUT)
  assert.deepEqual(await lookup('not a url'), NO_OPT_OUT)
  assert.deepEqual(await lookup('mailto:someone@example.org'), NO_OPT_OUT)
  assert.equal(f.calls.length, 1)
})

test('tdmrep lookup: the oldest origin is forgotten past maxEntries', async () => {
  const f = fakeFetch(() => ok({ status: 200, body: '[]' }))
  const lookup = createTdmRepLookup({ fetch: f.fetch, now: clock().now, maxEntries: 2 })
  await lookup('https://a.example/')
  await lookup('https://b.example/')
  await lookup('https://c.example/')
  await lookup('https://b.example/')
  assert.equal(f.calls.length, 3, 'b is still remembered')
  await lookup('https://a.example/')
  assert.equal(f.calls.length, 4, 'a was forgotten')
})
