import type { Caption } from '../../domain/types.js'
import { imageUrl } from '../clean/image-url.js'
import { normalizeText } from '../clean/text.js'
import { attrsOf, classOf, textOfElement } from './dom.js'

const MEDIA = 'img, picture, video, iframe, svg, object, embed, amp-img'
const CREDIT_CLASS = /credit|copyright|photographer/
// Elements outside <figure> whose class says "caption" (WordPress `wp-caption-text`, `image-caption`, …).
// A wrapper that merely mentions captions is filtered out by the size checks below.
const CAPTION_CLASS = /caption/

/**
 * Lifts photo captions out of the document so their text can never glue into body paragraphs, and returns
 * them (text, credit, absolute image URL). MUTATES `doc`: every media `<figure>` and every caption element
 * outside figures is removed, with the picture it describes. Figures without media (a pull quote, a code
 * listing) stay: they are body. The same caption seen twice is returned once.
 */
export function separateCaptions(doc: Document, ctx: { baseUrl: string | null }): Caption[] {
  const found: Caption[] = []
  const body = doc.body ?? doc.documentElement
  if (!body) return []

  for (const figure of [...body.querySelectorAll('figure')]) {
    if (!figure.isConnected || !figure.querySelector(MEDIA)) continue
    const captionEl = figure.querySelector('figcaption') ?? [...figure.querySelectorAll('[class]')].find((e) => CAPTION_CLASS.test(classOf(e)))
    found.push(readCaption(figure, captionEl ?? null, ctx))
    figure.remove()
  }

  for (const el of [...body.querySelectorAll('[class]')]) {
    if (!el.isConnected || !CAPTION_CLASS.test(classOf(el))) continue
    // Media figures are gone by now; what remains inside a figure (a pull quote's attribution) is body.
    if (el.closest('figure')) continue
    const tag = el.tagName.toLowerCase()
    if (tag === 'body' || tag === 'html' || tag === 'article' || tag === 'main') continue
    const text = textOfElement(el)
    // A wrapper that happens to say "caption" but holds paragraphs, headings or a lot of text is a
    // container (`entry-content has-captions`), not a caption.
    if (text.length > 600 || el.querySelectorAll('p').length > 1 || el.querySelector('h1, h2, h3, h4, article')) continue
    if (el.querySelector(MEDIA)) {
      // WordPress style: <div class="wp-caption"><img><p class="wp-caption-text">…</p></div>
      const inner = [...el.querySelectorAll('[class]')].find((e) => CAPTION_CLASS.test(classOf(e)) && !e.querySelector(MEDIA))
      found.push(readCaption(el, inner ?? el, ctx))
      el.remove()
      continue
    }
    const picture = precedingPicture(el)
    found.push(readCaption(picture ?? el, el, ctx))
    picture?.remove()
    el.remove()
  }

  return dedupe(found.filter((c) => c.text || c.credit || c.imageUrl))
}

function readCaption(container: Element, captionEl: Element | null, ctx: { baseUrl: string | null }): Caption {
  const scopes = captionEl && !container.contains(captionEl) ? [container, captionEl] : [container]
  const creditEls = scopes.flatMap((s) => [...s.querySelectorAll('[class]')]).filter((e) => CREDIT_CLASS.test(classOf(e)))
  const outermost = creditEls.filter((e) => !creditEls.some((o) => o !== e && o.contains(e)))
  let credit = outermost.map((e) => textOfElement(e)).filter(Boolean).join(' / ') || null
  let text = captionEl ? textOfElement(captionEl, (child) => outermost.includes(child)) : ''
  if (!credit) {
    const split = splitCredit(text)
    text = split.text
    credit = split.credit
  }
  const images = container.matches('img') ? [container] : [...container.querySelectorAll('img, amp-img, source[srcset]')]
  let url: string | null = null
  for (const img of images) if ((url = imageUrl(attrsOf(img), ctx))) break
  return { text: tidyCaption(text), credit: credit ? tidyCredit(credit) : null, imageUrl: url }
}

/** The picture a free-standing caption describes: the element just before it, when it is only a picture. */
function precedingPicture(el: Element): Element | null {
  const prev = el.previousElementSibling
  if (!prev) return null
  if (prev.matches('img, picture')) return prev
  if (prev.querySelector('img') && normalizeText(prev.textContent ?? '') === '' && prev.querySelectorAll('img').length === 1) return prev
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
