/**
 * WebSub glue (I/O): subscribes sources to the hubs their feeds declare, answers the hub's callbacks
 * (verification of intent, pushed content) and renews leases. The decisions are pure functions in
 * websub/websub.ts; pushed feeds are stored through the one orchestrator's ingestFeed.
 */
import http from 'node:http'
import https from 'node:https'
import { randomBytes } from 'node:crypto'
import { promises as dns } from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'
import type { FetchResponse, IsoDate, ParsedFeed, Source, WebSubSubscription } from '../domain/types.js'
import { err, ok, stageError, type Result, type StageError } from '../domain/result.js'
import type { IngestDeps } from './deps.js'
import { eachLimited } from './each-limited.js'
import { isAllowedHost, isPrivateAddress } from './fetch/address-guard.js'
import { ingestFeed } from './ingest.js'
import { parseFeedBytes } from './parse/parse-feed.js'
import {
  callbackUrl, checkIntent, checkSignature, discoverWebSub, pushActiveUntil, readHubAnswer, renewalTime, subscriptionRequest,
} from './websub/websub.js'

const MINUTE = 60_000
/** A hub that has not verified within this long is asked again. */
const VERIFY_WAIT_MS = 60 * MINUTE
/** After a hub could not be reached or refused the request. */
const RETRY_AFTER_FAILURE_MS = 6 * 60 * MINUTE
/** After a hub denied the subscription (its decision; ask again much later). */
const RETRY_AFTER_DENIAL_MS = 24 * 60 * MINUTE
/** A renewal that failed while the lease still runs is tried again this soon. */
const RETRY_RENEWAL_MS = 30 * MINUTE
const HUB_ANSWER_BYTES = 4096
const RENEW_BATCH = 50
/** Pushed updates ingested at once, and waiting at most; beyond that the hub is told to retry (503). */
const PUSH_CONCURRENCY = 2
const MAX_QUEUED_PUSHES = 32
const RENEW_CONCURRENCY = 4

export interface HubPostConfig {
  timeoutMs: number
  userAgent: string
  allowPrivate: boolean
  allowHosts: readonly string[]
}

export interface WebSubOptions {
  /** Public origin our callback lives under (BASE_URL). */
  baseUrl: string
  leaseSeconds: number
  /** With nothing heard from the hub for this long, push is not relied on (normal polling resumes). */
  maxSilenceMs: number
  post: HubPostConfig
}

export type PostForm = (req: { url: string; contentType: string; body: string }) => Promise<Result<{ status: number; bodyText: string }>>

export interface CallbackAnswer {
  status: 200 | 202 | 404 | 410 | 503
  body: string
}

export interface WebSubSync {
  /** After each successful poll of a feed source (IngestDeps.onFeedFetched): notices a declared hub in the background. */
  feedFetched(source: Source, res: FetchResponse, feed: ParsedFeed): void
  /** Subscribes the source when the fetched feed declares a hub (and stops renewing when it no longer does). */
  noticeFeed(source: Source, res: FetchResponse, feed: ParsedFeed): Promise<void>
  /** Starts renewing leases and retrying pending or refused subscriptions whose time has come (scheduler tick); returns at once. */
  renewDue(): Promise<void>
  /** GET /websub/:token — verification of intent or denial. */
  verify(token: string, query: Record<string, string | undefined>): Promise<CallbackAnswer>
  /** POST /websub/:token — pushed content; answers at once, ingests in the background. */
  receive(token: string, push: { contentType: string | null; signature: string | null; body: Uint8Array }): Promise<CallbackAnswer>
  /** Resolves when background work (hub requests, pushed ingests) started so far has finished. */
  idle(): Promise<void>
}

