// Every page of the site in Chromium: it answers, has one main heading, runs without a script error or a
// CSP refusal, and leaves a full-page screenshot in artifacts/screenshots/ (CI keeps the folder).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { openSite, SHOTS, skip, type Site } from './a11y-support.js'

let site: Site

before(async () => { if (!skip) site = await openSite() })
after(async () => { await site?.close() })

test('every page renders, with one h1, no script errors, and a full-page screenshot', { skip }, async (t) => {
  const problems: string[] = []
  for (const p of site.pages) {
    const page = await (p.signedIn ? site.admin : site.anonymous).newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
    const res = await page.goto(site.origin + p.path, { waitUntil: 'load' })
    const want = p.name === 'not-found' ? 404 : 200
    if (res?.status() !== want) problems.push(`${p.name} (${p.path}): HTTP ${res?.status()}, expected ${want}`)
    const h1 = await page.locator('h1').count()
    if (h1 !== 1) problems.push(`${p.name}: ${h1} h1 elements`)
    if (!(await page.locator('main').count())) problems.push(`${p.name}: no <main> landmark`)
    // Not-found pages log the 404 of the page itself; nothing else may fail.
    const real = errors.filter((e) => !(p.name === 'not-found' && /404/.test(e)))
    if (real.length) problems.push(`${p.name}: ${real.join('; ')}`)
    await page.screenshot({ path: join(SHOTS, `page-${p.name}.png`), fullPage: true })
    await page.close()
  }
  t.diagnostic(`${site.pages.length} pages: ${site.pages.map((p) => p.name).join(', ')}; screenshots in ${SHOTS}`)
  assert.deepEqual(problems, [])
})

test('the article page on a phone: readable without sideways scrolling', { skip }, async () => {
  const article = site.pages.find((p) => p.name === 'article')!
  const page = await site.browser.newPage({ viewport: { width: 390, height: 844 } })
  await page.goto(site.origin + article.path)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  assert.ok(overflow <= 1, `${overflow}px of sideways scroll`)
  await page.screenshot({ path: join(SHOTS, 'page-article-mobile.png'), fullPage: true })
  await page.close()
})
