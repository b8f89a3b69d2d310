import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validate } from './json-schema.js'
import { SCHEMAS } from './openapi.js'

const root = { components: { schemas: SCHEMAS } }
const check = (schema: unknown, value: unknown) => validate(schema, value, { root })

test('the validator accepts what conforms and names what does not', () => {
  const cases: [unknown, unknown, RegExp | null][] = [
    [{ type: 'integer', minimum: 1 }, 3, null],
    [{ type: 'integer', minimum: 1 }, 0, /below 1/],
    [{ type: 'integer' }, 1.5, /expected integer/],
    [{ type: 'string', format: 'date-time' }, '2026-11-22T12:00:00.000Z', null],
    [{ type: 'string', format: 'date-time' }, '22 Nov 2026', /not a date-time/],
    [{ type: 'string', format: 'uri' }, 'https://a.example/x', null],
    [{ type: 'string', format: 'uri' }, '/relative', /not a uri/],
    [{ anyOf: [{ type: 'string' }, { type: 'null' }] }, null, null],
    [{ anyOf: [{ type: 'string' }, { type: 'null' }] }, 4, /none of anyOf/],
    [{ type: 'string', enum: ['a', 'b'] }, 'c', /not one of/],
    [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }, { a: 'x', b: 1 }, /unexpected property "b"/],
    [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, {}, /missing "a"/],
    [{ type: 'array', items: { type: 'number' } }, [1, 'x'], /\$\[1\]: expected number/],
    [{ $ref: '#/components/schemas/Tag' }, { slug: 'harbor', label: 'Harbor' }, null],
    [{ $ref: '#/components/schemas/Tag' }, { slug: 'harbor' }, /missing "label"/],
  ]
  for (const [schema, value, problem] of cases) {
    const errors = check(schema, value)
    if (problem === null) assert.deepEqual(errors, [], `${JSON.stringify(value)} against ${JSON.stringify(schema)}`)
    else assert.match(errors.join('\n'), problem, `${JSON.stringify(value)} against ${JSON.stringify(schema)}`)
  }
})

test('a keyword the validator does not check is an error, not a pass', () => {
  assert.throws(() => check({ type: 'string', contentEncoding: 'base64' }, 'x'), /contentEncoding/)
  assert.throws(() => check({ type: 'string', format: 'ipv4' }, 'x'), /ipv4/)
})

test('the converted schemas are strict: an article card with a missing or an extra field fails', () => {
  const card = {
    id: 1, url: 'https://t.example/api/v1/articles/1', webUrl: 'https://t.example/articles/1/x', originalUrl: null, title: 'X',
    source: { id: 2, title: 'S', url: 'https://t.example/api/v1/sources/2' }, author: null, published: null,
    fetchedAt: '2026-11-22T12:00:00.000Z', lang: 'en', leadImage: null, excerpt: '', tags: [], commentCount: 0,
  }
  assert.deepEqual(check({ $ref: '#/components/schemas/ArticleCard' }, card), [])
  const { title: _, ...untitled } = card
  assert.match(check({ $ref: '#/components/schemas/ArticleCard' }, untitled).join('\n'), /missing "title"/)
  assert.match(check({ $ref: '#/components/schemas/ArticleCard' }, { ...card, secret: 1 }).join('\n'), /unexpected property "secret"/)
  assert.match(check({ $ref: '#/components/schemas/ArticleCard' }, { ...card, fetchedAt: 'yesterday' }).join('\n'), /fetchedAt/)
})
