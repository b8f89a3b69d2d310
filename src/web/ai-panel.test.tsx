import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ArticleInput } from '../domain/types.js'
import type { Store } from '../store/store.js'
import { openStore } from '../store/open-store.js'
import { article } from '../store/store.contract.js'
import { createWebApp } from './app.js'
import { createAiService, type ModelFeatures } from '../ai/service.js'
import { createAiWorker } from '../jobs/ai-worker.js'
import { enrich } from '../pipeline/enrich/enrich.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
const BARRIER = [
  'Wrenfield’s harbour council voted 9 to 2 on Tuesday evening to build a tidal barrier across the mouth of the Calder estuary.',
  'The vote came three months after a record storm surge flooded more than 340 homes in the lower town.',
  'The £48 million scheme, drawn up by the engineering firm Ostler & Pike, will place six steel gates between the old lighthouse and the ferry slipway.',
  'Work is due to begin next spring and should take about four years.',
  'Council leader Imogen Hartley said the decision was overdue.',
  'Opponents, led by the fishing co-operative, argued that the gates would silt up the channel.',
]
const GERMAN = [
  'Der Stadtrat von Bremen hat am Dienstag beschlossen, die alte Brücke über die Weser für zwölf Millionen Euro zu sanieren.',
  'Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern, während derer Fußgänger eine Fähre nutzen können.',
  'Bürgermeisterin Anna Vogt sagte, die Brücke sei ein Wahrzeichen der Stadt und müsse erhalten bleiben.',
]

let store: Store
let ids: { barrier: number; german: number; optedOut: number; denied: number }
const calls: string[] = []
let failNext: string | null = null

/** A model that answers at once, in-process: the HTTP side is tested against the loopback fake in src/ai. */
const features: ModelFeatures = {
  model: 'fake-7b',
  async summary(a, lang) {
    calls.push(`summary:${lang}`)
    if (failNext) { const code = failNext; failNext = null; return { ok: false, error: { stage: 'ai', code, message: 'HTTP 401', retryable: false } } }
    return { ok: true, value: { value: `[${lang}] A tidal barrier for ${a.title.split(' ')[0]}.`, usage: { promptTokens: 200, completionTokens: 20 }, latencyMs: 900, model: 'fake-7b' } }
  },
  async answer(_a, q) {
    calls.push(`answer:${q}`)
    return { ok: true, value: { value: { answer: 'Nine councillors voted for it.', citations: [0], found: true }, usage: { promptTokens: 100, completionTokens: 10 }, latencyMs: 500, model: 'fake-7b' } }
  },
  async translate(a, lang) {
    calls.push(`translate:${lang}`)
    return { ok: true, value: { value: { title: `EN: ${a.title}`, paragraphs: a.paragraphs.map((p, i) => `English paragraph ${i + 1}.`) }, usage: { promptTokens: 300, completionTokens: 90 }, latencyMs: 1500, model: 'fake-7b' } }
  },
  async storySummary() {
    return { ok: false, error: { stage: 'ai', code: 'ai_bad_response', message: 'unused', retryable: false } }
  },
}

function appWith(f: ModelFeatures | null) {
  const ai = createAiService({ store, now: () => NOW, features: f, siteLang: 'en', precompute: false })
  const worker = f ? createAiWorker({ store, run: ai.run, now: () => NOW }, { concurrency: 2, maxAttempts: 3, leaseMs: 60_000, idleMs: 1000, autoStart: false }) : null
  const app = createWebApp({
    store, now: () => NOW, siteTitle: 'Tidings', baseUrl: null, adminPassword: null, ai, siteLang: 'en',
    actions: { subscribe: async () => { throw new Error('unused') }, importOpml: async () => { throw new Error('unused') }, refresh: async () => null },
  })
  return { app, worker }
}

const html = async (app: ReturnType<typeof createWebApp>, path: string, headers: Record<string, string> = {}) => {
  const r = await app.request(path, { headers })
  assert.equal(r.status, 200, path)
  return r.text()
}
const panelOf = (page: string) => page.slice(page.indexOf('<section class="ai-panel"'), page.indexOf('</section>', page.indexOf('<section class="ai-panel"')))

