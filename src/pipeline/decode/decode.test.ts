import { test } from 'node:test'
import assert from 'node:assert/strict'
import iconv from 'iconv-lite'
import type { DecodedText } from '../../domain/types.js'
import { charsetFromContentType, decode, normalizeCharset } from './decode.js'

const enc = (text: string, charset: string): Uint8Array => new Uint8Array(iconv.encode(text, charset))
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts))

const rss = (body: string, decl = ''): string =>
  `${decl}<rss version="2.0"><channel><title>${body}</title><item><description>${body}</description></item></channel></rss>`

const CURLY = 'He said “don’t” — it costs 5 € at the café'
const JAPANESE =
  '東京都は本日、新しい公園の開園を発表しました。公園には桜の木が植えられ、週末には多くの家族連れでにぎわうことが予想されています。' +
  '担当者は「地域の皆さんに親しまれる場所にしたい」と話しています。'
const CHINESE =
  '北京市今天宣布新的公共交通计划。该计划将在明年实施，预计将大大改善市民的出行条件。市政府表示，将继续增加地铁线路和公交车辆，' +
  '方便广大市民出行。'
const RUSSIAN =
  'Сегодня в Москве состоялось открытие нового городского парка. По словам организаторов, в парке высажено более тысячи деревьев, ' +
  'а также построены детские площадки и велосипедные дорожки. Жители района давно ждали этого события.'

interface Row {
  name: string
  bytes: Uint8Array
  contentType?: string | null
  kind?: 'xml' | 'html' | 'json' | 'text'
  want: Partial<DecodedText> & { contains?: string }
}

