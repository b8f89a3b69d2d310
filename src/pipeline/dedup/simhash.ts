/**
 * 64-bit SimHash over the same hashed word 3-shingles MinHash uses: the comparison peer that
 * `npm run bench:cluster` measures MinHash against. Not used by the pipeline.
 *
 * Each shingle votes +1 or −1 on each of 64 bits (from two independent 32-bit hashes of it); the
 * fingerprint keeps the bits with a positive total. Two texts are near-duplicates when their
 * fingerprints differ in few bits (Hamming distance ≤ 3 is the usual web-crawl radius). Unlike
 * MinHash it measures overall resemblance, not how much of the shorter text the longer contains,
 * which is why cut or extended copies drift away from their original.
 */
import { mix32, shingleSet, tokens } from './shingles.js'

export interface SimHash64 {
  /** Bits 32–63. */
  hi: number
  /** Bits 0–31. */
  lo: number
}

/** The 64-bit SimHash of a shingle set (an empty set gives 0). */
export function simhash(shingles: Uint32Array): SimHash64 {
  const votes = new Int32Array(64)
  for (let j = 0; j < shingles.length; j++) {
    const s = shingles[j]!
    const lo = mix32(s ^ 0x6a09e667)
    const hi = mix32(s ^ 0xbb67ae85)
    for (let b = 0; b < 32; b++) {
      votes[b]! += ((lo >>> b) & 1) * 2 - 1
      votes[b + 32]! += ((hi >>> b) & 1) * 2 - 1
    }
  }
  let lo = 0
  let hi = 0
  for (let b = 0; b < 32; b++) {
    if (votes[b]! > 0) lo |= 1 << b
    if (votes[b + 32]! > 0) hi |= 1 << b
  }
  return { hi: hi >>> 0, lo: lo >>> 0 }
}

/** The SimHash of a text, over the shingles `fingerprint` uses. */
export function simhashText(text: string): SimHash64 {
  return simhash(shingleSet(tokens(text)))
}

/** Number of differing bits. */
export function hammingDistance(a: SimHash64, b: SimHash64): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0)
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}
