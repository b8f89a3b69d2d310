/**
 * Small read-only helpers over the parsed page: the htmlparser2 (domhandler) tree the engine reads, so that
 * a page is parsed once. CSS selectors are compiled once, at module load, with `query`.
 */

import { compile } from 'css-select'
import type { AnyNode, Document, Element, ParentNode } from 'domhandler'
import { normalizeText } from '../clean/text.js'
import { isElement, rawText } from './engine/tree.js'

/** A compiled CSS selector: `query('figure img')`. */
export type Query = (el: Element) => boolean

export function query(selector: string): Query {
  return compile<AnyNode, Element>(selector) as Query
}

/**
 * Every element of a page in document order, and by tag name: one walk of the tree serves the many look-ups
 * that metadata and captions make (a walk per query was most of their cost). Read-only: build it again after
 * the tree changes.
 */
export class PageIndex {
  readonly elements: Element[] = []
  private readonly tags = new Map<string, Element[]>()

  constructor(root: ParentNode) {
    const visit = (node: ParentNode): void => {
      for (const c of node.children) {
        if (!isElement(c)) continue
        this.elements.push(c)
        const list = this.tags.get(c.name)
        if (list) list.push(c)
        else this.tags.set(c.name, [c])
        visit(c)
      }
    }
    visit(root)
  }

  /** Elements with this (lower-case) tag name, in document order. */
  tag(name: string): readonly Element[] {
    return this.tags.get(name) ?? []
  }

  /** Elements that match, in document order. */
  select(q: Query): Element[] {
    return this.elements.filter(q)
  }
}

/** The first descendant of `root` that matches, in document order: `querySelector`. */
export function selectOne(root: ParentNode, q: Query): Element | null {
  for (const c of root.children) {
    if (!isElement(c)) continue
    if (q(c)) return c
    const found = selectOne(c, q)
    if (found) return found
  }
  return null
}

/** `el` or its nearest ancestor element that matches: `Element.closest`. */
export function closest(el: Element, q: Query): Element | null {
  for (let e: Element | null = el; e; e = parentElement(e)) if (q(e)) return e
  return null
}

export function parentElement(el: Element): Element | null {
  const p = el.parent
  return p && isElement(p) ? p : null
}

/** True when `inner` is `outer` or inside it. */
export function contains(outer: ParentNode, inner: AnyNode): boolean {
  for (let n: AnyNode | null = inner; n; n = n.parent) if (n === outer) return true
  return false
}

/** The element before `el` among its siblings, skipping text and comments. */
export function previousElementSibling(el: Element): Element | null {
  for (let n = el.prev; n; n = n.prev) if (isElement(n)) return n
  return null
}

/** The `<html>` element when the page has one (its `lang` is the page's). */
export function documentElement(page: PageIndex): Element | null {
  const first = page.elements[0]
  return first?.name === 'html' && first.parent?.type === 'root' ? first : null
}

/** The `<body>` (where the page has one), else the whole page. */
export function bodyOf(doc: Document): ParentNode {
  return selectOne(doc, IS_BODY) ?? doc
}
const IS_BODY: Query = (el) => el.name === 'body'

const FURNITURE_TAGS = new Set(['nav', 'aside'])
const CONTAINERS = new Set(['html', 'body', 'article', 'main'])
const FURNITURE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search'])
// Class or id words (between -, _ or spaces) that mark page furniture rather than the article.
const FURNITURE_WORDS =
  /(^|[-_\s])(related|comments?|newsletter|cookies?|consent|share|sharing|social|promo|sidebar|nav|navigation|menu|breadcrumbs?|masthead|site-?header|site-?footer|footer|recirc|most-?read|trending|subscribe|signup)([-_\s]|$)/i
const ARTICLE_OR_MAIN = query('article, main, [role="main"]')

/**
 * True when `el` or an ancestor is page furniture (navigation, sidebars, related lists, comments, share bars,
 * site header and footer). The header and footer of an `<article>` or `<main>` are not furniture: bylines live there.
 */
export function isFurniture(el: Element): boolean {
  for (let e: Element | null = el; e; e = parentElement(e)) {
    const tag = e.name
    if (FURNITURE_TAGS.has(tag)) return true
    if (tag === 'header' || tag === 'footer') {
      const parent = parentElement(e)
      if (!parent || !closest(parent, ARTICLE_OR_MAIN)) return true
    }
    const role = e.attribs['role']
    if (role && FURNITURE_ROLES.has(role.toLowerCase())) return true
    // CMSes put taxonomy on the page and the article (`<body class="category-social">`,
    // `<article class="tag-share">`): class words only count below those.
    if (CONTAINERS.has(tag)) continue
    const words = `${e.attribs['class'] ?? ''} ${e.attribs['id'] ?? ''}`
    if (words.trim() && FURNITURE_WORDS.test(words)) return true
  }
  return false
}

// `article, [itemprop="articleBody"], [role="article"]` and `main, [role="main"]`, written out: they are
// tested against every element of the page.
const ARTICLES: Query = (el) => el.name === 'article' || el.attribs['itemprop'] === 'articleBody' || el.attribs['role'] === 'article'
const MAIN: Query = (el) => el.name === 'main' || el.attribs['role'] === 'main'

/** The element holding the article: `<article>` (the one with most text), `main`, or the body. */
export function articleRoot(page: PageIndex): Element | null {
  let best: Element | null = null
  let bestLength = -1
  for (const a of page.select(ARTICLES)) {
    if (isFurniture(a)) continue
    const length = rawText(a).length
    if (length > bestLength) {
      best = a
      bestLength = length
    }
  }
  if (best) return best
  return page.elements.find(MAIN) ?? page.tag('body')[0] ?? null
}

/** The attributes of an element as a plain record (names are lower-cased by the parser). */
export function attrsOf(el: Element): Record<string, string> {
  return { ...el.attribs }
}

/** Text as a reader would see it: descendants' text with block boundaries as spaces, normalized. */
export function textOfElement(el: Element | null | undefined, skip?: (child: Element) => boolean): string {
  if (!el) return ''
  const parts: string[] = []
  const walk = (node: ParentNode): void => {
    for (const child of node.children) {
      if (child.type === 'text') parts.push(child.data)
      else if (isElement(child)) {
        const tag = child.name
        if (tag === 'script' || tag === 'style' || tag === 'template' || tag === 'noscript') continue
        if (skip?.(child)) continue
        const block = BLOCKISH.has(tag)
        if (block || tag === 'br') parts.push(' ')
        walk(child)
        if (block) parts.push(' ')
      }
    }
  }
  walk(el)
  return normalizeText(parts.join('').replace(/[^\S\u3000]+/g, ' '))
}

const BLOCKISH = new Set([
  'p', 'div', 'section', 'article', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'figure',
  'figcaption', 'header', 'footer', 'table', 'tr', 'td', 'th', 'dd', 'dt', 'pre',
])

/** The class attribute lower-cased ('' when absent), for substring tests like "credit" or "caption". */
export function classOf(el: Element): string {
  return (el.attribs['class'] ?? '').toLowerCase()
}
