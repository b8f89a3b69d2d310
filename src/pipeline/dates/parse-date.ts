import type { IsoDate } from '../../domain/types.js'

/**
 * Parses the dates feeds actually contain into ISO 8601 UTC (`2003-06-10T04:00:00.000Z`, whole seconds),
 * or null. RFC 822/2822 and its wild variants, ISO 8601 / W3C-DTF, asctime, JavaScript's
 * `Date#toString`, `2003/06/10`, and a few localised forms (Greek, Hungarian, Korean, common European
 * month names). A missing zone means UTC. Garbage gives null, never an Invalid Date.
 */
export function parseDate(s: string): IsoDate | null {
  if (typeof s !== 'string') return null
  const fast = parseCommon(s)
  if (fast !== NO_MATCH) return fast
  const t = s.replace(/[\u00a0\u2000-\u200b\u3000]/g, ' ').replace(/\s+/g, ' ').trim()
  if (t === '' || t.length > 200) return null
  const korean = parseKorean(t)
  if (korean !== NO_MATCH) return korean
  const iso = parseIso(localisedIsoMonth(t))
  if (iso !== NO_MATCH) return iso
  return parseTextual(t)
}

const NO_MATCH = Symbol('no match')
type Attempt = IsoDate | null | typeof NO_MATCH

interface Parts {
  year: number
  month: number
  day: number
  hour?: number
  minute?: number
  second?: number
  /** Minutes east of UTC. */
  offset?: number
}

function build(p: Parts): IsoDate | null {
  return buildDate(p.year, p.month, p.day, p.hour ?? 0, p.minute ?? 0, p.second ?? 0, p.offset ?? 0)
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)

/** `offset` in minutes east of UTC. Refuses Feb 30 and friends rather than rolling them over. */
function buildDate(year: number, month: number, day: number, hour: number, minute: number, rawSecond: number, offset: number): IsoDate | null {
  if (!(year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1)) return null
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return null
  if (hour > 24 || minute > 59 || rawSecond > 60 || (hour === 24 && (minute > 0 || rawSecond > 0))) return null
  const second = Math.min(rawSecond, 59) // a leap second is not worth an error
  // Date.UTC reads years 0–99 as 1900–1999: shift such years by 400 (same calendar) and back.
  const early = year < 100
  const ms = Date.UTC(early ? year + 400 : year, month - 1, day, hour, minute, second) - (early ? MS_PER_400_YEARS : 0) - offset * 60_000
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null
}

const MS_PER_400_YEARS = 146_097 * 86_400_000

// ───────────────────────────── fast paths ─────────────────────────────

/** The two forms nearly every feed uses, exactly as they write them: `2024-01-05T10:00:00Z`, `Fri, 05 Jan 2024 10:00:00 GMT`. */
const FAST_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/
const FAST_RFC822 = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:(GMT|UTC|UT|Z)|([+-])(\d{2})(\d{2}))$/
const FAST_MONTHS: Readonly<Record<string, number>> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
}

/**
 * The common forms without the general machinery. Gives exactly what the general rules below give for
 * these strings (the tests run both), or NO_MATCH to hand over to them.
 */
function parseCommon(s: string): Attempt {
  const t = s.trim()
  const c = t.charCodeAt(0)
  if (c >= 48 && c <= 57) {
    const m = FAST_ISO.exec(t)
    if (!m) return NO_MATCH
    const offset = m[7] ? 0 : fastOffset(m[8]!, m[9]!, m[10]!)
    return offset === null ? null : buildDate(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, offset)
  }
  const m = FAST_RFC822.exec(t)
  if (!m || !Object.hasOwn(FAST_MONTHS, m[2]!)) return NO_MATCH
  const offset = m[7] ? 0 : fastOffset(m[8]!, m[9]!, m[10]!)
  return offset === null ? null : buildDate(+m[3]!, FAST_MONTHS[m[2]!]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!, offset)
}

function fastOffset(sign: string, h: string, mi: string): number | null {
  const hours = +h
  const minutes = +mi
  if (hours > 14 || minutes > 59) return null
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes)
}

const expandYear = (y: string): number => {
  const n = Number(y)
  if (y.length > 2) return n
  return n < 50 ? 2000 + n : 1900 + n // RFC 2822 §4.3
}

// ───────────────────────────── ISO 8601 / W3C-DTF ─────────────────────────────

