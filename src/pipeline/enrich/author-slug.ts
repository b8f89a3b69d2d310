import { slugify } from './tags.js'

/**
 * An author's address on the site: the slug of their name (NFKC, lower case, letters and digits kept
 * in any script, the rest as hyphens), the same across sources, so "Mina Okafor" of two publishers is
 * one page. Null when the name has no letter or digit.
 */
export function authorSlug(name: string): string | null {
  return slugify(name, 80) || null
}

/** The author page of a byline, or null when it names nothing addressable. */
export function authorPath(name: string | null | undefined): string | null {
  const s = name ? authorSlug(name) : null
  return s ? `/authors/${encodeURIComponent(s)}` : null
}
