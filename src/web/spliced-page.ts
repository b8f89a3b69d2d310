import { constants, crc32, deflateRawSync } from 'node:zlib'

/**
 * A gzipped page whose relative times ("4 hours ago") are filled in when it is sent, without
 * compressing it again: the page is cut at the text of each `<time datetime>`, every piece between two
 * times is deflated on its own (ending on a byte boundary, so no back-reference crosses a time), and a
 * time's text goes in as a stored (uncompressed) deflate block. The gzip trailer's CRC-32 is combined
 * from the pieces' CRCs and the texts' (zlib's crc32_combine, below), with each piece's operator worked
 * out when it is stored: splicing costs one buffer, a copy of the pieces and a few multiplications, and
 * no pass over the page. It is stored spliced already (encodeStored), and sent as it is while its
 * texts still read the same: most pages' times are days old, and "3 days ago" changes once a day.
 */
export interface PageTemplate {
  /** Holds the deflated pieces (raw deflate, sync-flushed), one more than there are times. */
  data: Buffer
  /** Where each piece starts in `data`, and its deflated length. */
  starts: number[]
  lengths: number[]
  /** Each piece's length as HTML (bytes), CRC-32, and x^(8 × length) modulo the CRC polynomial (to append it). */
  sizes: number[]
  crcs: number[]
  ops: number[]
  /** Each time's `datetime`, epoch ms (NaN when it is not a date). */
  times: number[]
}

const TIME = /(<time datetime="([^"]+)"[^>]*>)[^<]*(<\/time>)/g

/** A template over `data` with no pieces yet (they are pushed in order). */
const emptyTemplate = (data: Buffer): PageTemplate => ({ data, starts: [], lengths: [], sizes: [], crcs: [], ops: [], times: [] })