export function createWebSubSync(deps: IngestDeps, opts: WebSubOptions): WebSubSync {
  const postForm = createHubPoster(opts.post)
  const background = new Set<Promise<unknown>>()
  const queue: (() => Promise<void>)[] = []
  let running = 0

  const iso = (ms: number): IsoDate => new Date(ms).toISOString()
  const track = (p: Promise<unknown>): void => {
    const t = p.catch((e) => console.error('websub:', e)).finally(() => background.delete(t))
    background.add(t)
  }
  const activeUntil = (s: WebSubSubscription): IsoDate | null => pushActiveUntil(s, { now: deps.now(), maxSilenceMs: opts.maxSilenceMs })

  /** Asks the hub (again); state is recorded before the POST since a hub may verify before it answers. */
  async function request(sub: WebSubSubscription): Promise<void> {
    const now = deps.now().getTime()
    const renewing = sub.state === 'active'
    // A lapsed lease stays `expired` (shown as such) until the hub confirms again.
    const state = renewing || sub.state === 'expired' ? sub.state : 'pending'
    await deps.store.updateWebSub(sub.sourceId, { state, requestedAt: iso(now), renewAt: iso(now + VERIFY_WAIT_MS) })
    const form = subscriptionRequest({
      mode: 'subscribe', hub: sub.hub, topic: sub.topic, callback: callbackUrl(opts.baseUrl, sub.token), leaseSeconds: opts.leaseSeconds, secret: sub.secret,
    })
    const res = await postForm({ url: form.url, contentType: form.contentType, body: form.body })
    const answer = res.ok ? readHubAnswer({ ...res.value, hub: sub.hub }) : res
    if (answer.ok) return
    await recordFailure(sub, answer.error, renewing)
  }

  async function recordFailure(sub: WebSubSubscription, e: StageError, renewing: boolean): Promise<void> {
    const now = deps.now().getTime()
    const error = { lastErrorCode: e.code, lastErrorMessage: e.message.slice(0, 1000) }
    // A failed renewal leaves the running lease alone; a failed first request means no push.
    if (renewing) await deps.store.updateWebSub(sub.sourceId, { ...error, renewAt: iso(now + RETRY_RENEWAL_MS) })
    else await deps.store.updateWebSub(sub.sourceId, { ...error, state: 'denied', renewAt: iso(now + RETRY_AFTER_FAILURE_MS), pushActiveUntil: null })
  }

  async function noticeFeed(source: Source, res: FetchResponse, feed: ParsedFeed): Promise<void> {
    if (source.kind !== 'feed') return
    const linkHeader = res.headers['link'] ?? null
    const target = discoverWebSub({ linkHeader, feed, url: res.url })
    const existing = await deps.store.getWebSub(source.id)
    if (!target) {
      // The feed stopped naming a hub: let the lease run out instead of renewing it.
      if (existing && existing.renewAt !== null) await deps.store.updateWebSub(source.id, { renewAt: null })
      return
    }
    if (existing && existing.hub === target.hub && existing.topic === target.topic) {
      // Known hub: renewals and retries run from renewDue; only one stopped earlier is restarted here.
      if (existing.renewAt === null) await request(existing)
      return
    }
    const sub = await deps.store.putWebSub({
      sourceId: source.id, hub: target.hub, topic: target.topic,
      token: randomBytes(24).toString('base64url'), secret: randomBytes(32).toString('base64url'), renewAt: null,
    }, deps.now().toISOString())
    await request(sub)
  }

  /** One round at a time, in the background: a slow hub must not hold up the scheduler's polling. */
  let renewing: Promise<void> | null = null
  function renewDue(): Promise<void> {
    if (!renewing) {
      renewing = renewRound().finally(() => (renewing = null))
      track(renewing)
    }
    return Promise.resolve()
  }

  async function renewRound(): Promise<void> {
    const now = deps.now()
    const due = await deps.store.dueWebSubs(now.toISOString(), RENEW_BATCH)
    await eachLimited(due, RENEW_CONCURRENCY, async (sub) => {
      let current = sub
      if (sub.state === 'active' && sub.leaseExpiresAt && Date.parse(sub.leaseExpiresAt) <= now.getTime()) {
        await deps.store.updateWebSub(sub.sourceId, { state: 'expired', pushActiveUntil: null })
        current = { ...sub, state: 'expired' }
      }
      await request(current)
    }, (e, sub) => console.error(`websub: renewing the subscription of source ${sub.sourceId} failed`, e))
  }

  async function verify(token: string, query: Record<string, string | undefined>): Promise<CallbackAnswer> {
    const sub = await deps.store.findWebSubByToken(token)
    const check = checkIntent(query, sub)
    if (!sub || check.kind === 'reject') return { status: 404, body: 'not found' }
    const now = deps.now()
    if (check.kind === 'denied') {
      await deps.store.updateWebSub(sub.sourceId, {
        state: 'denied', lastErrorCode: 'websub_denied', lastErrorMessage: `the hub ${sub.hub} denied the subscription${check.reason ? `: ${check.reason}` : ''}`,
        renewAt: iso(now.getTime() + RETRY_AFTER_DENIAL_MS), pushActiveUntil: null,
      })
      return { status: 200, body: '' }
    }
    const leaseSeconds = check.leaseSeconds ?? opts.leaseSeconds
    const active: WebSubSubscription = {
      ...sub, state: 'active', leaseSeconds, leaseExpiresAt: iso(now.getTime() + leaseSeconds * 1000), verifiedAt: now.toISOString(),
      renewAt: renewalTime({ verifiedAt: now, leaseSeconds, random: deps.random }), lastErrorCode: null, lastErrorMessage: null,
    }
    await deps.store.updateWebSub(sub.sourceId, {
      state: active.state, leaseSeconds, leaseExpiresAt: active.leaseExpiresAt, verifiedAt: active.verifiedAt, renewAt: active.renewAt,
      lastErrorCode: null, lastErrorMessage: null, pushActiveUntil: activeUntil(active),
    })
    return { status: 200, body: check.challenge }
  }

  async function receive(token: string, push: { contentType: string | null; signature: string | null; body: Uint8Array }): Promise<CallbackAnswer> {
    const sub = await deps.store.findWebSubByToken(token)
    // 410 tells the hub this subscription is gone, so it stops pushing.
    if (!sub) return { status: 410, body: 'gone' }
    const sig = checkSignature({ header: push.signature, body: push.body, secret: sub.secret })
    if (!sig.valid) {
      // Acknowledged all the same (the spec allows it, and a forger learns nothing), but not stored.
      await deps.store.updateWebSub(sub.sourceId, { lastErrorCode: sig.code, lastErrorMessage: sig.message })
      return { status: 202, body: 'ignored' }
    }
    if (queue.length >= MAX_QUEUED_PUSHES) return { status: 503, body: 'busy, retry later' }
    queue.push(() => ingestPush(sub, push))
    pump()
    return { status: 202, body: 'accepted' }
  }

  function pump(): void {
    while (running < PUSH_CONCURRENCY && queue.length > 0) {
      const job = queue.shift()!
      running++
      track(job().finally(() => {
        running--
        pump()
      }))
    }
  }

  async function ingestPush(sub: WebSubSubscription, push: { contentType: string | null; body: Uint8Array }): Promise<void> {
    const source = await deps.store.getSource(sub.sourceId)
    if (!source) return
    const parsed = parseFeedBytes(push.body, { contentType: push.contentType, url: sub.topic })
    if (!parsed.ok) {
      await deps.store.updateWebSub(sub.sourceId, { lastErrorCode: parsed.error.code, lastErrorMessage: `pushed update: ${parsed.error.message}`.slice(0, 1000) })
      return
    }
    await ingestFeed(deps, source, parsed.value)
    const current = (await deps.store.getWebSub(sub.sourceId)) ?? sub
    const now = deps.now().toISOString()
    const heard = { ...current, lastPushAt: now }
    await deps.store.updateWebSub(sub.sourceId, {
      lastPushAt: now, lastErrorCode: null, lastErrorMessage: null, ...(current.state === 'active' ? { pushActiveUntil: activeUntil(heard) } : {}),
    })
  }

  return {
    feedFetched(source, res, feed) {
      track(noticeFeed(source, res, feed))
    },
    noticeFeed,
    renewDue,
    verify,
    receive,
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background])
    },
  }
}

