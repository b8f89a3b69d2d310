import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** A random secret for a cookie or a link: 256 bits, URL-safe. */
export const newToken = () => randomBytes(32).toString('base64url')

/** What the database keeps of a token: its SHA-256, so a leaked table signs nobody in. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex')

/** The form token of a session: an HMAC of its id under the site's secret (no state to keep). */
export const csrfToken = (secret: string, sessionId: string) => createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url')

export function csrfValid(secret: string, sessionId: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length > 100) return false
  const want = Buffer.from(csrfToken(secret, sessionId))
  const got = Buffer.from(given)
  return got.length === want.length && timingSafeEqual(got, want)
}
