import type { Source } from '../../domain/types.js'
import type { SavedSearch } from '../../store/store.js'
import { CsrfField } from '../components/csrf.js'
import { useT } from '../i18n/i18n.js'
import { languageName } from '../lang-name.js'
import { searchHref, type SearchFilters } from '../search-filters.js'

export const savedFilters = (s: SavedSearch): SearchFilters => ({ q: s.query, source: s.sourceId, lang: s.lang, from: s.from, to: s.to })

/** The reader's saved searches: each opens the search, has its three feed addresses, and can be renamed or deleted. */
export function SavedSearchesPage(p: { saved: SavedSearch[]; sources: Source[]; feedBase: string; notice: string | null }) {
  const { t, locale } = useT()
  const sourceTitle = (id: number) => p.sources.find((s) => s.id === id)?.title ?? `#${id}`
  const describe = (s: SavedSearch) => [
    s.sourceId !== null ? sourceTitle(s.sourceId) : null,
    s.lang ? languageName(s.lang, locale) : null,
    s.from || s.to ? `${s.from ?? '…'} – ${s.to ?? '…'}` : null,
  ].filter((x): x is string => x !== null).join(', ')
  return (
    <section class="saved-searches">
      <h1 class="page-title">{t('saved.title')}</h1>
      {p.notice ? <p class="notice ok" role="status">{p.notice}</p> : null}
      {p.saved.length === 0 ? <p class="empty">{t('saved.empty')}</p> : (
        <>
          <p class="meta">{t('saved.feedNote')}</p>
          <ul class="cards">
            {p.saved.map((s) => {
              const feed = `${p.feedBase}/saved/feeds/${s.feedToken}`
              const filters = describe(s)
              return (
                <li class="card" id={`saved-${s.id}`}>
                  <h2><a href={searchHref(savedFilters(s))}>{s.name}</a></h2>
                  <div class="meta">
                    {s.query ? <span>“{s.query}”</span> : null}
                    <span>{t('saved.filters', { filters: filters || t('saved.allArticles') })}</span>
                  </div>
                  <p class="meta">{t('saved.feed')} <a href={`${feed}/feed.xml`}>RSS</a> · <a href={`${feed}/feed.atom`}>Atom</a> · <a href={`${feed}/feed.json`}>JSON Feed</a></p>
                  <form method="post" action={`/saved/${s.id}/rename`}><CsrfField />
                    <label>{t('search.saveName')} <input type="text" name="name" value={s.name} maxlength={100} required /></label>{' '}
                    <button type="submit">{t('saved.rename')}</button>
                  </form>
                  <form method="post" action={`/saved/${s.id}/delete`}><CsrfField />
                    <button type="submit" class="danger">{t('saved.delete')}</button>
                  </form>
                </li>
              )
            })}
          </ul>
        </>
      )}
    </section>
  )
}
