import { constants, crc32, deflateRawSync } from 'node:zlib'

/**
 * A gzipped page whose relative times ("4 hours ago") are filled in when it is sent, without
 * compressing it again: the page is cut at the text of each `<time datetime>`, every piece between two
 * times is deflated on its own (ending on a byte boundary, so no back-reference crosses a time), and a
 * time's text goes in as a stored (uncompressed) deflate block. The gzip trailer's CRC-32 is combined
 * from the pieces' CRCs and the texts' (zlib's crc32_combine, below), so sending costs a few
 * concatenations and no pass over the page.
 */
export interface PageTemplate {
  /** Deflated pieces (raw deflate, sync-flushed), one more than there are times. */
  pieces: Buffer[]
  /** Each piece's length as HTML (bytes) and CRC-32. */
  sizes: number[]
  crcs: number[]
  /** Each time's `datetime`. */
  times: string[]
}

const TIME = /(<time datetime="([^"]+)"[^>]*>)[^<]*(<\/time>)/g

/** Cuts a rendered page at its times' texts. */
export function toTemplate(html: string): PageTemplate {
  const pieces: Buffer[] = []
  const sizes: number[] = []
  const crcs: number[] = []
  const times: string[] = []
  let last = 0
  const piece = (s: string) => {
    const b = Buffer.from(s, 'utf8')
    pieces.push(deflateRawSync(b, { level: 9, finishFlush: constants.Z_SYNC_FLUSH }))
    sizes.push(b.length)
    crcs.push(crc32(b))
  }
  for (const m of html.matchAll(TIME)) {
    piece(html.slice(last, m.index + m[1]!.length))
    times.push(m[2]!)
    last = m.index + m[0].length - m[3]!.length
  }
  piece(html.slice(last))
  return { pieces, sizes, crcs, times }
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
/** An empty final stored block: the end of the deflate stream. */
const END = Buffer.from([1, 0, 0, 0xff, 0xff])

/** The page as gzip, with `texts[i]` as the text of time i. */
export function spliceGzip(t: PageTemplate, texts: string[]): Buffer {
  if (texts.length !== t.times.length) throw new Error('spliced-page: one text per time')
  const parts: Buffer[] = [GZIP_HEADER, t.pieces[0]!]
  let crc = t.crcs[0]!
  let size = t.sizes[0]!
  for (let i = 0; i < texts.length; i++) {
    const text = Buffer.from(texts[i]!, 'utf8')
    if (text.length > 0xffff) throw new Error('spliced-page: a time text over 64 KB')
    const head = Buffer.from([0, text.length & 0xff, text.length >> 8, ~text.length & 0xff, (~text.length >> 8) & 0xff])
    parts.push(head, text, t.pieces[i + 1]!)
    crc = crc32Combine(crc32Combine(crc, crc32(text), text.length), t.crcs[i + 1]!, t.sizes[i + 1]!)
    size += text.length + t.sizes[i + 1]!
  }
  const trailer = Buffer.alloc(8)
  trailer.writeUInt32LE(crc >>> 0, 0)
  trailer.writeUInt32LE(size >>> 0, 4)
  parts.push(END, trailer)
  return Buffer.concat(parts)
}

/** Stored as one buffer: a JSON head (sizes, CRCs, times, deflated lengths), a newline, then the pieces. */
export function encodeTemplate(t: PageTemplate): Buffer {
  const head = Buffer.from(JSON.stringify({ s: t.sizes, c: t.crcs, t: t.times, d: t.pieces.map((p) => p.length) }) + '\n', 'utf8')
  return Buffer.concat([head, ...t.pieces])
}

/** The template in a stored buffer, or null when it is not one. */
export function decodeTemplate(b: Uint8Array): PageTemplate | null {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  const nl = buf.indexOf(10)
  if (nl < 0) return null
  try {
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { s: number[]; c: number[]; t: string[]; d: number[] }
    if (!Array.isArray(h.d) || h.d.length !== h.t.length + 1 || h.s.length !== h.d.length || h.c.length !== h.d.length) return null
    const pieces: Buffer[] = []
    let at = nl + 1
    for (const n of h.d) {
      pieces.push(buf.subarray(at, at + n))
      at += n
    }
    if (at !== buf.length) return null
    return { pieces, sizes: h.s, crcs: h.c, times: h.t }
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
