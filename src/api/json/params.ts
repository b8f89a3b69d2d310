/**
 * Query and path parameters: each a zod schema over the raw string with a description (for the
 * OpenAPI document) and a hint (for the 400 message). A path declares the ones it takes; any other,
 * or one given twice, is refused, so a misspelt filter never silently lists everything.
 */
import { z } from 'zod/v4'
import { HttpError } from '../../domain/errors.js'

export interface Param {
  schema: z.ZodType
  description: string
  /** What a good value is, for the error message: "an integer from 1 to 100". */
  hint: string
  required: boolean
}

export type Params = Record<string, Param>

const param = (schema: z.ZodType, description: string, hint: string, required = false): Param => ({ schema, description, hint, required })

/** Store cursors are base64url JSON arrays; anything else is a client's mistake, not "start again". */
function cursorShape(s: string): boolean {
  try {
    return Array.isArray(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')))
  } catch {
    return false
  }
}

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((s) => new Date(s).toISOString())
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const P = {
  limit: param(int(1, 100).default(20), 'Items per page (1–100, default 20)', 'an integer from 1 to 100'),
  cursor: param(z.string().max(1000).regex(/^[A-Za-z0-9_-]+$/).refine(cursorShape), 'The `next` cursor of the previous page', 'the `next` value of a previous page, as given'),
  source: param(int(1, 2_147_483_647), 'Only articles from this source id', 'a source id (a positive integer)'),
  tag: param(z.string().min(1).max(100), 'Only articles with this tag (its slug)', 'a tag slug of 1 to 100 characters'),
  author: param(z.string().min(1).max(100), 'Only articles by this author (the `slug` of one of an article\'s authors)', 'an author slug of 1 to 100 characters'),
  lang: param(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/), 'Only articles in this language (BCP 47: `en`, `ja`, `pt-BR`)', 'a language tag such as en or pt-BR'),
  since: param(instant, 'Published (else fetched) at or after this instant: an ISO 8601 date-time with a time zone, or a date (midnight UTC)', 'an ISO 8601 date-time with a time zone (2026-11-22T08:00:00Z) or a date (2026-11-22)'),
  until: param(instant, 'Published (else fetched) before this instant: an ISO 8601 date-time with a time zone, or a date (midnight UTC)', 'an ISO 8601 date-time with a time zone (2026-11-22T08:00:00Z) or a date (2026-11-22)'),
  q: param(z.string().trim().min(1).max(300), 'Words to find: all must match; "quoted phrases", -excluded, prefix*', 'one to 300 characters of search words', true),
  order: param(z.enum(['recent', 'top']).default('recent'), '`recent`: latest first; `top`: ranked as on the home page (more sources and newer first)', 'recent or top'),
  hours: param(int(1, 720).default(72), 'Stories with an article in the last this many hours (1–720, default 72)', 'an integer from 1 to 720'),
  minArticles: param(int(1, 100).optional(), 'Stories with at least this many articles (default 2 with `order=top`, else 1)', 'an integer from 1 to 100'),
} as const

export const idOf = (noun: string): Params => ({ id: param(int(1, 2_147_483_647), `The ${noun}'s id`, 'a positive integer', true) })
export const SLUG: Params = { slug: param(z.string().min(1).max(200), 'The tag slug', 'a tag slug', true) }

/**
 * The parsed values of the declared parameters, or a 400 naming the first bad one. `raw` holds every
 * value given for each name (Hono's `c.req.queries()`).
 */
export function parseParams(declared: Params, raw: Record<string, string[]>): Record<string, unknown> {
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(declared, name)) {
      const known = Object.keys(declared)
      throw new HttpError(400, 'bad_input', `Unknown parameter "${name}": ${known.length ? `this path takes ${known.join(', ')}` : 'this path takes none'}.`)
    }
  }
  const out: Record<string, unknown> = {}
  for (const [name, p] of Object.entries(declared)) {
    const values = raw[name] ?? []
    if (values.length > 1) throw new HttpError(400, 'bad_input', `Parameter "${name}" is given ${values.length} times; give it once.`)
    const value = values[0]
    if (value === undefined) {
      if (p.required) throw new HttpError(400, 'bad_input', `Parameter "${name}" is required: ${p.hint}.`)
      // Absent: its default when it has one, else nothing.
      const d = p.schema.safeParse(undefined)
      if (d.success && d.data !== undefined) out[name] = d.data
      continue
    }
    const r = p.schema.safeParse(value)
    if (!r.success) {
      throw new HttpError(400, 'bad_input', `Parameter "${name}" must be ${p.hint}; got ${JSON.stringify(clip(value))}.`)
    }
    if (r.data !== undefined) out[name] = r.data
  }
  return out
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s
}
