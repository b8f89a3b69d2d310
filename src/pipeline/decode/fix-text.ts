import { TextFixerConfig, fix_and_explain } from 'ftfy-js'
import { looksBad } from './mojibake-badness.js'
import { repairCjkMojibake } from './mojibake-cjk.js'

export interface FixedText {
  text: string
  /** True when `text` differs from the input. */
  fixed: boolean
  /** What was undone, e.g. `ftfy:encode:sloppy-windows-1252`, `ftfy:decode:utf-8`, `cjk:gbk`, `cjk:gbk:lossy`. */
  steps: string[]
}

/**
 * ftfy's encoding repair without its restyling. An aggregator must show the publisher's text, so the
 * steps that change correct text are off: uncurling quotes (’ → '), HTML-entity unescaping (our text is
 * already unescaped; a literal `&amp;` must stay), full-width → ASCII (wrong for Japanese and Chinese),
 * ligature splitting, line-break and control-character rewriting, Unicode normalisation (NFC belongs to
 * search keys, not to the stored text). Kept: the encoding fixes, C1 controls read as Windows-1252, and
 * lone surrogates → U+FFFD (they cannot be stored or serialised).
 */
export const FTFY_CONFIG = new TextFixerConfig({
  unescape_html: false,
  remove_terminal_escapes: false,
  fix_encoding: true,
  restore_byte_a0: true,
  replace_lossy_sequences: true,
  decode_inconsistent_utf8: true,
  fix_c1_controls: true,
  fix_latin_ligatures: false,
  fix_character_width: false,
  uncurl_quotes: false,
  fix_line_breaks: false,
  fix_surrogates: true,
  remove_control_chars: false,
  normalization: null,
  explain: true,
})

/** ftfy's own bound on one segment (it splits longer lines there too). */
const MAX_SEGMENT = 1_000_000
const NON_ASCII = /[^\x00-\x7f]/
const NON_ASCII_G = /[^\x00-\x7f]/g
/** What ftfy's other enabled steps act on: C1 controls and lone surrogates. */
const C1_OR_LONE_SURROGATE = /[\x80-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
/**
 * A C1 control next to half-width katakana is a Shift_JIS decoder's byte 0x80 (UTF-8 misread as
 * Shift_JIS that we could not repair), not Windows-1252: ftfy would turn it into €.
 */
const SHIFT_JIS_C1 = /[\uff61-\uff9f][\x80-\x9f]|[\x80-\x9f][\uff61-\uff9f]/

/**
 * Repairs mojibake: UTF-8 misread as a single-byte charset (via ftfy) or as GBK/GB18030, Shift_JIS,
 * EUC-JP or Big5 (ours, see mojibake-cjk.ts). Leaves correct text exactly as it is. Pure, never throws;
 * ASCII text returns after one scan.
 */
export function fixText(text: string): FixedText {
  if (!NON_ASCII.test(text)) return { text, fixed: false, steps: [] }
  try {
    return fixSteps(text)
  } catch {
    // A bug in a fixer must not cost us the article: unrepaired text is still the publisher's text.
    return { text, fixed: false, steps: [] }
  }
}

function fixSteps(input: string): FixedText {
  const steps = new Set<string>()
  let text = input
  // Layers of damage come off outermost first; a second round catches a layer the other fixer uncovered.
  for (let round = 0; round < 3; round++) {
    const before = text
    const cjk = repairCjkMojibake(text)
    if (cjk.codec) {
      if (cjk.repaired > 0) steps.add(`cjk:${cjk.codec}`)
      if (cjk.lossy > 0) steps.add(`cjk:${cjk.codec}:lossy`)
      text = cjk.text
    }
    text = ftfyBySegment(text, steps)
    if (text === before) break
  }
  return { text, fixed: text !== input, steps: [...steps] }
}

/** ftfy's fix_text loop (one segment per line, newline included), skipping lines that are plain ASCII. */
function ftfyBySegment(text: string, steps: Set<string>): string {
  let out = ''
  let pos = 0
  while (pos < text.length) {
    NON_ASCII_G.lastIndex = pos
    const hit = NON_ASCII_G.exec(text)
    if (!hit) break
    const lineStart = text.lastIndexOf('\n', hit.index) + 1
    const start = Math.max(pos, lineStart)
    const newline = text.indexOf('\n', hit.index)
    let end = newline === -1 ? text.length : newline + 1
    if (end - start > MAX_SEGMENT) {
      end = Math.max(start + MAX_SEGMENT, hit.index + 1)
      if (isHighSurrogate(text.charCodeAt(end - 1))) end++
    }
    const segment = text.slice(start, end)
    // With this configuration ftfy changes nothing unless its badness test fires or one of these is
    // present; checking first keeps correct non-ASCII text fast.
    if ((!looksBad(segment) && !C1_OR_LONE_SURROGATE.test(segment)) || SHIFT_JIS_C1.test(segment)) {
      out += text.slice(pos, end)
      pos = end
      continue
    }
    const fixed = fix_and_explain(segment, FTFY_CONFIG)
    // ftfy also explains round trips that change nothing (e.g. over U+FFFD); report only real changes.
    if (fixed.text !== segment) for (const [action, parameter] of fixed.explanation ?? []) steps.add(`ftfy:${action}:${parameter}`)
    out += text.slice(pos, start) + fixed.text
    pos = end
  }
  return pos === 0 ? text : out + text.slice(pos)
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff
}
