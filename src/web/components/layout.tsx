import type { Child } from 'hono/jsx'
import { useT, type Locale } from '../i18n/i18n.js'

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
  /** Who is signed in, for the header's account links. */
  account?: { name: string; staff: boolean; csrf: string | null } | null
  children: Child
}

export function Layout(p: LayoutProps) {
  const full = p.title === p.siteTitle ? p.title : `${p.title} · ${p.siteTitle}`
  const { t } = useT()
  return (
    <html lang={p.locale ?? 'en'}>
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
          </div>
        </header>
        <main id="content" class="wrap">{p.children}</main>
        <footer class="site">
          <div class="wrap">{t('footer.text')}</div>
        </footer>
      </body>
    </html>
  )
}
