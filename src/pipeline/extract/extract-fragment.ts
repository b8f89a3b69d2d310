import type { ExtractedArticle } from '../../domain/types.js'
import { sanitizeHtml } from '../clean/sanitize.js'
import { htmlToBlocks } from './blocks.js'
import { separateCaptions } from './captions.js'
import { parseHtmlDocument } from './parse-html.js'

/**
 * Feed-supplied content (`content:encoded`, Atom `content`) → an article, for when the page itself cannot
 * be fetched or extracted. The feed already chose the body, so there is no boilerplate detection here;
 * captions are separated and the HTML sanitized exactly as for pages. A fragment carries no metadata:
 * those fields are null or empty and the caller fills them from the feed item.
 */
export function extractFragment(html: string, ctx: { url: string | null }): ExtractedArticle {
  const doc = parseHtmlDocument(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`)
  const captions = separateCaptions(doc, { baseUrl: ctx.url })
  const content = doc.body?.innerHTML ?? ''
  const blocks = htmlToBlocks(content)
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
