/** The languages the site's own words come in. Articles keep their own language whatever this is. */
export const LOCALES = ['en', 'ja'] as const
export type Locale = (typeof LOCALES)[number]

export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', ja: '日本語' }

export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (LOCALES as readonly string[]).includes(x)
}

/**
 * The reader's locale: an explicit choice (`?hl=ja`, then the `hl` cookie the language menu sets), then the
 * browser's Accept-Language in its order of preference (q-values honoured, `ja-JP` counts as `ja`), then the
 * site's language, then English.
 */
export function negotiateLocale(q: { choice?: string | null; cookie?: string | null; acceptLanguage?: string | null; siteLang?: string | null }): Locale {
  for (const x of [q.choice, q.cookie]) {
    const base = x?.trim().toLowerCase().split(/[-_]/)[0]
    if (isLocale(base)) return base
  }
  const ranked = (q.acceptLanguage ?? '').slice(0, 500).split(',').map((part, i) => {
    const [tag, ...params] = part.trim().split(';')
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const weight = qp ? Number(qp.slice(2)) : 1
    return { base: (tag ?? '').trim().toLowerCase().split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, i }
  }).filter((x) => x.weight > 0).sort((a, b) => b.weight - a.weight || a.i - b.i)
  for (const r of ranked) if (isLocale(r.base)) return r.base
  const site = q.siteLang?.toLowerCase().split(/[-_]/)[0]
  return isLocale(site) ? site : 'en'
}
