import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { articlePage, synthArticle, type Lexicon, type SynthOptions } from './synth.js'

export interface Publisher {
  base: string
  hits: { feeds: number; pages: number; other: number }
  close(): Promise<void>
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * `feeds` RSS feeds of `items` items each on 127.0.0.1: `/feed/<f>.xml` lists `/a/<f>/<n>`, whose page
 * is article f·items+n of the synthetic world, generated on request (nothing is held in memory).
 */
export async function startPublisher(lex: Lexicon, synth: SynthOptions, shape: { feeds: number; items: number }): Promise<Publisher> {
  const epoch = Date.now()
  // Published over the last hours, newest first, so nothing looks stale to the pipeline.
  const publishedAt = (f: number, n: number) => new Date(epoch - 60_000 - n * 37 * 60_000 - (f % 600) * 1000)
  const hits = { feeds: 0, pages: 0, other: 0 }
  let base = ''
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/'
    const send = (type: string, body: string) => { res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }); res.end(body) }
    let m = /^\/feed\/(\d+)\.xml$/.exec(url)
    if (m && Number(m[1]) < shape.feeds) {
      hits.feeds++
      const f = Number(m[1])
      const items = Array.from({ length: shape.items }, (_, n) => {
        const a = synthArticle(lex, synth, f * shape.items + n)
        const first = a.paragraphs[0]!.split('. ')[0]!
        return `<item><guid isPermaLink="false">bench-${f}-${n}</guid><title>${esc(a.title)}</title><link>${base}/a/${f}/${n}</link>`
          + `<pubDate>${publishedAt(f, n).toUTCString()}</pubDate><description>${esc(first)}</description></item>`
      })
      return send('application/rss+xml', `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet ${f}</title>`
        + `<link>${base}/</link><description>Synthetic outlet ${f}</description>\n${items.join('\n')}\n</channel></rss>`)
    }
    m = /^\/a\/(\d+)\/(\d+)$/.exec(url)
    if (m && Number(m[1]) < shape.feeds && Number(m[2]) < shape.items) {
      hits.pages++
      const f = Number(m[1])
      const n = Number(m[2])
      const a = synthArticle(lex, synth, f * shape.items + n)
      return send('text/html; charset=utf-8', articlePage(a, { site: `Outlet ${f}`, feed: f, published: publishedAt(f, n) }))
    }
    hits.other++
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}
