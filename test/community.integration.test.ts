/**
 * Readers and comments through the web app (no socket): accounts and sessions, the comment flow,
 * who may do what, CSRF, rate limits and login lock-out, each as a reader or an attacker would try it.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Store } from '../src/store/store.js'
import { openStore } from '../src/store/open-store.js'
import { article } from '../src/store/store.contract.js'
import { loadConfig } from '../src/config/config.js'
import { createWebApp } from '../src/web/app.js'
import { hashPassword } from '../src/web/auth/password.js'

const ORIGIN = 'http://localhost'
let clock = new Date('2026-11-22T12:00:00.000Z')
let store: Store
let app: ReturnType<typeof createWebApp>
let articleId = 0
let articlePath = ''

/** A browser: keeps its cookies, sends our Origin, and finds the page's form token for its forms. */
class Browser {
  cookies = new Map<string, string>()
  csrf = ''
  constructor(readonly origin = ORIGIN, readonly extra: Record<string, string> = {}) {}
  private keep(r: Response) {
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [k, v] = pair!.split('=')
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || v === '') this.cookies.delete(k!)
      else this.cookies.set(k!, v!)
    }
  }
  private headers(h: Record<string, string> = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    return { ...this.extra, ...(cookie ? { cookie } : {}), ...h }
  }
  async get(path: string) {
    const r = await app.request(path, { headers: this.headers() })
    this.keep(r)
    const html = await r.text()
    const m = /name="_csrf" value="([^"]+)"/.exec(html)
    if (m) this.csrf = m[1]!
    return { status: r.status, html, headers: r.headers }
  }
  async post(path: string, form: Record<string, string>, opts: { origin?: string | null; csrf?: string | null } = {}) {
    const body = new URLSearchParams({ ...(opts.csrf === null ? {} : { _csrf: opts.csrf ?? this.csrf }), ...form })
    const origin = opts.origin === undefined ? this.origin : opts.origin
    const r = await app.request(path, {
      method: 'POST', body,
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) }),
    })
    this.keep(r)
    return { status: r.status, location: r.headers.get('location'), html: await r.text(), headers: r.headers }
  }
  signedIn() { return this.cookies.has('tidings_session') }
}

