import type { Block } from '../../domain/types.js'

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!)

const TAG: Record<Exclude<Block['type'], 'li'>, string> = { p: 'p', h2: 'h2', h3: 'h3', h4: 'h4', quote: 'blockquote', pre: 'pre' }

/**
 * Body HTML made from blocks alone (text escaped, consecutive list items in one list). Used when
 * cleaning changed the blocks, so the page shows exactly the cleaned text; safe by construction.
 */
export function blocksToHtml(blocks: Block[]): string {
  const out: string[] = []
  let inList = false
  for (const b of blocks) {
    if (b.type === 'li') {
      if (!inList) out.push('<ul>')
      inList = true
      out.push(`<li>${escapeHtml(b.text)}</li>`)
      continue
    }
    if (inList) out.push('</ul>')
    inList = false
    const tag = TAG[b.type]
    const inner = b.type === 'quote' ? `<p>${escapeHtml(b.text)}</p>` : escapeHtml(b.text)
    out.push(`<${tag}>${inner}</${tag}>`)
  }
  if (inList) out.push('</ul>')
  return out.join('\n')
}
