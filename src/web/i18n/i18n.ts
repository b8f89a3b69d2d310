import { createContext, useContext } from 'hono/jsx'
import { core } from './messages/core.js'
import { lists } from './messages/lists.js'
import { articleArea } from './messages/article.js'
import { authArea } from './messages/auth.js'
import type { Message } from './catalog.js'
import type { Locale } from './locale.js'

export { LOCALES, LOCALE_NAMES, isLocale, negotiateLocale, type Locale } from './locale.js'

/** Every area's catalog. Add an area here after writing messages/<area>.ts. */
const AREAS = [core, lists, articleArea, authArea] as const

type EnKeys<A> = A extends { en: infer E } ? keyof E : never
export type MessageKey = EnKeys<(typeof AREAS)[number]> & string
type Vars = Record<string, string | number>

const TABLES: Record<Locale, Map<string, Message>> = { en: new Map(), ja: new Map() }
for (const area of AREAS) {
  for (const locale of Object.keys(TABLES) as Locale[]) {
    for (const [k, v] of Object.entries(area[locale])) TABLES[locale].set(k, v as Message)
  }
}

/** Keys present in English but missing from another locale (the test checks this is empty). */
export function missingMessages(): { locale: Locale; key: string }[] {
  const out: { locale: Locale; key: string }[] = []
  for (const locale of Object.keys(TABLES) as Locale[]) {
    for (const key of TABLES.en.keys()) if (!TABLES[locale].has(key)) out.push({ locale, key })
  }
  return out
}

export interface Translator {
  locale: Locale
  /** The message for `key` in this locale (English when missing), `{name}` slots filled from `vars`. */
  t(key: MessageKey, vars?: Vars): string
  /** "5 Dec 2026" / "2026年12月5日". */
  date(iso: string, opts?: { timeZone?: string }): string
  /** "5 Dec 2026, 03:00 UTC" / "2026年12月5日 3:00 UTC". */
  dateTime(iso: string, opts?: { timeZone?: string }): string
  /** "4 hours ago" / "4 時間前"; "in 2 days" / "2 日後". */
  relative(when: string | Date | number, now: Date): string
  number(n: number): string
}

