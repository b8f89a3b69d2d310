import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'

/**
 * A request listener that answers in turns of the event loop: requests are queued as Node reads them,
 * and answered first come, first served, at most `sliceMs` of answering in one turn (then the loop goes
 * round, and the rest are answered in the next turns).
 *
 * Why: libuv accepts one new connection per turn of the loop (libuv#3696), and Node answers every
 * request it has read in the same turn. On a busy site a turn is every connected reader's answer at
 * once (200 readers × 150 µs is 30 ms), so new connections were let in about 30 a second: a new visitor
 * waited seconds for the first byte while connected readers were answered in tens of milliseconds
 * (seen in bench:web: 140 connections waiting in the kernel's accept queue, the first answer 3–4 s).
 * In turns of 2 ms the queue is empty within a few milliseconds and first answers come as fast as the
 * rest. Nothing waits longer at a quiet time: the queue is answered in the same turn it was filled.
 */
export function inTurns(listener: RequestListener, o: { sliceMs?: number; onError?: (e: unknown) => void } = {}): RequestListener {
  const sliceMs = o.sliceMs ?? 2
  let queue: [IncomingMessage, ServerResponse][] = []
  let head = 0
  let scheduled = false
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    // A reader who left while waiting needs no answer.
    if (req.socket.destroyed) return
    try {
      void listener(req, res)
    } catch (e) {
      o.onError?.(e)
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal Server Error')
      else res.destroy()
    }
  }
  const turn = () => {
    scheduled = false
    const until = performance.now() + sliceMs
    while (head < queue.length) {
      const [req, res] = queue[head]!
      head++
      answer(req, res)
      if (performance.now() >= until) break
    }
    if (head < queue.length) {
      scheduled = true
      setImmediate(turn)
    } else {
      queue = []
      head = 0
    }
  }
  return (req, res) => {
    queue.push([req, res])
    if (!scheduled) {
      scheduled = true
      setImmediate(turn)
    }
  }
}
