import type { Block, ExtractedArticle } from '../../domain/types.js'
import { err, ok, stageError } from '../../domain/result.js'
import type { Result } from '../../domain/result.js'
import { sanitizeHtml } from '../clean/sanitize.js'
import { readCaptions } from './captions.js'
import { PageIndex, bodyOf } from './dom.js'
import { bodyOfPage, readPage } from './engine/extract-body.js'
import { documentBaseUrl, extractMetadata } from './metadata.js'

/**
 * An article page → title, byline, dates, language, body blocks, sanitized HTML, captions, other-language
 * links, keywords. The page is parsed once (htmlparser2); metadata and captions are read from it untouched,
 * then our own engine (`engine/`) chooses the body from the same tree.
 *
 * Order matters: parsing bounds the work (a page nested too deeply or too large is refused before anything
 * reads it); metadata and captions come before the engine because it strips the page as it goes; the HTML is
 * sanitized last.
 */
export function extractArticle(html: string, ctx: { url: string | null }): Result<ExtractedArticle> {
  const page = readPage(html)
  if (!page.ok) return page
  const document = page.value
  let meta: ReturnType<typeof extractMetadata>
  let captions: ReturnType<typeof readCaptions>
  let baseUrl: string | null
  try {
    const index = new PageIndex(document)
    baseUrl = documentBaseUrl(index, ctx.url)
    meta = extractMetadata(document, { url: ctx.url, index })
    captions = readCaptions(bodyOf(document), { baseUrl, index })
  } catch (cause) {
    // A bug in reading one page's metadata is this page's failure, not the process's.
    return err(stageError('extract', 'extract_failed', `The page could not be read: ${messageOf(cause)}`, { cause }))
  }
  const found = bodyOfPage(document)
  if (!found.ok) return found
  const { blocks: rawBlocks, html: content } = found.value
  const title = meta.title
  const blocks = dropTitleHeading(rawBlocks, title)
  const text = blocks.map((b) => b.text).join('\n')
  if (!isReadable(text)) {
    return err(stageError('extract', 'extract_empty', 'No readable article text was found on this page.'))
  }
  // Sanitize runs last: nothing after it may add markup to what we store and serve.
  const body = sanitizeHtml(content, { baseUrl }).trim()
  return ok({
    title,
    byline: meta.byline,
    authorBio: meta.authorBio,
    published: meta.published,
    updated: meta.updated,
    lang: meta.lang,
    siteName: meta.siteName,
    description: meta.description,
    canonicalUrl: meta.canonicalUrl,
    leadImage: meta.leadImage ?? captions.find((c) => c.imageUrl)?.imageUrl ?? firstImage(body),
    blocks,
    text,
    html: body,
    captions,
    altLinks: meta.altLinks,
    keywords: meta.keywords,
  })
}

/**
 * Below this much text there is no article: an app shell's "Loading…", a cookie wall, an error page.
 * Ideographic characters count three times, as one carries about as much as three Latin letters.
 */
const MIN_READABLE = 100

function isReadable(text: string): boolean {
  const compact = text.replace(/\s+/g, '')
  const ideographs = (compact.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length
  return compact.length + 2 * ideographs >= MIN_READABLE
}

/** Readability keeps the article's own heading in some layouts; the title is already a field. */
function dropTitleHeading(blocks: Block[], title: string | null): Block[] {
  const head = blocks[0]
  if (head && title && head.type !== 'p' && head.type !== 'li' && sameText(head.text, title)) return blocks.slice(1)
  return blocks
}

function sameText(a: string, b: string): boolean {
  const key = (s: string): string => s.toLowerCase().replace(/[\s\p{P}]+/gu, '')
  return key(a) === key(b)
}

function firstImage(html: string): string | null {
  return /<img\b[^>]*\ssrc="([^"]+)"/i.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