let nextIp = 1
/** Each new reader comes from an address of their own (TRUST_PROXY is on: X-Forwarded-For counts). */
async function register(name: string, password = 'tide tables at dawn') {
  const b = new Browser(ORIGIN, { 'x-forwarded-for': `198.51.100.${nextIp++}` })
  await b.get('/register')
  const r = await b.post('/register', { name, password, password2: password, next: '/' })
  assert.equal(r.status, 303, `${name} registered: ${r.html.slice(0, 300)}`)
  return b
}
async function login(name: string, password: string, b = new Browser()) {
  await b.get(b.signedIn() ? articlePath : '/login')
  return { b, r: await b.post('/login', { name, password, next: articlePath }) }
}
const comment = async (b: Browser, body: string, parent?: number) => {
  await b.get(articlePath)
  return b.post('/comments', { subject: 'article', subject_id: String(articleId), body, ...(parent ? { parent: String(parent) } : {}) })
}
const commentId = (location: string | null) => Number(/#c-(\d+)/.exec(location ?? '')?.[1])
const section = (html: string) => html.slice(html.indexOf('<section class="comments"'), html.indexOf('</section>', html.indexOf('<section class="comments"')))

before(async () => {
  store = await openStore('sqlite::memory:')
  const src = (await store.addSource({ kind: 'feed', url: 'https://herald.example/feed.xml', title: 'Harbor Herald' }, clock.toISOString())).source
  articleId = (await store.saveArticle(article(src.id, 1, { title: 'Ferry line reopens after storm repairs' }), clock.toISOString())).id
  articlePath = `/articles/${articleId}/ferry-line-reopens-after-storm-repairs`
  await store.createUser({ name: 'Mod', passwordHash: await hashPassword('moderate carefully'), role: 'moderator' }, clock.toISOString())
  app = createWebApp({
    store, now: () => clock, siteTitle: 'Tidings', baseUrl: null,
    // A password for /admin: without one, in-process requests would count as the local operator.
    adminPassword: 'operator secret',
    community: loadConfig({ LIMIT_COMMENTS_PER_ACCOUNT: '6', LIMIT_LOGIN_PER_ACCOUNT: '5', LIMIT_REGISTER_PER_IP: '3', COMMENT_EDIT_MINUTES: '15', TRUST_PROXY: '1' }).community,
    actions: { subscribe: async () => { throw new Error('unused') }, importOpml: async () => { throw new Error('unused') }, refresh: async () => null },
  })
})
after(async () => { await store.close() })

test('registering signs you in with an HttpOnly, SameSite=Lax session cookie; the database keeps only its hash', async () => {
  const b = new Browser()
  await b.get('/register')
  const r = await b.post('/register', { name: 'ana', password: 'tide tables at dawn', password2: 'tide tables at dawn', next: articlePath })
  assert.equal(r.status, 303)
  assert.equal(r.location, articlePath)
  const cookie = r.headers.getSetCookie().find((c) => c.startsWith('tidings_session='))!
  assert.match(cookie, /HttpOnly/i)
  assert.match(cookie, /SameSite=Lax/i)
  assert.doesNotMatch(cookie, /Secure/i, 'plain http on localhost: no Secure flag, or the browser would drop it')
  const token = b.cookies.get('tidings_session')!
  const page = await b.get(articlePath)
  assert.match(page.html, /<a href="\/account">ana<\/a>/)
  assert.equal(page.headers.get('cache-control'), 'private, no-store')
  assert.equal(await store.getSession(token), null, 'the raw token is not a session id')

  const dup = await new Browser().post('/register', { name: 'ANA', password: 'another long one', password2: 'another long one' })
  assert.equal(dup.status, 409)
  assert.match(dup.html, /That name is taken/)
  const weak = await new Browser().post('/register', { name: 'bo', password: 'short', password2: 'short' })
  assert.equal(weak.status, 400)
  assert.match(weak.html, /at least 10 characters/)
})

test('behind TLS the cookie is Secure; signing in rotates the session and signing out ends it', async () => {
  const tls = new Browser('https://news.example', { 'x-forwarded-proto': 'https' })
  const secureApp = createWebApp({
    store, now: () => clock, siteTitle: 'Tidings', baseUrl: 'https://news.example', adminPassword: 'x',
    actions: { subscribe: async () => { throw new Error('unused') }, importOpml: async () => { throw new Error('unused') }, refresh: async () => null },
  })
  const r = await secureApp.request('/login', {
    method: 'POST', body: new URLSearchParams({ name: 'ana', password: 'tide tables at dawn' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: tls.origin },
  })
  assert.equal(r.status, 303)
  assert.match(r.headers.getSetCookie().join('\n'), /tidings_session=[^;]+;.*Secure/i)

  const { b } = await login('ana', 'tide tables at dawn')
  const first = b.cookies.get('tidings_session')!
  await login('ana', 'tide tables at dawn', b)
  const second = b.cookies.get('tidings_session')!
  assert.notEqual(first, second, 'a new session id at every sign-in')
  const stale = new Browser()
  stale.cookies.set('tidings_session', first)
  assert.doesNotMatch((await stale.get(articlePath)).html, /<a href="\/account">ana</, 'the old session is gone')
  await b.get(articlePath)
  const out = await b.post('/logout', {})
  assert.equal(out.status, 303)
  assert.equal(b.signedIn(), false)
  const replay = new Browser()
  replay.cookies.set('tidings_session', second)
  assert.doesNotMatch((await replay.get(articlePath)).html, /<a href="\/account">ana</, 'signed out on the server too')
})

test('sessions end after the idle time and at the absolute limit', async () => {
  const { b } = await login('ana', 'tide tables at dawn')
  const start = clock
  try {
    clock = new Date(start.getTime() + 13 * 86_400_000)
    assert.match((await b.get('/account')).html, /Signed in as/, 'used within 14 days: still signed in')
    clock = new Date(clock.getTime() + 15 * 86_400_000)
    const r = await b.get('/account')
    assert.equal(r.status, 303, 'idle for 15 days: signed out')
  } finally { clock = start }
  const { b: kept } = await login('ana', 'tide tables at dawn')
  try {
    for (let day = 10; day <= 60; day += 10) {
      clock = new Date(start.getTime() + day * 86_400_000)
      await kept.get('/account')
    }
    clock = new Date(start.getTime() + 61 * 86_400_000)
    assert.equal((await kept.get('/account')).status, 303, 'past 60 days: signed out however active')
  } finally { clock = start }
})

test('the comment flow: first comment held, published by a moderator; reply, edit mark, report, delete', async () => {
  const cara = await register('cara')
  const anon = new Browser()
  assert.match(section((await anon.get(articlePath)).html), /No comments yet\.\.\./)
  assert.match(section((await anon.get(articlePath)).html), /Sign in<\/a> to comment/)

  const held = await comment(cara, 'First! The *ferry* is back.')
  assert.equal(held.status, 303)
  const heldId = commentId(held.location)
  assert.match(section((await cara.get(articlePath)).html), /Waiting for a moderator/, 'the author sees it, marked as held')
  assert.doesNotMatch(section((await anon.get(articlePath)).html), /The <em>ferry<\/em> is back/, 'others do not')

  const { b: mod } = await login('Mod', 'moderate carefully')
  const queue = await mod.get('/moderation')
  assert.match(queue.html, /held: first comment of a new account/)
  assert.equal((await mod.post(`/moderation/comments/${heldId}`, { action: 'restore' })).status, 303)
  const shown = section((await anon.get(articlePath)).html)
  assert.match(shown, /<strong id="c-\d+-by">cara<\/strong>/)
  assert.match(shown, /The <em>ferry<\/em> is back\./)
  assert.match(shown, /<time datetime="[^"]+" title="[^"]+">just now<\/time>|<time[^>]*>[^<]*ago<\/time>|<time[^>]*>just now/)

  const second = await comment(cara, 'A second thought, shown at once.')
  assert.doesNotMatch(second.location!, /\?n=/, 'no notice of holding: published')
  const secondId = commentId(second.location)
  const dan = await register('dan')
  await comment(dan, 'My first, held.')
  const reply = await comment(dan, 'Replying to cara.', heldId)
  const replyComment = await store.getComment(commentId(reply.location))
  assert.equal(replyComment?.parentId, heldId)
  const replyToReply = await comment(cara, 'Nested?', replyComment!.id)
  assert.equal((await store.getComment(commentId(replyToReply.location)))?.parentId, heldId, 'one level: a reply to a reply joins the thread')

  await cara.get(`/comments/${secondId}/edit`)
  assert.equal((await cara.post(`/comments/${secondId}/edit`, { body: 'A second thought, edited.' })).status, 303)
  assert.match(section((await anon.get(articlePath)).html), /A second thought, edited\.<\/p><\/div>|edited<\/span>/)
  assert.match(section((await anon.get(articlePath)).html), /class="edited"/)

  await dan.get(articlePath)
  const rep = await dan.post(`/comments/${secondId}/report`, { reason: 'off topic' })
  assert.equal(rep.status, 303)
  assert.match((await mod.get('/moderation')).html, /Reported by dan: off topic/)
  assert.match((await dan.get(rep.location!.replace(/#.*/, ''))).html, /a moderator will look at it/)

  await cara.get(articlePath)
  assert.equal((await cara.post(`/comments/${secondId}/delete`, { back: articlePath })).status, 303)
  assert.doesNotMatch(section((await anon.get(articlePath)).html), /A second thought/)
  assert.equal((await store.getComment(secondId))?.body, '', 'the text is gone from the database')
})

test('one account cannot edit or delete another’s comment; a reader cannot moderate; a moderator can', async () => {
  const eve = await register('eve')
  const posted = await comment(eve, 'Eve was here.')
  const id = commentId(posted.location)
  const frank = await register('frank')
  await frank.get(articlePath)
  assert.equal((await frank.post(`/comments/${id}/edit`, { body: 'Frank rewrote it.' })).status, 403)
  assert.equal((await frank.get(`/comments/${id}/edit`)).status, 403)
  assert.equal((await frank.post(`/comments/${id}/delete`, {})).status, 403)
  assert.equal((await frank.get('/moderation')).status, 403)
  assert.equal((await frank.post(`/moderation/comments/${id}`, { action: 'hide' })).status, 403)
  assert.equal((await frank.get('/admin/users')).status, 403, 'a reader is no admin')
  assert.equal((await store.getComment(id))?.body, 'Eve was here.')

  const { b: mod } = await login('Mod', 'moderate carefully')
  await mod.get('/moderation')
  assert.equal((await mod.post(`/moderation/comments/${id}`, { action: 'hide' })).status, 303)
  assert.equal((await store.getComment(id))?.status, 'hidden')
  assert.doesNotMatch(section((await new Browser().get(articlePath)).html), /Eve was here/)
  assert.equal((await mod.get('/admin/users')).status, 403, 'a moderator is no admin')

  // Ban: signed out at once, and cannot sign in again.
  const eveUser = (await store.findCredentials('eve'))!
  assert.equal((await mod.post(`/moderation/users/${eveUser.id}`, { action: 'ban', reason: 'spam' })).status, 303)
  assert.doesNotMatch((await eve.get(articlePath)).html, /<a href="\/account">eve</)
  const again = await login('eve', 'tide tables at dawn')
  assert.equal(again.r.status, 403)
  assert.match(again.r.html, /This account is banned: spam/)
})

test('editing closes after the edit window', async () => {
  const gil = await register('gil')
  await store.updateUser((await store.findCredentials('gil'))!.id, {}, clock.toISOString())
  const id = commentId((await comment(gil, 'Typo heer.')).location)
  const start = clock
  try {
    clock = new Date(start.getTime() + 16 * 60_000)
    await gil.get(articlePath)
    const r = await gil.post(`/comments/${id}/edit`, { body: 'Typo here.' })
    assert.equal(r.status, 403)
    assert.match(r.html, /within 15 minutes/)
  } finally { clock = start }
})

test('comments are escaped text with a safe Markdown subset; links get rel="nofollow ugc noopener"', async () => {
  const { b: mod } = await login('Mod', 'moderate carefully')
  await comment(mod, '<script>window.__x=1</script> **bold** [the pier](https://herald.example/pier) [bad](javascript:alert(1))\n\n> a quote')
  const html = section((await new Browser().get(articlePath)).html)
  assert.match(html, /&lt;script&gt;window\.__x=1&lt;\/script&gt;/)
  assert.doesNotMatch(html, /<script>window/)
  assert.match(html, /<strong>bold<\/strong>/)
  assert.match(html, /<a href="https:\/\/herald\.example\/pier" rel="nofollow ugc noopener"[^>]*>the pier<\/a>/)
  assert.doesNotMatch(html, /href="javascript:/i)
  assert.match(html, /<blockquote>/)
})

test('CSRF: a signed-in reader’s form posted from another site, or without its token, is refused', async () => {
  const hal = await register('hal')
  await hal.get(articlePath)
  const foreign = await hal.post('/comments', { subject: 'article', subject_id: String(articleId), body: 'from evil' }, { origin: 'https://evil.example' })
  assert.equal(foreign.status, 403)
  const noToken = await hal.post('/comments', { subject: 'article', subject_id: String(articleId), body: 'no token' }, { csrf: null })
  assert.equal(noToken.status, 403)
  assert.match(noToken.html, /did not come from this site/)
  const wrongToken = await hal.post('/comments', { subject: 'article', subject_id: String(articleId), body: 'stolen token' }, { csrf: 'A'.repeat(43) })
  assert.equal(wrongToken.status, 403)
  const noOrigin = await hal.post('/logout', {}, { origin: null, csrf: null })
  assert.equal(noOrigin.status, 403, 'no Origin and no token: refused')
  const list = await store.listComments('article', articleId, { withHeld: true, withHidden: true })
  assert.ok(!list.some((c) => /evil|no token|stolen/.test(c.body)), 'nothing was stored')
  assert.ok(hal.signedIn())
})

test('posting is rate-limited per account with a clear message, and recovers in the next window', async () => {
  const { b: mod } = await login('Mod', 'moderate carefully')
  // Each window is a fixed 10 minutes: start at its beginning so the test does not straddle two.
  const start = clock
  clock = new Date(Math.ceil(start.getTime() / 600_000) * 600_000 + 1000)
  try {
    let refused: Awaited<ReturnType<Browser['post']>> | null = null
    for (let i = 0; i < 8 && !refused; i++) {
      const r = await comment(mod, `Burst ${i}`)
      if (r.status === 429) refused = r
    }
    assert.ok(refused, 'the seventh comment in ten minutes is refused')
    assert.match(refused.html, /You are commenting very fast\. Try again in \d+ (minutes|seconds)\./)
    assert.ok(Number(refused.headers.get('retry-after')) > 0)
    assert.match(refused.html, /Burst \d/, 'the text is given back')
    clock = new Date(clock.getTime() + 10 * 60_000)
    assert.equal((await comment(mod, 'After the pause')).status, 303)
  } finally { clock = start }
})

test('login lock-out: five wrong passwords lock the account for the window, even for the right one; then it recovers', async () => {
  await register('ivy')
  const start = clock
  clock = new Date(Math.ceil(start.getTime() / 900_000) * 900_000 + 1000)
  try {
    for (let i = 0; i < 5; i++) assert.equal((await login('ivy', `wrong guess ${i}`)).r.status, 401)
    const locked = await login('ivy', 'tide tables at dawn')
    assert.equal(locked.r.status, 429)
    assert.match(locked.r.html, /Too many failed sign-ins for this account: it is locked for now\. Try again in \d+ minutes\./)
    assert.equal(locked.b.signedIn(), false)
    clock = new Date(clock.getTime() + 15 * 60_000)
    const ok = await login('ivy', 'tide tables at dawn')
    assert.equal(ok.r.status, 303, 'after the window the right password works')
    assert.ok(ok.b.signedIn())
  } finally { clock = start }
})

test('an unknown name and a wrong password get the same answer', async () => {
  const a = await login('nobody-here', 'tide tables at dawn')
  const b = await login('ana', 'not her password at all')
  assert.equal(a.r.status, 401)
  assert.equal(b.r.status, 401)
  const msg = (h: string) => /<p class="notice error" role="alert">([^<]+)<\/p>/.exec(h)?.[1]
  assert.equal(msg(a.r.html), msg(b.r.html))
})

test('changing the password signs out other devices; an admin’s reset link works once', async () => {
  const { b: laptop } = await login('ana', 'tide tables at dawn')
  const { b: phone } = await login('ana', 'tide tables at dawn')
  await laptop.get('/account')
  const r = await laptop.post('/account/password', { current: 'tide tables at dawn', password: 'harbour lights at dusk', password2: 'harbour lights at dusk' })
  assert.equal(r.status, 303)
  assert.match((await laptop.get('/account')).html, /Your password is changed|Signed in as/)
  assert.equal((await phone.get('/account')).status, 303, 'the other device is signed out')

  const admin = new Browser()
  const adminHeaders = { authorization: `Basic ${Buffer.from('x:operator secret').toString('base64')}`, origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }
  const ana = (await store.findCredentials('ana'))!
  const made = await app.request(`/admin/users/${ana.id}`, { method: 'POST', body: new URLSearchParams({ action: 'reset' }), headers: adminHeaders })
  assert.equal(made.status, 303)
  const notice = await (await app.request(made.headers.get('location')!, { headers: adminHeaders })).text()
  const link = /\/reset\/([\w-]{43})/.exec(notice)![0]
  await admin.get(link)
  const set = await admin.post(link, { password: 'a brand new passphrase', password2: 'a brand new passphrase' })
  assert.equal(set.status, 303)
  assert.equal((await new Browser().get(link)).status, 404, 'the link works once')
  assert.equal((await login('ana', 'a brand new passphrase')).r.status, 303)
})

test('registration is limited per address: the fourth account in an hour from one network is refused, others still register', async () => {
  const start = clock
  clock = new Date(Math.ceil(start.getTime() / 3_600_000) * 3_600_000 + 1000)
  try {
    const from = (ip: string) => new Browser(ORIGIN, { 'x-forwarded-for': ip })
    for (let i = 0; i < 3; i++) assert.equal((await from('203.0.113.7').post('/register', { name: `bulk${i}`, password: 'tide tables at dawn', password2: 'tide tables at dawn' })).status, 303)
    const refused = await from('203.0.113.7').post('/register', { name: 'bulk3', password: 'tide tables at dawn', password2: 'tide tables at dawn' })
    assert.equal(refused.status, 429)
    assert.match(refused.html, /Too many new accounts from your network\. Try again in \d+ minutes\./)
    assert.equal(await store.findCredentials('bulk3'), null)
    assert.equal((await from('203.0.113.8').post('/register', { name: 'elsewhere', password: 'tide tables at dawn', password2: 'tide tables at dawn' })).status, 303)
    clock = new Date(clock.getTime() + 3_600_000)
    assert.equal((await from('203.0.113.7').post('/register', { name: 'bulk3', password: 'tide tables at dawn', password2: 'tide tables at dawn' })).status, 303, 'recovers the next hour')
  } finally { clock = start }
})

test('closed registration: the form says so and a posted registration is refused', async () => {
  await store.setSetting('registration', 'closed')
  try {
    assert.match((await new Browser().get('/register')).html, /Registration is closed/)
    const r = await new Browser().post('/register', { name: 'late', password: 'tide tables at dawn', password2: 'tide tables at dawn' })
    assert.equal(r.status, 403)
    assert.equal(await store.findCredentials('late'), null)
  } finally { await store.setSetting('registration', 'open') }
})

test('cards show the number of visible comments', async () => {
  const html = (await new Browser().get('/')).html
  const n = (await store.commentCounts('article', [articleId])).get(articleId)!
  assert.ok(n > 0)
  assert.match(html, new RegExp(`${n} comments?</a>`))
})