const rows: Row[] = [
  {
    name: 'windows-1252 declared in the XML declaration (curly quotes, €)',
    bytes: enc(rss(CURLY, '<?xml version="1.0" encoding="windows-1252"?>'), 'windows-1252'),
    want: { charset: 'windows-1252', via: 'xml-declaration', contains: CURLY },
  },
  {
    name: 'iso-8859-1 label decodes as windows-1252 (WHATWG), so 0x80 is €',
    bytes: enc(rss(CURLY, '<?xml version="1.0" encoding="ISO-8859-1"?>'), 'windows-1252'),
    want: { charset: 'windows-1252', via: 'xml-declaration', contains: CURLY },
  },
  {
    name: 'windows-1252 without any declaration falls to the detector',
    bytes: enc(rss(`${CURLY}. ${CURLY}. The naïve café owner’s “special” crème brûlée costs 7 €.`), 'windows-1252'),
    want: { charset: 'windows-1252', via: 'detector', contains: CURLY },
  },
  {
    name: 'Shift_JIS Japanese with an `sjis` label',
    bytes: enc(rss(JAPANESE, '<?xml version="1.0" encoding="sjis"?>'), 'shift_jis'),
    want: { charset: 'shift_jis', via: 'xml-declaration', contains: JAPANESE },
  },
  {
    name: 'Shift_JIS via the HTTP header (x-sjis)',
    bytes: enc(rss(JAPANESE), 'shift_jis'),
    contentType: 'application/rss+xml; charset=x-sjis',
    want: { charset: 'shift_jis', via: 'header', contains: JAPANESE },
  },
  {
    name: 'Shift_JIS without a declaration is detected',
    bytes: enc(rss(JAPANESE), 'shift_jis'),
    want: { charset: 'shift_jis', via: 'detector', contains: JAPANESE },
  },
  {
    name: 'EUC-JP declared',
    bytes: enc(rss(JAPANESE, '<?xml version="1.0" encoding="EUC-JP"?>'), 'euc-jp'),
    want: { charset: 'euc-jp', via: 'xml-declaration', contains: JAPANESE },
  },
  {
    name: 'EUC-JP without a declaration is detected',
    bytes: enc(rss(JAPANESE), 'euc-jp'),
    want: { charset: 'euc-jp', via: 'detector', contains: JAPANESE },
  },
  {
    name: 'gb2312 label decodes as GBK',
    bytes: enc(rss(CHINESE, "<?xml version='1.0' encoding='gb2312'?>"), 'gbk'),
    want: { charset: 'gbk', via: 'xml-declaration', contains: CHINESE },
  },
  {
    name: 'GBK in the header',
    bytes: enc(rss(CHINESE), 'gbk'),
    contentType: 'text/xml;charset="GBK"',
    want: { charset: 'gbk', via: 'header', contains: CHINESE },
  },
  {
    name: 'KOI8-R declared',
    bytes: enc(rss(RUSSIAN, '<?xml version="1.0" encoding="koi8-r"?>'), 'koi8-r'),
    want: { charset: 'koi8-r', via: 'xml-declaration', contains: RUSSIAN },
  },
  {
    name: 'KOI8-R without a declaration is detected',
    bytes: enc(rss(`${RUSSIAN} ${RUSSIAN}`), 'koi8-r'),
    want: { charset: 'koi8-r', via: 'detector', contains: RUSSIAN },
  },
  {
    name: 'UTF-16LE with BOM (BOM stripped)',
    bytes: concat(new Uint8Array([0xff, 0xfe]), enc(rss(CURLY, '<?xml version="1.0" encoding="utf-16"?>'), 'utf-16le')),
    want: { charset: 'utf-16le', via: 'bom', contains: CURLY },
  },
  {
    name: 'UTF-16BE with BOM beats a contradicting header',
    bytes: concat(new Uint8Array([0xfe, 0xff]), enc(rss(JAPANESE), 'utf-16be')),
    contentType: 'text/xml; charset=iso-8859-1',
    want: { charset: 'utf-16be', via: 'bom', contains: JAPANESE },
  },
  {
    name: 'UTF-16LE without BOM is sniffed from the NUL pattern',
    bytes: enc(rss(CURLY, '<?xml version="1.0" encoding="utf-16"?>'), 'utf-16le'),
    want: { charset: 'utf-16le', via: 'xml-declaration', contains: CURLY },
  },
  {
    name: 'UTF-8 BOM is stripped',
    bytes: concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(rss(CURLY))),
    want: { charset: 'utf-8', via: 'bom', contains: CURLY },
  },
  {
    name: 'header charset beats the XML declaration',
    bytes: enc(rss(RUSSIAN, '<?xml version="1.0" encoding="utf-8"?>'), 'koi8-r'),
    contentType: 'application/xml; charset=KOI8-R',
    want: { charset: 'koi8-r', via: 'header', contains: RUSSIAN },
  },
  {
    name: 'header says utf-8 but the bytes are not: the declaration is used instead',
    bytes: enc(rss(CURLY, '<?xml version="1.0" encoding="windows-1252"?>'), 'windows-1252'),
    contentType: 'text/xml; charset=utf-8',
    want: { charset: 'windows-1252', via: 'xml-declaration', contains: CURLY },
  },
  {
    name: 'header says utf-8, no declaration, bytes are Shift_JIS: detection, not replacement characters',
    bytes: enc(rss(JAPANESE), 'shift_jis'),
    contentType: 'text/xml; charset=utf-8',
    want: { charset: 'shift_jis', via: 'detector', contains: JAPANESE },
  },
  {
    name: 'declared iso-8859-1 over valid multi-byte UTF-8 is read as UTF-8',
    bytes: utf8(rss(CURLY, '<?xml version="1.0" encoding="ISO-8859-1"?>')),
    want: { charset: 'utf-8', via: 'utf8-valid', contains: CURLY },
  },
  {
    name: 'unknown header label falls through to the declaration',
    bytes: enc(rss(RUSSIAN, '<?xml version="1.0" encoding="koi8-r"?>'), 'koi8-r'),
    contentType: 'text/xml; charset=x-made-up',
    want: { charset: 'koi8-r', via: 'xml-declaration', contains: RUSSIAN },
  },
  {
    name: 'bogus header parameter syntax (charset:…) is ignored',
    bytes: utf8(rss(CURLY)),
    contentType: 'text/xml; charset:iso-8859-1',
    want: { charset: 'utf-8', via: 'utf8-valid', contains: CURLY },
  },
  {
    name: 'utf-16 declared over ASCII-compatible bytes is ignored',
    bytes: utf8(rss(CURLY, '<?xml version="1.0" encoding="UTF-16"?>')),
    want: { charset: 'utf-8', via: 'utf8-valid', contains: CURLY },
  },
  {
    name: 'meta charset in HTML',
    bytes: enc(`<!doctype html><html><head><meta charset="windows-1251"><title>${RUSSIAN}</title></head></html>`, 'windows-1251'),
    kind: 'html',
    want: { charset: 'windows-1251', via: 'meta', contains: RUSSIAN },
  },
  {
    name: 'meta http-equiv content-type in HTML',
    bytes: enc(
      `<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><title>${JAPANESE}</title></head></html>`,
      'shift_jis',
    ),
    kind: 'html',
    want: { charset: 'shift_jis', via: 'meta', contains: JAPANESE },
  },
  {
    name: 'plain UTF-8 without declarations',
    bytes: utf8(rss(JAPANESE)),
    want: { charset: 'utf-8', via: 'utf8-valid', contains: JAPANESE },
  },
  {
    name: 'JSON is UTF-8 whatever the header says',
    bytes: utf8(`{"title":"${CURLY}"}`),
    contentType: 'application/feed+json; charset=iso-8859-1',
    kind: 'json',
    want: { charset: 'utf-8', via: 'utf8-valid', contains: CURLY },
  },
  {
    name: 'JSON with a UTF-16LE BOM',
    bytes: concat(new Uint8Array([0xff, 0xfe]), enc(`{"title":"${JAPANESE}"}`, 'utf-16le')),
    kind: 'json',
    want: { charset: 'utf-16le', via: 'bom', contains: JAPANESE },
  },
  {
    name: 'empty input',
    bytes: new Uint8Array(0),
    want: { text: '', charset: 'utf-8', via: 'utf8-valid' },
  },
]

