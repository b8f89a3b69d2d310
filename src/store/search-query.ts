/**
 * The search syntax users type, parsed once and rendered for each engine so that a query means the
 * same on SQLite FTS5 and on Postgres tsquery: words (all must match), "quoted phrases",
 * -excluded words or phrases, and a trailing * for a prefix.
 */
export interface SearchTerm {
  tokens: string[]
  prefix: boolean
}

export interface ParsedSearch {
  must: SearchTerm[]
  not: SearchTerm[]
}

const TOKEN = /[\p{L}\p{N}]+/gu

function tokens(s: string): string[] {
  return (s.toLowerCase().normalize('NFKC').match(TOKEN) ?? []).slice(0, 16)
}

export function parseSearch(query: string): ParsedSearch {
  const out: ParsedSearch = { must: [], not: [] }
  const re = /(-?)(?:"([^"]*)"?|(\S+))/g
  for (const m of query.slice(0, 500).matchAll(re)) {
    const negated = m[1] === '-'
    const raw = m[2] ?? m[3] ?? ''
    const toks = tokens(raw)
    if (toks.length === 0) continue
    const term = { tokens: toks, prefix: m[2] === undefined && raw.endsWith('*') }
    ;(negated ? out.not : out.must).push(term)
    if (out.must.length + out.not.length >= 12) break
  }
  return out
}

/** FTS5 MATCH expression, or null when nothing positive is left to match. */
export function toFts5(p: ParsedSearch): string | null {
  if (p.must.length === 0) return null
  const term = (t: SearchTerm) => `"${t.tokens.join(' ')}"${t.prefix ? '*' : ''}`
  let expr = p.must.map(term).join(' AND ')
  for (const n of p.not) expr = `(${expr}) NOT ${term(n)}`
  return expr
}

/** Postgres to_tsquery('simple', …) input, or null when nothing positive is left to match. */
export function toTsquery(p: ParsedSearch): string | null {
  if (p.must.length === 0) return null
  // Tokens hold only letters and digits, so quoting them is enough to keep the syntax intact.
  const term = (t: SearchTerm) => {
    const lex = t.tokens.map((x, i) => `'${x}'${t.prefix && i === t.tokens.length - 1 ? ':*' : ''}`)
    return lex.length > 1 ? `(${lex.join(' <-> ')})` : lex[0]!
  }
  return [...p.must.map(term), ...p.not.map((n) => `!${term(n)}`)].join(' & ')
}
