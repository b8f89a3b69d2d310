/**
 * WebSub (W3C Recommendation, 2018) as plain data: where a feed's hub is, what to send it, whether a
 * verification request or a pushed body is to be trusted, and when to renew. No I/O: the sync module
 * (pipeline/websub-sync.ts) does the talking, the store keeps the state.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IsoDate, WebSubSubscription } from '../../domain/types.js'
import { err, ok, stageError, type Result } from '../../domain/result.js'

export interface WebSubTarget {
  hub: string
  /** The topic URL to subscribe to: the feed's self URL when it declares one. */
  topic: string
}

/**
 * The hub and topic a fetched feed declares. HTTP `Link` headers come first (the spec's primary
 * discovery), then the feed's own `rel="hub"` / `rel="self"`; without a self URL the fetched URL is
 * the topic. Null when no usable http(s) hub is declared.
 */
export function discoverWebSub(input: {
  linkHeader: string | null | undefined
  /** The parsed feed's hub and links (`rel="self"` among them), resolved by the parser. */
  feed: { hub: string | null; links?: readonly { rel: string; href: string }[] } | null
  url: string
}): WebSubTarget | null {
  const links = parseLinkHeader(input.linkHeader ?? '', input.url)
  const hub = httpUrl(links.find((l) => l.rels.includes('hub'))?.url) ?? httpUrl(input.feed?.hub)
  if (!hub) return null
  const self = input.feed?.links?.find((l) => l.rel.toLowerCase() === 'self')?.href
  const topic = httpUrl(links.find((l) => l.rels.includes('self'))?.url) ?? httpUrl(self) ?? httpUrl(input.url)
  return topic ? { hub, topic } : null
}

function httpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null
  try {
    const u = new URL(raw)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null
  } catch {
    return null
  }
}

