import type { ChildNode, Element, ParentNode } from 'domhandler'
import type { Caption } from '../../domain/types.js'
import { imageUrl } from '../clean/image-url.js'
import { normalizeText } from '../clean/text.js'
import { PageIndex, attrsOf, classOf, closest, contains, previousElementSibling, query, selectOne, textOfElement } from './dom.js'
import type { Query } from './dom.js'
import { detach, findAll, rawText } from './engine/tree.js'

const MEDIA = query('img, picture, video, iframe, svg, object, embed, amp-img')
const FIGURE: Query = (el) => el.name === 'figure'
const FIGCAPTION = query('figcaption')
const HAS_CLASS = query('[class]')
const P = query('p')
const HEADING_OR_ARTICLE = query('h1, h2, h3, h4, article')
const IMAGES = query('img, amp-img, source[srcset]')
const IMG = query('img')
const IMG_OR_PICTURE = query('img, picture')
const CREDIT_CLASS = /credit|copyright|photographer/
// Elements outside <figure> whose class says "caption" (WordPress `wp-caption-text`, `image-caption`, …).
// A wrapper that merely mentions captions is filtered out by the size checks below.
const CAPTION_CLASS = /caption/

/**
 * Lifts photo captions out of the page so their text can never glue into body paragraphs, and returns
 * them (text, credit, absolute image URL). MUTATES `root`: every media `<figure>` and every caption element
 * outside figures is removed, with the picture it describes. Figures without media (a pull quote, a code
 * listing) stay: they are body. The same caption seen twice is returned once.
 */
export function separateCaptions(root: ParentNode, ctx: { baseUrl: string | null }): Caption[] {
  return collectCaptions(root, { baseUrl: ctx.baseUrl, index: new PageIndex(root) }, detach)
}

/**
 * The same captions, with `root` left as it was found: for a page whose body is chosen afterwards from the
 * same tree. What is lifted out is put back, in reverse order, once the captions are read. `index` may cover
 * the whole page: only what is under `root` is read.
 */
export function readCaptions(root: ParentNode, ctx: { baseUrl: string | null; index: PageIndex }): Caption[] {
  const undo: Array<{ node: ChildNode; parent: ParentNode; at: number }> = []
  const remove = (node: ChildNode): void => {
    const parent = node.parent
    if (!parent) return
    undo.push({ node, parent, at: parent.children.indexOf(node) })
    detach(node)
  }
  try {
    return collectCaptions(root, ctx, remove)
  } finally {
    for (let i = undo.length - 1; i >= 0; i--) {
      const { node, parent, at } = undo[i]!
      const prev = parent.children[at - 1] ?? null
      const next = parent.children[at] ?? null
      parent.children.splice(at, 0, node)
      node.parent = parent
      node.prev = prev
      node.next = next
      if (prev) prev.next = node
      if (next) next.prev = node
    }
  }
}

function collectCaptions(
  root: ParentNode, ctx: { baseUrl: string | null; index: PageIndex }, remove: (node: ChildNode) => void,
): Caption[] {
  const found: Caption[] = []
  // Under `root` and not lifted out with an earlier caption.
  const attached = (el: Element): boolean => el !== root && contains(root, el)

  for (const figure of ctx.index.tag('figure')) {
    if (!attached(figure) || !selectOne(figure, MEDIA)) continue
    const captionEl = selectOne(figure, FIGCAPTION) ?? findAll(figure, HAS_CLASS).find((e) => CAPTION_CLASS.test(classOf(e)))
    found.push(readCaption(figure, captionEl ?? null, ctx))
    remove(figure)
  }

  for (const el of ctx.index.elements) {
    if (!CAPTION_CLASS.test(classOf(el)) || !attached(el)) continue
    // Media figures are gone by now; what remains inside a figure (a pull quote's attribution) is body.
    if (closest(el, FIGURE)) continue
    const tag = el.name
    if (tag === 'body' || tag === 'html' || tag === 'article' || tag === 'main') continue
    const text = textOfElement(el)
    // A wrapper that happens to say "caption" but holds paragraphs, headings or a lot of text is a
    // container (`entry-content has-captions`), not a caption.
    if (text.length > 600 || findAll(el, P).length > 1 || selectOne(el, HEADING_OR_ARTICLE)) continue
    if (selectOne(el, MEDIA)) {
      // WordPress style: <div class="wp-caption"><img><p class="wp-caption-text">…</p></div>
      const inner = findAll(el, HAS_CLASS).find((e) => CAPTION_CLASS.test(classOf(e)) && !selectOne(e, MEDIA))
      found.push(readCaption(el, inner ?? el, ctx))
      remove(el)
      continue
    }
    const picture = precedingPicture(el)
    found.push(readCaption(picture ?? el, el, ctx))
    if (picture) remove(picture)
    remove(el)
  }

  return dedupe(found.filter((c) => c.text || c.credit || c.imageUrl))
}

