import { createHash } from 'node:crypto'

/** A strong ETag over a body's bytes (JSON API answers, output feeds, kept pages). */
export const strongEtag = (body: string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`

/** Whether an If-None-Match header names this ETag (a list, `*`, or the weak form of it). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => { const v = t.trim(); return v === '*' || v.replace(/^W\//, '') === etag })
}
