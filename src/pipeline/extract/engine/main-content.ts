import { parseDocument } from 'htmlparser2'
import type { Document, Element, ParentNode } from 'domhandler'
import { classWeight, hintOf } from './hints.js'
import { computeStats, INLINE, linkDensity } from './stats.js'
import type { Stats } from './stats.js'
import { attr, countElements, detach, isElement, maxDepth } from './tree.js'

/** Refusal reasons: the page is read no further, and the caller reports why. */
export class EngineLimit extends Error {}

export const LIMITS = {
  /** Deeper pages are not articles (real ones stay well under 100) and would cost recursion. */
  maxDepth: 400,
  /** A news page has a few thousand elements; 200,000 is a generated or hostile page. */
  maxElements: 200_000,
  /** Characters of HTML read; what follows is ignored (an article is near the top of any page). */
  maxChars: 8_000_000,
}

// Never text a reader sees.
const DROP_TAGS = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'frame', 'frameset', 'object', 'embed',
  'applet', 'canvas', 'video', 'audio', 'source', 'track', 'map', 'button', 'input', 'select', 'textarea', 'option',
  'link', 'meta', 'head', 'title', 'base', 'dialog', 'nav', 'aside', 'menu', 'img', 'picture', 'figcaption', 'hr', 'label', 'output', 'progress', 'meter', 'amp-img', 'amp-ad', 'amp-analytics',
])

const TAG_BASE: Record<string, number> = {
  div: 5, article: 8, section: 3, main: 5, pre: 3, td: 3, blockquote: 3,
  address: -3, ol: -3, ul: -3, dl: -3, dd: -3, dt: -3, li: -3, form: -3,
  h1: -5, h2: -5, h3: -5, h4: -5, h5: -5, h6: -5, th: -5, header: -3, footer: -8,
}

export interface MainContent {
  /** A detached container holding the article's elements, pruned of boilerplate. */
  root: Element
  /** The whole parsed page (after junk removal), for callers that want more from it. */
  document: Document
}

export function parsePage(html: string): Document {
  const input = html.length > LIMITS.maxChars ? html.slice(0, LIMITS.maxChars) : html
  const doc = parseDocument(input, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true })
  const depth = maxDepth(doc)
  if (depth > LIMITS.maxDepth) throw new EngineLimit(`The page nests elements ${depth} levels deep (more than ${LIMITS.maxDepth}); it is not read.`)
  const count = countElements(doc)
  if (count > LIMITS.maxElements) throw new EngineLimit(`The page has ${count} elements (more than ${LIMITS.maxElements}); it is not read.`)
  return doc
}

/**
 * Finds the article in a parsed page. Three passes, in the spirit of Readability and of boilerplate
 * detection by text and link density:
 *  1. drop what is never article text (scripts, forms, hidden elements, navigation, media, furniture by
 *     class words unless the element holds most of the page's prose);
 *  2. score containers by the paragraphs they hold (length, commas, low link density, class words) and take
 *     the best one, with sibling containers that continue it (an article split across several boxes);
 *  3. prune what remains inside: link lists, share bars, bylines, short boxes with no prose.
 */
export function findMainContent(doc: Document): MainContent | null {
  const body = findBody(doc)
  const pageStats = computeStats(doc)
  const totalProse = proseOf(body, pageStats)
  stripJunk(body, pageStats, totalProse)
  const stats = computeStats(doc)
  const top = pickCandidate(body, stats)
  if (!top) return null
  const root = gatherSiblings(top, stats)
  const finalStats = computeStats(root)
  prune(root, finalStats, finalStats.get(root)?.paraText ?? 0)
  splitParagraphsAtDoubleBreaks(root)
  return { root, document: doc }
}

/** The `<body>`; a fragment without one gets a wrapper, so that its paragraphs have a container to score. */
function findBody(doc: Document): ParentNode {
  const stack: ParentNode[] = [doc]
  while (stack.length) {
    const n = stack.shift()!
    for (const c of n.children) {
      if (!isElement(c)) continue
      if (c.name === 'body') return c
      if (c.name === 'html') stack.push(c)
    }
  }
  const wrapper = parseDocument('<div></div>').children[0] as Element
  for (const c of [...doc.children]) {
    detach(c)
    c.parent = wrapper
    wrapper.children.push(c)
  }
  relink(wrapper)
  wrapper.parent = doc
  doc.children.push(wrapper)
  return wrapper
}

