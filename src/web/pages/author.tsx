import type { ArticleSummary, Page } from '../../domain/types.js'
import type { AuthorProfile } from '../../store/store.js'
import { useT } from '../i18n/i18n.js'
import { ArticleList } from './lists.js'

/** An author across all sources: name, bio where a publisher gave one, their articles newest first. */
export function AuthorPage(p: { author: AuthorProfile; page: Page<ArticleSummary>; now: Date; feeds: { rss: string; atom: string; json: string } }) {
  const { t } = useT()
  const a = p.author
  return (
    <section class="author-page">
      <h1 class="page-title">{t('author.title', { name: a.name })}</h1>
      {a.bio ? (
        <section class="bio" aria-label={t('author.bio')}><p>{a.bio}</p></section>
      ) : null}
      <p class="meta"><a href={p.feeds.rss}>RSS</a> · <a href={p.feeds.atom}>Atom</a> · <a href={p.feeds.json}>JSON Feed</a></p>
      <h2>{t('author.articles', { name: a.name })}</h2>
      <ArticleList page={p.page} now={p.now} moreHref={(c) => `/authors/${encodeURIComponent(a.slug)}?after=${encodeURIComponent(c)}`} empty={t('author.empty')} />
    </section>
  )
}
