/** The search page's filters as GET parameters (`q`, `source`, `lang`, `from`, `to`), shared by the page, saved searches and their feeds. */
export interface SearchFilters {
  q: string
  source: number | null
  lang: string | null
  /** Calendar days, YYYY-MM-DD (UTC), both included. */
  from: string | null
  to: string | null
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

function day(raw: string | undefined | null): { value: string | null; bad: string | null } {
  const v = (raw ?? '').trim()
  if (!v) return { value: null, bad: null }
  const t = Date.parse(`${v}T00:00:00Z`)
  if (!DAY.test(v) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) return { value: null, bad: v.slice(0, 40) }
  return { value: v, bad: null }
}

/** From a request's query (or a form); what could not be read is left out and named in `bad`. */
export function parseFilters(get: (k: string) => string | undefined | null): { filters: SearchFilters; bad: string[] } {
  const src = Number((get('source') ?? '').trim())
  const lang = (get('lang') ?? '').trim().toLowerCase()
  const from = day(get('from'))
  const to = day(get('to'))
  return {
    filters: {
      q: (get('q') ?? '').trim().slice(0, 300),
      source: Number.isSafeInteger(src) && src > 0 && src <= 2_147_483_647 ? src : null,
      lang: /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(lang) ? lang : null,
      from: from.value,
      to: to.value,
    },
    bad: [from.bad, to.bad].filter((x): x is string => x !== null),
  }
}

export const hasFilter = (f: SearchFilters) => f.source !== null || f.lang !== null || f.from !== null || f.to !== null

/** The store's filters: `to` is included, so the range ends at the start of the next day. */
export function storeFilters(f: SearchFilters): { sourceId?: number; lang?: string; since?: string; until?: string } {
  const out: { sourceId?: number; lang?: string; since?: string; until?: string } = {}
  if (f.source !== null) out.sourceId = f.source
  if (f.lang !== null) out.lang = f.lang
  if (f.from !== null) out.since = `${f.from}T00:00:00.000Z`
  if (f.to !== null) out.until = new Date(Date.parse(`${f.to}T00:00:00Z`) + 86_400_000).toISOString()
  return out
}

/** `/search?q=…&source=…` with only the parameters that are set, plus `extra` (the cursor). */
export function searchHref(f: SearchFilters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams()
  if (f.q) p.set('q', f.q)
  if (f.source !== null) p.set('source', String(f.source))
  if (f.lang) p.set('lang', f.lang)
  if (f.from) p.set('from', f.from)
  if (f.to) p.set('to', f.to)
  for (const [k, v] of Object.entries(extra)) p.set(k, v)
  const s = p.toString()
  return s ? `/search?${s}` : '/search'
}
