import { decodeHTML } from 'entities'
import { Parser } from 'htmlparser2'

export const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim()

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'ol', 'p', 'pre', 'section', 'table', 'td', 'th', 'tr', 'ul',
])
const SKIP = new Set(['script', 'style', 'template', 'noscript'])

/** Plain text of an HTML fragment: entities decoded, tags stripped, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!html.includes('&') && !html.includes('<')) return collapse(html)
  // Without a tag the whole fragment is one text run, which the tokenizer decodes as decodeHTML does
  // (legacy mode: `&amp` without `;` too); titles are mostly like that, and a parser per title is costly.
  if (!html.includes('<')) return collapse(decodeHTML(html))
  let out = ''
  let skipping = 0
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipping++
        else if (BLOCK.has(name)) out += ' '
      },
      onclosetag(name) {
        if (SKIP.has(name)) skipping = Math.max(0, skipping - 1)
        else if (BLOCK.has(name)) out += ' '
      },
      ontext(text) {
        if (skipping === 0) out += text
      },
    },
    { decodeEntities: true },
  )
  parser.write(html)
  parser.end()
  return collapse(out)
}

/** Null for blank strings, so "no title" is one value. */
export const nonBlank = (s: string | null | undefined): string | null => {
  if (s === null || s === undefined) return null
  return s.trim() === '' ? null : s
}
