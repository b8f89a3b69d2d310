import { translator } from './i18n/i18n.js'

/**
 * English relative and absolute times ("4 hours ago", "22 Nov 2026, 03:00 UTC"), for code outside a page.
 * Pages use the reader's translator (`useT().relative` / `.dateTime`); this is its English one, so both
 * say the same thing.
 */
export function relativeTime(date: string | Date, now: Date): string {
  return translator('en').relative(date, now)
}

/** Absolute form for the tooltip and for screen readers: "22 Nov 2026, 03:00 UTC". */
export function absoluteTime(date: string, opts: { timeZone?: string } = {}): string {
  return translator('en').dateTime(date, opts)
}
