/*
 * A hostile publisher for browser tests: feeds and article pages that carry the XSS corpus everywhere a
 * publisher controls text or markup. Two RSS feeds carry the same payloads in the two ways XML can hold
 * HTML (CDATA sections and entity-escaped text), an Atom feed carries them as `type="html"` and as inline
 * XHTML, and the item links lead to pages on this server with the payloads in their bodies (ten pages of
 * about ten payloads, and one page with all of them, published twice so that the two copies make a story).
 * Some items link to pages that are gone, so that their feed content becomes the article.
 *
 * Besides the corpus, the feeds and pages try the fields that end up in attributes of our pages (links,
 * GUIDs used as links, images, canonical and alternate links, author names): each sets a flag named
 * `__xss_pub_<what>` if it ever runs. The payloads go in as written, C0 control characters included: XML
 * forbids them, and a publisher's feed carries them anyway.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { XSS_FLAG_PREFIX, type XssPayload } from './xss-corpus.js'

/** A word every malicious article contains, for /search. */
export const SEARCH_WORD = 'quayside'
/** The category every malicious item carries besides a payload one, so there is a tag page. */
export const SAFE_TAG = 'harbourworks'

const flag = (what: string) => `${XSS_FLAG_PREFIX}pub_${what}`
const js = (what: string) => `javascript:window.${flag(what)}=1`
const topJs = (what: string) => `javascript:top.${flag(what)}=1`


