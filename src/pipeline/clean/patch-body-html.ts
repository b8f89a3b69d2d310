import { parseDocument, DomUtils } from 'htmlparser2'
import { Text, type Element, type ChildNode } from 'domhandler'
import type { Block } from '../../domain/types.js'

const LEAF_BLOCK = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'dd', 'dt', 'td', 'th'])

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim()

/** Block elements in document order that hold no other block element (their text is one block). */
function leafBlocks(nodes: ChildNode[], out: Element[] = []): Element[] {
  for (const n of nodes) {
    if (n.type !== 'tag') continue
    const el = n as Element
    const inner = DomUtils.findOne((x) => LEAF_BLOCK.has(x.name), el.children, true)
    if (LEAF_BLOCK.has(el.name) && !inner) out.push(el)
    else leafBlocks(el.children, out)
  }
  return out
}

/**
 * Applies cleaning to the body HTML so the page keeps its links and emphasis: each block is matched,
 * in order, to the HTML element that holds exactly its text; a removed block's element goes, an
 * edited block's element gets the new text. Returns null when the blocks cannot all be matched, and
 * the caller renders the cleaned blocks instead. `after[i]` is the new text of input block i, or null
 * when it was removed; unchanged blocks are left as they are.
 */
export function patchBodyHtml(html: string, before: Block[], after: (string | null)[]): string | null {
  const doc = parseDocument(html)
  const leaves = leafBlocks(doc.children)
  let at = 0
  const targets: Element[] = []
  for (const b of before) {
    const want = squash(b.text)
    while (at < leaves.length && squash(DomUtils.textContent(leaves[at]!)) !== want) at++
    if (at >= leaves.length) return null
    targets.push(leaves[at++]!)
  }
  before.forEach((b, i) => {
    const next = after[i]
    const el = targets[i]!
    if (next === undefined || next === b.text) return
    if (next === null) {
      const parent = el.parent as Element | null
      DomUtils.removeElement(el)
      // A list left with no items goes too.
      if (parent && (parent.name === 'ul' || parent.name === 'ol') && !parent.children.some((c) => c.type === 'tag')) DomUtils.removeElement(parent)
      return
    }
    for (const c of [...el.children]) DomUtils.removeElement(c)
    DomUtils.appendChild(el, new Text(next))
  })
  return DomUtils.getOuterHTML(doc.children, { decodeEntities: true, encodeEntities: 'utf8' })
}
