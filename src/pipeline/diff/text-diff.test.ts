import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { myers, textDiff, type Segment } from './text-diff.js'

/** The words of each side: `same` plus `del` is the old text, `same` plus `ins` the new (spaces between marks are shared). */
const side = (segs: Segment[], keep: 'ins' | 'del') =>
  segs.filter((s) => s.mark === 'same' || s.mark === keep).map((s) => s.text).join('').replace(/\s+/g, ' ').trim()
const marked = (segs: Segment[]) => segs.filter((s) => s.mark !== 'same').map((s) => `${s.mark}:${s.text}`)

describe('myers', () => {
  // Edit distance by the textbook dynamic programme, to check Myers finds a shortest script.
  const lcsDistance = (a: number[], b: number[]) => {
    const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!)
    }
    return a.length + b.length - 2 * dp[a.length]![b.length]!
  }
  const apply = (a: number[], b: number[], ops: number[]) => {
    const outA: number[] = []
    const outB: number[] = []
    let i = 0
    let j = 0
    for (const op of ops) {
      if (op === 0) { outA.push(a[i++]!); outB.push(b[j++]!) } else if (op === 1) outA.push(a[i++]!)
      else outB.push(b[j++]!)
    }
    return { outA, outB, edits: ops.filter((o) => o !== 0).length }
  }

  it('finds a shortest edit script that rebuilds both sides (random sequences)', () => {
    let seed = 7
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(rnd() * 30) }, () => Math.floor(rnd() * 5))
      const b = rnd() < 0.5 ? a.map((x) => (rnd() < 0.2 ? Math.floor(rnd() * 5) : x)) : Array.from({ length: Math.floor(rnd() * 30) }, () => Math.floor(rnd() * 5))
      const ops = myers(a, b, 1000)
      assert.ok(ops)
      const r = apply(a, b, ops)
      assert.deepEqual(r.outA, a)
      assert.deepEqual(r.outB, b)
      assert.equal(r.edits, lcsDistance(a, b), `shortest for ${JSON.stringify([a, b])}`)
    }
  })

  it('gives up (null) past its edit limit instead of growing without bound', () => {
    const a = Array.from({ length: 500 }, (_, i) => i)
    const b = Array.from({ length: 500 }, (_, i) => i + 1000)
    assert.equal(myers(a, b, 100), null)
    assert.equal(myers(a, a, 0)?.length, 500, 'identical input needs no edits at all')
  })
})

describe('textDiff', () => {
  it('marks the changed words of an edited title', () => {
    const d = textDiff({ title: 'Ferry line reopens after storm', text: 'x' }, { title: 'Ferry line reopens after long storm repairs', text: 'x' })
    assert.equal(d.titleChanged, true)
    assert.deepEqual(marked(d.title), ['ins:long', 'ins:repairs'])
    assert.equal(side(d.title, 'del'), 'Ferry line reopens after storm')
    assert.equal(side(d.title, 'ins'), 'Ferry line reopens after long storm repairs')
    assert.equal(d.deletedWords, 0)
    assert.equal(d.insertedWords, 2)
  })

  it('a replaced word reads "old new" with the space outside the marks', () => {
    const d = textDiff({ title: 'The council approved the budget', text: '' }, { title: 'The council rejected the budget', text: '' })
    assert.deepEqual(d.title, [
      { mark: 'same', text: 'The council ' }, { mark: 'del', text: 'approved' }, { mark: 'same', text: ' ' },
      { mark: 'ins', text: 'rejected' }, { mark: 'same', text: ' the budget' },
    ])
  })

  it('whitespace-only differences are no change', () => {
    const d = textDiff({ title: 'A  title ', text: 'One  para.\n\n Two para.' }, { title: 'A title', text: 'One para.\nTwo para.' })
    assert.equal(d.titleChanged, false)
    assert.ok(d.paragraphs.every((p) => p.mark === 'same'))
    assert.equal(d.insertedWords + d.deletedWords, 0)
  })

  it('diffs the body by paragraph: kept, removed, added and edited paragraphs', () => {
    const before = ['The harbor ferry returned to service on Monday.', 'Repairs to the pier took six weeks.', 'A spokesperson declined to comment.'].join('\n')
    const after = ['The harbor ferry returned to service on Tuesday.', 'Repairs to the pier took six weeks.', 'Tickets are on sale at the kiosk.'].join('\n')
    const d = textDiff({ title: 't', text: before }, { title: 't', text: after })
    assert.deepEqual(d.paragraphs.map((p) => p.mark), ['changed', 'same', 'del', 'ins'])
    assert.deepEqual(marked(d.paragraphs[0]!.segments), ['del:Monday.', 'ins:Tuesday.'])
    assert.equal(side(d.paragraphs[0]!.segments, 'del'), 'The harbor ferry returned to service on Monday.')
    assert.equal(d.paragraphs[2]!.segments[0]!.text, 'A spokesperson declined to comment.')
    assert.equal(d.coarse, false)
  })

  it('pairs an edited paragraph with its new version even when a paragraph was inserted before it', () => {
    const before = 'Intro stays.\nThe mayor said the bridge would open in May.\nEnd stays.'
    const after = 'Intro stays.\nA brand new paragraph about something else entirely.\nThe mayor said the bridge would open in June.\nEnd stays.'
    const d = textDiff({ title: 't', text: before }, { title: 't', text: after })
    assert.deepEqual(d.paragraphs.map((p) => p.mark), ['same', 'ins', 'changed', 'same'])
    assert.deepEqual(marked(d.paragraphs[2]!.segments), ['del:May.', 'ins:June.'])
  })

  it('compares Japanese text character by character', () => {
    const d = textDiff({ title: '港のフェリーが運航再開', text: '' }, { title: '港のフェリーが運航を再開', text: '' })
    assert.deepEqual(marked(d.title), ['ins:を'])
    assert.equal(side(d.title, 'ins'), '港のフェリーが運航を再開')
  })

  it('a long, wholly rewritten body falls back to paragraphs, within its limits', () => {
    const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ')
    const before = Array.from({ length: 200 }, (_, p) => words(100, `a${p}x`)).join('\n')
    const after = Array.from({ length: 200 }, (_, p) => words(100, `b${p}x`)).join('\n')
    const d = textDiff({ title: 't', text: before }, { title: 't', text: after }, { maxEdits: 300, maxWords: 1000 })
    assert.equal(d.coarse, true)
    assert.ok(d.paragraphs.every((p) => p.mark === 'del' || p.mark === 'ins'))
    assert.equal(d.paragraphs.filter((p) => p.mark === 'del').length, 200)
    assert.equal(d.deletedWords, 200 * 100)
  })

  it('a long paragraph edited in many places stops comparing words past the word budget', () => {
    const para = (tag: string) => Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? `${tag}${i}` : `w${i}`)).join(' ')
    const d = textDiff({ title: 't', text: `${para('a')}\n${para('c')}` }, { title: 't', text: `${para('b')}\n${para('d')}` }, { maxEdits: 1000, maxWords: 900 })
    assert.deepEqual(d.paragraphs.map((p) => p.mark), ['changed', 'del', 'ins'])
    assert.equal(d.coarse, true)
    assert.equal(side(d.paragraphs[0]!.segments, 'ins'), para('b'))
  })
})
