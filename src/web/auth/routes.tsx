import type { Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import { HttpError } from '../../domain/errors.js'
import type { User } from '../../domain/types.js'
import type { CommunityConfig } from '../../config/config.js'
import type { LayoutProps } from '../components/layout.js'
import { AccountPage, LoginPage, RegisterPage, ResetPage, type FormProblem } from '../pages/auth.js'
import { blocked, spend } from './limits.js'
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.js'
import { endSession, startSession, viewerOf, type AuthDeps } from './session.js'
import { tokenHash } from './tokens.js'
import type { AppsInfo } from '../pages/account-apps.js'
import { newAppPassword, setAppPassword } from '../../api/greader/reader-core.js'

export type PageFn = (c: Context, body: Child, p: Omit<LayoutProps, 'children' | 'siteTitle' | 'cssHref'>, status?: number) => Response | Promise<Response>

export interface CommunityDeps {
  auth: AuthDeps
  config: CommunityConfig
  page: PageFn
}

/** Only a path on this site: `/x`, never `//evil.example` or `https://…`. */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 500 || /[\u0000-\u001f]/.test(raw)) return '/'
  return raw
}

export async function registrationOpen(d: CommunityDeps): Promise<boolean> {
  const s = await d.auth.store.getSetting('registration')
  return s === null ? d.config.registrationOpen : s === 'open'
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N}_.-]{1,31}$/u
const RESERVED = new Set(['admin', 'administrator', 'moderator', 'mod', 'root', 'system', 'tidings', 'staff', 'support', 'anonymous', 'deleted'])

export function nameProblem(name: string): string | null {
  if (!NAME.test(name)) return 'Use 2 to 32 letters or digits (and . _ -), starting with a letter or digit.'
  if (RESERVED.has(name.toLowerCase())) return 'That name is reserved.'
  return null
}

const str = (v: unknown, max = 1000) => (typeof v === 'string' ? v.slice(0, max) : '')
/** scrypt of a fixed password: an unknown name costs as long as a wrong password. */
let dummyHash: Promise<string> | null = null

function tooMany(c: Context, d: CommunityDeps, message: string, retryAfter: number) {
  c.header('retry-after', String(retryAfter))
  return d.page(c, <section><h1 class="page-title">Slow down</h1><p class="notice error" role="alert">{message}</p></section>, { title: 'Too many attempts', robots: 'noindex' }, 429)
}