function proseOf(node: ParentNode, stats: Map<Element, Stats>): number {
  if (isElement(node)) return stats.get(node)?.paraText ?? 0
  let n = 0
  for (const c of node.children) if (isElement(c)) n += stats.get(c)?.paraText ?? 0
  return n
}

// ───────────────────────────── pass 1: junk ─────────────────────────────

function isHidden(el: Element): boolean {
  if ('hidden' in el.attribs) return true
  if (attr(el, 'aria-hidden') === 'true' && !/fallback-image/.test(attr(el, 'class'))) return true
  const style = el.attribs['style']
  return !!style && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style)
}

function stripJunk(node: ParentNode, stats: Map<Element, Stats>, totalProse: number): void {
  for (const c of [...node.children]) {
    if (c.type === 'comment' || c.type === 'directive' || c.type === 'cdata') {
      detach(c)
      continue
    }
    if (!isElement(c)) continue
    // A photo with its caption is not body (captions are returned apart); a figure without media (a pull
    // quote, a code listing) is.
    if (DROP_TAGS.has(c.name) || isHidden(c) || (c.name === 'figure' && hasMedia(c))) {
      detach(c)
      continue
    }
    if (c.name === 'form' && holdsLittleProse(c, stats, totalProse)) {
      detach(c)
      continue
    }
    if ((c.name === 'header' || c.name === 'footer') && holdsLittleProse(c, stats, totalProse)) {
      detach(c)
      continue
    }
    const cs = stats.get(c)
    const inRunningText = INLINE.has(c.name) && !!cs && !cs.hasBlock && isElement(node) && (stats.get(node)?.own ?? 0) > cs.text
    if (c.name !== 'body' && c.name !== 'html' && c.name !== 'article' && c.name !== 'main' && !inRunningText && hintOf(c).furniture && holdsLittleProse(c, stats, totalProse)) {
      detach(c)
      continue
    }
    stripJunk(c, stats, totalProse)
  }
}

const MEDIA = new Set(['img', 'picture', 'video', 'iframe', 'svg', 'object', 'embed', 'amp-img', 'audio', 'canvas'])

function hasMedia(el: Element): boolean {
  return el.children.some((c) => isElement(c) && (MEDIA.has(c.name) || hasMedia(c)))
}

/** Less than half of the page's prose: a box named like furniture that holds more is the article's wrapper. */
function holdsLittleProse(el: Element, stats: Map<Element, Stats>, totalProse: number): boolean {
  const s = stats.get(el)
  if (!s) return true
  return s.paraText < totalProse * 0.5 || s.paras < 3
}

// ───────────────────────────── pass 2: scoring ─────────────────────────────

const SCORED_UNITS = new Set(['p', 'pre', 'td', 'blockquote', 'dd', 'div', 'section', 'article', 'li', 'span', 'font', 'center', 'main'])

function pickCandidate(body: ParentNode, stats: Map<Element, Stats>): Element | null {
  const scores = new Map<Element, number>()
  const init = (el: Element): number => {
    let s = scores.get(el)
    if (s === undefined) {
      s = (TAG_BASE[el.name] ?? 0) + classWeight(el)
      scores.set(el, s)
    }
    return s
  }
  const units: Element[] = []
  const collect = (n: ParentNode): void => {
    for (const c of n.children) {
      if (!isElement(c)) continue
      if (SCORED_UNITS.has(c.name)) units.push(c)
      collect(c)
    }
  }
  collect(body)
  for (const u of units) {
    const s = stats.get(u)!
    const paraLike = u.name === 'p' || u.name === 'pre' || u.name === 'td' || u.name === 'blockquote'
    const len = paraLike && !s.hasBlock ? s.text : s.own
    const commas = paraLike && !s.hasBlock ? s.commas : s.ownCommas
    if (len < 25) continue
    // Loose text in a list item counts only when it reads like prose.
    if (u.name === 'li' && commas < 2) continue
    const ld = paraLike && !s.hasBlock ? linkDensity(s) : 0
    const gain = (1 + commas + Math.min(3, Math.floor(len / 100))) * (1 - ld)
    let level = 0
    for (let a = u.parent; a && isElement(a) && level < 5; a = a.parent, level++) {
      const div = level === 0 ? 1 : level === 1 ? 2 : level * 3
      scores.set(a, init(a) + gain / div)
    }
    // A box whose prose is its own loose text (text and <br>s) is scored as the paragraph's container too.
    if (!paraLike && s.own >= 25) scores.set(u, init(u) + gain)
  }
  let best: Element | null = null
  let bestScore = -Infinity
  const ranked: Array<[Element, number]> = []
  for (const [el, raw] of scores) {
    if (el.name === 'html') continue
    const score = raw * (1 - linkDensity(stats.get(el)))
    ranked.push([el, score])
    if (score > bestScore) {
      bestScore = score
      best = el
    }
  }
  if (!best || bestScore <= 0) return null
  ranked.sort((a, b) => b[1] - a[1])
  return climb(best, bestScore, ranked, stats)
}

