import { err, ok, stageError, type Result, type StageError } from '../domain/result.js'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ChatRequest {
  messages: ChatMessage[]
  maxTokens?: number
  temperature?: number
  /** Ask for a JSON object (`response_format`); the reply is still checked, since not every server honours it. */
  json?: boolean
  signal?: AbortSignal
}

export interface ChatReply {
  text: string
  usage: { promptTokens: number | null; completionTokens: number | null }
  latencyMs: number
  /** The model the server says answered (a hosted alias resolves to a dated name), else the configured one. */
  model: string
  finishReason: string | null
}

export interface ChatProvider {
  readonly model: string
  chat(req: ChatRequest): Promise<Result<ChatReply, StageError>>
}

export interface ProviderConfig {
  /** Up to and including the API version: `http://127.0.0.1:11434/v1`. */
  baseUrl: string
  model: string
  apiKey: string | null
  timeoutMs: number
  /** A ceiling on every request's max_tokens (the operator's cost or context limit). */
  maxOutputTokens?: number
}

/** A reply larger than this is not a chat answer (a misrouted download, a runaway proxy): reading stops there. */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024
/** Used when neither the request nor the config says: without one, some servers generate until the context is full. */
const DEFAULT_MAX_TOKENS = 1024

const fail = (code: string, message: string, extra: Partial<StageError> = {}) => err(stageError('ai', code, message, extra))

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now: number): number | undefined {
  if (!value) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v)
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - now) / 1000))
}

/**
 * Local reasoning models (DeepSeek-R1, Qwen3, QwQ) put their thinking in the content: it is not the
 * answer. Some chat templates open the block in the prompt, so the reply starts mid-thought and only
 * the closing tag shows; a block never closed means the model ran out of tokens while thinking.
 */
export function stripThinking(text: string): string {
  return text
    .replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, '')
    .replace(/^[\s\S]*?<\/(think|thinking|reasoning)>/i, '')
    .replace(/<(think|thinking|reasoning)>[\s\S]*$/i, '')
    .trim()
}

type Body = { text: string } | { tooLarge: true }

/** Reads at most MAX_RESPONSE_BYTES; throws what the stream throws (a cut connection, an abort). */
async function readCapped(res: Response): Promise<Body> {
  const declared = Number(res.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
    await res.body?.cancel().catch(() => {})
    return { tooLarge: true }
  }
  if (!res.body) return { text: '' }
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel().catch(() => {})
        return { tooLarge: true }
      }
      chunks.push(value)
    }
  } finally {
    reader.releaseLock()
  }
  return { text: Buffer.concat(chunks).toString('utf8') }
}

/** The server's own words, from the shapes OpenAI, Ollama, vLLM and FastAPI-based servers use. */
function serverMessage(text: string): string {
  let m: unknown
  try {
    const j = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown }
    m = typeof j.error === 'string' ? j.error : j.error?.message ?? j.message ?? j.detail
  } catch {
    return ''
  }
  return typeof m === 'string' && m.trim() ? `: ${m.trim().slice(0, 300)}` : ''
}

/** Message content is a string, or (some servers, newer APIs) a list of parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === 'string' ? p : typeof p?.text === 'string' ? p.text : '')).join('')
  }
  return ''
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/**
 * An OpenAI-compatible chat endpoint (`POST {baseUrl}/chat/completions`): Ollama, llama.cpp's server,
 * vLLM, LM Studio or a hosted API. Every way a server can fail is a value with a stable code, and
 * `retryable` says whether trying later can help (a timeout, a rate limit, a 5xx, garbage: yes; a bad
 * key or a refused request: no). It never throws for anything a server does.
 */
