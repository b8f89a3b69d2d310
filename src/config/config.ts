import { readFileSync } from 'node:fs'
import { z } from 'zod'

/**
 * Configuration is read from the environment once (in cli/main.ts) into a frozen object; every part
 * of the program receives only its slice. Defaults make `npm start` work with nothing set.
 */
const bool = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def
      if (/^(1|true|yes|on)$/i.test(v)) return true
      if (/^(0|false|no|off)$/i.test(v)) return false
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected a boolean (1/0, true/false), got "${v}"` })
      return z.NEVER
    })

const int = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def
      const n = Number(v)
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected an integer between ${min} and ${max}, got "${v}"` })
        return z.NEVER
      }
      return n
    })

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))

const EnvSchema = z.object({
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().optional(),
  PORT: int(8080, 0, 65535),
  HOST: z.string().optional(),
  BASE_URL: z.string().url().optional(),
  SITE_TITLE: z.string().optional(),
  PAGE_CACHE_SECONDS: int(30, 0, 3600),
  PAGE_CACHE_MB: int(64, 0, 4096),
  PAGE_STORE: bool(true),
  PAGE_WARM: bool(true),
  ADMIN_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  METRICS_TOKEN: z.string().optional(),
  METRICS_PORT: z.string().optional().transform((v) => v || undefined).pipe(int(0, 0, 65535).optional()),
  DEMO: bool(true),
  DEMO_PORT: int(8081, 0, 65535),
  SCHEDULER: bool(true),
  POLL_INTERVAL_MINUTES: int(30, 1, 24 * 60),
  SCHEDULER_TICK_SECONDS: int(30, 1, 3600),
  REFRESH_CONCURRENCY: int(4, 1, 64),
  FETCH_TIMEOUT_MS: int(20_000, 100, 600_000),
  FETCH_MAX_BODY_BYTES: int(10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  FETCH_MAX_REDIRECTS: int(5, 0, 20),
  FETCH_USER_AGENT: z.string().optional(),
  FETCH_ALLOW_PRIVATE: bool(false),
  FETCH_ALLOW_HOSTS: list,
  FETCH_PER_HOST_CONCURRENCY: int(2, 1, 32),
  // Politeness: a token bucket per host. 20 a minute with a burst of 4 is one request every 3 s once
  // the burst is spent, which hosts with strict limits (a few requests a minute up to one a second) accept.
  FETCH_PER_HOST_RATE_PER_MINUTE: int(20, 0, 6000),
  FETCH_PER_HOST_BURST: int(4, 1, 100),
  /** Older setting: the gap between requests in ms; when set it replaces the rate (0: no pacing). */
  FETCH_PER_HOST_INTERVAL_MS: z.string().optional().transform((v) => v || undefined).pipe(int(0, 0, 600_000).optional()),
  POLL_MIN_MINUTES: int(15, 1, 24 * 60),
  POLL_MAX_MINUTES: int(6 * 60, 1, 7 * 24 * 60),
  PAUSE_AFTER_FAILURES: int(10, 1, 10_000),
  PAUSE_AFTER_DAYS: int(3, 0, 365),
  FETCH_RESPECT_ROBOTS: bool(true),
  BACKOFF_BASE_MINUTES: int(5, 1, 1440),
  BACKOFF_MAX_MINUTES: int(24 * 60, 1, 7 * 24 * 60),
  WEBSUB: bool(true),
  WEBSUB_LEASE_SECONDS: int(10 * 24 * 3600, 300, 365 * 24 * 3600),
  WEBSUB_POLL_HOURS: int(6, 1, 7 * 24),
  WEBSUB_MAX_SILENCE_HOURS: int(48, 1, 90 * 24),
  AI_BASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  AI_MODEL: z.string().optional(),
  AI_API_KEY: z.string().optional(),
  AI_TIMEOUT_MS: int(120_000, 1000, 3_600_000),
  AI_CONCURRENCY: int(2, 1, 64),
  AI_MAX_ATTEMPTS: int(4, 1, 20),
  AI_PRECOMPUTE: bool(true),
  AI_LANGUAGE: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'expected a language tag such as en or pt-BR').optional(),
  JOBS: z.enum(['inline', 'queue']).optional(),
  WORKER_FETCH_CONCURRENCY: int(4, 0, 256),
  WORKER_EXTRACT_CONCURRENCY: int(6, 0, 256),
  SHUTDOWN_TIMEOUT_SECONDS: int(30, 1, 3600),
  JOB_EXPIRE_SECONDS: int(600, 2, 86_399),
  JOB_MAINTENANCE_SECONDS: int(60, 1, 3600),
  REGISTRATION: z.enum(['open', 'closed']).optional(),
  COMMENTS: bool(true),
  COMMENT_EDIT_MINUTES: int(15, 0, 10_080),
  COMMENT_MAX_CHARS: int(5000, 100, 20_000),
  COMMENT_HOLD_FIRST: int(1, 0, 100),
  COMMENT_HOLD_LINKS: int(3, 0, 100),
  SESSION_IDLE_DAYS: int(14, 1, 365),
  SESSION_MAX_DAYS: int(60, 1, 730),
  TRUST_PROXY: bool(false),
  LIMIT_LOGIN_PER_ACCOUNT: int(5, 1, 1000),
  LIMIT_LOGIN_PER_IP: int(30, 1, 100_000),
  LIMIT_LOGIN_WINDOW_MINUTES: int(15, 1, 1440),
  LIMIT_REGISTER_PER_IP: int(5, 1, 100_000),
  LIMIT_COMMENTS_PER_ACCOUNT: int(6, 1, 10_000),
  LIMIT_COMMENTS_PER_IP: int(30, 1, 100_000),
  LIMIT_COMMENTS_WINDOW_MINUTES: int(10, 1, 1440),
})

