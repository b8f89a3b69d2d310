import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * A scripted OpenAI-compatible server on 127.0.0.1 for tests (real HTTP, so the provider's socket,
 * timeout and body handling are what is tested). Lives in src/ai so tests anywhere can import it.
 */
export type FakeBehaviour =
  /** A normal answer. `usage: null` leaves usage out (some local servers do). */
  | { reply: string; usage?: { promptTokens?: number; completionTokens?: number } | null; finishReason?: string; model?: string; delayMs?: number }
  /** An HTTP error with an OpenAI-style `{ error: { message } }` body. `retryAfter`: seconds or an HTTP date. */
  | { status: number; retryAfter?: number | string; message?: string }
  /** Accepts the request and never answers (the client's timeout must fire). */
  | { hang: true }
  /** 200 with a body that is not JSON. */
  | { garbage: string }
  /** Declares a full body, sends half of it, then cuts the connection. */
  | { truncated: true }
  /** A reply stopped by the content filter (no reply text unless given). */
  | { finishReason: string; reply?: string }
  /** 200 with exactly this JSON (no choices, odd shapes…). */
  | { json: unknown }

export interface FakeChatBody {
  model?: string
  messages?: { role: string; content: string }[]
  max_tokens?: number
  temperature?: number
  response_format?: { type: string }
  [key: string]: unknown
}

export interface FakeRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** The parsed JSON body, or null when it was not JSON. */
  body: FakeChatBody | null
  raw: string
}

export interface FakeOpenAiOptions {
  /** Behaviours used in order, one per chat request. */
  script?: FakeBehaviour[]
  /** Used when the script is exhausted (or instead of one): decides from the request. */
  respond?: (body: FakeChatBody | null, req: FakeRequest) => FakeBehaviour | Promise<FakeBehaviour>
}

export interface FakeOpenAi {
  /** `http://127.0.0.1:PORT/v1`: what the operator would configure. */
  baseUrl: string
  /** Every request received, in order. */
  requests: FakeRequest[]
  enqueue(...b: FakeBehaviour[]): void
  close(): Promise<void>
}

/** All message contents of a recorded request, for asserting what the prompt said. */
export function promptOf(req: FakeRequest | undefined): string {
  return (req?.body?.messages ?? []).map((m) => m.content).join('\n\n')
}

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const queue: FakeBehaviour[] = [...(opts.script ?? [])]
  const requests: FakeRequest[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let n = 0

  const sendJson = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
    const body = JSON.stringify(value)
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers })
    res.end(body)
  }

  const completion = (body: FakeChatBody | null, text: string, finishReason: string, usage: { promptTokens?: number; completionTokens?: number } | null | undefined, model?: string) => {
    const prompt = promptOf({ method: '', path: '', headers: {}, body, raw: '' })
    return {
      id: `chatcmpl-fake-${++n}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: model ?? body?.model ?? 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
      ...(usage === null ? {} : {
        usage: {
          prompt_tokens: usage?.promptTokens ?? Math.ceil(prompt.length / 4),
          completion_tokens: usage?.completionTokens ?? Math.ceil(text.length / 4),
          total_tokens: (usage?.promptTokens ?? Math.ceil(prompt.length / 4)) + (usage?.completionTokens ?? Math.ceil(text.length / 4)),
        },
      }),
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        let body: FakeChatBody | null = null
        try {
          body = JSON.parse(raw) as FakeChatBody
        } catch { /* recorded as null */ }
        const path = (req.url ?? '/').split('?')[0]!
        const record: FakeRequest = { method: req.method ?? '', path, headers: req.headers, body, raw }
        if (req.method !== 'POST' || path !== '/v1/chat/completions') {
          return sendJson(res, 404, { error: { message: `fake-openai: no route ${req.method} ${path}` } })
        }
        requests.push(record)
        const b: FakeBehaviour | undefined = queue.shift() ?? (await opts.respond?.(body, record))
        if (!b) return sendJson(res, 500, { error: { message: 'fake-openai: no scripted behaviour left' } })

        if ('hang' in b) return
        if ('garbage' in b) {
          res.writeHead(200, { 'content-type': 'text/html' })
          return res.end(b.garbage)
        }
        if ('truncated' in b) {
          const full = JSON.stringify(completion(body, 'This reply will never arrive whole.', 'stop', undefined))
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(full)) })
          res.write(full.slice(0, Math.floor(full.length / 2)))
          return setTimeout(() => res.socket?.destroy(), 20)
        }
        if ('json' in b) return sendJson(res, 200, b.json)
        if ('status' in b) {
          const headers: Record<string, string> = {}
          if (b.retryAfter !== undefined) headers['retry-after'] = String(b.retryAfter)
          const message = b.message ?? (b.status === 401 ? 'Incorrect API key provided.' : b.status === 429 ? 'Rate limit reached.' : `fake-openai: HTTP ${b.status}`)
          return sendJson(res, b.status, { error: { message, type: 'fake_error' } }, headers)
        }
        const reply = 'reply' in b && typeof b.reply === 'string' ? b.reply : ''
        const finish = 'finishReason' in b && b.finishReason ? b.finishReason : 'stop'
        const usage = 'usage' in b ? b.usage : undefined
        const model = 'model' in b ? b.model : undefined
        const send = () => sendJson(res, 200, completion(body, reply, finish, usage, model))
        const delay = 'delayMs' in b ? b.delayMs : undefined
        if (delay) {
          const t = setTimeout(() => { timers.delete(t); send() }, delay)
          timers.add(t)
        } else send()
      })()
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...b) => void queue.push(...b),
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t)
      // Hanging requests keep their sockets open: destroy them, or the test process never exits.
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    }),
  }
}
