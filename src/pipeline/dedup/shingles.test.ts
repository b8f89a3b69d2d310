import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hashString, mix32, shingleSet, tokens } from './shingles.js'
import { NUM_HASHES, minhash } from './minhash.js'

// The straightforward versions the fast ones replaced: every optimisation must give exactly these.
function referenceTokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/['’`´]/g, '')
  const out: string[] = []
  for (const m of folded.matchAll(/[\p{L}\p{N}]+/gu)) {
    const w = m[0]
    if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(w)) {
      for (const ch of w) out.push(ch)
    } else out.push(w)
  }
  return out
}

function referenceShingles(toks: readonly string[]): Uint32Array {
  const hs = toks.map(hashString)
  const set = new Set<number>()
  if (toks.length > 0 && toks.length < 3) {
    let h = 0
    for (const x of hs) h = mix32(h ^ x) + 0x9e3779b9
    set.add(mix32(h))
  }
  for (let i = 0; i + 3 <= hs.length; i++) set.add(mix32(mix32(mix32(hs[i]!) ^ hs[i + 1]!) + 0x9e3779b9 ^ hs[i + 2]!))
  return Uint32Array.from(set)
}

function referenceMinhash(shingles: Uint32Array): Uint32Array {
  const seeds: number[] = []
  let x = 0x2545f491
  for (let i = 0; i < NUM_HASHES; i++) seeds.push((x = mix32(x + 0x9e3779b9)))
  return Uint32Array.from(seeds, (seed) => shingles.reduce((least, s) => Math.min(least, mix32(s ^ seed)), 0xffffffff))
}

const SAMPLES = [
  '',
  'Hello',
  'Hello, world',
  'The council didn’t vote — it “deferred” the plan… • again, at 9:30 on 12 May.',
  "Didn 't the Center , say so? It's 'quoted' and `ticked` and ‘curly’ too.",
  'Café déjà vu: naïve résumé, Ångström and Øresund, İstanbul, straße.',
  'ﬁne ligatures, full-width ＡＢＣ１２３, superscript x² and ½ cup, ℌ and ™.',
  'Acute´accent and spacing ¨ marks, a no-break space here, en–dash and em—dash.',
  '東京で会議が開かれた。 Tokyo hosted 3 meetings; กรุงเทพ too, and 서울 (Hangul has spaces).',
  'Ελληνικά και Русский текст with ASCII words mixed in, 2024–2025.',
  'Repeated repeated repeated repeated words words words repeated repeated repeated.',
]

test('tokens gives exactly what the plain NFKD + regex version gives, on ASCII and beyond', () => {
  for (const s of SAMPLES) assert.deepEqual(tokens(s), referenceTokens(s), s)
  // each punctuation mark the ASCII fast path accepts, between words and alone
  for (const ch of ['\u00a0', '–', '—', '‘', '’', '“', '”', '•', '…', "'", '`']) {
    for (const s of [`a${ch}b`, `${ch}`, `x ${ch} y`, `Don${ch}t stop`]) assert.deepEqual(tokens(s), referenceTokens(s), JSON.stringify(s))
  }
})

test('tokens folds case, accents and apostrophes', () => {
  assert.deepEqual(tokens('Didn’t the Café CLOSE?'), ['didnt', 'the', 'cafe', 'close'])
  assert.deepEqual(tokens('東京 hosted'), ['東', '京', 'hosted'])
})

test('shingleSet gives the distinct shingles in order of first occurrence, as a Set would', () => {
  for (const s of SAMPLES) assert.deepEqual(shingleSet(tokens(s)), referenceShingles(tokens(s)), s)
  // a long text after a short one and back: the reused scratch space must not leak between calls
  const long = Array.from({ length: 5000 }, (_, i) => `w${i % 1300}`)
  assert.deepEqual(shingleSet(long), referenceShingles(long))
  assert.deepEqual(shingleSet(['a', 'b', 'c', 'a', 'b', 'c']), referenceShingles(['a', 'b', 'c', 'a', 'b', 'c']))
  assert.equal(shingleSet(['a', 'b', 'c', 'a', 'b', 'c']).length, 3)
  assert.equal(shingleSet(['a', 'b']).length, 1)
  assert.equal(shingleSet([]).length, 0)
})

test('minhash gives the least hash per seed over the set', () => {
  for (const s of SAMPLES) {
    const set = shingleSet(tokens(s))
    assert.deepEqual(minhash(set), referenceMinhash(set), s)
  }
  assert.deepEqual(minhash(new Uint32Array(0)), new Uint32Array(NUM_HASHES).fill(0xffffffff))
})
