import { normalizeText } from '../clean/text.js'
import { AUTHOR_BIO_SELECTOR, AUTHOR_BOX_SELECTOR } from './metadata.js'

// Class or id words of the line under a headline that names the author and the date.
const BYLINE_WORDS =
  /(^|[-_\s])(byline|bylines|dateline|author|authors|author-name|post-meta|entry-meta|article-meta|story-meta|meta|metadata|post-date|entry-date|timestamp|publish-date|pubdate|contributors?)([-_\s]|$)/i
const MAX_BYLINE_CHARS = 200
const MAX_AUTHOR_BOX_CHARS = 1200

/**
 * Removes what metadata already holds and what would otherwise read as body text: author boxes (the bio is
 * in `authorBio`), byline and dateline lines, and paragraphs made only of other-language links (they are in
 * `altLinks`). MUTATES `doc`; run it after `extractMetadata` and before the body is chosen.
 */
export function pruneHeldElsewhere(doc: Document): void {
  for (const el of [...doc.querySelectorAll(AUTHOR_BIO_SELECTOR)]) {
    if (!el.isConnected) continue
    const box = el.closest(AUTHOR_BOX_SELECTOR) ?? el
    // A long "bio" is the article itself (a profile, an obituary), not an author box.
    if (normalizeText(box.textContent ?? '').length <= MAX_AUTHOR_BOX_CHARS) box.remove()
  }

  for (const el of [...doc.querySelectorAll('[class], [id]')]) {
    if (!el.isConnected) continue
    const tag = el.tagName.toLowerCase()
    if (tag === 'html' || tag === 'body' || tag === 'article' || tag === 'main' || tag === 'meta') continue
    const words = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`
    if (!BYLINE_WORDS.test(words)) continue
    // Inside running text (<p>… <span class="author">…</span> said …) it is body, not a byline line.
    if (el.parentElement?.closest('p, li, blockquote, td, h1, h2, h3, h4, h5, h6, figcaption')) continue
    const text = normalizeText(el.textContent ?? '')
    if (text.length <= MAX_BYLINE_CHARS && !el.querySelector('p, h1, h2, h3, figure, img, ul, ol, table')) el.remove()
  }

  for (const a of [...doc.querySelectorAll('a[hreflang]')]) {
    const block = a.isConnected ? a.closest('p, li, div') : null
    if (!block) continue
    let rest = block.textContent ?? ''
    for (const link of block.querySelectorAll('a[hreflang]')) rest = rest.replace(link.textContent ?? '', '')
    if (/^[\s\p{P}\p{S}]*$/u.test(rest)) block.remove()
  }
}
