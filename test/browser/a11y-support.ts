// Shared by the accessibility and page tests: the demo install in Chromium, an admin account, and the
// list of the site's pages (found by following the site's own links, so new ones join as they appear).
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { loadConfig } from '../../src/config/config.js'
import { buildApp, type App } from '../../src/app.js'
import { hashPassword } from '../../src/web/auth/password.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SHOTS = join(process.cwd(), 'artifacts', 'screenshots')
export const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`

export interface Site {
  app: App
  origin: string
  browser: Browser
  /** Signed in as an admin. */
  admin: BrowserContext
  anonymous: BrowserContext
  /** name → path, in a fixed order; `signedIn` pages are opened in the admin context. */
  pages: { name: string; path: string; signedIn: boolean }[]
  close(): Promise<void>
}

const ADMIN = { name: 'site_admin', password: 'long enough password 42' }

export async function openSite(): Promise<Site> {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-a11y-'))
  const config = loadConfig({ DATA_DIR: dir, DEMO: '1', DEMO_PORT: '0', SCHEDULER: '0', FETCH_PER_HOST_INTERVAL_MS: '0' })
  const app = await buildApp(config, { schedule: false })
  await app.scheduler.tick()
  const now = new Date().toISOString()
  const admin = (await app.store.createUser({ name: ADMIN.name, passwordHash: await hashPassword(ADMIN.password), role: 'admin' }, now))!
  const reader = (await app.store.createUser({ name: 'harbor_reader', passwordHash: await hashPassword('another long password 7'), role: 'reader' }, now))!
  const list = await app.store.listArticles({ limit: 200 })
  // The article with the most around it: in a story of several, with an author.
  const stories = await app.store.recentStories({ since: '2000-01-01T00:00:00.000Z', limit: 20, minArticles: 2 })
  const storyId = stories[0]?.id ?? null
  let articleId = list.items[0]!.id
  let authorName: string | null = null
  for (const s of list.items) {
    const a = await app.store.getArticle(s.id)
    if (a && (storyId === null || a.storyId === storyId) && a.author) { articleId = a.id; authorName = a.author.name; break }
  }
  const first = await app.store.addComment({ subject: 'article', subjectId: articleId, parentId: null, userId: reader.id, body: 'Good to see this covered. Does anyone know *when* it starts?', status: 'visible', statusReason: null }, now)
  await app.store.addComment({ subject: 'article', subjectId: articleId, parentId: first.id, userId: admin.id, body: 'Next week, according to the second report.', status: 'visible', statusReason: null }, now)
  await app.store.addComment({ subject: 'article', subjectId: articleId, parentId: null, userId: reader.id, body: 'A comment waiting for a moderator.', status: 'held', statusReason: 'first comment' }, now)

  const server: ServerType = serve({ fetch: app.web.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((r) => server.once('listening', r))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  mkdirSync(SHOTS, { recursive: true })
  const anonymous = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const adminCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const login = await adminCtx.newPage()
  await login.goto(`${origin}/login`)
  await login.locator('#name').fill(ADMIN.name)
  await login.locator('#password').fill(ADMIN.password)
  await Promise.all([login.waitForURL((u) => !u.pathname.startsWith('/login')), login.locator('form:has(#password) button[type=submit]').click()])
  await login.close()

  // Links as the article page shows them.
  const probe = await anonymous.newPage()
  await probe.goto(`${origin}/articles/${articleId}`)
  const href = async (sel: string) => probe.locator(sel).first().getAttribute('href', { timeout: 2000 }).catch(() => null)
  const story = await href('a[href^="/stories/"]') ?? (storyId ? `/stories/${storyId}` : null)
  const source = await href('a[href^="/sources/"]')
  const tag = await href('a[href^="/tags/"]')
  let author = await href('a[href^="/authors/"]')
  await probe.close()
  if (!author && authorName) {
    const slug = authorName.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')
    if ((await anonymous.request.get(`${origin}/authors/${encodeURIComponent(slug)}`)).status() === 200) author = `/authors/${encodeURIComponent(slug)}`
  }
  const word = list.items[0]!.title.split(/\s+/).find((w) => w.length > 4)?.toLowerCase() ?? 'ferry'

  const pages: Site['pages'] = []
  const add = (name: string, path: string | null, signedIn = false) => { if (path) pages.push({ name, path, signedIn }) }
  add('home', '/')
  add('home-ja', '/?hl=ja')
  add('article', `/articles/${articleId}`)
  add('story', story)
  add('source', source)
  add('sources', '/sources')
  add('tag', tag)
  add('author', author)
  add('search', `/search?q=${encodeURIComponent(word)}`)
  add('search-empty', '/search?q=zzzqqqnothing')
  add('login', '/login')
  add('register', '/register')
  add('not-found', '/no/such/page')
  add('account', '/account', true)
  add('moderation', '/moderation', true)
  add('admin-sources', '/admin/sources', true)
  add('admin-users', '/admin/users', true)
  add('admin-jobs', '/admin/jobs', true)
  add('admin-ai', '/admin/ai', true)
  // Pages other work adds: included once they answer.
  for (const [name, path] of [['admin-health', '/admin/health'], ['saved-searches', '/saved']] as const) {
    const r = await adminCtx.request.get(origin + path)
    if (r.status() === 200) add(name, path, true)
  }
  return {
    app, origin, browser, admin: adminCtx, anonymous, pages,
    async close() {
      await browser.close()
      server.close()
      await app.close()
    },
  }
}
