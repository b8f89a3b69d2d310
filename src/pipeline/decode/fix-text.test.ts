import { test } from 'node:test'
import assert from 'node:assert/strict'
import iconv from 'iconv-lite'
import { fix_text, is_bad } from 'ftfy-js'
import { FTFY_CONFIG, fixText } from './fix-text.js'
import { looksBad } from './mojibake-badness.js'
import { CJK_NEGATIVES, CLEAN_TEXTS, LATIN_SENTENCES } from './mojibake-samples.js'

/** What a reader sees when a page's UTF-8 bytes are decoded with `charset`. */
const misread = (text: string, charset: string): string => iconv.decode(Buffer.from(text, 'utf8'), charset)
/** True when the misreading kept every byte (no U+FFFD), so an exact repair is possible. */
const lossless = (text: string, charset: string): boolean =>
  Buffer.compare(iconv.encode(misread(text, charset), charset), Buffer.from(text, 'utf8')) === 0
const CJK = /[\u3000-\u9fff\uff00-\uffef]/

function assertUnchanged(text: string): void {
  const r = fixText(text)
  assert.equal(r.text, text)
  assert.equal(r.fixed, false, JSON.stringify(text))
  assert.deepEqual(r.steps, [])
}

test('clean text of many kinds comes back unchanged with fixed=false', () => {
  for (const text of [...CLEAN_TEXTS, ...LATIN_SENTENCES, ...CJK_NEGATIVES]) assertUnchanged(text)
  assertUnchanged('')
  assertUnchanged(LATIN_SENTENCES.join('\n'))
})

test('plain ASCII is returned as it came', () => {
  const text = 'The council met on Tuesday.\nMembers agreed to delay the vote.'
  const r = fixText(text)
  assert.equal(r.text, text)
  assert.deepEqual(r, { text, fixed: false, steps: [] })
})

test('ftfy steps that restyle correct text stay off', () => {
  for (const text of [
    'Curly “double” and ‘single’ quotes, it’s',
    'Literal entities: &amp; &lt;b&gt; &eacute; &#8217;',
    'Full-width ＡＢＣ１２３ and a full-width comma，here',
    'The ﬁrst ligature stays',
    'CRLF\r\nline\r\nbreaks',
    'Decomposed e\u0301 and composed é',
    'A control character \x1a stays',
    'Half-width ｶﾀｶﾅ stays',
  ]) {
    assertUnchanged(text)
  }
})

test('repairs UTF-8 read as a single-byte charset (ftfy)', () => {
  const rows: [charset: string, original: string][] = [
    ['windows-1252', 'Le gouvernement a présenté un projet de loi sur l’énergie.'],
    ['latin1', 'Zoë Müller and José Núñez co-wrote the report.'],
    ['macintosh', 'Die Bürgerinitiative fordert größere Grünflächen.'],
    ['iso-8859-2', 'Władze Gdańska ogłosiły remont dworca.'],
  ]
  for (const [charset, original] of rows) {
    const once = misread(original, charset)
    assert.equal(fixText(once).text, original, `${charset}: ${once}`)
    assert.equal(fixText(once).fixed, true)
    const twice = misread(once, charset)
    assert.equal(fixText(twice).text, original, `${charset} twice: ${twice}`)
  }
})

test('the single-byte part is exactly ftfy fix_text with our configuration', () => {
  for (const original of LATIN_SENTENCES) {
    for (const charset of ['windows-1252', 'latin1', 'windows-1251', 'macintosh', 'cp437', 'windows-1250', 'windows-1253']) {
      const damaged = misread(original, charset)
      assert.equal(fixText(damaged).text, fix_text(damaged, FTFY_CONFIG), `${charset}: ${damaged}`)
    }
  }
})

test('C1 controls are read as Windows-1252; lone surrogates become U+FFFD', () => {
  assert.equal(fixText('\x93Quoted\x94 and \x85').text, '“Quoted” and …')
  assert.equal(fixText('cut \ud83d here').text, 'cut \ufffd here')
  assert.equal(fixText('pair 😀 kept').text, 'pair 😀 kept')
})

