import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ArticleInput, StoryPlacement } from '../domain/types.js'
import type { Store } from '../store/store.js'
import { openStore } from '../store/open-store.js'
import { article } from '../store/store.contract.js'
import { ok } from '../domain/result.js'
import { createWebApp, type WebDeps } from './app.js'

const NOW = new Date('2026-11-22T12:00:00.000Z')
const h = (n: number) => new Date(NOW.getTime() - n * 3_600_000).toISOString()
let store: Store
let app: ReturnType<typeof createWebApp>
let ids: Record<'orig' | 'copy' | 'indep' | 'boats' | 'bakery' | 'council1' | 'council2' | 'old1' | 'old2', number>

const FERRY = [
  'The Harbor Ferry Company restarted the east pier crossing on Monday after storm repairs that took six weeks.',
  'Mayor Lena Ortiz rode the first boat across and thanked the crews who rebuilt the pier.',
  'Engineers replaced the pilings under the landing and raised the ramp by half a metre to keep it clear of storm surges.',
  'Commuters who had driven the long way around the bay said the crossing saves them almost an hour each day.',
  'Tickets cost the same as before the storm, the company said.',
  'Timetables return to the summer schedule next month.',
]

const post = (path: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', body: new URLSearchParams(body), headers: { origin: 'http://localhost', ...headers } })
const textOf = (paras: string[]) => ({ text: paras.join('\n'), html: paras.map((p) => `<p>${p}</p>`).join('') })

before(async () => {
  store = await openStore('sqlite::memory:')
  const src = async (url: string, title: string) => (await store.addSource({ kind: 'feed', url, title }, h(200))).source.id
  const herald = await src('https://herald.example/feed.xml', 'Harbor Herald')
  const kita = await src('https://kita.example/feed.xml', 'Kita Daily')
  const bay = await src('https://bay.example/feed.xml', 'Bay Wire')
  const coast = await src('https://coast.example/feed.xml', 'Coast Post')
  let n = 0
  const save = async (sourceId: number, over: Partial<ArticleInput>) => (await store.saveArticle(article(sourceId, ++n, over), NOW.toISOString())).id
  const place = (id: number, p: Partial<StoryPlacement>) =>
    store.placeInStory(id, { storyId: null, duplicateOf: null, similarity: 1, placedBy: 'content', ...p }, NOW.toISOString())

  const orig = await save(herald, { title: 'Ferry line reopens after storm repairs', url: 'https://herald.example/ferry', published: h(5), ...textOf(FERRY), tags: [{ slug: 'transport', label: 'Transport' }] })
  // The copy: a spam brand where the publisher's name was, and the last two sentences cut.
  const copy = await save(kita, {
    title: 'Ferry line reopens after storm repairs', url: 'https://kita.example/ferry', canonicalUrl: 'https://herald.example/ferry', published: h(3),
    ...textOf([`${FERRY[0]} 华体会 reported.`, ...FERRY.slice(1, 4)]),
  })
  const indep = await save(bay, {
    title: 'East pier crossing resumes', published: h(2),
    ...textOf(['Boats of the Harbor Ferry Company sailed from the east pier again on Monday.', 'Lena Ortiz, the mayor, was aboard the first crossing after the storm repairs.']),
  })
  const boats = await save(coast, { title: 'Harbor Ferry Company orders two new boats', published: h(8), ...textOf(['The Harbor Ferry Company ordered two boats for the east pier route.']), tags: [{ slug: 'transport', label: 'Transport' }] })
  const bakery = await save(herald, { title: 'Bakery wins regional prize', published: h(10), ...textOf(['A bakery on Quay Street won a prize for its rye bread.']) })
  const council1 = await save(coast, { title: 'Council weighs library hours', published: h(1), ...textOf(['The council met on Tuesday to weigh longer library hours.']) })
  const council2 = await save(kita, { title: 'Library may open on Sundays', published: h(1.5), ...textOf(['Councillors discussed Sunday opening for the library.']) })
  const old1 = await save(herald, { title: 'Bridge closed for inspection', published: h(120), ...textOf(['The north bridge closed for an inspection.']) })
  const old2 = await save(bay, { title: 'North bridge shut', published: h(119), ...textOf(['Inspectors shut the north bridge.']) })

  await place(orig, {})
  await place(copy, { storyId: orig, duplicateOf: orig, similarity: 0.9, placedBy: 'duplicate' })
  await place(indep, { storyId: orig, similarity: 0.4 })
  await place(boats, {})
  await place(bakery, {})
  await place(council2, {})
  await place(council1, { storyId: council2, similarity: 0.5 })
  await place(old1, {})
  await place(old2, { storyId: old1, similarity: 0.5 })
  ids = { orig, copy, indep, boats, bakery, council1, council2, old1, old2 }

  const deps: WebDeps = {
    store, now: () => NOW, siteTitle: 'Tidings', baseUrl: null, adminPassword: null,
    actions: {
      subscribe: async () => ok({ source: (await store.getSource(herald))!, created: false }),
      importOpml: async () => ok({ added: 0, existing: 0, failed: [] }),
      refresh: async () => null,
    },
    stories: {
      split: (id) => store.splitFromStory(id, NOW.toISOString()),
      merge: (from, into) => store.mergeStories(from, into, NOW.toISOString()),
    },
  }
  app = createWebApp(deps)
})
after(async () => { await store.close() })

const section = (html: string, id: string) => {
  const start = html.indexOf(`id="${id}"`)
  assert.ok(start >= 0, `a section headed #${id}`)
  const end = html.indexOf('</section>', start)
  return html.slice(start, end)
}

test('story page: every source, counts, a timeline, the original marked, the copy collapsed with its changes, why grouped', async () => {
  const res = await app.request(`/stories/${ids.orig}`)
  assert.equal(res.status, 200)
  const html = await res.text()
  assert.match(html, /<h1 class="page-title">Ferry line reopens after storm repairs<\/h1>/)
  assert.match(html, /3 sources/)
  assert.match(html, /3 articles/)
  const timeline = section(html, 'timeline-h')
  for (const s of ['Harbor Herald', 'Kita Daily', 'Bay Wire']) assert.match(timeline, new RegExp(s))
  assert.ok(timeline.indexOf('Harbor Herald') < timeline.indexOf('Kita Daily') && timeline.indexOf('Kita Daily') < timeline.indexOf('Bay Wire'), 'oldest first')
  assert.match(timeline, /5 hours ago/)
  assert.match(timeline, /\(copy of Harbor Herald\)/)

  const coverage = section(html, 'coverage-h')
  const herald = coverage.indexOf('Harbor Herald')
  const badge = coverage.indexOf('>Original</strong>')
  assert.ok(herald >= 0 && badge > herald, 'the original is marked on the Herald card')
  assert.match(coverage, /canonical link of Kita Daily points to Harbor Herald/, 'the reason names the sources')
  const details = /<details class="copies">([\s\S]*?)<\/details>/.exec(coverage)?.[1] ?? ''
  assert.match(details, /<summary>1 copy: republished by Kita Daily<\/summary>/)
  assert.match(details, /Injected text: <mark class="injected">华体会<\/mark>/)
  assert.match(details, /Cut short: the last 2 sentences of the original are missing/)
  assert.ok(!details.includes('Bay Wire'), 'independent coverage is not a copy')
  assert.match(coverage, /East pier crossing resumes/)

  const why = section(html, 'why-h')
  assert.match(why, /Why these are grouped/)
  assert.match(why, /Harbor Ferry Company/)
  assert.match(why, /Lena Ortiz/)
  assert.doesNotMatch(html, /<script(?! src="\/assets\/[a-z]+\.[0-9a-f]+\.js" defer="">)/)
})

test('story page: unknown story is a 404 page; a reader sees no split or merge controls', async () => {
  for (const p of ['/stories/999999', '/stories/0', '/stories/99999999999999']) {
    const res = await app.request(p)
    assert.equal(res.status, 404, p)
    assert.match(await res.text(), /Not found/)
  }
  const reader = await (await app.request(`/stories/${ids.orig}`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).text()
  assert.doesNotMatch(reader, /Split from story|Merge into story/)
  const admin = await (await app.request(`/stories/${ids.orig}`)).text()
  assert.equal(admin.match(/>Split from story</g)?.length, 3, 'one per member, copies included')
  assert.match(admin, /Merge into story #/)
})

test('article page: full coverage link, copy marked, related in order: the story (originals first), related stories, then the source', async () => {
  const copyPage = await (await app.request(`/articles/${ids.copy}`)).text()
  assert.match(copyPage, new RegExp(`href="/stories/${ids.orig}">Full coverage: 3 sources<`))
  assert.match(copyPage, /Same story · the original/, 'a copy sees its original first among the related')
  assert.match(copyPage, /Republished copy of <a href="\/articles\/\d+\/[^"]*">Ferry line reopens after storm repairs<\/a> \(Harbor Herald\)/)

  const html = await (await app.request(`/articles/${ids.orig}`)).text()
  assert.doesNotMatch(html, /Republished copy of/, 'the original is not a copy')
  const related = html.slice(html.indexOf('id="related-h"'))
  const cards = [...related.matchAll(/data-kind="([a-z_]+)"[\s\S]*?<h3><a href="\/articles\/(\d+)/g)].map((m) => [m[1], Number(m[2])])
  assert.deepEqual(cards.slice(0, 3), [['same_story', ids.indep], ['same_story', ids.copy], ['related', ids.boats]])
  assert.ok(cards.some(([k, id]) => k === 'same_source' && id === ids.bakery), JSON.stringify(cards))
  const kinds = cards.map(([k]) => k)
  assert.deepEqual(kinds, [...kinds].sort((a, b) => ['same_story', 'related', 'same_source'].indexOf(a as string) - ['same_story', 'related', 'same_source'].indexOf(b as string)), 'story, then related, then source')
  assert.match(related, /Same story · republished copy/)
  assert.match(related, /More from Harbor Herald/)

  const alone = await (await app.request(`/articles/${ids.bakery}`)).text()
  assert.doesNotMatch(alone, /Full coverage/, 'a story of one article has no coverage link')
})

test('home: top stories above latest, ranked by sources and recency, each linking to its story', async () => {
  const html = await (await app.request('/')).text()
  const top = section(html, 'top')
  assert.ok(html.indexOf('id="top"') < html.indexOf('id="latest"'))
  const ferry = top.indexOf(`href="/stories/${ids.orig}">Ferry line reopens after storm repairs<`)
  const council = top.indexOf(`href="/stories/${ids.council2}">Library may open on Sundays<`)
  assert.ok(ferry >= 0 && council > ferry, 'three sources five hours ago above two sources an hour ago')
  assert.match(top, /3 sources/)
  assert.doesNotMatch(top, /Bridge closed|Bakery/, 'old stories and single articles are not top stories')
  const page2 = /href="(\/\?after=[^"]+)"/.exec(html)?.[1]
  if (page2) assert.doesNotMatch(await (await app.request(page2.replace(/&amp;/g, '&'))).text(), /Top stories/)
})

test('split and merge: an admin moves an article out and back, the decision is shown; without admin or from another site, refused', async () => {
  const refusedProxy = await post(`/admin/stories/${ids.orig}/split`, { article: String(ids.indep) }, { 'x-forwarded-for': '203.0.113.9' })
  assert.equal(refusedProxy.status, 403)
  const refusedCsrf = await post(`/admin/stories/${ids.orig}/split`, { article: String(ids.indep) }, { origin: 'https://evil.example' })
  assert.equal(refusedCsrf.status, 403)
  const refusedMerge = await post(`/admin/stories/${ids.boats}/merge`, { into: String(ids.orig) }, { origin: 'https://evil.example' })
  assert.equal(refusedMerge.status, 403)
  assert.equal((await store.getStory(ids.orig))?.articleCount, 3, 'nothing changed')

  const notMember = await post(`/admin/stories/${ids.orig}/split`, { article: String(ids.boats) })
  assert.equal(notMember.status, 400)

  const split = await post(`/admin/stories/${ids.orig}/split`, { article: String(ids.indep) })
  assert.equal(split.status, 303)
  assert.deepEqual((await store.getStory(ids.orig))?.members.map((m) => m.id).sort(), [ids.orig, ids.copy].sort())
  assert.equal((await store.getArticle(ids.indep))?.storyId, ids.indep)
  const after = await (await app.request(split.headers.get('location')!)).text()
  assert.match(after, /Split “East pier crossing resumes” \(Bay Wire\) into a story of its own/)
  assert.match(section(after, 'decisions-h'), new RegExp(`Article <a href="/articles/${ids.indep}">#${ids.indep}</a> split from this story into <a href="/stories/${ids.indep}">story #${ids.indep}</a>`))

  const merged = await post(`/admin/stories/${ids.indep}/merge`, { into: String(ids.orig) })
  assert.equal(merged.status, 303)
  assert.equal(merged.headers.get('location')?.startsWith(`/stories/${ids.orig}?`), true)
  assert.equal((await store.getStory(ids.orig))?.articleCount, 3)
  const decisions = section(await (await app.request(`/stories/${ids.orig}`)).text(), 'decisions-h')
  assert.match(decisions, new RegExp(`Story <a href="/stories/${ids.indep}">story #${ids.indep}</a> merged into this story`))

  const nowhere = await post(`/admin/stories/${ids.orig}/merge`, { into: '999999' })
  assert.match(await (await app.request(nowhere.headers.get('location')!)).text(), /There is no story #999999 to merge into\./)
  assert.equal((await store.getStory(ids.orig))?.articleCount, 3)
})
