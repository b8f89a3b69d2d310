/**
 * AI features end to end: a loopback publisher (one open article, one opting out in its robots meta,
 * one in an X-Robots-Tag header, and a site-wide TDM reservation on another host), the real fetcher
 * and ingest, and a loopback OpenAI-compatible fake as the operator's model. What a reader and an
 * operator would check: built-in features on every open article, model work precomputed and cached,
 * nothing of an opted-out article sent to the model, and the panel saying why.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { buildApp, type App } from '../src/app.js'
import { loadConfig } from '../src/config/config.js'
import { promptOf, startFakeOpenAi, type FakeOpenAi } from '../src/ai/fake-openai.js'
import { serveLoopback } from './support/loopback.js'

// Invented reports.
const BARRIER = [
  'Wrenfield’s harbour council voted 9 to 2 on Tuesday to build a tidal barrier across the Calder estuary, three months after a storm surge flooded 340 homes.',
  'The £48 million scheme, drawn up by the engineering firm Ostler & Pike, will place six steel gates between the old lighthouse and the ferry slipway.',
  'Council leader Imogen Hartley said the decision was overdue and that families could not be asked to bail out their kitchens every winter.',
  'Opponents from the fishing co-operative argued that the gates would silt up the channel, and its chair said members would study the plans.',
]
const ORCHARD = [
  'Volunteers planted four hundred fruit trees on the former rail yard at Eastmoor on Sunday, the first stage of a community orchard planned for the site.',
  'The apples, pears and plums were chosen from old local varieties, some of which survive in only a handful of back gardens in the district.',
  'Organiser Pieter Vance said the orchard would be open to everyone and that the first harvest could come in three or four years.',
]
const TRAM = [
  'The number 4 tram line between Harlow Square and the university will close for nine weeks from 3 March while the city replaces its worn track.',
  'Replacement buses will run every six minutes at peak times and stop at temporary shelters on Quarry Road, the transport office said on Monday.',
  'Deputy mayor Nadia Ferrant said the rails, laid in 1987, had worn so badly that trams were limited to walking pace on the bend by the old brewery.',
]

let server: Server
let reserved: Server
let base = ''
let reservedBase = ''
let dir = ''
let fake: FakeOpenAi
let app: App
const clock = new Date('2026-11-22T12:00:00.000Z')

function page(title: string, paragraphs: string[], head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head>
<body><nav><a href="/">Home</a></nav><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`
}

const rss = (b: string, title: string, items: [string, string, string][]) => `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>${b}/</link><description>d</description>
${items.map(([guid, t, path], i) => `<item><guid>${guid}</guid><title>${t}</title><link>${b}${path}</link><category>harbour</category><pubDate>Sun, 22 Nov 2026 0${8 + i}:00:00 GMT</pubDate></item>`).join('\n')}
</channel></rss>`

function publisher(req: IncomingMessage, res: ServerResponse): void {
  const send = (type: string, body: string, headers: Record<string, string> = {}) => { res.writeHead(200, { 'content-type': type, ...headers }); res.end(body) }
  switch (req.url) {
    case '/feed.xml': return send('application/rss+xml', rss(base, 'Wrenfield Gazette', [
      ['open', 'Wrenfield approves £48m tidal barrier', '/open.html'],
      ['meta', 'Volunteers plant an orchard at Eastmoor', '/meta.html'],
      ['header', 'Tram line 4 to close for nine weeks', '/header.html'],
    ]))
    case '/open.html': return send('text/html; charset=utf-8', page('Wrenfield approves £48m tidal barrier', BARRIER))
    case '/meta.html': return send('text/html; charset=utf-8', page('Volunteers plant an orchard at Eastmoor', ORCHARD, '<meta name="robots" content="index, follow, noai, noimageai">'))
    case '/header.html': return send('text/html; charset=utf-8', page('Tram line 4 to close for nine weeks', TRAM), { 'x-robots-tag': 'noai' })
    default: res.writeHead(404).end()
  }
}

function reservedPublisher(req: IncomingMessage, res: ServerResponse): void {
  const send = (type: string, body: string) => { res.writeHead(200, { 'content-type': type }); res.end(body) }
  switch (req.url) {
    case '/feed.xml': return send('application/rss+xml', rss(reservedBase, 'Closed Times', [['c1', 'Tram line 4 to close, buses to replace it', '/c1.html']]))
    case '/c1.html': return send('text/html; charset=utf-8', page('Tram line 4 to close, buses to replace it', [...TRAM].reverse()))
    case '/.well-known/tdmrep.json': return send('application/json', JSON.stringify([{ location: '/*', 'tdm-reservation': 1, 'tdm-policy': `${reservedBase}/policy.json` }]))
    default: res.writeHead(404).end()
  }
}

/** The operator's model: a summary in the language the prompt asks for, answers citing sentence 2. */
function model(body: { messages?: { content: string }[] } | null) {
  const prompt = (body?.messages ?? []).map((m) => m.content).join('\n')
  if (/question/i.test(prompt)) return { reply: JSON.stringify({ answer: 'The scheme costs £48 million.', citations: [2] }), usage: { promptTokens: 410, completionTokens: 18 } }
  return { reply: 'The harbour council approved a £48 million tidal barrier after floods hit 340 homes.', usage: { promptTokens: 380, completionTokens: 21 } }
}

