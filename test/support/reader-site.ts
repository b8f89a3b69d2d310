/**
 * The site the reader-app protocol tests (Google Reader, Fever) talk to: an in-memory store with two
 * sources, Harbor Herald (English) and Minato Shimbun (Japanese), `articles` numbered 1… oldest first
 * and fetched a minute apart up to `newestMinutesAgo` before `clock`, and the web app on it (no socket).
 */
import type { ArticleInput } from '../../src/domain/types.js'
import type { Store } from '../../src/store/store.js'
import { openStore } from '../../src/store/open-store.js'
import { article } from '../../src/store/store.contract.js'
import { createWebApp, type WebDeps } from '../../src/web/app.js'

export interface ReaderSite {
  store: Store
  app: ReturnType<typeof createWebApp>
  /** Source ids. */
  en: number
  ja: number
  /** Article ids, oldest (number 1) first. */
  ids: number[]
}

export async function readerSite(o: {
  clock: Date
  articles: number
  /** How long before `clock` the newest article was fetched (default 10 minutes). */
  newestMinutesAgo?: number
  /** Which source article `n` comes from. */
  sourceOf: (n: number, s: { en: number; ja: number }) => number
  /** Fields of article `n` beyond its number, time and title (`Story n`). */
  fields?: (n: number) => Partial<ArticleInput>
  /** The Japanese source's declared language. */
  jaLanguage?: string
  /** Run before the web app is built (accounts, app passwords). */
  seed?: (store: Store, t0: string) => Promise<void>
  web: Omit<WebDeps, 'store' | 'now' | 'siteTitle' | 'baseUrl' | 'adminPassword' | 'actions'> & Partial<Pick<WebDeps, 'baseUrl' | 'actions'>>
}): Promise<ReaderSite> {
  const store = await openStore('sqlite::memory:')
  const t0 = o.clock.toISOString()
  const en = (await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald', language: 'en', siteUrl: 'https://herald.example/' }, t0)).source.id
  const ja = (await store.addSource({ kind: 'feed', url: 'https://minato.example/rss', title: 'Minato Shimbun', language: o.jaLanguage ?? 'ja' }, t0)).source.id
  const ids: number[] = []
  for (let n = 1; n <= o.articles; n++) {
    const at = new Date(o.clock.getTime() - (o.articles + (o.newestMinutesAgo ?? 10) - n) * 60_000).toISOString()
    const saved = await store.saveArticle(article(o.sourceOf(n, { en, ja }), n, { published: at, title: `Story ${n}`, ...o.fields?.(n) }), at)
    ids.push(saved.id)
  }
  await o.seed?.(store, t0)
  const unused = async () => { throw new Error('unused in this test') }
  const app = createWebApp({
    store, now: () => o.clock, siteTitle: 'Tidings', baseUrl: o.web.baseUrl ?? null, adminPassword: 'operator secret',
    actions: o.web.actions ?? { subscribe: unused, importOpml: unused, refresh: async () => null },
    ...o.web,
  })
  return { store, app, en, ja, ids }
}
