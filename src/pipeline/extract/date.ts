import type { IsoDate } from '../../domain/types.js'

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$/i
const HAS_ZONE = /\b(GMT|UTC|UT|Z)\b|[+-]\d{2}:?\d{2}\s*$|\b[ECMP][SD]T\b/i

/**
 * A publisher's date string as ISO 8601 UTC, or null. A date or time without a zone is read as UTC, so the
 * result never depends on the machine's TZ. Accepts ISO 8601 (with or without seconds, zone, time) and the
 * forms Date.parse knows (RFC 2822, "March 14, 2026 10:00"). Years outside 1990–2100 are treated as junk.
 */
export function parseDate(input: string | null | undefined): IsoDate | null {
  if (!input) return null
  const s = input.trim()
  if (!s) return null
  let ms: number
  const m = ISO.exec(s)
  if (m) {
    const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m
    let z = zone ? zone.toUpperCase() : 'Z'
    if (/^[+-]\d{2}$/.test(z)) z += ':00'
    else if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`
    const fraction = frac ? `.${frac.slice(0, 3).padEnd(3, '0')}` : ''
    ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction}${z}`)
  } else if (/^\d{10}(\d{3})?$/.test(s)) {
    // Unix seconds or milliseconds, as some CMSes put in meta tags.
    ms = s.length === 10 ? Number(s) * 1000 : Number(s)
  } else {
    ms = Date.parse(HAS_ZONE.test(s) ? s : `${s} UTC`)
  }
  if (!Number.isFinite(ms)) return null
  const date = new Date(ms)
  const year = date.getUTCFullYear()
  if (year < 1990 || year > 2100) return null
  return date.toISOString()
}