/**
 * Readability's observation: when several of the best candidates share an ancestor, the article is that
 * ancestor (its paragraphs sit in several boxes). Also climb through wrappers that only wrap.
 */
function climb(best: Element, bestScore: number, ranked: Array<[Element, number]>, stats: Map<Element, Stats>): Element {
  const close = ranked.slice(1, 6).filter(([, s]) => s >= bestScore * 0.75).map(([el]) => el)
  let top = best
  if (close.length >= 2) {
    for (let a = best.parent; a && isElement(a) && a.name !== 'body' && a.name !== 'html'; a = a.parent) {
      const holds = close.filter((c) => contains(a!, c)).length
      if (holds >= 2) {
        top = a
        break
      }
    }
  }
  // An article split across sibling boxes (chunks between ads, a paywall box after the lede): climb while the
  // ancestor holds clearly more prose than what we have, and is not mostly links.
  let prose = stats.get(top)?.paraText ?? 0
  let level = 0
  for (let a = top.parent; a && isElement(a) && a.name !== 'body' && a.name !== 'html' && level < 6; a = a.parent, level++) {
    const s = stats.get(a)
    if (!s) break
    if (s.paraText >= prose * 1.2 && s.paraText - prose >= 150 && linkDensity(s) < 0.35) {
      top = a
      prose = s.paraText
    }
  }
  // A wrapper whose only content is the candidate is the same box.
  for (let p = top.parent; p && isElement(p) && p.name !== 'body' && p.name !== 'html'; p = p.parent) {
    const kids = p.children.filter((c) => isElement(c) || (c.type === 'text' && c.data.trim()))
    if (kids.length !== 1) break
    top = p
  }
  return top
}

function contains(a: Element, b: Element): boolean {
  for (let n: ParentNode | null = b; n; n = n.parent) if (n === a) return true
  return false
}

/** The candidate plus siblings that continue the article; returned in a fresh detached `<div>`. */
function gatherSiblings(top: Element, stats: Map<Element, Stats>): Element {
  const parent = top.parent
  const root: Element = parseDocument('<div></div>').children[0] as Element
  const topStats = stats.get(top)!
  const keep: Element[] = []
  const siblings = parent ? parent.children.filter(isElement) : [top]
  for (const sib of siblings) {
    if (sib === top) {
      keep.push(sib)
      continue
    }
    const s = stats.get(sib)
    if (!s || s.text === 0) continue
    const sameClass = attr(sib, 'class') !== '' && attr(sib, 'class') === attr(top, 'class')
    const ld = linkDensity(s)
    if (hintOf(sib).furniture) continue
    if (s.paraText >= Math.max(200, topStats.paraText * 0.2) && ld < 0.3) keep.push(sib)
    else if (sameClass && s.paraText > 0 && ld < 0.3) keep.push(sib)
    else if (sib.name === 'p' && !s.hasBlock && ld < 0.25 && (s.text >= 80 || /[.!?。]\s*$/.test(textOf(sib))) && s.text >= 20) keep.push(sib)
  }
  for (const k of keep) {
    detach(k)
    k.parent = root
    root.children.push(k)
  }
  relink(root)
  return root
}

function relink(p: Element): void {
  const kids = p.children
  for (let i = 0; i < kids.length; i++) {
    kids[i]!.prev = kids[i - 1] ?? null
    kids[i]!.next = kids[i + 1] ?? null
  }
}

function textOf(el: Element): string {
  let s = ''
  for (const c of el.children) {
    if (c.type === 'text') s += c.data
    else if (isElement(c)) s += textOf(c)
  }
  return s
}