for (const row of rows) {
  test(`decode: ${row.name}`, () => {
    const got = decode(row.bytes, { contentType: row.contentType ?? null, kind: row.kind ?? 'xml' })
    const { contains, ...want } = row.want
    for (const [key, value] of Object.entries(want)) assert.equal(got[key as keyof DecodedText], value, key)
    if (contains !== undefined) assert.ok(got.text.includes(contains), `text should contain ${contains}; got ${got.text.slice(0, 200)}`)
    assert.ok(!got.text.startsWith('\uFEFF'), 'BOM must be stripped')
    if (row.name !== 'empty input') assert.ok(!got.text.includes('\uFFFD'), 'no replacement characters')
  })
}

test('decode never throws on random bytes', () => {
  let seed = 42
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  for (let i = 0; i < 50; i++) {
    const bytes = new Uint8Array(Math.floor(rand() * 300)).map(() => Math.floor(rand() * 256))
    for (const kind of ['xml', 'html', 'json', 'text'] as const) {
      const got = decode(bytes, { kind, contentType: 'text/xml; charset=utf-16' })
      assert.equal(typeof got.text, 'string')
    }
  }
})

test('charsetFromContentType', () => {
  const table: Array<[string | null, string | null]> = [
    ['text/xml; charset=UTF-8', 'UTF-8'],
    ["application/atom+xml;charset='us-ascii'", 'us-ascii'],
    ['application/rss+xml;charset= "us-ascii"', 'us-ascii'],
    ['text/xml;charset = us-ascii', 'us-ascii'],
    ['text/xml; qs=0.9', null],
    ['text/xml;', null],
    ['text/xml; charset:iso-8859-1', null],
    [null, null],
  ]
  for (const [input, want] of table) assert.equal(charsetFromContentType(input), want, String(input))
})

test('normalizeCharset', () => {
  const table: Array<[string, string | null]> = [
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['sjis', 'shift_jis'],
    ['x-sjis', 'shift_jis'],
    ['Shift-JIS', 'shift_jis'],
    ['gb2312', 'gbk'],
    ['GB18030', 'gb18030'],
    ['utf8', 'utf-8'],
    ['iso8859-2', 'iso-8859-2'],
    ['ISO_8859-15', 'iso-8859-15'],
    ['cp1251', 'windows-1251'],
    ['tis-620', 'windows-874'],
    ['x-made-up', null],
    ['', null],
  ]
  for (const [input, want] of table) assert.equal(normalizeCharset(input), want, input)
})

test('text/xml without a charset is us-ascii (RFC 3023) only when the bytes are ASCII', () => {
  const ascii = utf8(rss('Plain title', '<?xml version="1.0" encoding="utf-8"?>'))
  assert.deepEqual(pick(decode(ascii, { contentType: 'text/xml', kind: 'xml' })), { charset: 'us-ascii', via: 'header' })
  assert.deepEqual(pick(decode(ascii, { contentType: 'text/atom+xml; qs=0.9', kind: 'xml' })), { charset: 'us-ascii', via: 'header' })
  // Non-ASCII bytes: the XML declaration decides (RFC 7303), nothing is damaged.
  const accented = utf8(rss('Café crème', '<?xml version="1.0" encoding="utf-8"?>'))
  const r = decode(accented, { contentType: 'text/xml', kind: 'xml' })
  assert.equal(r.charset, 'utf-8')
  assert.match(r.text, /Café crème/)
  assert.equal(decode(ascii, { contentType: 'application/xml', kind: 'xml' }).charset, 'utf-8')
})

