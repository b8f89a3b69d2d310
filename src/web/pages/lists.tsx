import { webHref } from '../paths.js'
import type { ArticleSummary, Page, Source, StorySummary } from '../../domain/types.js'
import type { RankedStory } from '../../pipeline/cluster/rank-stories.js'
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

/** Stories many sources cover, recent first (rankStories): each links to its full coverage. */
function TopStories(p: { top: RankedStory<StorySummary>[]; now: Date }) {
  return (
    <section class="top-stories" aria-labelledby="top">
      <h1 id="top" class="page-title">Top stories</h1>
      <ul class="cards">
        {p.top.map(({ story: s }) => (
          <li class="card story-card">
            <div class="meta">
              <span class="source">{s.sourceCount} sources</span>
              <span>{s.articleCount} articles</span>
              <span>latest <TimeAgo date={s.lastAt} now={p.now} /></span>
            </div>
            <h2><a href={`/stories/${s.id}`}>{s.title}</a></h2>
          </li>
        ))}
      </ul>
    </section>
  )
}

export function HomePage(p: { page: Page<ArticleSummary>; top?: RankedStory<StorySummary>[]; sources: SourceWithStats[]; now: Date; fetching: boolean }) {
  const top = p.top ?? []
  const Latest = top.length > 0 ? 'h2' : 'h1'
  return (
    <div class="layout">
      <div>
        {top.length > 0 ? <TopStories top={top} now={p.now} /> : null}
        <section aria-labelledby="latest">
          <Latest id="latest" class="page-title">Latest</Latest>
          <ArticleList page={p.page} now={p.now} moreHref={(c) => `/?after=${encodeURIComponent(c)}`}
            empty={p.fetching ? 'Fetching the first articles from your sources… reload in a few seconds.' : 'No articles yet. Add a source under Manage.'} />
        </section>
      </div>
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
        {webHref(s.url) ? <a href={webHref(s.url)!} rel="noopener">Feed</a> : null}
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
