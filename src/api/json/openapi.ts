/**
 * The OpenAPI 3.1 document, made from the route table (operations.ts) and the zod schemas
 * (schemas.ts) with zod's own JSON Schema conversion (draft 2020-12, which OpenAPI 3.1 uses).
 */
import { z } from 'zod/v4'
import { COMPONENTS } from './schemas.js'
import type { Operation } from './operations.js'
import type { Param } from './params.js'

type Json = Record<string, unknown>

/** Keys zod writes that mean nothing inside an OpenAPI document. */
function tidy(schema: Json): Json {
  const { $schema: _s, $id: _i, id: _d, ...rest } = schema
  return rest
}

/** `components.schemas`, converted once: shared schemas become `$ref`s to each other. */
export const SCHEMAS: Record<string, Json> = (() => {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id })
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io: 'output', uri: (id) => `#/components/schemas/${id}` })
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, tidy(s as Json)]))
})()

const paramSchema = (p: Param): Json => tidy(z.toJSONSchema(p.schema, { target: 'draft-2020-12', io: 'input' }) as Json)

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (name: string, description: string, headers?: Json) => ({
  description, ...(headers ? { headers } : {}), content: { 'application/json': { schema: ref(name) } },
})

const HEADERS = {
  ETag: { description: 'Send it back as If-None-Match: an unchanged answer is 304 without a body', schema: { type: 'string' } },
  'Cache-Control': { description: '`public, max-age=60`', schema: { type: 'string' } },
  'Access-Control-Allow-Origin': { description: '`*`: any web page may read it (no credentials)', schema: { type: 'string' } },
}

export function openApiDocument(ops: readonly Operation[], ctx: { siteTitle: string; origin: string }): Json {
  const paths: Record<string, Json> = {}
  for (const o of ops) {
    const parameters = [
      ...Object.entries(o.pathParams).map(([name, p]) => ({ name, in: 'path', required: true, description: p.description, schema: paramSchema(p) })),
      ...Object.entries(o.query).map(([name, p]) => ({ name, in: 'query', required: p.required, description: p.description, schema: paramSchema(p) })),
    ]
    const headers = o.paginated
      ? { ...HEADERS, Link: { description: '`<…>; rel="next"` when there is a next page', schema: { type: 'string' } } }
      : HEADERS
    const responses: Json = {
      200: json(o.response, 'OK', headers),
      304: { description: 'Not modified: the If-None-Match ETag is current' },
      400: json('Error', 'A parameter is missing, unknown, repeated or not valid (the message names it)'),
      ...(o.notFound ? { 404: json('Error', o.notFound) } : {}),
    }
    paths[o.path] = {
      get: { operationId: o.operationId, summary: o.summary, ...(o.description ? { description: o.description } : {}), parameters, responses },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${ctx.siteTitle} API`,
      version: '1.0.0',
      description: 'Read-only JSON API of a Tidings news site: articles, stories, sources, tags and search. ' +
        'No key needed; every GET may be read from any origin. Errors are `{ "error": { "code", "message" } }`.',
    },
    servers: [{ url: ctx.origin }],
    paths,
    components: { schemas: SCHEMAS },
  }
}
