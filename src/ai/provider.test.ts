import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createChatProvider, retryAfterSeconds, stripThinking, type ProviderConfig } from './provider.js'
import { startFakeOpenAi, type FakeBehaviour, type FakeOpenAi } from './fake-openai.js'

const hello = [{ role: 'user' as const, content: 'Say hello to the harbour master of Velmora.' }]

async function withFake(script: FakeBehaviour[], fn: (fake: FakeOpenAi, cfg: ProviderConfig) => Promise<void>, cfg: Partial<ProviderConfig> = {}) {
  const fake = await startFakeOpenAi({ script })
  try {
    await fn(fake, { baseUrl: fake.baseUrl, model: 'tiny-llm:1b', apiKey: 'sk-test-123', timeoutMs: 2000, ...cfg })
  } finally {
    await fake.close()
  }
}

test('a reply: text, usage, model, finish reason; key, model and prompt sent', async () => {
  await withFake([{ reply: 'Hello, harbour master.', usage: { promptTokens: 12, completionTokens: 5 }, model: 'tiny-llm:1b-q4' }], async (fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello, maxTokens: 50, temperature: 0, json: true })
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.value.text, 'Hello, harbour master.')
    assert.deepEqual(r.value.usage, { promptTokens: 12, completionTokens: 5 })
    assert.equal(r.value.model, 'tiny-llm:1b-q4')
    assert.equal(r.value.finishReason, 'stop')
    assert.ok(r.value.latencyMs >= 0)
    const req = fake.requests[0]!
    assert.equal(req.headers['authorization'], 'Bearer sk-test-123')
    assert.equal(req.body?.model, 'tiny-llm:1b')
    assert.deepEqual(req.body?.messages, hello)
    assert.equal(req.body?.max_tokens, 50)
    assert.equal(req.body?.temperature, 0)
    assert.deepEqual(req.body?.response_format, { type: 'json_object' })
  })
})

test('no key, no Authorization header; missing usage is null; maxOutputTokens caps max_tokens', async () => {
  await withFake([{ reply: 'Hi.', usage: null }], async (fake, cfg) => {
    const r = await createChatProvider({ ...cfg, apiKey: null, maxOutputTokens: 64 }).chat({ messages: hello, maxTokens: 500 })
    assert.ok(r.ok)
    assert.deepEqual(r.value.usage, { promptTokens: null, completionTokens: null })
    assert.equal(fake.requests[0]!.headers['authorization'], undefined)
    assert.equal(fake.requests[0]!.body?.max_tokens, 64)
    assert.equal(fake.requests[0]!.body?.response_format, undefined)
  })
})

test('a trailing slash on the base URL does not double the path', async () => {
  await withFake([{ reply: 'Hi.' }], async (fake, cfg) => {
    const r = await createChatProvider({ ...cfg, baseUrl: `${fake.baseUrl}/` }).chat({ messages: hello })
    assert.ok(r.ok)
    assert.equal(fake.requests[0]!.path, '/v1/chat/completions')
  })
})

test('reasoning blocks are stripped from the answer', async () => {
  await withFake([{ reply: '<think>The user wants a greeting. Keep it short.</think>\n\nHello there.' }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello })
    assert.ok(r.ok)
    assert.equal(r.value.text, 'Hello there.')
  })
  assert.equal(stripThinking('started mid-thought, template opened it</think>Answer.'), 'Answer.')
  assert.equal(stripThinking('Answer.<thinking>more</thinking>'), 'Answer.')
})

test('a reply that is only reasoning (cut at the token limit) is a bad response, saying so', async () => {
  await withFake([{ reply: '<think>Let me consider the harbour tides in detail', finishReason: 'length' }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_bad_response')
    assert.equal(r.error.retryable, true)
    assert.match(r.error.message, /reasoning.*token limit/)
  })
})

test('429: rate limited, retryable, Retry-After in seconds', async () => {
  await withFake([{ status: 429, retryAfter: 2 }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_rate_limited')
    assert.equal(r.error.retryable, true)
    assert.equal(r.error.retryAfterSeconds, 2)
    assert.equal(r.error.status, 429)
  })
})

test('429: Retry-After as an HTTP date, against the injected clock', async () => {
  const now = Date.parse('2026-03-01T10:00:00Z')
  await withFake([{ status: 429, retryAfter: 'Sun, 01 Mar 2026 10:00:30 GMT' }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg, { now: () => now }).chat({ messages: hello })
    assert.ok(!r.ok)
    assert.equal(r.error.retryAfterSeconds, 30)
  })
  assert.equal(retryAfterSeconds(null, now), undefined)
  assert.equal(retryAfterSeconds('soon', now), undefined)
  assert.equal(retryAfterSeconds('Sun, 01 Mar 2026 09:00:00 GMT', now), 0)
})

