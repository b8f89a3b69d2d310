/**
 * Text → the features near-duplicate detection compares: normalised word tokens and hashed word
 * 3-shingles. Case, punctuation, quote style, tokenisation spaces ("didn 't", "Center ,") and
 * accents are folded so that two copies of one text give the same shingles whatever their markup,
 * typography or decoder did to them. Han, kana and Thai have no spaces, so each character is a token.
 */

const WORD = /[\p{L}\p{N}]+/gu
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u

export function tokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/['’`´]/g, '')
  const out: string[] = []
  for (const m of folded.matchAll(WORD)) {
    const w = m[0]
    if (UNSPACED.test(w)) {
      for (const ch of w) out.push(ch)
    } else out.push(w)
  }
  return out
}

/** 32-bit FNV-1a of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Murmur3's finaliser: spreads a 32-bit value over all bits. */
export function mix32(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}

export const SHINGLE_WORDS = 3

/** The distinct hashed word 3-shingles of a token list (one shingle for a text shorter than three words). */
export function shingleSet(toks: readonly string[]): Uint32Array {
  const hs = new Array<number>(toks.length)
  for (let i = 0; i < toks.length; i++) hs[i] = hashString(toks[i]!)
  const set = new Set<number>()
  if (toks.length > 0 && toks.length < SHINGLE_WORDS) {
    let h = 0
    for (const x of hs) h = mix32(h ^ x) + 0x9e3779b9
    set.add(mix32(h))
  }
  for (let i = 0; i + SHINGLE_WORDS <= hs.length; i++) {
    set.add(mix32(mix32(mix32(hs[i]!) ^ hs[i + 1]!) + 0x9e3779b9 ^ hs[i + 2]!))
  }
  return Uint32Array.from(set)
}
