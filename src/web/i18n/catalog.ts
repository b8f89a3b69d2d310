import type { Locale } from './locale.js'

/** A message: plain text with `{name}` slots, or plural forms chosen by Intl.PluralRules on `{n}`. */
export type Message = string | { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string }

/** One area's words in every locale, the same keys in each (checked where each area `satisfies Catalog`). */
export type Catalog = Record<Locale, Record<string, Message>>
