import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { findForeignRuns, foreignFamilies, profileScripts, removeRuns } from './clean-body-scripts.js'

// About 700 Latin letters of ordinary English, so that the article is long enough to judge.
const ENGLISH = [
  'The harbour board met on Tuesday to discuss the new ferry timetable and the cost of dredging the channel.',
  'Members agreed that the winter service would keep its two daily sailings, and that fares would not rise.',
  'A consultant presented three options for the channel, the cheapest of which would need a new permit.',
  'The board will vote on the permit application next month, after a public meeting in the town hall.',
  'Residents asked about parking near the terminal, which fills up early on summer weekends.',
  'Several fishermen said the dredging should start before the herring season, not after it.',
  'The harbour master replied that the contractor could not begin until the permit was granted.',
  'A decision on the winter timetable is expected before the end of October.',
]

/** Hidden runs of `block` when it is part of an article made of ENGLISH plus `extra` blocks. */
function hidden(block: string, opts: { lang?: string | null; extra?: string[] } = {}): string[] {
  const blocks = [...ENGLISH, ...(opts.extra ?? []), block]
  const families = foreignFamilies(profileScripts(blocks), opts.lang ?? 'en')
  return findForeignRuns(block, families).map((r) => r.text)
}

describe('findForeignRuns flags out-of-place runs', () => {
  it('a Han brand name standing in for a publisher in an English sentence', () => {
    assert.deepEqual(hidden('Institutes such as 华体会, the Harbour Studies Centre, and others draw visitors.'), ['华体会'])
  })
  it('a block that is nothing but the injected name', () => {
    assert.deepEqual(hidden('华体会'), ['华体会'])
  })
  it('a run with a space inside stays one run', () => {
    assert.deepEqual(hidden('Tickets are sold by 华体会 体育 at the pier.'), ['华体会 体育'])
  })
  it('Cyrillic spam in an English article', () => {
    assert.deepEqual(hidden('The ferry company, Казино Вулкан, announced the change.'), ['Казино Вулкан'])
  })
  it('Cyrillic in a Japanese article', () => {
    const ja = '港町の朝市が三年ぶりに再開した。開場前から約二百人が列をつくり、地元の漁師が水揚げしたばかりのアジやイカが次々と売れていった。実行委員会の会長は、待っていてくれた人がこんなにいるとは思わなかったと話した。'
    const block = '会場ではКазиноが試乗会も開いた。'
    const families = foreignFamilies(profileScripts([ja, block]), 'ja')
    assert.deepEqual(findForeignRuns(block, families).map((r) => r.text), ['Казино'])
  })
})

describe('findForeignRuns leaves legitimate uses alone', () => {
  const cases: Array<[string, string]> = [
    ['a name in parentheses after its romanisation', 'Aiko Murata (村田愛子) has painted shop signs for thirty years.'],
    ['a name before its romanisation in parentheses', 'The sign was painted by 村田愛子 (Aiko Murata) in 1998.'],
    ['a quoted term with its translation', 'They asked about the slogan “共同富裕” (common prosperity) on the tour.'],
    ['a term in Japanese corner brackets', 'The shop is called 「海」 by the locals.'],
    ['a character introduced as such', 'She painted the character 海 for a ferry company.'],
    ['a term followed by its meaning', 'Her favourite is 海, meaning sea, above the door.'],
    ['a term given as an alternative', 'She writes the word ikigai, or 生き甲斐, every year.'],
    ['a term announced by its language', 'The menu lists it in Chinese as 红烧鱼 and nothing else.'],
    ['emoji and symbols', 'The crowd cheered 🎉 as the ferry ✅ left at 9:00 ©.'],
    ['Greek letters in science writing', 'The β-carotene level and the Δ in colour were tiny.'],
    ['letters glued inside a Latin word (decoding debris, not an insertion)', 'He kept his Hermजs purchases hidden.'],
    ['a quotation too long to be an inserted name', 'The sign says 港町の朝市は毎月第一日曜日に開かれます and nothing more.'],
  ]
  for (const [name, block] of cases) it(name, () => assert.deepEqual(hidden(block), []))

  it('an article written in Chinese', () => {
    const zh = ['位于东湾港区的冷链仓库本周正式投入使用，可同时储存约三千吨冷冻水产品。'.repeat(3), '仓库采用5G网络管理温度。']
    const families = foreignFamilies(profileScripts(zh), 'zh-CN')
    assert.equal(families.size, 0)
  })
  it('a mixed-language article with many runs', () => {
    const block = 'Say 谢谢 when you pay.'
    const extra = ['The first word is 便宜, and the answer is 太贵了.', 'Sellers stack 芒果 and 荔枝 high.']
    assert.deepEqual(hidden(block, { extra }), [])
  })
  it('Latin in a Japanese article (brands, units)', () => {
    const ja = ['地元の自転車メーカーHarbourlineが、折りたたみ自転車の試乗会を開いた。'.repeat(4)]
    const families = foreignFamilies(profileScripts(ja), 'ja')
    assert.equal(families.has('latin'), false)
  })
  it('Hangul in a Japanese article (one CJK family)', () => {
    const ja = ['観光客のキム・ジウさん（김지우）は魚の種類が多くて驚いたと話した。'.repeat(4), '김지우 씨는 다시 오고 싶다고 말했다.']
    assert.equal(foreignFamilies(profileScripts(ja), 'ja').size, 0)
  })
  it('a script the declared language uses', () => {
    assert.deepEqual(hidden('Tickets are sold by 华体会 at the pier.', { lang: 'zh' }), [])
  })
  it('a text too short to judge', () => {
    const families = foreignFamilies(profileScripts(['Tickets are sold by 华体会 at the pier.']), 'en')
    assert.equal(families.size, 0)
  })
})

describe('removeRuns repairs the spacing around the gap', () => {
  const cases: Array<[string, string, string]> = [
    ['a list item and its comma go together', 'such as 华体会, the Centre, and others', 'such as the Centre, and others'],
    ['no space before punctuation', 'run by 华体会.', 'run by.'],
    ['a single space between words', 'the 华体会 ferry', 'the ferry'],
    ['at the start of a block', '华体会 announced a sale.', 'announced a sale.'],
    ['the whole block', '华体会', ''],
  ]
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const i = text.indexOf('华体会')
      assert.equal(removeRuns(text, [{ start: i, end: i + 3, text: '华体会', family: 'cjk' }], ' '), expected)
    })
  }
  it('two runs in one block', () => {
    const text = 'by 华体会 and 华体会, today'
    const runs = [...text.matchAll(/华体会/g)].map((m) => ({ start: m.index!, end: m.index! + 3, text: '华体会', family: 'cjk' as const }))
    assert.equal(removeRuns(text, runs, ' '), 'by and today')
  })
  it('no joiner in CJK text', () => {
    assert.equal(removeRuns('会場ではКазиноが開いた。', [{ start: 4, end: 10, text: 'Казино', family: 'cyrillic' }], ''), '会場ではが開いた。')
  })
})