test('repairs UTF-8 read as GBK / GB18030', () => {
  const rows: [charset: string, original: string][] = [
    ['gbk', 'The council’s report didn’t say who’d pay.'],
    ['gb18030', 'The council’s report didn’t say who’d pay.'],
    ['gbk', 'Voters were “angry”—and it showed.'],
    ['gbk', 'Fans cheered 🎉🎉 as the team’s bus arrived.'],
    ['gbk', 'Die Größe der Brücke überrascht.'],
    ['gbk', 'Le café crème coûte trois euros à Genève.'],
    ['gbk', 'Москва и Санкт-Петербург'],
  ]
  for (const [charset, original] of rows) {
    const damaged = misread(original, charset)
    assert.notEqual(damaged, original)
    const r = fixText(damaged)
    assert.equal(r.text, original, damaged)
    assert.deepEqual(r.steps, ['cjk:gbk'])
  }
})

test('repairs UTF-8 read as Shift_JIS', () => {
  for (const original of [
    'The council’s report didn’t say who’d pay.',
    'Voters were “angry”—and it showed.',
    'Tickets: 20°C outside, © 2025, Example™ and €5 a head—it’s cheap.',
    'Die Größe der Brücke überrascht.',
  ]) {
    const damaged = misread(original, 'shift_jis')
    assert.equal(fixText(damaged).text, original, damaged)
    assert.deepEqual(fixText(damaged).steps, ['cjk:shift_jis'])
  }
})

test('repairs accented letters of UTF-8 read as EUC-JP or Big5', () => {
  for (const charset of ['euc-jp', 'big5']) {
    for (const original of ['Le café crème coûte cher en Suède.', 'Zoë Müller and José Núñez met in Málaga.']) {
      const damaged = misread(original, charset)
      assert.equal(fixText(damaged).text, original, `${charset}: ${damaged}`)
    }
  }
})

test('a sentence misread without loss comes back exactly or not at all', () => {
  for (const charset of ['gbk', 'shift_jis', 'euc-jp', 'big5']) {
    let exact = 0
    for (const original of LATIN_SENTENCES) {
      const damaged = misread(original, charset)
      if (!lossless(original, charset) || !CJK.test(damaged)) continue
      const out = fixText(damaged).text
      if (out === original) exact++
      else assert.equal(out, damaged, `${charset}: changed wrongly: ${damaged}`) // too little evidence: untouched
    }
    assert.ok(exact >= (charset === 'gbk' || charset === 'shift_jis' ? 15 : 1), `${charset}: only ${exact} repaired`)
  }
})

test('a lost byte becomes one U+FFFD and the rest is restored', () => {
  const original = 'The board’s “plan” didn’t pass.'
  // ” before a space: GBK and Shift_JIS take its last byte as a lead byte and lose it.
  for (const charset of ['gbk', 'shift_jis']) {
    const r = fixText(misread(original, charset))
    assert.equal(r.text, 'The board’s “plan\ufffd didn’t pass.')
    assert.ok(r.steps.includes(`cjk:${charset}:lossy`))
  }
  const euro = fixText(misread('Prices rose 5% to €45, and it’s still rising.', 'gbk'))
  assert.equal(euro.text, 'Prices rose 5% to \ufffd45, and it’s still rising.')
})

test('one damaged word in a long clean paragraph is repaired', () => {
  const clean = 'The committee met on Monday and agreed a plan. Members said the budget was tight. '.repeat(8)
  const original = `${clean}The chair didn’t think cuts were needed. ${clean}`
  const damaged = original.replace('didn’t', misread('didn’t', 'gbk'))
  assert.notEqual(damaged, original)
  assert.equal(fixText(damaged).text, original)
  // Text decoded correctly elsewhere in the same paragraph is left as it is.
  const mixed = `A “fair” deal • 10\u00a0km away — and the mayor ${misread('didn’t', 'gbk')} object.`
  assert.equal(fixText(mixed).text, 'A “fair” deal • 10\u00a0km away — and the mayor didn’t object.')
})

