import { getInnerHTML } from 'domutils'
import type { Document } from 'domhandler'
import type { Block } from '../../../domain/types.js'
import { err, ok, stageError } from '../../../domain/result.js'
import type { Result } from '../../../domain/result.js'
import { nodesToBlocks } from '../blocks.js'
import { dropBoilerplateLines } from './block-filter.js'
import { EngineLimit, findMainContent, parsePage } from './main-content.js'

export interface ExtractedBody {
  /** The chosen article HTML (not yet sanitized). */
  html: string
  blocks: Block[]
  /** Blocks joined with one newline. */
  text: string
}

/**
 * Our main-content extractor: an HTML page → the article's body blocks. Never throws on page input:
 * a page it will not read (too deep, too many elements) is `extract_failed`, a page without an article
 * is `extract_empty`.
 */
export function extractBody(html: string): Result<ExtractedBody> {
  const page = readPage(html)
  return page.ok ? bodyOfPage(page.value) : page
}

/** HTML → the parsed page, or `extract_failed` for a page the engine will not read (too deep, too large). */
export function readPage(html: string): Result<Document> {
  try {
    return ok(parsePage(html))
  } catch (cause) {
    return failed(cause)
  }
}

/**
 * The article's body blocks from a page parsed by `readPage`. MUTATES `doc` (junk is stripped and the
 * article lifted out): read anything else from the page first.
 */
export function bodyOfPage(doc: Document): Result<ExtractedBody> {
  let found: ReturnType<typeof findMainContent>
  try {
    found = findMainContent(doc)
  } catch (cause) {
    return failed(cause)
  }
  if (!found) return err(stageError('extract', 'extract_empty', 'No readable article text was found on this page.'))
  const blocks = dropBoilerplateLines(nodesToBlocks(found.root.children))
  return ok({ html: getInnerHTML(found.root), blocks, text: blocks.map((b) => b.text).join('\n') })
}

function failed(cause: unknown): Result<never> {
  if (cause instanceof EngineLimit) return err(stageError('extract', 'extract_failed', cause.message))
  return err(stageError('extract', 'extract_failed', `The page could not be read: ${cause instanceof Error ? cause.message : String(cause)}`, { cause }))
}
