import type { Tag } from '../../domain/types.js'

/** URL slug: NFKC, lower case, runs of anything but letters and digits become one dash, at most `max` characters. */
export function slugify(text: string, max: number): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+/, '').slice(0, max).replace(/-+$/, '')
}

/** URL slug of a tag label. */
export function tagSlug(label: string): string {
  return slugify(label, 64)
}

// Feed categories that say nothing about the article.
const NOISE = new Set(['uncategorized', 'uncategorised', 'news', 'general', 'misc', 'other', 'top-stories', 'featured', 'home', 'blog', 'article', 'articles', 'default'])

/**
 * The article's tags from what the publisher declares (feed categories, then page keywords),
 * de-duplicated by slug, noise and path-like categories dropped, at most `max`.
 */
export function pickTags(input: { categories: string[]; keywords: string[] }, opts: { max?: number } = {}): Tag[] {
  const max = opts.max ?? 8
  const out = new Map<string, Tag>()
  for (const raw of [...input.categories, ...input.keywords]) {
    if (/^\s*[a-z][a-z0-9+.-]*:/i.test(raw)) continue // a URL or URN is not a tag
    // "News/World/Asia" style categories: the last segment is the specific one.
    const label = raw.split(/\s*[/>|]\s*/).pop()!.replace(/\s+/g, ' ').trim()
    if (!label || label.length > 48) continue
    const slug = tagSlug(label)
    if (!slug || NOISE.has(slug) || /^\d+$/.test(slug) || out.has(slug)) continue
    out.set(slug, { slug, label })
    if (out.size >= max) break
  }
  return [...out.values()]
}
