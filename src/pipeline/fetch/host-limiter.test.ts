import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHostLimiter } from './host-limiter.js'

/** Let every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** A clock that only moves when the test says so; sleep() resolves when the clock passes its deadline. */
function fakeClock() {
  let t = 0
  const timers: { at: number; wake: () => void }[] = []
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((wake) => void timers.push({ at: t + ms, wake })),
    async advance(ms: number) {
      const target = t + ms
      for (;;) {
        await settle()
        timers.sort((a, b) => a.at - b.at)
        const next = timers[0]
        if (!next || next.at > target) break
        timers.shift()
        t = next.at
        next.wake()
      }
      t = target
      await settle()
    },
  }
}

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

test('limiter: at most `concurrency` in flight, started in arrival order', async () => {
  const clock = fakeClock()
  const limiter = createHostLimiter({ concurrency: 2, intervalMs: 0, ...clock, random: () => 0 })
  const gates = [0, 1, 2, 3, 4].map(() => deferred())
  const started: number[] = []
  let active = 0
  let maxActive = 0
  const runs = gates.map((g, i) =>
    limiter.run('a.example', async () => {
      started.push(i)
      maxActive = Math.max(maxActive, ++active)
      await g.promise
      active--
      return i
    }),
  )
  await settle()
  assert.deepEqual(started, [0, 1])
  gates[1]!.resolve()
  await settle()
  assert.deepEqual(started, [0, 1, 2])
  gates[0]!.resolve()
  await settle()
  assert.deepEqual(started, [0, 1, 2, 3])
  gates[3]!.resolve()
  gates[2]!.resolve()
  await settle()
  assert.deepEqual(started, [0, 1, 2, 3, 4])
  gates[4]!.resolve()
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4])
  assert.equal(maxActive, 2)
})

test('limiter: paces starts per host with jitter, hosts independent', async () => {
  const clock = fakeClock()
  const limiter = createHostLimiter({ concurrency: 10, intervalMs: 1000, ...clock, random: () => 1 })
  const starts: string[] = []
  const job = (host: string, name: string) => limiter.run(host, async () => void starts.push(`${name}@${clock.now()}`))
  const all = [job('a', 'a1'), job('a', 'a2'), job('b', 'b1'), job('a', 'a3'), job('b', 'b2')]
  await clock.advance(0)
  assert.deepEqual(starts, ['a1@0', 'b1@0'])
  await clock.advance(1249)
  assert.deepEqual(starts, ['a1@0', 'b1@0'], 'interval plus 25% jitter not yet over')
  await clock.advance(1)
  assert.deepEqual(starts.slice(2).sort(), ['a2@1250', 'b2@1250'])
  await clock.advance(1250)
  assert.equal(starts[4], 'a3@2500')
  await Promise.all(all)
})

test('limiter: hold delays the host until the given time; too long a hold is not waited out', async () => {
  const clock = fakeClock()
  const limiter = createHostLimiter({ concurrency: 1, intervalMs: 0, maxHoldMs: 10_000, ...clock, random: () => 0 })
  limiter.hold('a', 5000)
  assert.equal(limiter.heldUntil('a'), 5000)
  assert.equal(limiter.heldUntil('b'), 0)
  let startedAt: number | null = null
  const run = limiter.run('a', async () => void (startedAt = clock.now()))
  await clock.advance(4999)
  assert.equal(startedAt, null)
  await clock.advance(1)
  await run
  assert.equal(startedAt, 5000)
  assert.equal(limiter.heldUntil('a'), 0)

  limiter.hold('a', clock.now() + 60_000)
  let ran = false
  await limiter.run('a', async () => void (ran = true))
  assert.equal(ran, true, 'a hold beyond maxHoldMs is left to the caller')
  assert.equal(limiter.heldUntil('a'), clock.now() + 60_000)
})

test('limiter: a failing task frees its slot and the error reaches the caller', async () => {
  const clock = fakeClock()
  const limiter = createHostLimiter({ concurrency: 1, intervalMs: 0, ...clock, random: () => 0 })
  const first = limiter.run('a', async () => {
    throw new Error('boom')
  })
  const second = limiter.run('a', async () => 'ok')
  await assert.rejects(first, /boom/)
  assert.equal(await second, 'ok')
})

