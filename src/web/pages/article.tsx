import { CsrfField } from '../components/csrf.js'
import type { Article, ArticleSummary, Caption, Sentence } from '../../domain/types.js'
import type { AiArticleView } from '../../ai/service.js'
import { AiPanel } from '../components/ai-panel.js'
import type { RelatedPick } from '../../pipeline/cluster/related.js'
import { webHref, articlePath } from '../paths.js'
import { raw } from 'hono/html'
import { ArticleCard, TimeAgo } from '../components/article-card.js'
import { languageName } from '../lang-name.js'


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

/** The small line above a related card saying why it is there. */
function relatedLabel(r: RelatedPick, originalId: number | null): string {
  switch (r.reasons.kind) {
    case 'same_story': return r.article.id === originalId ? 'Same story · the original' : r.reasons.original ? 'Same story' : 'Same story · republished copy'
    case 'related': return 'Related story'
    case 'same_source': return `More from ${r.article.sourceTitle}`
  }
}

/** Everything the reference page shows that we can fill: source, time, author and bio, body, captions apart, languages, tags, related. */
export function ArticlePage(p: {
  a: Article; related: RelatedPick[]; now: Date; admin?: boolean
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
      <article class="story" lang={a.lang ?? undefined}>
        <div class="meta">
          <a class="source" href={`/sources/${a.sourceId}`}>{a.sourceTitle}</a>
          <TimeAgo date={when} now={p.now} />
          {a.revisedAt ? (
            <span class="revised">Updated <TimeAgo date={a.revisedAt} now={p.now} /> — <a href={`/articles/${a.id}/changes`}>see changes</a></span>
          ) : null}
        </div>
        {translated ? (
          <>
            <h1 lang={ai!.translation!.lang}>{translated.title}</h1>
            <p class="translated-note">Translated into {languageName(ai!.translation!.lang)} by {ai!.translation!.task!.model}. <a href={base}>Show the original</a> ({a.title})</p>
          </>
        ) : <h1>{a.title}</h1>}
        {p.original ? (
          <p class="republished">Republished copy of <a href={articlePath(p.original)}>{p.original.title}</a> ({p.original.sourceTitle})</p>
        ) : null}
        {p.coverage ? (
          <p class="coverage-link"><a href={`/stories/${p.coverage.id}`}>Full coverage: {p.coverage.sources} {p.coverage.sources === 1 ? 'source' : 'sources'}</a>
            {p.coverage.articles !== p.coverage.sources ? <span class="meta"> ({p.coverage.articles} articles)</span> : null}</p>
        ) : null}
        {a.author ? (
          <div class="byline">
            <div>Author: <span class="author">{a.author.name}</span></div>
            {a.author.bio ? <p class="bio">{a.author.bio}</p> : null}
          </div>
        ) : null}
        {a.altLinks.some((l) => webHref(l.url)) ? (
          <nav class="translations" aria-label="Other languages">
            <ul>
              {a.altLinks.filter((l) => webHref(l.url)).map((l) => (
                <li><a href={webHref(l.url)!} hreflang={l.lang} rel="alternate noopener">Read the article in {languageName(l.lang)}</a></li>
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
          <div class="body answer-marked">{markedText(a.text, sentences, marked)}</div>
        ) : (
          <div class="body">{raw(a.html)}</div>
        )}
        {otherCaptions.length > 0 ? (
          <section aria-label="Photos">{otherCaptions.map((c) => <Photo c={c} lang={a.lang} />)}</section>
        ) : null}
        {a.tags.length > 0 ? (
          <ul class="tags" aria-label="Hashtags">{a.tags.map((t) => <li><a href={`/tags/${encodeURIComponent(t.slug)}`}>#{t.label}</a></li>)}</ul>
        ) : null}
        <p class="original">{webHref(a.url) ? <a href={webHref(a.url)!} rel="noopener">Read at {a.sourceTitle}</a> : <span>From {a.sourceTitle}</span>}
          {ai && ai.permission.allowed && ai.enrichment.readingMinutes > 0 ? <span class="meta"> · {ai.enrichment.readingMinutes} min read</span> : null}</p>
        {ai ? <AiPanel a={a} ai={ai} base={base} sentenceText={(i) => sentences[i]?.text ?? null} /> : null}
        {p.admin ? (
          <p class="admin-actions"><a class="button danger" href={`/admin/articles/${a.id}/delete`}>Delete this article</a></p>
        ) : null}
        {a.cleanup && (a.cleanup.injected.length > 0 || a.cleanup.removed.length > 0 || a.cleanup.repaired > 0) ? (
          <details class="cleanup">
            <summary>Tidings cleaned this article</summary>
            <ul>
              {a.cleanup.repaired > 0 ? <li>Repaired text that had been read with the wrong character set.</li> : null}
              {a.cleanup.injected.map((x) => <li>Hid text that looks injected: <q>{x.text}</q> ({x.reason})</li>)}
              {a.cleanup.removed.map((x) => <li>Removed from the body ({x.reason}): <q>{x.text.length > 160 ? `${x.text.slice(0, 160)}…` : x.text}</q></li>)}
            </ul>
          </details>
        ) : null}
        {a.extractError ? (
          <p class="meta">Shown from the feed: the page could not be read ({a.extractError.code}).</p>
        ) : null}
        <section class="related" aria-labelledby="related-h">
          <h2 id="related-h">Related Articles</h2>
          {p.related.length === 0 ? <p class="meta">Nothing related yet.</p> : (
            <ul class="cards">{p.related.map((r) => <ArticleCard a={r.article} now={p.now} heading="h3" label={relatedLabel(r, p.original?.id ?? null)} labelKind={r.reasons.kind} />)}</ul>
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
  return (
    <section>
      <h1 class="page-title">Delete “{a.title}”?</h1>
      <p>
        This deletes the article from {a.sourceTitle} with its earlier versions, and it will not come back when the
        source is refreshed, even if the publisher changes its address or ID. Removing the whole source clears this.
      </p>
      <form method="post" action={`/admin/articles/${a.id}/delete`}><CsrfField />
        <button class="danger" type="submit">Delete this article</button>{' '}
        <a href={`/articles/${a.id}`}>Keep it</a>
      </form>
    </section>
  )
}
