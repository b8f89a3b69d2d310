/**
 * Readers, comments and hostile input in real Chromium: the comment flow as readers and a moderator go
 * through it, then the XSS corpus posted as comments and served by a malicious publisher (feeds and
 * pages), with every page that shows it loaded, hovered, focused and clicked.
 *
 * The pages that show hostile markup are checked as served (our CSP forbids inline script) and again
 * with the CSP bypassed, so that the sanitizer and the comment renderer are shown to hold on their own. A
 * payload that runs sets a `__xss_` flag on a window (checked in every frame); besides that, the DOM is
 * searched for anything that could run (scripts, frames, handlers, script URLs) whether or not it ran.
 * Both the flags and the DOM search fail the test; a CSP refusal in the console is only counted.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core'
import { loadConfig } from '../../src/config/config.js'
import { buildApp, type App } from '../../src/app.js'
import { hashPassword } from '../../src/web/auth/password.js'
import { cleanCommentBody } from '../../src/web/comments/routes.js'
import { serveLoopback } from '../support/loopback.js'
import { XSS_FLAG_PREFIX, xssPayloads } from '../support/xss-corpus.js'
import { maliciousPublisher, SAFE_TAG, SEARCH_WORD } from '../support/malicious-publisher.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = join(process.cwd(), 'artifacts', 'screenshots')
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`

const PASSWORD = 'tide tables at dawn'
const MOD = { name: 'harbourmaster', password: 'moderate carefully' }
const ADMIN_PASSWORD = 'operator secret'
const PAYLOADS = xssPayloads()
const publisher = maliciousPublisher(PAYLOADS)

const FERRY = {
  title: 'Ferry line reopens after storm repairs',
  paragraphs: [
    'The ferry between the harbour and Kell Island runs again from Saturday after six weeks of repairs to the landing stage, the operator said.',
    'Storm waves in October tore away two of the pontoons and bent the ramp that cars drive over; divers spent a fortnight surveying the piles.',
    'The first sailing leaves at 07:10 and the timetable is the summer one until the end of the month, with an extra crossing on market days.',
  ],
}
const TRAM = {
  title: 'Tram line 4 to close for nine weeks',
  paragraphs: [
    'The number 4 tram line between Harlow Square and the university will close for nine weeks from 3 March while the city replaces its track.',
    'Replacement buses will run every six minutes at peak times and stop at temporary shelters on Quarry Road, the transport office said.',
    'Deputy mayor Nadia Ferrant said the rails, laid in 1987, had worn so badly that trams were limited to walking pace on the bend.',
  ],
}

let app: App
let web: ServerType
let pub: Server
let pubBase = ''
let origin = ''
let dir = ''
let browser: Browser
let ferryPath = ''
let tramPath = ''
let tramId = 0
const contexts: BrowserContext[] = []

// ─────────────── what every page is watched for ───────────────

const seen = { pageErrors: [] as string[], dialogs: [] as string[], csp: [] as string[] }
const watched = new WeakSet<Page>()
function watch(page: Page): void {
  if (watched.has(page)) return
  watched.add(page)
  page.on('pageerror', (e) => seen.pageErrors.push(`${page.url()}: ${e.message}`))
  page.on('dialog', (d) => {
    seen.dialogs.push(`${page.url()}: ${d.type()} ${d.message()}`)
    d.dismiss().catch(() => {})
  })
  // CSP refusals are the second line holding: counted and reported, not failures.
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) seen.csp.push(`${page.url()}: ${m.text().slice(0, 160)}`) })
}

async function newContext(opts: { bypassCSP?: boolean; admin?: boolean; from?: BrowserContext } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: opts.bypassCSP ?? false,
    ...(opts.admin ? { httpCredentials: { username: 'operator', password: ADMIN_PASSWORD } } : {}),
  })
  // Our site and the loopback publisher (its images) only: a followed link to anywhere else is refused.
  const allowed = new Set([new URL(origin).host, new URL(pubBase).host])
  await ctx.route('**/*', (route) => {
    const u = new URL(route.request().url())
    return !/^https?:$/.test(u.protocol) || allowed.has(u.host) ? route.continue() : route.abort()
  })
  ctx.on('page', watch)
  if (opts.from) await ctx.addCookies(await opts.from.cookies())
  contexts.push(ctx)
  return ctx
}

async function newPage(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage()
  watch(page)
  return page
}

// ─────────────── the reader's side: UI steps ───────────────

const accountLink = (page: Page, name: string) => page.locator('nav.account a[href="/account"]', { hasText: name })

