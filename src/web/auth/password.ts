import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/** scrypt parameters: N = 2^15, r = 8, p = 1 (about 32 MB and 50–100 ms per hash on a small server). */
const PARAMS = { N: 32768, r: 8, p: 1 }
const KEY_LEN = 32
const MAX_MEM = 128 * PARAMS.N * PARAMS.r * 2

const derive = (password: string, salt: Buffer, o: ScryptOptions & { N: number }) =>
  new Promise<Buffer>((resolve, reject) => scrypt(password.normalize('NFKC'), salt, KEY_LEN, { ...o, maxmem: Math.max(MAX_MEM, 128 * o.N * (o.r ?? 8) * 2) }, (e, k) => (e ? reject(e) : resolve(k))))

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Constant-time check; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored)
  if (!m) return false
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false
  const want = Buffer.from(m[5]!, 'base64url')
  if (want.length !== KEY_LEN) return false
  const got = await derive(password, Buffer.from(m[4]!, 'base64url'), { N, r, p })
  return timingSafeEqual(got, want)
}

/** Is this hash made with weaker parameters than today's (re-hash at the next sign-in)? */
export function needsRehash(stored: string): boolean {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$/.exec(stored)
  return !m || Number(m[1]) < PARAMS.N || Number(m[2]) < PARAMS.r
}

const COMMON = new Set(['password', 'password1', 'password123', '12345678', '123456789', '1234567890', 'qwertyuiop', 'iloveyou', 'letmein123', 'welcome123', 'admin12345', 'tidings123', 'changeme123', '11111111', 'abcdefgh', 'qwerty123', 'passw0rd'])

/** Why a new password is refused, or null. Length rules only (NIST SP 800-63B), plus the obvious ones. */
export function passwordProblem(password: string, name: string): string | null {
  if (password.length < 10) return 'Use at least 10 characters.'
  if (password.length > 512) return 'Use at most 512 characters.'
  if (password.toLowerCase() === name.toLowerCase()) return 'Your password cannot be your name.'
  if (COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) return 'That password is too easy to guess.'
  return null
}