test('limiter: a clock that does not move with sleep() costs one sleep, not a spin', async () => {
  const slept: number[] = []
  const limiter = createHostLimiter({
    concurrency: 1,
    intervalMs: 1000,
    now: () => 0,
    sleep: async (ms) => void slept.push(ms),
    random: () => 0,
  })
  await limiter.run('a', async () => {})
  await limiter.run('a', async () => {})
  assert.deepEqual(slept, [1000])
})

test('limiter: an unpaced host starts requests back to back while others keep their gap', async () => {
  let t = 0
  const starts: Record<string, number[]> = { demo: [], other: [] }
  const limiter = createHostLimiter({
    concurrency: 1, intervalMs: 1000, unpacedHosts: ['demo'], now: () => t, sleep: async (ms) => { t += ms }, random: () => 0,
  })
  for (let i = 0; i < 3; i++) await limiter.run('demo', async () => { starts.demo!.push(t) })
  for (let i = 0; i < 3; i++) await limiter.run('other', async () => { starts.other!.push(t) })
  assert.deepEqual(starts.demo, [0, 0, 0])
  assert.deepEqual(starts.other, [0, 1000, 2000])
})

test('limiter: token bucket lets an idle host have `burst` starts at once, then one per interval', async () => {
  const clock = fakeClock()
  const limiter = createHostLimiter({ concurrency: 10, intervalMs: 1000, burst: 3, ...clock, random: () => 0 })
  const starts: number[] = []
  const job = () => limiter.run('a', async () => void starts.push(clock.now()))
  const first = [job(), job(), job(), job(), job()]
  await clock.advance(0)
  assert.deepEqual(starts, [0, 0, 0], 'three saved-up tokens')
  await clock.advance(999)
  assert.deepEqual(starts, [0, 0, 0])
  await clock.advance(1)
  assert.deepEqual(starts, [0, 0, 0, 1000])
  await clock.advance(1000)
  assert.deepEqual(starts, [0, 0, 0, 1000, 2000])
  await Promise.all(first)

  // Idle for a long time: the bucket holds at most `burst` tokens, not ten.
  await clock.advance(10_000)
  starts.length = 0
  const second = [job(), job(), job(), job()]
  await clock.advance(0)
  assert.deepEqual(starts, [12_000, 12_000, 12_000])
  await clock.advance(1000)
  assert.deepEqual(starts, [12_000, 12_000, 12_000, 13_000])
  await Promise.all(second)
})

test('limiter: jitter delays only callers waiting for a token, by up to 25% of an interval', async () => {
  const clock = fakeClock()
  const limiter = createHostLimiter({ concurrency: 10, intervalMs: 1000, burst: 2, ...clock, random: () => 1 })
  const starts: number[] = []
  const runs = [1, 2, 3, 4].map(() => limiter.run('a', async () => void starts.push(clock.now())))
  await clock.advance(5000)
  await Promise.all(runs)
  // Two saved tokens start at once; the next tokens come at 1000 and 2000, each taken 250 ms late.
  assert.deepEqual(starts, [0, 0, 1250, 2250])
})

test('limiter: a hold still applies with a full bucket, and requests queue FIFO behind it', async () => {
  const clock = fakeClock()
  const limiter = createHostLimiter({ concurrency: 10, intervalMs: 1000, burst: 5, maxHoldMs: 60_000, ...clock, random: () => 0 })
  limiter.hold('a', 3000)
  const order: string[] = []
  const runs = ['x', 'y', 'z'].map((n) => limiter.run('a', async () => void order.push(`${n}@${clock.now()}`)))
  await clock.advance(2999)
  assert.deepEqual(order, [])
  await clock.advance(1)
  await Promise.all(runs)
  assert.deepEqual(order, ['x@3000', 'y@3000', 'z@3000'])
})

test('limiter: a clock set back does not stall a host for longer than one interval', async () => {
  let t = 10 * 3_600_000
  const slept: number[] = []
  const limiter = createHostLimiter({ concurrency: 1, intervalMs: 1000, burst: 2, now: () => t, sleep: async (ms) => { slept.push(ms); t += ms }, random: () => 0 })
  await limiter.run('a', async () => {})
  await limiter.run('a', async () => {})
  t -= 3_600_000 // the wall clock jumps an hour back
  await limiter.run('a', async () => {})
  assert.deepEqual(slept, [1000], 'one interval, not an hour')
})