const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const escapeAttr = (s: string) => escapeXml(s).replace(/"/g, '&quot;')
/** A CDATA section holds anything but `]]>`, which is split across two sections. */
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`

const FILLER = [
  `Crews on the ${SEARCH_WORD} began replacing the timber fenders of the north pier on Monday, the harbour office said.`,
  'The work is expected to last six weeks, and the ferry to the islands will berth at the south pier in the meantime.',
  'Fishermen asked for the slipway to stay open at night, and the office agreed to keep one lane lit until the end of the month.',
]

export interface MaliciousPublisher {
  /** Feed paths to subscribe to (relative to the server's base). */
  feeds: string[]
  /** Answers a request if it is one of ours; false if not. */
  handle(req: IncomingMessage, res: ServerResponse, base: string): boolean
  /** Which payloads each page path carries. */
  pages: Map<string, XssPayload[]>
}

export function maliciousPublisher(payloads: XssPayload[]): MaliciousPublisher {
  const chunks: XssPayload[][] = []
  for (let i = 0; i < payloads.length; i += 10) chunks.push(payloads.slice(i, i + 10))
  // Titles are text everywhere: the payloads that try to leave a text or attribute context go there.
  const titled = payloads.filter((p) => ['breakout', 'script', 'rawtext', 'entity', 'template'].includes(p.family))
  const pages = new Map<string, XssPayload[]>()
  chunks.forEach((c, i) => pages.set(`/pages/${i}.html`, c))
  pages.set('/pages/all.html', payloads)
  pages.set('/pages/all-copy.html', payloads)

  const body = (ps: XssPayload[]) => ps.map((p, i) => `<p>${FILLER[i % FILLER.length]}</p>\n${p.html}\n`).join('')
  const page = (base: string, title: string, ps: XssPayload[]) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${escapeXml(title)}</title>
<link rel="canonical" href="${topJs('canonical')}">
<link rel="alternate" hreflang="fr" href="${js('alternate')}">
<meta property="og:image" content="${js('og_image')}">
<meta name="author" content="&lt;img src=x onerror=&quot;window.${flag('meta_author')}=1&quot;&gt;">
<script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: title, author: { '@type': 'Person', name: `<img src=x onerror="window.${flag('ld_author')}=1">`, url: js('ld_author') } }).replace(/</g, '\\u003c')}</script>
</head><body><nav><a href="/">Home</a> <a href="${js('nav')}">Menu</a></nav>
<article><h1>${escapeXml(title)}</h1>
${body(ps)}
<p>${FILLER[0]} ${FILLER[1]} ${FILLER[2]}</p>
</article></body></html>`

  const date = (i: number) => new Date(Date.now() - (i + 1) * 60_000).toUTCString()
  const categories = (p: XssPayload, wrap: (s: string) => string) => `<category>${wrap(p.html)}</category><category>${SAFE_TAG}</category>`

  /** RSS with CDATA: items 0-9 lead to the ten pages, item 10 to the page with everything. */
  function rssCdata(base: string): string {
    const items = chunks.map((c, i) => {
      const t = titled[i % titled.length]!
      return `<item><guid isPermaLink="false">cdata-${i}</guid>
<title>${cdata(`Pier works log ${i}: ${t.html}`)}</title>
<link>${base}/pages/${i}.html</link><pubDate>${date(i)}</pubDate>
<author>${cdata(`desk@pier.example (<img src=x onerror="window.${flag('author')}=1">)`)}</author>
<description>${cdata(body(c))}</description>
<content:encoded>${cdata(body(c))}</content:encoded>
${categories(c[0]!, cdata)}
<enclosure url="${escapeAttr(js('enclosure'))}" type="image/jpeg" length="1"/>
<media:thumbnail url="${escapeAttr(js('thumbnail'))}"/>
</item>`
    })
    items.push(`<item><guid isPermaLink="false">cdata-all</guid><title>${cdata(`Pier works: the whole ${SEARCH_WORD} report`)}</title>
<link>${base}/pages/all.html</link><pubDate>${date(20)}</pubDate>
<description>${cdata(body(payloads))}</description>${categories(payloads[0]!, cdata)}</item>`)
    // A link no fetcher follows and a GUID that is not a web address: neither may become a link on our pages.
    items.push(`<item><guid isPermaLink="false">${escapeXml(js('item_guid'))}</guid><title>Pier works: a link that is not one</title>
<link>${escapeXml(js('item_link'))}</link><pubDate>${date(21)}</pubDate>
<description>${cdata(body(chunks[0]!))}</description></item>`)
    return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>${cdata(`Pier Gazette ${titled[0]!.html}`)}</title><link>${escapeXml(js('channel_link'))}</link>
<description>${cdata(body(chunks[1]!))}</description>
<image><url>${escapeXml(js('channel_image'))}</url><title>x</title><link>${base}/</link></image>
${items.join('\n')}
</channel></rss>`
  }

  /** RSS with entity-escaped HTML: items lead to pages that are gone, so the feed's content is the article. */
  function rssEscaped(base: string): string {
    const items = chunks.map((c, i) => {
      const t = titled[(i + 5) % titled.length]!
      const other = chunks[(i + 5) % chunks.length]!
      return `<item><guid isPermaLink="false">escaped-${i}</guid>
<title>${escapeXml(`Harbour desk ${i}: ${t.html}`)}</title>
<link>${base}/gone/${i}.html</link><pubDate>${date(30 + i)}</pubDate>
<description>${escapeXml(body(other))}</description>
<content:encoded>${escapeXml(body(c))}</content:encoded>
${categories(c[1] ?? c[0]!, escapeXml)}
</item>`
    })
    items.push(`<item><guid isPermaLink="false">escaped-all</guid><title>${escapeXml(`Harbour desk: the whole ${SEARCH_WORD} report`)}</title>
<link>${base}/pages/all-copy.html</link><pubDate>${date(45)}</pubDate>
<description>${escapeXml(body(payloads))}</description>${categories(payloads[1]!, escapeXml)}</item>`)
    return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>${escapeXml(`Harbour Desk ${titled[1]!.html}`)}</title><link>${base}/</link>
<description>${escapeXml(body(chunks[2]!))}</description>
${items.join('\n')}
</channel></rss>`
  }

  /** Atom: `type="html"` (escaped) and inline XHTML (raw markup in the feed), both feed-only. */
  function atom(base: string): string {
    const entries = chunks.map((c, i) => `<entry><id>urn:atom:${i}</id><title type="html">${escapeXml(`Slipway notes ${i}: ${titled[(i + 3) % titled.length]!.html}`)}</title>
<link rel="alternate" href="${base}/gone/atom-${i}.html"/><updated>${new Date(Date.now() - (50 + i) * 60_000).toISOString()}</updated>
<author><name>${escapeXml(`<svg onload="window.${flag('author')}=1">`)}</name><uri>${escapeXml(js('author'))}</uri></author>
<summary type="html">${escapeXml(body(c))}</summary>
${i % 2 === 0
    // Inline XHTML must be well-formed XML, which most payloads are not: they go in as text there, and as markup in the html summary.
    ? `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>${FILLER[0]}</p><p>${escapeXml(c.map((p) => p.html).join(' '))}</p><p><a href="${escapeAttr(js('xhtml_link'))}">x</a><img src="x" onerror="window.${flag('xhtml_img')}=1"/></p></div></content>`
    : `<content type="html">${escapeXml(body(c))}</content>`}
</entry>`)
    return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">${escapeXml(`Slipway Weekly ${titled[2]!.html}`)}</title><id>urn:atom:feed</id>
<link rel="alternate" href="${base}/"/><updated>${new Date().toISOString()}</updated>
${entries.join('\n')}
</feed>`
  }

  return {
    feeds: ['/feeds/cdata.xml', '/feeds/escaped.xml', '/feeds/atom.xml'],
    pages,
    handle(req, res, base) {
      const send = (type: string, text: string) => { res.writeHead(200, { 'content-type': type }); res.end(text); return true }
      const path = (req.url ?? '/').split('?')[0]!
      if (path === '/feeds/cdata.xml') return send('application/rss+xml; charset=utf-8', rssCdata(base))
      if (path === '/feeds/escaped.xml') return send('application/rss+xml; charset=utf-8', rssEscaped(base))
      if (path === '/feeds/atom.xml') return send('application/atom+xml; charset=utf-8', atom(base))
      const ps = pages.get(path)
      if (ps) {
        const title = path.includes('all') ? `Pier works: the whole ${SEARCH_WORD} report` : `Pier works log ${path.replace(/\D/g, '')}`
        return send('text/html; charset=utf-8', page(base, title, ps))
      }
      return false
    },
  }
}