test('HTTP errors map to stable codes with the right retryable', async () => {
  const cases: [FakeBehaviour, string, boolean][] = [
    [{ status: 500 }, 'ai_server_error', true],
    [{ status: 503 }, 'ai_server_error', true],
    [{ status: 401 }, 'ai_auth', false],
    [{ status: 403 }, 'ai_auth', false],
    [{ status: 404, message: "model 'tiny-llm:1b' not found, try pulling it first" }, 'ai_bad_request', false],
    [{ status: 408 }, 'ai_timeout', true],
  ]
  for (const [b, code, retryable] of cases) {
    await withFake([b], async (_fake, cfg) => {
      const r = await createChatProvider(cfg).chat({ messages: hello })
      assert.ok(!r.ok)
      assert.equal(r.error.stage, 'ai')
      assert.equal(r.error.code, code, JSON.stringify(b))
      assert.equal(r.error.retryable, retryable, JSON.stringify(b))
      assert.equal(r.error.status, (b as { status: number }).status)
    })
  }
})

test('400 carries the server message; a JSON request rejected for response_format is retried without it', async () => {
  await withFake([{ status: 400, message: 'context length exceeded: 9000 > 8192' }, { status: 400, message: 'context length exceeded: 9000 > 8192' }], async (fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello, json: true })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_bad_request')
    assert.equal(r.error.retryable, false)
    assert.match(r.error.message, /context length exceeded: 9000 > 8192/)
    assert.equal(fake.requests.length, 2)
    assert.equal(fake.requests[1]!.body?.response_format, undefined)
  })
  await withFake([{ status: 400, message: 'response_format is not supported' }, { reply: '{"ok": true}' }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello, json: true })
    assert.ok(r.ok)
    assert.equal(r.value.text, '{"ok": true}')
  })
})

test('a server that never answers: ai_timeout, retryable', async () => {
  await withFake([{ hang: true }], async (_fake, cfg) => {
    const r = await createChatProvider({ ...cfg, timeoutMs: 200 }).chat({ messages: hello })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_timeout')
    assert.equal(r.error.retryable, true)
  })
})

test('the timeout also covers a slow answer', async () => {
  await withFake([{ reply: 'Too late.', delayMs: 1500 }], async (_fake, cfg) => {
    const r = await createChatProvider({ ...cfg, timeoutMs: 200 }).chat({ messages: hello })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_timeout')
  })
})

test('the caller cancelling: ai_cancelled, not a timeout', async () => {
  await withFake([{ hang: true }], async (_fake, cfg) => {
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 50)
    const r = await createChatProvider(cfg).chat({ messages: hello, signal: ac.signal })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_cancelled')
  })
})

test('nothing listening: ai_unreachable, retryable', async () => {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  await new Promise<void>((resolve) => srv.close(() => resolve()))
  const r = await createChatProvider({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', apiKey: null, timeoutMs: 2000 }).chat({ messages: hello })
  assert.ok(!r.ok)
  assert.equal(r.error.code, 'ai_unreachable')
  assert.equal(r.error.retryable, true)
  assert.match(r.error.message, /ECONNREFUSED/)
})

test('garbage, a cut-off body, no choices, empty content: ai_bad_response, retryable', async () => {
  const cases: FakeBehaviour[] = [
    { garbage: '<html>Bad gateway</html>' },
    { truncated: true },
    { json: { object: 'chat.completion', choices: [] } },
    { json: { error: { message: 'upstream overloaded' } } },
    { reply: '   ' },
  ]
  for (const b of cases) {
    await withFake([b], async (_fake, cfg) => {
      const r = await createChatProvider(cfg).chat({ messages: hello })
      assert.ok(!r.ok, JSON.stringify(b))
      assert.equal(r.error.code, 'ai_bad_response', JSON.stringify(b))
      assert.equal(r.error.retryable, true)
    })
  }
})

test('content filter: ai_refused, not retryable', async () => {
  await withFake([{ finishReason: 'content_filter' }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_refused')
    assert.equal(r.error.retryable, false)
  })
})

test('a reply over 2 MB is not read to the end', async () => {
  await withFake([{ reply: 'x'.repeat(2_200_000) }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello })
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_bad_response')
    assert.match(r.error.message, /more than 2 MB/)
  })
})

test('content given as a list of parts is joined', async () => {
  await withFake([{ json: { model: 'm', choices: [{ message: { role: 'assistant', content: [{ type: 'text', text: 'Tide ' }, { type: 'text', text: 'is high.' }] }, finish_reason: 'stop' }] } }], async (_fake, cfg) => {
    const r = await createChatProvider(cfg).chat({ messages: hello })
    assert.ok(r.ok)
    assert.equal(r.value.text, 'Tide is high.')
  })
})

test('the fake answers from a respond function once its script is used up', async () => {
  const fake = await startFakeOpenAi({ script: [{ reply: 'first' }], respond: (body) => ({ reply: `echo: ${body?.messages?.at(-1)?.content}` }) })
  try {
    const p = createChatProvider({ baseUrl: fake.baseUrl, model: 'm', apiKey: null, timeoutMs: 2000 })
    const a = await p.chat({ messages: hello })
    const b = await p.chat({ messages: [{ role: 'user', content: 'ping' }] })
    assert.ok(a.ok && b.ok)
    assert.equal(a.value.text, 'first')
    assert.equal(b.value.text, 'echo: ping')
  } finally {
    await fake.close()
  }
})
