import type { Enrichment, Tag } from '../../domain/types.js'
import { detectLanguage } from './language.js'
import { extractKeyphrases, hashtagsFrom } from './keyphrases.js'
import { extractEntities } from './entities.js'
import { summarize } from './summarize.js'
import { readingMinutes } from './reading-time.js'
import { tagSlug } from './tags.js'

export interface EnrichInput {
  title: string | null
  text: string
  /** What the page or feed declared, if anything. */
  lang?: string | null
}

/**
 * The built-in enrichment: no network, no model. Language first, since the other methods read
 * stop words and sentence ends by it; a careless CMS's declared language loses to clear evidence.
 */
export function enrich(input: EnrichInput): Enrichment {
  const text = input.text ?? ''
  const title = input.title ?? null
  const lang = detectLanguage(`${title ?? ''}\n${text}`, { declared: input.lang ?? null }).lang
  const ctx = { title, text, lang }
  const { summary, keyPoints } = summarize(ctx)
  const keyphrases = extractKeyphrases(ctx, { max: 10 })
  // Entities turn a one-word keyphrase into the name a reader knows ("Starmer" → "Keir Starmer").
  const entities = extractEntities(ctx)
  return {
    lang,
    summary: summary.map((s) => s.text),
    keyPoints: keyPoints.map((s) => s.text),
    keyphrases,
    hashtags: hashtagsFrom(keyphrases, { entities }),
    entities,
    readingMinutes: text.trim() ? readingMinutes(text, lang) : 0,
  }
}

/** One key for a word's singular and plural, so "bridge" does not join "bridges". */
const tagKey = (slug: string) => slug.replace(/ies$/, 'y').replace(/(?<=[^s])s$/, '')

/**
 * The publisher's tags first, then the article's own hashtags, one per word (singular and plural
 * are one), at most `max`. Curated tags leave less room: ours fill up to five in all, at least two.
 */
export function mergeTags(publisher: Tag[], hashtags: Tag[], max = 8): Tag[] {
  const out = new Map<string, Tag>()
  const add = (t: Tag) => {
    const slug = t.slug || tagSlug(t.label)
    const key = slug && tagKey(slug)
    if (!key || out.has(key) || out.size >= max) return false
    out.set(key, { slug, label: t.label })
    return true
  }
  for (const t of publisher) add(t)
  let room = Math.max(2, 5 - out.size)
  for (const t of hashtags) if (room > 0 && add(t)) room--
  return [...out.values()]
}
