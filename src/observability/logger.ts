import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino'

/**
 * Structured logs: pino JSON lines (one object a line: `level`, `time`, `msg`, a `component` and the
 * event's fields) for log collectors, or one readable line per event with LOG_FORMAT=pretty (the
 * default on a terminal). Never logged: cookies, Authorization headers, passwords, tokens (redacted
 * wherever they appear in the first two levels of an object, and request logs carry the route pattern,
 * never the raw path, since paths hold reset and WebSub tokens).
 */
export type Logger = PinoLogger
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export type LogFormat = 'json' | 'pretty'

export const REDACTED_KEYS = ['cookie', 'authorization', 'password', 'token', 'secret', 'set-cookie', 'apiKey'] as const
const REDACT_PATHS = REDACTED_KEYS.flatMap((k) => [`["${k}"]`, `*["${k}"]`, `*.headers["${k}"]`])

export interface LoggerOptions {
  /** Null: `silent` under `node --test` (tests stay quiet), else `info`. */
  level: LogLevel | null
  /** Null: pretty on a terminal, JSON otherwise. */
  format: LogFormat | null
  /** Where lines go (default stdout). */
  destination?: DestinationStream & { isTTY?: boolean }
}

/** The level when none is configured: quiet under the test runner, `info` otherwise. */
export function defaultLevel(env: Record<string, string | undefined> = process.env): LogLevel {
  return env['NODE_TEST_CONTEXT'] ? 'silent' : 'info'
}

export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.destination ?? process.stdout
  const format = opts.format ?? (out.isTTY ? 'pretty' : 'json')
  return pino({
    level: opts.level ?? defaultLevel(),
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, format === 'pretty' ? prettyStream(out) : out)
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'component'])

/** `12:00:01.123 WARN  refresh: source 3 failed code=timeout status=…`: pino's JSON line made readable. */
export function prettyLine(json: string): string {
  let o: Record<string, unknown>
  try {
    o = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json.trimEnd()
  }
  const time = typeof o['time'] === 'string' ? o['time'].slice(11, 23) : ''
  const level = (LEVEL_NAMES[Number(o['level'])] ?? String(o['level'])).padEnd(5)
  const component = typeof o['component'] === 'string' ? `${o['component']}: ` : ''
  const fields = Object.entries(o).filter(([k]) => !SKIP.has(k)).map(([k, v]) => {
    if (k === 'err' && v && typeof v === 'object') {
      const e = v as { type?: string; message?: string; stack?: string }
      return `err=${JSON.stringify(e.message ?? '')}${e.stack ? `\n${e.stack.split('\n').slice(1).join('\n')}` : ''}`
    }
    return `${k}=${typeof v === 'string' && !/[\s"=]/.test(v) ? v : JSON.stringify(v)}`
  })
  return `${time} ${level} ${component}${String(o['msg'] ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}`
}

function prettyStream(out: DestinationStream): DestinationStream {
  return { write: (chunk: string) => { for (const line of chunk.split('\n')) if (line) out.write(`${prettyLine(line)}\n`) } }
}

/** A logger that writes nothing (parts built without one, e.g. in tests). */
export const silentLogger: Logger = pino({ level: 'silent' })