async function registerUi(page: Page, name: string, next = '/'): Promise<void> {
  await page.goto(`${origin}/register?next=${encodeURIComponent(next)}`)
  await page.locator('#name').fill(name)
  await page.locator('#password').fill(PASSWORD)
  await page.locator('#password2').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create account' }).click()
  await accountLink(page, name).waitFor()
}

async function loginUi(page: Page, name: string, password: string, next = '/'): Promise<void> {
  await page.goto(`${origin}/login?next=${encodeURIComponent(next)}`)
  await page.locator('#name').fill(name)
  await page.locator('#password').fill(password)
  await page.locator('main').getByRole('button', { name: 'Sign in' }).click()
  await accountLink(page, name).waitFor()
}

/** Posts through the page's own form; returns the new comment's id (from the #c-ID the site sends us to). */
async function commentUi(page: Page, body: string): Promise<number> {
  await page.locator('section.comments > form.comment-form textarea[name=body]').fill(body)
  await page.locator('section.comments > form.comment-form').getByRole('button', { name: 'Post comment' }).click()
  await page.waitForURL(/#c-\d+$/)
  return Number(/#c-(\d+)$/.exec(page.url())![1])
}

/** The browser's session, for posting many comments over HTTP as that reader. */
async function sessionOf(ctx: BrowserContext, page: Page): Promise<{ cookie: string; csrf: string }> {
  const cookie = (await ctx.cookies(origin)).map((c) => `${c.name}=${c.value}`).join('; ')
  const csrf = await page.locator('input[name=_csrf]').first().getAttribute('value')
  assert.ok(csrf, 'the page carries a form token')
  return { cookie, csrf }
}

async function postAs(s: { cookie: string; csrf: string }, path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: s.cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: s.csrf, ...fields }),
  })
}

/** `fn` over `items`, eight at a time. */
async function eachAtOnce<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 8) await Promise.all(items.slice(i, i + 8).map(fn))
}

// ─────────────── hostile pages: load, poke, look ───────────────