function parseOffset(z: string | undefined): number | null | undefined {
  if (z === undefined || z === '') return undefined
  const u = z.toUpperCase()
  if (u === 'Z' || u === 'UTC' || u === 'GMT' || u === 'UT') return 0
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(z)
  if (!m) return null
  const h = Number(m[2])
  const mi = Number(m[3] ?? 0)
  if (h > 14 || mi > 59) return null
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi)
}

const ISO_EXTENDED =
  /^(\d{4})(?:-(\d{1,3})(?:-(\d{1,2}))?)?(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?(?:\s*((?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?|Z|UTC|GMT))?(.*)$/i
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const ISO_SHORT_YEAR = /^(\d{2})(?:(\d{2})(\d{2})|-(\d{2})-(\d{2}))$/
/** ISO 8601:1988 year and month with the century left out: `-0312`, `-03-12` (day 1). */
const ISO_YEAR_MONTH = /^-(\d{2})-?(\d{2})$/
/**
 * ISO 8601:1988 ordinal date with the century left out: `03-335`, `03335` (2003, day 335). Without the
 * hyphen only with a leading zero: `03335` can be nothing but a date, while `22013` reads as well as a
 * number (an id, a count) that ended up in a date field, and a wrong date is worse than none.
 */
const ISO_SHORT_ORDINAL = /^(?:(\d{2})-|(0\d))(\d{3})$/

function parseIso(t: string): Attempt {
  const basic = ISO_BASIC.exec(t)
  if (basic) return isoParts(basic[1], basic[2], basic[3], basic[4], basic[5], basic[6], basic[7])
  const short = ISO_SHORT_YEAR.exec(t)
  if (short) return build({ year: expandYear(short[1] ?? ''), month: Number(short[2] ?? short[4]), day: Number(short[3] ?? short[5]) })
  const yearMonth = ISO_YEAR_MONTH.exec(t)
  if (yearMonth) return build({ year: expandYear(yearMonth[1] ?? ''), month: Number(yearMonth[2]), day: 1 })
  const shortOrdinal = ISO_SHORT_ORDINAL.exec(t)
  if (shortOrdinal) return ordinalDate(expandYear(shortOrdinal[1] ?? shortOrdinal[2] ?? ''), Number(shortOrdinal[3]))

  const m = ISO_EXTENDED.exec(t)
  if (!m) return NO_MATCH
  const [, year, month, day, hour, minute, second, zone] = m
  let rest = m[8] ?? ''
  let zoneName: string | undefined
  if (rest !== '') {
    if (day === undefined) return NO_MATCH // "2003 Jun 10", "2003/06/10" are textual
    // Text glued to the date-time ("…-06:00Textra") is not a date; words after a space are labels
    // ("…Z (GMT)", "…-06:00 CST"), as in RFC 822 dates, and a zone name counts when no offset was given.
    // RFC 9557 annotations ("…+01:00[Europe/Paris]", as Java writes them) are glued but are labels too.
    rest = rest.replace(/^(?:\[[^\]\s]*\])+/, '')
    if (rest !== '' && !/^\s/.test(rest)) return null
    rest = rest.trim()
    if (/^(?:[\d:.+,/-]|T\d)/i.test(rest)) return null
    const word = /^[a-z]+(?:\/[a-z_]+)?(?=\s|\(|$)/i.exec(rest)?.[0].toLowerCase()
    if (word !== undefined && Object.hasOwn(ZONES, word)) zoneName = word
  }
  // An ordinal date: 2003-335.
  if (month !== undefined && month.length === 3 && day === undefined) return ordinalDate(Number(year), Number(month))
  if (hour === undefined && zone !== undefined && /^[+-]/.test(zone)) return null // 2013-01-27-01
  if (zone === undefined && hour !== undefined && zoneName !== undefined) {
    return build({ year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second ?? 0), offset: ZONES[zoneName]! * 60 })
  }
  return isoParts(year, month, day, hour, minute, second, zone)
}

function ordinalDate(year: number, ordinal: number): IsoDate | null {
  if (ordinal < 1 || ordinal > (isLeap(year) ? 366 : 365)) return null
  let month = 1
  let day = ordinal
  for (; month < 12; month++) {
    const length = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!
    if (day <= length) break
    day -= length
  }
  return build({ year, month, day, offset: 0 })
}

function isoParts(
  year: string | undefined, month: string | undefined, day: string | undefined,
  hour: string | undefined, minute: string | undefined, second: string | undefined, zone: string | undefined,
): IsoDate | null {
  const offset = parseOffset(zone)
  if (offset === null) return null
  return build({
    year: Number(year),
    month: month === undefined ? 1 : Number(month),
    day: day === undefined ? 1 : Number(day),
    hour: hour === undefined ? 0 : Number(hour),
    minute: minute === undefined ? 0 : Number(minute),
    second: second === undefined ? 0 : Number(second),
    offset: offset ?? 0,
  })
}

/** `2004-július-13T9:15-05:00` → `2004-07-13T9:15-05:00`. */
function localisedIsoMonth(t: string): string {
  return t.replace(/^(\d{4})-([^\d\s:/-]{3,})-(?=\d)/u, (all, y: string, name: string) => {
    const month = MONTHS.get(foldKey(name))
    return month === undefined ? all : `${y}-${String(month).padStart(2, '0')}-`
  })
}

// ───────────────────────────── Korean ─────────────────────────────

const KST = 9 * 60

function parseKorean(t: string): Attempt {
  // "2004년 05월 28일 01:31:15" (OnBlog)
  const a = /^(\d{4})년 ?(\d{1,2})월 ?(\d{1,2})일 ?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t)
  if (a) {
    return build({ year: +a[1]!, month: +a[2]!, day: +a[3]!, hour: +a[4]!, minute: +a[5]!, second: +(a[6] ?? 0), offset: KST })
  }
  // "2004-05-25 오후 11:23:17" (Nate): 오전 is a.m., 오후 p.m.
  const b = /^(\d{4})-(\d{1,2})-(\d{1,2}) ?(오전|오후) ?(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t)
  if (b) {
    let hour = +b[5]!
    if (hour > 12) return null
    if (b[4] === '오후' && hour < 12) hour += 12
    if (b[4] === '오전' && hour === 12) hour = 0
    return build({ year: +b[1]!, month: +b[2]!, day: +b[3]!, hour, minute: +b[6]!, second: +(b[7] ?? 0), offset: KST })
  }
  return NO_MATCH
}