test('Chinese text inside a damaged text stays, the damage around it is repaired', () => {
  const english = (s: string): string => misread(s, 'gbk')
  const inline = `${english('Officials said they’d')} 伪造的消息 ${english('look again; the minister’s office didn’t reply.')}`
  assert.equal(fixText(inline).text, 'Officials said they’d 伪造的消息 look again; the minister’s office didn’t reply.')
  // One paragraph, as ingest passes them: one damaged word is proof enough next to a short phrase.
  const paragraph = `The 伪造的消息 brief says the two councils ${english('didn’t')} agree on the new timetable for buses.`
  assert.equal(fixText(paragraph).text, 'The 伪造的消息 brief says the two councils didn’t agree on the new timetable for buses.')
  for (const line of CJK_NEGATIVES) {
    const text = `${english('The agency’s statement wasn’t clear.')}\n${line}\n${english('Officials didn’t comment—yet.')}`
    assert.equal(fixText(text).text, `The agency’s statement wasn’t clear.\n${line}\nOfficials didn’t comment—yet.`, line)
  }
})

test('never changes genuine Chinese, Japanese or Korean text, alone or among Latin text', () => {
  for (const line of CJK_NEGATIVES) {
    assertUnchanged(line)
    assertUnchanged(`${line}${line}`)
    assertUnchanged(`Earlier today: ${line} More soon.`)
    assertUnchanged(`${CJK_NEGATIVES.join('\n')}\n${line}`)
  }
})

test('one ambiguous character is not enough to act on', () => {
  // `caf茅` is probably `café`, but a single glued character could be genuine; two such words are proof.
  assertUnchanged(`Only one word: ${misread('café', 'gbk')}.`)
  assertUnchanged('The kanji 猫 is read neko.')
  assert.equal(fixText(misread('Two words: résumé and naïve.', 'gbk')).text, 'Two words: résumé and naïve.')
})

test('reports the steps it took', () => {
  const latin = fixText(misread('It’s done—really.', 'windows-1252'))
  assert.deepEqual(latin.steps, ['ftfy:encode:sloppy-windows-1252', 'ftfy:decode:utf-8'])
  assert.deepEqual(fixText(misread('It’s done—really.', 'gbk')).steps, ['cjk:gbk'])
})

test('never throws, whatever the input', () => {
  const odd = [
    '\ufffd\ufffd\ufffd',
    '鈥\ufffd',
    '\ud800\udc00\udbff',
    '\x00\x01\x80\x9f\u00ad\u200b',
    '鈥'.repeat(10_000),
    `${'a'.repeat(50_000)}鈥檛${'é'.repeat(50_000)}`,
    '\n\n\r\n',
    String.fromCharCode(...Array.from({ length: 2048 }, (_, i) => i * 31 % 0xffff)),
  ]
  for (const text of odd) {
    const r = fixText(text)
    assert.equal(typeof r.text, 'string')
    assert.equal(r.fixed, r.text !== text)
  }
})

test('looksBad agrees with ftfy is_bad', () => {
  let seed = 42
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pool = [...'abcXYZ .,?!\n\u00a0\u0085ÂÃÅÉéèüßŒœ×÷°±²¼½€£¥©®™‘’“”„•…—–ΑαΩωГвЂЉ┌═░√≈‚猫ｱ😀\ufffd']
  const texts: string[] = [...CLEAN_TEXTS, ...LATIN_SENTENCES, ...CJK_NEGATIVES]
  for (const s of LATIN_SENTENCES) {
    for (const charset of ['windows-1252', 'windows-1251', 'macintosh', 'gbk']) texts.push(misread(s, charset))
  }
  for (let i = 0; i < 20_000; i++) {
    let s = ''
    for (let n = 1 + Math.floor(random() * 10); n > 0; n--) s += pool[Math.floor(random() * pool.length)]
    texts.push(s)
  }
  for (const s of texts) assert.equal(looksBad(s), is_bad(s), JSON.stringify(s))
})
