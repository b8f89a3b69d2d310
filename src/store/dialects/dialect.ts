import type { ColumnDataType, ColumnDefinitionBuilder, Kysely, RawBuilder } from 'kysely'

/** What differs between the two databases; everything else is one implementation (kysely-store.ts). */
export interface DialectSpec {
  readonly name: 'sqlite' | 'postgres'
  readonly idType: ColumnDataType
  idColumn(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder
  readonly timestampType: ColumnDataType
  /** Creates the full-text index over articles (title weighted above text). */
  createSearchIndex(db: Kysely<any>): Promise<void>
  /**
   * Rows `(id, rank)` of the newest `window` articles (by id, the order they were stored) matching the
   * query and `filter` (a condition on `articles as a`); lower rank is better. The window bounds the
   * ranking work: a word in half of a million articles would otherwise score all of them per query.
   */
  searchMatches(parsed: import('../search-query.js').ParsedSearch, opts: { window: number; filter: RawBuilder<unknown> | null }): RawBuilder<{ id: number; rank: number }> | null
}
