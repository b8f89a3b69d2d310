/**
 * The article page's budget, for a typical article: ~1,200 words, an author with a bio, hashtags,
 * 6 related articles, a few comments, the built-in AI panel. HTML under 50 KB, no render-blocking
 * script, one stylesheet cached for good. Through `app.request()`, no socket.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { article } from '../src/store/store.contract.js'
import { createWebApp } from '../src/web/app.js'
import { createAiService } from '../src/ai/service.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
const BUDGET = 50 * 1024
const h = (n: number) => new Date(NOW.getTime() - n * 3_600_000).toISOString()

let store: Store
let app: ReturnType<typeof createWebApp>
let html = ''
let headers: Headers

// Made-up but news-shaped prose: sentences of 12–25 words from a small vocabulary, deterministic.
const VOCAB = ('harbor council ferry budget minister school river bridge station market weather report '
  + 'residents officials announced expected morning evening workers union contract hospital district '
  + 'plans review pier service repairs storm season traffic rail line city region county project '
  + 'funding vote members public hearing committee statement week month year local national').split(' ')
function prose(words: number, seed: number): string[] {
  let s = seed
  const next = () => { s = (s * 1103515245 + 12345) >>> 0; return s }
  const paragraphs: string[] = []
  let total = 0
  while (total < words) {
    const sentences: string[] = []
    for (let k = 0; k < 3 + (next() % 3); k++) {
      const len = 12 + (next() % 14)
      const w = Array.from({ length: len }, () => VOCAB[next() % VOCAB.length]!)
      w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1)
      sentences.push(w.join(' ') + '.')
      total += len
    }
    paragraphs.push(sentences.join(' '))
  }
  return paragraphs
}

before(async () => {
  store = await openStore('sqlite::memory:')
  const source = (await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald' }, h(48))).source
  const other = (await store.addSource({ kind: 'feed', url: 'https://coast.example/feed.xml', title: 'Coast Times' }, h(48))).source
  const tags = ['transport', 'harbor', 'council', 'weather', 'budget'].map((s) => ({ slug: s, label: s[0]!.toUpperCase() + s.slice(1) }))
  const paragraphs = prose(1200, 7)
  const main = await store.saveArticle(article(source.id, 1, {
    title: 'Ferry line reopens after six weeks of storm repairs to the east pier',
    author: { name: 'Mina Okafor', bio: 'Mina Okafor covers transport and the harbor for the Herald. She has reported from the coast for twelve years.' },
    published: h(3), summary: paragraphs[0]!.split('. ')[0]! + '.',
    blocks: paragraphs.map((text, i) => ({ type: i > 0 && i % 5 === 0 ? 'h2' as const : 'p' as const, text: i > 0 && i % 5 === 0 ? text.split(' ').slice(0, 6).join(' ') : text })),
    text: paragraphs.join('\n\n'),
    html: paragraphs.map((p) => `<p>${p}</p>`).join('\n'),
    captions: [{ text: 'The ferry at the east pier on Monday.', credit: 'Photo: Lee Park', imageUrl: 'https://herald.example/ferry.jpg' }],
    leadImage: 'https://herald.example/ferry.jpg',
    tags,
  }), NOW.toISOString())
  // Six related articles (sharing its tags), and nothing else in the store, so the related list holds six.
  for (let i = 0; i < 6; i++) {
    const body = prose(400, 100 + i)
    await store.saveArticle(article(i % 2 ? other.id : source.id, 10 + i, {
      title: `Related report ${i + 1}: ${body[0]!.split(' ').slice(0, 8).join(' ')}`, published: h(5 + i * 3),
      author: { name: `Reporter ${i + 1}`, bio: null },
      text: body.join('\n\n'), html: body.map((p) => `<p>${p}</p>`).join(''), blocks: body.map((text) => ({ type: 'p' as const, text })),
      tags: tags.slice(i % 3, (i % 3) + 2),
    }), NOW.toISOString())
  }
  const users = []
  for (const name of ['harbor_reader', 'pier_watcher', 'coastal']) users.push((await store.createUser({ name, passwordHash: 'not-a-hash', role: 'reader' }, h(100)))!)
  const first = await store.addComment({ subject: 'article', subjectId: main.id, parentId: null, userId: users[0]!.id, body: 'Good to see the ferry back. The bus replacement added forty minutes to my commute every day.', status: 'visible', statusReason: null }, h(2))
  await store.addComment({ subject: 'article', subjectId: main.id, parentId: first.id, userId: users[1]!.id, body: 'Same here. Hopefully the *timetable* stays the same as before the storm.', status: 'visible', statusReason: null }, h(1.5))
  await store.addComment({ subject: 'article', subjectId: main.id, parentId: null, userId: users[2]!.id, body: 'Does anyone know whether the evening sailings are running yet?', status: 'visible', statusReason: null }, h(1))
  app = createWebApp({
    store, now: () => NOW, siteTitle: 'Tidings', baseUrl: null, adminPassword: 'not-a-local-request',
    actions: { subscribe: async () => { throw new Error('unused') }, importOpml: async () => { throw new Error('unused') }, refresh: async () => null },
    ai: createAiService({ store, now: () => NOW, features: null, siteLang: 'en', precompute: false }),
    siteLang: 'en',
  })
  const res = await app.request(`/articles/${main.id}`)
  assert.equal(res.status, 200)
  headers = res.headers
  html = await res.text()
})

after(async () => { await store?.close() })

test('the typical article page is complete (body, author, tags, 6 related cards, 3 comments)', () => {
  assert.ok(html.includes('Ferry line reopens after six weeks'), 'title')
  assert.ok(html.includes('Mina Okafor covers transport'), 'author bio')
  assert.ok(html.includes('/tags/transport'), 'hashtags')
  assert.equal((html.match(/<li class="card/g) ?? []).length, 6, 'six related cards')
  assert.ok(html.includes('evening sailings'), 'comments')
})

test('the article page HTML is under 50 KB', (t) => {
  const bytes = Buffer.byteLength(html, 'utf8')
  t.diagnostic(`article page: ${bytes.toLocaleString('en')} bytes of HTML (${(bytes / 1024).toFixed(1)} KB of a ${BUDGET / 1024} KB budget); article text ${(html.match(/<p>/g) ?? []).length} paragraphs`)
  assert.ok(bytes < BUDGET, `${bytes} bytes`)
  assert.ok(!(headers.get('content-encoding')), 'measured uncompressed')
})

test('no render-blocking script: every script in head is deferred, async or a module; none is inline', () => {
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
  const head = html.slice(0, html.search(/<\/head>/i))
  for (const [tag, attrs, body] of scripts) {
    assert.match(attrs!, /\bsrc="/, `inline script: ${tag!.slice(0, 120)}`)
    assert.equal(body!.trim(), '', 'a script with a src has no body')
    if (head.includes(tag!)) assert.match(attrs!, /\b(defer|async)\b|type="module"/, `render-blocking script in head: ${tag}`)
  }
  // JSON-LD and the like are data, not scripts; anything else executable in an attribute is inline script.
  assert.doesNotMatch(html, /\son[a-z]+="/i, 'no inline event handlers')
})

test('one stylesheet, fingerprinted and cached immutably', async () => {
  const links = [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*>/gi)].map((m) => m[0])
  assert.equal(links.length, 1, links.join('\n'))
  assert.doesNotMatch(html, /<style\b/i, 'no inline style blocks')
  const href = /href="([^"]+)"/.exec(links[0]!)![1]!
  assert.match(href, /^\/assets\/style\.[0-9a-f]{8,}\.css$/)
  const css = await app.request(href)
  assert.equal(css.status, 200)
  assert.match(css.headers.get('content-type') ?? '', /text\/css/)
  const cc = css.headers.get('cache-control') ?? ''
  assert.match(cc, /immutable/)
  assert.ok(Number(/max-age=(\d+)/.exec(cc)?.[1]) >= 31_536_000, cc)
})
