import { parseDocument } from 'htmlparser2'
import type { ChildNode, Element } from 'domhandler'
import type { Block, BlockType } from '../../domain/types.js'
import { normalizeText } from '../clean/text.js'

const HEADINGS: Record<string, BlockType> = { h1: 'h2', h2: 'h2', h3: 'h3', h4: 'h4', h5: 'h4', h6: 'h4' }
const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'img', 'picture', 'video',
  'audio', 'canvas', 'form', 'button', 'select', 'textarea', 'input', 'figcaption', 'hr', 'head', 'title',
])
// Elements that start a new block when met inside running text.
const BLOCK_LEVEL = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'div', 'section',
  'article', 'main', 'header', 'footer', 'aside', 'nav', 'figure', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td',
  'th', 'caption', 'address', 'details', 'summary', 'center', 'body', 'html',
])

/**
 * Body HTML → reading blocks: one per paragraph, heading (h1 → h2, h5/h6 → h4), list item, quoted paragraph
 * and preformatted block, in document order, text normalized, empty ones dropped. Text is taken from text
 * nodes as they are, so the space in `and <a>Japan</a>` survives; `<br>` becomes a newline inside a block.
 */
export function htmlToBlocks(html: string): Block[] {
  return nodesToBlocks(parseDocument(html, { decodeEntities: true }).children)
}

/** The same, over nodes already parsed by htmlparser2 (the extraction engine's tree). */
export function nodesToBlocks(nodes: ChildNode[]): Block[] {
  const out: Block[] = []
  walk(nodes, out, false)
  return out
}

function walk(nodes: ChildNode[], out: Block[], inQuote: boolean): void {
  let run: ChildNode[] = [] // loose inline content between blocks (text directly in a <div>)
  const flush = (): void => {
    if (run.length) emit(out, inQuote ? 'quote' : 'p', inlineText(run))
    run = []
  }
  for (const node of nodes) {
    if (node.type === 'text') {
      run.push(node)
      continue
    }
    if (!isElement(node)) continue
    const tag = node.name.toLowerCase()
    if (SKIP.has(tag)) continue
    if (!BLOCK_LEVEL.has(tag)) {
      // An inline element that wraps blocks (<a><p>…</p></a>, <span><div>…</div></span>) is treated as a container.
      if (containsBlock(node)) {
        flush()
        walk(node.children, out, inQuote)
      } else {
        run.push(node)
      }
      continue
    }
    flush()
    const heading = HEADINGS[tag]
    if (heading) {
      emit(out, inQuote ? 'quote' : heading, inlineText(node.children))
    } else if (tag === 'p' || tag === 'dt' || tag === 'dd' || tag === 'caption' || tag === 'summary' || tag === 'address') {
      if (containsBlock(node)) walk(node.children, out, inQuote)
      else emit(out, inQuote ? 'quote' : 'p', inlineText(node.children))
    } else if (tag === 'pre') {
      const text = preText(node)
      if (text.trim()) out.push({ type: 'pre', text })
    } else if (tag === 'blockquote') {
      if (containsBlock(node)) walk(node.children, out, true)
      else emit(out, 'quote', inlineText(node.children))
    } else if (tag === 'li') {
      // The item's own text; a nested list inside it becomes its own items after it.
      const own = node.children.filter((c) => !(isElement(c) && (c.name === 'ul' || c.name === 'ol')))
      emit(out, inQuote ? 'quote' : 'li', inlineText(own, true))
      for (const c of node.children) if (isElement(c) && (c.name === 'ul' || c.name === 'ol')) walk(c.children, out, inQuote)
    } else if (tag === 'tr') {
      const cells = node.children.filter((c): c is Element => isElement(c) && (c.name === 'td' || c.name === 'th'))
      emit(out, 'p', cells.map((c) => inlineText(c.children, true).replace(/\n/g, ' ')).filter(Boolean).join(' | '))
    } else walk(node.children, out, inQuote)
  }
  flush()
}

function emit(out: Block[], type: BlockType, raw: string): void {
  const text = normalizeText(raw)
  if (text) out.push({ type, text })
}

/** Text of inline content; `<br>` → newline. With `blocksAsSpaces`, nested blocks are joined by a space. */
function inlineText(nodes: ChildNode[], blocksAsSpaces = false): string {
  let s = ''
  const visit = (n: ChildNode): void => {
    if (n.type === 'text') s += n.data.replace(/[\n\r\t ]+/g, ' ')
    else if (isElement(n)) {
      const tag = n.name.toLowerCase()
      if (tag === 'br') s += '\n'
      else if (SKIP.has(tag)) return
      else {
        const block = blocksAsSpaces && BLOCK_LEVEL.has(tag)
        if (block) s += ' '
        for (const c of n.children) visit(c)
        if (block) s += ' '
      }
    }
  }
  for (const n of nodes) visit(n)
  return s
}

function preText(node: Element): string {
  let s = ''
  const visit = (n: ChildNode): void => {
    if (n.type === 'text') s += n.data
    else if (isElement(n)) {
      if (n.name === 'br') s += '\n'
      else for (const c of n.children) visit(c)
    }
  }
  visit(node)
  // Keep the code's indentation: only strip invisible/control characters and blank edges, not inner spaces.
  return s.replace(/\r\n?/g, '\n').replace(/[\u200B\uFEFF]/g, '').replace(/^\n+|\s+$/g, '')
}

function containsBlock(el: Element): boolean {
  return el.children.some((c) => isElement(c) && (BLOCK_LEVEL.has(c.name.toLowerCase()) || containsBlock(c)))
}

function isElement(n: ChildNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style'
}
