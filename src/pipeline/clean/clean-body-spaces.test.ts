import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { restoreLostSpaces } from './clean-body-spaces.js'
import { CAMEL_CASE_NAMES, COMMON_WORDS, KNOWN_WORDS } from './clean-body-words.js'

describe('restoreLostSpaces puts back spaces lost at link and emphasis boundaries', () => {
  const cases: Array<[string, string, string]> = [
    ['a conjunction before a linked place name', 'Asia in general, andHalvik in particular, can lead.', 'Asia in general, and Halvik in particular, can lead.'],
    ['a preposition before a linked agency name', '(Pool photo viaKyodo)', '(Pool photo via Kyodo)'],
    ['a reporting preposition before a linked outlet', 'the president told bySPORT on Monday', 'the president told by SPORT on Monday'],
    ['an article before an acronym', 'talks between theUS and the EU', 'talks between the US and the EU'],
    ['a verb before a linked "the"', 'Now isthe time to move.', 'Now is the time to move.'],
    ['a preposition before "the"', 'the back ofthe queue', 'the back of the queue'],
    ['"the" before a linked noun', 'investors welcomed thecompany plan', 'investors welcomed the company plan'],
    ['"the" before a plural', 'investors welcomed theresults', 'investors welcomed the results'],
    ['"and" before "the"', 'for his club andthe country', 'for his club and the country'],
    ['a noun before "this"', 'good form for his countrythis week', 'good form for his country this week'],
    ['a full stop before a sentence start', 'Growth slowed.The bank held rates.', 'Growth slowed. The bank held rates.'],
    ['a question mark before a sentence start', 'Why now?It is simple.', 'Why now? It is simple.'],
    ['a possessive after the join', 'praise forHalvik’s harbour', 'praise for Halvik’s harbour'],
    ['several joins in one text', 'Talks inParis andthe results.', 'Talks in Paris and the results.'],
  ]
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(restoreLostSpaces(input).text, expected))
  }

  it('reports each fix with its rule', () => {
    const r = restoreLostSpaces('Japan andKorea, and now isthe moment.Then more.')
    assert.deepEqual(r.fixes, [
      { from: 'andKorea', to: 'and Korea', rule: 'lower_upper' },
      { from: 'isthe', to: 'is the', rule: 'lower_lower' },
      { from: 'moment.Then', to: 'moment. Then', rule: 'sentence_end' },
    ])
  })
})

describe('restoreLostSpaces leaves correct text alone', () => {
  const words = [
    // ordinary words that split into two frequent words
    'however', 'therapist', 'notable', 'nowhere', 'together', 'another', 'therein', 'thereafter', 'whereabouts',
    'often', 'itself', 'errand', 'forthwith', 'seethe', 'withdrawn', 'withstand', 'withhold', 'whatnot',
    'inasmuch', 'nonetheless', 'nevertheless', 'notwithstanding', 'heretofore', 'theme', 'therapy', 'theory',
    'thereby', 'therefore', 'thence', 'these', 'there', 'andiron', 'android', 'aftermath', 'afterthought',
    'breakthrough', 'takeover', 'standoff', 'wherewithal', 'intonation', 'whichever', 'anything', 'meantime',
    'island', 'issue', 'attend', 'button', 'forget', 'format', 'fortune', 'infrastructure', 'understand',
    'wasn', 'isn', 'wouldn', 'shouldn',
    // brands and names with inner capitals
    'McDonald', 'McKinsey', 'MacBook', 'DiCaprio', 'LeBron', 'DeSantis', 'iPhone', 'iPad', 'iOS', 'eBay',
    'PhD', 'YouTube', 'JavaScript', 'TypeScript', 'PayPal', 'LinkedIn', 'WhatsApp', 'FedEx', 'GitHub',
    'PlayStation', 'SoftBank', 'BlackRock', 'OpenAI', 'DeepMind', 'TikTok', 'macOS', 'watchOS', 'easyJet',
    'deGrom', 'mRNA', 'kWh', 'pH', 'theSkimm', 'inDrive', 'iPadOS',
    // identifiers that appear in tech prose
    'forEach', 'toString', 'onClick', 'isValid', 'useState', 'getElementById', 'setTimeout', 'withStyles',
    'fromEntries', 'innerHTML', 'toJSON', 'asJson', 'onBlur', 'hasOwnProperty', 'camelCase', 'toArray', 'withRouter',
    'withRedux', 'intoIter', 'withTimeout', 'fromPromise', 'afterEach', 'beforeAll', 'orElse', 'andThen', 'toFixed',
    // capitalised names that contain a hinge word
    'Atwood', 'Inman', 'Orwell', 'Upton', 'Thebes', 'Andrews', 'Withers', 'Fromm',
  ]
  for (const w of words) {
    it(`keeps ${w}`, () => assert.equal(restoreLostSpaces(`They mentioned ${w} twice.`).text, `They mentioned ${w} twice.`))
  }

  const texts = [
    'e.g. the U.S. and Ph.D. holders at 9 a.m. on Friday',
    'mail desk@halvik-news.example or see https://halvik.example/andThen/isthe?x=theUS',
    'tagged #andJapan and #MeToo by @andHalvik',
    'the snake_case name, the a.b.c path, x=andThe, Node.js and example.com',
    'the iPhone15 and 3rdParty tools, the i18nNext key',
    'They’re sure it isn’t over; we wouldn’t say so.',
    'Tokyo,and Osaka',
  ]
  for (const t of texts) {
    it(`keeps "${t}"`, () => assert.equal(restoreLostSpaces(t).text, t))
  }

  it('keeps every word of its own vocabulary, and their common forms', () => {
    const damaged: string[] = []
    for (const w of [...COMMON_WORDS, ...KNOWN_WORDS]) {
      for (const form of [w, `${w}s`, `${w}ed`, `${w}ing`]) {
        if (restoreLostSpaces(form).text !== form) damaged.push(form)
      }
    }
    assert.deepEqual(damaged, [])
  })

  it('keeps the camelCase names it lists', () => {
    for (const name of CAMEL_CASE_NAMES) assert.equal(restoreLostSpaces(`see ${name} now`).text, `see ${name} now`)
  })

  it('returns the same string when nothing changes', () => {
    const t = 'A plain sentence with nothing to fix.'
    const r = restoreLostSpaces(t)
    assert.equal(r.text, t)
    assert.deepEqual(r.fixes, [])
  })

  it('handles a long text in one pass with the same result as its parts', () => {
    const para = 'Talks inParis andthe results were good, and nowhere was the therapist notable. '
    const r = restoreLostSpaces(para.repeat(5000))
    assert.equal(r.fixes.length, 10000)
    assert.equal(r.text, 'Talks in Paris and the results were good, and nowhere was the therapist notable. '.repeat(5000))
  })
})