export interface Config {
  readonly database: { readonly url: string; readonly kind: 'sqlite' | 'postgres' }
  readonly dataDir: string
  readonly http: {
    readonly port: number; readonly host: string; readonly baseUrl: string | null; readonly siteTitle: string
    /** Rendered pages for readers not signed in: kept this long (0: off), in at most this much memory. */
    readonly pageCache: { readonly seconds: number; readonly mb: number }
    /** Article pages kept rendered in the database (PAGE_STORE), and rendered ahead while the site is idle (PAGE_WARM). */
    readonly pageStore: { readonly enabled: boolean; readonly warm: boolean }
  }
  /** When set, /admin asks for it; when not, /admin answers only requests from this machine. */
  readonly adminPassword: string | null
  /** LOG_LEVEL when set; null: `info`, or `silent` under the test runner (src/observability/logger.ts). */
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent' | null
  /** LOG_FORMAT when set; null: readable lines on a terminal, JSON lines otherwise. */
  readonly logFormat: 'json' | 'pretty' | null
  /** `/metrics` from other machines needs `Authorization: Bearer <token>`; `port`: where `tidings worker` serves its metrics. */
  readonly metrics: { readonly token: string | null; readonly port: number | null }
  readonly demo: { readonly enabled: boolean; readonly port: number }
  readonly scheduler: {
    readonly enabled: boolean
    readonly tickSeconds: number
    readonly pollIntervalMinutes: number
    readonly concurrency: number
    readonly backoffBaseMinutes: number
    readonly backoffMaxMinutes: number
    /** Bounds of the interval adapted to how often a source publishes. */
    readonly minIntervalMinutes: number
    readonly maxIntervalMinutes: number
    /** A source failing this many times in a row over at least this many days is paused. */
    readonly pauseAfterFailures: number
    readonly pauseAfterDays: number
  }
  readonly fetch: {
    readonly timeoutMs: number
    readonly maxBodyBytes: number
    readonly maxRedirects: number
    readonly userAgent: string
    readonly allowPrivate: boolean
    readonly allowHosts: readonly string[]
    readonly perHostConcurrency: number
    /** Token bucket per host: one token every perHostIntervalMs, up to perHostBurst saved. */
    readonly perHostIntervalMs: number
    readonly perHostBurst: number
    readonly respectRobots: boolean
  }
  /** Push (WebSub): on only with a public BASE_URL, since hubs must reach our callback. */
  readonly websub: {
    readonly enabled: boolean
    /** Lease asked of hubs (they may grant another). */
    readonly leaseSeconds: number
    /** Safety polling interval while push is active. */
    readonly pollHours: number
    /** With nothing heard from the hub for this long, normal polling resumes. */
    readonly maxSilenceHours: number
  }
  /**
   * AI features. The built-in ones always run; `provider` is an OpenAI-compatible chat endpoint the
   * operator configured (null: none, and the AI panel says what needs one).
   */
  readonly ai: {
    readonly provider: { readonly baseUrl: string; readonly model: string; readonly apiKey: string | null; readonly timeoutMs: number } | null
    readonly concurrency: number
    readonly maxAttempts: number
    /** Queue an abstractive summary for each new article, so it is ready when read. */
    readonly precompute: boolean
    /** The site's language: what summaries are written in when the reader's browser says nothing. */
    readonly language: string
  }
  readonly community: CommunityConfig
  readonly jobs: {
    /**
     * inline: each process refreshes its due sources itself (one process, the default). queue: refreshes,
     * article extraction and story placement are jobs (pg-boss on Postgres, the embedded queue on
     * SQLite) that any `tidings worker` process takes.
     */
    readonly mode: 'inline' | 'queue'
    readonly fetchConcurrency: number
    readonly extractConcurrency: number
    /** On SIGTERM: how long running jobs may finish before they are released to other workers. */
    readonly shutdownTimeoutMs: number
    /** A job held this long by a worker that stopped answering is given to another (fetches get 3×). */
    readonly expireSeconds: number
    /** How often pg-boss looks for expired jobs (so a dead worker's job waits up to this much longer). */
    readonly maintenanceSeconds: number
  }
}

