import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import zlib from 'node:zlib'
import { err, ok } from '../../domain/result.js'
import type { Result } from '../../domain/result.js'

/**
 * "deflate" should mean zlib-wrapped (RFC 9110) but some servers send raw deflate, so the first two
 * bytes decide: a zlib header has compression method 8 and a 16-bit value divisible by 31.
 */
class InflateAuto extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null
  private head = Buffer.alloc(0)

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.inner) return this.feed(chunk, cb)
    this.head = Buffer.concat([this.head, chunk])
    if (this.head.length < 2) return cb()
    this.feed(this.open(), cb)
  }

  override _flush(cb: TransformCallback): void {
    if (!this.inner) {
      if (this.head.length === 0) return cb()
      this.inner = zlib.createInflateRaw() // one byte cannot be a zlib header; let inflate report it
      this.wire()
      this.inner.write(this.head)
    }
    this.inner.once('end', () => cb())
    this.inner.end()
  }

  private open(): Buffer {
    const [a = 0, b = 0] = this.head
    this.inner = (a & 0x0f) === 8 && ((a << 8) | b) % 31 === 0 ? zlib.createInflate() : zlib.createInflateRaw()
    this.wire()
    return this.head
  }

  private wire(): void {
    this.inner!.on('data', (d: Buffer) => this.push(d))
    this.inner!.on('error', (e) => this.destroy(e))
  }

  private feed(chunk: Buffer, cb: TransformCallback): void {
    if (this.inner!.write(chunk)) cb()
    else this.inner!.once('drain', () => cb())
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    this.inner?.destroy()
    cb(error)
  }
}

/**
 * Decoders for a Content-Encoding value, in the order to apply them (the last encoding listed was
 * applied last, so it is undone first). Empty for identity.
 */
export function createDecoders(contentEncoding: string | undefined): Result<Transform[], string> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse()
  const unknown = codings.find((c) => !['gzip', 'x-gzip', 'deflate', 'br'].includes(c))
  if (unknown !== undefined) return err(`unsupported Content-Encoding "${unknown}"`)
  return ok(
    codings.map((c) => (c === 'br' ? zlib.createBrotliDecompress() : c === 'deflate' ? new InflateAuto() : zlib.createGunzip())),
  )
}
