/**
 * The Google Reader API as apps (Reeder, NetNewsWire, FeedMe…) speak it, replayed against the web
 * app without a socket: ClientLogin, token, the lists, streams with continuation, item contents by
 * either id form, edit-tag and mark-all-as-read, each reader's state kept apart.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Store } from '../src/store/store.js'
import { loadConfig } from '../src/config/config.js'
import type { createWebApp } from '../src/web/app.js'
import { readerSite } from './support/reader-site.js'
import { hashPassword } from '../src/web/auth/password.js'
import { setAppPassword } from '../src/api/greader/reader-core.js'

const clock = new Date('2026-12-05T12:00:00.000Z')
let store: Store
let app: ReturnType<typeof createWebApp>
let en = 0
let ja = 0
/** 25 articles, oldest first: 15 in English, 10 in Japanese, fetched a minute apart in the last hours. */
const ids: number[] = []
let anaPassword = ''
const BEN_PASSWORD = 'ben-app-password-0001'

const G = '/api/greader'
const API = `${G}/reader/api/0`
const READ = 'user/-/state/com.google/read'
const STARRED = 'user/-/state/com.google/starred'
const LIST = 'user/-/state/com.google/reading-list'
const long = (id: number) => `tag:google.com,2005:reader/item/${id.toString(16).padStart(16, '0')}`

const form = (o: Record<string, string | string[]>) => {
  const b = new URLSearchParams()
  for (const [k, v] of Object.entries(o)) for (const x of Array.isArray(v) ? v : [v]) b.append(k, x)
  return b
}
const clientLogin = (Email: string, Passwd: string, ip = '203.0.113.10') =>
  app.request(`${G}/accounts/ClientLogin`, { method: 'POST', body: form({ Email, Passwd }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip } })

/** An app: logs in once, fetches the T token for edits, speaks JSON. */
class ReaderApp {
  auth = ''
  t = ''
  async login(name: string, password: string) {
    const r = await clientLogin(name, password)
    const body = await r.text()
    assert.equal(r.status, 200, body)
    this.auth = /^Auth=(.+)$/m.exec(body)![1]!
    const t = await this.get('token')
    this.t = (await t.text()).trim()
    return this
  }
  get(path: string) {
    return app.request(`${API}/${path}`, { headers: { authorization: `GoogleLogin auth=${this.auth}` } })
  }
  async json(path: string) {
    const r = await this.get(path)
    assert.equal(r.status, 200, path)
    return r.json() as Promise<any>
  }
  post(path: string, body: Record<string, string | string[]>, withT = true) {
    return app.request(`${API}/${path}`, {
      method: 'POST', body: form(withT ? { T: this.t, ...body } : body),
      headers: { authorization: `GoogleLogin auth=${this.auth}`, 'content-type': 'application/x-www-form-urlencoded' },
    })
  }
  /** Every item id of a stream, page by page. */
  async allIds(stream: string, extra = '', n = 7): Promise<number[]> {
    const out: number[] = []
    let c: string | undefined
    for (let i = 0; i < 50; i++) {
      const page = await this.json(`stream/contents/${encodeURIComponent(stream)}?n=${n}${extra}${c ? `&c=${encodeURIComponent(c)}` : ''}`)
      out.push(...page.items.map((x: any) => parseInt(x.id.split('/').pop(), 16)))
      c = page.continuation
      if (!c) break
    }
    return out
  }
  async unread(id: string) {
    const u = await this.json('unread-count?output=json')
    return u.unreadcounts.find((x: any) => x.id === id)?.count ?? 0
  }
}

let ana: ReaderApp
let ben: ReaderApp

before(async () => {
  const site = await readerSite({
    clock, articles: 25, newestMinutesAgo: 5, sourceOf: (n, s) => (n <= 15 ? s.en : s.ja),
    fields: (n) => ({ html: `<p>Body <b>${n}</b></p>`, author: n === 1 ? { name: 'Rita Wong', bio: null } : null }),
    seed: async (store, t0) => {
      await store.createUser({ name: 'Ana', passwordHash: await hashPassword('site password of ana'), role: 'reader' }, t0)
      const benUser = await store.createUser({ name: 'ben', passwordHash: await hashPassword('site password of ben'), role: 'reader' }, t0)
      await setAppPassword(store, benUser!, BEN_PASSWORD, clock)
    },
    web: {
      baseUrl: 'https://news.example',
      community: loadConfig({ LIMIT_LOGIN_PER_ACCOUNT: '5', TRUST_PROXY: '1' }).community,
      actions: { subscribe: async (url) => ({ ok: true, value: { ...(await store.addSource({ kind: 'feed', url, title: 'Added' }, clock.toISOString())) } }), importOpml: async () => { throw new Error('unused') }, refresh: async () => null },
    },
  })
  ;({ store, app, en, ja } = site)
  ids.push(...site.ids)
})
after(async () => { await store.close() })

