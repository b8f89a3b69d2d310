import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import {
  callbackUrl, checkIntent, checkSignature, discoverWebSub, parseLinkHeader, pushActiveUntil, readHubAnswer,
  renewalTime, signBody, subscriptionRequest,
} from './websub.js'

const FEED = 'https://paper.example/feed.xml'

test('discovery: Link headers first, then the feed’s hub and self link, then the fetched URL as topic', () => {
  const feed = { hub: 'https://hub.example/', links: [{ rel: 'alternate', href: 'https://paper.example/' }, { rel: 'self', href: 'https://paper.example/atom' }] }
  assert.deepEqual(discoverWebSub({ linkHeader: null, feed, url: FEED }), { hub: 'https://hub.example/', topic: 'https://paper.example/atom' })
  assert.deepEqual(
    discoverWebSub({ linkHeader: '</hub2>; rel="hub", <https://paper.example/topic>; rel=self', feed, url: FEED }),
    { hub: 'https://paper.example/hub2', topic: 'https://paper.example/topic' },
    'relative Link targets resolve against the fetched URL',
  )
  assert.deepEqual(discoverWebSub({ linkHeader: null, feed: { hub: 'https://hub.example/' }, url: FEED }), { hub: 'https://hub.example/', topic: FEED })
  assert.equal(discoverWebSub({ linkHeader: null, feed: { hub: null, links: feed.links }, url: FEED }), null)
  assert.equal(discoverWebSub({ linkHeader: null, feed: { hub: 'javascript:alert(1)' }, url: FEED }), null, 'only http(s) hubs')
  assert.equal(discoverWebSub({ linkHeader: '<not a url>; rel=hub', feed: null, url: FEED })?.hub, 'https://paper.example/not%20a%20url')
  assert.equal(discoverWebSub({ linkHeader: '<https://h.example/>; rel="nofollow"', feed: null, url: FEED }), null)
})

test('Link header: several links, several rel values, parameters in any order', () => {
  const links = parseLinkHeader('<https://a.example/>; title="x, y"; rel="hub alternate", <https://b.example/f>;rel=self;type="application/rss+xml"', 'https://base.example/')
  assert.deepEqual(links, [
    { url: 'https://a.example/', rels: ['hub', 'alternate'] },
    { url: 'https://b.example/f', rels: ['self'] },
  ])
  assert.deepEqual(parseLinkHeader('garbage;;;,,<', 'https://base.example/'), [])
})

test('the subscription request carries callback, mode, topic, lease and secret as a form', () => {
  const r = subscriptionRequest({ mode: 'subscribe', hub: 'https://hub.example/', topic: FEED, callback: 'https://me.example/websub/t1', leaseSeconds: 86400, secret: 's3cret' })
  assert.equal(r.url, 'https://hub.example/')
  assert.equal(r.contentType, 'application/x-www-form-urlencoded')
  const form = new URLSearchParams(r.body)
  assert.equal(form.get('hub.mode'), 'subscribe')
  assert.equal(form.get('hub.topic'), FEED)
  assert.equal(form.get('hub.callback'), 'https://me.example/websub/t1')
  assert.equal(form.get('hub.lease_seconds'), '86400')
  assert.equal(form.get('hub.secret'), 's3cret')
  const un = new URLSearchParams(subscriptionRequest({ mode: 'unsubscribe', hub: 'https://hub.example/', topic: FEED, callback: 'https://me.example/websub/t1', leaseSeconds: 86400, secret: 's' }).body)
  assert.equal(un.get('hub.mode'), 'unsubscribe')
  assert.equal(un.get('hub.secret'), null)
  assert.equal(un.get('hub.lease_seconds'), null)
  assert.throws(() => subscriptionRequest({ mode: 'subscribe', hub: 'h', topic: 't', callback: 'c', secret: 'x'.repeat(200) }), /200 bytes/)
})

test('callback URLs live under the public base URL, path prefix included', () => {
  assert.equal(callbackUrl('https://news.example.org', 'abc'), 'https://news.example.org/websub/abc')
  assert.equal(callbackUrl('https://example.org/news/', 'abc'), 'https://example.org/news/websub/abc')
})

test('the hub’s answer: 2xx accepted; errors keep the status and the start of the body', () => {
  assert.equal(readHubAnswer({ status: 202, bodyText: '', hub: 'https://hub.example/' }).ok, true)
  const refused = readHubAnswer({ status: 400, bodyText: 'hub.topic   not\nallowed', hub: 'https://hub.example/' })
  assert.equal(refused.ok, false)
  if (!refused.ok) {
    assert.equal(refused.error.code, 'websub_hub_refused')
    assert.match(refused.error.message, /HTTP 400: hub\.topic not allowed/)
    assert.equal(refused.error.retryable, false)
  }
  const down = readHubAnswer({ status: 503, bodyText: '', hub: 'https://hub.example/' })
  assert.equal(!down.ok && down.error.retryable, true)
})

