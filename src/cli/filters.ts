import type { ParsedFeed } from '../domain/types.js'
import { extractArticle } from '../pipeline/extract/extract.js'
import { parseFeedBytes } from '../pipeline/parse/parse-feed.js'
import { fixText } from '../pipeline/decode/fix-text.js'
import { enrich } from '../pipeline/enrich/enrich.js'

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

/**
 * `tidings enrich --jsonl`: {"id","title"?,"text","lang"?} → {"id","lang","summary","key_points","hashtags",
 * "keyphrases","entities":{"people","organizations","places"},"reading_minutes"}. `lang` in is what the
 * publisher declared; out is what the text is in.
 */
export function enrichRecord(x: Record<string, unknown>): object {
  const id = idOf(x)
  if (id === null) return bad(null, 'missing "id" (string)')
  if (typeof x['text'] !== 'string') return bad(id, 'missing "text" (string)')
  if (x['title'] !== undefined && x['title'] !== null && typeof x['title'] !== 'string') return bad(id, '"title" must be a string')
  const e = enrich({ title: typeof x['title'] === 'string' ? x['title'] : null, text: x['text'], lang: typeof x['lang'] === 'string' ? x['lang'] : null })
  return {
    id,
    lang: e.lang,
    summary: e.summary.join(' '),
    key_points: e.keyPoints,
    hashtags: e.hashtags.map((t) => `#${t.label.replace(/\s+/g, '')}`),
    keyphrases: e.keyphrases,
    entities: e.entities,
    reading_minutes: e.readingMinutes,
  }
}