/** Where text from outside (readers, publishers) lands on our pages. */
const OUTSIDE = ['.comment-body', 'main .body', '.byline', 'nav.translations', 'p.original', 'p.republished', 'li.card', 'h1', '.meta', 'section.comments .status', '.reports']
/** What the comment renderer makes, and what the article sanitizer lets through. */
const COMMENT_TAGS = ['p', 'br', 'em', 'strong', 'code', 'a', 'blockquote']
const ARTICLE_TAGS = ['p', 'br', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark', 'blockquote', 'q', 'cite', 'pre', 'code',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'abbr', 'time']

/** Everything on the page that could run code, whether or not it did. Runs in the page. */
function findRunnable(args: { commentTags: string[]; articleTags: string[] }): string[] {
  const problems: string[] = []
  const show = (el: Element) => el.outerHTML.slice(0, 140)
  const scheme = (u: string) => { try { return new URL(u, location.href).protocol } catch { return 'unparsable:' } }
  for (const s of Array.from(document.scripts)) {
    const src = s.getAttribute('src')
    if (!src || new URL(src, location.href).origin !== location.origin || !new URL(src, location.href).pathname.startsWith('/assets/')) problems.push(`script: ${show(s)}`)
  }
  for (const el of Array.from(document.querySelectorAll('iframe, frame, frameset, object, embed, applet, base, meta[http-equiv], portal, template, noscript, svg, math, style, isindex, keygen, bgsound'))) {
    problems.push(`element: ${show(el)}`)
  }
  for (const el of Array.from(document.querySelectorAll('link'))) {
    // Ours: the stylesheet, the canonical URL, and alternate links to this site's own feeds.
    const rel = el.getAttribute('rel') ?? ''
    const feed = rel === 'alternate' && /^\/[\w/.%-]*feed\.(xml|atom|json)(\?[^"<>]*)?$/.test(el.getAttribute('href') ?? '')
      && ['application/rss+xml', 'application/atom+xml', 'application/feed+json'].includes(el.getAttribute('type') ?? '')
    // …and the installable app's manifest and icons, at their fixed addresses.
    const app = (rel === 'manifest' && el.getAttribute('href') === '/manifest.webmanifest')
      || (['icon', 'apple-touch-icon'].includes(rel) && /^\/assets\/icon(-\d+\.png|\.svg)$/.test(el.getAttribute('href') ?? ''))
    if (!(['stylesheet', 'canonical'].includes(rel) || feed || app) || new URL(el.href).origin !== location.origin) problems.push(`link: ${show(el)}`)
  }
  const urlAttrs = ['href', 'src', 'action', 'xlink:href', 'data', 'poster', 'background', 'cite', 'lowsrc', 'dynsrc', 'codebase', 'ping']
  for (const el of Array.from(document.querySelectorAll('*'))) {
    for (const a of Array.from(el.attributes)) {
      const n = a.name.toLowerCase()
      if (n.startsWith('on')) problems.push(`handler ${n}: ${show(el)}`)
      else if (['style', 'srcdoc', 'formaction', 'srcset'].includes(n)) problems.push(`attribute ${n}: ${show(el)}`)
      else if (urlAttrs.includes(n)) {
        const ok = n === 'href' || n === 'xlink:href' ? ['http:', 'https:', 'mailto:'] : ['http:', 'https:']
        if (!ok.includes(scheme(a.value))) problems.push(`${n}="${a.value.slice(0, 80)}": ${show(el)}`)
      }
    }
  }
  // Within text from outside: only the renderers' markup, and no ids or names to clobber the page's own.
  const inside = (root: string, tags: string[]) => {
    for (const r of Array.from(document.querySelectorAll(root))) {
      for (const el of Array.from(r.querySelectorAll('*'))) {
        if (!tags.includes(el.localName)) problems.push(`<${el.localName}> in ${root}: ${show(el)}`)
        for (const n of ['id', 'name', 'form', 'class']) if (el.hasAttribute(n)) problems.push(`${n} in ${root}: ${show(el)}`)
      }
      for (const a of Array.from(r.querySelectorAll('a'))) if (!/^(https?:|mailto:)/i.test(a.getAttribute('href') ?? '')) problems.push(`link in ${root}: ${show(a)}`)
    }
  }
  inside('.comment-body', args.commentTags)
  inside('main .body', args.articleTags)
  return problems
}

/**
 * Hovers, focuses and clicks everything in outside text. A click on a web link is held back (it is
 * checked above to be one); anything else a click would do (a script URL, a handler) is let through.
 */
function poke(selector: string): number {
  const web = (u: string) => { try { return ['http:', 'https:', 'mailto:'].includes(new URL(u, location.href).protocol) } catch { return false } }
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a, area') : null
    const href = a?.getAttribute('href') ?? a?.getAttribute('xlink:href')
    if (href != null && web(href)) e.preventDefault()
  }, true)
  document.addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement
    const action = (e as SubmitEvent).submitter?.getAttribute('formaction') ?? form.getAttribute('action') ?? ''
    if (web(action || location.href)) e.preventDefault()
  }, true)
  const all = new Set<Element>()
  for (const r of Array.from(document.querySelectorAll(selector))) { all.add(r); for (const el of Array.from(r.querySelectorAll('*'))) all.add(el) }
  let clicked = 0
  for (const el of all) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup']) el.dispatchEvent(new MouseEvent(type, { bubbles: true }))
    for (const type of ['focus', 'focusin']) el.dispatchEvent(new FocusEvent(type, { bubbles: type === 'focusin' }))
    if (el instanceof HTMLElement) el.focus()
    if (el.matches('a, area, button, input, summary, label, [tabindex]') && el instanceof HTMLElement) {
      el.click()
      clicked++
    }
  }
  return clicked
}

function flagsHere(prefix: string): string[] {
  const out = Object.keys(window).filter((k) => k.startsWith(prefix))
  try { if (top && top !== window) out.push(...Object.keys(top).filter((k) => k.startsWith(prefix)).map((k) => `top.${k}`)) } catch { /* another origin */ }
  return out
}

/**
 * Runs one of the functions above in a page or frame. They go as source text with a stand-in for the
 * `__name` helper that the TypeScript loader adds to named functions, which the page does not have.
 */
function inPage<A, R>(target: Page | Frame, fn: (arg: A) => R, arg: A): Promise<R> {
  return target.evaluate(`(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}) })()`) as Promise<R>
}

interface Visit { pages: number; clicked: number; problems: string[] }
const visit = (): Visit => ({ pages: 0, clicked: 0, problems: [] })
const popups = new WeakMap<Page, Page[]>()

/**
 * Loads `path`, pokes it, and notes any flag set, anything runnable in the DOM, a status other than 200,
 * a dialog or a page error (as problems, so that one run reports every page that has one).
 */