/** `<url>; rel="a b", <url2>; rel=c` → targets with their rel values (lower-cased), relative URLs resolved. */
export function parseLinkHeader(header: string, base: string): { url: string; rels: string[] }[] {
  const out: { url: string; rels: string[] }[] = []
  // One link-value is `<…>` followed by parameters up to the next top-level comma.
  const re = /<([^>]*)>((?:\s*;\s*[^;,=\s]+(?:\s*=\s*(?:"[^"]*"|[^;,]*))?)*)/g
  for (const m of header.matchAll(re)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(m[2] ?? '')
    if (!rel) continue
    let url: string
    try {
      url = new URL(m[1]!.trim(), base).href
    } catch {
      continue
    }
    out.push({ url, rels: (rel[1] ?? rel[2] ?? '').toLowerCase().split(/\s+/).filter(Boolean) })
  }
  return out
}

/** Where the hub calls us back for one subscription; `baseUrl` is the public origin (may carry a path). */
export function callbackUrl(baseUrl: string, token: string): string {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`
  return new URL(`websub/${encodeURIComponent(token)}`, base).href
}

export interface SubscriptionRequest {
  url: string
  contentType: 'application/x-www-form-urlencoded'
  body: string
}

/** The form POSTed to the hub to subscribe or unsubscribe (WebSub §5.1). */
export function subscriptionRequest(p: {
  mode: 'subscribe' | 'unsubscribe'
  hub: string
  topic: string
  callback: string
  leaseSeconds?: number | null
  secret?: string | null
}): SubscriptionRequest {
  const form = new URLSearchParams({ 'hub.callback': p.callback, 'hub.mode': p.mode, 'hub.topic': p.topic })
  if (p.mode === 'subscribe' && p.leaseSeconds) form.set('hub.lease_seconds', String(p.leaseSeconds))
  if (p.mode === 'subscribe' && p.secret) {
    // The spec caps the secret at 200 bytes; ours are 43 characters of base64url.
    if (Buffer.byteLength(p.secret) >= 200) throw new Error('websub: secret must be under 200 bytes')
    form.set('hub.secret', p.secret)
  }
  return { url: p.hub, contentType: 'application/x-www-form-urlencoded', body: form.toString() }
}

/** The hub's answer to a subscription request: 2xx (202 Accepted, usually) means "will verify". */
export function readHubAnswer(a: { status: number; bodyText: string; hub: string }): Result<true> {
  if (a.status >= 200 && a.status < 300) return ok(true)
  const detail = a.bodyText.replace(/\s+/g, ' ').trim().slice(0, 200)
  return err(stageError('fetch', 'websub_hub_refused', `the hub ${a.hub} answered HTTP ${a.status}${detail ? `: ${detail}` : ''}`, {
    status: a.status, retryable: a.status >= 500 || a.status === 429,
  }))
}

export type IntentCheck =
  /** Answer 200 with `challenge` as the body; the subscription is active for `leaseSeconds`. */
  | { kind: 'confirm'; challenge: string; leaseSeconds: number | null }
  /** The hub refused the subscription (answer 200, record the reason). */
  | { kind: 'denied'; reason: string | null }
  /** Not something we asked for: answer 404 (the spec's way to say "no"). */
  | { kind: 'reject'; why: string }

const MAX_CHALLENGE = 1024

/**
 * Checks a verification of intent (GET on the callback, WebSub §5.3): confirmed only for a
 * subscribe we asked for (pending; active or expired when renewing) and the topic we asked for. We never send
 * unsubscribe requests (an unknown callback answers 410 to pushes instead), so those are refused.
 */
export function checkIntent(
  query: Record<string, string | undefined>,
  sub: Pick<WebSubSubscription, 'topic' | 'state'> | null,
): IntentCheck {
  if (!sub) return { kind: 'reject', why: 'unknown subscription' }
  const mode = query['hub.mode']
  const topic = query['hub.topic']
  if (!topic || !sameTopic(topic, sub.topic)) return { kind: 'reject', why: 'topic does not match' }
  if (mode === 'denied') return { kind: 'denied', reason: query['hub.reason']?.slice(0, 500) || null }
  if (mode !== 'subscribe') return { kind: 'reject', why: `mode ${JSON.stringify(mode ?? null)} was not requested` }
  if (sub.state === 'denied') return { kind: 'reject', why: `subscription is ${sub.state}` }
  const challenge = query['hub.challenge']
  if (!challenge || challenge.length > MAX_CHALLENGE) return { kind: 'reject', why: 'missing or oversized challenge' }
  const lease = Number(query['hub.lease_seconds'])
  return { kind: 'confirm', challenge, leaseSeconds: Number.isSafeInteger(lease) && lease > 0 ? lease : null }
}

/** Exact match as the spec wants, tolerating only what URL normalisation changes (`HTTP://A.example` vs `http://a.example/`). */
function sameTopic(a: string, b: string): boolean {
  if (a === b) return true
  try {
    return new URL(a).href === new URL(b).href
  } catch {
    return false
  }
}

const SIGNATURE_ALGORITHMS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512' }

export type SignatureCheck = { valid: true } | { valid: false; code: 'websub_unsigned' | 'websub_bad_signature'; message: string }

/**
 * Authenticated content distribution (WebSub §7): `X-Hub-Signature: sha256=<hex HMAC of the raw
 * body>`, compared in constant time. When we hold no secret there is nothing to check.
 */
export function checkSignature(p: { header: string | null | undefined; body: Uint8Array; secret: string | null }): SignatureCheck {
  if (!p.secret) return { valid: true }
  if (!p.header) return { valid: false, code: 'websub_unsigned', message: 'a pushed update came without X-Hub-Signature and was ignored' }
  const m = /^\s*([a-z0-9]+)=([0-9a-f]+)\s*$/i.exec(p.header)
  const algorithm = m ? SIGNATURE_ALGORITHMS[m[1]!.toLowerCase()] : undefined
  if (!m || !algorithm) {
    return { valid: false, code: 'websub_bad_signature', message: 'a pushed update had an unreadable X-Hub-Signature and was ignored' }
  }
  const expected = createHmac(algorithm, p.secret).update(p.body).digest()
  const given = Buffer.from(m[2]!.length % 2 === 0 ? m[2]! : '', 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, code: 'websub_bad_signature', message: 'a pushed update was not signed with our secret and was ignored' }
  }
  return { valid: true }
}

/** The value of `X-Hub-Signature` for a body (what a hub sends; used by tests and fake hubs). */
export function signBody(body: Uint8Array | string, secret: string, algorithm: 'sha1' | 'sha256' | 'sha384' | 'sha512' = 'sha256'): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(body).digest('hex')}`
}

/** Renew at 80–90% of the lease (random within, so subscriptions made together do not renew together). */
export function renewalTime(p: { verifiedAt: Date; leaseSeconds: number; random: () => number }): IsoDate {
  const fraction = 0.8 + 0.1 * p.random()
  return new Date(p.verifiedAt.getTime() + p.leaseSeconds * 1000 * fraction).toISOString()
}

/**
 * Until when push can be relied on: while active, the lease's end, cut short when nothing was
 * heard from the hub (confirmation or push) for `maxSilenceMs`. Null when push is not to be relied on.
 */
export function pushActiveUntil(
  sub: Pick<WebSubSubscription, 'state' | 'leaseExpiresAt' | 'verifiedAt' | 'lastPushAt'>,
  p: { now: Date; maxSilenceMs: number },
): IsoDate | null {
  if (sub.state !== 'active' || !sub.leaseExpiresAt) return null
  const heard = Math.max(Date.parse(sub.verifiedAt ?? '') || 0, Date.parse(sub.lastPushAt ?? '') || 0)
  const until = Math.min(Date.parse(sub.leaseExpiresAt), heard + p.maxSilenceMs)
  return Number.isFinite(until) && until > p.now.getTime() ? new Date(until).toISOString() : null
}
