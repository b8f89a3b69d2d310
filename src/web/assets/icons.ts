import { deflateSync } from 'node:zlib'

/**
 * The app icon, drawn here rather than shipped as binaries: a blue tile with a white page of headline and
 * text lines. The PNGs (192 and 512 px, which installers want) are rasterised from the same rectangles;
 * everything sits inside the maskable safe zone (the middle 80%).
 */
const BLUE = [0x0b, 0x57, 0xd0] as const
const WHITE = [0xff, 0xff, 0xff] as const
const GREY = [0x9a, 0xa5, 0xb8] as const
type Rect = { x: number; y: number; w: number; h: number; rgb: readonly [number, number, number] }
/** In units of a 100×100 tile. */
const SHAPES: Rect[] = [
  { x: 24, y: 20, w: 52, h: 60, rgb: WHITE },
  { x: 31, y: 28, w: 38, h: 8, rgb: BLUE },
  { x: 31, y: 42, w: 38, h: 4, rgb: GREY },
  { x: 31, y: 51, w: 38, h: 4, rgb: GREY },
  { x: 31, y: 60, w: 38, h: 4, rgb: GREY },
  { x: 31, y: 69, w: 24, h: 4, rgb: GREY },
]

export const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" rx="18" fill="#0b57d0"/>${
  SHAPES.map((s) => `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.rgb === WHITE ? 3 : 1}" fill="#${s.rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}"/>`).join('')
}</svg>`

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

/** A full-bleed square PNG (maskable: the platform rounds it). */
export function iconPng(size: number): Buffer {
  const row = size * 3 + 1
  const px = Buffer.alloc(row * size)
  for (let y = 0; y < size; y++) {
    px[y * row] = 0
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) * 100 / size, v = (y + 0.5) * 100 / size
      let rgb: readonly number[] = BLUE
      for (const s of SHAPES) if (u >= s.x && u < s.x + s.w && v >= s.y && v < s.y + s.h) rgb = s.rgb
      px.set(rgb, y * row + 1 + x * 3)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0))])
}
