import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseSearch, toFts5, toTsquery } from './search-query.js'

const cases: [string, string | null, string | null][] = [
  ['harbor ferry', '"harbor" AND "ferry"', "'harbor' & 'ferry'"],
  ['"city council" vote', '"city council" AND "vote"', "('city' <-> 'council') & 'vote'"],
  ['ferry -strike', '("ferry") NOT "strike"', "'ferry' & !'strike'"],
  ['transi*', '"transi"*', "'transi':*"],
  ['Café', '"café"', "'café'"],
  ['-only', null, null],
  ['   ', null, null],
  // operators are words here; joined words (covid-19, a"b) become phrases, as the indexers tokenize them
  ['a"b OR (c) NEAR', '"a b" AND "or" AND "c" AND "near"', "('a' <-> 'b') & 'or' & 'c' & 'near'"],
  ['covid-19', '"covid 19"', "('covid' <-> '19')"],
  ['"unclosed phrase', '"unclosed phrase"', "('unclosed' <-> 'phrase')"],
]

test('search syntax renders to the same meaning on FTS5 and tsquery', () => {
  for (const [q, fts, tsq] of cases) {
    const p = parseSearch(q)
    assert.equal(toFts5(p), fts, `fts5 for ${q}`)
    assert.equal(toTsquery(p), tsq, `tsquery for ${q}`)
  }
})
