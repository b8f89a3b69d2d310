import type { ArticleSummary, Page, Source } from '../../domain/types.js'
import type { SourceWithStats } from '../../store/store.js'
import { ArticleCard, TimeAgo } from '../components/article-card.js'

export function ArticleList(p: { page: Page<ArticleSummary>; now: Date; moreHref: (cursor: string) => string; empty: string }) {
  if (p.page.items.length === 0) return <p class="empty">{p.empty}</p>
  return (
    <>
      <ul class="cards">{p.page.items.map((a) => <ArticleCard a={a} now={p.now} />)}</ul>
      {p.page.next ? <nav class="pager" aria-label="Pagination"><a class="button" rel="next" href={p.moreHref(p.page.next)}>Older articles</a></nav> : null}
    </>
  )
}

export function HomePage(p: { page: Page<ArticleSummary>; sources: SourceWithStats[]; now: Date; fetching: boolean }) {
  return (
    <div class="layout">
      <section aria-labelledby="latest">
        <h1 id="latest" class="page-title">Latest</h1>
        <ArticleList page={p.page} now={p.now} moreHref={(c) => `/?after=${encodeURIComponent(c)}`}
          empty={p.fetching ? 'Fetching the first articles from your sources… reload in a few seconds.' : 'No articles yet. Add a source under Manage.'} />
      </section>
      <aside class="side" aria-label="Sources">
        <section>
          <h2>Sources</h2>
          {p.sources.length === 0 ? <p>None yet.</p> : (
            <ul>{p.sources.map((s) => <li><a href={`/sources/${s.id}`}>{s.title}</a> <span class="meta">({s.articleCount})</span></li>)}</ul>
          )}
        </section>
      </aside>
    </div>
  )
}

export function SourcePage(p: { source: Source; page: Page<ArticleSummary>; now: Date }) {
  const s = p.source
  return (
    <section>
      <h1 class="page-title">{s.title}</h1>
      <p class="meta">
        {s.siteUrl ? <a href={s.siteUrl} rel="noopener">{new URL(s.siteUrl).hostname}</a> : null}
        <a href={s.url} rel="noopener">Feed</a>
        {s.lastSuccessAt ? <span>checked <TimeAgo date={s.lastSuccessAt} now={p.now} /></span> : null}
      </p>
      {s.description ? <p>{s.description}</p> : null}
      {s.lastErrorCode ? <p class="notice error" role="status">Last fetch failed: {s.lastErrorMessage} ({s.lastErrorCode})</p> : null}
      <ArticleList page={p.page} now={p.now} moreHref={(c) => `/sources/${s.id}?after=${encodeURIComponent(c)}`} empty="No articles from this source yet." />
    </section>
  )
}

export function SourcesIndex(p: { sources: SourceWithStats[]; now: Date }) {
  return (
    <section>
      <h1 class="page-title">Sources</h1>
      {p.sources.length === 0 ? <p class="empty">No sources yet.</p> : (
        <ul class="cards">
          {p.sources.map((s) => (
            <li class="card">
              <h2><a href={`/sources/${s.id}`}>{s.title}</a></h2>
              <div class="meta">
                <span>{s.articleCount} articles</span>
                {s.latestArticleAt ? <span>latest <TimeAgo date={s.latestArticleAt} now={p.now} /></span> : null}
                {s.language ? <span>{s.language}</span> : null}
              </div>
              {s.description ? <p class="excerpt">{s.description}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export function TagPage(p: { label: string; slug: string; page: Page<ArticleSummary>; now: Date }) {
  return (
    <section>
      <h1 class="page-title">#{p.label}</h1>
      <ArticleList page={p.page} now={p.now} moreHref={(c) => `/tags/${encodeURIComponent(p.slug)}?after=${encodeURIComponent(c)}`} empty="No articles with this tag." />
    </section>
  )
}

export function SearchPage(p: { query: string; page: Page<ArticleSummary> | null; now: Date }) {
  return (
    <section>
      <h1 class="page-title">{p.query ? `Search: ${p.query}` : 'Search'}</h1>
      <p class="meta">Words must all match; use "quoted phrases", -word to exclude, and word* for a prefix.</p>
      {p.page ? (
        <ArticleList page={p.page} now={p.now} moreHref={(c) => `/search?q=${encodeURIComponent(p.query)}&after=${encodeURIComponent(c)}`}
          empty={`Nothing matches “${p.query}”.`} />
      ) : null}
    </section>
  )
}
