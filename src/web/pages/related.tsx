import type { Article } from '../../domain/types.js'
import type { RelatedPick } from '../../pipeline/cluster/related.js'
import { ArticleCard } from '../components/article-card.js'
import { useT, type Translator } from '../i18n/i18n.js'
import { articlePath } from '../paths.js'

/** The small line above a related card saying why it is there. */
export function relatedLabel(t: Translator['t'], r: RelatedPick, originalId: number | null): string {
  switch (r.reasons.kind) {
    case 'same_story': return t(r.article.id === originalId ? 'related.sameStoryOriginal' : r.reasons.original ? 'related.sameStory' : 'related.sameStoryCopy')
    case 'related': return t('related.related')
    case 'same_source': return t('related.sameSource', { source: r.article.sourceTitle })
  }
}

export const relatedHref = (articleId: number, page: number) => `/articles/${articleId}/related?page=${page}`

/**
 * One page of the related stream: the cards (`data-stream-items`, whose children the site script
 * appends to the page it is on) and the link to the next page (`rel="next"`, `data-stream-next`,
 * which the script follows and replaces), absent at the end.
 */
export function RelatedStream(p: { articleId: number; picks: RelatedPick[]; next: number | null; now: Date; originalId: number | null }) {
  const { t } = useT()
  return (
    <>
      <ul class="cards" data-stream-items="">
        {p.picks.map((r) => <ArticleCard a={r.article} now={p.now} heading="h3" label={relatedLabel(t, r, p.originalId)} labelKind={r.reasons.kind} />)}
      </ul>
      {p.next !== null ? (
        <p class="pager"><a class="button" rel="next" data-stream-next="" href={relatedHref(p.articleId, p.next)}>{t('related.more')}</a></p>
      ) : null}
    </>
  )
}

/** `/articles/:id/related?page=N`: a full page that works without JavaScript. */
export function RelatedPage(p: { a: Article; page: number; picks: RelatedPick[]; next: number | null; now: Date; originalId: number | null }) {
  const { t } = useT()
  return (
    <section class="related related-page">
      <h1 class="page-title">{t('related.pageTitle', { title: p.a.title })} <span class="meta">{t('related.pageN', { n: p.page })}</span></h1>
      <p><a href={articlePath(p.a)}>{t('related.back')}</a></p>
      {p.picks.length === 0 ? <p class="meta">{t('related.end')}</p>
        : <RelatedStream articleId={p.a.id} picks={p.picks} next={p.next} now={p.now} originalId={p.originalId} />}
    </section>
  )
}
