import { CsrfField } from '../components/csrf.js'
import type { Article, ArticleSummary, Caption, Sentence } from '../../domain/types.js'
import type { AiArticleView } from '../../ai/service.js'
import { AiPanel } from '../components/ai-panel.js'
import type { RelatedPick } from '../../pipeline/cluster/related.js'
import { RelatedStream } from './related.js'
import { webHref, articlePath } from '../paths.js'
import { raw } from 'hono/html'
import { ArticleCard, Byline, TimeAgo } from '../components/article-card.js'
import { languageName } from '../lang-name.js'
import { rich, useT } from '../i18n/i18n.js'


function Photo(p: { c: Caption; lang?: string | null }) {
  return (
    <figure class="photo">
      {p.c.imageUrl ? <img src={p.c.imageUrl} alt={p.c.text} loading="lazy" /> : null}
      <figcaption lang={p.lang ?? undefined}>
        {p.c.text}
        {p.c.credit ? <> <span class="credit">{p.c.credit}</span></> : null}
      </figcaption>
    </figure>
  )
}

/** Everything the reference page shows that we can fill: source, time, author and bio, body, captions apart, languages, tags, related. */
export function ArticlePage(p: {
  a: Article; related: RelatedPick[]; now: Date; admin?: boolean
  /** The related stream's next page (`/articles/:id/related?page=N`), null at its end. */
  relatedNext?: number | null
  /** The article's story, when it has more than this article. */
  coverage?: { id: number; sources: number; articles: number } | null
  /** The original this article republishes (provenance's pick), when it is a copy. */
  original?: ArticleSummary | null
  /** The AI panel's state; the article's sentences, for quoting and highlighting answers. */
  ai?: AiArticleView | null
  sentences?: Sentence[]
  /** Sentences a citation points at (`?cite=`). */
  cite?: number[]
}) {
  const { a } = p
  const { t, locale } = useT()
  // The site's words around the article are in the reader's locale: when the article's language differs,
  // it goes on the article's own parts rather than on the whole <article>.
  const own = a.lang && a.lang.toLowerCase().split('-')[0] !== locale ? a.lang : undefined
  const ai = p.ai ?? null
  const sentences = p.sentences ?? []
  const translated = ai?.translation?.task?.status === 'done' ? ai.translation.task.result : null
  // Sentences an answer rests on are marked in the text, so the reader sees them in place.
  const marked = new Set<number>([
    ...(ai?.permission.allowed ? p.cite ?? [] : []),
    ...(ai?.ask?.builtin.found ? ai.ask.builtin.sentences.map((x) => x.index) : []),
    ...(ai?.ask?.model?.status === 'done' && ai.ask.model.result?.found ? ai.ask.model.result.citations : []),
  ])
  const base = `/articles/${a.id}`
  const when = a.published ?? a.fetchedAt
  // The lead photo goes on top with its caption; other captions follow the body, never inside it.
  const leadCaption = a.captions.find((c) => c.imageUrl && c.imageUrl === a.leadImage) ?? null
  const otherCaptions = a.captions.filter((c) => c !== leadCaption)
  return (
    <div class="article-page">
      <article class="story" lang={own ? undefined : a.lang ?? undefined}>
        <div class="meta">
          <a class="source" href={`/sources/${a.sourceId}`}>{a.sourceTitle}</a>
          <TimeAgo date={when} now={p.now} />
          {a.revisedAt ? (
            <span class="revised">{t('article.updated')} <TimeAgo date={a.revisedAt} now={p.now} /> — <a href={`/articles/${a.id}/changes`}>{t('article.seeChanges')}</a></span>
          ) : null}
        </div>
        {translated ? (
          <>
            <h1 lang={ai!.translation!.lang}>{translated.title}</h1>
            <p class="translated-note">{t('article.translatedNote', { lang: languageName(ai!.translation!.lang, locale), model: ai!.translation!.task!.model })} <a href={base}>{t('article.showOriginal')}</a> ({a.title})</p>
          </>
        ) : <h1 lang={own}>{a.title}</h1>}
        {p.original ? (
          <p class="republished">{rich(t('article.republished', { source: p.original.sourceTitle }), { link: <a href={articlePath(p.original)}>{p.original.title}</a> })}</p>
        ) : null}
        {p.coverage ? (
          <p class="coverage-link"><a href={`/stories/${p.coverage.id}`}>{t('article.coverage', { n: p.coverage.sources })}</a>
            {p.coverage.articles !== p.coverage.sources ? <span class="meta"> {t('article.coverageArticles', { n: p.coverage.articles })}</span> : null}</p>
        ) : null}
        {a.author ? (
          <div class="byline">
            <div>{t('article.author')} <Byline name={a.author.name} /></div>
            {a.author.bio ? <p class="bio">{a.author.bio}</p> : null}
          </div>
        ) : null}
        {a.altLinks.some((l) => webHref(l.url)) ? (
          <nav class="translations" aria-label={t('article.otherLanguages')}>
            <ul>
              {a.altLinks.filter((l) => webHref(l.url)).map((l) => (
                <li><a href={webHref(l.url)!} hreflang={l.lang} rel="alternate noopener">{t('article.readIn', { lang: languageName(l.lang, locale) })}</a></li>
              ))}
            </ul>
          </nav>
        ) : null}
        {leadCaption ? <Photo c={leadCaption} lang={a.lang} /> : a.leadImage ? (
          <figure class="photo"><img src={a.leadImage} alt="" /></figure>
        ) : null}
        {/* html was sanitized by an allow-list at ingestion; nothing after that adds markup */}
        {translated ? (
          <div class="body" lang={ai!.translation!.lang}>{translated.paragraphs.map((t) => <p>{t}</p>)}</div>
        ) : marked.size > 0 && sentences.length > 0 ? (
          <div class="body answer-marked" lang={own}>{markedText(a.text, sentences, marked)}</div>
        ) : (
          <div class="body" lang={own}>{raw(a.html)}</div>
        )}
        {otherCaptions.length > 0 ? (
          <section aria-label={t('article.photos')}>{otherCaptions.map((c) => <Photo c={c} lang={a.lang} />)}</section>
        ) : null}
        {a.tags.length > 0 ? (
          <ul class="tags" aria-label={t('article.hashtags')}>{a.tags.map((t) => <li><a href={`/tags/${encodeURIComponent(t.slug)}`}>#{t.label}</a></li>)}</ul>
        ) : null}
        <p class="original">{webHref(a.url) ? <a href={webHref(a.url)!} rel="noopener">{t('article.readAt', { source: a.sourceTitle })}</a> : <span>{t('article.from', { source: a.sourceTitle })}</span>}
          {ai && ai.permission.allowed && ai.enrichment.readingMinutes > 0 ? <span class="meta"> · {t('article.minRead', { n: ai.enrichment.readingMinutes })}</span> : null}</p>
        {ai ? <AiPanel a={a} ai={ai} base={base} sentenceText={(i) => sentences[i]?.text ?? null} /> : null}
        {p.admin ? (
          <p class="admin-actions"><a class="button danger" href={`/admin/articles/${a.id}/delete`}>{t('article.delete')}</a></p>
        ) : null}
        {a.cleanup && (a.cleanup.injected.length > 0 || a.cleanup.removed.length > 0 || a.cleanup.repaired > 0) ? (
          <details class="cleanup">
            <summary>{t('article.cleaned')}</summary>
            <ul>
              {a.cleanup.repaired > 0 ? <li>{t('article.repaired')}</li> : null}
              {a.cleanup.injected.map((x) => <li>{rich(t('article.injected', { reason: x.reason }), { text: <q>{x.text}</q> })}</li>)}
              {a.cleanup.removed.map((x) => <li>{rich(t('article.removed', { reason: x.reason }), { text: <q>{x.text.length > 160 ? `${x.text.slice(0, 160)}…` : x.text}</q> })}</li>)}
            </ul>
          </details>
        ) : null}
        {a.extractError ? (
          <p class="meta">{t('article.fromFeed', { code: a.extractError.code })}</p>
        ) : null}
        <section class="related" aria-labelledby="related-h">
          <h2 id="related-h">{t('related.title')}</h2>
          {p.related.length === 0 ? <p class="meta">{t('related.none')}</p> : (
            <RelatedStream articleId={a.id} picks={p.related} next={p.relatedNext ?? null} now={p.now} originalId={p.original?.id ?? null} />
          )}
        </section>
      </article>
    </div>
  )
}

/**
 * The text as paragraphs of sentences, each addressable (`#s-N`), the marked ones in <mark>: the
 * sanitized HTML cannot be cut at sentence ends, the plain text can.
 */
function markedText(text: string, sentences: Sentence[], marked: Set<number>) {
  const byParagraph = new Map<number, Sentence[]>()
  for (const s of sentences) {
    const list = byParagraph.get(s.paragraph)
    if (list) list.push(s)
    else byParagraph.set(s.paragraph, [s])
  }
  return [...byParagraph.values()].map((list) => (
    <p>{list.map((s, i) => {
      const t = text.slice(s.start, s.end)
      return <>{i > 0 ? ' ' : ''}{marked.has(s.index) ? <mark id={`s-${s.index}`}>{t}</mark> : <span id={`s-${s.index}`}>{t}</span>}</>
    })}</p>
  ))
}

/** Deleting an article is final and sticks across refreshes: ask first (works without JavaScript). */
export function ConfirmDeleteArticlePage(p: { a: Article }) {
  const { a } = p
  const { t } = useT()
  return (
    <section>
      <h1 class="page-title">{t('article.confirmDelete', { title: a.title })}</h1>
      <p>{t('article.confirmDeleteText', { source: a.sourceTitle })}</p>
      <form method="post" action={`/admin/articles/${a.id}/delete`}><CsrfField />
        <button class="danger" type="submit">{t('article.delete')}</button>{' '}
        <a href={`/articles/${a.id}`}>{t('article.keep')}</a>
      </form>
    </section>
  )
}