before(async () => {
  store = await openStore('sqlite::memory:')
  const src = async (url: string, title: string) => (await store.addSource({ kind: 'feed', url, title }, NOW.toISOString())).source.id
  const gazette = await src('https://gazette.example/feed', 'Wrenfield Gazette')
  const kurier = await src('https://kurier.example/feed', 'Weser Kurier')
  const closed = await src('https://closed.example/feed', 'Closed Times')
  const save = async (sourceId: number, n: number, over: Partial<ArticleInput>) => {
    const text = over.text ?? ''
    return (await store.saveArticle(article(sourceId, n, { ...over, html: text.split('\n').map((p) => `<p>${p}</p>`).join(''), enrichment: enrich({ title: over.title ?? null, text, lang: over.lang ?? null }) }), NOW.toISOString())).id
  }
  ids = {
    barrier: await save(gazette, 1, { title: 'Wrenfield approves £48m tidal barrier', text: BARRIER.join('\n'), lang: 'en' }),
    german: await save(kurier, 2, { title: 'Bremen saniert die alte Weserbrücke', text: GERMAN.join('\n'), lang: 'de' }),
    optedOut: await save(closed, 3, {
      title: 'Closed Times report', text: BARRIER.join('\n'), lang: 'en',
      aiOptOut: { optedOut: true, imagesOnly: false, signals: ['X-Robots-Tag: noai'], policyUrl: null },
    }),
    denied: await save(kurier, 4, { title: 'Another Kurier report', text: GERMAN.join('\n'), lang: 'de' }),
  }
})
after(async () => { await store.close() })

test('without a provider the panel gives the built-in summary, key points, entities and an ask box, and says what needs a provider', async () => {
  const { app } = appWith(null)
  const page = await html(app, `/articles/${ids.barrier}`)
  const panel = panelOf(page)
  assert.match(panel, /<h2 id="ai-h">AI features<\/h2>/)
  assert.ok(BARRIER.some((s) => panel.includes(s.slice(0, 40).replace('’', '’'))), 'the summary is made of the article’s sentences')
  assert.match(panel, /Key points/)
  assert.match(panel, /<dt>People<\/dt><dd>[^<]*Imogen Hartley/, 'entities: the people named')
  assert.match(panel, /<form method="get" action="\/articles\/\d+#ai" class="ai-ask"/)
  assert.match(panel, /A written summary needs an AI provider/)
  assert.match(panel, /Translation needs an AI provider/)
  assert.match(page, /\d+ min read/)
  assert.deepEqual(await store.aiTasksFor('article', ids.barrier), [], 'nothing is queued without a provider')
})

test('ask without a provider: the answer quotes the article and marks the sentence in the text; an unrelated question gets "does not say"', async () => {
  const { app } = appWith(null)
  const page = await html(app, `/articles/${ids.barrier}?q=${encodeURIComponent('How much will the scheme cost?')}`)
  assert.match(panelOf(page), /From the article:/)
  assert.match(page, /<mark id="s-\d+">The £48 million scheme/, 'the answering sentence is highlighted where it stands')
  assert.match(page, /<meta name="robots" content="noindex"/)
  const none = await html(app, `/articles/${ids.barrier}?q=${encodeURIComponent('What is the recipe for sourdough bread?')}`)
  assert.match(panelOf(none), /The article does not say\./)
  assert.doesNotMatch(none, /<mark id=/)
})

