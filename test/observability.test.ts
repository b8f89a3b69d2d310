import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { Counter, Histogram, Metrics, statusClassOf } from '../src/observability/metrics.js'
import { createLogger, defaultLevel, prettyLine } from '../src/observability/logger.js'
import { logMessage, logUrl, observedQueue } from '../src/observability/observe.js'
import { parseExposition, sample } from './support/prometheus.js'
import type { JobQueue } from '../src/jobs/queue.js'

function sink() {
  const lines: string[] = []
  const stream = new Writable({ write(chunk, _e, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done() } })
  return { lines, stream }
}

test('counters and histograms render as exposition text that parses, label values escaped', () => {
  const c = new Counter('t_total', 'A "count"\nwith a newline.', ['kind'] as const)
  c.inc({ kind: 'a "quoted" \\ value\nhere' })
  c.inc({ kind: 'plain' }, 2)
  c.inc({ kind: 'plain' }, -5) // counters never go down
  const h = new Histogram('t_seconds', 'Times.', ['route'] as const, [0.1, 1])
  h.observe({ route: '/a/:id' }, 0.05)
  h.observe({ route: '/a/:id' }, 0.5)
  h.observe({ route: '/a/:id' }, 5)
  const e = parseExposition(`${c.render()}\n${h.render()}\n`)
  assert.equal(sample(e, 't_total', { kind: 'a "quoted" \\ value\nhere' }), 1)
  assert.equal(sample(e, 't_total', { kind: 'plain' }), 2)
  assert.deepEqual(['0.1', '1', '+Inf'].map((le) => sample(e, 't_seconds_bucket', { route: '/a/:id', le })), [1, 2, 3])
  assert.equal(sample(e, 't_seconds_sum', { route: '/a/:id' }), 5.55)
  assert.equal(e.types.get('t_seconds'), 'histogram')
  assert.throws(() => parseExposition('t_total 1\n'), /undeclared/, 'the parser is strict')
})

test('a whole scrape parses; scrape-time figures are cached, and a failing one is counted, not thrown', async () => {
  let t = 0
  let reads = 0
  const m = new Metrics({ version: '9.9.9', role: 'worker', now: () => t, cacheMs: 1000 }, {
    store: async () => { reads++; return { articles: 7, sources: { total: 3, failing: 1, paused: 1 } } },
    jobs: async () => { throw new Error('queue down') },
  })
  try {
    const e = parseExposition(await m.render())
    assert.equal(sample(e, 'tidings_articles', {}), 7)
    assert.equal(sample(e, 'tidings_sources', { state: 'ok' }), 1)
    assert.equal(sample(e, 'tidings_scrape_errors_total', { part: 'jobs' }), 1)
    assert.equal(sample(e, 'tidings_build_info', { version: '9.9.9', node: process.version, role: 'worker' }), 1)
    await m.render()
    assert.equal(reads, 1, 'within the cache time the store is not asked again')
    t = 2000
    await m.render()
    assert.equal(reads, 2)
  } finally {
    m.close()
  }
  assert.deepEqual([statusClassOf(204), statusClassOf(304), statusClassOf(null), statusClassOf(503)], ['2xx', '3xx', 'none', '5xx'])
})

test('the logger writes JSON lines with level, time and the fields, and redacts cookies, authorization and tokens', () => {
  const { lines, stream } = sink()
  const log = createLogger({ level: 'info', format: 'json', destination: stream })
  log.child({ component: 'http' }).info({ method: 'GET', route: '/', status: 200, ms: 1.5, headers: { cookie: 'sid=abc123', authorization: 'Bearer tok456' }, token: 'tok789' }, 'request')
  log.debug('not at info')
  assert.equal(lines.length, 1)
  const o = JSON.parse(lines[0]!) as Record<string, unknown>
  assert.equal(o['level'], 30)
  assert.equal(o['component'], 'http')
  assert.equal(o['route'], '/')
  assert.equal(o['msg'], 'request')
  assert.match(String(o['time']), /^\d{4}-\d\d-\d\dT/)
  for (const s of ['abc123', 'tok456', 'tok789']) assert.ok(!lines[0]!.includes(s), s)
})

test('pretty lines are one readable line per event; tests are quiet by default', () => {
  const line = prettyLine(JSON.stringify({ level: 40, time: '2026-11-28T12:00:01.250Z', pid: 1, component: 'refresh', msg: 'refresh failed', sourceId: 3, code: 'timeout', error: 'no answer' }))
  assert.equal(line, '12:00:01.250 WARN  refresh: refresh failed sourceId=3 code=timeout error="no answer"')
  const { lines, stream } = sink()
  createLogger({ level: 'info', format: 'pretty', destination: stream }).info({ n: 1 }, 'hello')
  assert.match(lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} INFO  hello n=1$/)
  assert.equal(defaultLevel({ NODE_TEST_CONTEXT: 'child-v8' }), 'silent')
  assert.equal(defaultLevel({}), 'info')
})

test('URLs in logs lose their query strings', () => {
  assert.equal(logUrl('https://news.example/feed.xml?key=s3cret#x'), 'https://news.example/feed.xml')
  assert.equal(logMessage('HTTP 404 Not Found for https://news.example/feed.xml?key=s3cret'), 'HTTP 404 Not Found for https://news.example/feed.xml?…')
})

test('a failed job attempt is logged with its queue, id and attempt, counted, and still fails', async () => {
  const { lines, stream } = sink()
  const metrics = new Metrics({ version: '0' })
  let wrapped: ((job: { id: string; name: 'fetch'; data: unknown; attempt: number }) => Promise<void>) | null = null
  const fake = { kind: 'embedded', work: async (_n: string, _o: unknown, h: typeof wrapped) => { wrapped = h }, counts: async () => [] } as unknown as JobQueue
  const q = observedQueue(fake, { metrics, log: createLogger({ level: 'info', format: 'json', destination: stream }) })
  assert.equal(q.kind, 'embedded')
  await q.work('fetch', { concurrency: 1 }, async () => { throw new Error('feed exploded') })
  await assert.rejects(wrapped!({ id: 'j1', name: 'fetch', data: null, attempt: 2 }), /feed exploded/)
  const o = JSON.parse(lines[0]!) as Record<string, unknown>
  assert.deepEqual([o['component'], o['queue'], o['jobId'], o['attempt'], o['level']], ['jobs', 'fetch', 'j1', 2, 50])
  assert.equal(metrics.jobFailures.get({ queue: 'fetch' }), 1)
  metrics.close()
})
