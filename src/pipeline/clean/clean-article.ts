import type { ExtractedArticle } from '../../domain/types.js'
import { fixText } from '../decode/fix-text.js'
import { cleanBody } from './clean-body.js'
import { blocksToHtml } from './blocks-to-html.js'
import { patchBodyHtml } from './patch-body-html.js'

/**
 * Clean: mojibake repaired (title, blocks, captions), then the body cleaned of chrome, promos,
 * repeated captions and injected runs, lost spaces restored. The HTML is patched to match, keeping
 * its links; when it cannot be matched block for block, the cleaned blocks are rendered instead.
 */
export function cleanArticle(body: ExtractedArticle, meta: { title: string | null; lang: string | null; siteName: string | null }) {
  let repaired = 0
  const fix = (s: string): string => {
    const r = fixText(s)
    if (r.fixed) repaired++
    return r.text
  }
  const title = meta.title === null ? null : fix(meta.title)
  const fixedBlocks = body.blocks.map((b) => ({ ...b, text: fix(b.text) }))
  const fixedCaptions = body.captions.map((c) => ({ ...c, text: fix(c.text), credit: c.credit === null ? null : fix(c.credit) }))
  const c = cleanBody({ blocks: fixedBlocks, captions: fixedCaptions, title, lang: meta.lang, siteName: meta.siteName, byline: body.byline })
  const changed = repaired > 0 || c.removed.length > 0 || c.flags.lostSpacesRestored > 0 || c.flags.injectedText.length > 0
  const text = c.blocks.map((b) => b.text).join('\n')
  if (!changed) return { title, blocks: c.blocks, captions: c.captions, text, html: body.html, cleanup: null }

  // Which input block became which output block: removed ones are gone, the others follow in order.
  const gone = new Set(c.removed.filter((r) => !r.partial).map((r) => r.index))
  const after: (string | null)[] = []
  let k = 0
  for (let i = 0; i < body.blocks.length; i++) after.push(gone.has(i) ? null : c.blocks[k++]?.text ?? null)
  const html = (k === c.blocks.length ? patchBodyHtml(body.html, body.blocks, after) : null) ?? blocksToHtml(c.blocks)
  return {
    title,
    blocks: c.blocks,
    captions: c.captions,
    text,
    html,
    cleanup: {
      removed: c.removed.map((r) => ({ text: r.block.text, reason: r.reason })),
      injected: c.flags.injectedText.map((x) => ({ text: x.text, reason: x.reason })),
      repaired,
      spacesRestored: c.flags.lostSpacesRestored,
    },
  }
}