const FORMATS = new Map<string, Intl.DateTimeFormat>()
function dtf(locale: Locale, kind: 'date' | 'dateTime', timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${kind}|${timeZone}`
  let f = FORMATS.get(key)
  if (!f) {
    const tag = locale === 'en' ? 'en-GB' : locale
    f = new Intl.DateTimeFormat(tag, kind === 'date'
      ? { day: 'numeric', month: 'short', year: 'numeric', timeZone }
      : { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' })
    FORMATS.set(key, f)
  }
  return f
}

/**
 * Relative time with the thresholds readers know from moment.js (45 s, 45 min, 22 h, 26 d, 11 months).
 * English keeps the reference page's words ("an hour ago", "a few seconds ago"); other locales use
 * Intl.RelativeTimeFormat.
 */
function relativeParts(diffMs: number): { value: number; unit: Intl.RelativeTimeFormatUnit; phrase: string } {
  const s = Math.abs(diffMs) / 1000
  if (s < 45) return { value: Math.round(s), unit: 'second', phrase: 'a few seconds' }
  if (s < 90) return { value: 1, unit: 'minute', phrase: 'a minute' }
  const m = s / 60
  if (m < 45) return { value: Math.round(m), unit: 'minute', phrase: `${Math.round(m)} minutes` }
  if (m < 90) return { value: 1, unit: 'hour', phrase: 'an hour' }
  const h = m / 60
  if (h < 22) return { value: Math.round(h), unit: 'hour', phrase: `${Math.round(h)} hours` }
  if (h < 36) return { value: 1, unit: 'day', phrase: 'a day' }
  const d = h / 24
  if (d < 26) return { value: Math.round(d), unit: 'day', phrase: `${Math.round(d)} days` }
  if (d < 45) return { value: 1, unit: 'month', phrase: 'a month' }
  if (d < 320) return { value: Math.round(d / 30.4375), unit: 'month', phrase: `${Math.round(d / 30.4375)} months` }
  if (d < 548) return { value: 1, unit: 'year', phrase: 'a year' }
  return { value: Math.round(d / 365.25), unit: 'year', phrase: `${Math.round(d / 365.25)} years` }
}

/**
 * Where `relativeParts`' answer changes, as distances from the moment described (ms, ascending, up to
 * 548 days; past that the years change every 365.25 days at each half year). A value rounded to k
 * becomes k + 1 at k + 0.5.
 */
const SEC = 1000, MIN = 60 * SEC, HOUR = 60 * MIN, DAY = 24 * HOUR, MONTH = 30.4375 * DAY, YEAR = 365.25 * DAY
const halves = (from: number, to: number, unit: number) => Array.from({ length: to - from + 1 }, (_, i) => Math.ceil((from + i + 0.5) * unit))
const STEPS: number[] = [
  45 * SEC, 90 * SEC, ...halves(2, 44, MIN), 45 * MIN, 90 * MIN, ...halves(2, 21, HOUR), 22 * HOUR, 36 * HOUR,
  ...halves(2, 25, DAY), 26 * DAY, 45 * DAY, ...halves(1, 10, MONTH), 320 * DAY, 548 * DAY,
]

/**
 * The first instant after `now` (ms) at which the relative time of `then` ("4 hours ago", "in 2 days")
 * reads differently, in every locale: a page that shows it stays true until then.
 */
export function relativeChangesAt(then: number, now: number): number {
  const diff = now - then
  if (diff < 0) {
    // Counting down: the text changes when the distance falls below the step it has reached (at 0, "ago").
    let lower = 0
    for (const s of STEPS) if (s <= -diff) lower = s
    if (-diff >= 548 * DAY) lower = Math.max(lower, Math.ceil((Math.floor(-diff / YEAR - 0.5) + 0.5) * YEAR))
    return lower === 0 ? then : then - lower + 1
  }
  for (const s of STEPS) if (s > diff) return then + s
  return then + Math.ceil((Math.floor(diff / YEAR - 0.5) + 1.5) * YEAR)
}

const CACHE = new Map<Locale, Translator>()

export function translator(locale: Locale): Translator {
  const hit = CACHE.get(locale)
  if (hit) return hit
  const table = TABLES[locale]
  const plural = new Intl.PluralRules(locale)
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const nf = new Intl.NumberFormat(locale)
  const fill = (text: string, vars?: Vars) => vars ? text.replace(/\{(\w+)\}/g, (all, name: string) => {
    const v = vars[name]
    return v === undefined ? all : typeof v === 'number' ? nf.format(v) : v
  }) : text
  const tr: Translator = {
    locale,
    t(key, vars) {
      const m = table.get(key) ?? TABLES.en.get(key)
      if (m === undefined) return key
      if (typeof m === 'string') return fill(m, vars)
      const n = typeof vars?.['n'] === 'number' ? vars['n'] : Number(vars?.['n'] ?? 0)
      const form = plural.select(n) as keyof typeof m
      return fill(m[form] ?? m.other, vars)
    },
    date: (iso, o) => { const d = new Date(iso); return Number.isNaN(d.getTime()) ? '' : dtf(locale, 'date', o?.timeZone ?? 'UTC').format(d) },
    dateTime: (iso, o) => { const d = new Date(iso); return Number.isNaN(d.getTime()) ? '' : dtf(locale, 'dateTime', o?.timeZone ?? 'UTC').format(d) },
    relative(date, now) {
      const t = typeof date === 'string' ? Date.parse(date) : typeof date === 'number' ? date : date.getTime()
      if (Number.isNaN(t)) return ''
      const diff = now.getTime() - t
      const p = relativeParts(diff)
      if (locale === 'en') return diff >= 0 ? `${p.phrase} ago` : `in ${p.phrase}`
      if (p.unit === 'second') return table.get('time.justNow') as string
      return rtf.format(diff >= 0 ? -p.value : p.value, p.unit)
    },
    number: (n) => nf.format(n),
  }
  CACHE.set(locale, tr)
  return tr
}

/**
 * A translated sentence with markup in its slots: `rich(t('x', { n }), { link: <a …/> })` splits the text at
 * each `{name}` left unfilled by `t()` and puts the element there, so word order stays the locale's.
 */
export function rich<T>(text: string, parts: Record<string, T>): (string | T)[] {
  const out: (string | T)[] = []
  let last = 0
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    const part = parts[m[1]!]
    if (part === undefined) continue
    if (m.index! > last) out.push(text.slice(last, m.index))
    out.push(part)
    last = m.index! + m[0].length
  }
  if (last < text.length) out.push(text.slice(last))
  return out
}

/** The page's translator, provided once per request by `page()` in app.tsx. */
export const I18nContext = createContext<Translator>(translator('en'))
export const useT = (): Translator => useContext(I18nContext)
