import type { ColumnDataType, ColumnDefinitionBuilder, Kysely, RawBuilder } from 'kysely'

/** What differs between the two databases; everything else is one implementation (kysely-store.ts). */
export interface DialectSpec {
  readonly name: 'sqlite' | 'postgres'
  readonly idType: ColumnDataType
  idColumn(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder
  readonly timestampType: ColumnDataType
  /** Creates the full-text index over articles (title weighted above text). */
  createSearchIndex(db: Kysely<any>): Promise<void>
  /** Rows `(id, rank)` of articles matching the query; lower rank is better. */
  searchMatches(parsed: import('../search-query.js').ParsedSearch): RawBuilder<{ id: number; rank: number }> | null
}
