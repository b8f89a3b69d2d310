import { createHash } from 'node:crypto'
import type { Context, Hono } from 'hono'
import { setCookie, deleteCookie } from 'hono/cookie'
import type { Child } from 'hono/jsx'
import { isLocale } from './i18n/i18n.js'
import { SITE_JS } from './assets/site-script.js'
import { swScript } from './assets/sw-script.js'
import { ICON_SVG, iconPng } from './assets/icons.js'
import { OfflinePage } from './pages/offline.js'

const hash = (s: string | Buffer) => createHash('sha256').update(s).digest('hex').slice(0, 10)
export const SITE_JS_HREF = `/assets/site.${hash(SITE_JS)}.js`
export const MANIFEST_HREF = '/manifest.webmanifest'
const YEAR = 365 * 24 * 3600
const FOREVER = 'public, max-age=31536000, immutable'

/** A same-site path to come back to, or `/`: never another origin (`//x`, `/\x`, `https:`…). */
export function safeNext(raw: string | undefined): string {
  const s = (raw ?? '').slice(0, 2000)
  if (!/^\/(?![/\\])/.test(s) || /[\u0000-\u001f\u007f\\]/.test(s)) return '/'
  const u = new URL(s, 'http://x.invalid')
  if (u.origin !== 'http://x.invalid') return '/'
  u.searchParams.delete('hl')
  return `${u.pathname}${u.search}${u.hash}`
}

/** The reader's theme cookie, when it names one. */

/**
 * The display settings route (language and theme cookies, then back to the page), the site script, and
 * the installable app: manifest, icons, service worker and the offline page it keeps.
 */
export function siteRoutes(app: Hono, o: {
  siteTitle: string; cssHref: string
  /** The app's page renderer; `anonymous` leaves the account out (the offline page is kept on the device). */
  page: (c: Context, body: Child, p: { title: string; robots?: string; anonymous?: boolean }) => Response | Promise<Response>
}) {
  const png192 = iconPng(192)
  const png512 = iconPng(512)
  const icons = { '/assets/icon.svg': ICON_SVG, '/assets/icon-192.png': png192, '/assets/icon-512.png': png512 }
  const manifest = JSON.stringify({
    id: '/', name: o.siteTitle, short_name: o.siteTitle.slice(0, 12), description: 'News from many publishers, cleanly.',
    start_url: '/', scope: '/', display: 'standalone', background_color: '#fbfaf8', theme_color: '#0b57d0',
    icons: [
      { src: '/assets/icon.svg', sizes: 'any', type: 'image/svg+xml' },
      { src: '/assets/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
      { src: '/assets/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
    ],
  })
  const version = hash([o.cssHref, SITE_JS_HREF, manifest, hash(png512)].join('|'))
  const sw = swScript({ version, offline: '/offline', shell: [o.cssHref, SITE_JS_HREF, '/offline', MANIFEST_HREF, ...Object.keys(icons)] })

  app.get('/prefs', (c) => {
    const hl = c.req.query('hl')
    const theme = c.req.query('theme')
    const opts = { path: '/', maxAge: YEAR, sameSite: 'Lax' as const, secure: new URL(c.req.url).protocol === 'https:' }
    if (isLocale(hl)) setCookie(c, 'hl', hl, opts)
    if (theme === 'light' || theme === 'dark') setCookie(c, 'theme', theme, opts)
    else if (theme === 'system') deleteCookie(c, 'theme', { path: '/' })
    c.header('cache-control', 'no-store')
    return c.redirect(safeNext(c.req.query('next')), 303)
  })
  app.get(SITE_JS_HREF, (c) => c.body(SITE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': FOREVER }))
  app.get(MANIFEST_HREF, (c) => c.body(manifest, 200, { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': 'public, max-age=3600' }))
  for (const [path, body] of Object.entries(icons)) {
    const type = path.endsWith('.svg') ? 'image/svg+xml' : 'image/png'
    app.get(path, (c) => c.body(typeof body === 'string' ? body : new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' }))
  }
  app.get('/sw.js', (c) => c.body(sw, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }))
  app.get('/offline', (c) => o.page(c, <OfflinePage />, { title: 'Offline', robots: 'noindex', anonymous: true }))
}
