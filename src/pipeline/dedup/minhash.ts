/**
 * MinHash signatures and an LSH band index over them: the candidate lookup for near-duplicates.
 *
 * Why MinHash and not SimHash: a syndicated copy is often a truncation or carries an added intro, so
 * what matters is how much of the shorter text the longer one contains. MinHash estimates Jaccard
 * similarity, from which containment follows given the two shingle counts; a 64-bit SimHash moves by
 * many bits when a third of the text is cut, so its Hamming radius either misses those copies or lets
 * in unrelated texts (measured in `npm run bench:cluster`: see the README).
 *
 * The index is one open-addressing hash table in typed arrays (band key → newest entry) with a
 * "next entry in the same bucket" array, so memory is a few dozen bytes per article and band, and an
 * insert or lookup costs the same at 10k articles as at 1M.
 */
import { mix32 } from './shingles.js'

export const NUM_HASHES = 60
export const BANDS = 20
export const ROWS = NUM_HASHES / BANDS

const SEEDS = (() => {
  const s = new Uint32Array(NUM_HASHES)
  let x = 0x2545f491
  for (let i = 0; i < NUM_HASHES; i++) {
    x = mix32(x + 0x9e3779b9)
    s[i] = x
  }
  return s
})()

/** The signature of a shingle set: for each of NUM_HASHES hash functions, the least hash over the set. */
export function minhash(shingles: Uint32Array): Uint32Array {
  const sig = new Uint32Array(NUM_HASHES)
  const n = shingles.length
  // One hash function at a time over the whole set, the minimum kept in a local and mix32 written
  // out: a quarter faster than a pass per shingle that reads and writes sig 60 times.
  for (let i = 0; i < NUM_HASHES; i++) {
    const seed = SEEDS[i]!
    let least = 0xffffffff
    for (let j = 0; j < n; j++) {
      let x = shingles[j]! ^ seed
      x ^= x >>> 16
      x = Math.imul(x, 0x85ebca6b)
      x ^= x >>> 13
      x = Math.imul(x, 0xc2b2ae35)
      x = (x ^ (x >>> 16)) >>> 0
      if (x < least) least = x
    }
    sig[i] = least
  }
  return sig
}

/** Share of equal positions: an unbiased estimate of the Jaccard similarity of the two sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0
  for (let i = 0; i < NUM_HASHES; i++) if (a[i] === b[i]) same++
  return same / NUM_HASHES
}

/** How much of the smaller set the larger contains, from Jaccard and the two sizes. */
export function containmentFromJaccard(j: number, sizeA: number, sizeB: number): number {
  const small = Math.min(sizeA, sizeB)
  if (small === 0) return 0
  return Math.min(1, (j * (sizeA + sizeB)) / ((1 + j) * small))
}

function bandKey(sig: Uint32Array, band: number): number {
  let h = mix32(band + 1)
  for (let r = 0; r < ROWS; r++) h = mix32(h ^ sig[band * ROWS + r]!)
  return h === 0 ? 1 : h // 0 marks an empty slot
}

/** Band index: entries are dense numbers 0, 1, 2… handed out by `add`. */
export class LshIndex {
  /**
   * The open-addressing table as (band key, newest cell) pairs side by side, so that a probe and the
   * chain head it leads to share a cache line (at 1M articles the table is far larger than any cache).
   * A key is stored as its int32 bit pattern; 0 marks an empty slot.
   */
  private table: Int32Array
  private next: Int32Array
  private used = 0
  private entries = 0

  constructor(expected = 1024) {
    const cap = pow2(Math.max(64, expected * BANDS * 2))
    this.table = new Int32Array(cap * 2)
    this.next = new Int32Array(Math.max(64, expected) * BANDS)
  }

  get size(): number { return this.entries }

  /** Adds a signature; returns its entry number. */
  add(sig: Uint32Array): number {
    const entry = this.entries++
    if ((entry + 1) * BANDS > this.next.length) this.next = grow(this.next, (entry + 1) * BANDS * 2)
    if ((this.used + BANDS) * 2 > this.table.length >> 1) this.rehash(this.table.length)
    const t = this.table
    for (let b = 0; b < BANDS; b++) {
      const key = bandKey(sig, b) | 0
      const i = this.find(key) << 1
      const cell = entry * BANDS + b
      if (t[i] === 0) {
        t[i] = key
        t[i + 1] = -1
        this.used++
      }
      this.next[cell] = t[i + 1]!
      t[i + 1] = cell
    }
    return entry
  }

  /** Entries sharing at least one band with `sig`, newest first, each once; at most `limit`. */
  candidates(sig: Uint32Array, limit = 200): number[] {
    const out: number[] = []
    let seen: Set<number> | null = null
    const t = this.table
    for (let b = 0; b < BANDS && out.length < limit; b++) {
      const i = this.find(bandKey(sig, b) | 0) << 1
      if (t[i] === 0) continue
      seen ??= new Set<number>()
      for (let cell = t[i + 1]!; cell !== -1 && out.length < limit; cell = this.next[cell]!) {
        const entry = (cell / BANDS) | 0
        if (!seen.has(entry)) {
          seen.add(entry)
          out.push(entry)
        }
      }
    }
    return out
  }

  /** Approximate bytes held, for the benchmark. */
  bytes(): number { return this.table.byteLength + this.next.byteLength }

  /** The slot holding `key` (as int32), or the empty slot where it would go. */
  private find(key: number): number {
    const t = this.table
    const mask = (t.length >> 1) - 1
    let i = key & mask
    for (;;) {
      const k = t[i << 1]!
      if (k === 0 || k === key) return i
      i = (i + 1) & mask
    }
  }

  private rehash(slots: number): void {
    const old = this.table
    this.table = new Int32Array(slots * 2)
    const t = this.table
    for (let i = 0; i < old.length; i += 2) {
      const k = old[i]!
      if (k === 0) continue
      const j = this.find(k) << 1
      t[j] = k
      t[j + 1] = old[i + 1]!
    }
  }
}

function pow2(n: number): number {
  let p = 1
  while (p < n) p *= 2
  return p
}

function grow(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n)
  b.set(a)
  return b
}
