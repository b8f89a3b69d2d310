/**
 * Plain-text normalisation shared by extraction and cleaning: what a reader sees, with the invisible and
 * the accidental removed, and line breaks kept because they separate paragraphs.
 */

// Invisible characters that never carry meaning in article text: zero-width space, word joiner,
// BOM / zero-width no-break space, soft hyphen. ZWNJ (U+200C) and ZWJ (U+200D) are kept on purpose:
// Persian, Hindi and emoji sequences (👩‍👩‍👧) need them.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g
// C0 and C1 controls except tab (collapsed below) and line feed (kept).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
// Horizontal spaces that render as an ordinary space. U+3000 (ideographic space) is left alone inside
// a line: CJK typography uses it deliberately; it is only trimmed at line ends.
const SPACES = /[\t \u00A0\u1680\u2000-\u200A\u202F\u205F]+/g

/**
 * NBSP and other spaces → one space, runs of spaces and tabs collapsed, zero-width and control
 * characters removed, each line trimmed, more than one blank line collapsed to one, ends trimmed.
 * Newlines stay: they are the paragraph structure.
 */
export function normalizeText(s: string): string {
  return s
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(SPACES, ' ')
    .split('\n')
    .map((line) => line.replace(/^[ \u3000]+|[ \u3000]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '')
}

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' })
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * The start of `text` on one line, at most `maxChars` characters (UTF-16 units) including the ellipsis.
 * Cuts at a word boundary (Intl.Segmenter, so Japanese and Chinese cut between words too), never inside
 * a surrogate pair or a grapheme, and drops punctuation left dangling before the "…".
 */
export function excerpt(text: string, maxChars: number): string {
  // Only the head of a long text can reach the excerpt: normalising and segmenting the whole of a
  // 10 MB feed field would take seconds. Widen the head only when whitespace collapsed it too far.
  const flatten = (s: string) => normalizeText(s).replace(/\s*\n\s*/g, ' ')
  let span = Math.max(4096, maxChars * 4)
  let flat = flatten(text.slice(0, span))
  while (flat.length <= maxChars && span < text.length) {
    span *= 4
    flat = flatten(text.slice(0, span))
  }
  if (flat.length <= maxChars) return flat
  if (maxChars <= 1) return maxChars === 1 ? '…' : ''
  const limit = maxChars - 1 // room for the ellipsis
  // Segments that end within the limit are decided by the text just after it; 64 more is plenty.
  flat = flat.slice(0, limit + 64)
  let cut = 0
  for (const seg of wordSegmenter.segment(flat)) {
    const end = seg.index + seg.segment.length
    if (end > limit) break
    cut = end
  }
  // One word longer than the limit (a URL, a long compound): cut between graphemes instead.
  if (cut === 0) {
    for (const seg of graphemeSegmenter.segment(flat)) {
      const end = seg.index + seg.segment.length
      if (end > limit) break
      cut = end
    }
  }
  const head = flat.slice(0, cut).replace(/[\s,;:、，・\-–—(（[「『]+$/u, '')
  return `${head}…`
}