test('the account page gives the server addresses and an app password, shown once', async () => {
  const cookies = new Map<string, string>()
  const keep = (r: Response) => { for (const l of r.headers.getSetCookie()) { const [kv] = l.split(';'); const [k, v] = kv!.split('='); cookies.set(k!, v!) } }
  const headers = () => ({ cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), origin: 'https://news.example' })
  const login = await app.request('/login', { method: 'POST', body: form({ name: 'Ana', password: 'site password of ana', next: '/account' }), headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(login.status, 303)
  keep(login)
  const page = await (await app.request('/account', { headers: headers() })).text()
  assert.match(page, /https:\/\/news\.example\/api\/greader/)
  assert.match(page, /https:\/\/news\.example\/api\/fever/)
  assert.match(page, /no app password yet/)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!
  const set = await app.request('/account/apps', { method: 'POST', body: form({ _csrf: csrf }), headers: { ...headers(), 'content-type': 'application/x-www-form-urlencoded' } })
  const html = await set.text()
  assert.equal(set.status, 200)
  anaPassword = /Your new app password: <strong><code>([^<]+)<\/code>/.exec(html)![1]!
  assert.match(anaPassword, /^[a-z0-9]{5}(-[a-z0-9]{5}){3}$/)
  const again = await (await app.request('/account', { headers: headers() })).text()
  assert.doesNotMatch(again, new RegExp(anaPassword), 'not shown again')
  assert.match(again, /You have an app password/)
  const stored = await store.getAppPassword((await store.findCredentials('ana'))!.id)
  assert.match(stored!.passwordHash, /^scrypt\$/)
  assert.doesNotMatch(JSON.stringify(stored), new RegExp(anaPassword), 'the password itself is not stored')
})

test('ClientLogin: the app password signs in; the site password, a wrong one and a banned reader do not', async () => {
  const ok = await clientLogin('ana', anaPassword)
  assert.equal(ok.status, 200)
  assert.match(await ok.text(), /^SID=\S+\nLSID=\S+\nAuth=\S+\n$/)
  assert.equal((await clientLogin('ana', 'site password of ana')).status, 401, 'the site password is not the app password')
  const bad = await clientLogin('ana', 'wrong')
  assert.equal(bad.status, 401)
  assert.match(await bad.text(), /Error=BadAuthentication/)
  assert.equal((await clientLogin('nobody', 'x')).status, 401)
  assert.equal((await app.request(`${API}/user-info`)).status, 401, 'no token')
  assert.equal((await app.request(`${API}/user-info`, { headers: { authorization: 'GoogleLogin auth=made-up' } })).status, 401)

  const cy = await store.createUser({ name: 'cy', passwordHash: 'x', role: 'reader' }, clock.toISOString())
  await setAppPassword(store, cy!, 'cy-app-password-0001', clock)
  const cyApp = await new ReaderApp().login('cy', 'cy-app-password-0001')
  await store.updateUser(cy!.id, { bannedAt: clock.toISOString(), banReason: 'spam' }, clock.toISOString())
  assert.equal((await clientLogin('cy', 'cy-app-password-0001')).status, 403, 'banned: refused')
  assert.equal((await cyApp.get('user-info')).status, 401, 'a banned reader\'s token no longer works')

  ana = await new ReaderApp().login('Ana', anaPassword)
  ben = await new ReaderApp().login('ben', BEN_PASSWORD)
  const info = await ana.json('user-info')
  assert.equal(info.userName, 'Ana')
})

test('failed ClientLogins lock the account for a while, as the site login does', async () => {
  const u = await store.createUser({ name: 'dee', passwordHash: 'x', role: 'reader' }, clock.toISOString())
  await setAppPassword(store, u!, 'dee-app-password-0001', clock)
  for (let i = 0; i < 5; i++) assert.equal((await clientLogin('dee', `guess ${i}`, `198.51.100.${i}`)).status, 401)
  const locked = await clientLogin('dee', 'dee-app-password-0001', '198.51.100.99')
  assert.equal(locked.status, 429)
  assert.ok(Number(locked.headers.get('retry-after')) > 0)
})

test('subscriptions, folders (one per language) and unread counts', async () => {
  const subs = (await ana.json('subscription/list?output=json')).subscriptions
  assert.deepEqual(subs.map((s: any) => [s.id, s.title, s.categories[0].label, s.url, s.htmlUrl]), [
    [`feed/${en}`, 'Harbor Herald', 'English', 'https://herald.example/feed.xml', 'https://herald.example/'],
    [`feed/${ja}`, 'Minato Shimbun', 'Japanese', 'https://minato.example/rss', 'https://minato.example/rss'],
  ])
  const tags = (await ana.json('tag/list?output=json')).tags.map((t: any) => t.id)
  assert.deepEqual(tags, [STARRED, 'user/-/label/English', 'user/-/label/Japanese'])
  assert.equal(await ana.unread(LIST), 25)
  assert.equal(await ana.unread(`feed/${en}`), 15)
  assert.equal(await ana.unread('user/-/label/Japanese'), 10)
})

test('reading-list pages with continuation: no repeats, no gaps, newest first or oldest first', async () => {
  const newest = await ana.allIds(LIST)
  assert.deepEqual(newest, [...ids].reverse())
  assert.deepEqual(await ana.allIds(LIST, '&r=o', 4), ids)
  assert.deepEqual(await ana.allIds(`feed/${ja}`), ids.slice(15).reverse())
  assert.deepEqual(await ana.allIds('feed/https://minato.example/rss'), ids.slice(15).reverse(), 'a feed by its URL')
  assert.deepEqual(await ana.allIds('user/-/label/English', '&r=o', 20), ids.slice(0, 15))
  // ot / nt: seconds; ot inclusive, nt exclusive.
  const ot = Math.floor(Date.parse(new Date(clock.getTime() - 10 * 60_000).toISOString()) / 1000)
  assert.deepEqual(await ana.allIds(LIST, `&r=o&ot=${ot}`, 50), ids.slice(19), 'from the 20th')
  assert.deepEqual(await ana.allIds(LIST, `&r=o&nt=${ot}`, 50), ids.slice(0, 19), 'before the 20th')

  const page = await ana.json(`stream/contents/${encodeURIComponent(LIST)}?n=1&r=o`)
  const it = page.items[0]
  assert.equal(it.id, long(ids[0]!))
  assert.equal(it.title, 'Story 1')
  assert.equal(it.author, 'Rita Wong')
  assert.equal(it.summary.content, '<p>Body <b>1</b></p>')
  assert.deepEqual(it.alternate, [{ href: 'https://news.example/a/1', type: 'text/html' }])
  assert.deepEqual(it.canonical, [{ href: 'https://news.example/a/1' }])
  assert.deepEqual(it.origin, { streamId: `feed/${en}`, title: 'Harbor Herald', htmlUrl: 'https://herald.example/' })
  assert.equal(it.crawlTimeMsec, String(clock.getTime() - 29 * 60_000))
  assert.equal(it.timestampUsec, `${clock.getTime() - 29 * 60_000}000`)
  assert.equal(it.published, Math.floor((clock.getTime() - 29 * 60_000) / 1000))
  assert.deepEqual(it.categories, [LIST, 'user/-/label/English'])
  assert.ok(page.continuation)
})

test('items/ids then items/contents with long and short ids, as Reeder and NetNewsWire sync', async () => {
  const refs = (await ana.json(`stream/items/ids?s=${encodeURIComponent(LIST)}&xt=${encodeURIComponent(READ)}&n=1000`)).itemRefs
  assert.equal(refs.length, 25)
  assert.deepEqual(refs.map((r: any) => Number(r.id)), [...ids].reverse())
  const r = await ana.post('stream/items/contents', { i: [long(ids[3]!), String(ids[1]!), ids[2]!.toString(16).padStart(16, '0'), 'garbage'] }, false)
  assert.equal(r.status, 200)
  const body = await r.json() as any
  assert.deepEqual(body.items.map((x: any) => x.title), ['Story 4', 'Story 2', 'Story 3'], 'in the order asked for')
  // The ids paginate too.
  const first = await ana.json(`stream/items/ids?s=${encodeURIComponent(LIST)}&n=10`)
  const second = await ana.json(`stream/items/ids?s=${encodeURIComponent(LIST)}&n=10&c=${encodeURIComponent(first.continuation)}`)
  assert.deepEqual([...first.itemRefs, ...second.itemRefs].map((x: any) => Number(x.id)), [...ids].reverse().slice(0, 20))
})

test('edit-tag: read and unread, starred and unstarred, in streams and counts; the T token is required', async () => {
  const a = [long(ids[0]!), String(ids[1]!)]
  const noT = await ana.post('edit-tag', { i: a, a: READ }, false)
  assert.equal(noT.status, 401)
  assert.equal(noT.headers.get('x-reader-google-bad-token'), 'true')
  const r = await ana.post('edit-tag', { i: a, a: READ })
  assert.equal(r.status, 200)
  assert.equal(await r.text(), 'OK')
  assert.equal(await ana.unread(LIST), 23)
  assert.equal(await ana.unread(`feed/${en}`), 13)
  assert.equal(await ben.unread(LIST), 25, 'ben\'s state is his own')
  assert.deepEqual(await ana.allIds(LIST, `&r=o&xt=${encodeURIComponent(READ)}`, 50), ids.slice(2))
  assert.deepEqual(await ana.allIds(READ, '&r=o'), ids.slice(0, 2))
  const item = (await (await ana.post('stream/items/contents', { i: String(ids[0]!) }, false)).json() as any).items[0]
  assert.ok(item.categories.includes(READ))

  await ana.post('edit-tag', { i: String(ids[1]!), r: READ })
  assert.equal(await ana.unread(LIST), 24)

  await ana.post('edit-tag', { i: [long(ids[5]!), String(ids[7]!)], a: STARRED })
  assert.deepEqual(await ana.allIds(STARRED), [ids[7], ids[5]])
  assert.deepEqual(await ben.allIds(STARRED), [])
  assert.deepEqual(await ana.allIds(LIST, `&it=${encodeURIComponent(STARRED)}`), [ids[7], ids[5]])
  await ana.post('edit-tag', { i: String(ids[7]!), r: STARRED })
  assert.deepEqual(await ana.allIds(STARRED), [ids[5]])
  assert.deepEqual(await ana.allIds(LIST, `&xt=${encodeURIComponent(STARRED)}`, 50), [...ids].reverse().filter((x) => x !== ids[5]))
})

test('mark-all-as-read with ts: what arrived after ts stays unread; per feed, per label, everything', async () => {
  // Japanese feed, up to the 20th article's fetch time (ts in microseconds).
  const ts20 = `${clock.getTime() - 10 * 60_000}000`
  assert.equal((await ana.post('mark-all-as-read', { s: `feed/${ja}`, ts: ts20 })).status, 200)
  assert.equal(await ana.unread(`feed/${ja}`), 5, 'articles 21–25 arrived later')
  assert.equal(await ana.unread(`feed/${en}`), 14)
  assert.equal(await ben.unread(`feed/${ja}`), 10)
  await ana.post('mark-all-as-read', { s: 'user/-/label/English', ts: `${clock.getTime() - 20 * 60_000}000` })
  assert.equal(await ana.unread(`feed/${en}`), 5, 'English up to the 10th')
  await ana.post('mark-all-as-read', { s: LIST, ts: String(Math.floor(clock.getTime() / 1000) - 390) })
  assert.equal(await ana.unread(LIST), 2, 'ts in seconds works too: 24 and 25 remain')
  await ana.post('edit-tag', { i: String(ids[0]!), r: READ })
  assert.equal(await ana.unread(LIST), 3, 'an article can be unread again after mark-all')
  await ana.post('mark-all-as-read', { s: LIST })
  assert.equal(await ana.unread(LIST), 0)
  assert.equal(await ben.unread(LIST), 25)
  assert.deepEqual(await ana.allIds(STARRED), [ids[5]], 'stars survive')
})

test('subscriptions are the site\'s: readers cannot add or remove them; unknown paths are 404', async () => {
  assert.equal((await ana.post('subscription/quickadd', { quickadd: 'https://elsewhere.example/feed' })).status, 403)
  assert.equal((await ana.post('subscription/edit', { ac: 'unsubscribe', s: `feed/${en}` })).status, 403)
  assert.equal((await ana.get('no/such/thing')).status, 404)
  assert.equal((await ana.json(`stream/contents/${encodeURIComponent(`feed/${en}`)}?n=1`)).items.length, 1, 'still subscribed')
})

test('migrate-data copies the readers\' app passwords, tokens and item state', async () => {
  const { copyData } = await import('../src/store/copy-data.js')
  const { openSqlite } = await import('../src/store/dialects/sqlite.js')
  const from = (store as unknown as { kysely: import('kysely').Kysely<any> }).kysely
  const to = openSqlite('sqlite::memory:') as unknown as import('kysely').Kysely<any>
  try {
    const report = await copyData(from, to, { fromDialect: 'sqlite', toDialect: 'sqlite' })
    assert.equal(report.equal, true)
    for (const t of ['reader_apps', 'reader_tokens', 'item_states']) {
      const row = report.tables.find((x) => x.table === t)
      assert.ok(row && row.sourceRows > 0 && row.sourceRows === row.targetRows, t)
    }
  } finally {
    await to.destroy()
  }
})

test('an admin\'s quickadd adds a source for everybody', async () => {
  const root = await store.createUser({ name: 'root-admin', passwordHash: 'x', role: 'admin' }, clock.toISOString())
  await setAppPassword(store, root!, 'root-app-password-01', clock)
  const admin = await new ReaderApp().login('root-admin', 'root-app-password-01')
  const r = await admin.post('subscription/quickadd', { quickadd: 'https://added.example/feed.xml' })
  assert.equal(r.status, 200)
  const body = await r.json() as any
  assert.equal(body.numResults, 1)
  assert.match(body.streamId, /^feed\/\d+$/)
  const subs = (await ana.json('subscription/list')).subscriptions.map((s: any) => s.url)
  assert.ok(subs.includes('https://added.example/feed.xml'))
})
