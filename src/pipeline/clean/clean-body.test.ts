import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Block } from '../../domain/types.js'
import { cleanBody, looksEnglish, type CleanBodyInput, type CleanBodyOptions } from './clean-body.js'

const here = dirname(fileURLToPath(import.meta.url))
const goldenDir = join(here, 'testdata', 'clean-body')
const corpusDir = join(goldenDir, 'corpus')

interface Fixture {
  description: string
  input: CleanBodyInput
  options?: CleanBodyOptions
}

const load = (path: string): Fixture => JSON.parse(readFileSync(path, 'utf8')) as Fixture
const p = (text: string): Block => ({ type: 'p', text })

// Enough ordinary English for the language and script tests to have something to judge.
const BODY = [
  p('The harbour board met on Tuesday to discuss the new ferry timetable and the cost of dredging the channel.'),
  p('Members agreed that the winter service would keep its two daily sailings, and that fares would not rise.'),
  p('A consultant presented three options for the channel, the cheapest of which would need a new permit.'),
  p('The board will vote on the permit application next month, after a public meeting in the town hall.'),
]
const article = (blocks: Block[], extra: Partial<CleanBodyInput> = {}): CleanBodyInput =>
  ({ blocks, captions: [], title: 'Ferry timetable stays', lang: 'en', siteName: 'Coastal Daily', ...extra })

describe('cleanBody golden fixtures (testdata/clean-body/*.json → *.expected.json)', () => {
  const files = readdirSync(goldenDir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json')).sort()
  it('has fixtures', () => assert.ok(files.length >= 4))
  for (const file of files) {
    it(file, () => {
      const fx = load(join(goldenDir, file))
      const got = cleanBody(fx.input, fx.options)
      const expectedPath = join(goldenDir, file.replace(/\.json$/, '.expected.json'))
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, `${JSON.stringify(got, null, 2)}\n`)
      assert.deepEqual(got, JSON.parse(readFileSync(expectedPath, 'utf8')))
    })
  }
})

describe('cleanBody leaves clean articles exactly as they are (testdata/clean-body/corpus)', () => {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort()
  it('has English, French, Japanese and Chinese articles', () => {
    const langs = files.map((f) => load(join(corpusDir, f)).input.lang?.slice(0, 2))
    for (const l of ['en', 'fr', 'ja', 'zh']) assert.ok(langs.includes(l), l)
  })
  for (const file of files) {
    it(file, () => {
      const fx = load(join(corpusDir, file))
      const got = cleanBody(fx.input)
      assert.deepEqual(got.blocks, fx.input.blocks)
      assert.deepEqual(got.captions, fx.input.captions)
      assert.deepEqual(got.removed, [])
      assert.deepEqual(got.flags, {
        injectedText: [], lostSpacesRestored: 0, spaceFixes: [], promosRemoved: 0, navigationRemoved: 0,
        captionRepeatsRemoved: 0, duplicatesRemoved: 0,
      })
    })
  }
})

