import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cachedFor } from './cached-for.js'

test('a cached value is shared while fresh, read again once stale, and a failure is not kept', async () => {
  let t = 0
  let loads = 0
  let fail = false
  const get = cachedFor(1000, async () => { loads++; if (fail) throw new Error('down'); return loads }, () => t)
  const [a, b] = await Promise.all([get(), get()])
  assert.deepEqual([a, b, loads], [1, 1, 1], 'callers during the load share it')
  t = 999
  assert.equal(await get(), 1)
  t = 1000
  assert.equal(await get(), 2, 'stale after ms')
  fail = true
  t = 5000
  await assert.rejects(get(), /down/)
  fail = false
  assert.equal(await get(), 4, 'the failure was not kept')
})
