import { cleanUrl } from './clean-url.js'

/** The attributes of an `<img>` (or `<source>`) that can name its picture. */
export type ImageAttrs = Record<string, string | undefined>

// Lazy-loading scripts keep the real URL here and put a placeholder in `src`.
const LAZY_SRC = ['data-src', 'data-lazy-src', 'data-original', 'data-url', 'data-hi-res-src']
const LAZY_SRCSET = ['data-srcset', 'data-lazy-srcset']

/**
 * The best absolute http(s) URL for an image: the largest `srcset` candidate, else a lazy-load
 * attribute when `src` is missing or a placeholder, else `src`. Null when nothing usable is left.
 */
export function imageUrl(attrs: ImageAttrs, ctx: { baseUrl: string | null }): string | null {
  const candidates: string[] = []
  const srcset = attrs['srcset'] ?? LAZY_SRCSET.map((k) => attrs[k]).find(Boolean)
  if (srcset) {
    const best = largestSrcsetCandidate(srcset)
    if (best) candidates.push(best)
  }
  const src = attrs['src']?.trim()
  const lazy = LAZY_SRC.map((k) => attrs[k]?.trim()).find(Boolean)
  if (lazy && (!src || isPlaceholder(src))) candidates.push(lazy)
  if (src && !isPlaceholder(src)) candidates.push(src)
  if (lazy) candidates.push(lazy)
  for (const c of candidates) {
    const abs = absoluteHttpUrl(c, ctx.baseUrl)
    if (abs) return abs
  }
  return null
}

/**
 * Absolute http(s) form of `raw`, keeping its fragment. Without a base, only absolute and
 * protocol-relative (`//cdn…`, taken as https) URLs survive: a relative path has nothing to resolve against.
 */
export function absoluteHttpUrl(raw: string, baseUrl: string | null): string | null {
  const trimmed = raw.trim()
  if (!trimmed) return null
  const base = baseUrl ?? (/^[/\\]{2}/.test(trimmed) ? 'https://protocol-relative.invalid/' : undefined)
  return cleanUrl(trimmed, base === undefined ? { keepFragment: true } : { base, keepFragment: true })
}

function isPlaceholder(src: string): boolean {
  return /^data:/i.test(src) || /(^|\/)(blank|spacer|pixel|placeholder|transparent|lazy[-_]?load(er)?)\.(gif|png|svg|jpg)$/i.test(src)
}

/** Parses a srcset (URLs may themselves contain commas) and returns the widest or densest candidate. */
export function largestSrcsetCandidate(srcset: string): string | null {
  let best: { url: string; w: number; x: number } | null = null
  let i = 0
  const s = srcset
  while (i < s.length) {
    while (i < s.length && /[\s,]/.test(s[i]!)) i++
    if (i >= s.length) break
    let j = i
    while (j < s.length && !/\s/.test(s[j]!)) j++
    let url = s.slice(i, j)
    let descriptor = ''
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '')
    } else {
      let k = j
      let depth = 0
      while (k < s.length && (depth > 0 || s[k] !== ',')) {
        if (s[k] === '(') depth++
        else if (s[k] === ')') depth = Math.max(0, depth - 1)
        k++
      }
      descriptor = s.slice(j, k).trim()
      j = k + 1
    }
    i = j
    if (!url) continue
    const w = /^(\d+)w$/i.exec(descriptor)
    const x = /^(\d*\.?\d+)x$/i.exec(descriptor)
    const cand = { url, w: w ? Number(w[1]) : 0, x: x ? Number(x[1]) : w ? 0 : 1 }
    if (!best || cand.w > best.w || (cand.w === best.w && cand.x > best.x)) best = cand
  }
  return best?.url ?? null
}
