import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inTurns } from './in-turns.js'

const busy = (ms: number) => { const t = performance.now() + ms; while (performance.now() < t); }
const fake = (i: number) => ({ req: { socket: { destroyed: false }, i } as unknown as IncomingMessage, res: { headersSent: false } as unknown as ServerResponse })

test('requests are answered first come, first served, and the loop goes round between turns of answering', async () => {
  const order: string[] = []
  let done!: () => void
  const all = new Promise<void>((r) => { done = r })
  const listener = inTurns((req) => {
    busy(1)
    order.push(`answer ${(req as unknown as { i: number }).i}`)
    if (order.filter((x) => x.startsWith('answer')).length === 20) done()
  }, { sliceMs: 2 })
  // Twenty requests read in one turn, as Node's poll phase hands them over.
  for (let i = 0; i < 20; i++) { const f = fake(i); listener(f.req, f.res) }
  setImmediate(() => order.push('the loop turned'))
  await all
  const answers = order.filter((x) => x.startsWith('answer'))
  assert.deepEqual(answers, Array.from({ length: 20 }, (_, i) => `answer ${i}`), 'in the order they came')
  const turnedAt = order.indexOf('the loop turned')
  assert.ok(turnedAt > 0 && turnedAt < 5, `the loop turned after the first slice (at ${turnedAt} of ${order.length}), not after all twenty answers`)
})

test('a listener that throws gets a 500 for its request, and the others are still answered', async () => {
  const server = createServer(inTurns((req, res) => {
    if (req.url === '/boom') throw new Error('boom')
    res.end('ok')
  }, { onError: () => {} }))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  const get = (path: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', reject).end()
  })
  try {
    const [a, b, c] = await Promise.all([get('/one'), get('/boom'), get('/two')])
    assert.deepEqual([a, c], [{ status: 200, body: 'ok' }, { status: 200, body: 'ok' }])
    assert.equal(b.status, 500)
  } finally {
    server.close()
  }
})
