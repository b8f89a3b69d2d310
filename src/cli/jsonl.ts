import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'

export interface LineError {
  id: string | null
  error: { code: string; message: string }
}

/**
 * A JSON-lines filter: one output line per input line, in input order; a bad line yields an error
 * line and processing continues. `fn` gets the parsed object and returns the output object.
 */
export async function runJsonl(
  fn: (input: Record<string, unknown>) => Promise<object> | object,
  io: { input: Readable; output: Writable },
): Promise<{ lines: number; errors: number }> {
  const rl = createInterface({ input: io.input, crlfDelay: Infinity })
  let lines = 0
  let errors = 0
  for await (const line of rl) {
    if (!line.trim()) continue
    lines++
    let out: object
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (e) {
      parsed = undefined
      out = { id: null, error: { code: 'bad_input', message: `line ${lines} is not JSON: ${(e as Error).message}` } } satisfies LineError
    }
    if (parsed !== undefined) {
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        out = { id: null, error: { code: 'bad_input', message: `line ${lines} is not a JSON object` } } satisfies LineError
      } else {
        const id = (parsed as { id?: unknown }).id
        try {
          out = await fn(parsed as Record<string, unknown>)
        } catch (e) {
          out = { id: typeof id === 'string' || typeof id === 'number' ? String(id) : null, error: { code: 'internal', message: (e as Error).message } }
        }
      }
    }
    if ('error' in out!) errors++
    if (!io.output.write(`${JSON.stringify(out!)}\n`)) await new Promise((r) => io.output.once('drain', r))
  }
  return { lines, errors }
}
