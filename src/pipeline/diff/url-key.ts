import { cleanUrl } from '../clean/clean-url.js'

/**
 * The key under which two URLs of one source name the same article. Conservative on purpose: it only
 * folds variants a publisher serves for one page without meaning anything by them —
 *   - tracking parameters and the fragment (cleanUrl), upper-case host, default port;
 *   - the scheme (http and https) and a leading `www.`;
 *   - trailing slashes on the path (`/a/` and `/a`);
 *   - the order of query parameters.
 * The path's case and every other parameter are kept (`?id=7` and `?id=8` are two articles). A home
 * page (no path, no query) names no article, so it gets no key and never matches anything.
 */
export function urlKey(url: string | null | undefined): string | null {
  if (!url) return null
  const clean = cleanUrl(url)
  if (!clean) return null
  const u = new URL(clean)
  const host = u.hostname.startsWith('www.') ? u.hostname.slice(4) : u.hostname
  const path = u.pathname.replace(/\/+$/, '')
  const query = u.search.slice(1).split('&').filter((p) => p !== '').sort().join('&')
  if (!path && !query) return null
  return `${host}${u.port ? `:${u.port}` : ''}${path}${query ? `?${query}` : ''}`
}

/**
 * The keys an article is matched by: its own URL's, and its page's canonical URL's when that can be
 * trusted. A canonical pointing at the site's front page or at a section above the article (a CMS
 * template bug that would make every article "the same") is ignored.
 */
export function identityKeys(a: { url: string; canonicalUrl: string | null }): { urlKey: string | null; canonicalKey: string | null } {
  const own = urlKey(a.url)
  const canonical = urlKey(a.canonicalUrl)
  if (!canonical || !own || canonical === own) return { urlKey: own, canonicalKey: canonical }
  const ownPath = own.split('?', 1)[0]!
  const isAncestor = !canonical.includes('?') && ownPath.startsWith(`${canonical}/`)
  return { urlKey: own, canonicalKey: isAncestor ? null : canonical }
}
