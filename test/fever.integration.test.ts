/**
 * The Fever API as apps (Reeder, Fiery Feeds, Unread) speak it, replayed against the web app without
 * a socket: auth by md5("name:password") of the app password, groups and feeds, items paging,
 * unread and saved ids, marks; each reader's state kept apart.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { Store } from '../src/store/store.js'
import { loadConfig } from '../src/config/config.js'
import type { createWebApp } from '../src/web/app.js'
import { readerSite } from './support/reader-site.js'
import { setAppPassword } from '../src/api/greader/reader-core.js'

const clock = new Date('2026-12-05T12:00:00.000Z')
let store: Store
let app: ReturnType<typeof createWebApp>
let en = 0
let ja = 0
/** 120 articles, oldest first: even ones in English, odd ones in Japanese, fetched a minute apart. */
const ids: number[] = []
const md5 = (s: string) => createHash('md5').update(s).digest('hex')
const ANA = md5('Ana:ana-app-password-01')
const BEN = md5('ben:ben-app-password-01')

async function fever(key: string, query: string, extra: Record<string, string> = {}, ip = '203.0.113.20'): Promise<any> {
  const r = await app.request(`/api/fever?api${query ? `&${query}` : ''}`, {
    method: 'POST', body: new URLSearchParams({ api_key: key, ...extra }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
  })
  assert.equal(r.status, 200, await r.clone().text())
  return r.json()
}
const idsOf = (s: string) => (s === '' ? [] : s.split(',').map(Number))

before(async () => {
  const site = await readerSite({
    clock, articles: 120, sourceOf: (n, s) => (n % 2 ? s.ja : s.en), fields: (n) => ({ html: `<p>Body ${n}</p>` }), jaLanguage: 'ja-JP',
    seed: async (store, t0) => {
      for (const [name, password] of [['Ana', 'ana-app-password-01'], ['ben', 'ben-app-password-01']] as const) {
        const u = await store.createUser({ name, passwordHash: 'x', role: 'reader' }, t0)
        await setAppPassword(store, u!, password, clock)
      }
    },
    web: { community: loadConfig({ LIMIT_LOGIN_PER_IP: '8', TRUST_PROXY: '1' }).community },
  })
  ;({ store, app, en, ja } = site)
  ids.push(...site.ids)
  await store.updateSource(en, { lastSuccessAt: new Date(clock.getTime() - 60_000).toISOString() })
})
after(async () => { await store.close() })

test('auth: the md5 of name:app password is the key; a wrong key answers auth 0; a banned reader is refused', async () => {
  const ok = await fever(ANA, '')
  assert.deepEqual(ok, { api_version: 3, auth: 1, last_refreshed_on_time: Math.floor((clock.getTime() - 60_000) / 1000) })
  assert.deepEqual(await fever(md5('Ana:wrong'), ''), { api_version: 3, auth: 0 })
  assert.deepEqual(await fever(md5('Ana:site password'), 'groups'), { api_version: 3, auth: 0 }, 'nothing else without auth')
  assert.deepEqual(await fever('', ''), { api_version: 3, auth: 0 })
  const cy = await store.createUser({ name: 'cy', passwordHash: 'x', role: 'reader' }, clock.toISOString())
  await setAppPassword(store, cy!, 'cy-app-password-01', clock)
  assert.equal((await fever(md5('cy:cy-app-password-01'), '')).auth, 1)
  await store.updateUser(cy!.id, { bannedAt: clock.toISOString() }, clock.toISOString())
  assert.equal((await fever(md5('cy:cy-app-password-01'), '')).auth, 0)
  // No Origin, no cookie, a form POST from an app: never refused as cross-site.
  const xml = await app.request('/api/fever/?api&xml', { method: 'POST', body: new URLSearchParams({ api_key: ANA }), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://elsewhere.example' } })
  assert.equal(xml.status, 200)
  assert.match(await xml.text(), /<response><api_version>3<\/api_version><auth>1<\/auth>/)
})

test('failed keys from one address are limited', async () => {
  for (let i = 0; i < 8; i++) assert.equal((await fever(md5(`guess:${i}`), '', {}, '198.51.100.7')).auth, 0)
  const r = await app.request('/api/fever?api', { method: 'POST', body: new URLSearchParams({ api_key: ANA }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.7' } })
  assert.equal(r.status, 429)
  assert.equal((await fever(ANA, '', {}, '198.51.100.8')).auth, 1, 'other addresses are not')
})

test('groups and feeds: one group per language, the same folders as Google Reader', async () => {
  const g = await fever(ANA, 'groups')
  assert.deepEqual(g.groups, [{ id: parseInt('en', 36), title: 'English' }, { id: parseInt('ja', 36), title: 'Japanese' }])
  assert.deepEqual(g.feeds_groups, [{ group_id: parseInt('en', 36), feed_ids: String(en) }, { group_id: parseInt('ja', 36), feed_ids: String(ja) }])
  const f = await fever(ANA, 'feeds')
  assert.deepEqual(f.feeds[0], { id: en, favicon_id: 0, title: 'Harbor Herald', url: 'https://herald.example/feed.xml', site_url: 'https://herald.example/', is_spark: 0, last_updated_on_time: Math.floor((clock.getTime() - 60_000) / 1000) })
  assert.equal(f.feeds.length, 2)
  assert.ok(f.feeds_groups)
  assert.deepEqual((await fever(ANA, 'favicons')).favicons, [])
  assert.deepEqual((await fever(ANA, 'links')).links, [])
})

test('items: 50 a call; since_id walks up, max_id walks down, with_ids picks; nothing repeats or goes missing', async () => {
  const up: number[] = []
  let since = 0
  for (;;) {
    const r = await fever(ANA, `items&since_id=${since}`)
    assert.ok(r.items.length <= 50)
    assert.equal(r.total_items, 120)
    if (r.items.length === 0) break
    up.push(...r.items.map((x: any) => x.id))
    since = Math.max(...r.items.map((x: any) => x.id))
  }
  assert.deepEqual(up, ids)
  const down: number[] = []
  let max = ids[ids.length - 1]! + 1
  for (;;) {
    const r = await fever(ANA, `items&max_id=${max}`)
    if (r.items.length === 0) break
    down.push(...r.items.map((x: any) => x.id))
    max = Math.min(...r.items.map((x: any) => x.id))
  }
  assert.deepEqual(down, [...ids].reverse())
  const picked = await fever(ANA, `items&with_ids=${ids[4]},${ids[2]},999999`)
  assert.deepEqual(picked.items.map((x: any) => x.id), [ids[2], ids[4]])
  const it = picked.items[0]
  assert.deepEqual(it, {
    id: ids[2], feed_id: ja, title: 'Story 3', author: '', html: '<p>Body 3</p>', url: 'https://news.example/a/3',
    is_saved: 0, is_read: 0, created_on_time: Math.floor((clock.getTime() - 127 * 60_000) / 1000),
  })
})

test('unread and saved ids; marking items read, unread, saved and unsaved; ben\'s state is his own', async () => {
  assert.deepEqual(idsOf((await fever(ANA, 'unread_item_ids')).unread_item_ids), ids)
  assert.equal((await fever(ANA, 'saved_item_ids')).saved_item_ids, '')
  const r = await fever(ANA, 'mark=item&as=read&id=' + ids[0])
  assert.deepEqual(idsOf(r.unread_item_ids), ids.slice(1), 'the mark answers with the unread ids')
  await fever(ANA, '', { mark: 'item', as: 'read', id: String(ids[1]) })
  await fever(ANA, `mark=item&as=unread&id=${ids[0]}`)
  assert.deepEqual(idsOf((await fever(ANA, 'unread_item_ids')).unread_item_ids), [ids[0], ...ids.slice(2)])
  const s = await fever(ANA, `mark=item&as=saved&id=${ids[9]}`)
  assert.equal(s.saved_item_ids, String(ids[9]))
  await fever(ANA, `mark=item&as=saved&id=${ids[3]}`)
  await fever(ANA, `mark=item&as=unsaved&id=${ids[9]}`)
  assert.equal((await fever(ANA, 'saved_item_ids')).saved_item_ids, String(ids[3]))
  const item = (await fever(ANA, `items&with_ids=${ids[1]},${ids[3]}`)).items
  assert.deepEqual(item.map((x: any) => [x.is_read, x.is_saved]), [[1, 0], [0, 1]])

  assert.deepEqual(idsOf((await fever(BEN, 'unread_item_ids')).unread_item_ids), ids, 'ben: untouched')
  assert.equal((await fever(BEN, 'saved_item_ids')).saved_item_ids, '')
})

test('mark a feed or a group read before a time: what came later stays unread', async () => {
  // Japanese (odd) articles fetched by the 60th one's time.
  const before = Math.floor((clock.getTime() - 70 * 60_000) / 1000)
  await fever(ANA, `mark=feed&as=read&id=${ja}&before=${before}`)
  const unread = idsOf((await fever(ANA, 'unread_item_ids')).unread_item_ids)
  const want = ids.filter((id, i) => { const n = i + 1; return n !== 2 && !(n % 2 === 1 && n <= 60) })
  assert.deepEqual(unread, want)
  await fever(ANA, `mark=group&as=read&id=${parseInt('en', 36)}&before=${before}`)
  assert.deepEqual(idsOf((await fever(ANA, 'unread_item_ids')).unread_item_ids), ids.slice(60))
  await fever(ANA, `mark=group&as=read&id=0&before=${Math.floor(clock.getTime() / 1000)}`)
  assert.deepEqual((await fever(ANA, 'unread_item_ids')).unread_item_ids, '', 'group 0: everything')
  assert.equal((await fever(ANA, 'saved_item_ids')).saved_item_ids, String(ids[3]), 'stars stay')
  assert.equal(idsOf((await fever(BEN, 'unread_item_ids')).unread_item_ids).length, 120)
})
