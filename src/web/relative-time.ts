/**
 * "4 hours ago", "an hour ago", "26 minutes ago": the reference page's wording, with the thresholds
 * readers know from moment.js (45 s, 45 min, 22 h, 26 d, 11 months). `now` is injected.
 */
export function relativeTime(date: string | Date, now: Date): string {
  const t = typeof date === 'string' ? Date.parse(date) : date.getTime()
  if (Number.isNaN(t)) return ''
  const diff = now.getTime() - t
  const s = Math.abs(diff) / 1000
  const phrase = (() => {
    if (s < 45) return 'a few seconds'
    if (s < 90) return 'a minute'
    const m = s / 60
    if (m < 45) return `${Math.round(m)} minutes`
    if (m < 90) return 'an hour'
    const h = m / 60
    if (h < 22) return `${Math.round(h)} hours`
    if (h < 36) return 'a day'
    const d = h / 24
    if (d < 26) return `${Math.round(d)} days`
    if (d < 45) return 'a month'
    if (d < 320) return `${Math.round(d / 30.4375)} months`
    if (d < 548) return 'a year'
    return `${Math.round(d / 365.25)} years`
  })()
  return diff >= 0 ? `${phrase} ago` : `in ${phrase}`
}

/** Absolute form for the tooltip and for screen readers: "22 Nov 2026, 03:00 UTC". */
export function absoluteTime(date: string, opts: { timeZone?: string } = {}): string {
  const d = new Date(date)
  if (Number.isNaN(d.getTime())) return ''
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: opts.timeZone ?? 'UTC', timeZoneName: 'short',
  }).format(d)
}