async function inspect(page: Page, path: string, label: string, tally: Visit, opts: { realClicks?: number } = {}): Promise<void> {
  const where = `${label}: ${path}`
  const before = { dialogs: seen.dialogs.length, errors: seen.pageErrors.length }
  if (!popups.has(page)) {
    popups.set(page, [])
    page.on('popup', (p) => popups.get(page)!.push(p))
  }
  const res = await page.goto(`${origin}${path}`, { waitUntil: 'load' })
  if (res?.status() !== 200) tally.problems.push(`${where}: status ${res?.status()}`)
  for (const p of await inPage(page, findRunnable, { commentTags: COMMENT_TAGS, articleTags: ARTICLE_TAGS })) tally.problems.push(`${where}: ${p}`)
  tally.clicked += await inPage(page, poke, OUTSIDE.join(', '))
  // And real pointer events on the first links in outside text, as a reader's mouse makes them.
  if (opts.realClicks) {
    const links = page.locator('.comment-body a, main .body a')
    const n = Math.min(await links.count(), opts.realClicks)
    for (let i = 0; i < n; i++) {
      await links.nth(i).hover({ timeout: 10_000 })
      await links.nth(i).click({ timeout: 10_000 })
      tally.clicked++
    }
  }
  await page.keyboard.press('Tab')
  await page.waitForTimeout(50) // animation and SVG timing events fire after load
  for (const p of [page, ...popups.get(page)!.splice(0)]) {
    for (const f of p.frames()) for (const k of await inPage(f, flagsHere, XSS_FLAG_PREFIX)) tally.problems.push(`${where}: ran ${k} (frame ${f.url().slice(0, 60)})`)
    if (p !== page) await p.close()
  }
  for (const d of seen.dialogs.slice(before.dialogs)) tally.problems.push(`${where}: dialog ${d}`)
  for (const e of seen.pageErrors.slice(before.errors)) tally.problems.push(`${where}: page error ${e}`)
  tally.pages++
}

/** `inspect` over a list of paths (which may grow while it runs), a few pages at a time. */
async function inspectAll(ctx: BrowserContext, paths: string[], label: string, tally: Visit, opts: {
  workers?: number; realClicks?: (path: string) => number; then?: (page: Page, path: string) => Promise<void>
} = {}): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: opts.workers ?? 3 }, async () => {
    const page = await newPage(ctx)
    while (next < paths.length) {
      const path = paths[next++]!
      await inspect(page, path, label, tally, { realClicks: opts.realClicks?.(path) ?? 0 })
      await opts.then?.(page, path)
    }
    await page.close()
  }))
}

const report = (tally: Visit) => `${tally.problems.length} problems:\n${tally.problems.join('\n')}`

// ─────────────── the site and its publishers ───────────────

