import { webHref } from '../paths.js'
import type { ArticleSummary, Page, Source, StorySummary } from '../../domain/types.js'
import type { RankedStory } from '../../pipeline/cluster/rank-stories.js'
import type { SourceWithStats } from '../../store/store.js'
import { ArticleCard, TimeAgo } from '../components/article-card.js'
import { CsrfField } from '../components/csrf.js'
import { rich, useT } from '../i18n/i18n.js'
import { languageName } from '../lang-name.js'
import { hasFilter, searchHref, type SearchFilters } from '../search-filters.js'

export function ArticleList(p: { page: Page<ArticleSummary>; now: Date; moreHref: (cursor: string) => string; empty: string }) {
  const { t } = useT()
  if (p.page.items.length === 0) return <p class="empty">{p.empty}</p>
  return (
    <>
      <ul class="cards">{p.page.items.map((a) => <ArticleCard a={a} now={p.now} />)}</ul>
      {p.page.next ? <nav class="pager" aria-label={t('lists.pagination')}><a class="button" rel="next" href={p.moreHref(p.page.next)}>{t('lists.older')}</a></nav> : null}
    </>
  )
}

/** Stories many sources cover, recent first (rankStories): each links to its full coverage. */
function TopStories(p: { top: RankedStory<StorySummary>[]; now: Date }) {
  const { t } = useT()
  return (
    <section class="top-stories" aria-labelledby="top">
      <h1 id="top" class="page-title">{t('home.top')}</h1>
      <ul class="cards">
        {p.top.map(({ story: s }) => (
          <li class="card story-card">
            <div class="meta">
              <span class="source">{t('home.storySources', { n: s.sourceCount })}</span>
              <span>{t('home.storyArticles', { n: s.articleCount })}</span>
              <span>{rich(t('home.storyLatest'), { time: <TimeAgo date={s.lastAt} now={p.now} /> })}</span>
            </div>
            <h2><a href={`/stories/${s.id}`}>{s.title}</a></h2>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** A home section: a hashtag's or a source's newest few cards and a link to its page. */
export interface HomeSection {
  kind: 'tag' | 'source'
  /** The tag's slug or the source's id. */
  key: string
  title: string
  href: string
  items: ArticleSummary[]
}

function Sections(p: { sections: HomeSection[]; now: Date; kind: HomeSection['kind'] }) {
  const { t } = useT()
  const list = p.sections.filter((s) => s.kind === p.kind)
  if (list.length === 0) return null
  const id = `sections-${p.kind}`
  return (
    <section class="home-sections" aria-labelledby={id} data-sections={p.kind}>
      <h2 id={id} class="page-title">{t(p.kind === 'tag' ? 'home.byTag' : 'home.bySource')}</h2>
      {list.map((s) => (
        <section class="home-section" aria-labelledby={`${id}-${s.key}`} data-section={s.key}>
          <h3 id={`${id}-${s.key}`}><a href={s.href}>{s.kind === 'tag' ? `#${s.title}` : s.title}</a></h3>
          <ul class="cards">{s.items.map((a) => <ArticleCard a={a} now={p.now} heading="h3" showImage={false} />)}</ul>
          <p class="more"><a href={s.href}>{s.kind === 'tag' ? t('home.moreTag', { tag: s.title }) : t('home.moreSource', { source: s.title })}</a></p>
        </section>
      ))}
    </section>
  )
}

export function HomePage(p: { page: Page<ArticleSummary>; top?: RankedStory<StorySummary>[]; sections?: HomeSection[]; sources: SourceWithStats[]; now: Date; fetching: boolean }) {
  const { t } = useT()
  const top = p.top ?? []
  const sections = p.sections ?? []
  const Latest = top.length > 0 ? 'h2' : 'h1'
  return (
    <div class="layout">
      <div>
        {top.length > 0 ? <TopStories top={top} now={p.now} /> : null}
        <section aria-labelledby="latest">
          <Latest id="latest" class="page-title">{t('home.latest')}</Latest>
          <ArticleList page={p.page} now={p.now} moreHref={(c) => `/?after=${encodeURIComponent(c)}`}
            empty={p.fetching ? t('home.fetching') : t('home.empty')} />
        </section>
        <Sections sections={sections} now={p.now} kind="tag" />
        <Sections sections={sections} now={p.now} kind="source" />
      </div>
      <aside class="side" aria-label={t('home.sources')}>
        <section>
          <h2>{t('home.sources')}</h2>
          {p.sources.length === 0 ? <p>{t('home.noSources')}</p> : (
            <ul>{p.sources.map((s) => <li><a href={`/sources/${s.id}`}>{s.title}</a> <span class="meta">({s.articleCount})</span></li>)}</ul>
          )}
        </section>
      </aside>
    </div>
  )
}

export function SourcePage(p: { source: Source; page: Page<ArticleSummary>; now: Date }) {
  const { t } = useT()
  const s = p.source
  return (
    <section>
      <h1 class="page-title">{s.title}</h1>
      <p class="meta">
        {s.siteUrl && webHref(s.siteUrl) ? <a href={webHref(s.siteUrl)!} rel="noopener">{new URL(s.siteUrl).hostname}</a> : null}
        {webHref(s.url) ? <a href={webHref(s.url)!} rel="noopener">{t('source.feed')}</a> : null}
        {s.lastSuccessAt ? <span>{rich(t('source.checked'), { time: <TimeAgo date={s.lastSuccessAt} now={p.now} /> })}</span> : null}
      </p>
      {s.description ? <p>{s.description}</p> : null}
      {s.lastErrorCode ? <p class="notice error" role="status">{t('source.failed', { message: s.lastErrorMessage ?? '', code: s.lastErrorCode })}</p> : null}
      <ArticleList page={p.page} now={p.now} moreHref={(c) => `/sources/${s.id}?after=${encodeURIComponent(c)}`} empty={t('source.empty')} />
    </section>
  )
}

export function SourcesIndex(p: { sources: SourceWithStats[]; now: Date }) {
  const { t, locale } = useT()
  return (
    <section>
      <h1 class="page-title">{t('sources.title')}</h1>
      {p.sources.length === 0 ? <p class="empty">{t('sources.empty')}</p> : (
        <ul class="cards">
          {p.sources.map((s) => (
            <li class="card">
              <h2><a href={`/sources/${s.id}`}>{s.title}</a></h2>
              <div class="meta">
                <span>{t('sources.articles', { n: s.articleCount })}</span>
                {s.latestArticleAt ? <span>{rich(t('sources.latest'), { time: <TimeAgo date={s.latestArticleAt} now={p.now} /> })}</span> : null}
                {s.language ? <span>{languageName(s.language, locale)}</span> : null}
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
  const { t } = useT()
  return (
    <section>
      <h1 class="page-title">#{p.label}</h1>
      <ArticleList page={p.page} now={p.now} moreHref={(c) => `/tags/${encodeURIComponent(p.slug)}?after=${encodeURIComponent(c)}`} empty={t('tag.empty')} />
    </section>
  )
}

/** Languages the search form offers: the sources' own, common ones, and the one chosen. */
const COMMON_LANGS = ['en', 'ja', 'de', 'fr', 'es', 'it', 'pt', 'zh', 'ko', 'ru', 'ar']

export function SearchPage(p: {
  filters: SearchFilters; page: Page<ArticleSummary> | null; now: Date; sources: Source[]; bad?: string[]
  /** Signed in: the save form is offered; otherwise a sign-in link. */
  canSave: boolean
  feeds?: { rss: string; atom: string; json: string } | null
}) {
  const { t, locale } = useT()
  const f = p.filters
  const langs = [...new Set([...p.sources.map((s) => s.language?.toLowerCase().split('-')[0]).filter((x): x is string => !!x), ...COMMON_LANGS, ...(f.lang ? [f.lang] : [])])]
  const searching = f.q !== '' || hasFilter(f)
  return (
    <section>
      <h1 class="page-title">{f.q ? t('search.titleFor', { q: f.q }) : t('search.title')}</h1>
      <form class="search-form" method="get" action="/search" role="search">
        <p><label>{t('search.words')} <input type="search" name="q" value={f.q} maxlength={300} /></label></p>
        <fieldset>
          <legend>{t('search.filters')}</legend>
          <label>{t('search.source')} <select name="source">
            <option value="">{t('search.anySource')}</option>
            {p.sources.map((s) => <option value={String(s.id)} selected={f.source === s.id}>{s.title}</option>)}
          </select></label>{' '}
          <label>{t('search.lang')} <select name="lang">
            <option value="">{t('search.anyLang')}</option>
            {langs.map((l) => <option value={l} selected={f.lang === l}>{languageName(l, locale)}</option>)}
          </select></label>{' '}
          <label>{t('search.from')} <input type="date" name="from" value={f.from ?? ''} /></label>{' '}
          <label>{t('search.to')} <input type="date" name="to" value={f.to ?? ''} /></label>
        </fieldset>
        <p><button type="submit">{t('search.submit')}</button></p>
      </form>
      <p class="meta">{t('search.help')}</p>
      {(p.bad ?? []).map((b) => <p class="notice error" role="status">{t('search.badDate', { value: b })}</p>)}
      {searching ? (
        p.canSave ? (
          <form class="save-search" method="post" action="/saved"><CsrfField />
            <input type="hidden" name="q" value={f.q} />
            {f.source !== null ? <input type="hidden" name="source" value={String(f.source)} /> : null}
            {f.lang ? <input type="hidden" name="lang" value={f.lang} /> : null}
            {f.from ? <input type="hidden" name="from" value={f.from} /> : null}
            {f.to ? <input type="hidden" name="to" value={f.to} /> : null}
            <label>{t('search.saveName')} <input type="text" name="name" value={f.q} maxlength={100} /></label>{' '}
            <button type="submit">{t('search.save')}</button>
          </form>
        ) : <p class="meta"><a href={`/login?next=${encodeURIComponent(searchHref(f))}`}>{t('search.signInToSave')}</a></p>
      ) : null}
      {p.feeds ? (
        <p class="meta">{t('search.feeds')} <a href={p.feeds.rss}>RSS</a> · <a href={p.feeds.atom}>Atom</a> · <a href={p.feeds.json}>JSON Feed</a></p>
      ) : null}
      {p.page ? (
        <ArticleList page={p.page} now={p.now} moreHref={(c) => searchHref(f, { after: c })}
          empty={f.q ? t('search.none', { q: f.q }) : t('search.noneFiltered')} />
      ) : null}
    </section>
  )
}

