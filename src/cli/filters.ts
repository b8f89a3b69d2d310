import type { ParsedFeed } from '../domain/types.js'
import { extractArticle } from '../pipeline/extract/extract.js'
import { parseFeedBytes } from '../pipeline/parse/parse-feed.js'
import { fixText } from '../pipeline/decode/fix-text.js'

const idOf = (x: Record<string, unknown>): string | null =>
  typeof x['id'] === 'string' ? x['id'] : typeof x['id'] === 'number' ? String(x['id']) : null

const bad = (id: string | null, message: string) => ({ id, error: { code: 'bad_input', message } })

/** `tidings extract --jsonl`: {"id","url"?,"html"} → {"id","title","byline","published","lang","text","captions"} */
export function extractRecord(x: Record<string, unknown>): object {
  const id = idOf(x)
  if (id === null) return bad(null, 'missing "id" (string)')
  if (typeof x['html'] !== 'string') return bad(id, 'missing "html" (string)')
  const url = typeof x['url'] === 'string' ? x['url'] : null
  const r = extractArticle(x['html'], { url })
  if (!r.ok) return { id, error: { code: r.error.code, message: r.error.message } }
  const a = r.value
  return {
    id,
    title: a.title,
    byline: a.byline,
    published: a.published,
    lang: a.lang,
    text: a.text,
    captions: a.captions.map((c) => ({ text: c.text, credit: c.credit, image: c.imageUrl })),
  }
}

/** `tidings parse-feed --jsonl`: {"id","body_base64","content_type"?,"url"?} → {"id","feed":{…}} */
export function parseFeedRecord(x: Record<string, unknown>): object {
  const id = idOf(x)
  if (id === null) return bad(null, 'missing "id" (string)')
  if (typeof x['body_base64'] !== 'string') return bad(id, 'missing "body_base64" (string)')
  const bytes = Buffer.from(x['body_base64'], 'base64')
  const r = parseFeedBytes(bytes, {
    contentType: typeof x['content_type'] === 'string' ? x['content_type'] : null,
    url: typeof x['url'] === 'string' ? x['url'] : null,
  })
  if (!r.ok) return { id, error: { code: r.error.code, message: r.error.message } }
  return { id, feed: feedJson(r.value) }
}

function feedJson(f: ParsedFeed) {
  return {
    title: f.title,
    link: f.link,
    description: f.description,
    language: f.language,
    items: f.items.map((i) => ({
      id: i.id, title: i.title, link: i.link, published: i.published, updated: i.updated, author: i.author,
      content_html: i.contentHtml, summary: i.summary,
    })),
  }
}

/** `tidings fix-text --jsonl`: {"id","text"} → {"id","text","fixed"} (mojibake repaired, correct text untouched) */
export function fixTextRecord(x: Record<string, unknown>): object {
  const id = idOf(x)
  if (id === null) return bad(null, 'missing "id" (string)')
  if (typeof x['text'] !== 'string') return bad(id, 'missing "text" (string)')
  const r = fixText(x['text'])
  return { id, text: r.text, fixed: r.fixed }
}