// ───────────────────────────── RFC 822 and everything textual ─────────────────────────────

/** Lower-case, accents stripped, trailing dot dropped: `Ιούλ` → `ιουλ`, `févr.` → `fevr`. */
function foldKey(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\.$/, '')
}

const MONTHS = new Map<string, number>()
const monthNames: string[][] = [
  ['jan', 'january', 'januar', 'janvier', 'janv', 'enero', 'ene', 'gennaio', 'gen', 'januari', 'janeiro', 'ιαν', 'jän', 'jaen'],
  ['feb', 'february', 'februar', 'fevrier', 'fevr', 'fev', 'febrero', 'febbraio', 'februari', 'fevereiro', 'φεβ'],
  ['mar', 'march', 'marz', 'mrz', 'mars', 'marzo', 'maart', 'mrt', 'marco', 'marcius', 'μαρ'],
  ['apr', 'april', 'avril', 'avr', 'abril', 'abr', 'aprile', 'aprilis', 'απρ'],
  ['may', 'mai', 'mayo', 'maggio', 'mag', 'mei', 'maio', 'majus', 'μαι', 'μαη'],
  ['jun', 'june', 'juni', 'juin', 'junio', 'giugno', 'giu', 'junho', 'junius', 'ιουν', 'ιον'],
  ['jul', 'july', 'juli', 'juillet', 'juil', 'julio', 'luglio', 'lug', 'julho', 'julius', 'ιουλ', 'ιολ'],
  ['aug', 'august', 'aout', 'agosto', 'ago', 'augustus', 'augusztus', 'αυγ'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'setiembre', 'settembre', 'set', 'setembro', 'szeptember', 'σεπ'],
  ['oct', 'october', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre', 'ott', 'outubro', 'οκτ'],
  ['nov', 'november', 'novembre', 'noviembre', 'novembro', 'νοε'],
  ['dec', 'december', 'dezember', 'dez', 'decembre', 'diciembre', 'dic', 'dicembre', 'dezembro', 'δεκ'],
]
monthNames.forEach((names, i) => names.forEach((n) => MONTHS.set(foldKey(n), i + 1)))

/** Hours east of UTC for the zone names feeds use. Single military letters other than Z count as UTC (RFC 2822 §4.3). */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, 'etc/gmt': 0, 'etc/utc': 0, wet: 0,
  est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7,
  ast: -4, adt: -3, at: -4, et: -5, ct: -6, mt: -7, pt: -8,
  akst: -9, akdt: -8, hst: -10, hast: -10, hadt: -9, nst: -3.5, ndt: -2.5,
  bst: 1, cet: 1, cest: 2, met: 1, mest: 2, west: 1, eet: 2, eest: 3, msk: 3,
  ist: 5.5, ict: 7, wib: 7, hkt: 8, sgt: 8, awst: 8, jst: 9, kst: 9, acst: 9.5, aest: 10, aedt: 11, nzst: 12, nzdt: 13,
}