function readCaption(container: Element, captionEl: Element | null, ctx: { baseUrl: string | null }): Caption {
  const scopes = captionEl && !contains(container, captionEl) ? [container, captionEl] : [container]
  const creditEls = scopes.flatMap((s) => findAll(s, HAS_CLASS)).filter((e) => CREDIT_CLASS.test(classOf(e)))
  const outermost = creditEls.filter((e) => !creditEls.some((o) => o !== e && contains(o, e)))
  let credit = outermost.map((e) => textOfElement(e)).filter(Boolean).join(' / ') || null
  let text = captionEl ? textOfElement(captionEl, (child) => outermost.includes(child)) : ''
  if (!credit) {
    const split = splitCredit(text)
    text = split.text
    credit = split.credit
  }
  const images = container.name === 'img' ? [container] : findAll(container, IMAGES)
  let url: string | null = null
  for (const img of images) if ((url = imageUrl(attrsOf(img), ctx))) break
  return { text: tidyCaption(text), credit: credit ? tidyCredit(credit) : null, imageUrl: url }
}

/** The picture a free-standing caption describes: the element just before it, when it is only a picture. */
function precedingPicture(el: Element): Element | null {
  const prev = previousElementSibling(el)
  if (!prev) return null
  if (IMG_OR_PICTURE(prev)) return prev
  if (selectOne(prev, IMG) && normalizeText(rawText(prev)) === '' && findAll(prev, IMG).length === 1) return prev
  return null
}

// Trailing credit forms: "… Photo: Ann Lee", "… (Photo by Ann Lee)", "… © Harbor Wire", "…（写真：…）".
const LABEL = String.raw`(?:photo(?:graph)?s?|image|picture|credit|illustration|video)`
const CREDIT_TAIL = [
  // Parenthesised at the end: "(Photo by Ann Lee)", "(Photo: …)", "(© …)", "(Harbor Wire Photo/Ann Lee)", "（写真：…）".
  new RegExp(
    String.raw`\s*[(（\[]\s*(${LABEL}(?:\s+by\s|\s*[:：])\s*[^()（）[\]]+?|©\s*[^()（）[\]]+?|[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*\s+photo\s*\/\s*[^()[\]]+?|(?:写真|撮影|画像|提供)\s*[:：=＝]?\s*[^()（）[\]]+?)\s*[)）\]]\s*$`,
    'i',
  ),
  // A trailing labelled part: "… at dawn. Photo: Ann Lee", "… Photo by Ann Lee", "… © Harbor Wire", "…。写真：…".
  new RegExp(String.raw`(?:^|\s+|(?<=[.!?。]))(${LABEL}(?:\s+by\s|\s*[:：])\s*[^!?。]+?|©\s*.+?|(?:写真|撮影|画像)\s*[:：]\s*[^。]+?)\s*$`, 'i'),
]

export function splitCredit(caption: string): { text: string; credit: string | null } {
  for (const re of CREDIT_TAIL) {
    const m = re.exec(caption)
    if (m && m[1]) return { text: caption.slice(0, m.index), credit: m[1] }
  }
  return { text: caption, credit: null }
}

function tidyCaption(t: string): string {
  return normalizeText(t).replace(/\s*[|/—–-]\s*$/, '').trim()
}

/** "Photo: Ann Lee / Harbor Wire" → "Ann Lee / Harbor Wire"; "(c) 2026 X" → "2026 X". */
function tidyCredit(t: string): string {
  return normalizeText(t)
    .replace(/^[(（\[]\s*|\s*[)）\]]$/g, '')
    .replace(/^(?:photo(?:graph)?s?|image|picture|credit|illustration|video)(?:\s+by)?\s*[:：]?\s*/i, '')
    .replace(/^(?:©|\(c\)|copyright)\s*/i, '')
    .replace(/^(?:写真|撮影|画像|提供)\s*[:：=＝]?\s*/, '')
    .trim()
}

function dedupe(captions: Caption[]): Caption[] {
  const out: Caption[] = []
  for (const c of captions) {
    const same = out.find((o) =>
      c.text ? o.text.toLowerCase() === c.text.toLowerCase() : !o.text && o.imageUrl === c.imageUrl,
    )
    if (!same) {
      out.push(c)
      continue
    }
    same.credit ??= c.credit
    same.imageUrl ??= c.imageUrl
  }
  return out
}
