import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config/config.js'
import { buildApp, type App } from '../../src/app.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = join(process.cwd(), 'artifacts', 'screenshots')
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`

let app: App
let server: ServerType
let origin = ''
let browser: Browser
let articleIds: number[] = []

before(async () => {
  if (skip) return
  const dir = mkdtempSync(join(tmpdir(), 'tidings-reading-'))
  const config = loadConfig({ DATA_DIR: dir, DEMO: '1', DEMO_PORT: '0', SCHEDULER: '0', FETCH_PER_HOST_INTERVAL_MS: '0' })
  app = await buildApp(config, { schedule: false })
  await app.scheduler.tick()
  articleIds = (await app.store.listArticles({ limit: 50 })).items.map((a) => a.id)
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

const errorsOf = (page: Page) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

test('keyboard: j/k move a visible focus between cards, o opens, / searches, ? shows the help and Esc closes it', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const errors = errorsOf(page)
  await page.goto(`${origin}/`)
  const current = () => page.evaluate(() => {
    const cards = [...document.querySelectorAll('li.card')]
    return { index: cards.findIndex((c) => c.hasAttribute('data-kb-current')), focusInCard: cards.indexOf(document.activeElement?.closest('li.card') as Element) }
  })
  await page.keyboard.press('j')
  assert.deepEqual(await current(), { index: 0, focusInCard: 0 })
  const ring = await page.locator('li.card[data-kb-current]').evaluate((el) => getComputedStyle(el).outlineStyle)
  assert.equal(ring, 'solid', 'a visible focus ring')
  await page.keyboard.press('j')
  await page.keyboard.press('j')
  assert.deepEqual(await current(), { index: 2, focusInCard: 2 })
  await page.keyboard.press('k')
  assert.deepEqual(await current(), { index: 1, focusInCard: 1 })
  for (let i = 0; i < 8; i++) await page.keyboard.press('j')
  await page.waitForFunction(() => {
    const r = document.querySelector('li.card[data-kb-current]')!.getBoundingClientRect()
    return r.top >= 0 && r.bottom <= innerHeight + 1 && window.scrollY > 0
  }, undefined, { timeout: 5000 }) // the card is scrolled into view
  await page.keyboard.press('k')
  const href = await page.locator('li.card[data-kb-current] h2 a, li.card[data-kb-current] h3 a').first().getAttribute('href')
  await page.keyboard.press('o')
  await page.waitForURL((u) => u.pathname === href)

  await page.goto(`${origin}/`)
  await page.keyboard.press('/')
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', '/ focuses search')
  await page.keyboard.type('jk')
  assert.equal(await page.locator('#q').inputValue(), 'jk', 'letters typed in search are not shortcuts')
  assert.equal(await page.locator('li.card[data-kb-current]').count(), 0)
  await page.locator('#q').blur()
  await page.keyboard.press('Control+j')
  assert.equal(await page.locator('li.card[data-kb-current]').count(), 0, 'modifier keys are left alone')
  await page.keyboard.press('?')
  const dialog = page.locator('dialog#shortcuts')
  await dialog.waitFor({ state: 'visible' })
  assert.match(await dialog.innerText(), /Next article/)
  await page.screenshot({ path: join(SHOTS, 'shortcuts-help.png') })
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  await page.keyboard.press('j')
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/(articles|stories)\/\d+/)
  await page.goto(`${origin}/sources`)
  await page.keyboard.press('g')
  await page.keyboard.press('h')
  await page.waitForURL(`${origin}/`)
  assert.deepEqual(errors, [])
  await page.close()
})

test('dark mode: the system preference, and a toggle remembered across pages', { skip }, async () => {
  const bg = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  const sys = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } })
  const p1 = await sys.newPage()
  await p1.goto(`${origin}/`)
  assert.equal(await bg(p1), 'rgb(19, 19, 20)', 'dark under prefers-color-scheme: dark')
  await p1.locator('#prefs-theme').selectOption('light')
  assert.equal(await bg(p1), 'rgb(251, 250, 248)', 'light chosen over the system')
  await sys.close()

  const ctx = await browser.newContext({ colorScheme: 'light', viewport: { width: 1280, height: 900 } })
  const page = await ctx.newPage()
  const errors = errorsOf(page)
  await page.goto(`${origin}/`)
  assert.equal(await bg(page), 'rgb(251, 250, 248)')
  assert.ok(await page.locator('form.prefs button[type=submit]').isHidden(), 'the script applies the theme at once')
  await page.screenshot({ path: join(SHOTS, 'home-light.png') })
  await page.locator('#prefs-theme').selectOption('dark')
  assert.equal(await bg(page), 'rgb(19, 19, 20)')
  await page.goto(`${origin}/articles/${articleIds[0]}`)
  assert.equal(await page.evaluate(() => document.documentElement.dataset['theme']), 'dark', 'remembered')
  assert.equal(await bg(page), 'rgb(19, 19, 20)')
  await page.screenshot({ path: join(SHOTS, 'article-dark.png'), fullPage: true })
  await page.goto(`${origin}/`)
  await page.screenshot({ path: join(SHOTS, 'home-dark.png') })
  await page.locator('#prefs-theme').selectOption('system')
  assert.equal(await bg(page), 'rgb(251, 250, 248)')
  assert.deepEqual(errors, [])
  await ctx.close()
})

test('language menu: Japanese for the whole frame, remembered by cookie; the article keeps its own language', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(`${origin}/articles/${articleIds[0]}`)
  await Promise.all([page.waitForURL(/\/articles\//), page.locator('#prefs-hl').selectOption('ja')])
  await page.waitForFunction(() => document.documentElement.lang === 'ja')
  assert.ok(await page.getByRole('link', { name: '最新' }).isVisible())
  assert.ok(new URL(page.url()).pathname.startsWith(`/articles/${articleIds[0]}`), 'back on the same article')
  await page.screenshot({ path: join(SHOTS, 'article-japanese.png'), fullPage: true })
  await page.goto(`${origin}/`)
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja')
  await page.screenshot({ path: join(SHOTS, 'home-japanese.png') })
  await page.locator('#prefs-hl').selectOption('en')
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  await page.close()
})

test('responsive: 360, 768 and 1280 px wide without horizontal scrolling', { skip }, async () => {
  for (const width of [360, 768, 1280]) {
    const page = await browser.newPage({ viewport: { width, height: 800 } })
    for (const path of ['/', `/articles/${articleIds[0]}`, '/sources']) {
      await page.goto(`${origin}${path}`)
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(over <= 0, `${path} at ${width}px scrolls sideways by ${over}px`)
    }
    await page.goto(`${origin}/`)
    await page.screenshot({ path: join(SHOTS, `home-${width}.png`) })
    await page.goto(`${origin}/articles/${articleIds[0]}`)
    await page.screenshot({ path: join(SHOTS, `article-${width}.png`) })
    await page.close()
  }
})

test('stream: the next page’s items are appended as its link nears the viewport, and the link follows', { skip }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 700 } })
  const errors = errorsOf(page)
  const home = await (await fetch(`${origin}/`)).text()
  const script = /<script src="(\/assets\/site\.[0-9a-f]+\.js)"/.exec(home)![1]!
  // A stand-in page with the stream's markup, so the script is tested whatever page renders a stream.
  const doc = (n: number) => `<!doctype html><html lang="en"><head><title>stream ${n}</title><script src="${script}" defer></script></head><body><main><section>
    <ul class="cards" data-stream-items>${Array.from({ length: 6 }, (_, i) => `<li class="card" style="height:200px"><h3><a href="/x/${n}-${i}">Item ${n}-${i}</a></h3></li>`).join('')}</ul>
    ${n < 3 ? `<a data-stream-next href="/stream-test?page=${n + 1}">More</a>` : ''}</section></main></body></html>`
  await page.route(`${origin}/stream-test**`, (route) => {
    const n = Number(new URL(route.request().url()).searchParams.get('page') ?? '1')
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: doc(n) })
  })
  await page.goto(`${origin}/stream-test`)
  assert.equal(await page.locator('[data-stream-items] > li').count(), 6)
  await page.mouse.wheel(0, 2000)
  await page.waitForFunction(() => document.querySelectorAll('[data-stream-items] > li').length >= 12)
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, 2000)
  await page.waitForFunction(() => document.querySelectorAll('[data-stream-items] > li').length === 18)
  assert.equal(await page.locator('a[data-stream-next]').count(), 0, 'the link is gone at the end')
  assert.equal(await page.locator('text=Item 3-5').count(), 1)

  // The site's own stream, where a page renders one (the article's related articles).
  await page.unrouteAll()
  await page.goto(`${origin}/articles/${articleIds[0]}`)
  if (await page.locator('a[data-stream-next]').count() > 0) {
    const before = await page.locator('[data-stream-items] > *').count()
    await page.locator('a[data-stream-next]').scrollIntoViewIfNeeded()
    await page.waitForFunction((n) => document.querySelectorAll('[data-stream-items] > *').length > n, before)
  }
  assert.deepEqual(errors, [])
  await page.close()
})

test('PWA: installable, the service worker keeps opened articles for offline reading, other pages show the offline page', { skip }, async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await ctx.newPage()
  const errors = errorsOf(page)
  const manifest = await (await fetch(`${origin}/manifest.webmanifest`)).json() as { icons: unknown[]; display: string }
  assert.equal(manifest.display, 'standalone')
  await page.goto(`${origin}/`)
  await page.evaluate(async () => { await navigator.serviceWorker.ready })
  await page.reload()
  assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the page is controlled')
  const [readId, unreadId] = [articleIds[0]!, articleIds[1]!]
  await page.goto(`${origin}/articles/${readId}`)
  const title = (await page.locator('h1').first().innerText()).trim()
  await page.waitForFunction(async (id) => {
    const c = await caches.open('tidings-articles-v1')
    return (await c.keys()).some((r) => new URL(r.url).pathname === `/articles/${id}`)
  }, readId)

  await ctx.setOffline(true)
  await page.goto(`${origin}/articles/${readId}`)
  assert.equal((await page.locator('h1').first().innerText()).trim(), title, 'the opened article reads offline')
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(251, 250, 248)', 'with its stylesheet')
  await page.goto(`${origin}/articles/${unreadId}`)
  assert.ok(await page.getByRole('heading', { name: 'You are offline' }).isVisible())
  await page.goto(`${origin}/sources`)
  assert.ok(await page.getByRole('heading', { name: 'You are offline' }).isVisible())
  const saved = page.locator('ul.offline-list a')
  assert.equal(await saved.count(), 1)
  assert.equal((await saved.innerText()).trim(), title)
  await page.screenshot({ path: join(SHOTS, 'offline.png') })
  await saved.click()
  await page.waitForURL(`${origin}/articles/${readId}`)
  await ctx.setOffline(false)
  assert.deepEqual(errors, [])
  await ctx.close()
})