/** Cuts a rendered page at its times' texts. */
export function toTemplate(html: string): PageTemplate {
  const pieces: Buffer[] = []
  const t = emptyTemplate(Buffer.alloc(0))
  let last = 0
  let at = 0
  const piece = (s: string) => {
    const b = Buffer.from(s, 'utf8')
    const d = deflateRawSync(b, { level: 9, finishFlush: constants.Z_SYNC_FLUSH })
    pieces.push(d)
    t.starts.push(at)
    t.lengths.push(d.length)
    at += d.length
    t.sizes.push(b.length)
    t.crcs.push(crc32(b))
    t.ops.push(x2nmodp(b.length, 3))
  }
  for (const m of html.matchAll(TIME)) {
    piece(html.slice(last, m.index + m[1]!.length))
    t.times.push(Date.parse(m[2]!))
    last = m.index + m[0].length - m[3]!.length
  }
  piece(html.slice(last))
  t.data = Buffer.concat(pieces)
  return t
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
/** An empty final stored block: the end of the deflate stream. */
const END = Buffer.from([1, 0, 0, 0xff, 0xff])

/** The page as gzip, with `texts[i]` as the text of time i; `at` is given where each piece went in it. */
export function spliceGzip(t: PageTemplate, texts: string[], at?: number[]): Buffer<ArrayBuffer> {
  if (texts.length !== t.times.length) throw new Error('spliced-page: one text per time')
  let total = GZIP_HEADER.length + END.length + 8
  for (const n of t.lengths) total += n
  const lengths = texts.map((x) => Buffer.byteLength(x, 'utf8'))
  for (const n of lengths) {
    if (n > 0xffff) throw new Error('spliced-page: a time text over 64 KB')
    total += 5 + n
  }
  const out = Buffer.allocUnsafe(total)
  const { data, starts, lengths: deflated } = t
  GZIP_HEADER.copy(out, 0)
  let w = GZIP_HEADER.length
  at?.push(w)
  w += data.copy(out, w, starts[0], starts[0]! + deflated[0]!)
  let crc = t.crcs[0]!
  let size = t.sizes[0]!
  for (let i = 0; i < texts.length; i++) {
    const n = lengths[i]!
    // A stored block: not final, type 00, then LEN and its complement, little-endian.
    out[w] = 0; out[w + 1] = n & 0xff; out[w + 2] = n >> 8; out[w + 3] = ~n & 0xff; out[w + 4] = (~n >> 8) & 0xff
    w += 5
    out.write(texts[i]!, w, 'utf8')
    crc = (multmodp(textOp(n), crc) ^ textCrc(texts[i]!, out, w, n)) >>> 0
    w += n
    at?.push(w)
    w += data.copy(out, w, starts[i + 1], starts[i + 1]! + deflated[i + 1]!)
    crc = (multmodp(t.ops[i + 1]!, crc) ^ t.crcs[i + 1]!) >>> 0
    size += n + t.sizes[i + 1]!
  }
  w += END.copy(out, w)
  out.writeUInt32LE(crc >>> 0, w)
  out.writeUInt32LE(size >>> 0, w + 4)
  return out
}

/** The CRC-32 of a gzipped page as HTML (its trailer's): it changes with any of its texts. */
export const gzipCrc = (gz: Uint8Array): number => (gz[gz.length - 8]! | (gz[gz.length - 7]! << 8) | (gz[gz.length - 6]! << 16) | (gz[gz.length - 5]! << 24)) >>> 0

/** x^(8n) modulo the polynomial for a time text of n bytes, kept for short ones. */
const TEXT_OPS: number[] = []
const textOp = (n: number) => n < 256 ? TEXT_OPS[n] ??= x2nmodp(n, 3) : x2nmodp(n, 3)
/** The CRC of a time's text (written at `at` in `out`), kept for the few hundred texts times read as ("3 hours ago"). */
const TEXT_CRCS = new Map<string, number>()
function textCrc(text: string, out: Buffer, at: number, n: number): number {
  let c = TEXT_CRCS.get(text)
  if (c === undefined) {
    c = crc32(out.subarray(at, at + n))
    if (n < 64) {
      if (TEXT_CRCS.size >= 4096) TEXT_CRCS.clear()
      TEXT_CRCS.set(text, c)
    }
  }
  return c
}

/**
 * A page as stored: gzipped with its times' texts as they read when it was stored, ready to send as it
 * is until one of them reads differently (`textsUntil`), and its template (the pieces inside that gzip,
 * between the texts), to splice in new texts after that.
 */
export interface StoredTemplate {
  gz: Buffer<ArrayBuffer>
  textsUntil: number
  template: PageTemplate
}

/**
 * Stored as one buffer: a binary head, then the gzip. The head: a format byte (3), the number of pieces
 * (u16), `textsUntil` (f64), each piece's place in the gzip, deflated length, HTML length, CRC and
 * operator (u32 each), then each time (f64, epoch ms); little-endian. Read without parsing text: a page
 * is read for every reader's request.
 */
const FORMAT = 3
export function encodeStored(t: PageTemplate, texts: string[], textsUntil: number): Buffer {
  const at: number[] = []
  const gz = spliceGzip(t, texts, at)
  const n = t.sizes.length
  const head = Buffer.alloc(headLength(n))
  head[0] = FORMAT
  head.writeUInt16LE(n, 1)
  let w = head.writeDoubleLE(textsUntil, 3)
  for (let i = 0; i < n; i++) {
    head.writeUInt32LE(at[i]!, w)
    head.writeUInt32LE(t.lengths[i]!, w + 4)
    head.writeUInt32LE(t.sizes[i]!, w + 8)
    head.writeUInt32LE(t.crcs[i]! >>> 0, w + 12)
    head.writeUInt32LE(t.ops[i]! >>> 0, w + 16)
    w += 20
  }
  for (const x of t.times) w = head.writeDoubleLE(x, w)
  return Buffer.concat([head, gz])
}
const headLength = (n: number) => 11 + 20 * n + 8 * (n - 1)

/**
 * A stored page's gzip and the time its texts hold until, read off its head without decoding the
 * pieces (what most answers need: their times still read as stored). Null when it is not of this format
 * or its head does not fit the gzip after it (cut, or written by something else).
 */
export function storedGzip(b: Uint8Array): { gz: Buffer<ArrayBuffer>; textsUntil: number; n: number } | null {
  const buf = Buffer.from(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength)
  if (buf.length < 11 || buf[0] !== FORMAT) return null
  const n = buf.readUInt16LE(1)
  const head = headLength(n)
  if (n < 1 || buf.length < head + GZIP_HEADER.length + END.length + 8) return null
  const gz = buf.subarray(head)
  // The last piece ends the stream: then its end block and the trailer, and nothing more.
  const last = 11 + 20 * (n - 1)
  if (buf.readUInt32LE(last) + buf.readUInt32LE(last + 4) + END.length + 8 !== gz.length) return null
  return { gz, textsUntil: buf.readDoubleLE(3), n }
}

/** The stored page in a buffer, or null when it is not one (another format, cut short). */
export function decodeStored(b: Uint8Array): StoredTemplate | null {
  const g = storedGzip(b)
  if (!g) return null
  const { gz, n } = g
  const buf = Buffer.from(b.buffer as ArrayBuffer, b.byteOffset, b.byteLength)
  const t = emptyTemplate(gz)
  let r = 11
  for (let i = 0; i < n; i++) {
    const start = buf.readUInt32LE(r), length = buf.readUInt32LE(r + 4)
    if (start + length > gz.length) return null
    t.starts.push(start)
    t.lengths.push(length)
    t.sizes.push(buf.readUInt32LE(r + 8))
    t.crcs.push(buf.readUInt32LE(r + 12))
    t.ops.push(buf.readUInt32LE(r + 16))
    r += 20
  }
  for (let i = 1; i < n; i++, r += 8) t.times.push(buf.readDoubleLE(r))
  return { gz, textsUntil: g.textsUntil, template: t }
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
