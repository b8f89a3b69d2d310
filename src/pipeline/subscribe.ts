import type { ParsedFeed, Source } from '../domain/types.js'
import { err, ok, stageError, type Result } from '../domain/result.js'
import type { IngestDeps } from './deps.js'
import { decode } from './decode/decode.js'
import { parseFeedBytes } from './parse/parse-feed.js'
import { discoverFeeds, guessFeedUrls } from './parse/discover.js'
import { parseOpml } from './parse/opml.js'

export interface SubscribeResult {
  source: Source
  created: boolean
}

/**
 * Subscribes to a URL: a feed as it is, or an HTML page whose declared (or conventional) feed is
 * found. Nothing is stored when no feed can be found, and the reason is returned.
 */
export async function subscribe(deps: IngestDeps, rawUrl: string, opts: { title?: string | null } = {}): Promise<Result<SubscribeResult>> {
  const url = normalizeInputUrl(rawUrl)
  if (!url) return err(stageError('input', 'invalid_url', `Not a web address: "${rawUrl.slice(0, 200)}"`))
  const existing = await deps.store.findSourceByUrl(url)
  if (existing) return ok({ source: existing, created: false })

  const res = await deps.fetch({ url, purpose: 'feed' })
  if (!res.ok) return res
  const feed = parseFeedBytes(res.value.body, { contentType: res.value.headers['content-type'] ?? null, url: res.value.url })
  if (feed.ok) return ok(await addFeedSource(deps, res.value.url, feed.value, opts.title))

  // Not a feed: read it as a page and look for the feeds it declares, then the usual places.
  const html = decode(res.value.body, { contentType: res.value.headers['content-type'] ?? null, kind: 'html' }).text
  const declared = discoverFeeds(html, { url: res.value.url }).map((f) => f.url)
  const candidates = [...new Set([...declared, ...(declared.length ? [] : guessFeedUrls(res.value.url))])]
  for (const candidate of candidates.slice(0, 8)) {
    const known = await deps.store.findSourceByUrl(candidate)
    if (known) return ok({ source: known, created: false })
    const r = await deps.fetch({ url: candidate, purpose: 'feed' })
    if (!r.ok) continue
    const f = parseFeedBytes(r.value.body, { contentType: r.value.headers['content-type'] ?? null, url: r.value.url })
    if (f.ok) return ok(await addFeedSource(deps, candidate, f.value, opts.title, res.value.url))
  }
  return err(stageError('parse', 'no_feed_found', `${res.value.url} is not a feed and declares none (${feed.error.message})`))
}

async function addFeedSource(deps: IngestDeps, url: string, feed: ParsedFeed, title?: string | null, siteUrl?: string): Promise<SubscribeResult> {
  return deps.store.addSource({
    kind: 'feed',
    url,
    siteUrl: feed.link ?? siteUrl ?? null,
    title: title?.trim() || feed.title || null,
    description: feed.description,
    language: feed.language,
  }, deps.now().toISOString())
}

/** Accepts what people paste: missing scheme, feed: and feed:// forms, surrounding spaces. */
export function normalizeInputUrl(raw: string): string | null {
  let s = raw.trim().replace(/^feed:(\/\/)?/i, '')
  if (!s || /\s/.test(s)) return null
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) s = `https://${s}`
  try {
    const u = new URL(s)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
    u.hash = ''
    return u.toString()
  } catch {
    return null
  }
}

export interface ImportReport {
  added: number
  existing: number
  failed: { url: string; error: string }[]
}

/** Adds every feed of an OPML file as a source (fetched later by the scheduler, not now). */
export async function importOpml(deps: IngestDeps, text: string, onProgress?: (done: number, total: number) => void): Promise<Result<ImportReport>> {
  const parsed = parseOpml(text)
  if (!parsed.ok) return parsed
  const report: ImportReport = { added: 0, existing: 0, failed: [] }
  const outlines = parsed.value
  for (const [i, o] of outlines.entries()) {
    const url = normalizeInputUrl(o.xmlUrl)
    if (!url) {
      report.failed.push({ url: o.xmlUrl, error: 'not a web address' })
    } else {
      const r = await deps.store.addSource({ kind: 'feed', url, siteUrl: o.htmlUrl, title: o.title || null }, deps.now().toISOString())
      if (r.created) report.added++
      else report.existing++
    }
    onProgress?.(i + 1, outlines.length)
  }
  return ok(report)
}
