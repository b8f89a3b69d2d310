/**
 * Serves the demo publisher on loopback, behaving like a well-run news site: validators and 304s,
 * gzip when asked, HEAD, 404s. The site is built after `listen` because its URLs need the real port.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { buildDemoSite } from './publisher.js'
import type { DemoResponse, DemoSite } from './publisher.js'

export interface DemoPublisher {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string
  close(): Promise<void>
}

export async function startDemoPublisher(opts: { port: number; host?: string; anchor: Date }): Promise<DemoPublisher> {
  const host = opts.host ?? '127.0.0.1'
  let site: DemoSite = new Map()
  const gzipped = new Map<string, Buffer>()

  const server = createServer((req, res) => {
    try {
      handle(req, res, site, gzipped)
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`demo publisher error: ${err instanceof Error ? err.message : String(err)}\n`)
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })

  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  site = buildDemoSite({ baseUrl: url, anchor: opts.anchor })

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections()
      }),
  }
}

function handle(req: IncomingMessage, res: ServerResponse, site: DemoSite, gzipped: Map<string, Buffer>): void {
  const method = req.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
    res.end('Method not allowed\n')
    return
  }
  const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname
  const entry = site.get(path)
  if (!entry) {
    if (site.has(`${path}/`)) {
      res.writeHead(301, { location: `${path}/`, 'content-type': 'text/plain; charset=utf-8' })
      res.end(method === 'HEAD' ? undefined : `Moved to ${path}/\n`)
      return
    }
    const body = 'Not found\n'
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) })
    res.end(method === 'HEAD' ? undefined : body)
    return
  }

  const useGzip = acceptsGzip(req.headers['accept-encoding'])
  // Like nginx: the gzipped variant's ETag is the weak form of the identity one.
  const etag = entry.etag ? (useGzip ? `W/${entry.etag}` : entry.etag) : undefined
  const headers: Record<string, string | number> = {
    'content-type': entry.contentType,
    'cache-control': 'public, max-age=60',
    vary: 'Accept-Encoding',
  }
  if (etag) headers.etag = etag
  if (entry.lastModified) headers['last-modified'] = entry.lastModified

  if (notModified(req, entry)) {
    res.writeHead(304, headers)
    res.end()
    return
  }

  let body: Uint8Array = entry.body
  if (useGzip) {
    let packed = gzipped.get(path)
    if (!packed) {
      packed = gzipSync(entry.body)
      gzipped.set(path, packed)
    }
    body = packed
    headers['content-encoding'] = 'gzip'
  }
  headers['content-length'] = body.byteLength
  res.writeHead(entry.status ?? 200, headers)
  res.end(method === 'HEAD' ? undefined : body)
}

/** If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); ETags compare weakly. */
function notModified(req: IncomingMessage, entry: DemoResponse): boolean {
  const inm = req.headers['if-none-match']
  if (inm !== undefined) {
    if (!entry.etag) return false
    const mine = stripWeak(entry.etag)
    return inm.split(',').some((tag) => {
      const t = tag.trim()
      return t === '*' || stripWeak(t) === mine
    })
  }
  const ims = req.headers['if-modified-since']
  if (ims !== undefined && entry.lastModified) {
    const since = Date.parse(ims)
    const modified = Date.parse(entry.lastModified)
    return Number.isFinite(since) && Number.isFinite(modified) && modified <= since
  }
  return false
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().split(';')
    if (coding.trim().toLowerCase() !== 'gzip' && coding.trim() !== '*') return false
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}