test('verification of intent: only a subscribe we asked for, on our topic, with a challenge', () => {
  const pending = { topic: FEED, state: 'pending' as const }
  const q = { 'hub.mode': 'subscribe', 'hub.topic': FEED, 'hub.challenge': 'c-123', 'hub.lease_seconds': '3600' }
  assert.deepEqual(checkIntent(q, pending), { kind: 'confirm', challenge: 'c-123', leaseSeconds: 3600 })
  assert.deepEqual(checkIntent(q, { topic: FEED, state: 'active' }), { kind: 'confirm', challenge: 'c-123', leaseSeconds: 3600 }, 'renewal')
  assert.equal(checkIntent(q, { topic: FEED, state: 'expired' }).kind, 'confirm', 'asked again after the lease ran out')
  assert.deepEqual(checkIntent({ ...q, 'hub.lease_seconds': 'soon' }, pending), { kind: 'confirm', challenge: 'c-123', leaseSeconds: null }, 'unreadable lease: ours')
  assert.equal(checkIntent(q, null).kind, 'reject')
  assert.equal(checkIntent({ ...q, 'hub.topic': 'https://other.example/feed' }, pending).kind, 'reject')
  assert.equal(checkIntent({ ...q, 'hub.mode': 'unsubscribe' }, pending).kind, 'reject', 'we never ask to unsubscribe')
  assert.equal(checkIntent({ ...q, 'hub.challenge': '' }, pending).kind, 'reject')
  assert.equal(checkIntent({ ...q, 'hub.challenge': 'x'.repeat(5000) }, pending).kind, 'reject')
  assert.equal(checkIntent(q, { topic: FEED, state: 'denied' }).kind, 'reject')
  assert.equal(checkIntent({ ...q, 'hub.topic': 'HTTPS://PAPER.example/feed.xml' }, pending).kind, 'confirm', 'same URL after normalisation')
  assert.deepEqual(checkIntent({ 'hub.mode': 'denied', 'hub.topic': FEED, 'hub.reason': 'not allowed here' }, pending), { kind: 'denied', reason: 'not allowed here' })
  assert.deepEqual(checkIntent({ 'hub.mode': 'denied', 'hub.topic': FEED }, pending), { kind: 'denied', reason: null })
})

test('signatures: every algorithm the spec names, over the raw bytes, wrong or missing ones refused', () => {
  const body = new TextEncoder().encode('<feed>é</feed>')
  for (const alg of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
    const header = `${alg}=${createHmac(alg, 'k').update(body).digest('hex')}`
    assert.deepEqual(checkSignature({ header, body, secret: 'k' }), { valid: true }, alg)
    assert.equal(signBody(body, 'k', alg), header)
  }
  assert.equal(checkSignature({ header: signBody(body, 'k').toUpperCase().replace('SHA256', 'sha256'), body, secret: 'k' }).valid, true, 'hex case does not matter')
  const wrong = checkSignature({ header: signBody(body, 'other'), body, secret: 'k' })
  assert.equal(!wrong.valid && wrong.code, 'websub_bad_signature')
  const tampered = checkSignature({ header: signBody(body, 'k'), body: new TextEncoder().encode('<feed>e</feed>'), secret: 'k' })
  assert.equal(tampered.valid, false)
  const missing = checkSignature({ header: null, body, secret: 'k' })
  assert.equal(!missing.valid && missing.code, 'websub_unsigned')
  for (const header of ['md5=abcd', 'sha256', 'sha256=xyz', 'sha256=abc', '']) {
    assert.equal(checkSignature({ header, body, secret: 'k' }).valid, false, header)
  }
  assert.deepEqual(checkSignature({ header: null, body, secret: null }), { valid: true }, 'no secret, nothing to check')
})

test('leases are renewed between 80% and 90% of their length', () => {
  const verifiedAt = new Date('2026-11-22T00:00:00.000Z')
  assert.equal(renewalTime({ verifiedAt, leaseSeconds: 10 * 86400, random: () => 0 }), '2026-11-30T00:00:00.000Z')
  assert.equal(renewalTime({ verifiedAt, leaseSeconds: 10 * 86400, random: () => 1 }), '2026-12-01T00:00:00.000Z')
})

test('push is relied on while active, within the lease and while the hub is not silent for too long', () => {
  const now = new Date('2026-11-22T12:00:00.000Z')
  const sub = { state: 'active' as const, leaseExpiresAt: '2026-11-30T00:00:00.000Z', verifiedAt: '2026-11-20T00:00:00.000Z', lastPushAt: '2026-11-22T10:00:00.000Z' }
  const day = 86_400_000
  assert.equal(pushActiveUntil(sub, { now, maxSilenceMs: 2 * day }), '2026-11-24T10:00:00.000Z', 'two days after the last push')
  assert.equal(pushActiveUntil(sub, { now, maxSilenceMs: 30 * day }), '2026-11-30T00:00:00.000Z', 'never past the lease')
  assert.equal(pushActiveUntil({ ...sub, lastPushAt: null }, { now, maxSilenceMs: 2 * day }), null, 'silent since the confirmation two and a half days ago')
  assert.equal(pushActiveUntil({ ...sub, state: 'pending' }, { now, maxSilenceMs: 2 * day }), null)
  assert.equal(pushActiveUntil({ ...sub, leaseExpiresAt: '2026-11-22T11:00:00.000Z' }, { now, maxSilenceMs: 2 * day }), null, 'lease over')
})
