/**
 * Text → the features near-duplicate detection compares: normalised word tokens and hashed word
 * 3-shingles. Case, punctuation, quote style, tokenisation spaces ("didn 't", "Center ,") and
 * accents are folded so that two copies of one text give the same shingles whatever their markup,
 * typography or decoder did to them. Han, kana and Thai have no spaces, so each character is a token.
 */

const WORD = /[\p{L}\p{N}]+/gu
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u
const QUOTES = /['’`´]/g
/**
 * Text whose every character is ASCII or one of the punctuation marks news copy is full of (no-break
 * space, dashes, curly quotes, ellipsis, bullet): NFKD and mark stripping leave its words as they are,
 * so the fast path skips them and matches plain ASCII words (same tokens, checked in shingles.test.ts).
 */
const PLAIN = /^[\x00-\x7f\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]*$/
const ASCII_WORD = /[a-z0-9]+/g

export function tokens(text: string): string[] {
  if (PLAIN.test(text)) return text.toLowerCase().replace(QUOTES, '').match(ASCII_WORD) ?? []
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(QUOTES, '')
  const words = folded.match(WORD)
  if (words === null) return []
  if (!UNSPACED.test(folded)) return words
  const out: string[] = []
  for (const w of words) {
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

// Scratch space reused across calls (the stage stays pure: nothing of it outlives a call): token
// hashes, and an open-addressing set of shingles stamped with the call's number so it never needs clearing.
let hashes = new Uint32Array(1024)
let slots = new Uint32Array(2048)
let stamps = new Uint32Array(2048)
let call = 0

/**
 * The distinct hashed word 3-shingles of a token list, in order of first occurrence (one shingle for
 * a text shorter than three words).
 */
export function shingleSet(toks: readonly string[]): Uint32Array {
  const n = toks.length
  if (n === 0) return new Uint32Array(0)
  if (hashes.length < n) hashes = new Uint32Array(pow2(n))
  const hs = hashes
  for (let i = 0; i < n; i++) hs[i] = hashString(toks[i]!)
  if (n < SHINGLE_WORDS) {
    let h = 0
    for (let i = 0; i < n; i++) h = mix32(h ^ hs[i]!) + 0x9e3779b9
    return Uint32Array.of(mix32(h))
  }
  const count = n - SHINGLE_WORDS + 1
  const cap = pow2(count * 2)
  if (slots.length < cap) {
    slots = new Uint32Array(cap)
    stamps = new Uint32Array(cap)
    call = 0
  }
  if (++call === 0xffffffff) {
    stamps.fill(0)
    call = 1
  }
  const mask = cap - 1
  const out = new Uint32Array(count)
  let k = 0
  for (let i = 0; i < count; i++) {
    const v = mix32(mix32(mix32(hs[i]!) ^ hs[i + 1]!) + 0x9e3779b9 ^ hs[i + 2]!)
    let slot = v & mask
    while (stamps[slot] === call && slots[slot] !== v) slot = (slot + 1) & mask
    if (stamps[slot] === call) continue
    stamps[slot] = call
    slots[slot] = v
    out[k++] = v
  }
  return k === count ? out : out.slice(0, k)
}

function pow2(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}