before(async () => {
  ;({ server, base } = await serveLoopback(publisher))
  ;({ server: reserved, base: reservedBase } = await serveLoopback(reservedPublisher))
  fake = await startFakeOpenAi({ respond: model })
  dir = mkdtempSync(join(tmpdir(), 'tidings-ai-'))
  app = await buildApp(loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'tidings.db')}`, DEMO: '0', SCHEDULER: '0', WEBSUB: '0',
    FETCH_ALLOW_HOSTS: `${new URL(base).host},${new URL(reservedBase).host}`, FETCH_PER_HOST_INTERVAL_MS: '0', FETCH_RESPECT_ROBOTS: '0', FETCH_TIMEOUT_MS: '3000',
    AI_BASE_URL: fake.baseUrl, AI_MODEL: 'fake-7b', AI_TIMEOUT_MS: '5000', AI_LANGUAGE: 'en',
  }), { schedule: false, now: () => clock, random: () => 0.5 })
  for (const b of [base, reservedBase]) {
    const { source } = await app.store.addSource({ kind: 'feed', url: `${b}/feed.xml` }, clock.toISOString())
    assert.equal((await app.scheduler.refreshNow(source.id))?.outcome, 'updated')
  }
})

after(async () => {
  await app?.close()
  await fake?.close()
  for (const s of [server, reserved]) { s?.closeAllConnections(); s?.close() }
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const byTitle = async (title: string) => {
  const items = (await app.store.listArticles({ limit: 20 })).items
  const a = items.find((x) => x.title === title)
  assert.ok(a, `${title} was ingested`)
  return (await app.store.getArticle(a.id))!
}
const get = async (path: string) => {
  const r = await app.web.request(path)
  assert.equal(r.status, 200, path)
  return r.text()
}
const panelOf = (html: string) => html.slice(html.indexOf('<section class="ai-panel"'), html.indexOf('</section>', html.indexOf('<section class="ai-panel"')))

test('every open article is enriched at ingest: language, summary, key points, entities, hashtags beside the publisher’s tags', async () => {
  const a = await byTitle('Wrenfield approves £48m tidal barrier')
  assert.equal(a.lang, 'en')
  assert.ok(a.enrichment, 'enrichment stored with the article')
  assert.ok(a.enrichment.summary.length >= 2 && a.enrichment.summary.every((s) => a.text.includes(s)))
  assert.ok(a.enrichment.entities.people.some((p) => /Imogen Hartley/.test(p)), JSON.stringify(a.enrichment.entities))
  assert.ok(a.tags.some((t) => t.slug === 'harbour'), 'the publisher’s category is kept')
  assert.ok(a.tags.length > 1, 'hashtags of its own join it')
  assert.equal(a.aiOptOut?.optedOut ?? false, false)
})

test('publisher opt-out is read from the robots meta, the X-Robots-Tag header and a site’s tdmrep.json', async () => {
  const meta = await byTitle('Volunteers plant an orchard at Eastmoor')
  const header = await byTitle('Tram line 4 to close for nine weeks')
  const tdm = await byTitle('Tram line 4 to close, buses to replace it')
  assert.equal(meta.aiOptOut?.optedOut, true)
  assert.ok(meta.aiOptOut!.signals.some((s) => /noai/.test(s)), meta.aiOptOut!.signals.join())
  assert.equal(header.aiOptOut?.optedOut, true)
  assert.ok(header.aiOptOut!.signals.some((s) => /X-Robots-Tag/i.test(s)), header.aiOptOut!.signals.join())
  assert.equal(tdm.aiOptOut?.optedOut, true)
  assert.ok(tdm.aiOptOut!.signals.some((s) => /tdm/i.test(s)), tdm.aiOptOut!.signals.join())
  for (const a of [meta, header, tdm]) assert.deepEqual(a.tags.map((t) => t.slug), ['harbour'], `${a.title}: no hashtags made from an opted-out text`)
})

test('the model summary is precomputed for open articles only, cached, and its tokens recorded', async () => {
  const ran = await app.aiWorker!.drain()
  assert.equal(ran, 1, 'one summary: the open article; the three opted-out ones are never queued')
  const sent = fake.requests.map(promptOf).join('\n')
  assert.match(sent, /tidal barrier/)
  for (const s of [ORCHARD[0]!, TRAM[0]!]) assert.ok(!sent.includes(s.slice(0, 60)), 'no opted-out text reached the model')

  const open = await byTitle('Wrenfield approves £48m tidal barrier')
  const panel = panelOf(await get(`/articles/${open.id}`))
  assert.match(panel, /The harbour council approved a £48 million tidal barrier/)
  assert.match(panel, /fake-7b/)
  await get(`/articles/${open.id}`)
  assert.equal(await app.aiWorker!.drain(), 0, 'a second reader is served from the cache')
  const usage = (await app.store.aiUsage()).find((u) => u.feature === 'summary')
  assert.equal(usage?.promptTokens, 380)
  assert.equal(usage?.completionTokens, 21)
})

test('a question gets the article’s own sentence at once and the model’s cited answer after the worker runs', async () => {
  const open = await byTitle('Wrenfield approves £48m tidal barrier')
  const path = `/articles/${open.id}?q=${encodeURIComponent('How much does the scheme cost?')}`
  const first = await get(path)
  assert.match(first, /<mark id="s-\d+">The £48 million scheme/, 'the built-in answer is marked in the text before any model answers')
  assert.equal(await app.aiWorker!.drain(), 1)
  const second = panelOf(await get(path))
  assert.match(second, /The scheme costs £48 million\./)
})

test('an opted-out article’s panel says so and offers no model features; asking it sends nothing', async () => {
  const meta = await byTitle('Volunteers plant an orchard at Eastmoor')
  const before = fake.requests.length
  const panel = panelOf(await get(`/articles/${meta.id}?q=${encodeURIComponent('How many trees were planted?')}`))
  assert.match(panel, /class="ai-optout"/)
  assert.match(panel, /opted out|reserved/i)
  assert.doesNotMatch(panel, /queued for fake-7b/)
  assert.equal(await app.aiWorker!.drain(), 0)
  assert.equal(fake.requests.length, before)
})
