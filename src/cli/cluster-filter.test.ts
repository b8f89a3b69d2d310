import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ClusterFilter, parseClusterLine } from './cluster-filter.js'

// An invented report and a copy that credits it.
const REPORT = [
  'The island of Skerra will get its first public library next summer, in the old harbour master’s house.',
  'Volunteers have already catalogued four thousand donated books, most of them from a retired teacher’s collection.',
  'The island council will pay for heating and a part-time librarian from the harbour fees it collects each season.',
  'Children on Skerra currently take a ferry to the mainland to borrow books, a trip of nearly an hour each way.',
  'The library will also lend fishing charts and tide tables, which the harbour office used to keep behind a counter.',
].join('\n')
const COPY = `Reprinted with permission.\n${REPORT}`
const line = (x: object) => JSON.stringify(x)

test('within the window the original is found however the lines arrive', () => {
  const f = new ClusterFilter({ window: 10 })
  assert.deepEqual(f.push(line({ id: 'c', title: 'Skerra library', text: COPY })), [], 'held until the window fills or input ends')
  assert.deepEqual(f.push(line({ id: 'o', title: 'Skerra library', text: REPORT })), [])
  assert.deepEqual(f.end(), [{ id: 'c', story: 'c', duplicate_of: 'o' }, { id: 'o', story: 'c', duplicate_of: null }])
})

test('a window of one writes each line at once, and what was written stays true', () => {
  const f = new ClusterFilter({ window: 1 })
  assert.deepEqual(f.push(line({ id: 'c', title: 'Skerra library', text: COPY })), [{ id: 'c', story: 'c', duplicate_of: null }])
  // The crediting copy was already written as the original, so the later article points to it.
  assert.deepEqual(f.push(line({ id: 'o', title: 'Skerra library', text: REPORT })), [{ id: 'o', story: 'c', duplicate_of: 'c' }])
  assert.deepEqual(f.end(), [])
})

test('dated lines enter the stream in publication order; a repeated id is an error in its place', () => {
  const f = new ClusterFilter()
  f.push(line({ id: 'late', text: REPORT, published: '2026-04-02T00:00:00Z' }))
  f.push(line({ id: 'late', text: REPORT }))
  f.push(line({ id: 'early', text: REPORT, published: '2026-04-01T00:00:00Z' }))
  const out = f.end()
  assert.deepEqual(out[0], { id: 'late', story: 'early', duplicate_of: 'early' })
  assert.equal((out[1] as { error: { code: string } }).error.code, 'bad_input')
  assert.deepEqual(out[2], { id: 'early', story: 'early', duplicate_of: null })
})

test('bad lines are told apart', () => {
  const cases: Array<[string, string | null, RegExp]> = [
    ['not json', null, /not JSON/],
    ['[1,2]', null, /not a JSON object/],
    ['{"text":"x"}', null, /"id"/],
    ['{"id":"a"}', 'a', /"text"/],
    ['{"id":"a","text":"x","title":3}', 'a', /"title" must be a string/],
    ['{"id":"a","text":"x","published":"soon"}', 'a', /"published" is not a date/],
  ]
  for (const [input, id, message] of cases) {
    const r = parseClusterLine(input, 1)
    assert.equal(r.ok, false, input)
    if (!r.ok) {
      assert.equal(r.error.id, id, input)
      assert.equal(r.error.error.code, 'bad_input')
      assert.match(r.error.error.message, message, input)
    }
  }
  const ok = parseClusterLine('{"id":5,"text":"x","published":"2026-04-01T02:00:00+02:00","url":null}', 1)
  assert.ok(ok.ok)
  if (ok.ok) assert.deepEqual(ok.value, { id: '5', title: '', text: 'x', published: '2026-04-01T00:00:00.000Z', source: null, url: null, canonicalUrl: null })
})
