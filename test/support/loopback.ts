import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createFetcher, type FetchConfig, type FetcherDeps } from '../../src/pipeline/fetch/fetcher.js'

/** A made-up publisher: `handler` served on a free port of a loopback address. */
export async function serveLoopback(handler: RequestListener, address = '127.0.0.1'): Promise<{ server: Server; base: string }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, address, resolve))
  return { server, base: `http://${address}:${(server.address() as AddressInfo).port}` }
}

/** The real fetcher, allowed to reach the given loopback publishers (and nothing else private), unpaced. */
export function loopbackFetcher(bases: string[], over: Partial<FetchConfig> = {}, deps?: FetcherDeps): ReturnType<typeof createFetcher> {
  return createFetcher({
    timeoutMs: 2000, maxBodyBytes: 500_000, maxRedirects: 3, userAgent: 'Tidings-test', allowPrivate: false,
    allowHosts: bases.map((b) => new URL(b).host), perHostConcurrency: 4, perHostIntervalMs: 0, respectRobots: true,
    ...over,
  }, deps)
}
