import { Readability } from '@mozilla/readability'
import type { Block, Caption, ExtractedArticle } from '../../domain/types.js'
import { err, ok, stageError } from '../../domain/result.js'
import type { Result } from '../../domain/result.js'
import { sanitizeHtml } from '../clean/sanitize.js'
import { normalizeText } from '../clean/text.js'
import { htmlToBlocks } from './blocks.js'
import { elementDepth } from './dom.js'
import { separateCaptions } from './captions.js'
import { parseDate } from './date.js'
import { canonicalLang, documentBaseUrl, extractMetadata } from './metadata.js'
import type { PageMetadata } from './metadata.js'
import { parseHtmlDocument } from './parse-html.js'
import { pruneHeldElsewhere } from './prune.js'

/**
 * An article page → title, byline, dates, language, body blocks, sanitized HTML, captions, other-language
 * links, keywords. The body comes from @mozilla/readability: this function is the only place that knows it,
 * so our own extractor can replace it here without touching callers.
 *
 * Order matters: metadata reads the untouched page; captions and author boxes are lifted out before the
 * body is chosen, so their text never ends up inside a paragraph; the HTML is sanitized last.
 */
export function extractArticle(html: string, ctx: { url: string | null }): Result<ExtractedArticle> {
  let document: Document
  let meta: PageMetadata
  let captions: Caption[]
  let baseUrl: string | null
  let parsed: ReturnType<Readability['parse']>
  try {
    document = parseHtmlDocument(html)
    baseUrl = documentBaseUrl(document, ctx.url)
    meta = extractMetadata(document, ctx)
    captions = separateCaptions(document, { baseUrl })
    pruneHeldElsewhere(document)
  } catch (cause) {
    // A page our DOM layer cannot handle is this page's failure, not the process's.
    return err(stageError('extract', 'extract_failed', `The page could not be read as HTML: ${messageOf(cause)}`, { cause }))
  }
  const depth = elementDepth(document.documentElement)
  if (depth > MAX_DEPTH) {
    return err(stageError('extract', 'extract_failed', `The page nests elements ${depth} levels deep (more than ${MAX_DEPTH}); it is not read.`))
  }
  try {
    parsed = new Readability(document).parse()
  } catch (cause) {
    return err(stageError('extract', 'extract_failed', `Readability failed on this page: ${messageOf(cause)}`, { cause }))
  }
  const content = parsed?.content ?? ''
  const title = meta.title ?? (normalizeText(parsed?.title ?? '') || null)
  const blocks = dropTitleHeading(htmlToBlocks(content), title)
  const text = blocks.map((b) => b.text).join('\n')
  if (!isReadable(text)) {
    return err(stageError('extract', 'extract_empty', 'No readable article text was found on this page.'))
  }
  // Sanitize runs last: nothing after it may add markup to what we store and serve.
  const body = sanitizeHtml(content, { baseUrl }).trim()
  return ok({
    title,
    byline: meta.byline ?? (cleanByline(parsed?.byline) || null),
    authorBio: meta.authorBio,
    published: meta.published ?? parseDate(parsed?.publishedTime),
    updated: meta.updated,
    lang: meta.lang ?? canonicalLang(parsed?.lang),
    siteName: meta.siteName ?? (normalizeText(parsed?.siteName ?? '') || null),
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
 * Readability's time grows steeply with nesting depth on linkedom (1,000 levels: seconds; 3,000: minutes),
 * while real article pages stay well under 100. Deeper pages are refused rather than left to stall a worker.
 */
const MAX_DEPTH = 400

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

function cleanByline(raw: string | null | undefined): string {
  return normalizeText(raw ?? '').replace(/^by[:\s]\s*/i, '')
}

function firstImage(html: string): string | null {
  return /<img\b[^>]*\ssrc="([^"]+)"/i.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
