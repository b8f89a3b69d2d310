// Characters that change the bytes of a text but not what a reader sees.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g

/**
 * A text as compared for edits: Unicode NFC, invisible characters dropped, each paragraph's whitespace
 * collapsed and trimmed, empty paragraphs dropped. Paragraphs stay one per line.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n')
}

/** Whether going from `before` to `after` is an edit a reader would notice (title or body words changed). */
export function isMeaningfulEdit(before: { title: string; text: string }, after: { title: string; text: string }): boolean {
  return normalizeText(before.title) !== normalizeText(after.title) || normalizeText(before.text) !== normalizeText(after.text)
}
