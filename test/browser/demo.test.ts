import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser } from 'playwright-core'
import { loadConfig } from '../../src/config/config.js'
import { buildApp, type App } from '../../src/app.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = join(process.cwd(), 'artifacts', 'screenshots')
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`

let app: App
let server: ServerType
let origin = ''
let browser: Browser

before(async () => {
  if (skip) return
  const dir = mkdtempSync(join(tmpdir(), 'tidings-browser-'))
  const config = loadConfig({ DATA_DIR: dir, DEMO: '1', DEMO_PORT: '0', SCHEDULER: '0', FETCH_PER_HOST_INTERVAL_MS: '0' })
  app = await buildApp(config, { schedule: false })
  await app.scheduler.tick() // the first polling round: the demo feeds through the real pipeline
  server = serve({ fetch: app.web.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((r) => server.once('listening', r))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  mkdirSync(SHOTS, { recursive: true })
})

after(async () => {
  await browser?.close()
  server?.close()
  await app?.close()
})

test('the demo’s syndicated article shows title, source, author, time, body, tags and related cards', { skip }, async () => {
  // The syndicated copy is the article whose canonical link names another page than its own.
  const list = await app.store.listArticles({ limit: 200 })
  assert.ok(list.items.length >= 20, `demo ingested ${list.items.length} articles`)
  let copyId: number | null = null
  for (const s of list.items) {
    const a = await app.store.getArticle(s.id)
    if (a?.canonicalUrl && a.canonicalUrl !== a.url && list.items.some((o) => o.url === a.canonicalUrl)) copyId = a.id
  }
  assert.ok(copyId, 'the demo has a syndicated copy')
  const copy = (await app.store.getArticle(copyId!))!

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(`${origin}/articles/${copyId}`)
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: copy.title }).waitFor({ state: 'visible' }))
  assert.ok(await page.locator('article.story > .meta .source', { hasText: copy.sourceTitle }).isVisible(), 'source')
  assert.match(await page.locator('article.story > .meta time').first().innerText(), /ago$/, 'relative time')
  if (copy.author) assert.ok(await page.getByText(`Author: ${copy.author.name}`).isVisible(), 'author')
  const body = await page.locator('.body').innerText()
  assert.ok(body.length > 400, 'body text')
  assert.ok(body.includes(copy.blocks[1]?.text.slice(0, 40) ?? ''), 'a body paragraph is shown')
  assert.ok(await page.locator('ul.tags a').first().isVisible(), 'hashtags')
  const cards = page.locator('section.related li.card')
  assert.ok((await cards.count()) >= 1, 'related cards')
  const firstCard = cards.first()
  assert.ok(await firstCard.locator('.source').isVisible())
  assert.ok(await firstCard.locator('time').isVisible())
  assert.ok(await firstCard.locator('h3').isVisible())
  assert.ok(await firstCard.locator('.excerpt').isVisible())
  await page.screenshot({ path: join(SHOTS, 'syndicated-article.png'), fullPage: true })
  assert.deepEqual(errors, [])
})

test('home, source, search and admin pages render in the browser', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } })
  await page.goto(`${origin}/`)
  assert.ok((await page.locator('li.card').count()) >= 10)
  await page.screenshot({ path: join(SHOTS, 'home-mobile.png'), fullPage: false })
  await page.getByLabel('Search articles').fill('ferry')
  await page.getByLabel('Search articles').press('Enter')
  await page.waitForURL(/\/search\?q=ferry/)
  await page.goto(`${origin}/admin/sources`)
  assert.ok((await page.locator('table.sources tbody tr').count()) >= 4)
  await page.screenshot({ path: join(SHOTS, 'admin-sources.png'), fullPage: true })
})