export function createChatProvider(cfg: ProviderConfig, deps: { fetch?: typeof fetch; now?: () => number } = {}): ChatProvider {
  const doFetch = deps.fetch ?? fetch
  // Epoch milliseconds: used for latency and for Retry-After dates alike.
  const now = deps.now ?? Date.now
  const url = `${cfg.baseUrl.replace(/\/+$/, '')}/chat/completions`

  async function once(req: ChatRequest, json: boolean): Promise<Result<ChatReply, StageError>> {
    if (req.signal?.aborted) return fail('ai_cancelled', 'Cancelled before the request was sent.', { retryable: true })
    const started = now()
    // Our own controller rather than AbortSignal.timeout, so we know which of the two signals fired.
    const timer = new AbortController()
    const t = setTimeout(() => timer.abort(), cfg.timeoutMs)
    const signal = req.signal ? AbortSignal.any([req.signal, timer.signal]) : timer.signal
    const maxTokens = Math.min(req.maxTokens ?? cfg.maxOutputTokens ?? DEFAULT_MAX_TOKENS, cfg.maxOutputTokens ?? Infinity)
    const body: Record<string, unknown> = {
      model: cfg.model,
      messages: req.messages,
      temperature: req.temperature ?? 0.2,
      max_tokens: maxTokens,
      stream: false,
    }
    if (json) body['response_format'] = { type: 'json_object' }
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
    if (cfg.apiKey) headers['authorization'] = `Bearer ${cfg.apiKey}`

    const aborted = (): Result<never, StageError> | null =>
      timer.signal.aborted ? fail('ai_timeout', `The model did not answer within ${(cfg.timeoutMs / 1000).toFixed(1)} s.`, { retryable: true })
        : req.signal?.aborted ? fail('ai_cancelled', 'Cancelled.', { retryable: true })
          : null

    let res: Response
    let read: Body
    try {
      try {
        // A redirect would resend the prompt (and the key) somewhere the operator did not configure.
        res = await doFetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal, redirect: 'error' })
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause
        return aborted() ?? fail('ai_unreachable', `The model server at ${cfg.baseUrl} could not be reached (${cause?.code ?? cause?.message ?? (e as Error).message}).`, { retryable: true, cause: e })
      }
      try {
        read = await readCapped(res)
      } catch (e) {
        return aborted() ?? fail('ai_bad_response', `The model server's reply was cut off (HTTP ${res.status}).`, { retryable: true, status: res.status, cause: e })
      }
    } finally {
      clearTimeout(t)
    }
    const latencyMs = Math.max(0, now() - started)
    const status = res.status
    if ('tooLarge' in read) return fail('ai_bad_response', `The model server sent more than ${MAX_RESPONSE_BYTES / 1024 / 1024} MB.`, { retryable: true, status })
    const text = read.text

    if (status === 429) {
      const after = retryAfterSeconds(res.headers.get('retry-after'), now())
      return fail('ai_rate_limited', `The model server is rate limiting us (HTTP 429${serverMessage(text)}).`, { retryable: true, status, ...(after !== undefined ? { retryAfterSeconds: after } : {}) })
    }
    if (status === 401 || status === 403) return fail('ai_auth', `The model server refused our credentials (HTTP ${status}${serverMessage(text)}). Check AI_API_KEY.`, { status })
    if (status === 408) return fail('ai_timeout', `The model server timed out (HTTP 408${serverMessage(text)}).`, { retryable: true, status })
    if (status >= 500) {
      const after = retryAfterSeconds(res.headers.get('retry-after'), now())
      return fail('ai_server_error', `The model server failed (HTTP ${status}${serverMessage(text)}).`, { retryable: true, status, ...(after !== undefined ? { retryAfterSeconds: after } : {}) })
    }
    if (status >= 400) return fail('ai_bad_request', `The model server rejected the request (HTTP ${status}${serverMessage(text)}).`, { status })
    if (status < 200 || status >= 300) return fail('ai_bad_response', `Unexpected HTTP ${status} from the model server.`, { retryable: true, status })

    let data: {
      choices?: { message?: { content?: unknown; refusal?: unknown }; text?: unknown; finish_reason?: unknown }[]
      usage?: { prompt_tokens?: unknown; completion_tokens?: unknown }
      model?: unknown
      error?: unknown
    }
    try {
      data = JSON.parse(text) as typeof data
    } catch {
      return fail('ai_bad_response', `The model server did not answer in JSON (${text.trim().slice(0, 60) || 'an empty body'}).`, { retryable: true, status })
    }
    if (!data || typeof data !== 'object') return fail('ai_bad_response', 'The model server answered with something other than a chat completion.', { retryable: true, status })
    const choice = Array.isArray(data.choices) ? data.choices[0] : undefined
    // Some proxies report failures as 200 with an error body.
    if (!choice) return fail('ai_bad_response', `The model server's reply had no choices${data.error ? serverMessage(text) : ''}.`, { retryable: true, status })
    const finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : null
    if (finishReason === 'content_filter' || (typeof choice.message?.refusal === 'string' && choice.message.refusal.trim())) {
      return fail('ai_refused', 'The model refused to answer (content filter).', { status })
    }
    const raw = contentText(choice.message?.content ?? choice.text)
    const content = stripThinking(raw)
    if (!content) {
      const why = raw.trim() ? 'only its reasoning, no answer' : 'an empty answer'
      const hint = finishReason === 'length' ? ' before reaching its token limit (raise AI max output tokens)' : ''
      return fail('ai_bad_response', `The model gave ${why}${hint}.`, { retryable: true, status })
    }
    return ok({
      text: content,
      usage: { promptTokens: num(data.usage?.prompt_tokens), completionTokens: num(data.usage?.completion_tokens) },
      latencyMs,
      model: typeof data.model === 'string' && data.model ? data.model : cfg.model,
      finishReason,
    })
  }

  return {
    model: cfg.model,
    async chat(req) {
      const r = await once(req, req.json === true)
      // Older llama.cpp and some proxies reject `response_format`; the features check the JSON anyway.
      if (!r.ok && req.json && r.error.code === 'ai_bad_request' && r.error.status === 400) return once(req, false)
      return r
    },
  }
}
