import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import pg from 'pg'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config/config.js'
import { buildApp, type App } from '../src/app.js'
import { refreshMany } from '../src/pipeline/ingest.js'
import type { Article } from '../src/domain/types.js'

/** The first-start experience: the bundled demo publisher through the real pipeline, offline. */
function demoSuite(name: string, env: () => Promise<Record<string, string>>, cleanup: () => Promise<void> = async () => {}) {
describe(`demo on ${name}`, () => {
let app: App
let articles: Article[]
let settings: Record<string, string>

before(async () => {
  settings = { ...(await env()), DEMO_PORT: '0', SCHEDULER: '0' }
  app = await buildApp(loadConfig(settings), { schedule: false })
  await app.scheduler.tick()
  const list = await app.store.listArticles({ limit: 200 })
  articles = (await Promise.all(list.items.map((a) => app.store.getArticle(a.id)))).filter((a): a is Article => a !== null)
})
after(async () => {
  await app.close()
  await cleanup()
})

test('first start subscribes to the demo and ingests every outlet without errors', async () => {
  const sources = await app.store.listSources()
  assert.equal(sources.length, 4)
  for (const s of sources) {
    assert.equal(s.lastErrorCode, null, `${s.title}: ${s.lastErrorMessage}`)
    assert.ok(s.articleCount >= 5, `${s.title} has ${s.articleCount} articles`)
  }
  assert.ok(articles.length >= 24)
  assert.ok(articles.every((a) => a.extractError === null), 'every article page was fetched and read')
})

test('the windows-1252 outlet reads as clean French: accents, euro signs and quotes intact', () => {
  const french = articles.filter((a) => a.lang?.startsWith('fr'))
  assert.ok(french.length >= 5)
  const all = french.map((a) => `${a.title}\n${a.text}`).join('\n')
  assert.match(all, /é/)
  assert.match(all, /€/)
  assert.match(all, /[«’]/)
  assert.doesNotMatch(all, /Ã|â€|\uFFFD/, 'no mojibake, no replacement characters')
})

test('the syndicated copy names the original, which is ingested too', () => {
  const copies = articles.filter((a) => a.canonicalUrl && a.canonicalUrl !== a.url)
  assert.equal(copies.length, 1)
  const original = articles.find((a) => a.url === copies[0]!.canonicalUrl)
  assert.ok(original, 'the original is one of ours')
  assert.notEqual(original.sourceId, copies[0]!.sourceId)
  assert.match(copies[0]!.text, /first published by Harbor City Herald/)
})

test('other-language editions, captions apart from the text, and the author bio come through', () => {
  const withJa = articles.find((a) => a.altLinks.some((l) => l.lang === 'ja'))
  assert.ok(withJa, 'an article links its Japanese edition')
  const captioned = articles.filter((a) => a.captions.length > 0)
  assert.ok(captioned.length >= 5)
  for (const a of captioned) for (const c of a.captions) if (c.text.length > 20) assert.ok(!a.text.includes(c.text), `caption inside the body of "${a.title}"`)
  const marsh = articles.find((a) => a.author?.name === 'Evelyn Marsh')
  assert.ok(marsh?.author?.bio && marsh.author.bio.length > 40, 'author bio')
  assert.ok(articles.every((a) => !/Share on|Subscribe to our newsletter|cookies/i.test(a.text)), 'no share bars, promos or cookie notices in bodies')
  assert.ok(articles.filter((a) => a.tags.length > 0).length >= 20, 'tags from categories')
})

test('refreshing again costs conditional GETs only; a restart does not subscribe twice', async () => {
  const sources = await app.store.listSources()
  const r = await refreshMany(app.ingest, sources, { concurrency: 4 })
  assert.deepEqual(r.reports.map((x) => x.outcome), ['not_modified', 'not_modified', 'not_modified', 'not_modified'])
  await app.close()
  app = await buildApp(loadConfig(settings), { schedule: false })
  assert.equal((await app.store.listSources()).length, 4)
  assert.equal(await app.store.countArticles(), articles.length)
})
})
}

demoSuite('SQLite', async () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'tidings-demo-')) }))

const pgUrl = process.env.TEST_DATABASE_URL
if (pgUrl) {
  const schema = `demo_${randomBytes(4).toString('hex')}`
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: pgUrl })
    await c.connect()
    await c.query(sql)
    await c.end()
  }
  demoSuite('Postgres', async () => {
    await admin(`create schema ${schema}`)
    const u = new URL(pgUrl)
    u.searchParams.set('options', `-c search_path=${schema}`)
    return { DATABASE_URL: u.toString() }
  }, () => admin(`drop schema if exists ${schema} cascade`))
} else {
  test('demo on Postgres', { skip: 'TEST_DATABASE_URL is not set' }, () => {})
}

test('DEMO=0 starts empty', async () => {
  const empty = await buildApp(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'tidings-nodemo-')), DEMO: '0', SCHEDULER: '0' }), { schedule: false })
  try {
    assert.equal(empty.demo, null)
    assert.equal((await empty.store.listSources()).length, 0)
  } finally {
    await empty.close()
  }
})