const TIME = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d+)?)?(a\.?m\.?|p\.?m\.?)?$/
const NUMERIC_ZONE = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/

function parseTextual(input: string): IsoDate | null {
  const tokens = input
    .replace(/\([^)]*\)/g, ' ') // "(Central European Summer Time)"
    .toLowerCase()
    .replace(/,/g, ' ')
    .split(' ')
    .filter((x) => x !== '')
  let year: number | undefined
  let month: number | undefined
  let day: number | undefined
  let time: { hour: number; minute: number; second: number } | undefined
  let offset: number | undefined

  for (const token of tokens) {
    const key = foldKey(token)
    const monthNo = MONTHS.get(key)
    if (monthNo !== undefined && month === undefined) {
      month = monthNo
      continue
    }
    const tm = TIME.exec(token)
    if (tm) {
      if (time) return null
      time = { hour: Number(tm[1]), minute: Number(tm[2]), second: Number(tm[3] ?? 0) }
      if (tm[4] && !applyMeridiem(time, tm[4])) return null
      continue
    }
    if (/^(?:a\.?m\.?|p\.?m\.?)$/.test(token)) {
      if (!time || !applyMeridiem(time, token)) return null
      continue
    }
    if (/^\d{4}$/.test(token) && year === undefined) {
      year = Number(token)
      continue
    }
    const dayMatch = /^(\d{1,2})(?:st|nd|rd|th|\.)?$/.exec(token)
    if (dayMatch && day === undefined) {
      day = Number(dayMatch[1])
      continue
    }
    if (/^\d{2}$/.test(token) && year === undefined) {
      year = expandYear(token)
      continue
    }
    const ymd = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(token)
    if (ymd && year === undefined && month === undefined && day === undefined) {
      year = Number(ymd[1])
      month = Number(ymd[2])
      day = Number(ymd[3])
      continue
    }
    const dmy = /^(\d{1,2})([/.])(\d{1,2})\2(\d{4})$/.exec(token)
    if (dmy && year === undefined && month === undefined && day === undefined) {
      const a = Number(dmy[1])
      const b = Number(dmy[3])
      // 10.06.2003 is European; with slashes only an unambiguous order is accepted.
      if (dmy[2] === '.' || a > 12) [day, month] = [a, b]
      else if (b > 12) [month, day] = [a, b]
      else return null
      year = Number(dmy[4])
      continue
    }
    const nz = NUMERIC_ZONE.exec(token)
    if (nz) {
      if (offset !== undefined) return null
      const h = Number(nz[2])
      const mi = Number(nz[3] ?? 0)
      if (h > 14 || mi > 59) return null
      offset = (nz[1] === '-' ? -1 : 1) * (h * 60 + mi)
      continue
    }
    if (/[\d+]/.test(token) || /^-/.test(token)) return null // a number we do not understand
    if (time && offset === undefined && /^[a-z]+(?:\/[a-z_]+)?$/.test(key)) {
      const zone = Object.hasOwn(ZONES, key) ? ZONES[key] : undefined
      if (zone !== undefined) offset = zone * 60
      else if (key.length === 1) offset = 0
      // Any other word after the time is trailing junk.
      continue
    }
    // Weekday names and other words: ignored.
  }

  if (year === undefined || month === undefined || day === undefined) return null
  return build({ year, month, day, ...time, offset: offset ?? 0 })
}

function applyMeridiem(time: { hour: number }, marker: string): boolean {
  if (time.hour < 1 || time.hour > 12) return false
  const pm = marker.startsWith('p')
  if (pm && time.hour < 12) time.hour += 12
  if (!pm && time.hour === 12) time.hour = 0
  return true
}