const hubError = (code: string, message: string, extra: Partial<StageError> = {}): StageError => stageError('fetch', code, message, extra)

/**
 * A form POST to a hub with the fetcher's SSRF guard: the hub URL comes from a feed, so it is
 * checked like any feed URL (after DNS, on the address actually connected to). No redirects.
 */
export function createHubPoster(cfg: HubPostConfig, lookup: (host: string) => Promise<{ address: string; family: number }[]> = (h) => dns.lookup(h, { all: true, verbatim: true })): PostForm {
  return async (req) => {
    let url: URL
    try {
      url = new URL(req.url)
    } catch {
      return err(hubError('invalid_url', `not a valid hub URL: ${JSON.stringify(req.url)}`))
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(hubError('unsupported_protocol', `hubs must be http or https, not ${url.protocol}`))
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    const port = url.port || (url.protocol === 'https:' ? '443' : '80')
    let addresses: { address: string; family: number }[]
    const literal = isIP(host)
    if (literal) addresses = [{ address: host, family: literal }]
    else {
      try {
        addresses = await lookup(host)
      } catch (e) {
        return err(hubError('dns_error', `could not resolve the hub ${host}`, { retryable: true, cause: e }))
      }
    }
    const first = addresses[0]
    if (!first) return err(hubError('dns_error', `no address found for the hub ${host}`, { retryable: true }))
    if (!cfg.allowPrivate && !isAllowedHost(host, port, cfg.allowHosts) && addresses.some((a) => isPrivateAddress(a.address))) {
      return err(hubError('blocked_private_address', `refused to contact the hub ${url.href}: it is a private or reserved address`))
    }
    const pinned: LookupFunction = (_h, options, cb) => {
      if (options.all) cb(null, [{ address: first.address, family: first.family }])
      else cb(null, first.address, first.family)
    }
    return new Promise((resolve) => {
      const body = Buffer.from(req.body)
      let done = false
      const finish = (r: Result<{ status: number; bodyText: string }>): void => {
        if (done) return
        done = true
        clearTimeout(timer)
        resolve(r)
      }
      const hreq = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol, hostname: host, port, path: `${url.pathname}${url.search}`, method: 'POST', lookup: pinned,
        headers: { 'content-type': req.contentType, 'content-length': String(body.length), 'user-agent': cfg.userAgent },
      })
      const timer = setTimeout(() => {
        finish(err(hubError('timeout', `the hub ${url.host} did not answer within ${cfg.timeoutMs} ms`, { retryable: true })))
        hreq.destroy()
      }, cfg.timeoutMs)
      hreq.on('error', (e) => finish(err(hubError('connection_error', `could not reach the hub ${url.host}: ${e.message}`, { retryable: true, cause: e }))))
      hreq.on('response', (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          // Only the start of the answer is kept (an error message); the rest is not read.
          if (size < HUB_ANSWER_BYTES) chunks.push(c)
          size += c.length
          if (size >= HUB_ANSWER_BYTES) res.destroy()
        })
        const end = () => finish(ok({ status: res.statusCode ?? 0, bodyText: Buffer.concat(chunks).subarray(0, HUB_ANSWER_BYTES).toString('utf8') }))
        res.on('end', end)
        res.on('close', end)
        res.on('error', end)
      })
      hreq.end(body)
    })
  }
}
