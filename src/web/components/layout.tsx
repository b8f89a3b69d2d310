import type { Child } from 'hono/jsx'
import { LOCALES, LOCALE_NAMES, useT, type Locale } from '../i18n/i18n.js'

export interface LayoutProps {
  title: string
  siteTitle: string
  /** The language of the page's main content, when it is not the site's words' (an article's own). */
  lang?: string
  /** The locale of the site's own words (header, footer, labels). */
  locale?: Locale
  current?: 'home' | 'sources' | 'admin' | 'search'
  query?: string
  cssHref: string
  description?: string
  canonical?: string
  /** Same-origin scripts, deferred: every page works without them. */
  scripts?: string[]
  robots?: string
  /** `<link rel="alternate">` to this page's feeds. */
  feeds?: { type: string; title: string; href: string }[]
  /** The reader's chosen theme (the `theme` cookie); none follows the system's. */
  theme?: 'light' | 'dark' | null
  /** This page's path and query, where the display settings come back to. */
  path?: string
  /** The site script (shortcuts, theme, related stream, offline reading), deferred. */
  siteScript?: string
  /** The web app manifest. */
  manifest?: string
  /** Who is signed in, for the header's account links. */
  account?: { name: string; staff: boolean; csrf: string | null } | null
  children: Child
}

export function Layout(p: LayoutProps) {
  const full = p.title === p.siteTitle ? p.title : `${p.title} · ${p.siteTitle}`
  const { t } = useT()
  const locale = p.locale ?? 'en'
  return (
    <html lang={locale} data-theme={p.theme ?? undefined}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{full}</title>
        {p.description ? <meta name="description" content={p.description} /> : null}
        {p.canonical ? <link rel="canonical" href={p.canonical} /> : null}
        <meta name="color-scheme" content="light dark" />
        {p.robots ? <meta name="robots" content={p.robots} /> : null}
        {(p.feeds ?? []).map((f) => <link rel="alternate" type={f.type} title={f.title} href={f.href} />)}
        <link rel="stylesheet" href={p.cssHref} />
        {p.manifest ? <link rel="manifest" href={p.manifest} /> : null}
        {p.manifest ? <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" /> : null}
        {p.manifest ? <link rel="apple-touch-icon" href="/assets/icon-192.png" /> : null}
        <meta name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#1c1c1e" media="(prefers-color-scheme: dark)" />
        {p.siteScript ? <script src={p.siteScript} defer /> : null}
        {(p.scripts ?? []).map((src) => <script src={src} defer />)}
      </head>
      <body>
        <a class="skip" href="#content">{t('skip.content')}</a>
        <header class="site">
          <div class="wrap">
            <a class="brand" href="/">{p.siteTitle}</a>
            <nav class="main" aria-label={t('nav.main')}>
              <a href="/" aria-current={p.current === 'home' ? 'page' : undefined}>{t('nav.latest')}</a>
              <a href="/sources" aria-current={p.current === 'sources' ? 'page' : undefined}>{t('nav.sources')}</a>
              <a href="/admin/sources" aria-current={p.current === 'admin' ? 'page' : undefined}>{t('nav.manage')}</a>
              {p.account?.staff ? <a href="/moderation">{t('nav.moderation')}</a> : null}
            </nav>
            <nav class="account" aria-label={t('nav.account')}>
              {p.account ? (
                <>
                  <a href="/account">{p.account.name}</a>
                  <form method="post" action="/logout" class="inline">
                    {p.account.csrf ? <input type="hidden" name="_csrf" value={p.account.csrf} /> : null}
                    <button type="submit" class="link">{t('nav.signOut')}</button>
                  </form>
                </>
              ) : <a href="/login">{t('nav.signIn')}</a>}
            </nav>
            <form class="search" role="search" action="/search" method="get">
              <label class="visually-hidden" for="q">{t('search.label')}</label>
              <input id="q" type="search" name="q" value={p.query ?? ''} placeholder={t('search.label')} />
              <button type="submit">{t('search.button')}</button>
            </form>
            <form class="prefs" action="/prefs" method="get" aria-label={t('prefs.label')}>
              <input type="hidden" name="next" value={p.path ?? '/'} />
              <label class="visually-hidden" for="prefs-hl">{t('nav.language')}</label>
              <select id="prefs-hl" name="hl">
                {LOCALES.map((l) => <option value={l} lang={l} selected={l === locale}>{LOCALE_NAMES[l]}</option>)}
              </select>
              <label class="visually-hidden" for="prefs-theme">{t('prefs.theme')}</label>
              <select id="prefs-theme" name="theme">
                <option value="system" selected={!p.theme}>{t('prefs.theme.system')}</option>
                <option value="light" selected={p.theme === 'light'}>{t('prefs.theme.light')}</option>
                <option value="dark" selected={p.theme === 'dark'}>{t('prefs.theme.dark')}</option>
              </select>
              <button type="submit" class="secondary" data-js-hide>{t('prefs.apply')}</button>
            </form>
          </div>
        </header>
        <main id="content" class="wrap">{p.children}</main>
        <footer class="site">
          <div class="wrap">{t('footer.text')}{p.siteScript ? <> <button type="button" class="link" data-shortcuts hidden>{t('keys.open')}</button></> : null}</div>
        </footer>
        {p.siteScript ? <Shortcuts /> : null}
      </body>
    </html>
  )
}

/** The help the `?` key opens (the site script shows it; without the script nothing needs it). */
function Shortcuts() {
  const { t } = useT()
  const row = (keys: string[][], what: string) => (
    <><dt>{keys.map((alt, i) => <>{i > 0 ? ` ${t('keys.or')} ` : ''}{alt.map((k, j) => <>{j > 0 ? ` ${t('keys.then')} ` : ''}<kbd>{k}</kbd></>)}</>)}</dt><dd>{what}</dd></>
  )
  return (
    <dialog id="shortcuts" class="shortcuts" aria-labelledby="shortcuts-h">
      <h2 id="shortcuts-h">{t('keys.title')}</h2>
      <dl>
        {row([['j']], t('keys.next'))}
        {row([['k']], t('keys.prev'))}
        {row([['o'], ['Enter']], t('keys.openArticle'))}
        {row([['/']], t('keys.search'))}
        {row([['g', 'h']], t('keys.home'))}
        {row([['?']], t('keys.help'))}
      </dl>
      <p class="meta">{t('keys.closeHint')}</p>
      <form method="dialog"><button type="submit">{t('keys.close')}</button></form>
    </dialog>
  )
}
