import type { ChildNode, Element, ParentNode } from 'domhandler'
import { isElement } from './tree.js'

/** Elements that flow inside a line of text; every other element starts a block. */
export const INLINE = new Set([
  'a', 'abbr', 'acronym', 'b', 'bdi', 'bdo', 'big', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i',
  'ins', 'kbd', 'label', 'mark', 'nobr', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time',
  'tt', 'u', 'var', 'wbr', 'img', 'picture', 'source', 'math',
])

/** What the scoring and pruning passes know about one element's subtree. */
export interface Stats {
  /** Visible characters (whitespace left out). */
  text: number
  /** Visible characters inside links. */
  link: number
  /** Commas (Latin and CJK): a sign of running prose. */
  commas: number
  /** Whether a block-level element is somewhere inside. */
  hasBlock: boolean
  /** Characters of text that sits directly in this element (not inside a child block). */
  own: number
  ownCommas: number
  /** Paragraph-like descendants (p, pre, blockquote, or loose text) with at least 60 characters. */
  paras: number
  /** Characters of those paragraphs. */
  paraText: number
}

// Elements whose text no reader sees.
const NO_TEXT = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'svg', 'math', 'textarea', 'select', 'option', 'iframe', 'object'])

const COMMA = /[,，、،]/g
const SPACE = /\s+/g

export function visibleLength(s: string): number {
  return s.replace(SPACE, '').length
}

/** Computes `Stats` for every element under `root`, bottom-up. Recursion depth is the page's nesting depth. */
export function computeStats(root: ParentNode): Map<Element, Stats> {
  const out = new Map<Element, Stats>()
  const visit = (el: Element, inLink: boolean): Stats => {
    const s: Stats = { text: 0, link: 0, commas: 0, hasBlock: false, own: 0, ownCommas: 0, paras: 0, paraText: 0 }
    if (NO_TEXT.has(el.name)) {
      s.hasBlock = true
      out.set(el, s)
      return s
    }
    const linkHere = inLink || el.name === 'a'
    for (const c of el.children) addChild(s, c, linkHere, visit)
    const paraLike = el.name === 'p' || el.name === 'pre' || el.name === 'blockquote'
    const own = paraLike && !s.hasBlock ? s.text : s.own
    if (own >= 60 && (paraLike || s.own > 0) && s.link < own * 0.5) {
      s.paras += 1
      s.paraText += own
    }
    out.set(el, s)
    return s
  }
  const top: Stats = { text: 0, link: 0, commas: 0, hasBlock: false, own: 0, ownCommas: 0, paras: 0, paraText: 0 }
  for (const c of root.children) addChild(top, c, false, visit)
  return out
}

function addChild(s: Stats, c: ChildNode, inLink: boolean, visit: (el: Element, inLink: boolean) => Stats): void {
  if (c.type === 'text') {
    const n = visibleLength(c.data)
    const commas = c.data.match(COMMA)?.length ?? 0
    s.text += n
    s.own += n
    s.commas += commas
    s.ownCommas += commas
    if (inLink) s.link += n
    return
  }
  if (!isElement(c)) return
  const cs = visit(c, inLink)
  s.text += cs.text
  s.link += cs.link
  s.commas += cs.commas
  s.paras += cs.paras
  s.paraText += cs.paraText
  if (INLINE.has(c.name) && !cs.hasBlock) {
    s.own += cs.text
    s.ownCommas += cs.commas
  } else s.hasBlock = true
}

export function linkDensity(s: Stats | undefined): number {
  return s && s.text > 0 ? s.link / s.text : 0
}