describe('cleanBody', () => {
  it('does not change its input', () => {
    const fx = load(join(goldenDir, 'policy-brief.json'))
    const before = JSON.stringify(fx.input)
    cleanBody(fx.input)
    assert.equal(JSON.stringify(fx.input), before)
  })

  it('records each removal with the index of the block in the input', () => {
    const input = article([p('Share'), ...BODY, p('Advertisement'), p('Sign up for our newsletter.'), BODY[0]!])
    const r = cleanBody(input)
    assert.deepEqual(r.removed.map((x) => [x.index, x.reason, x.partial]), [[0, 'menu', false], [5, 'ui_label', false], [6, 'promo', false]])
    for (const x of r.removed) assert.deepEqual(x.block, input.blocks[x.index])
  })

  it('drops menu words only at the edges, never inside the article', () => {
    const r = cleanBody(article([p('Home'), BODY[0]!, p('Reports'), BODY[1]!, p('Share')]))
    assert.deepEqual(r.blocks, [BODY[0], p('Reports'), BODY[1]])
  })

  it('trims chrome that a promotion hid from the edge', () => {
    const r = cleanBody(article([...BODY, p('Share'), p('Where should you put $1,000 today? Our analyst team named the 10 best stocks to buy. Continue »')]))
    assert.deepEqual(r.blocks, BODY)
    assert.deepEqual(r.removed.map((x) => x.reason), ['menu', 'promo'])
  })

  it('drops the title only at the start', () => {
    const r = cleanBody(article([p('Ferry timetable stays'), ...BODY, p('Ferry timetable stays')]))
    assert.deepEqual(r.blocks, [...BODY, p('Ferry timetable stays')])
  })

  it('drops the byline and the role that follows it, but a role line elsewhere stays', () => {
    const r = cleanBody(article([p('By Lena Okafor'), p('Senior Fellow'), ...BODY, p('Senior Fellow')], { byline: 'Lena Okafor' }))
    assert.deepEqual(r.removed.map((x) => x.reason), ['byline', 'author_role'])
    assert.deepEqual(r.blocks.at(-1), p('Senior Fellow'))
  })

  it('removes a block repeated right after itself, however it is spaced', () => {
    const r = cleanBody(article([BODY[0]!, p(`  ${BODY[0]!.text.toUpperCase()} `), BODY[1]!]))
    assert.deepEqual(r.blocks, [BODY[0], BODY[1]])
    assert.equal(r.flags.duplicatesRemoved, 1)
  })

  it('keeps short repeated exclamations', () => {
    const r = cleanBody(article([...BODY, p('No.'), p('No.')]))
    assert.equal(r.blocks.length, BODY.length + 2)
  })

  it('never rewrites preformatted blocks', () => {
    const pre: Block = { type: 'pre', text: 'Click here to subscribe.\nNow isthe time andJapan 华体会' }
    const r = cleanBody(article([...BODY, pre, p('Share')]))
    assert.deepEqual(r.blocks, [...BODY, pre])
  })

  it('hides an injected run, keeps it in the flags and marks where it was', () => {
    const r = cleanBody(article([...BODY, p('Tickets are sold by 华体会 at the pier.')]))
    assert.deepEqual(r.blocks.at(-1), p('Tickets are sold by at the pier.'))
    assert.deepEqual(r.flags.injectedText, [{
      text: '华体会', blockIndex: 4, reason: 'foreign_script:cjk', context: 'Tickets are sold by 华体会 at the pier.',
    }])
  })

  it('restores lost spaces in captions and counts them with the body', () => {
    const r = cleanBody(article([...BODY, p('The board andHalvik agreed.')], {
      captions: [{ text: 'The pier at dawn.', credit: 'Photo viaKyodo', imageUrl: null }],
    }))
    assert.equal(r.captions[0]!.credit, 'Photo via Kyodo')
    assert.equal(r.blocks.at(-1)!.text, 'The board and Halvik agreed.')
    assert.equal(r.flags.lostSpacesRestored, 2)
    assert.deepEqual(r.flags.spaceFixes.map((f) => [f.at, f.index, f.to]), [['block', 4, 'and Halvik'], ['caption', 0, 'via Kyodo']])
  })

  it('does not restore spaces in a text that is not English', () => {
    const fr = [p('Le conseil du port a voté mardi le nouveau calendrier des traversées et le coût du dragage du chenal.'),
      p('Les membres ont convenu que le service d’hiver garderait ses deux traversées quotidiennes isthe andJapan.')]
    assert.deepEqual(cleanBody(article(fr, { lang: 'fr' })).blocks, fr)
    assert.deepEqual(cleanBody(article(fr, { lang: null })).blocks, fr)
  })

  it('each rule can be switched off', () => {
    const input = article([p('Share'), ...BODY, p('Sign up for our newsletter.'), p('Tickets are sold by 华体会 andHalvik.')])
    const off = cleanBody(input, { lostSpaces: false, navigation: false, promos: false, injected: false })
    assert.deepEqual(off.blocks, input.blocks)
    assert.deepEqual(off.removed, [])
    assert.equal(cleanBody(input, { navigation: false }).blocks[0]!.text, 'Share')
    assert.ok(cleanBody(input, { promos: false }).blocks.some((b) => b.text === 'Sign up for our newsletter.'))
    assert.ok(cleanBody(input, { injected: false }).blocks.some((b) => b.text.includes('华体会')))
    assert.ok(cleanBody(input, { lostSpaces: false }).blocks.some((b) => b.text.includes('andHalvik')))
  })

  it('handles an empty body', () => {
    const r = cleanBody(article([]))
    assert.deepEqual(r.blocks, [])
    assert.deepEqual(r.removed, [])
  })

  it('handles a long body (2,000 blocks) with the same result per block', () => {
    const blocks = Array.from({ length: 2000 }, (_, i) => p(`Paragraph ${i}: the board met andHalvik agreed, and nowhere was the plan notable.`))
    const r = cleanBody(article(blocks))
    assert.equal(r.blocks.length, 2000)
    assert.ok(r.blocks.every((b, i) => b.text === `Paragraph ${i}: the board met and Halvik agreed, and nowhere was the plan notable.`))
  })
})

describe('looksEnglish', () => {
  const en = BODY.map((b) => b.text)
  it('English declared and written', () => assert.equal(looksEnglish(en, 'en-GB'), true))
  it('English written, nothing declared', () => assert.equal(looksEnglish(en, null), true))
  it('a short English text declared English', () => assert.equal(looksEnglish(['Ferry runs.'], 'en'), true))
  it('a short text with nothing declared is not judged English', () => assert.equal(looksEnglish(['Ferry runs.'], null), false))
  it('another declared language', () => assert.equal(looksEnglish(en, 'de'), false))
  it('declared English but written in French', () => {
    assert.equal(looksEnglish(['Le conseil du port a voté mardi le nouveau calendrier des traversées et le coût du dragage du chenal, a-t-il été dit lors de la réunion publique.'], 'en'), false)
  })
})
