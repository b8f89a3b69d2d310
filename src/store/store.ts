import type {
  Article, ArticleInput, ArticleSummary, IsoDate, NewSource, Page, Revision, Source, SourceFetchState, Tag,
} from '../domain/types.js'

/** A source with what the sources admin shows next to it. */
export interface SourceWithStats extends Source {
  articleCount: number
  latestArticleAt: IsoDate | null
}

export type SourcePatch = Partial<SourceFetchState & Pick<Source, 'title' | 'siteUrl' | 'description' | 'language'>>

export type SaveStatus = 'created' | 'updated' | 'unchanged'

export interface ListQuery {
  limit: number
  cursor?: string | null
  sourceId?: number
  tag?: string
}

export interface SearchQuery {
  /** User syntax: words, "quoted phrases", -excluded words. Same meaning on both databases. */
  query: string
  limit: number
  cursor?: string | null
  sourceId?: number
}

/**
 * The one persistence interface, in domain types. Two databases sit behind it (SQLite, Postgres),
 * kept honest by one contract suite (store.contract.ts).
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  close(): Promise<void>

  getSetting(key: string): Promise<string | null>
  setSetting(key: string, value: string): Promise<void>

  /** Adds a source, or returns the existing one with the same URL (`created: false`). */
  addSource(input: NewSource, now: IsoDate): Promise<{ source: Source; created: boolean }>
  getSource(id: number): Promise<Source | null>
  findSourceByUrl(url: string): Promise<Source | null>
  listSources(): Promise<SourceWithStats[]>
  /** Sources whose next check is due at `now`, most overdue first. */
  dueSources(now: IsoDate, limit: number): Promise<Source[]>
  updateSource(id: number, patch: SourcePatch): Promise<void>
  /** Removes a source and everything ingested from it. */
  deleteSource(id: number): Promise<boolean>

  /** The stored article this feed item maps to (same source and GUID, or same source and URL). */
  findArticleRef(q: { sourceId: number; guid: string; url: string }): Promise<{ id: number; itemHash: string } | null>
  /**
   * Creates the article, or updates it in place; when the title or text changed, the earlier
   * version is kept as a revision.
   */
  saveArticle(input: ArticleInput, now: IsoDate): Promise<{ id: number; status: SaveStatus }>
  getArticle(id: number): Promise<Article | null>
  listArticles(q: ListQuery): Promise<Page<ArticleSummary>>
  searchArticles(q: SearchQuery): Promise<Page<ArticleSummary>>
  /** Articles sharing at least one tag with the given one, most shared tags first. */
  articlesSharingTags(articleId: number, limit: number): Promise<ArticleSummary[]>
  listRevisions(articleId: number): Promise<Revision[]>
  countArticles(): Promise<number>
  getTag(slug: string): Promise<Tag | null>
}
