/**
 * Streaming near-duplicate detection: each article is fingerprinted once, looked up against every
 * article seen so far through the LSH bands, and added. A match is a copy when the estimated share
 * of the shorter text found in the longer one is high: that holds for a syndicated copy with other
 * boilerplate, an added intro, a cut ending or a rewritten headline, and not for two reports of one
 * event written by different people (they share names and quotes, not runs of sentences).
 */
import { LshIndex, NUM_HASHES, containmentFromJaccard, estimateJaccard, minhash } from './minhash.js'
import { shingleSet, tokens } from './shingles.js'

export interface Fingerprint {
  signature: Uint32Array
  /** Distinct shingles in the text. */
  shingles: number
}

export interface DuplicatePolicy {
  /** Least estimated share of the shorter text's shingles found in the longer one. */
  minContainment: number
  /** Least estimated Jaccard similarity (keeps a 2-sentence teaser from matching every long text that quotes it). */
  minJaccard: number
  /** Texts with fewer shingles are never matched (a title-only item says too little). */
  minShingles: number
}

export const DEFAULT_DUPLICATE_POLICY: DuplicatePolicy = { minContainment: 0.55, minJaccard: 0.2, minShingles: 25 }

export function fingerprint(text: string): Fingerprint {
  const set = shingleSet(tokens(text))
  return { signature: minhash(set), shingles: set.length }
}

export interface DuplicateMatch<K> {
  key: K
  containment: number
  jaccard: number
}

export class DedupIndex<K> {
  private readonly lsh: LshIndex
  private keys: K[] = []
  private sigs: Uint32Array
  private sizes: Uint32Array

  constructor(private readonly policy: DuplicatePolicy = DEFAULT_DUPLICATE_POLICY, expected = 1024) {
    expected = Math.max(16, Math.floor(expected) || 0)
    this.lsh = new LshIndex(expected)
    this.sigs = new Uint32Array(expected * NUM_HASHES)
    this.sizes = new Uint32Array(expected)
  }

  get size(): number { return this.keys.length }

  /** The closest earlier text this one copies (or is copied by), if any. */
  lookup(fp: Fingerprint): DuplicateMatch<K> | null {
    if (fp.shingles < this.policy.minShingles) return null
    let best: DuplicateMatch<K> | null = null
    for (const entry of this.lsh.candidates(fp.signature)) {
      const size = this.sizes[entry]!
      if (size < this.policy.minShingles) continue
      const j = estimateJaccard(fp.signature, this.sigs.subarray(entry * NUM_HASHES, (entry + 1) * NUM_HASHES))
      if (j < this.policy.minJaccard) continue
      const c = containmentFromJaccard(j, fp.shingles, size)
      if (c < this.policy.minContainment) continue
      if (!best || c > best.containment || (c === best.containment && j > best.jaccard)) best = { key: this.keys[entry]!, containment: c, jaccard: j }
    }
    return best
  }

  add(key: K, fp: Fingerprint): void {
    const entry = this.lsh.add(fp.signature)
    while ((entry + 1) * NUM_HASHES > this.sigs.length) {
      const s = new Uint32Array(this.sigs.length * 2)
      s.set(this.sigs)
      this.sigs = s
      const z = new Uint32Array(this.sizes.length * 2)
      z.set(this.sizes)
      this.sizes = z
    }
    this.sigs.set(fp.signature, entry * NUM_HASHES)
    this.sizes[entry] = fp.shingles
    this.keys.push(key)
  }

  bytes(): number { return this.lsh.bytes() + this.sigs.byteLength + this.sizes.byteLength }
}