test('with a provider: the page never waits; the summary is queued in the reader’s language, then shown as written by the model', async () => {
  const { app, worker } = appWith(features)
  const first = await html(app, `/articles/${ids.barrier}`, { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' })
  assert.match(panelOf(first), /data-ai-task="\d+"/, 'the pending summary is marked for the script to poll')
  assert.match(panelOf(first), /queued for fake-7b/)
  assert.match(first, /<script src="\/assets\/ai\.[0-9a-f]+\.js" defer(="")?><\/script>/)
  assert.equal(await worker!.drain(), 1)
  assert.deepEqual(calls.splice(0), ['summary:de'], 'written in the reader’s language, not the article’s')
  const second = await html(app, `/articles/${ids.barrier}`, { 'accept-language': 'de-DE,de;q=0.9' })
  assert.match(panelOf(second), /\[de\] A tidal barrier for Wrenfield\./)
  assert.match(panelOf(second), /Written by fake-7b in German/)
  await html(app, `/articles/${ids.barrier}`, { 'accept-language': 'de' })
  assert.equal(await worker!.drain(), 0, 'cached per article, feature, model and language')
  const usage = (await store.aiUsage()).find((u) => u.feature === 'summary')
  assert.equal(usage?.promptTokens, 200)
})

test('with a provider: a question gets the model’s answer with its cited sentence marked, beside the quoted one', async () => {
  const { app, worker } = appWith(features)
  const path = `/articles/${ids.barrier}?q=${encodeURIComponent('Who voted for the barrier?')}`
  await html(app, path)
  await worker!.drain()
  calls.splice(0)
  const page = await html(app, path)
  assert.match(panelOf(page), /Nine councillors voted for it\./)
  assert.match(panelOf(page), /Answered by fake-7b, citing:/)
  assert.match(page, /<mark id="s-0">Wrenfield’s harbour council voted 9 to 2/)
})

test('a foreign article offers "Read in English"; the translation replaces the body with a way back to the original', async () => {
  const { app, worker } = appWith(features)
  const page = await html(app, `/articles/${ids.german}`, { 'accept-language': 'en-GB' })
  assert.match(panelOf(page), /Read in English/)
  await html(app, `/articles/${ids.german}?translate=en`)
  await worker!.drain()
  assert.ok(calls.includes('translate:en'))
  const t = await html(app, `/articles/${ids.german}?translate=en`)
  assert.match(t, /<h1 lang="en">EN: Bremen saniert die alte Weserbrücke<\/h1>/)
  assert.match(t, /English paragraph 1\./)
  assert.match(t, /Show the original/)
})

test('a publisher that opted out gets no AI features and the panel says why; the operator can turn a source off or allow it', async () => {
  const { app } = appWith(features)
  const page = await html(app, `/articles/${ids.optedOut}?q=who`)
  const panel = panelOf(page)
  assert.match(panel, /The publisher opted out of AI use \(X-Robots-Tag: noai\)/)
  assert.doesNotMatch(panel, /Key points|Ask this article/)
  assert.deepEqual(await store.aiTasksFor('article', ids.optedOut), [], 'nothing is sent to a model')

  const source = (await store.getArticle(ids.denied))!.sourceId
  const r = await app.request(`/admin/sources/${source}/ai`, { method: 'POST', body: new URLSearchParams({ policy: 'deny' }), headers: { origin: 'http://localhost' } })
  assert.equal(r.status, 303)
  assert.match(panelOf(await html(app, `/articles/${ids.denied}`)), /turned off for this source by the operator/)
  const bad = await app.request(`/admin/sources/${source}/ai`, { method: 'POST', body: new URLSearchParams({ policy: 'whatever' }), headers: { origin: 'http://localhost' } })
  assert.equal(bad.status, 303)
  assert.equal((await store.getSource(source))?.aiPolicy, 'deny', 'a bad value changes nothing')

  const closed = (await store.getArticle(ids.optedOut))!.sourceId
  await store.updateSource(closed, { aiPolicy: 'allow' })
  assert.match(panelOf(await html(app, `/articles/${ids.optedOut}`)), /Key points/, 'the operator’s allow overrides the publisher’s signal')
  await store.updateSource(closed, { aiPolicy: 'follow' })
})

test('a failed task says why and can be tried again; its status is readable as JSON; the AI admin shows usage', async () => {
  const { app, worker } = appWith(features)
  failNext = 'ai_auth'
  await html(app, `/articles/${ids.barrier}?lang=fr`)
  await worker!.drain()
  const page = await html(app, `/articles/${ids.barrier}?lang=fr`)
  assert.match(panelOf(page), /could not be made by fake-7b: ai_auth/)
  const id = /action="\/ai\/tasks\/(\d+)\/retry"/.exec(page)?.[1]
  assert.ok(id)
  const status = await app.request(`/ai/tasks/${id}`)
  assert.deepEqual(await status.json(), { id: Number(id), status: 'failed', attempts: 1, error: { code: 'ai_auth', message: 'HTTP 401' }, nextTryAt: (await store.getAiTaskById(Number(id)))!.nextTryAt })
  const retry = await app.request(`/ai/tasks/${id}/retry`, { method: 'POST', body: new URLSearchParams({ back: `/articles/${ids.barrier}?lang=fr#ai` }), headers: { origin: 'http://localhost' } })
  assert.equal(retry.status, 303)
  assert.equal(retry.headers.get('location'), `/articles/${ids.barrier}?lang=fr#ai`)
  await worker!.drain()
  assert.match(panelOf(await html(app, `/articles/${ids.barrier}?lang=fr`)), /\[fr\] A tidal barrier/)
  const evil = await app.request(`/ai/tasks/${id}/retry`, { method: 'POST', body: new URLSearchParams({ back: 'https://evil.example/' }), headers: { origin: 'http://localhost' } })
  assert.equal(evil.headers.get('location'), `/articles/${ids.barrier}`, 'never redirects off the site')
  assert.equal((await app.request('/ai/tasks/999999')).status, 404)
  const admin = await html(app, '/admin/ai')
  assert.match(admin, /fake-7b/)
  assert.match(admin, /Tokens in \/ out/)
})
