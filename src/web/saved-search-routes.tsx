import type { Context, Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import type { Child } from 'hono/jsx'
import { HttpError } from '../domain/errors.js'
import type { Store } from '../store/store.js'
import { MAX_SAVED_SEARCHES } from '../store/kysely-saved-searches.js'
import { viewerOf } from './auth/session.js'
import { newToken } from './auth/tokens.js'
import { negotiateLocale, translator } from './i18n/i18n.js'
import { SavedSearchesPage } from './pages/saved-searches.js'
import { hasFilter, parseFilters } from './search-filters.js'

export interface SavedSearchDeps {
  store: Store
  now: () => Date
  baseUrl: string | null
  page: (c: Context, body: Child, p: { title: string; robots?: string; current?: 'search' }, status?: number) => Response | Promise<Response>
  addNotice: (text: string) => string
  notice: (c: Context) => string | null
}

const field = (f: Record<string, unknown>, k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '')

/**
 * `/saved`: a signed-in reader's saved searches (save from the search page, rename, delete). Every
 * POST here comes from a signed-in session, so the session middleware has checked its form token;
 * a search is only ever changed by its owner (the store matches id and user together).
 */
export function savedSearchRoutes(app: Hono, d: SavedSearchDeps): void {
  const me = (c: Context) => {
    const user = viewerOf(c).user
    if (!user) throw new HttpError(403, 'forbidden', 'Sign in to save searches.')
    return user
  }
  // Notices are written in the reader's language when made: the redirect's page shows them as they are.
  const tr = (c: Context) => translator(negotiateLocale({ choice: c.req.query('hl') ?? null, cookie: getCookie(c, 'hl') ?? null, acceptLanguage: c.req.header('accept-language') ?? null, siteLang: null }))
  const back = (c: Context, text: string) => c.redirect(`/saved?n=${d.addNotice(text)}`, 303)
  const idOf = (c: Context) => {
    const n = Number(c.req.param('id'))
    if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw new HttpError(404, 'not_found', 'No such saved search.')
    return n
  }

  app.get('/saved', async (c) => {
    const user = viewerOf(c).user
    if (!user) return c.redirect('/login?next=/saved', 303)
    const [saved, sources] = await Promise.all([d.store.listSavedSearches(user.id), d.store.listSources()])
    const feedBase = d.baseUrl ? new URL(d.baseUrl).origin : new URL(c.req.url).origin
    return d.page(c, <SavedSearchesPage saved={saved} sources={sources} feedBase={feedBase} notice={d.notice(c)} />, { title: 'Saved searches', robots: 'noindex', current: 'search' })
  })

  app.post('/saved', async (c) => {
    const user = me(c)
    const form = await c.req.parseBody()
    const { filters: f } = parseFilters((k) => field(form, k))
    const { t } = tr(c)
    if (!f.q && !hasFilter(f)) throw new HttpError(400, 'bad_input', t('saved.nothing'))
    const mine = await d.store.listSavedSearches(user.id)
    if (mine.length >= MAX_SAVED_SEARCHES) return back(c, t('saved.tooMany', { n: MAX_SAVED_SEARCHES }))
    const name = field(form, 'name').trim().slice(0, 100) || f.q || t('saved.allArticles')
    const s = await d.store.createSavedSearch({
      userId: user.id, name, query: f.q, sourceId: f.source, lang: f.lang, from: f.from, to: f.to, feedToken: newToken(),
    }, d.now().toISOString())
    return back(c, t('saved.saved', { name: s.name }))
  })

  app.post('/saved/:id{[0-9]+}/rename', async (c) => {
    const user = me(c)
    const id = idOf(c)
    const name = field(await c.req.parseBody(), 'name').trim().slice(0, 100)
    if (!name) throw new HttpError(400, 'bad_input', 'Give the saved search a name.')
    if (!await d.store.renameSavedSearch(id, user.id, name)) throw new HttpError(404, 'not_found', tr(c).t('saved.notFound'))
    return back(c, tr(c).t('saved.renamed', { name }))
  })

  app.post('/saved/:id{[0-9]+}/delete', async (c) => {
    const user = me(c)
    const id = idOf(c)
    const s = (await d.store.listSavedSearches(user.id)).find((x) => x.id === id)
    if (!s || !await d.store.deleteSavedSearch(id, user.id)) throw new HttpError(404, 'not_found', tr(c).t('saved.notFound'))
    return back(c, tr(c).t('saved.deleted', { name: s.name }))
  })
}
