/**
 * A JSON Schema (2020-12) validator for the subset our OpenAPI document uses, so tests can check real
 * responses against the served document rather than against the zod schemas it came from. A keyword
 * outside the subset is an error, never silently passed: the document cannot grow a rule nobody checks.
 */

type Schema = Record<string, unknown>

/** Keywords that constrain nothing. */
const NOTES = new Set(['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly'])
const CHECKED = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref',
  'format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
])

const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d\d-\d\d$/.test(s) && !Number.isNaN(Date.parse(s)),
  uri: (s) => { try { return /^[a-z][a-z0-9+.-]*:/i.test(s) && Boolean(new URL(s)) } catch { return false } },
}

export interface ValidateOptions {
  /** The document `$ref`s point into (`#/components/schemas/X`). */
  root: unknown
}

/** Every way `value` breaks `schema`, as "path: problem" lines; empty when it conforms. */
export function validate(schema: unknown, value: unknown, opts: ValidateOptions, at = '$'): string[] {
  if (schema === true) return []
  if (schema === false) return [`${at}: nothing is allowed here`]
  if (!isObject(schema)) throw new Error(`json-schema: not a schema at ${at}`)
  for (const k of Object.keys(schema)) {
    if (!CHECKED.has(k) && !NOTES.has(k)) throw new Error(`json-schema: keyword "${k}" at ${at} is not supported by this validator`)
  }
  const out: string[] = []
  const s = schema
  if (typeof s.$ref === 'string') out.push(...validate(resolve(s.$ref, opts.root), value, opts, at))
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type as string[] : [s.type as string]
    if (!types.some((t) => hasType(value, t))) return [...out, `${at}: expected ${types.join(' or ')}, got ${typeName(value)}`]
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) out.push(`${at}: must be ${JSON.stringify(s.const)}`)
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    out.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`)
  }
  if (Array.isArray(s.anyOf)) {
    const results = s.anyOf.map((sub) => validate(sub, value, opts, at))
    if (!results.some((r) => r.length === 0)) out.push(`${at}: matches none of anyOf (${results.map((r) => r[0]).join(' | ')})`)
  }
  if (Array.isArray(s.oneOf)) {
    const n = s.oneOf.filter((sub) => validate(sub, value, opts, at).length === 0).length
    if (n !== 1) out.push(`${at}: matches ${n} of oneOf, not exactly one`)
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) out.push(...validate(sub, value, opts, at))
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && [...value].length < s.minLength) out.push(`${at}: shorter than ${s.minLength}`)
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`)
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) out.push(`${at}: ${JSON.stringify(value.slice(0, 80))} does not match ${s.pattern.slice(0, 80)}`)
    if (typeof s.format === 'string') {
      const check = FORMATS[s.format]
      if (!check) throw new Error(`json-schema: format "${s.format}" at ${at} is not supported by this validator`)
      if (!check(value)) out.push(`${at}: ${JSON.stringify(value.slice(0, 80))} is not a ${s.format}`)
    }
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) out.push(`${at}: ${value} is below ${s.minimum}`)
    if (typeof s.maximum === 'number' && value > s.maximum) out.push(`${at}: ${value} is above ${s.maximum}`)
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) out.push(`${at}: ${value} is not above ${s.exclusiveMinimum}`)
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) out.push(`${at}: ${value} is not below ${s.exclusiveMaximum}`)
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) out.push(`${at}: fewer than ${s.minItems} items`)
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) out.push(`${at}: more than ${s.maxItems} items`)
    if (s.items !== undefined) value.forEach((v, i) => out.push(...validate(s.items, v, opts, `${at}[${i}]`)))
  }
  if (isObject(value)) {
    const props = isObject(s.properties) ? s.properties : {}
    if (Array.isArray(s.required)) for (const k of s.required as string[]) if (!Object.hasOwn(value, k)) out.push(`${at}: missing "${k}"`)
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(props, k)) out.push(...validate(props[k], v, opts, `${at}.${k}`))
      else if (s.additionalProperties === false) out.push(`${at}: unexpected property "${k}"`)
      else if (isObject(s.additionalProperties)) out.push(...validate(s.additionalProperties, v, opts, `${at}.${k}`))
    }
  }
  return out
}

function resolve(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#/')) throw new Error(`json-schema: only local $refs are supported (${ref})`)
  let node: unknown = root
  for (const part of ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (!isObject(node) || !Object.hasOwn(node, part)) throw new Error(`json-schema: $ref ${ref} points at nothing`)
    node = node[part]
  }
  return node
}

function hasType(v: unknown, t: string): boolean {
  switch (t) {
    case 'null': return v === null
    case 'boolean': return typeof v === 'boolean'
    case 'string': return typeof v === 'string'
    case 'number': return typeof v === 'number' && Number.isFinite(v)
    case 'integer': return typeof v === 'number' && Number.isInteger(v)
    case 'array': return Array.isArray(v)
    case 'object': return isObject(v)
    default: throw new Error(`json-schema: unknown type "${t}"`)
  }
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
