import type { IsoDate } from '../../domain/types.js'
import { parseDate as parseAnyDate } from '../dates/parse-date.js'

/**
 * A date from a page's metadata as ISO 8601 UTC, or null: the shared date parser (RFC 2822, ISO 8601
 * and their wild variants; no zone means UTC), plus Unix timestamps some CMSes put in meta tags.
 * Years outside 1990–2100 on an article page are junk (placeholders, typos), not history.
 */
export function parseDate(input: string | null | undefined): IsoDate | null {
  if (!input) return null
  const s = input.trim()
  if (!s) return null
  const iso = /^\d{10}(\d{3})?$/.test(s) ? new Date(s.length === 10 ? Number(s) * 1000 : Number(s)).toISOString() : parseAnyDate(s)
  if (!iso) return null
  const year = Number(iso.slice(0, 4))
  return year >= 1990 && year <= 2100 ? iso : null
}