test('a <meta> charset that contradicts a valid UTF-8 body loses', () => {
  const page = utf8(`<html><head><meta charset="shift_jis"><title>t</title></head><body><p>${JAPANESE}</p></body></html>`)
  const r = decode(page, { kind: 'html' })
  assert.deepEqual(pick(r), { charset: 'utf-8', via: 'utf8-valid' })
  assert.match(r.text, /東京都は本日/)
  // …while a truthful meta over legacy bytes still wins.
  const sjis = concat(utf8('<html><head><meta charset="shift_jis"></head><body><p>'), enc(JAPANESE, 'shift_jis'), utf8('</p></body></html>'))
  assert.deepEqual(pick(decode(sjis, { kind: 'html' })), { charset: 'shift_jis', via: 'meta' })
})

test('undeclared Hebrew and Thai are detected and read with the Windows code pages', () => {
  const hebrew = 'ראש העירייה הודיע היום על תוכנית חדשה לתחבורה ציבורית בעיר. התוכנית תיכנס לתוקף בשנה הבאה ותשפר את חיי התושבים. ' +
    'לדבריו, העירייה תוסיף קווי אוטובוס חדשים ותרחיב את שעות הפעילות של הרכבת הקלה בכל השכונות.'
  const thai = 'นายกเทศมนตรีประกาศแผนการขนส่งสาธารณะใหม่ของเมืองในวันนี้ แผนดังกล่าวจะเริ่มใช้ในปีหน้า และจะช่วยให้ประชาชนเดินทางได้สะดวกยิ่งขึ้น ' +
    'เจ้าหน้าที่กล่าวว่าจะเพิ่มรถโดยสารประจำทางและขยายเวลาให้บริการรถไฟฟ้าในทุกพื้นที่ของเมือง'
  for (const [text, charset] of [[hebrew, 'windows-1255'], [thai, 'windows-874']] as const) {
    const r = decode(enc(rss(text, '<?xml version="1.0"?>'), charset), { kind: 'xml' })
    assert.equal(r.charset, charset)
    assert.equal(r.via, 'detector')
    assert.ok(r.text.includes(text.slice(0, 30)), `${charset} text reads back`)
  }
})

function pick(r: DecodedText): { charset: string; via: DecodedText['via'] } {
  return { charset: r.charset, via: r.via }
}

test('a wrong GBK or Shift_JIS header over UTF-8 does not turn quotes into mojibake', () => {
  const english = utf8('<html><body><p>The mayor didn’t say when the “new” line opens.</p></body></html>')
  for (const charset of ['gbk', 'gb18030', 'shift_jis', 'big5', 'euc-jp']) {
    const r = decode(english, { contentType: `text/html; charset=${charset}`, kind: 'html' })
    assert.equal(r.charset, 'utf-8', charset)
    assert.match(r.text, /didn’t say when the “new” line/)
  }
  // Genuine legacy text under its own header is read with it.
  const gbk = concat(utf8('<html><body><p>'), enc(CHINESE, 'gbk'), utf8('</p></body></html>'))
  const r = decode(gbk, { contentType: 'text/html; charset=gbk', kind: 'html' })
  assert.equal(r.charset, 'gbk')
  assert.ok(r.text.includes(CHINESE))
})

test('UTF-8 with a stray Latin-1 byte keeps its UTF-8 and reads the stray byte as windows-1252', () => {
  // A UTF-8 feed into which a template pasted "©" as the single Latin-1 byte 0xA9.
  const bytes = concat(utf8(rss('“Harbour” news — ’tis the season ', '<?xml version="1.0" encoding="utf-8"?>')).subarray(0, 60), enc('©', 'latin1'), utf8(' 2026 rest of the feed “quoted”'))
  const r = decode(bytes, { contentType: 'application/rss+xml; charset=utf-8', kind: 'xml' })
  assert.equal(r.via, 'utf8-mixed')
  assert.match(r.text, /©\s2026 rest of the feed “quoted”/)
  assert.doesNotMatch(r.text, /â€|\uFFFD/, 'no mojibake and no replacement characters')
})

test('legacy text is not mistaken for UTF-8 with stray bytes', () => {
  const latin = decode(enc(rss('Café crème, déjà vu: l’été à Montréal était très chaud'), 'windows-1252'), { contentType: 'text/xml', kind: 'xml' })
  assert.notEqual(latin.via, 'utf8-mixed')
  assert.match(latin.text, /Café crème, déjà vu: l’été à Montréal était très chaud/)
  const gbk = decode(enc(rss('港口的渡轮周一恢复运营，乘客们在码头排起了长队，等待第一班船。'), 'gbk'), { contentType: 'text/xml', kind: 'xml' })
  assert.notEqual(gbk.via, 'utf8-mixed')
  assert.match(gbk.text, /港口的渡轮周一恢复运营/)
})
