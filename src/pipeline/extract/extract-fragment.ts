import { getInnerHTML } from 'domutils'
import type { ExtractedArticle } from '../../domain/types.js'
import { sanitizeHtml } from '../clean/sanitize.js'
import { nodesToBlocks } from './blocks.js'
import { separateCaptions } from './captions.js'
import { bodyOf } from './dom.js'
import { readPage } from './engine/extract-body.js'

/**
 * Feed-supplied content (`content:encoded`, Atom `content`) → an article, for when the page itself cannot
 * be fetched or extracted. The feed already chose the body, so there is no boilerplate detection here;
 * captions are separated and the HTML sanitized exactly as for pages. A fragment carries no metadata:
 * those fields are null or empty and the caller fills them from the feed item. Content the engine will
 * not read (nested too deep, too large) gives an article with no text, which the caller treats as empty.
 */
export function extractFragment(html: string, ctx: { url: string | null }): ExtractedArticle {
  const page = readPage(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`)
  if (!page.ok) return { ...EMPTY, altLinks: [], keywords: [], captions: [], blocks: [] }
  const body = bodyOf(page.value)
  const captions = separateCaptions(body, { baseUrl: ctx.url })
  const content = getInnerHTML(body)
  const blocks = nodesToBlocks(body.children)
  return {
    title: null,
    byline: null,
    authorBio: null,
    published: null,
    updated: null,
    lang: null,
    siteName: null,
    description: null,
    canonicalUrl: null,
    leadImage: null,
    blocks,
    text: blocks.map((b) => b.text).join('\n'),
    // Sanitize runs last: nothing after it may add markup to what we store and serve.
    html: sanitizeHtml(content, { baseUrl: ctx.url }),
    captions,
    altLinks: [],
    keywords: [],
  }
}

const EMPTY: ExtractedArticle = {
  title: null, byline: null, authorBio: null, published: null, updated: null, lang: null, siteName: null,
  description: null, canonicalUrl: null, leadImage: null, blocks: [], text: '', html: '', captions: [], altLinks: [], keywords: [],
}
