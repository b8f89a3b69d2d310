import { test } from 'node:test'
import assert from 'node:assert/strict'
import { detectLanguage, normaliseLangTag } from './language.js'

// Our own sentences, one story told in several languages.
const EN = 'The city council said on Tuesday that the new bridge would open next spring, after years of delays and rising costs for the people of the town.'
const ES = 'El ayuntamiento dijo el martes que el nuevo puente se abrirá la próxima primavera, tras años de retrasos y costes crecientes.'
const DE = 'Der Stadtrat teilte am Dienstag mit, dass die neue Brücke im nächsten Frühjahr eröffnet wird, nach Jahren der Verzögerungen und steigender Kosten.'
const FR = "Le conseil municipal a annoncé mardi que le nouveau pont ouvrira au printemps prochain, après des années de retard et de hausse des coûts."
const PT = 'A prefeitura disse na terça-feira que a nova ponte vai abrir na próxima primavera, depois de anos de atrasos e custos crescentes.'
const RU = 'Городской совет заявил во вторник, что новый мост откроется следующей весной после многих лет задержек.'
const DA = 'Byrådet sagde tirsdag, at den nye bro vil åbne næste forår efter flere års forsinkelser og stigende omkostninger for byens borgere.'

test('the detector names the language of ordinary sentences, in ISO 639-1', () => {
  const rows: [string, string][] = [[EN, 'en'], [ES, 'es'], [DE, 'de'], [FR, 'fr'], [PT, 'pt'], [RU, 'ru']]
  for (const [text, lang] of rows) {
    const got = detectLanguage(text)
    assert.equal(got.lang, lang, text)
    assert.equal(got.via, 'detector')
    assert.ok(got.confidence > 0 && got.confidence <= 1)
  }
})

test('scripts that name their language decide on their own', () => {
  const rows: [string, string][] = [
    ['市議会は火曜日、新しい橋が来年の春に開通すると発表しました。', 'ja'],
    ['市议会周二表示，新大桥将于明年春天通车。', 'zh'],
    ['시의회는 화요일 새 다리가 내년 봄에 개통될 것이라고 밝혔다.', 'ko'],
    ['Το δημοτικό συμβούλιο ανακοίνωσε την Τρίτη ότι η νέα γέφυρα θα ανοίξει.', 'el'],
    ['מועצת העיר הודיעה ביום שלישי כי הגשר החדש ייפתח באביב הבא.', 'he'],
    ['สภาเมืองประกาศเมื่อวันอังคารว่าสะพานใหม่จะเปิดในฤดูใบไม้ผลิหน้า', 'th'],
    ['Քաղաքային խորհուրդը երեքշաբթի հայտարարեց, որ նոր կամուրջը կբացվի։', 'hy'],
    ['საქალაქო საბჭომ სამშაბათს განაცხადა, რომ ახალი ხიდი გაიხსნება.', 'ka'],
  ]
  for (const [text, lang] of rows) assert.deepEqual([detectLanguage(text).lang, detectLanguage(text).via], [lang, 'script'], text)
  // A kanji-only headline is Japanese when the page says so.
  assert.equal(detectLanguage('東京都知事選挙', { declared: 'ja-JP' }).lang, 'ja')
})

test('too little text is undetermined, unless the page declared a language', () => {
  assert.deepEqual(detectLanguage('Breaking news today'), { lang: null, confidence: 0, via: 'detector' })
  assert.equal(detectLanguage('').lang, null)
  assert.equal(detectLanguage('12345 67 https://example.com/x').lang, null)
  assert.deepEqual(detectLanguage('Breaking news today', { declared: 'en-GB' }), { lang: 'en', confidence: 0.5, via: 'declared' })
})

test('a declaration that agrees with the text is kept, normalised to its primary tag', () => {
  assert.deepEqual([detectLanguage(ES, { declared: 'es-MX' }).lang, detectLanguage(ES, { declared: 'es-MX' }).via], ['es', 'declared'])
  assert.equal(detectLanguage(PT, { declared: 'pt-BR' }).lang, 'pt')
})

test('a careless CMS declaration is overruled when the text is clearly another language', () => {
  for (const [text, declared, lang] of [[EN, 'es', 'en'], [DE, 'en-US', 'de'], [RU, 'en', 'ru']] as const) {
    const got = detectLanguage(text, { declared })
    assert.equal(got.lang, lang, `${declared}: ${text}`)
    assert.equal(got.via, 'detector')
  }
})

test('languages the detector does not know keep their correct declaration', () => {
  // franc-min has no Danish: it sees Swedish or Dutch with a small margin, which must not win.
  assert.equal(detectLanguage(DA, { declared: 'da' }).lang, 'da')
  assert.equal(detectLanguage('Kaupunginvaltuusto kertoi tiistaina, että uusi silta avataan ensi keväänä vuosien viivästysten jälkeen.', { declared: 'fi' }).lang, 'fi')
})

test('language tags are normalised', () => {
  const rows: [string | null, string | null][] = [['en-US', 'en'], ['pt_BR', 'pt'], ['EN', 'en'], ['eng', 'en'], ['iw', 'he'], ['zh-Hant-TW', 'zh'], ['und', null], ['', null], [null, null], ['english', null]]
  for (const [tag, want] of rows) assert.equal(normaliseLangTag(tag), want, String(tag))
})
