import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { excerpt, normalizeText } from './text.js'

describe('normalizeText', () => {
  const cases: Array<[string, string, string]> = [
    ['NBSP becomes a space', 'a\u00A0b', 'a b'],
    ['narrow NBSP and thin spaces too', 'a\u202F\u2009b', 'a b'],
    ['runs of spaces and tabs collapse', 'a  \t  b', 'a b'],
    ['ends are trimmed', '  \t a b \n', 'a b'],
    ['zero-width space, word joiner, BOM and soft hyphen go', '\uFEFFin\u200Bter\u2060na\u00ADtional', 'international'],
    ['ZWJ emoji sequences survive', 'family 👩\u200D👩\u200D👧 here', 'family 👩\u200D👩\u200D👧 here'],
    ['control characters go, newlines stay', 'a\u0000b\u0007c\nd\u0085e', 'abc\nd\ne'],
    ['CRLF and CR become LF', 'a\r\nb\rc', 'a\nb\nc'],
    ['each line is trimmed', 'a  \n   b', 'a\nb'],
    ['one blank line is kept between paragraphs', 'a\n\n\n\n\nb', 'a\n\nb'],
    ['line and paragraph separators are newlines', 'a\u2028b\u2029c', 'a\nb\nc'],
    ['ideographic space is kept inside a line and trimmed at its ends', '\u3000再開\u3000漁協\u3000', '再開\u3000漁協'],
    ['C1 controls (mojibake debris) go', 'caf\u0080e\u009F', 'cafe'],
    ['empty stays empty', ' \n\t ', ''],
  ]
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(normalizeText(input), expected))
  }
})

describe('excerpt', () => {
  const text = 'The harbour board says it will spend three million replacing the ice plant this summer.'
  const cases: Array<[string, string, number, string]> = [
    ['short text is returned whole', 'Short text.', 50, 'Short text.'],
    ['cuts at a word boundary with an ellipsis', text, 30, 'The harbour board says it…'],
    ['never longer than maxChars', text, 41, 'The harbour board says it will spend…'],
    ['drops dangling punctuation before the ellipsis', 'One, two, three, four, five', 10, 'One, two…'],
    ['newlines become spaces on one line', 'First para.\nSecond para is longer.', 22, 'First para. Second…'],
    ['one very long word is cut between graphemes', 'Donaudampfschifffahrtsgesellschaft', 12, 'Donaudampfs…'],
    ['Japanese is cut between words, not mid-character', '港町の朝市が三年ぶりに再開した。にぎわいが戻った。', 12, undefined as unknown as string],
    ['no surrogate pair is split', '😀😀😀😀😀😀', 4, '😀…'],
  ]
  for (const [name, input, max, expected] of cases) {
    it(name, () => {
      const out = excerpt(input, max)
      assert.ok(out.length <= max, `${out} is longer than ${max}`)
      if (expected !== undefined) assert.equal(out, expected)
      else {
        assert.ok(out.endsWith('…'))
        assert.ok(input.startsWith(out.slice(0, -1)), out)
        assert.ok(out.length > 3, out)
      }
    })
  }
})