/** Sign in and out, register, change and reset passwords. */
export function authRoutes(app: Hono, d: CommunityDeps): void {
  const { store, now } = d.auth
  const limits = d.config.limits

  app.get('/login', async (c) => {
    if (viewerOf(c).user) return c.redirect(safeNext(c.req.query('next')), 303)
    return d.page(c, <LoginPage next={safeNext(c.req.query('next'))} problems={[]} registrationOpen={await registrationOpen(d)} notice={c.req.query('reset') ? 'Your password is set. Sign in with it.' : null} />, { title: 'Sign in', robots: 'noindex' })
  })

  app.post('/login', async (c) => {
    const f = await c.req.parseBody()
    const name = str(f['name'], 64).trim()
    const password = str(f['password'], 512)
    const next = safeNext(f['next'])
    const again = async (problems: FormProblem[], status: number) =>
      d.page(c, <LoginPage name={name} next={next} problems={problems} registrationOpen={await registrationOpen(d)} />, { title: 'Sign in', robots: 'noindex' }, status)
    const t = now()
    const ip = viewerOf(c).ip
    // Per address: one machine trying many accounts. Per account: many machines trying one password each.
    const perIp = await spend(store, t, [{ key: `login:ip:${ip}`, max: limits.loginPerIp, windowMs: limits.loginWindowMs, what: 'Too many sign-in attempts from your network.' }])
    if (!perIp.ok) return tooMany(c, d, perIp.message, perIp.retryAfterSeconds)
    const accountKey = `login:fail:${name.toLowerCase()}`
    const locked = await blocked(store, t, { key: accountKey, max: limits.loginPerAccount, what: 'Too many failed sign-ins for this account: it is locked for now.' })
    if (!locked.ok) return tooMany(c, d, locked.message, locked.retryAfterSeconds)
    if (!name || !password) return again([{ field: '', message: 'Enter your name and password.' }], 400)

    const cred = await store.findCredentials(name)
    dummyHash ??= hashPassword('not a password of anyone')
    const good = await verifyPassword(password, cred?.passwordHash ?? await dummyHash)
    if (!cred || !good) {
      await store.hitRateLimit(accountKey, limits.loginWindowMs, t.toISOString())
      return again([{ field: '', message: 'That name and password do not match an account.' }], 401)
    }
    if (cred.bannedAt) return again([{ field: '', message: `This account is banned${cred.banReason ? `: ${cred.banReason}` : ''}.` }], 403)
    await store.clearRateLimit(accountKey)
    if (needsRehash(cred.passwordHash)) await store.updateUser(cred.id, { passwordHash: await hashPassword(password) }, t.toISOString())
    await startSession(c, d.auth, cred)
    return c.redirect(next, 303)
  })

  app.post('/logout', async (c) => {
    await endSession(c, d.auth)
    return c.redirect('/', 303)
  })

  app.get('/register', async (c) => {
    if (viewerOf(c).user) return c.redirect('/account', 303)
    return d.page(c, <RegisterPage next={safeNext(c.req.query('next'))} problems={[]} open={await registrationOpen(d)} />, { title: 'Create an account', robots: 'noindex' })
  })

  app.post('/register', async (c) => {
    const open = await registrationOpen(d)
    if (!open) return d.page(c, <RegisterPage next="/" problems={[]} open={false} />, { title: 'Create an account', robots: 'noindex' }, 403)
    const f = await c.req.parseBody()
    const name = str(f['name'], 64).trim().normalize('NFC')
    const password = str(f['password'], 513)
    const next = safeNext(f['next'])
    const problems: FormProblem[] = []
    const np = nameProblem(name)
    if (np) problems.push({ field: 'name', message: np })
    const pp = passwordProblem(password, name)
    if (pp) problems.push({ field: 'password', message: pp })
    if (password !== str(f['password2'], 513)) problems.push({ field: 'password2', message: 'The two passwords differ.' })
    const again = (status: number) => d.page(c, <RegisterPage name={name} next={next} problems={problems} open />, { title: 'Create an account', robots: 'noindex' }, status)
    if (problems.length) return again(400)
    const t = now()
    const lim = await spend(store, t, [{ key: `register:ip:${viewerOf(c).ip}`, max: limits.registerPerIp, windowMs: limits.registerWindowMs, what: 'Too many new accounts from your network.' }])
    if (!lim.ok) return tooMany(c, d, lim.message, lim.retryAfterSeconds)
    const user = await store.createUser({ name, passwordHash: await hashPassword(password), role: 'reader' }, t.toISOString())
    if (!user) {
      problems.push({ field: 'name', message: 'That name is taken.' })
      return again(409)
    }
    await startSession(c, d.auth, user)
    return c.redirect(next, 303)
  })

  const requireUser = (c: Context): User => {
    const u = viewerOf(c).user
    if (!u) throw new HttpError(401, 'sign_in', 'Sign in first.')
    return u
  }

  app.get('/account', async (c) => {
    const v = viewerOf(c)
    if (!v.user) return c.redirect('/login?next=/account', 303)
    const notice = c.req.query('changed') ? 'Your password is changed. Other devices are signed out.' : c.req.query('apps') === 'revoked' ? 'Your app password is revoked: apps using it are signed out.' : null
    return d.page(c, <AccountPage user={v.user} problems={[]} notice={notice} apps={await appsInfo(c, v.user)} />, { title: 'Your account', robots: 'noindex' })
  })

  app.post('/account/password', async (c) => {
    const user = requireUser(c)
    const f = await c.req.parseBody()
    const current = str(f['current'], 512)
    const password = str(f['password'], 513)
    const problems: FormProblem[] = []
    const cred = await store.findCredentials(user.name)
    const t = now()
    const lim = await spend(store, t, [{ key: `password:user:${user.id}`, max: limits.loginPerAccount, windowMs: limits.loginWindowMs, what: 'Too many attempts to change the password.' }])
    if (!lim.ok) return tooMany(c, d, lim.message, lim.retryAfterSeconds)
    if (!cred || !(await verifyPassword(current, cred.passwordHash))) problems.push({ field: 'current', message: 'That is not your current password.' })
    const pp = passwordProblem(password, user.name)
    if (pp) problems.push({ field: 'password', message: pp })
    if (password !== str(f['password2'], 513)) problems.push({ field: 'password2', message: 'The two passwords differ.' })
    if (problems.length) return d.page(c, <AccountPage user={user} problems={problems} notice={null} apps={await appsInfo(c, user)} />, { title: 'Your account', robots: 'noindex' }, 400)
    await store.updateUser(user.id, { passwordHash: await hashPassword(password) }, t.toISOString())
    await store.deleteUserSessions(user.id)
    await startSession(c, d.auth, user)
    return c.redirect('/account?changed=1', 303)
  })

  // ─────────────── reader apps: the app password (Google Reader and Fever APIs) ───────────────
  const appsInfo = async (c: Context, user: User, newPassword: string | null = null): Promise<AppsInfo> => ({
    origin: d.auth.baseUrl ? new URL(d.auth.baseUrl).origin : new URL(c.req.url).origin,
    userName: user.name, setAt: (await store.getAppPassword(user.id))?.setAt ?? null, newPassword,
  })

  app.post('/account/apps', async (c) => {
    const user = requireUser(c)
    const password = newAppPassword()
    await setAppPassword(store, user, password, now())
    // Shown once, on this answer only: never in a URL, never stored.
    return d.page(c, <AccountPage user={user} problems={[]} notice="Your app password is set." apps={await appsInfo(c, user, password)} />, { title: 'Your account', robots: 'noindex' })
  })

  app.post('/account/apps/revoke', async (c) => {
    const user = requireUser(c)
    await store.revokeAppPassword(user.id)
    return c.redirect('/account?apps=revoked', 303)
  })

  app.get('/reset/:token', async (c) => {
    const token = c.req.param('token').slice(0, 100)
    const user = await store.findUserByResetToken(tokenHash(token), now().toISOString())
    return d.page(c, <ResetPage user={user} token={token} problems={[]} />, { title: 'Reset password', robots: 'noindex' }, user ? 200 : 404)
  })

  app.post('/reset/:token', async (c) => {
    const token = c.req.param('token').slice(0, 100)
    const t = now()
    const user = await store.findUserByResetToken(tokenHash(token), t.toISOString())
    if (!user) return d.page(c, <ResetPage user={null} token="" problems={[]} />, { title: 'Reset password', robots: 'noindex' }, 404)
    const f = await c.req.parseBody()
    const password = str(f['password'], 513)
    const problems: FormProblem[] = []
    const pp = passwordProblem(password, user.name)
    if (pp) problems.push({ field: 'password', message: pp })
    if (password !== str(f['password2'], 513)) problems.push({ field: 'password2', message: 'The two passwords differ.' })
    if (problems.length) return d.page(c, <ResetPage user={user} token={token} problems={problems} />, { title: 'Reset password', robots: 'noindex' }, 400)
    // The new hash clears the reset token: the link works once.
    await store.updateUser(user.id, { passwordHash: await hashPassword(password) }, t.toISOString())
    await store.deleteUserSessions(user.id)
    await store.clearRateLimit(`login:fail:${user.name.toLowerCase()}`)
    if (user.bannedAt) return c.redirect('/login?reset=1', 303)
    await startSession(c, d.auth, user)
    return c.redirect('/account?changed=1', 303)
  })
}