function benignPage(a: { title: string; paragraphs: string[] }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${a.title}</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>${a.title}</h1>${a.paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const send = (type: string, body: string) => { res.writeHead(200, { 'content-type': type }); res.end(body) }
  const item = (guid: string, a: { title: string }, path: string, minutesAgo: number) =>
    `<item><guid>${guid}</guid><title>${a.title}</title><link>${pubBase}${path}</link><pubDate>${new Date(Date.now() - minutesAgo * 60_000).toUTCString()}</pubDate></item>`
  switch (req.url) {
    case '/herald.xml': return send('application/rss+xml', `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbor Herald</title><link>${pubBase}/</link><description>d</description>
${item('ferry', FERRY, '/herald/ferry.html', 5)}${item('tram', TRAM, '/herald/tram.html', 10)}</channel></rss>`)
    case '/herald/ferry.html': return send('text/html; charset=utf-8', benignPage(FERRY))
    case '/herald/tram.html': return send('text/html; charset=utf-8', benignPage(TRAM))
  }
  if (!publisher.handle(req, res, pubBase)) res.writeHead(404).end()
}

before(async () => {
  if (skip) return
  ;({ server: pub, base: pubBase } = await serveLoopback(handler))
  dir = mkdtempSync(join(tmpdir(), 'tidings-community-'))
  app = await buildApp(loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 't.db')}`, DEMO: '0', SCHEDULER: '0', WEBSUB: '0',
    FETCH_ALLOW_HOSTS: new URL(pubBase).host, FETCH_PER_HOST_INTERVAL_MS: '0', FETCH_RESPECT_ROBOTS: '0',
    ADMIN_PASSWORD, COMMENT_HOLD_FIRST: '1', COMMENT_HOLD_LINKS: '0',
    LIMIT_COMMENTS_PER_ACCOUNT: '10000', LIMIT_COMMENTS_PER_IP: '100000', LIMIT_REGISTER_PER_IP: '100',
  }), { schedule: false })
  const { source } = await app.store.addSource({ kind: 'feed', url: `${pubBase}/herald.xml` }, new Date().toISOString())
  const report = await app.scheduler.refreshNow(source.id)
  assert.equal(report?.created, 2, 'the benign publisher’s two articles')
  for (const a of (await app.store.listArticles({ limit: 10, sourceId: source.id })).items) {
    const path = `/articles/${a.id}`
    if (a.title === FERRY.title) ferryPath = path
    if (a.title === TRAM.title) { tramPath = path; tramId = a.id }
  }
  await app.store.createUser({ name: MOD.name, passwordHash: await hashPassword(MOD.password), role: 'moderator' }, new Date().toISOString())
  web = serve({ fetch: app.web.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((r) => web.once('listening', r))
  origin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  mkdirSync(SHOTS, { recursive: true })
})

after(async () => {
  for (const c of contexts) await c.close().catch(() => {})
  await browser?.close()
  web?.close()
  await app?.close()
  pub?.closeAllConnections()
  pub?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// ─────────────── 1. the comment flow ───────────────

test('comment flow: register, sign out and in, comment (held first), reply, edit, report, hide, delete', { skip }, async (t) => {
  const rowan = await newPage(await newContext())
  await registerUi(rowan, 'rowan', '/')
  await rowan.locator('nav.account').getByRole('button', { name: 'Sign out' }).click()
  await rowan.locator('nav.account a[href="/login"]').waitFor()
  await loginUi(rowan, 'rowan', PASSWORD, '/')

  // From the home page's card to the article, which has no comments yet.
  await rowan.locator('li.card').getByRole('link', { name: FERRY.title }).first().click()
  await rowan.waitForURL(new RegExp(`${ferryPath}/`))
  const articleUrl = rowan.url()
  assert.equal(await rowan.locator('#comments p.empty').innerText(), 'No comments yet...')
  const first = await commentUi(rowan, 'Good news for the **island school** run.')
  assert.match(await rowan.locator('#comments p.notice').innerText(), /first comment waits for a moderator/)
  assert.match(await rowan.locator(`#c-${first} .status`).innerText(), /Waiting for a moderator/)

  const anon = await newPage(await newContext())
  await anon.goto(articleUrl)
  assert.equal(await anon.locator(`#c-${first}`).count(), 0, 'a held comment is not shown to others')

  // The moderator publishes it.
  const modPage = await newPage(await newContext())
  await loginUi(modPage, MOD.name, MOD.password, '/')
  await modPage.locator('nav.main').getByRole('link', { name: 'Moderation' }).click()
  await modPage.waitForURL(/\/moderation$/)
  const held = modPage.locator(`#m-${first}`)
  assert.match(await held.innerText(), /held: first comment of a new account/)
  await held.getByRole('button', { name: 'Publish' }).click()
  await modPage.locator('p.notice', { hasText: `Comment ${first}: restored.` }).waitFor()
  await anon.reload()
  assert.match(await anon.locator(`#c-${first} .comment-body`).innerHTML(), /<strong>island school<\/strong>/)

  // Rowan replies (now at once), takes back a second reply, and edits the comment.
  await rowan.goto(articleUrl)
  const replyUi = async (text: string) => {
    await rowan.locator(`#c-${first} > article footer`).getByRole('link', { name: 'Reply' }).click()
    await rowan.waitForURL(new RegExp(`\\?reply=${first}#reply-${first}$`))
    await rowan.locator(`#reply-${first} textarea[name=body]`).fill(text)
    await rowan.locator(`#reply-${first}`).getByRole('button', { name: 'Reply' }).click()
    await rowan.waitForURL(/#c-\d+$/)
    return Number(/#c-(\d+)$/.exec(rowan.url())![1])
  }
  const reply = await replyUi('And the 07:10 sailing suits the early shift.')
  assert.match(await rowan.locator(`#c-${first} ol.replies #c-${reply} .comment-body`).innerText(), /07:10 sailing/)
  assert.equal(await rowan.locator(`#c-${reply} .status`).count(), 0, 'after a published comment, replies appear at once')
  const typo = await replyUi('Teh 07:10')
  await rowan.locator(`#c-${typo}`).getByRole('button', { name: 'Delete' }).click()
  await rowan.locator('#comments p.notice', { hasText: 'The comment is deleted.' }).waitFor()
  assert.equal(await rowan.locator(`#c-${typo}`).count(), 0, 'a deleted reply with nothing under it is gone from the thread')

  await rowan.locator(`#c-${first} > article footer`).getByRole('link', { name: 'Edit' }).click()
  await rowan.waitForURL(new RegExp(`/comments/${first}/edit$`))
  assert.equal(await rowan.locator('textarea[name=body]').inputValue(), 'Good news for the **island school** run.')
  await rowan.locator('textarea[name=body]').fill('Good news for the **island school** run, and for the market.')
  await rowan.getByRole('button', { name: 'Save' }).click()
  await rowan.waitForURL(new RegExp(`#c-${first}$`))
  assert.equal(await rowan.locator(`#c-${first} > article .edited`).innerText(), 'edited')
  assert.match(await rowan.locator(`#c-${first} > article .comment-body`).innerText(), /and for the market/)

  // A second reader reports it.
  const sasha = await newPage(await newContext())
  await registerUi(sasha, 'sasha.k', new URL(articleUrl).pathname)
  await sasha.locator(`#c-${first} > article footer`).getByRole('button', { name: 'Report' }).click()
  await sasha.locator('#comments p.notice', { hasText: 'Thank you: a moderator will look at it.' }).waitFor()
  await sasha.screenshot({ path: join(SHOTS, 'community-article-comments.png'), fullPage: true })

  // The moderator sees the report and hides the comment.
  await modPage.goto(`${origin}/moderation`)
  const reported = modPage.locator(`#m-${first}`)
  assert.match(await reported.locator('.reports').innerText(), /Reported by sasha\.k/)
  assert.match(await reported.innerText(), /and for the market/)
  await modPage.screenshot({ path: join(SHOTS, 'community-moderation.png'), fullPage: true })
  await reported.getByRole('button', { name: 'Hide' }).click()
  await modPage.locator('p.notice', { hasText: `Comment ${first}: hidden.` }).waitFor()

  await t.test('the hidden comment is gone for an anonymous reader, and not counted', async () => {
    await anon.reload()
    // It has a reply, so a placeholder keeps the thread together; its text is gone.
    assert.equal(await anon.locator(`#c-${first} > p.meta`).innerText(), 'This comment was hidden by a moderator.')
    assert.doesNotMatch(await anon.locator('#comments').innerText(), /island school/)
    const shown = await anon.locator('#comments li.comment:not(.deleted)').count()
    assert.equal(await anon.locator('#comments-h').innerText(), shown ? `Comments (${shown})` : 'Comments', 'the heading counts the comments shown')
  })

  await t.test('the author can still find and delete their reply under the hidden comment', async () => {
    await rowan.goto(articleUrl)
    const mine = rowan.locator(`#c-${reply}`)
    assert.equal(await mine.count(), 1, `reply c-${reply} is on the author’s page`)
    await mine.getByRole('button', { name: 'Delete' }).click()
    await rowan.locator('#comments p.notice', { hasText: 'The comment is deleted.' }).waitFor()
    await anon.reload()
    assert.doesNotMatch(await anon.locator('#comments').innerText(), /07:10 sailing/)
  })
  assert.deepEqual(seen.pageErrors, [])
  assert.deepEqual(seen.dialogs, [])
})

// ─────────────── 2. the corpus as comments ───────────────

test('every XSS payload posted as a comment stays text: article, reply and edit pages, moderation queue', { skip }, async (t) => {
  const started = Date.now()
  const cspBefore = seen.csp.length
  const byPayload = new Map<string, number>()
  const tramUrl = `${origin}${tramPath}`

  // Ana registers in the page and posts her first comment through the form; it is held, and published.
  const anaCtx = await newContext()
  const ana = await newPage(anaCtx)
  await registerUi(ana, 'ana.w', tramPath)
  const viaForm = ['brk_textarea', 'script_plain', 'md_attr_breakout', 'ev_img_onerror', 'md_html_in_text']
  const payload = (id: string) => PAYLOADS.find((p) => p.id === id)!
  byPayload.set(viaForm[0]!, await commentUi(ana, payload(viaForm[0]!).html))
  const modCtx = await newContext()
  const mod = await newPage(modCtx)
  await loginUi(mod, MOD.name, MOD.password, '/moderation')
  assert.match(await mod.locator(`#m-${byPayload.get(viaForm[0]!)} .comment-body`).innerText(), /<\/textarea><script>/)
  await mod.locator(`#m-${byPayload.get(viaForm[0]!)}`).getByRole('button', { name: 'Publish' }).click()
  await mod.locator('p.notice', { hasText: 'restored' }).waitFor()
  for (const id of viaForm.slice(1)) {
    await ana.goto(tramUrl)
    byPayload.set(id, await commentUi(ana, payload(id).html))
  }
  // The rest over HTTP with her session.
  await ana.goto(tramUrl)
  const anaSession = await sessionOf(anaCtx, ana)
  await eachAtOnce(PAYLOADS.filter((p) => !byPayload.has(p.id)), async (p) => {
    const r = await postAs(anaSession, '/comments', { subject: 'article', subject_id: String(tramId), body: p.html })
    assert.equal(r.status, 303, `${p.id} posted`)
    byPayload.set(p.id, Number(/#c-(\d+)$/.exec(r.headers.get('location') ?? '')?.[1]))
  })
  assert.equal(byPayload.size, PAYLOADS.length)

  // Bo's comments all wait for a moderator (his first is never published), and he reports some of Ana's.
  const boCtx = await newContext()
  const bo = await newPage(boCtx)
  await registerUi(bo, 'bo_42', tramPath)
  const boSession = await sessionOf(boCtx, bo)
  await eachAtOnce(PAYLOADS, async (p) => {
    const r = await postAs(boSession, '/comments', { subject: 'article', subject_id: String(tramId), body: p.html })
    assert.equal(r.status, 303, `${p.id} posted by bo`)
  })
  await bo.goto(tramUrl)
  await bo.locator(`#c-${byPayload.get('md_attr_breakout')} > article footer`).getByRole('button', { name: 'Report' }).click()
  await bo.locator('#comments p.notice', { hasText: 'Thank you' }).waitFor()
  for (const id of ['brk_attr_double', 'svg_script', 'math_mglyph_style', 'js_a_href']) {
    const r = await postAs(boSession, `/comments/${byPayload.get(id)}/report`, { back: tramPath })
    assert.equal(r.status, 303, `${id} reported`)
  }
  await bo.close()
  await ana.close()
  await mod.close()
  const posted = Date.now()

  // The edit box is a raw-text context: the payloads that try to leave one are loaded there.
  const editable = PAYLOADS.filter((p) => ['breakout', 'rawtext'].includes(p.family))
  const views: Array<{ who: string; ctx: BrowserContext; paths: string[]; bypass: boolean }> = [
    { who: 'anonymous', ctx: await newContext(), paths: [tramPath], bypass: true },
    { who: 'author', ctx: anaCtx, paths: [tramPath, `${tramPath}?reply=${byPayload.get('md_attr_breakout')}`, ...editable.map((p) => `/comments/${byPayload.get(p.id)}/edit`)], bypass: false },
    { who: 'held author', ctx: boCtx, paths: [tramPath], bypass: false },
    { who: 'moderator', ctx: modCtx, paths: [tramPath, '/moderation', `/moderation?focus=${byPayload.get('script_plain')}&back=${encodeURIComponent(tramPath)}`], bypass: true },
  ]
  const tally = visit()
  const checks = async (who: string, page: Page, path: string) => {
    if (path === tramPath) {
      // Every payload is one comment: none swallowed its neighbours or made comments of its own.
      const ids = await page.locator('li.comment').evaluateAll((els) => els.map((e) => e.id))
      const expected = PAYLOADS.length * (who === 'anonymous' || who === 'author' ? 1 : 2)
      assert.equal(ids.length, expected, `${who} sees ${expected} comments`)
      for (const id of byPayload.values()) assert.ok(ids.includes(`c-${id}`), `c-${id} is shown to ${who}`)
    }
    const edit = /^\/comments\/(\d+)\/edit$/.exec(path)
    if (edit) {
      // The edit box gives back exactly what was posted: the text never left the <textarea>.
      const p = PAYLOADS.find((x) => byPayload.get(x.id) === Number(edit[1]))!
      assert.equal(await page.locator('textarea[name=body]').inputValue(), cleanCommentBody(p.html), `${p.id} round-trips through the edit box`)
    }
    if (path === '/moderation') assert.equal(await page.locator('li.mod-item').count(), PAYLOADS.length + 5, 'Bo’s held comments and the five reported')
  }
  for (const v of views) {
    await inspectAll(v.ctx, v.paths, `${v.who}, as served`, tally, { realClicks: (p) => (p === tramPath ? 3 : 0), then: (page, path) => checks(v.who, page, path) })
    // With the CSP bypassed, nothing but the renderer stands between a payload and the page.
    if (v.bypass) {
      await inspectAll(await newContext({ bypassCSP: true, from: v.ctx }), v.paths, `${v.who}, CSP bypassed`, tally, { then: (page, path) => checks(v.who, page, path) })
    }
  }
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  t.diagnostic(`${PAYLOADS.length} payloads × 2 accounts posted in ${secs(posted - started)}; ${tally.pages} page loads, ${tally.clicked} clicks in ${secs(Date.now() - posted)}; ${seen.csp.length - cspBefore} CSP refusals`)
  assert.deepEqual(tally.problems, [], report(tally))
})

// ─────────────── 3. the corpus from a malicious publisher ───────────────

test('a malicious publisher’s feeds and pages cannot run script on any page that shows them', { skip }, async (t) => {
  const started = Date.now()
  const cspBefore = seen.csp.length
  const now = new Date().toISOString()
  const sources: number[] = []
  for (const path of publisher.feeds) {
    const { source } = await app.store.addSource({ kind: 'feed', url: `${pubBase}${path}` }, now)
    const r = await app.scheduler.refreshNow(source.id)
    assert.equal(r?.outcome, 'updated', `${path}: ${r?.error?.message ?? ''}`)
    assert.ok((r?.created ?? 0) >= 10, `${path}: ${r?.created} articles`)
    t.diagnostic(`${path}: ${r?.created} articles, ${r?.degraded} of them from feed content`)
    sources.push(source.id)
  }
  const articles = (await Promise.all(sources.map(async (id) => (await app.store.listArticles({ limit: 100, sourceId: id })).items))).flat()
  const all = articles.find((a) => a.url === `${pubBase}/pages/all.html`)
  assert.ok(all, 'the page with every payload was read')
  assert.ok(articles.some((a) => a.title.includes('<')), 'a title kept its markup, as text')

  const articlePaths = articles.map((a) => `/articles/${a.id}`)
  const paths = ['/', '/sources', ...sources.map((id) => `/sources/${id}`), `/search?q=${SEARCH_WORD}`, `/tags/${SAFE_TAG}`, `/articles/${all.id}/changes`, ...articlePaths]
  const found = new Set<string>()
  const tally = visit()
  const follow = async (page: Page, path: string) => {
    // The stories these pages lead to are visited too, and a few of their tags (tag pages are lists of cards).
    for (const href of await page.locator('a[href^="/stories/"], ul.tags a[href^="/tags/"]').evaluateAll((els) => els.map((e) => e.getAttribute('href')!))) {
      const to = href.split(/[?#]/)[0]!
      if (paths.includes(to) || (to.startsWith('/tags/') && [...found].filter((f) => f.startsWith('/tags/')).length >= 5)) continue
      paths.push(to)
      found.add(to)
    }
    if (path === `/search?q=${SEARCH_WORD}`) assert.ok(await page.locator('li.card').count() >= 10, 'search finds the articles')
    if (path === `/articles/${all.id}`) assert.match(await page.locator('main .body').innerText(), /timber fenders of the north pier/)
  }
  await inspectAll(await newContext(), paths, 'reader, as served', tally, { realClicks: (p) => (p === `/articles/${all.id}` ? 3 : 0), then: follow })
  assert.ok([...found].some((p) => p.startsWith('/stories/')), 'the two copies of the whole report make a story')
  // With the CSP bypassed: the pages that show a publisher's markup (the sanitizer alone holds) and the lists.
  const shown = paths.filter((p) => p.startsWith('/articles/') || p.startsWith('/stories/') || p === '/' || p.startsWith('/search'))
  await inspectAll(await newContext({ bypassCSP: true }), shown, 'reader, CSP bypassed', tally)
  // The operator's pages show the same feeds' titles and errors.
  await inspectAll(await newContext({ admin: true }), ['/admin/sources', `/articles/${all.id}`], 'operator', tally)
  t.diagnostic(`${articles.length} articles from ${sources.length} feeds; ${tally.pages} page loads (${found.size} story and tag pages followed), ${tally.clicked} clicks; ${seen.csp.length - cspBefore} CSP refusals; ${((Date.now() - started) / 1000).toFixed(1)} s`)
  t.diagnostic(`followed: ${[...found].join(' ')}`)
  for (const line of seen.csp.slice(cspBefore, cspBefore + 5)) t.diagnostic(`CSP: ${line}`)
  assert.deepEqual(tally.problems, [], report(tally))
})

test('no page raised an error and no dialog opened', { skip }, () => {
  assert.deepEqual(seen.pageErrors, [])
  assert.deepEqual(seen.dialogs, [])
})
