import type { IsoDate } from '../domain/types.js'

/** A page's opaque cursor: the last row's sort values, as base64url JSON. */
export function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url')
}
/** The sort values in a cursor, or null for none or a bad one (which starts from the first page). */
export function decodeCursor(c: string | null | undefined): unknown[] | null {
  if (!c) return null
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'))
    return Array.isArray(v) ? v : null
  } catch {
    return null
  }
}

/** A time as the store gives it (ISO text on SQLite, a Date on Postgres) as ISO, or null. */
export function iso(v: string | Date | null | undefined): IsoDate | null {
  if (v === null || v === undefined) return null
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
export const isoReq = (v: string | Date): IsoDate => iso(v) ?? new Date(0).toISOString()