/** `<p>one<br><br>two</p>` is two paragraphs, as a reader sees it. */
function splitParagraphsAtDoubleBreaks(node: Element): void {
  for (const c of [...node.children]) {
    if (!isElement(c)) continue
    if (c.name !== 'p') {
      if (!INLINE.has(c.name)) splitParagraphsAtDoubleBreaks(c)
      continue
    }
    const kids = c.children
    const groups: Array<typeof kids> = [[]]
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!
      if (isElement(k) && k.name === 'br') {
        let j = i + 1
        while (j < kids.length && kids[j]!.type === 'text' && !(kids[j] as { data: string }).data.trim()) j++
        const next = kids[j]
        if (isElement(next) && next.name === 'br') {
          groups.push([])
          i = j
          continue
        }
      }
      groups[groups.length - 1]!.push(k)
    }
    if (groups.length < 2) continue
    const parent = c.parent!
    const at = parent.children.indexOf(c)
    const paragraphs = groups.map((g) => {
      const p = parseDocument('<p></p>').children[0] as Element
      for (const k of g) k.parent = p
      p.children = g
      relink(p)
      p.parent = parent
      return p
    })
    parent.children.splice(at, 1, ...paragraphs)
    relink(parent as Element)
  }
}

// ───────────────────────────── pass 3: pruning ─────────────────────────────

const CONDITIONAL = new Set(['div', 'section', 'ul', 'ol', 'dl', 'table', 'header', 'footer', 'form', 'article', 'center', 'main'])

function prune(node: Element, stats: Map<Element, Stats>, rootProse: number): void {
  for (const c of [...node.children]) {
    if (!isElement(c)) continue
    const s = stats.get(c)
    if (!s) continue
    if (c.name === 'h1') {
      detach(c)
      continue
    }
    const h = hintOf(c)
    const big = s.paras >= 3 && s.paraText >= rootProse * 0.4
    // Inside a sentence, a link or a span is part of the text whatever its class says.
    const inRunningText = INLINE.has(c.name) && !s.hasBlock && (stats.get(node)?.own ?? 0) > s.text
    if (h.furniture && !big && !inRunningText) {
      detach(c)
      continue
    }
    if (s.text === 0) {
      if (c.name !== 'br' && c.name !== 'td' && c.name !== 'th') detach(c)
      continue
    }
    if (/^h[2-6]$/.test(c.name)) {
      if (linkDensity(s) > 0.5 && s.text < 120) detach(c)
      continue
    }
    if (META_PROPS.has(attr(c, 'itemprop').toLowerCase()) && s.text < 200) {
      detach(c)
      continue
    }
    if (c.name === 'p') {
      if (isLinkParagraph(s)) removeWithLabel(c, stats)
      continue
    }
    if (CONDITIONAL.has(c.name) && !big && isBoilerplateBox(c, s)) {
      removeWithLabel(c, stats)
      continue
    }
    if (INLINE.has(c.name) && !s.hasBlock) continue
    prune(c, stats, rootProse)
  }
}

// Microdata that marks the byline and dateline, not the article text.
const META_PROPS = new Set(['author', 'creator', 'datepublished', 'datemodified', 'datecreated', 'publisher', 'dateline'])

/** "READ MORE: <a>Headline</a>", or links one per line: a promotion, not a paragraph. */
function isLinkParagraph(s: Stats): boolean {
  if (s.link === 0) return false
  const plain = s.text - s.link
  return linkDensity(s) >= 0.6 && plain <= Math.max(30, s.text * 0.1)
}

/**
 * Removes a link box and the short label just before it ("DON'T MISS", "Related:"), which means nothing
 * without the box.
 */
function removeWithLabel(el: Element, stats: Map<Element, Stats>): void {
  let prev = el.prev
  while (prev && prev.type === 'text' && !prev.data.trim()) prev = prev.prev
  if (isElement(prev) && (prev.name === 'p' || /^h[2-6]$/.test(prev.name) || prev.name === 'div' || prev.name === 'strong' || prev.name === 'b')) {
    const ps = stats.get(prev)
    const t = textOf(prev).trim()
    if (ps && ps.text > 0 && ps.text <= 40 && !/[.!?。,;]$/.test(t) && !ps.hasBlock) detach(prev)
  }
  detach(el)
}

/** A box inside the article that is not prose: mostly links, or short bits with no sentence in them. */
function isBoilerplateBox(el: Element, s: Stats): boolean {
  const ld = linkDensity(s)
  if (s.commas >= 10 && ld < 0.3) return false
  if (el.name === 'ul' || el.name === 'ol') return ld > 0.5
  if (el.name === 'table') return ld > 0.5
  if (ld > 0.5) return true
  if (ld > 0.25 && s.paras === 0) return true
  return false
}
