import { constants, crc32, deflateRawSync } from 'node:zlib'

/**
 * A gzipped page whose relative times ("4 hours ago") are filled in when it is sent, without
 * compressing it again: the page is cut at the text of each `<time datetime>`, every piece between two
 * times is deflated on its own (ending on a byte boundary, so no back-reference crosses a time), and a
 * time's text goes in as a stored (uncompressed) deflate block. The gzip trailer's CRC-32 is combined
 * from the pieces' CRCs and the texts' (zlib's crc32_combine, below), with each piece's operator worked
 * out when it is stored: sending costs one buffer, a copy of the pieces and a few multiplications, and
 * no pass over the page.
 */
export interface PageTemplate {
  /** Deflated pieces (raw deflate, sync-flushed), one more than there are times. */
  pieces: Buffer[]
  /** Each piece's length as HTML (bytes), CRC-32, and x^(8 × length) modulo the CRC polynomial (to append it). */
  sizes: number[]
  crcs: number[]
  ops: number[]
  /** Each time's `datetime`. */
  times: string[]
}

const TIME = /(<time datetime="([^"]+)"[^>]*>)[^<]*(<\/time>)/g

/** Cuts a rendered page at its times' texts. */
export function toTemplate(html: string): PageTemplate {
  const pieces: Buffer[] = []
  const sizes: number[] = []
  const crcs: number[] = []
  const ops: number[] = []
  const times: string[] = []
  let last = 0
  const piece = (s: string) => {
    const b = Buffer.from(s, 'utf8')
    pieces.push(deflateRawSync(b, { level: 9, finishFlush: constants.Z_SYNC_FLUSH }))
    sizes.push(b.length)
    crcs.push(crc32(b))
    ops.push(x2nmodp(b.length, 3))
  }
  for (const m of html.matchAll(TIME)) {
    piece(html.slice(last, m.index + m[1]!.length))
    times.push(m[2]!)
    last = m.index + m[0].length - m[3]!.length
  }
  piece(html.slice(last))
  return { pieces, sizes, crcs, ops, times }
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
/** An empty final stored block: the end of the deflate stream. */
const END = Buffer.from([1, 0, 0, 0xff, 0xff])

/** The page as gzip, with `texts[i]` as the text of time i. */
export function spliceGzip(t: PageTemplate, texts: string[]): Buffer<ArrayBuffer> {
  if (texts.length !== t.times.length) throw new Error('spliced-page: one text per time')
  let total = GZIP_HEADER.length + END.length + 8
  for (const p of t.pieces) total += p.length
  const lengths = texts.map((x) => Buffer.byteLength(x, 'utf8'))
  for (const n of lengths) {
    if (n > 0xffff) throw new Error('spliced-page: a time text over 64 KB')
    total += 5 + n
  }
  const out = Buffer.allocUnsafe(total)
  GZIP_HEADER.copy(out, 0)
  let at = GZIP_HEADER.length
  at += t.pieces[0]!.copy(out, at)
  let crc = t.crcs[0]!
  let size = t.sizes[0]!
  for (let i = 0; i < texts.length; i++) {
    const n = lengths[i]!
    // A stored block: not final, type 00, then LEN and its complement, little-endian.
    out[at] = 0; out[at + 1] = n & 0xff; out[at + 2] = n >> 8; out[at + 3] = ~n & 0xff; out[at + 4] = (~n >> 8) & 0xff
    at += 5
    out.write(texts[i]!, at, 'utf8')
    crc = (multmodp(textOp(n), crc) ^ crc32(out.subarray(at, at + n))) >>> 0
    at += n
    at += t.pieces[i + 1]!.copy(out, at)
    crc = (multmodp(t.ops[i + 1]!, crc) ^ t.crcs[i + 1]!) >>> 0
    size += n + t.sizes[i + 1]!
  }
  at += END.copy(out, at)
  out.writeUInt32LE(crc >>> 0, at)
  out.writeUInt32LE(size >>> 0, at + 4)
  return out
}

/** x^(8n) modulo the polynomial for a time text of n bytes, kept for short ones. */
const TEXT_OPS: number[] = []
const textOp = (n: number) => n < 256 ? TEXT_OPS[n] ??= x2nmodp(n, 3) : x2nmodp(n, 3)

/** Stored as one buffer: a JSON head (sizes, CRCs, times, deflated lengths), a newline, then the pieces. */
export function encodeTemplate(t: PageTemplate): Buffer {
  const head = Buffer.from(JSON.stringify({ s: t.sizes, c: t.crcs, o: t.ops, t: t.times, d: t.pieces.map((p) => p.length) }) + '\n', 'utf8')
  return Buffer.concat([head, ...t.pieces])
}

/** The template in a stored buffer, or null when it is not one. */
export function decodeTemplate(b: Uint8Array): PageTemplate | null {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  const nl = buf.indexOf(10)
  if (nl < 0) return null
  try {
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { s: number[]; c: number[]; o: number[]; t: string[]; d: number[] }
    if (!Array.isArray(h.d) || !Array.isArray(h.o) || h.d.length !== h.t.length + 1 || h.s.length !== h.d.length || h.c.length !== h.d.length
      || h.o.length !== h.d.length) return null
    const pieces: Buffer[] = []
    let at = nl + 1
    for (const n of h.d) {
      pieces.push(buf.subarray(at, at + n))
      at += n
    }
    if (at !== buf.length) return null
    return { pieces, sizes: h.s, crcs: h.c, ops: h.o, times: h.t }
  } catch {
    return null
  }
}

// ─────────────── CRC-32 of a concatenation from its parts' CRCs (zlib's crc32_combine) ───────────────

const POLY = 0xedb88320
/** a × b modulo the CRC polynomial (bit-reflected). */
function multmodp(a: number, b: number): number {
  let m = 1 << 31
  let p = 0
  for (;;) {
    if (a & m) {
      p ^= b
      if ((a & (m - 1)) === 0) break
    }
    m >>>= 1
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1
  }
  return p >>> 0
}
/** x^(2^k) modulo the polynomial, k = 0…31. */
const X2N: number[] = []
{
  let p = 1 << 30
  X2N.push(p)
  for (let k = 1; k < 32; k++) X2N.push(p = multmodp(p, p))
}
/** x^(n × 2^k) modulo the polynomial. */
function x2nmodp(n: number, k: number): number {
  let p = 1 << 31
  while (n) {
    if (n & 1) p = multmodp(X2N[k & 31]!, p)
    n >>>= 1
    k++
  }
  return p
}
/** The CRC-32 of A followed by B, from A's CRC, B's CRC and B's length. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multmodp(x2nmodp(lengthB, 3), crcA) ^ crcB) >>> 0
}
