/** Small read-only helpers over a parsed document (linkedom or any DOM). */

import { normalizeText } from '../clean/text.js'

const FURNITURE_TAGS = new Set(['nav', 'aside'])
const CONTAINERS = new Set(['html', 'body', 'article', 'main'])
const FURNITURE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search'])
// Class or id words (between -, _ or spaces) that mark page furniture rather than the article.
const FURNITURE_WORDS =
  /(^|[-_\s])(related|comments?|newsletter|cookies?|consent|share|sharing|social|promo|sidebar|nav|navigation|menu|breadcrumbs?|masthead|site-?header|site-?footer|footer|recirc|most-?read|trending|subscribe|signup)([-_\s]|$)/i

/**
 * True when `el` or an ancestor is page furniture (navigation, sidebars, related lists, comments, share bars,
 * site header and footer). The header and footer of an `<article>` or `<main>` are not furniture: bylines live there.
 */
export function isFurniture(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const tag = e.tagName.toLowerCase()
    if (FURNITURE_TAGS.has(tag)) return true
    if ((tag === 'header' || tag === 'footer') && !e.parentElement?.closest('article, main, [role="main"]')) return true
    const role = e.getAttribute('role')
    if (role && FURNITURE_ROLES.has(role.toLowerCase())) return true
    // CMSes put taxonomy on the page and the article (`<body class="category-social">`,
    // `<article class="tag-share">`): class words only count below those.
    if (CONTAINERS.has(tag)) continue
    const words = `${e.getAttribute('class') ?? ''} ${e.getAttribute('id') ?? ''}`
    if (words.trim() && FURNITURE_WORDS.test(words)) return true
  }
  return false
}

/** The element holding the article: `<article>` (the one with most text), `main`, or the body. */
export function articleRoot(doc: Document): Element | null {
  const articles = [...doc.querySelectorAll('article, [itemprop="articleBody"], [role="article"]')].filter(
    (a) => !isFurniture(a),
  )
  if (articles.length) {
    return articles.reduce((best, a) => ((a.textContent ?? '').length > (best.textContent ?? '').length ? a : best))
  }
  return doc.querySelector('main, [role="main"]') ?? doc.body ?? null
}

/** The attributes of an element as a plain record. */
export function attrsOf(el: Element): Record<string, string> {
  const out: Record<string, string> = {}
  for (const a of [...el.attributes]) out[a.name.toLowerCase()] = a.value
  return out
}

/** Text as a reader would see it: descendants' text with block boundaries as spaces, normalized. */
export function textOfElement(el: Element | null | undefined, skip?: (child: Element) => boolean): string {
  if (!el) return ''
  const parts: string[] = []
  const walk = (node: Node): void => {
    for (const child of [...node.childNodes]) {
      if (child.nodeType === 3) parts.push(child.textContent ?? '')
      else if (child.nodeType === 1) {
        const e = child as Element
        const tag = e.tagName.toLowerCase()
        if (tag === 'script' || tag === 'style' || tag === 'template' || tag === 'noscript') continue
        if (skip?.(e)) continue
        const block = BLOCKISH.has(tag)
        if (block || tag === 'br') parts.push(' ')
        walk(e)
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
  return (el.getAttribute('class') ?? '').toLowerCase()
}

/** How deeply elements nest under `root` (root = 1), without recursion. */
export function elementDepth(root: Element): number {
  let max = 0
  const stack: Array<[Element, number]> = [[root, 1]]
  while (stack.length) {
    const [el, depth] = stack.pop()!
    if (depth > max) max = depth
    for (const child of [...el.children]) stack.push([child, depth + 1])
  }
  return max
}
