import { Parser } from 'htmlparser2'
import type { DiscoveredFeed } from '../../domain/types.js'
import { collapse } from './text.js'
import { resolveUrl } from './urls.js'

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/json',
  'application/rdf+xml',
  'application/x.atom+xml',
  'application/x-atom+xml',
  'application/x-rss+xml',
])

/**
 * Feeds a page declares with `<link rel="alternate" type="application/rss+xml" href="…">` (and the
 * Atom, JSON Feed and RDF types), in page order, without repeats, hrefs made absolute against
 * `<base href>` and then the page URL.
 */
export function discoverFeeds(html: string, ctx: { url: string }): DiscoveredFeed[] {
  const found: Array<{ href: string; title: string | null; type: string }> = []
  let base: string | null = null
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'base' && base === null && attrs.href) base = resolveUrl(attrs.href, resolveUrl(ctx.url, null))
        if (name !== 'link' || !attrs.href) return
        const rels = (attrs.rel ?? '').toLowerCase().split(/\s+/)
        if (!rels.includes('alternate') && !rels.includes('feed')) return
        const type = (attrs.type ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
        if (!FEED_TYPES.has(type)) return
        // WordPress marks its REST API documents as alternate application/json; they are not feeds.
        if (type === 'application/json' && /\/wp-json\/|[?&]rest_route=|oembed/i.test(attrs.href)) return
        const title = attrs.title ? collapse(attrs.title) : ''
        found.push({ href: attrs.href, title: title === '' ? null : title, type })
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true },
  )
  parser.write(html)
  parser.end()

  const pageUrl = resolveUrl(ctx.url, null)
  const out: DiscoveredFeed[] = []
  for (const f of found) {
    const url = resolveUrl(f.href, base ?? pageUrl)
    if (url && !out.some((o) => o.url === url)) out.push({ url, title: f.title, type: f.type })
  }
  return out
}

const COMMON_PATHS = ['feed', 'rss.xml', 'atom.xml', 'feed.xml', 'index.xml', 'feed.json', 'rss']

/**
 * Where feeds usually live, for a site that declares none: under the page's directory first (a blog at
 * `/blog/`), then at the site root. WordPress, Jekyll, Hugo and friends cover most of the web between them.
 */
export function guessFeedUrls(siteUrl: string): string[] {
  const site = resolveUrl(siteUrl, null)
  if (!site) return []
  const u = new URL(site)
  const path = u.pathname
  const lastSegment = path.slice(path.lastIndexOf('/') + 1)
  // `/blog/post.html` lives in `/blog/`; `/blog` is most likely the directory itself.
  const dir = path.endsWith('/') ? path : lastSegment.includes('.') ? path.slice(0, path.lastIndexOf('/') + 1) : `${path}/`
  const dirs = dir === '/' ? ['/'] : [dir, '/']
  const out: string[] = []
  for (const d of dirs) {
    for (const p of COMMON_PATHS) {
      const url = `${u.origin}${d}${p}`
      if (!out.includes(url)) out.push(url)
    }
  }
  return out
}