/** Readers, comments and the limits that keep them civil. */
export interface CommunityConfig {
  /** The default for open registration; an admin can change it in /admin/settings. */
  readonly registrationOpen: boolean
  readonly comments: boolean
  readonly editMinutes: number
  readonly maxChars: number
  /** A new account's first this many comments wait for a moderator (0: none). */
  readonly holdFirst: number
  /** A comment with at least this many links waits for a moderator (0: never). */
  readonly holdLinks: number
  readonly sessionIdleMs: number
  readonly sessionMaxMs: number
  /** Believe X-Forwarded-For / -Proto from a reverse proxy in front of us. */
  readonly trustProxy: boolean
  readonly limits: {
    readonly loginPerAccount: number
    readonly loginPerIp: number
    readonly loginWindowMs: number
    readonly registerPerIp: number
    readonly registerWindowMs: number
    readonly commentsPerAccount: number
    readonly commentsPerIp: number
    readonly commentsWindowMs: number
  }
}

export const VERSION = '0.1.0'
export const DEFAULT_USER_AGENT = `Tidings/${VERSION} (self-hosted news aggregator)`

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** `X_FILE=/run/secrets/x` stands for `X=<contents of the file>` (Docker/systemd secrets). */
function resolveFileVariants(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env }
  for (const [key, value] of Object.entries(env)) {
    if (!key.endsWith('_FILE') || !value) continue
    const base = key.slice(0, -'_FILE'.length)
    // Only our own settings: the environment holds other programs' *_FILE variables too.
    if (!(base in EnvSchema.shape) || out[base]) continue
    try {
      out[base] = readFileSync(value, 'utf8').trim()
    } catch (e) {
      throw new ConfigError(`${key}: cannot read ${value}: ${(e as Error).message}`)
    }
  }
  return out
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(resolveFileVariants(env))
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  if (e.AI_BASE_URL && !e.AI_MODEL?.trim()) throw new ConfigError('invalid configuration:\n  AI_MODEL: required when AI_BASE_URL is set (the model name the endpoint serves, e.g. llama3.1:8b)')
  const dataDir = e.DATA_DIR ?? './data'
  const dbUrl = e.DATABASE_URL ?? `sqlite:${dataDir.replace(/\/$/, '')}/tidings.db`
  let kind: 'sqlite' | 'postgres'
  if (/^postgres(ql)?:\/\//.test(dbUrl)) kind = 'postgres'
  else if (dbUrl.startsWith('sqlite:')) kind = 'sqlite'
  else throw new ConfigError(`DATABASE_URL: expected sqlite:<path> or postgres://…, got "${dbUrl}"`)
  return deepFreeze({
    database: { url: dbUrl, kind },
    dataDir,
    http: {
      port: e.PORT, host: e.HOST ?? '0.0.0.0', baseUrl: e.BASE_URL ?? null, siteTitle: e.SITE_TITLE ?? 'Tidings',
      pageCache: { seconds: e.PAGE_CACHE_SECONDS, mb: e.PAGE_CACHE_MB },
      pageStore: { enabled: e.PAGE_STORE, warm: e.PAGE_STORE && e.PAGE_WARM },
    },
    adminPassword: e.ADMIN_PASSWORD || null,
    logLevel: e.LOG_LEVEL ?? null,
    logFormat: e.LOG_FORMAT ?? null,
    metrics: { token: e.METRICS_TOKEN || null, port: e.METRICS_PORT ?? null },
    demo: { enabled: e.DEMO, port: e.DEMO_PORT },
    scheduler: {
      enabled: e.SCHEDULER,
      tickSeconds: e.SCHEDULER_TICK_SECONDS,
      pollIntervalMinutes: e.POLL_INTERVAL_MINUTES,
      concurrency: e.REFRESH_CONCURRENCY,
      backoffBaseMinutes: e.BACKOFF_BASE_MINUTES,
      backoffMaxMinutes: e.BACKOFF_MAX_MINUTES,
      minIntervalMinutes: Math.min(e.POLL_MIN_MINUTES, e.POLL_MAX_MINUTES),
      maxIntervalMinutes: e.POLL_MAX_MINUTES,
      pauseAfterFailures: e.PAUSE_AFTER_FAILURES,
      pauseAfterDays: e.PAUSE_AFTER_DAYS,
    },
    fetch: {
      timeoutMs: e.FETCH_TIMEOUT_MS,
      maxBodyBytes: e.FETCH_MAX_BODY_BYTES,
      maxRedirects: e.FETCH_MAX_REDIRECTS,
      userAgent: e.FETCH_USER_AGENT ?? DEFAULT_USER_AGENT,
      allowPrivate: e.FETCH_ALLOW_PRIVATE,
      allowHosts: e.FETCH_ALLOW_HOSTS,
      perHostConcurrency: e.FETCH_PER_HOST_CONCURRENCY,
      perHostIntervalMs: e.FETCH_PER_HOST_INTERVAL_MS ?? (e.FETCH_PER_HOST_RATE_PER_MINUTE === 0 ? 0 : Math.round(60_000 / e.FETCH_PER_HOST_RATE_PER_MINUTE)),
      perHostBurst: e.FETCH_PER_HOST_BURST,
      respectRobots: e.FETCH_RESPECT_ROBOTS,
    },
    websub: {
      enabled: e.WEBSUB && e.BASE_URL !== undefined,
      leaseSeconds: e.WEBSUB_LEASE_SECONDS,
      pollHours: e.WEBSUB_POLL_HOURS,
      maxSilenceHours: e.WEBSUB_MAX_SILENCE_HOURS,
    },
    ai: {
      provider: e.AI_BASE_URL
        ? { baseUrl: e.AI_BASE_URL.replace(/\/+$/, ''), model: e.AI_MODEL!, apiKey: e.AI_API_KEY || null, timeoutMs: e.AI_TIMEOUT_MS }
        : null,
      concurrency: e.AI_CONCURRENCY,
      maxAttempts: e.AI_MAX_ATTEMPTS,
      precompute: e.AI_PRECOMPUTE,
      language: (e.AI_LANGUAGE ?? 'en').toLowerCase(),
    },
    jobs: {
      mode: e.JOBS ?? 'inline',
      fetchConcurrency: e.WORKER_FETCH_CONCURRENCY,
      extractConcurrency: e.WORKER_EXTRACT_CONCURRENCY,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
      expireSeconds: e.JOB_EXPIRE_SECONDS,
      maintenanceSeconds: e.JOB_MAINTENANCE_SECONDS,
    },
    community: {
      registrationOpen: (e.REGISTRATION ?? 'open') === 'open',
      comments: e.COMMENTS,
      editMinutes: e.COMMENT_EDIT_MINUTES,
      maxChars: e.COMMENT_MAX_CHARS,
      holdFirst: e.COMMENT_HOLD_FIRST,
      holdLinks: e.COMMENT_HOLD_LINKS,
      sessionIdleMs: e.SESSION_IDLE_DAYS * 86_400_000,
      sessionMaxMs: e.SESSION_MAX_DAYS * 86_400_000,
      trustProxy: e.TRUST_PROXY,
      limits: {
        loginPerAccount: e.LIMIT_LOGIN_PER_ACCOUNT,
        loginPerIp: e.LIMIT_LOGIN_PER_IP,
        loginWindowMs: e.LIMIT_LOGIN_WINDOW_MINUTES * 60_000,
        registerPerIp: e.LIMIT_REGISTER_PER_IP,
        registerWindowMs: 3_600_000,
        commentsPerAccount: e.LIMIT_COMMENTS_PER_ACCOUNT,
        commentsPerIp: e.LIMIT_COMMENTS_PER_IP,
        commentsWindowMs: e.LIMIT_COMMENTS_WINDOW_MINUTES * 60_000,
      },
    },
  })
}
