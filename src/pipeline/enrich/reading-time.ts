/** Words a minute for space-separated scripts, characters a minute for Chinese, Japanese and Korean. */
const WORDS_PER_MINUTE = 230
const CJK_CHARS_PER_MINUTE = 500

/** Whole minutes to read the text; at least 1 for any text with words in it. */
export function readingMinutes(text: string, _lang?: string | null): number {
  const cjk = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu)?.length ?? 0
  // CJK characters are read one by one; what is left (Latin names, numbers) is counted in words.
  const rest = text.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu, ' ')
  const words = rest.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu)?.length ?? 0
  if (cjk === 0 && words === 0) return 0
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE))
}
