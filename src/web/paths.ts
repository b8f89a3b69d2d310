import { slugify } from '../pipeline/enrich/tags.js'

/** `/articles/42/ferry-service-resumes`: the id finds it, the slug is for people and search engines. */
export function articlePath(a: { id: number; title: string }): string {
  const slug = slugify(a.title, 80)
  return slug ? `/articles/${a.id}/${encodeURIComponent(slug)}` : `/articles/${a.id}`
}

/**
 * A publisher's URL as a link target: only http(s). A feed can hand us anything as an item's
 * address (a `javascript:` GUID on an item without a link); such an address is shown as no link.
 */
export function webHref(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null
  } catch {
    return null
  }
}
