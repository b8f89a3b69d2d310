import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ArticleInput, StoryPlacement } from '../domain/types.js'
import type { Store, StoredPage } from './store.js'

const T0 = '2026-11-20T10:00:00.000Z'
const T1 = '2026-11-21T10:00:00.000Z'

export function article(sourceId: number, n: number, over: Partial<ArticleInput> = {}): ArticleInput {
  return {
    sourceId,
    guid: `guid-${n}`,
    url: `https://news.example/a/${n}`,
    canonicalUrl: null,
    title: `Article ${n}`,
    author: null,
    published: new Date(Date.parse(T0) + n * 60_000).toISOString(),
    updated: null,
    lang: 'en',
    summary: null,
    blocks: [{ type: 'p', text: `Body of article ${n}.` }],
    text: `Body of article ${n}.`,
    html: `<p>Body of article ${n}.</p>`,
    leadImage: null,
    captions: [],
    altLinks: [],
    tags: [],
    itemHash: `h${n}`,
    extractError: null,
    cleanup: null,
    ...over,
  }
}

/** One behaviour for every database: run against SQLite always and Postgres when configured. */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store
    before(async () => { store = await open() })
    after(async () => { await store?.close() })

    test('a source is added once per URL and keeps its fetch state', async () => {
      const a = await store.addSource({ kind: 'feed', url: 'https://one.example/feed.xml', title: 'One' }, T0)
      assert.equal(a.created, true)
      assert.equal(a.source.title, 'One')
      assert.equal(a.source.nextCheckAt, T0)
      const again = await store.addSource({ kind: 'feed', url: 'https://one.example/feed.xml', title: 'Other' }, T1)
      assert.equal(again.created, false)
      assert.equal(again.source.id, a.source.id)
      await store.updateSource(a.source.id, {
        etag: '"v1"', lastModified: 'Fri, 20 Nov 2026 10:00:00 GMT', errorCount: 2,
        lastErrorCode: 'http_server_error', lastErrorMessage: 'HTTP 500', nextCheckAt: T1, lastFetchedAt: T0,
      })
      const s = await store.getSource(a.source.id)
      assert.equal(s?.etag, '"v1"')
      assert.equal(s?.errorCount, 2)
      assert.equal(s?.lastErrorCode, 'http_server_error')
      assert.equal(s?.nextCheckAt, T1)
      assert.equal(s?.lastFetchedAt, T0)
      assert.equal((await store.findSourceByUrl('https://one.example/feed.xml'))?.id, a.source.id)
    })

    test('sources without a feed keep their kind, their link rule and the links it last picked', async () => {
      const map = await store.addSource({ kind: 'sitemap', url: 'https://map.example/news-sitemap.xml' }, T0)
      assert.equal((await store.getSource(map.source.id))?.kind, 'sitemap')
      assert.equal(map.source.rule, null)
      const rule = { include: ['/news/', 're:/\\d{4}/'], exclude: ['/news/live/'], selector: 'main a.headline', maxLinks: 12 }
      const site = await store.addSource({ kind: 'site', url: 'https://site.example/news/', rule }, T0)
      assert.equal(site.source.kind, 'site')
      assert.deepEqual(site.source.rule, rule)
      assert.equal(site.source.pickedLinks, null)
      const picked = [{ url: 'https://site.example/news/harbor-ferry-returns', title: 'Ferry returns — “at last”' }, { url: 'https://site.example/news/x', title: null }]
      await store.updateSource(site.source.id, { pickedLinks: picked, errorCount: 0 })
      let s = await store.getSource(site.source.id)
      assert.deepEqual(s?.pickedLinks, picked)
      assert.deepEqual(s?.rule, rule, 'a patch without the rule leaves it alone')
      await store.updateSource(site.source.id, { rule: null })
      s = await store.getSource(site.source.id)
      assert.equal(s?.rule, null, 'back to the default rule')
      assert.deepEqual(s?.pickedLinks, picked)
      const listed = (await store.listSources()).find((x) => x.id === site.source.id)
      assert.equal(listed?.kind, 'site')
      assert.deepEqual(listed?.pickedLinks, picked)
    })

    test('a source moves to a new URL unless another source has it', async () => {
      const a = (await store.addSource({ kind: 'feed', url: 'https://moving.example/old.xml' }, T0)).source
      const b = (await store.addSource({ kind: 'feed', url: 'https://moving.example/taken.xml' }, T0)).source
      assert.equal(await store.moveSource(a.id, 'https://moving.example/new.xml'), true)
      assert.equal((await store.getSource(a.id))?.url, 'https://moving.example/new.xml')
      assert.equal((await store.findSourceByUrl('https://moving.example/old.xml')), null)
      assert.equal(await store.moveSource(a.id, b.url), false, 'the URL belongs to another source')
      assert.equal((await store.getSource(a.id))?.url, 'https://moving.example/new.xml')
    })

    test('due sources are those whose next check has come', async () => {
      const b = await store.addSource({ kind: 'feed', url: 'https://due.example/rss' }, T0)
      assert.equal(b.source.title, 'due.example', 'title defaults to the host')
      const due = await store.dueSources('2026-11-20T12:00:00.000Z', 10)
      assert.ok(due.some((s) => s.id === b.source.id))
      assert.ok(!due.some((s) => s.url === 'https://one.example/feed.xml'), 'source checked at T1 is not due yet')
    })

    test('a paused source keeps its failure record and is never due until resumed', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://paused.example/rss' }, T0)
      assert.equal(source.pausedAt, null)
      assert.equal(source.failingSince, null)
      assert.equal(source.pollHints, null)
      const hints = { ttlMinutes: 90, skipHours: [0, 1, 23], skipDays: ['Sunday'] }
      await store.updateSource(source.id, {
        errorCount: 10, failingSince: T0, pausedAt: T1, pauseReason: 'failed 10 times over 3 days', pollHints: hints,
        lastErrorCode: 'http_gone', lastErrorMessage: 'HTTP 410 Gone',
      })
      const s = await store.getSource(source.id)
      assert.equal(s?.failingSince, T0)
      assert.equal(s?.pausedAt, T1)
      assert.equal(s?.pauseReason, 'failed 10 times over 3 days')
      assert.deepEqual(s?.pollHints, hints)
      const later = '2026-12-31T00:00:00.000Z'
      assert.ok(!(await store.dueSources(later, 100)).some((x) => x.id === source.id), 'paused: not due')
      assert.equal((await store.listSources()).find((x) => x.id === source.id)?.pausedAt, T1, 'listed with its pause')
      await store.updateSource(source.id, { pausedAt: null, pauseReason: null, failingSince: null, pollHints: null, nextCheckAt: T1 })
      const resumed = await store.getSource(source.id)
      assert.equal(resumed?.pausedAt, null)
      assert.equal(resumed?.pollHints, null)
      assert.ok((await store.dueSources(later, 100)).some((x) => x.id === source.id), 'resumed: due again')
    })

    test('recent article times come newest first, publication time or fetch time when earlier', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://cadence.example/rss' }, T0)
      const { source: other } = await store.addSource({ kind: 'feed', url: 'https://cadence-other.example/rss' }, T0)
      assert.deepEqual(await store.recentArticleTimes(source.id, 5), [])
      const fetched = '2026-11-21T12:00:00.000Z'
      for (const [n, published] of [[1, '2026-11-21T08:00:00.000Z'], [2, '2026-11-21T10:00:00.000Z'], [3, '2026-11-21T09:00:00.000Z'], [4, null], [5, '2027-01-01T00:00:00.000Z']] as const) {
        await store.saveArticle(article(source.id, n, { published }), fetched)
      }
      await store.saveArticle(article(other.id, 9, { published: '2026-11-21T11:00:00.000Z' }), fetched)
      // No date and a future date both count as the fetch time.
      assert.deepEqual(await store.recentArticleTimes(source.id, 10), [fetched, fetched, '2026-11-21T10:00:00.000Z', '2026-11-21T09:00:00.000Z', '2026-11-21T08:00:00.000Z'])
      assert.deepEqual(await store.recentArticleTimes(source.id, 3), [fetched, fetched, '2026-11-21T10:00:00.000Z'])
    })

    test('an article is stored with every field, then found by GUID or URL', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://art.example/feed' , title: 'Art'}, T0)
      const input = article(source.id, 1, {
        author: { name: 'Mina Okafor', bio: 'Covers transport.' },
        captions: [{ text: 'The new ferry', credit: 'Photo: J. Doe', imageUrl: 'https://art.example/f.jpg' }],
        altLinks: [{ lang: 'ja', url: 'https://art.example/ja/1' }],
        tags: [{ slug: 'transport', label: 'Transport' }, { slug: 'harbor', label: 'Harbor' }],
        leadImage: 'https://art.example/f.jpg',
        cleanup: { removed: [{ text: 'Share on X', reason: 'navigation' }], injected: [{ text: '华体会', reason: 'script foreign to the article' }], repaired: 1, spacesRestored: 2 },
        blocks: [{ type: 'h2', text: 'Heading' }, { type: 'p', text: 'Para.' }],
        text: 'Heading\nPara.',
      })
      const saved = await store.saveArticle(input, T1)
      assert.equal(saved.status, 'created')
      const got = await store.getArticle(saved.id)
      assert.ok(got)
      assert.equal(got.title, 'Article 1')
      assert.equal(got.sourceTitle, 'Art')
      assert.equal(got.author?.name, 'Mina Okafor')
      assert.equal(got.author?.bio, 'Covers transport.')
      assert.deepEqual(got.captions, input.captions)
      assert.deepEqual(got.altLinks, input.altLinks)
      assert.deepEqual(got.cleanup, input.cleanup)
      assert.deepEqual(got.blocks, input.blocks)
      assert.deepEqual(got.tags.map((t) => t.slug), ['harbor', 'transport'])
      assert.equal(got.published, input.published)
      assert.equal(got.fetchedAt, T1)
      assert.equal(got.revisedAt, null)
      assert.deepEqual(await store.findArticleRef({ sourceId: source.id, guid: 'guid-1', url: 'x' }), { id: saved.id, guid: 'guid-1', itemHash: 'h1', matchedBy: 'guid', deleted: false })
      assert.deepEqual(await store.findArticleRef({ sourceId: source.id, guid: 'other', url: input.url }), { id: saved.id, guid: 'guid-1', itemHash: 'h1', matchedBy: 'url', deleted: false })
      assert.equal(await store.findArticleRef({ sourceId: source.id + 999, guid: 'guid-1', url: input.url }), null)
    })

    test('an edited article is updated in place and the earlier version kept', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://rev.example/feed' }, T0)
      const first = await store.saveArticle(article(source.id, 7), T0)
      const same = await store.saveArticle(article(source.id, 7), T1)
      assert.deepEqual(same, { id: first.id, status: 'unchanged' })
      const edited = await store.saveArticle(article(source.id, 7, { title: 'Article 7 (corrected)', text: 'New body.', itemHash: 'h7b' }), T1)
      assert.deepEqual(edited, { id: first.id, status: 'updated' })
      const got = await store.getArticle(first.id)
      assert.equal(got?.title, 'Article 7 (corrected)')
      assert.equal(got?.revisedAt, T1)
      assert.equal(got?.fetchedAt, T0, 'first-seen time is kept')
      const revs = await store.listRevisions(first.id)
      assert.equal(revs.length, 1)
      assert.equal(revs[0]?.title, 'Article 7')
      assert.equal(revs[0]?.text, 'Body of article 7.')
      assert.equal(revs[0]?.replacedAt, T1)
    })

    test('identity: one article per GUID, URL variant or canonical URL within a source, never across items', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://ident.example/feed' }, T0)
      const { source: other } = await store.addSource({ kind: 'feed', url: 'https://ident-other.example/feed' }, T0)
      const a = await store.saveArticle(article(source.id, 1, { url: 'https://www.ident.example/news/ferry/', canonicalUrl: 'https://ident.example/news/ferry-returns' }), T0)
      const ref = (q: { guid: string; url: string; canonicalUrl?: string | null }, sourceId = source.id) => store.findArticleRef({ sourceId, ...q })
      assert.deepEqual(await ref({ guid: 'guid-1', url: 'x' }), { id: a.id, guid: 'guid-1', itemHash: 'h1', matchedBy: 'guid', deleted: false })
      for (const url of ['http://ident.example/news/ferry', 'https://ident.example/news/ferry?utm_source=rss', 'https://www.ident.example/news/ferry#top']) {
        assert.equal((await ref({ guid: 'new-guid', url }))?.id, a.id, `${url} is the same article`)
        assert.equal((await ref({ guid: 'new-guid', url }))?.matchedBy, 'url')
      }
      assert.equal((await ref({ guid: 'new-guid', url: 'https://ident.example/news/ferry-returns' }))?.id, a.id, 'its canonical URL names it too')
      const byCanonical = await ref({ guid: 'new-guid', url: 'https://ident.example/amp/77', canonicalUrl: 'https://ident.example/news/ferry-returns/' })
      assert.equal(byCanonical?.id, a.id)
      assert.equal(byCanonical?.matchedBy, 'canonical')
      assert.equal(await ref({ guid: 'new-guid', url: 'https://ident.example/news/ferry-2' }), null, 'another path is another article')
      assert.equal(await ref({ guid: 'new-guid', url: 'https://ident.example/' }), null, 'a front page names no article')
      assert.equal(await ref({ guid: 'guid-1', url: 'https://ident.example/news/ferry' }, other.id), null, 'another source')

      // Saving without a decision matches the same way: a GUID change keeps the article and takes the new GUID.
      const moved = await store.saveArticle(article(source.id, 1, { guid: 'guid-1b', url: 'https://ident.example/news/ferry?utm_medium=x' }), T1)
      assert.equal(moved.id, a.id)
      assert.equal((await store.getArticle(a.id))?.guid, 'guid-1b')
      // The caller's decision wins: `into: null` stores a second item sharing the link as its own article.
      const twin = await store.saveArticle(article(source.id, 2, { url: 'https://ident.example/news/ferry' }), T1, { into: null })
      assert.equal(twin.status, 'created')
      assert.notEqual(twin.id, a.id)
      const again = await store.saveArticle(article(source.id, 2, { url: 'https://ident.example/news/ferry', title: 'Twin, edited', itemHash: 'h2b' }), T1, { into: null })
      assert.deepEqual(again, { id: twin.id, status: 'updated' }, 'the same GUID is the same article, whatever the caller says')
    })

    test('only a meaningful edit becomes a revision; the newest 50 are kept', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://meaning.example/feed' }, T0)
      const first = await store.saveArticle(article(source.id, 1, { text: 'One para.\nTwo para.' }), T0)
      const spaced = await store.saveArticle(article(source.id, 1, { text: 'One  para.\n\nTwo para.\u200B ', title: ' Article 1 ', itemHash: 'x' }), T1)
      assert.equal(spaced.status, 'updated', 'the new text is stored')
      assert.equal((await store.getArticle(first.id))?.revisedAt, null, 'but whitespace is no revision')
      assert.equal((await store.listRevisions(first.id)).length, 0)
      for (let i = 0; i < 53; i++) {
        await store.saveArticle(article(source.id, 1, { text: `Version ${i}.` }), new Date(Date.parse(T1) + (i + 1) * 60_000).toISOString())
      }
      const revs = await store.listRevisions(first.id)
      assert.equal(revs.length, 50)
      assert.equal(revs[0]?.text, 'Version 51.', 'newest first')
      assert.equal(revs[49]?.text, 'Version 2.', 'the oldest went')
    })

    test('a deleted article leaves lists, search, related and revisions, and is never stored again', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://del.example/feed' }, T0)
      const t = [{ slug: 'quokka', label: 'Quokka' }]
      const doomed = await store.saveArticle(article(source.id, 1, { title: 'Quokka census', text: 'Quokkas counted.', url: 'https://del.example/q/1', canonicalUrl: 'https://del.example/quokka-census', tags: t }), T0)
      const kept = await store.saveArticle(article(source.id, 2, { title: 'Quokka diet', text: 'Leaves.', tags: t }), T0)
      // Edited, and this time without a canonical URL (say the page failed): the article is still known by it.
      await store.saveArticle(article(source.id, 1, { title: 'Quokka census, revised', text: 'Quokkas counted again.', url: 'https://del.example/q/1', itemHash: 'r' }), T1)
      assert.equal((await store.listRevisions(doomed.id)).length, 1)

      assert.equal(await store.deleteArticle(doomed.id, T1), true)
      assert.equal(await store.deleteArticle(doomed.id, T1), false, 'already gone')
      assert.equal(await store.getArticle(doomed.id), null)
      assert.deepEqual((await store.listArticles({ limit: 10, sourceId: source.id })).items.map((a) => a.id), [kept.id])
      assert.deepEqual((await store.listArticles({ limit: 10, tag: 'quokka' })).items.map((a) => a.id), [kept.id])
      assert.deepEqual((await store.searchArticles({ query: 'census', limit: 5 })).items, [])
      assert.deepEqual(await store.articlesSharingTags(kept.id, 5), [])
      assert.deepEqual(await store.listRevisions(doomed.id), [])

      const gone = { id: doomed.id, deleted: true }
      const pick = (r: { id: number; deleted: boolean } | null) => r && { id: r.id, deleted: r.deleted }
      assert.deepEqual(pick(await store.findArticleRef({ sourceId: source.id, guid: 'guid-1', url: 'x' })), gone, 'by GUID')
      assert.deepEqual(pick(await store.findArticleRef({ sourceId: source.id, guid: 'g-new', url: 'https://del.example/q/1/?utm_source=a' })), gone, 'by URL')
      assert.deepEqual(pick(await store.findArticleRef({ sourceId: source.id, guid: 'g-new', url: 'https://del.example/q/9', canonicalUrl: 'https://del.example/quokka-census' })), gone, 'by canonical URL')
      assert.deepEqual(await store.saveArticle(article(source.id, 1, { itemHash: 'back' }), T1), { id: doomed.id, status: 'deleted' })
      assert.deepEqual(await store.saveArticle(article(source.id, 1, { itemHash: 'back' }), T1, { into: doomed.id }), { id: doomed.id, status: 'deleted' }, 'deleted while its page was fetched')
      assert.deepEqual(await store.saveArticle(article(source.id, 1, { itemHash: 'back' }), T1, { into: null }), { id: doomed.id, status: 'deleted' })
      assert.deepEqual((await store.listArticles({ limit: 10, sourceId: source.id })).items.map((a) => a.id), [kept.id], 'still gone')

      // Removing the source clears its tombstones: subscribing again starts afresh.
      assert.equal(await store.deleteSource(source.id), true)
      const { source: again } = await store.addSource({ kind: 'feed', url: 'https://del.example/feed' }, T1)
      assert.equal(await store.findArticleRef({ sourceId: again.id, guid: 'guid-1', url: 'https://del.example/q/1' }), null)
      assert.equal((await store.saveArticle(article(again.id, 1), T1)).status, 'created')
    })

    test('an author bio given once is not erased by a later article without one', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://bio.example/feed' }, T0)
      await store.saveArticle(article(source.id, 1, { author: { name: 'Ivo Lind', bio: 'Science editor.' } }), T0)
      const b = await store.saveArticle(article(source.id, 2, { author: { name: 'Ivo Lind', bio: null } }), T0)
      assert.equal((await store.getArticle(b.id))?.author?.bio, 'Science editor.')
    })

    test('latest articles page by cursor, newest first, without gaps or repeats', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://page.example/feed' }, T0)
      for (let i = 100; i < 125; i++) await store.saveArticle(article(source.id, i, { tags: i % 2 ? [{ slug: 'odd', label: 'Odd' }] : [] }), T1)
      const seen: number[] = []
      let cursor: string | null = null
      do {
        const page = await store.listArticles({ limit: 10, cursor, sourceId: source.id })
        seen.push(...page.items.map((a) => Number(a.url.split('/').pop())))
        cursor = page.next
      } while (cursor)
      assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => 124 - i))
      const odd = await store.listArticles({ limit: 50, tag: 'odd' })
      assert.equal(odd.items.length, 12)
      assert.ok(odd.items.every((a) => a.tags.some((t) => t.slug === 'odd')))
      const bad = await store.listArticles({ limit: 5, cursor: 'not-a-cursor', sourceId: source.id })
      assert.equal(bad.items.length, 5, 'a garbled cursor starts from the top')
    })

    test('a future publication date does not pin an article to the top', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://future.example/feed' }, T0)
      await store.saveArticle(article(source.id, 1, { published: '2030-01-01T00:00:00.000Z' }), T1)
      await store.saveArticle(article(source.id, 2, { published: '2026-11-21T09:00:00.000Z' }), T1)
      const page = await store.listArticles({ limit: 2, sourceId: source.id })
      assert.deepEqual(page.items.map((a) => a.title), ['Article 1', 'Article 2'])
      assert.equal(page.items[0]?.published, '2030-01-01T00:00:00.000Z', 'the publisher’s date is still shown')
    })

    test('full-text search: words, phrases, exclusions, prefixes; title matches rank first', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://search.example/feed' }, T0)
      await store.saveArticle(article(source.id, 1, { title: 'Ferry service resumes', text: 'The harbor ferry runs again after the strike.' }), T1)
      await store.saveArticle(article(source.id, 2, { title: 'Council budget', text: 'The city council debated the ferry subsidy.' }), T1)
      await store.saveArticle(article(source.id, 3, { title: 'Café opens', text: 'A new café near the station.' }), T1)
      const titles = async (query: string) => (await store.searchArticles({ query, limit: 10, sourceId: source.id })).items.map((a) => a.title)
      assert.deepEqual(await titles('ferry'), ['Ferry service resumes', 'Council budget'])
      assert.deepEqual(await titles('"city council"'), ['Council budget'])
      assert.deepEqual(await titles('council city'), ['Council budget'])
      assert.deepEqual(await titles('"council city"'), [])
      assert.deepEqual(await titles('ferry -strike'), ['Council budget'])
      assert.deepEqual(await titles('subsid*'), ['Council budget'])
      assert.deepEqual(await titles('café'), ['Café opens'])
      assert.deepEqual(await titles('-ferry'), [])
      assert.deepEqual(await titles('AND OR NOT "'), [])
      const page1 = await store.searchArticles({ query: 'the', limit: 2, sourceId: source.id })
      assert.equal(page1.items.length, 2)
      const page2 = await store.searchArticles({ query: 'the', limit: 2, sourceId: source.id, cursor: page1.next })
      assert.equal(page2.items.length, 1)
    })

    test('search filters by source, language and time (any offset), and pages through every match once', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://filters.example/feed' }, T0)
      const { source: other } = await store.addSource({ kind: 'feed', url: 'https://filters-other.example/feed' }, T0)
      await store.saveArticle(article(source.id, 1, { title: 'Tide tables', text: 'Tide tables for the harbour.', lang: 'en', published: '2026-11-01T08:00:00.000Z' }), T1)
      await store.saveArticle(article(source.id, 2, { title: 'Tide and wind', text: 'Tide reports.', lang: 'fr', published: '2026-11-10T08:00:00.000Z' }), T1)
      await store.saveArticle(article(other.id, 3, { title: 'Tide clock', text: 'A tide clock.', lang: 'en', published: '2026-11-20T08:00:00.000Z' }), T1)
      const titles = async (q: Omit<Parameters<Store['searchArticles']>[0], 'limit' | 'query'>) =>
        (await store.searchArticles({ query: 'tide', limit: 10, ...q })).items.map((a) => a.title).sort()
      assert.deepEqual(await titles({ lang: 'en' }), ['Tide clock', 'Tide tables'])
      assert.deepEqual(await titles({ since: '2026-11-05T00:00:00.000Z' }), ['Tide and wind', 'Tide clock'])
      assert.deepEqual(await titles({ until: '2026-11-10T08:00:00.000Z' }), ['Tide tables'], 'until is exclusive')
      assert.deepEqual(await titles({ since: '2026-11-05T00:00:00+09:00', until: '2026-11-15T00:00:00.000Z', lang: 'fr' }), ['Tide and wind'], 'any offset means the same instant')
      assert.deepEqual(await titles({ sourceId: source.id, lang: 'en' }), ['Tide tables'])
      // A filtered source's matches are found when other sources' matches are newer.
      for (let n = 10; n < 40; n++) await store.saveArticle(article(other.id, n, { title: `Tide ${n}`, text: 'Tide again.' }), T1)
      assert.deepEqual(await titles({ sourceId: source.id }), ['Tide and wind', 'Tide tables'])
      const seen = new Set<number>()
      let cursor: string | null = null
      do {
        const page: Awaited<ReturnType<Store['searchArticles']>> = await store.searchArticles({ query: 'tide', limit: 7, cursor })
        for (const a of page.items) { assert.ok(!seen.has(a.id), 'no article twice'); seen.add(a.id) }
        cursor = page.next
      } while (cursor)
      assert.equal(seen.size, 33)
    })

    test('search follows edits and removals', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://fts.example/feed' }, T0)
      const a = await store.saveArticle(article(source.id, 1, { title: 'Zeppelin lands', text: 'A zeppelin landed.' }), T1)
      assert.equal((await store.searchArticles({ query: 'zeppelin', limit: 5 })).items.length, 1)
      await store.saveArticle(article(source.id, 1, { title: 'Airship lands', text: 'An airship landed.', itemHash: 'x' }), T1)
      assert.equal((await store.searchArticles({ query: 'zeppelin', limit: 5 })).items.length, 0)
      assert.equal((await store.searchArticles({ query: 'airship', limit: 5 })).items[0]?.id, a.id)
      assert.equal(await store.deleteSource(source.id), true)
      assert.equal((await store.searchArticles({ query: 'airship', limit: 5 })).items.length, 0)
      assert.equal(await store.getArticle(a.id), null, 'articles go with their source')
    })

    test('articles sharing tags come most-shared first', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://tags.example/feed' }, T0)
      const t = (...s: string[]) => s.map((x) => ({ slug: x, label: x }))
      const base = await store.saveArticle(article(source.id, 1, { tags: t('running', 'shoes', 'tokyo') }), T1)
      const two = await store.saveArticle(article(source.id, 2, { tags: t('running', 'shoes') }), T1)
      const one = await store.saveArticle(article(source.id, 3, { tags: t('tokyo') }), T1)
      await store.saveArticle(article(source.id, 4, { tags: t('weather') }), T1)
      const rel = await store.articlesSharingTags(base.id, 10)
      assert.deepEqual(rel.map((a) => a.id), [two.id, one.id])
      assert.deepEqual(await store.getTag('running'), { slug: 'running', label: 'running' })
    })

    test('settings round-trip and list of sources carries counts', async () => {
      assert.equal(await store.getSetting('demo.anchor'), null)
      await store.setSetting('demo.anchor', 'a')
      await store.setSetting('demo.anchor', 'b')
      assert.equal(await store.getSetting('demo.anchor'), 'b')
      // Per-host pacing shared by workers: a token bucket of 1 per second with 2 saved.
      const t0 = Date.parse(T0)
      const waits = []
      for (let i = 0; i < 5; i++) waits.push(await store.paceHost('pace.example', { intervalMs: 1000, burst: 2, now: t0 }))
      assert.deepEqual(waits, [0, 0, 1000, 2000, 3000], 'two at once, then one a second')
      assert.equal(await store.paceHost('other.example', { intervalMs: 1000, burst: 2, now: t0 }), 0, 'hosts do not wait on each other')
      assert.equal(await store.paceHost('pace.example', { intervalMs: 1000, burst: 2, now: t0 + 60_000 }), 0, 'an idle host starts at once')
      const together = await Promise.all(Array.from({ length: 6 }, () => store.paceHost('race.example', { intervalMs: 500, burst: 1, now: t0 })))
      assert.deepEqual([...together].sort((a, b) => a - b), [0, 500, 1000, 1500, 2000, 2500], 'concurrent callers get distinct slots')
      // Two processes making the site secret at once agree on one.
      const [x, y] = await Promise.all([store.settingOnce('once.key', 'first'), store.settingOnce('once.key', 'second')])
      assert.equal(x, y)
      assert.equal(await store.settingOnce('once.key', 'third'), x, 'a stored value is never replaced')
      const list = await store.listSources()
      const paged = list.find((s) => s.url === 'https://page.example/feed')
      assert.equal(paged?.articleCount, 25)
      assert.ok(paged?.latestArticleAt)
      assert.ok((await store.countArticles()) >= 25)
    })

    // ─────────────── push (WebSub) ───────────────

    test('a WebSub subscription is kept per source, found by its token, and renewed when due', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://push.example/feed' }, T0)
      assert.equal(source.pushActiveUntil, null)
      assert.equal(await store.getWebSub(source.id), null)
      const sub = await store.putWebSub({
        sourceId: source.id, hub: 'https://hub.example/', topic: 'https://push.example/feed', token: 'tok-1', secret: 's1', renewAt: T1,
      }, T0)
      assert.equal(sub.state, 'pending')
      assert.equal(sub.secret, 's1')
      assert.equal(sub.createdAt, T0)
      assert.equal((await store.findWebSubByToken('tok-1'))?.sourceId, source.id)
      assert.equal(await store.findWebSubByToken('tok-unknown'), null)

      const lease = '2026-11-30T10:00:00.000Z'
      await store.updateWebSub(source.id, {
        state: 'active', leaseSeconds: 864000, leaseExpiresAt: lease, verifiedAt: T0, renewAt: '2026-11-28T10:00:00.000Z',
        lastPushAt: T1, lastErrorCode: null, pushActiveUntil: lease,
      })
      const active = await store.getWebSub(source.id)
      assert.equal(active?.state, 'active')
      assert.equal(active?.leaseSeconds, 864000)
      assert.equal(active?.leaseExpiresAt, lease)
      assert.equal(active?.lastPushAt, T1)
      assert.equal((await store.getSource(source.id))?.pushActiveUntil, lease, 'the source says until when push holds')
      assert.ok(!(await store.dueWebSubs('2026-11-27T00:00:00.000Z', 10)).some((s) => s.sourceId === source.id), 'not due before renewAt')
      assert.ok((await store.dueWebSubs('2026-11-28T10:00:00.000Z', 10)).some((s) => s.sourceId === source.id))
      assert.ok((await store.listWebSubs()).some((s) => s.token === 'tok-1'))

      const moved = await store.putWebSub({
        sourceId: source.id, hub: 'https://other-hub.example/', topic: 'https://push.example/feed', token: 'tok-2', secret: 's2', renewAt: null,
      }, T1)
      assert.equal(moved.state, 'pending', 'a new hub starts over')
      assert.equal(moved.leaseExpiresAt, null)
      assert.equal(await store.findWebSubByToken('tok-1'), null, 'the old callback is gone')
      assert.equal((await store.getSource(source.id))?.pushActiveUntil, null, 'push is off until the new hub confirms')

      await store.deleteSource(source.id)
      assert.equal(await store.findWebSubByToken('tok-2'), null, 'the subscription goes with its source')
    })

    // ─────────────── stories ───────────────

    const content = (storyId: number | null, similarity = 0.5): StoryPlacement => ({ storyId, duplicateOf: null, similarity, placedBy: 'content' })
    const story = async (id: number) => {
      const s = await store.getStory(id)
      return s && { articles: s.articleCount, sources: s.sourceCount, members: s.members.map((m) => m.id) }
    }

    test('placing an article starts a story or joins one; sources are counted once each', async () => {
      const { source: wire } = await store.addSource({ kind: 'feed', url: 'https://wire.example/feed', title: 'Wire' }, T0)
      const { source: paper } = await store.addSource({ kind: 'feed', url: 'https://paper.example/feed', title: 'Paper' }, T0)
      const first = await store.saveArticle(article(wire.id, 1, { title: 'Dam gates opened at Lake Orrin' }), T1)
      const second = await store.saveArticle(article(wire.id, 2), T1)
      const copy = await store.saveArticle(article(paper.id, 3, { canonicalUrl: 'https://wire.example/a/1' }), T1)
      assert.equal((await store.getArticle(first.id))?.storyId, null, 'not clustered yet')

      assert.equal(await store.placeInStory(first.id, content(null, 1), T1), first.id, 'a new story takes the article’s id')
      assert.equal(await store.placeInStory(second.id, content(first.id, 0.42), T1), first.id)
      assert.equal(await store.placeInStory(copy.id, { storyId: first.id, duplicateOf: first.id, similarity: 0.9, placedBy: 'duplicate' }, T1), first.id)

      const s = await store.getStory(first.id)
      assert.ok(s)
      assert.equal(s.title, 'Dam gates opened at Lake Orrin')
      assert.equal(s.articleCount, 3)
      assert.equal(s.sourceCount, 2, 'two articles from the wire, one from the paper')
      assert.equal(s.firstAt, article(wire.id, 1).published)
      assert.equal(s.lastAt, article(paper.id, 3).published)
      assert.deepEqual(s.members.map((m) => m.id), [first.id, second.id, copy.id], 'oldest first')
      const m = s.members[2]!
      assert.equal(m.sourceTitle, 'Paper')
      assert.equal(m.duplicateOf, first.id)
      assert.equal(m.similarity, 0.9)
      assert.equal(m.placedBy, 'duplicate')
      assert.equal(m.canonicalUrl, 'https://wire.example/a/1')
      assert.equal(s.members[1]?.similarity, 0.42)
      assert.equal(s.members[1]?.placedBy, 'content')
      const got = await store.getArticle(copy.id)
      assert.equal(got?.storyId, first.id)
      assert.equal(got?.duplicateOf, first.id)
      assert.equal(await store.getStory(second.id), null, 'no story of its own')
    })

    test('placing an article again moves it, and both stories are counted again', async () => {
      const { source: a } = await store.addSource({ kind: 'feed', url: 'https://move-a.example/feed' }, T0)
      const { source: b } = await store.addSource({ kind: 'feed', url: 'https://move-b.example/feed' }, T0)
      const x = await store.saveArticle(article(a.id, 1), T1)
      const y = await store.saveArticle(article(b.id, 2), T1)
      const z = await store.saveArticle(article(b.id, 3), T1)
      await store.placeInStory(x.id, content(null), T1)
      await store.placeInStory(y.id, content(x.id), T1)
      await store.placeInStory(z.id, content(null), T1)
      assert.deepEqual(await story(x.id), { articles: 2, sources: 2, members: [x.id, y.id] })
      await store.placeInStory(y.id, content(z.id), T1)
      assert.deepEqual(await story(x.id), { articles: 1, sources: 1, members: [x.id] })
      assert.deepEqual(await story(z.id), { articles: 2, sources: 1, members: [y.id, z.id] })
      await store.placeInStory(x.id, content(z.id), T1)
      assert.equal(await store.getStory(x.id), null, 'an emptied story is gone')
      assert.deepEqual(await story(z.id), { articles: 3, sources: 2, members: [x.id, y.id, z.id] })
      await assert.rejects(store.placeInStory(x.id + 10_000, content(null), T1), /not stored/)
    })

    test('an operator’s placement is not undone by the clusterer', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://operator.example/feed' }, T0)
      const x = await store.saveArticle(article(source.id, 1), T1)
      const y = await store.saveArticle(article(source.id, 2), T1)
      await store.placeInStory(x.id, content(null), T1)
      await store.placeInStory(y.id, { storyId: null, duplicateOf: null, similarity: 1, placedBy: 'operator' }, T1)
      assert.equal(await store.placeInStory(y.id, content(x.id), T1), y.id, 'still where the operator put it')
      assert.equal(await store.placeInStory(y.id, { storyId: x.id, duplicateOf: x.id, similarity: 1, placedBy: 'duplicate' }, T1), y.id)
      assert.deepEqual(await story(y.id), { articles: 1, sources: 1, members: [y.id] })
      assert.equal(await store.placeInStory(y.id, { storyId: x.id, duplicateOf: null, similarity: 1, placedBy: 'operator' }, T1), x.id, 'another operator decision moves it')
      assert.deepEqual(await story(x.id), { articles: 2, sources: 1, members: [x.id, y.id] })
    })

    test('split and merge move articles, keep counts and are remembered', async () => {
      const { source: a } = await store.addSource({ kind: 'feed', url: 'https://split-a.example/feed' }, T0)
      const { source: b } = await store.addSource({ kind: 'feed', url: 'https://split-b.example/feed' }, T0)
      const [p, q, r, s] = [
        await store.saveArticle(article(a.id, 1, { title: 'Story starter' }), T1),
        await store.saveArticle(article(b.id, 2, { title: 'Off-topic piece' }), T1),
        await store.saveArticle(article(a.id, 3, { title: 'Follow-up' }), T1),
        await store.saveArticle(article(b.id, 4, { title: 'Late copy' }), T1),
      ]
      await store.placeInStory(p.id, content(null), T1)
      for (const x of [q, r, s]) await store.placeInStory(x.id, content(p.id), T1)
      await store.placeInStory(s.id, { storyId: p.id, duplicateOf: r.id, similarity: 0.8, placedBy: 'duplicate' }, T1)

      const t1 = '2026-11-21T11:00:00.000Z'
      assert.deepEqual(await store.splitFromStory(q.id, t1), { fromStory: p.id, toStory: q.id })
      assert.deepEqual(await story(p.id), { articles: 3, sources: 2, members: [p.id, r.id, s.id] })
      const alone = await store.getStory(q.id)
      assert.equal(alone?.title, 'Off-topic piece')
      assert.equal(alone?.members[0]?.placedBy, 'operator')
      assert.equal(await store.placeInStory(q.id, content(p.id), t1), q.id, 'the clusterer does not put it back')
      assert.equal(await store.splitFromStory(q.id, t1), null, 'alone: nothing to split from')
      assert.equal(await store.splitFromStory(q.id + 10_000, t1), null, 'unknown article')

      // The starter keeps the story's id; the others go on under the earliest of them.
      const t2 = '2026-11-21T12:00:00.000Z'
      assert.deepEqual(await store.splitFromStory(p.id, t2), { fromStory: r.id, toStory: p.id })
      assert.deepEqual(await story(p.id), { articles: 1, sources: 1, members: [p.id] })
      assert.deepEqual(await story(r.id), { articles: 2, sources: 2, members: [r.id, s.id] })
      assert.equal((await store.getStory(r.id))?.title, 'Follow-up')
      assert.equal((await store.getArticle(s.id))?.duplicateOf, r.id, 'a copy stays a copy')

      const t3 = '2026-11-21T13:00:00.000Z'
      assert.equal(await store.mergeStories(q.id, r.id, t3), true)
      assert.equal(await store.getStory(q.id), null, 'merged away')
      assert.deepEqual(await story(r.id), { articles: 3, sources: 2, members: [q.id, r.id, s.id] })
      assert.equal((await store.getStory(r.id))?.members.find((m) => m.id === q.id)?.placedBy, 'operator')
      assert.equal(await store.mergeStories(q.id, r.id, t3), false, 'the emptied story is unknown now')
      assert.equal(await store.mergeStories(r.id, r.id, t3), false)
      assert.equal(await store.mergeStories(r.id, r.id + 10_000, t3), false)

      assert.deepEqual(await store.storyDecisions(r.id), [
        { kind: 'merge', articleId: null, fromStory: q.id, toStory: r.id, at: t3 },
        { kind: 'split', articleId: p.id, fromStory: r.id, toStory: p.id, at: t2 },
      ])
      assert.deepEqual(await store.storyDecisions(q.id), [
        { kind: 'merge', articleId: null, fromStory: q.id, toStory: r.id, at: t3 },
        { kind: 'split', articleId: q.id, fromStory: p.id, toStory: q.id, at: t1 },
      ])
      assert.deepEqual((await store.storyDecisions(p.id)).map((d) => d.at), [t2, t1])
    })

    test('deleting an article counts its story again; the story outlives its first article', async () => {
      const { source: a } = await store.addSource({ kind: 'feed', url: 'https://del-story-a.example/feed' }, T0)
      const { source: b } = await store.addSource({ kind: 'feed', url: 'https://del-story-b.example/feed' }, T0)
      const x = await store.saveArticle(article(a.id, 1, { title: 'Ferry strike called off' }), T1)
      const y = await store.saveArticle(article(b.id, 2), T1)
      const z = await store.saveArticle(article(b.id, 3), T1)
      await store.placeInStory(x.id, content(null), T1)
      await store.placeInStory(y.id, content(x.id), T1)
      await store.placeInStory(z.id, content(x.id), T1)
      await store.deleteArticle(z.id, T1)
      const s = await store.getStory(x.id)
      assert.equal(s?.articleCount, 2)
      assert.equal(s?.lastAt, article(b.id, 2).published, 'times follow the live articles')
      await store.deleteArticle(x.id, T1)
      const kept = await store.getStory(x.id)
      assert.equal(kept?.title, 'Ferry strike called off', 'same id and title without its first article')
      assert.deepEqual(kept?.members.map((m) => m.id), [y.id])
      assert.equal(kept?.sourceCount, 1)
      await store.deleteArticle(y.id, T1)
      assert.equal(await store.getStory(x.id), null, 'no live article: no story')
      assert.ok(!(await store.recentStories({ since: T0, limit: 500 })).some((st) => st.id === x.id))
    })

    test('deleting a source takes its articles out of their stories', async () => {
      const { source: a } = await store.addSource({ kind: 'feed', url: 'https://gone.example/feed' }, T0)
      const { source: b } = await store.addSource({ kind: 'feed', url: 'https://stays.example/feed' }, T0)
      const x = await store.saveArticle(article(a.id, 1), T1)
      const y = await store.saveArticle(article(b.id, 2), T1)
      const only = await store.saveArticle(article(a.id, 3), T1)
      await store.placeInStory(x.id, content(null), T1)
      await store.placeInStory(y.id, content(x.id), T1)
      await store.placeInStory(only.id, content(null), T1)
      assert.deepEqual(await story(x.id), { articles: 2, sources: 2, members: [x.id, y.id] })
      assert.equal(await store.deleteSource(a.id), true)
      assert.deepEqual(await story(x.id), { articles: 1, sources: 1, members: [y.id] })
      assert.equal(await store.getStory(only.id), null)
      const recent = (await store.recentStories({ since: T0, limit: 500 })).map((st) => st.id)
      assert.ok(recent.includes(x.id))
      assert.ok(!recent.includes(only.id))
    })

    test('recent stories: since, at least n articles, latest first', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://recent-stories.example/feed' }, T0)
      const now = '2027-04-01T00:00:00.000Z'
      const at = async (n: number, published: string) => (await store.saveArticle(article(source.id, n, { published }), now)).id
      const big = await at(1, '2027-03-02T08:00:00.000Z')
      const bigLater = await at(2, '2027-03-05T08:00:00.000Z')
      const small = await at(3, '2027-03-10T08:00:00.000Z')
      const old = await at(4, '2027-02-01T08:00:00.000Z')
      const oldToo = await at(5, '2027-02-02T08:00:00.000Z')
      await store.placeInStory(big, content(null), now)
      await store.placeInStory(bigLater, content(big), now)
      await store.placeInStory(small, content(null), now)
      await store.placeInStory(old, content(null), now)
      await store.placeInStory(oldToo, content(old), now)
      const since = '2027-03-01T00:00:00.000Z'
      const ids = async (q: { limit: number; minArticles?: number }) => (await store.recentStories({ since, ...q })).map((s) => s.id)
      assert.deepEqual(await ids({ limit: 10 }), [small, big])
      assert.deepEqual(await ids({ limit: 10, minArticles: 2 }), [big])
      assert.deepEqual(await ids({ limit: 1 }), [small])
      const [card] = await store.recentStories({ since, limit: 10, minArticles: 2 })
      assert.deepEqual(card, {
        id: big, title: 'Article 1', firstAt: '2027-03-02T08:00:00.000Z', lastAt: '2027-03-05T08:00:00.000Z', articleCount: 2, sourceCount: 1,
      })
      assert.deepEqual((await store.recentStories({ since: '2027-03-05T08:00:00.000Z', limit: 10 })).map((s) => s.id), [small, big], 'since is inclusive')
    })

    test('cluster records come oldest first, by publication time or else fetch time', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://records.example/feed' }, T0)
      const now = '2028-01-10T00:00:00.000Z'
      const save = async (n: number, published: string | null) => (await store.saveArticle(article(source.id, n, { published }), now)).id
      const a = await save(1, '2028-01-05T00:00:00.000Z')
      const undated = await save(2, null)
      const c = await save(3, '2028-01-03T00:00:00.000Z')
      const ahead = await save(4, '2030-06-01T00:00:00.000Z')
      await save(5, '2027-12-01T00:00:00.000Z')
      const deleted = await save(6, '2028-01-04T00:00:00.000Z')
      await store.deleteArticle(deleted, now)
      await store.placeInStory(c, content(null), now)
      await store.placeInStory(a, { storyId: c, duplicateOf: c, similarity: 0.7, placedBy: 'duplicate' }, now)
      const recs = await store.clusterRecords({ since: '2028-01-01T00:00:00.000Z', limit: 100 })
      assert.deepEqual(recs.map((r) => [r.id, r.at]), [
        [c, '2028-01-03T00:00:00.000Z'], [a, '2028-01-05T00:00:00.000Z'], [undated, now], [ahead, now],
      ], 'a date in the future counts as the fetch time')
      assert.deepEqual(recs[1], {
        id: a, sourceId: source.id, title: 'Article 1', text: 'Body of article 1.', at: '2028-01-05T00:00:00.000Z',
        storyId: c, duplicateOf: c, placedBy: 'duplicate',
      })
      assert.equal(recs[2]?.storyId, null)
      assert.equal(recs[2]?.placedBy, null)
      assert.deepEqual((await store.clusterRecords({ since: '2028-01-01T00:00:00.000Z', limit: 2 })).map((r) => r.id), [undated, ahead], 'beyond the limit, the newest')
    })

    test('an article keeps its enrichment and the publisher’s AI signals; a source keeps the operator’s AI policy', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://ai-policy.example/feed' }, T0)
      assert.equal(source.aiPolicy, 'follow', 'publishers’ signals are obeyed by default')
      assert.equal(source.aiOptOut, null)
      const enrichment = {
        lang: 'en', summary: ['One.', 'Two.'], keyPoints: ['Two.'], keyphrases: ['tidal barrier'],
        hashtags: [{ slug: 'tidal-barrier', label: 'Tidal barrier' }], entities: { people: ['Imogen Hartley'], organizations: [], places: ['Wrenfield'] },
        readingMinutes: 2,
      }
      const optOut = { optedOut: true, imagesOnly: false, signals: ['X-Robots-Tag: noai'], policyUrl: null }
      const { id } = await store.saveArticle(article(source.id, 1, { enrichment, aiOptOut: optOut }), T0)
      const got = await store.getArticle(id)
      assert.deepEqual(got?.enrichment, enrichment)
      assert.deepEqual(got?.aiOptOut, optOut)
      const again = await store.saveArticle(article(source.id, 1, { enrichment: { ...enrichment, readingMinutes: 3 }, aiOptOut: null }), T1)
      assert.equal(again.status, 'updated', 'a new enrichment is a change')
      assert.equal((await store.getArticle(id))?.enrichment?.readingMinutes, 3)
      assert.equal((await store.getArticle(id))?.aiOptOut, null)
      const plain = await store.saveArticle(article(source.id, 2), T0)
      assert.equal((await store.getArticle(plain.id))?.enrichment, null, 'not enriched yet')

      await store.updateSource(source.id, { aiPolicy: 'deny', aiOptOut: { optedOut: false, imagesOnly: true, signals: ['robots meta: noimageai'], policyUrl: null } })
      const s = await store.getSource(source.id)
      assert.equal(s?.aiPolicy, 'deny')
      assert.deepEqual(s?.aiOptOut?.signals, ['robots meta: noimageai'])
    })

    test('AI tasks: one row per key is both queue and cache; claims never overlap; outcomes and usage are recorded', async () => {
      const key = { subject: 'article' as const, subjectId: 9001, feature: 'summary' as const, model: 'm1', lang: 'en', inputKey: '' }
      const t = await store.requestAiTask(key, { now: T0 })
      assert.equal(t.status, 'queued')
      assert.equal(t.attempts, 0)
      assert.equal((await store.requestAiTask(key, { now: T1 })).id, t.id, 'asking again is the same task')
      const de = await store.requestAiTask({ ...key, lang: 'de' }, { now: T0 })
      assert.notEqual(de.id, t.id, 'another language is another result')
      const q = await store.requestAiTask({ ...key, feature: 'answer', inputKey: 'q1' }, { now: T1, input: 'Who voted?' })
      assert.equal(q.input, 'Who voted?')

      const lease = '2026-11-20T10:05:00.000Z'
      const first = await store.claimAiTasks({ now: T0, leaseUntil: lease, limit: 10 })
      assert.deepEqual(first.map((x) => x.id).sort(), [t.id, de.id].sort(), 'only what is due')
      assert.ok(first.every((x) => x.status === 'running' && x.attempts === 1))
      assert.deepEqual(await store.claimAiTasks({ now: T0, leaseUntil: lease, limit: 10 }), [], 'claimed tasks are not claimed twice')

      assert.equal(await store.finishAiTask(t.id, { status: 'done', result: { text: 'A summary.' }, promptTokens: 120, completionTokens: 30, latencyMs: 800 }, T0), true)
      const done = await store.getAiTask(key)
      assert.equal(done?.status, 'done')
      assert.deepEqual(done?.result, { text: 'A summary.' })
      assert.equal(done?.finishedAt, T0)
      assert.equal(await store.finishAiTask(t.id, { status: 'failed', errorCode: 'x', errorMessage: 'late' }, T0), false, 'only a running task can finish')
      assert.equal((await store.getAiTask(key))?.status, 'done')

      await store.finishAiTask(de.id, { status: 'retry', errorCode: 'ai_rate_limited', errorMessage: 'HTTP 429', nextTryAt: '2026-11-20T11:00:00.000Z', latencyMs: 50 }, T0)
      const waiting = await store.getAiTaskById(de.id)
      assert.equal(waiting?.status, 'queued')
      assert.equal(waiting?.errorCode, 'ai_rate_limited', 'the last error stays visible while it waits')
      assert.deepEqual(await store.claimAiTasks({ now: '2026-11-20T10:30:00.000Z', leaseUntil: lease, limit: 10 }), [], 'not before its time')

      // A worker that died: its lease ends and the task is claimed again.
      const again = await store.claimAiTasks({ now: '2026-11-21T10:00:00.000Z', leaseUntil: '2026-11-21T10:05:00.000Z', limit: 1 })
      assert.equal(again.length, 1)
      assert.equal(again[0]?.id, de.id, 'oldest due first')
      assert.equal(again[0]?.attempts, 2)
      const stale = await store.claimAiTasks({ now: '2026-11-21T10:10:00.000Z', leaseUntil: '2026-11-21T10:15:00.000Z', limit: 5 })
      assert.ok(stale.some((x) => x.id === de.id), 'a running task whose lease ended is claimed again')
      await store.finishAiTask(de.id, { status: 'failed', errorCode: 'ai_auth', errorMessage: 'HTTP 401' }, T1)
      assert.equal((await store.requestAiTask({ ...key, lang: 'de' }, { now: T1 })).status, 'failed', 'a failure is kept')
      const retried = await store.requestAiTask({ ...key, lang: 'de' }, { now: T1, retryFailed: true })
      assert.equal(retried.status, 'queued')
      assert.equal(retried.attempts, 0)
      assert.equal(retried.errorCode, null)

      assert.deepEqual((await store.aiTasksFor('article', 9001)).map((x) => x.id).sort(), [t.id, de.id, q.id].sort())
      assert.ok((await store.listAiTasks({ status: 'done', limit: 10 })).some((x) => x.id === t.id))
      const usage = (await store.aiUsage()).find((u) => u.feature === 'summary' && u.model === 'm1')
      assert.equal(usage?.done, 1)
      assert.equal(usage?.queued, 1)
      assert.equal(usage?.promptTokens, 120)
      assert.equal(usage?.completionTokens, 30)
      assert.ok(usage?.meanLatencyMs !== null)
    })

    test('concurrent claims share out the due tasks without overlap', async () => {
      const now = '2029-01-01T00:00:00.000Z'
      for (let n = 0; n < 12; n++) await store.requestAiTask({ subject: 'story', subjectId: 7000 + n, feature: 'story_summary', model: 'm2', lang: 'en', inputKey: '' }, { now })
      const claims = await Promise.all([0, 1, 2].map(() => store.claimAiTasks({ now, leaseUntil: '2029-01-01T00:05:00.000Z', limit: 5 })))
      const ids = claims.flat().filter((x) => x.subject === 'story' && x.subjectId >= 7000).map((x) => x.id)
      assert.equal(new Set(ids).size, ids.length, 'no task claimed twice')
      assert.equal(ids.length, 12)
    })

    test('deleting an article deletes its AI results', async () => {
      const { source } = await store.addSource({ kind: 'feed', url: 'https://ai-delete.example/feed' }, T0)
      const { id } = await store.saveArticle(article(source.id, 1), T0)
      await store.requestAiTask({ subject: 'article', subjectId: id, feature: 'summary', model: 'm', lang: 'en', inputKey: '' }, { now: T0 })
      await store.deleteArticle(id, T1)
      assert.deepEqual(await store.aiTasksFor('article', id), [])
    })

    describe('readers, comments and rate limits', () => {
      const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()

      test('a name is taken without regard to case, is kept as typed, and a user never carries the password hash', async () => {
        const ana = await store.createUser({ name: 'Ana', passwordHash: 'hash-ana', role: 'reader' }, T0)
        assert.ok(ana)
        assert.equal(ana.name, 'Ana')
        assert.equal(ana.role, 'reader')
        assert.equal(ana.createdAt, T0)
        assert.equal(ana.bannedAt, null)
        assert.equal(ana.publishedComments, 0)
        assert.equal(await store.createUser({ name: 'ana', passwordHash: 'x', role: 'admin' }, T1), null, 'taken in another case')
        assert.ok(await store.createUser({ name: 'Émile', passwordHash: 'hash-e', role: 'moderator' }, T0))
        assert.equal(await store.createUser({ name: 'émile', passwordHash: 'x', role: 'reader' }, T0), null, 'case beyond ASCII folds the same on both databases')

        const cred = await store.findCredentials('ANA')
        assert.equal(cred?.id, ana.id)
        assert.equal(cred?.name, 'Ana')
        assert.equal(cred?.passwordHash, 'hash-ana')
        assert.equal(cred?.passwordChangedAt, T0)
        assert.equal(await store.findCredentials('nobody'), null)
        const user = await store.getUser(ana.id)
        assert.deepEqual(user, ana)
        assert.equal('passwordHash' in user!, false, 'getUser never exposes the hash')
        assert.equal('passwordHash' in ana, false, 'nor does createUser')
        assert.equal(await store.getUser(ana.id + 10_000), null)
      })

      test('users are listed newest first and found by any part of their name', async () => {
        const a = await store.createUser({ name: 'list_Zed', passwordHash: 'h', role: 'reader' }, T0)
        const b = await store.createUser({ name: 'listXzed', passwordHash: 'h', role: 'reader' }, T0)
        const c = await store.createUser({ name: 'List 100%', passwordHash: 'h', role: 'reader' }, T0)
        const all = await store.listUsers({ limit: 100 })
        assert.equal(all.length, await store.countUsers())
        assert.deepEqual(all.slice(0, 3).map((u) => u.id), [c!.id, b!.id, a!.id])
        assert.ok(all.every((u) => !('passwordHash' in u)))
        assert.deepEqual((await store.listUsers({ limit: 100, query: 'ZED' })).map((u) => u.name), ['listXzed', 'list_Zed'])
        assert.deepEqual((await store.listUsers({ limit: 100, query: 't_z' })).map((u) => u.name), ['list_Zed'], '_ is no wildcard')
        assert.deepEqual((await store.listUsers({ limit: 100, query: '0%' })).map((u) => u.name), ['List 100%'], '% is no wildcard')
        assert.equal((await store.listUsers({ limit: 2, query: 'list' })).length, 2)
        assert.deepEqual(await store.listUsers({ limit: 10, query: 'nobody-by-that-name' }), [])
      })

      test('a reset token works until it expires, and a new password spends it', async () => {
        const u = (await store.createUser({ name: 'resetter', passwordHash: 'old', role: 'reader' }, T0))!
        await store.updateUser(u.id, { resetTokenHash: 'tok-sha', resetExpiresAt: at(30) }, at(1))
        assert.equal((await store.findUserByResetToken('tok-sha', at(29)))?.id, u.id)
        assert.equal(await store.findUserByResetToken('tok-sha', at(30)), null, 'expired at its end')
        assert.equal(await store.findUserByResetToken('other', at(1)), null)
        assert.equal((await store.findCredentials('resetter'))?.passwordChangedAt, T0, 'a token alone changes no password')

        await store.updateUser(u.id, { passwordHash: 'new' }, at(5))
        const cred = await store.findCredentials('RESETTER')
        assert.equal(cred?.passwordHash, 'new')
        assert.equal(cred?.passwordChangedAt, at(5))
        assert.equal(await store.findUserByResetToken('tok-sha', at(6)), null, 'the token is spent')

        await store.updateUser(u.id, { role: 'moderator', bannedAt: at(7), banReason: 'spam' }, at(7))
        let got = await store.getUser(u.id)
        assert.equal(got?.role, 'moderator')
        assert.equal(got?.bannedAt, at(7))
        assert.equal(got?.banReason, 'spam')
        await store.updateUser(u.id, { bannedAt: null, banReason: null }, at(8))
        got = await store.getUser(u.id)
        assert.equal(got?.bannedAt, null)
        assert.equal(got?.role, 'moderator', 'fields not in the patch stay')
        await store.updateUser(u.id, {}, at(9))
      })

      test('sessions come with their user, are touched, and end one by one, everywhere or when stale', async () => {
        const u = (await store.createUser({ name: 'sessioned', passwordHash: 'h', role: 'reader' }, T0))!
        const other = (await store.createUser({ name: 'other-sessioned', passwordHash: 'h', role: 'reader' }, T0))!
        const session = (id: string, userId: number, lastSeenAt: string, expiresAt: string) => ({ id, userId, createdAt: T0, lastSeenAt, expiresAt })
        await store.createSession(session('s-a'.padEnd(64, 'a'), u.id, T0, at(60 * 24)))
        await store.createSession(session('s-b'.padEnd(64, 'b'), u.id, T0, at(60 * 24)))
        await store.createSession(session('s-c'.padEnd(64, 'c'), u.id, T0, at(60 * 24)))
        await store.createSession(session('s-o'.padEnd(64, 'o'), other.id, T0, at(60 * 24)))

        const got = await store.getSession('s-a'.padEnd(64, 'a'))
        assert.deepEqual(got?.session, session('s-a'.padEnd(64, 'a'), u.id, T0, at(60 * 24)))
        assert.deepEqual(got?.user, u)
        assert.equal('passwordHash' in got!.user, false)
        assert.equal(await store.getSession('missing'), null)

        await store.touchSession('s-a'.padEnd(64, 'a'), at(10))
        assert.equal((await store.getSession('s-a'.padEnd(64, 'a')))?.session.lastSeenAt, at(10))

        await store.deleteSession('s-c'.padEnd(64, 'c'))
        assert.equal(await store.getSession('s-c'.padEnd(64, 'c')), null)
        assert.equal(await store.deleteUserSessions(u.id, 's-a'.padEnd(64, 'a')), 1, 'everywhere but here')
        assert.equal(await store.getSession('s-b'.padEnd(64, 'b')), null)
        assert.ok(await store.getSession('s-a'.padEnd(64, 'a')))
        assert.ok(await store.getSession('s-o'.padEnd(64, 'o')), "another user's sessions stay")
        assert.equal(await store.deleteUserSessions(u.id), 1)
        assert.equal(await store.deleteUserSessions(other.id), 1)

        await store.createSession(session('idle', u.id, at(0), at(1000)))
        await store.createSession(session('ended', u.id, at(50), at(60)))
        await store.createSession(session('fresh', u.id, at(50), at(1000)))
        assert.equal(await store.deleteStaleSessions({ now: at(60), idleBefore: at(10) }), 2)
        assert.equal(await store.getSession('idle'), null, 'idle too long')
        assert.equal(await store.getSession('ended'), null, 'past its absolute end')
        assert.ok(await store.getSession('fresh'))
      })

      test('replies go one level deep, under a comment on the same subject', async () => {
        const u = (await store.createUser({ name: 'replier', passwordHash: 'h', role: 'reader' }, T0))!
        const top = await store.addComment({ subject: 'article', subjectId: 8001, parentId: null, userId: u.id, body: 'First!', status: 'visible', statusReason: null }, at(1))
        assert.equal(top.userName, 'replier')
        assert.equal(top.reports, 0)
        assert.equal(top.createdAt, at(1))
        assert.equal(top.editedAt, null)
        assert.deepEqual(await store.getComment(top.id), top)
        const reply = await store.addComment({ subject: 'article', subjectId: 8001, parentId: top.id, userId: u.id, body: 'Re', status: 'held', statusReason: 'first_comment' }, at(2))
        assert.equal(reply.parentId, top.id)
        assert.equal(reply.status, 'held')
        assert.equal(reply.statusReason, 'first_comment')
        const bad = [
          { subject: 'article' as const, subjectId: 8001, parentId: reply.id },
          { subject: 'article' as const, subjectId: 8002, parentId: top.id },
          { subject: 'story' as const, subjectId: 8001, parentId: top.id },
          { subject: 'article' as const, subjectId: 8001, parentId: top.id + 10_000 },
        ]
        for (const b of bad) {
          await assert.rejects(store.addComment({ ...b, userId: u.id, body: 'x', status: 'visible', statusReason: null }, at(3)), /^Error: store: /)
        }
        assert.equal((await store.listComments('article', 8001, { withHeld: true })).length, 2, 'nothing stored by the failed attempts')
        assert.equal(await store.getComment(top.id + 10_000), null)
      })

      test('who sees which comments, counts, edits, deletion and the authors record', async () => {
        const author = (await store.createUser({ name: 'author', passwordHash: 'h', role: 'reader' }, T0))!
        const reader = (await store.createUser({ name: 'reader', passwordHash: 'h', role: 'reader' }, T0))!
        const add = (body: string, status: 'visible' | 'held', minute: number, userId = author.id, subjectId = 8100) =>
          store.addComment({ subject: 'story', subjectId, parentId: null, userId, body, status, statusReason: null }, at(minute))
        // Added out of time order: the list is by creation time.
        const later = await add('later', 'visible', 9)
        const visible = await add('visible', 'visible', 1)
        const held = await add('held', 'held', 2)
        const hidden = await add('to hide', 'visible', 3, reader.id)
        const gone = await add('to delete', 'visible', 4, reader.id)
        const othersHeld = await add('held of another', 'held', 5, reader.id)
        await store.setCommentStatus(hidden.id, 'hidden', { reason: 'rude', now: at(10) })
        await store.setCommentStatus(gone.id, 'deleted', { now: at(11) })

        const ids = async (opts?: Parameters<Store['listComments']>[2]) => (await store.listComments('story', 8100, opts)).map((c) => c.id)
        assert.deepEqual(await ids(), [visible.id, gone.id, later.id], 'visible and deleted, oldest first')
        assert.deepEqual(await ids({ viewerId: author.id }), [visible.id, held.id, gone.id, later.id], 'the author sees their own held comment')
        assert.deepEqual(await ids({ viewerId: null }), [visible.id, gone.id, later.id])
        assert.deepEqual(await ids({ withHeld: true }), [visible.id, held.id, gone.id, othersHeld.id, later.id])
        assert.deepEqual(await ids({ withHeld: true, withHidden: true }), [visible.id, held.id, hidden.id, gone.id, othersHeld.id, later.id])
        assert.deepEqual(await ids({ withHidden: true }), [visible.id, hidden.id, gone.id, later.id])
        assert.deepEqual(await store.listComments('article', 8100), [], 'subjects are told apart')

        const deleted = await store.getComment(gone.id)
        assert.equal(deleted?.status, 'deleted')
        assert.equal(deleted?.body, '', 'deleting empties the body')
        assert.equal(deleted?.statusReason, null)
        const hid = await store.getComment(hidden.id)
        assert.equal(hid?.status, 'hidden')
        assert.equal(hid?.statusReason, 'rude')
        assert.equal(hid?.body, 'to hide', 'hiding keeps the body for moderators')

        await add('elsewhere', 'visible', 1, author.id, 8101)
        await add('elsewhere held', 'held', 1, author.id, 8101)
        const counts = await store.commentCounts('story', [8100, 8101, 8102])
        assert.equal(counts.get(8100), 2, 'visible ones only')
        assert.equal(counts.get(8101), 1)
        assert.equal(counts.get(8102), 0, 'every id asked for is in the map')
        assert.equal((await store.commentCounts('article', [8100])).get(8100), 0)
        assert.equal((await store.commentCounts('story', [])).size, 0)

        await store.editComment(visible.id, 'visible, edited', at(12))
        const edited = await store.getComment(visible.id)
        assert.equal(edited?.body, 'visible, edited')
        assert.equal(edited?.editedAt, at(12))
        assert.equal(edited?.createdAt, at(1))

        assert.equal(await store.countUserComments(author.id, at(0)), 5, 'any status')
        assert.equal(await store.countUserComments(author.id, at(2)), 2, 'since is inclusive')
        assert.equal(await store.countUserComments(author.id, at(3)), 1)
        assert.equal(await store.countUserComments(author.id, at(30)), 0)
        await store.notePublished(author.id)
        await store.notePublished(author.id)
        assert.equal((await store.getUser(author.id))?.publishedComments, 2)
        assert.equal((await store.getUser(reader.id))?.publishedComments, 0)
      })

      test('reports: one per reader, the moderation queue, and a decision closes them', async () => {
        const u = await Promise.all(['mod-a', 'mod-b', 'mod-c', 'mod-author'].map((name) => store.createUser({ name, passwordHash: 'h', role: 'reader' }, T0)))
        const [a, b, c, w] = u.map((x) => x!)
        const add = (body: string, status: 'visible' | 'held', minute: number) =>
          store.addComment({ subject: 'article', subjectId: 8200, parentId: null, userId: w!.id, body, status, statusReason: status === 'held' ? 'many_links' : null }, at(minute))
        const once = await add('reported once', 'visible', 1)
        const twice = await add('reported twice', 'visible', 2)
        const held = await add('held', 'held', 3)
        const heldLater = await add('held later', 'held', 4)
        const quiet = await add('never reported', 'visible', 5)
        const hiddenReported = await add('hidden, reported', 'visible', 6)

        assert.equal(await store.reportComment(once.id, a!.id, 'spam', at(10)), true)
        assert.equal(await store.reportComment(once.id, a!.id, 'spam again', at(11)), false, 'one report per reader')
        assert.equal(await store.reportComment(twice.id, b!.id, 'rude', at(12)), true)
        assert.equal(await store.reportComment(twice.id, a!.id, 'off topic', at(11)), true)
        assert.equal(await store.reportComment(hiddenReported.id, a!.id, 'spam', at(13)), true)
        await store.setCommentStatus(hiddenReported.id, 'hidden', { reason: 'reported', now: at(14) })

        assert.equal((await store.getComment(twice.id))?.reports, 2)
        assert.equal((await store.listComments('article', 8200)).find((x) => x.id === once.id)?.reports, 1)
        assert.deepEqual(await store.reportsFor(twice.id), [
          { commentId: twice.id, userId: a!.id, userName: 'mod-a', reason: 'off topic', createdAt: at(11) },
          { commentId: twice.id, userId: b!.id, userName: 'mod-b', reason: 'rude', createdAt: at(12) },
        ], 'oldest first, with who reported')
        assert.deepEqual(await store.reportsFor(quiet.id), [])

        // The queue is the whole site's: earlier tests left held comments in it.
        const mine = async () => (await store.moderationQueue({ limit: 100 })).filter((x) => x.subjectId === 8200).map((x) => x.id)
        assert.deepEqual(await mine(), [twice.id, once.id, held.id, heldLater.id], 'most reported first, then oldest; not quiet or hidden ones')
        assert.deepEqual((await store.moderationQueue({ limit: 2 })).map((x) => x.id), [twice.id, once.id])

        // A moderator lets it stand: its reports are dealt with.
        await store.setCommentStatus(twice.id, 'visible', { resolveReports: true, now: at(20) })
        assert.equal((await store.getComment(twice.id))?.reports, 0)
        assert.deepEqual(await store.reportsFor(twice.id), [])
        assert.equal(await store.reportComment(twice.id, b!.id, 'still rude', at(21)), false, 'a resolved report still counts as made')
        assert.equal(await store.reportComment(twice.id, c!.id, 'new', at(22)), true)
        assert.deepEqual((await store.reportsFor(twice.id)).map((r) => r.userName), ['mod-c'])
        await store.setCommentStatus(held.id, 'visible', { resolveReports: true, now: at(23) })
        await store.setCommentStatus(heldLater.id, 'hidden', { reason: 'spam', resolveReports: true, now: at(23) })
        assert.deepEqual(await mine(), [once.id, twice.id])
      })

      test('rate limits count per fixed window, and every hit counts once under concurrency', async () => {
        const minute = 60_000
        const t = (s: string) => `2026-11-20T10:${s}.000Z`
        for (let n = 1; n <= 5; n++) {
          assert.deepEqual(await store.hitRateLimit('ip:203.0.113.7', minute, t(`00:${String(n * 10).padStart(2, '0')}`)), { count: n, resetAt: t('01:00') })
        }
        assert.deepEqual(await store.peekRateLimit('ip:203.0.113.7', t('00:59')), { count: 5, resetAt: t('01:00') })
        assert.equal(await store.peekRateLimit('ip:203.0.113.7', t('01:00')), null, 'its window has passed')
        assert.deepEqual(await store.hitRateLimit('ip:203.0.113.7', minute, t('01:05')), { count: 1, resetAt: t('02:00') }, 'the next window starts again')
        assert.deepEqual(await store.hitRateLimit('ip:203.0.113.8', minute, t('01:05')), { count: 1, resetAt: t('02:00') }, 'keys are apart')
        await store.clearRateLimit('ip:203.0.113.7')
        assert.equal(await store.peekRateLimit('ip:203.0.113.7', t('01:06')), null)
        assert.equal(await store.peekRateLimit('never-hit', t('01:06')), null)
        assert.deepEqual(await store.hitRateLimit('ip:203.0.113.7', minute, t('01:07')), { count: 1, resetAt: t('02:00') })

        const month = 30 * 24 * 60 * minute
        const long = await store.hitRateLimit('user:1:monthly', month, T0)
        assert.equal(long.count, 1)
        assert.equal(Date.parse(long.resetAt) % month, 0, 'windows are aligned to the epoch')
        assert.ok(Date.parse(long.resetAt) > Date.parse(T0) && Date.parse(long.resetAt) <= Date.parse(T0) + month)

        const burst = (key: string) => Array.from({ length: 20 }, () => store.hitRateLimit(key, minute, t('03:30')))
        const [x, y] = await Promise.all([Promise.all(burst('burst:x')), Promise.all(burst('burst:y'))])
        const upTo20 = Array.from({ length: 20 }, (_, i) => i + 1)
        assert.deepEqual(x.map((r) => r.count).sort((p, q) => p - q), upTo20, 'no hit lost or counted twice')
        assert.deepEqual(y.map((r) => r.count).sort((p, q) => p - q), upTo20)
        assert.deepEqual((await store.peekRateLimit('burst:x', t('03:31')))?.count, 20)
      })
    })

    // ─────────────── reader apps (Google Reader, Fever): app passwords, tokens, read and starred state ───────────────
    describe('reader apps', () => {
      const at = (h: number) => new Date(Date.parse('2026-12-01T00:00:00.000Z') + h * 3_600_000).toISOString()
      let ana = 0
      let ben = 0
      let feedA = 0
      let feedB = 0
      const ids: number[] = []
      before(async () => {
        ana = (await store.createUser({ name: 'rs-ana', passwordHash: 'h', role: 'reader' }, T0))!.id
        ben = (await store.createUser({ name: 'rs-ben', passwordHash: 'h', role: 'reader' }, T0))!.id
        feedA = (await store.addSource({ kind: 'feed', url: 'https://rs-a.example/feed.xml', title: 'RS A' }, T0)).source.id
        feedB = (await store.addSource({ kind: 'feed', url: 'https://rs-b.example/feed.xml', title: 'RS B' }, T0)).source.id
        // Six articles, fetched an hour apart (hours 1..6), alternating sources; published in the same order.
        for (let n = 1; n <= 6; n++) {
          const src = n % 2 ? feedA : feedB
          const saved = await store.saveArticle(article(src, 9000 + n, { published: at(n) }), at(n))
          ids.push(saved.id)
        }
      })
      const unreadOf = async (userId: number, q: { sourceIds?: number[] } = {}) =>
        (await store.readerStream({ userId, limit: 100, read: false, order: 'oldest', sourceIds: [feedA, feedB], ...q })).items.map((r) => r.id)

      test('app passwords: set, replace, revoke; tokens end with the password they were issued under', async () => {
        assert.equal(await store.getAppPassword(ana), null)
        await store.setAppPassword(ana, { passwordHash: 'scrypt-1', feverKey: 'f'.repeat(32), readBefore: at(0) }, at(10))
        assert.deepEqual(await store.getAppPassword(ana), { passwordHash: 'scrypt-1', feverKey: 'f'.repeat(32), setAt: at(10) })
        assert.equal((await store.findUserByFeverKey('f'.repeat(32)))?.name, 'rs-ana')
        assert.equal(await store.findUserByFeverKey('0'.repeat(32)), null)
        await store.createReaderToken('tok-1', ana, at(10))
        assert.equal((await store.findReaderToken('tok-1'))?.id, ana)
        assert.equal(await store.findReaderToken('tok-x'), null)
        await store.setAppPassword(ana, { passwordHash: 'scrypt-2', feverKey: 'e'.repeat(32), readBefore: at(5) }, at(11))
        assert.equal(await store.findReaderToken('tok-1'), null, 'a new password ends the old tokens')
        assert.equal(await store.findUserByFeverKey('f'.repeat(32)), null, 'the old key is gone')
        assert.equal((await store.getAppPassword(ana))?.passwordHash, 'scrypt-2')
        await store.createReaderToken('tok-2', ana, at(11))
        await store.revokeAppPassword(ana)
        assert.equal(await store.getAppPassword(ana), null)
        assert.equal(await store.findReaderToken('tok-2'), null)
        assert.equal(await store.findUserByFeverKey('e'.repeat(32)), null)
        for (let i = 0; i < 25; i++) await store.createReaderToken(`many-${String(i).padStart(2, '0')}`, ben, at(i))
        assert.equal(await store.findReaderToken('many-00'), null, 'only the newest tokens are kept')
        assert.equal((await store.findReaderToken('many-24'))?.id, ben)
      })

      test('read state: the horizon reads everything fetched by then; marks on either side of it; per reader', async () => {
        // ana's horizon is hour 0 (kept from the first password: a later one does not move it).
        assert.deepEqual(await unreadOf(ana), ids, 'fetched after the horizon: unread')
        assert.deepEqual(await unreadOf(ben), ids, 'no horizon: all unread')
        await store.setItemsRead(ana, [ids[0]!, ids[1]!, 987654], true, at(20))
        assert.deepEqual(await unreadOf(ana), ids.slice(2))
        assert.deepEqual(await unreadOf(ben), ids, 'one reader\'s marks are theirs alone')
        await store.setItemsRead(ana, [ids[1]!], false, at(21))
        assert.deepEqual(await unreadOf(ana), ids.slice(1))
        const page = await store.readerStream({ userId: ana, limit: 10, read: true, sourceIds: [feedA, feedB] })
        assert.deepEqual(page.items.map((r) => [r.id, r.read, r.starred]), [[ids[0], true, false]])

        // Mark all read up to hour 3: everything fetched by then is read, later ones are not.
        await store.markAllRead(ana, { upTo: at(3) }, at(22))
        assert.deepEqual(await unreadOf(ana), ids.slice(3))
        // An article under the horizon can still be unread again, and read again.
        await store.setItemsRead(ana, [ids[0]!], false, at(23))
        assert.deepEqual(await unreadOf(ana), [ids[0], ...ids.slice(3)])
        await store.setItemsRead(ana, [ids[0]!], true, at(24))
        assert.deepEqual(await unreadOf(ana), ids.slice(3))
        // A horizon never moves back.
        await store.markAllRead(ana, { upTo: at(1) }, at(25))
        assert.deepEqual(await unreadOf(ana), ids.slice(3))

        // Per source: only that source's articles fetched by then.
        await store.markAllRead(ben, { sourceIds: [feedA], upTo: at(4) }, at(26))
        assert.deepEqual(await unreadOf(ben), [ids[1], ids[3], ids[4], ids[5]], 'feed A\'s hours 1 and 3 read')
        assert.deepEqual(await unreadOf(ben, { sourceIds: [feedB] }), [ids[1], ids[3], ids[5]])
        const counts = await store.readerUnreadCounts(ben)
        assert.deepEqual(counts.filter((c) => c.sourceId === feedA || c.sourceId === feedB).map((c) => [c.sourceId, c.unread, c.newestAt]),
          [[feedA, 1, at(5)], [feedB, 3, at(6)]].sort((x, y) => Number(x[0]) - Number(y[0])))
      })

      test('stars: per reader, kept through read marks, filtered in streams', async () => {
        await store.setItemsStarred(ben, [ids[2]!, ids[4]!, 987654], true, at(30))
        await store.setItemsStarred(ben, [ids[2]!], true, at(31))
        const starred = await store.readerStream({ userId: ben, limit: 10, starred: true })
        assert.deepEqual(starred.items.map((r) => r.id), [ids[4], ids[2]], 'newest first')
        assert.deepEqual((await store.readerStream({ userId: ana, limit: 10, starred: true })).items, [])
        const [item] = await store.readerItems(ben, [ids[2]!])
        assert.equal(item?.starredAt, at(30), 'starring again keeps the first time')
        assert.equal(item?.starred, true)
        assert.equal(item?.read, true, 'read by the earlier mark-all of feed A')
        assert.equal(item?.sourceTitle, 'RS A')
        assert.equal(item?.html, `<p>Body of article 9003.</p>`)
        await store.setItemsRead(ben, [ids[2]!], false, at(32))
        await store.setItemsStarred(ben, [ids[2]!], false, at(33))
        const after = (await store.readerItems(ben, [ids[2]!, ids[4]!])).map((r) => [r.id, r.read, r.starred])
        assert.deepEqual(after, [[ids[2], false, false], [ids[4], false, true]])
      })

      test('streams page without repeats or gaps in every order, and filter by time, id and ids', async () => {
        for (const order of ['newest', 'oldest', 'id-asc', 'id-desc'] as const) {
          const seen: number[] = []
          let cursor: string | null = null
          do {
            const p: { items: { id: number }[]; next: string | null } = await store.readerStream({ userId: ben, limit: 4, order, cursor, sourceIds: [feedA, feedB] })
            seen.push(...p.items.map((r) => r.id))
            cursor = p.next
          } while (cursor)
          const want = order === 'newest' || order === 'id-desc' ? [...ids].reverse() : ids
          assert.deepEqual(seen, want, order)
        }
        const inWindow = await store.readerStream({ userId: ben, limit: 10, order: 'oldest', since: at(2), until: at(5), sourceIds: [feedA, feedB] })
        assert.deepEqual(inWindow.items.map((r) => r.id), ids.slice(1, 4))
        const byId = await store.readerStream({ userId: ben, limit: 10, order: 'id-asc', afterId: ids[1]!, beforeId: ids[4]!, sourceIds: [feedA, feedB] })
        assert.deepEqual(byId.items.map((r) => r.id), ids.slice(2, 4))
        const some = await store.readerStream({ userId: ben, limit: 10, order: 'id-asc', ids: [ids[5]!, ids[0]!, -1] })
        assert.deepEqual(some.items.map((r) => r.id), [ids[0], ids[5]])
        assert.deepEqual((await store.readerStream({ userId: ben, limit: 10, sourceIds: [] })).items, [])
        assert.deepEqual((await store.readerStream({ userId: ben, limit: 10, cursor: 'garbage!' })).items.length > 0, true, 'a bad cursor starts over')
      })
    })

    describe('fetch log and ingestion health', () => {
      const NOW = '2026-11-28T12:00:00.000Z'
      const ago = (h: number) => new Date(Date.parse(NOW) - h * 3_600_000).toISOString()
      const entry = (sourceId: number, startedAt: string, over: Partial<import('./store.js').FetchLogEntry> = {}): import('./store.js').FetchLogEntry => ({
        sourceId, startedAt, outcome: 'updated', httpStatus: 200, durationMs: 120, bytes: 5_000, itemsSeen: 10, created: 2, updated: 1, queued: 0,
        fullText: 2, feedFallback: 1, mojibakeRepaired: 1, charsetGuessed: 0, itemErrors: 0, errorCode: null, errorMessage: null, ...over,
      })

      test('attempts give success rates over 24 h and 7 d, the status mix, extraction sums and the latest errors', async () => {
        const good = (await store.addSource({ kind: 'feed', url: 'https://health-good.example/feed', title: 'Good' }, T0)).source
        const bad = (await store.addSource({ kind: 'feed', url: 'https://health-bad.example/feed', title: 'Bad' }, T0)).source
        await store.recordFetch(entry(good.id, ago(1)))
        await store.recordFetch(entry(good.id, ago(2), { outcome: 'not_modified', httpStatus: 304, created: 0, updated: 0, fullText: 0, feedFallback: 0, mojibakeRepaired: 0 }))
        await store.recordFetch(entry(good.id, ago(30), { fullText: 5, charsetGuessed: 2 }))
        await store.recordFetch(entry(good.id, ago(24 * 8), { fullText: 100 })) // older than a week: not counted
        await store.recordFetch(entry(bad.id, ago(3), { outcome: 'error', httpStatus: 503, errorCode: 'http_server_error', errorMessage: 'HTTP 503', created: 0, updated: 0, fullText: 0, feedFallback: 0, mojibakeRepaired: 0, bytes: null }))
        await store.recordFetch(entry(bad.id, ago(5), { outcome: 'error', httpStatus: null, errorCode: 'timeout', errorMessage: 'no answer in 20 s', created: 0, updated: 0, fullText: 0, feedFallback: 0, mojibakeRepaired: 0, bytes: null }))
        await store.recordFetch(entry(bad.id, ago(50)))
        const all = await store.fetchHealth({ now: NOW, errors: 5 })
        const g = all.find((h) => h.sourceId === good.id)!
        const b = all.find((h) => h.sourceId === bad.id)!
        assert.deepEqual(g.day, { attempts: 2, ok: 2 })
        assert.deepEqual(g.week, { attempts: 3, ok: 3 })
        assert.deepEqual(g.statusMix, { '2xx': 2, '3xx': 1 })
        assert.deepEqual(g.extraction, { fullText: 7, feedFallback: 2, mojibakeRepaired: 2, charsetGuessed: 2, itemErrors: 0 })
        assert.deepEqual(g.lastErrors, [])
        assert.deepEqual(b.day, { attempts: 2, ok: 0 })
        assert.deepEqual(b.week, { attempts: 3, ok: 1 })
        assert.deepEqual(b.statusMix, { '5xx': 1, none: 1, '2xx': 1 })
        assert.deepEqual(b.lastErrors, [
          { at: ago(3), code: 'http_server_error', message: 'HTTP 503', httpStatus: 503 },
          { at: ago(5), code: 'timeout', message: 'no answer in 20 s', httpStatus: null },
        ])
        assert.equal((await store.fetchHealth({ now: NOW, errors: 1 })).find((h) => h.sourceId === bad.id)!.lastErrors.length, 1)

        assert.equal(await store.pruneFetchLog(ago(24 * 7)), 1, 'the attempt older than the cut goes')
        const again = (await store.fetchHealth({ now: NOW })).find((h) => h.sourceId === good.id)!
        assert.deepEqual(again.week, { attempts: 3, ok: 3 })
        await store.deleteSource(bad.id)
        assert.equal((await store.fetchHealth({ now: NOW })).some((h) => h.sourceId === bad.id), false, 'a removed source takes its log with it')
      })

      test('articles per day and source, by fetch time in UTC; source counts by state', async () => {
        const s = (await store.addSource({ kind: 'feed', url: 'https://health-days.example/feed', title: 'Days' }, T0)).source
        await store.saveArticle(article(s.id, 901), '2026-11-25T23:59:00.000Z')
        await store.saveArticle(article(s.id, 902), '2026-11-26T00:01:00.000Z')
        await store.saveArticle(article(s.id, 903), '2026-11-26T13:00:00.000Z')
        await store.saveArticle(article(s.id, 904), '2026-11-20T13:00:00.000Z')
        const days = (await store.articlesPerDay({ since: '2026-11-24T00:00:00.000Z' })).filter((d) => d.sourceId === s.id)
        assert.deepEqual(days, [{ sourceId: s.id, day: '2026-11-25', count: 1 }, { sourceId: s.id, day: '2026-11-26', count: 2 }])
        const before = await store.sourceCounts()
        await store.updateSource(s.id, { errorCount: 3, lastErrorCode: 'timeout' })
        const failing = await store.sourceCounts()
        assert.equal(failing.total, before.total)
        assert.equal(failing.failing, before.failing + 1)
        await store.updateSource(s.id, { pausedAt: NOW, pauseReason: 'failing' })
        const paused = await store.sourceCounts()
        assert.deepEqual(paused, { total: before.total, failing: before.failing, paused: before.paused + 1 })
      })
    })

    describe('discovery: list and search filters, authors, busy hashtags, saved searches', () => {
      test('author, language and time filters narrow lists and searches alike, and pages stay stable', async () => {
        const src = (await store.addSource({ kind: 'feed', url: 'https://filters.example/feed.xml', title: 'Filters' }, T0)).source
        const other = (await store.addSource({ kind: 'feed', url: 'https://filters-other.example/feed.xml', title: 'Other' }, T0)).source
        const at = (h: number) => new Date(Date.parse('2026-11-10T00:00:00.000Z') + h * 3_600_000).toISOString()
        const ids: Record<string, number> = {}
        const save = async (key: string, n: number, s: number, over: Partial<ArticleInput>) => {
          ids[key] = (await store.saveArticle(article(s, n, { text: `Lighthouse keepers report ${key}.`, ...over }), '2026-11-30T00:00:00.000Z')).id
        }
        await save('en1', 9101, src.id, { published: at(1), lang: 'en', author: { name: 'Odile Kwarteng', bio: null } })
        await save('en2', 9102, src.id, { published: at(30), lang: 'en-GB', author: { name: 'ODILE  KWARTENG', bio: 'Odile covers the coast.' } })
        await save('ja1', 9103, src.id, { published: at(50), lang: 'ja', author: { name: '山田 太郎', bio: null } })
        await save('other', 9104, other.id, { published: at(60), lang: 'en', author: { name: 'Odile Kwarteng', bio: null } })
        await save('nopub', 9105, src.id, { published: null, lang: 'EN', author: null })

        const list = async (q: Partial<import('./store.js').ListQuery>) => (await store.listArticles({ limit: 50, ...q })).items.map((a) => a.id)
        // The author is the slug of the name, across sources and spellings.
        assert.deepEqual(await list({ author: 'odile-kwarteng' }), [ids['other'], ids['en2'], ids['en1']])
        assert.deepEqual(await list({ author: '山田-太郎' }), [ids['ja1']])
        assert.deepEqual(await list({ author: 'nobody-at-all' }), [])
        const profile = await store.getAuthor('odile-kwarteng')
        assert.equal(profile?.name, 'Odile Kwarteng')
        assert.equal(profile?.bio, 'Odile covers the coast.', 'a bio from any spelling')
        assert.equal(await store.getAuthor('nobody-at-all'), null)

        // Language: the tag or a regional variant of it, whatever the case.
        assert.deepEqual(await list({ sourceId: src.id, lang: 'en' }), [ids['nopub'], ids['en2'], ids['en1']])
        assert.deepEqual(await list({ sourceId: src.id, lang: 'ja' }), [ids['ja1']])
        assert.deepEqual(await list({ sourceId: src.id, lang: 'e' }), [], 'not a prefix of the tag')
        // Time: published, else fetched (nopub was fetched 2026-11-30); since included, until not.
        assert.deepEqual(await list({ sourceId: src.id, since: at(30), until: at(50) }), [ids['en2']])
        assert.deepEqual(await list({ sourceId: src.id, since: '2026-11-29T00:00:00.000Z' }), [ids['nopub']])
        assert.deepEqual(await list({ author: 'odile-kwarteng', lang: 'en', until: at(60) }), [ids['en2'], ids['en1']])

        // Keyset pages under a filter: every match once, in order.
        const seen: number[] = []
        let cursor: string | null = null
        do {
          const page = await store.listArticles({ limit: 1, author: 'odile-kwarteng', cursor })
          seen.push(...page.items.map((a) => a.id))
          cursor = page.next
        } while (cursor)
        assert.deepEqual(seen, [ids['other'], ids['en2'], ids['en1']])

        // Search honours the same filters.
        const search = async (q: Partial<import('./store.js').SearchQuery>) =>
          (await store.searchArticles({ query: 'lighthouse keepers', limit: 50, ...q })).items.map((a) => a.id).sort((x, y) => x - y)
        const sorted = (...xs: (number | undefined)[]) => (xs as number[]).sort((x, y) => x - y)
        assert.deepEqual(await search({ sourceId: src.id }), sorted(ids['en1'], ids['en2'], ids['ja1'], ids['nopub']))
        assert.deepEqual(await search({ sourceId: src.id, lang: 'en' }), sorted(ids['en1'], ids['en2'], ids['nopub']))
        assert.deepEqual(await search({ lang: 'ja', since: at(0) }), sorted(ids['ja1']))
        assert.deepEqual(await search({ since: at(30), until: at(61) }), sorted(ids['en2'], ids['ja1'], ids['other']))
        const first = await store.searchArticles({ query: 'lighthouse keepers', limit: 2, sourceId: src.id, lang: 'en' })
        assert.equal(first.items.length, 2)
        const second = await store.searchArticles({ query: 'lighthouse keepers', limit: 2, sourceId: src.id, lang: 'en', cursor: first.next })
        assert.deepEqual(sorted(...first.items.map((a) => a.id), ...second.items.map((a) => a.id)), sorted(ids['en1'], ids['en2'], ids['nopub']))
        assert.equal(second.next, null)
      })

      test('busy hashtags count the recent articles, most first', async () => {
        const src = (await store.addSource({ kind: 'feed', url: 'https://busy.example/feed.xml', title: 'Busy' }, T0)).source
        const tag = (...x: string[]) => x.map((slug) => ({ slug, label: slug.toUpperCase() }))
        const now = '2031-01-10T00:00:00.000Z'
        const at = (d: number) => new Date(Date.parse(now) - d * 86_400_000).toISOString()
        await store.saveArticle(article(src.id, 9201, { published: at(1), tags: tag('zz-tide', 'zz-pier') }), now)
        await store.saveArticle(article(src.id, 9202, { published: at(1), tags: tag('zz-tide') }), now)
        await store.saveArticle(article(src.id, 9203, { published: at(2), tags: tag('zz-tide', 'zz-pier') }), now)
        await store.saveArticle(article(src.id, 9204, { published: at(20), tags: tag('zz-old', 'zz-old2') }), now)
        const busy = await store.busyTags({ since: at(3), limit: 10 })
        assert.deepEqual(busy.map((t) => [t.slug, t.count]), [['zz-tide', 3], ['zz-pier', 2]])
        assert.equal(busy[0]?.label, 'ZZ-TIDE')
        assert.deepEqual((await store.busyTags({ since: at(3), limit: 1 })).map((t) => t.slug), ['zz-tide'])
        assert.deepEqual((await store.busyTags({ since: at(3), limit: 10, window: 1 })).map((t) => [t.slug, t.count]), [['zz-tide', 1]], 'only the newest article (9202) counted')
      })

      test('saved searches belong to their reader, are renamed and deleted only by them, and are found by feed token', async () => {
        const ana = (await store.createUser({ name: 'saver-ana', passwordHash: 'x', role: 'reader' }, T0))!
        const ben = (await store.createUser({ name: 'saver-ben', passwordHash: 'x', role: 'reader' }, T0))!
        const s = await store.createSavedSearch({ userId: ana.id, name: 'Ferries', query: 'ferry -storm', sourceId: 7, lang: 'ja', from: '2026-11-01', to: '2026-11-30', feedToken: 'tok-ana-1' }, T0)
        await store.createSavedSearch({ userId: ana.id, name: 'Japanese', query: '', sourceId: null, lang: 'ja', from: null, to: null, feedToken: 'tok-ana-2' }, T1)
        assert.deepEqual({ ...s, id: 0 }, { id: 0, userId: ana.id, name: 'Ferries', query: 'ferry -storm', sourceId: 7, lang: 'ja', from: '2026-11-01', to: '2026-11-30', feedToken: 'tok-ana-1', createdAt: T0 })
        assert.deepEqual((await store.listSavedSearches(ana.id)).map((x) => x.name), ['Ferries', 'Japanese'])
        assert.deepEqual(await store.listSavedSearches(ben.id), [])
        assert.equal(await store.renameSavedSearch(s.id, ben.id, 'Mine now'), false, 'not his')
        assert.equal(await store.deleteSavedSearch(s.id, ben.id), false)
        assert.equal(await store.renameSavedSearch(s.id, ana.id, 'Harbor ferries'), true)
        assert.equal((await store.findSavedSearchByToken('tok-ana-1'))?.name, 'Harbor ferries')
        assert.equal(await store.findSavedSearchByToken('tok-ana-x'), null)
        assert.equal(await store.findSavedSearchByToken(''), null)
        assert.equal(await store.deleteSavedSearch(s.id, ana.id), true)
        assert.equal(await store.findSavedSearchByToken('tok-ana-1'), null)
        assert.deepEqual((await store.listSavedSearches(ana.id)).map((x) => x.name), ['Japanese'])
      })
    })

    describe('stored pages', () => {
      const page = (id: number, articleId: number, sourceId: number, storyId: number | null, over: Partial<StoredPage> = {}): StoredPage => ({
        id, key: `en en auto /articles/${articleId}`, articleId, sourceId, storyId, build: 'b1',
        body: new Uint8Array([31, 139, 8, 0, 1, 2, 3, 255]), headers: { 'content-type': 'text/html; charset=UTF-8', vary: 'Accept-Encoding' },
        etag: `"e${id}"`, renderedAt: Date.parse(T0), freshUntil: Date.parse(T1), ...over,
      })
      const put = async (p: StoredPage) => store.putStoredPage(p, await store.storedPagesEpoch())
      const has = async (id: number) => (await store.getStoredPage(id)) !== null

      test('a page is stored, read back whole by its id (beyond 32 bits) and replaced; not when a page was dropped since its rendering began', async () => {
        const { source } = await store.addSource({ kind: 'feed', url: 'https://pages.example/feed', title: 'Pages' }, T0)
        const a = await store.saveArticle(article(source.id, 9101), T0)
        const id = 2 ** 40 + 17
        assert.equal(await put(page(id, a.id, source.id, null)), true)
        assert.deepEqual(await store.getStoredPage(id), { ...page(id, a.id, source.id, null), body: (await store.getStoredPage(id))!.body })
        assert.deepEqual([...(await store.getStoredPage(id))!.body], [31, 139, 8, 0, 1, 2, 3, 255], 'the bytes as stored')
        assert.equal(await store.getStoredPage(id + 1), null)
        assert.equal(await put(page(id, a.id, source.id, null, { etag: '"v2"', body: new Uint8Array([9]) })), true)
        assert.equal((await store.getStoredPage(id))?.etag, '"v2"')
        assert.deepEqual([...(await store.getStoredPage(id))!.body], [9])

        // Rendering began, then a write dropped pages (here: a comment elsewhere): what was rendered is not kept.
        const epoch = await store.storedPagesEpoch()
        const u = (await store.createUser({ name: 'pages-commenter', passwordHash: 'h', role: 'reader' }, T0))!
        await store.addComment({ subject: 'article', subjectId: 999_999, parentId: null, userId: u.id, body: 'Hi', status: 'visible', statusReason: null }, T1)
        assert.ok(await store.storedPagesEpoch() > epoch, 'the drop counter moved')
        assert.equal(await store.putStoredPage(page(id, a.id, source.id, null, { etag: '"v3"' }), epoch), false)
        assert.equal((await store.getStoredPage(id))?.etag, '"v2"')
        assert.equal(await store.clearStoredPages() >= 1, true)
        assert.equal(await has(id), false)
      })

      test('a page goes when what it shows changes, whoever writes it; fetch bookkeeping leaves it', async () => {
        const { source } = await store.addSource({ kind: 'feed', url: 'https://drops.example/feed', title: 'Drops' }, T0)
        const { source: other } = await store.addSource({ kind: 'feed', url: 'https://drops-other.example/feed', title: 'Other' }, T0)
        const a = await store.saveArticle(article(source.id, 9201), T0)
        const b = await store.saveArticle(article(source.id, 9202), T0)
        const c = await store.saveArticle(article(other.id, 9203), T0)
        const fill = async () => {
          await store.clearStoredPages()
          for (const [i, x] of [a, b, c].entries()) {
            const full = await store.getArticle(x.id)
            assert.equal(await put(page(5000 + i, x.id, full!.sourceId, full!.storyId)), true)
          }
        }
        const left = () => Promise.all([5000, 5001, 5002].map(has))

        await fill()
        await store.updateSource(source.id, { lastFetchedAt: T1, etag: '"x"', errorCount: 0, nextCheckAt: T1 })
        assert.deepEqual(await left(), [true, true, true], 'a poll of the source changes nothing a page shows')
        await store.updateSource(source.id, { title: 'Drops Daily' })
        assert.deepEqual(await left(), [false, false, true], 'the source renamed: its articles’ pages go')

        await fill()
        await store.saveArticle(article(source.id, 9201, { title: 'Article 9201, corrected', itemHash: 'h9201b' }), T1)
        assert.deepEqual(await left(), [false, true, true], 'an edit')

        await fill()
        await store.saveArticle(article(source.id, 9202, { tags: [{ slug: 'ferries', label: 'Ferries' }] }), T1)
        assert.deepEqual(await left(), [true, false, true], 'new hashtags')

        await fill()
        const u = (await store.createUser({ name: 'drops-commenter', passwordHash: 'h', role: 'reader' }, T0))!
        const cm = await store.addComment({ subject: 'article', subjectId: c.id, parentId: null, userId: u.id, body: 'Hi', status: 'visible', statusReason: null }, T1)
        assert.deepEqual(await left(), [true, true, false], 'a comment')
        await fill()
        await store.addComment({ subject: 'story', subjectId: c.id, parentId: null, userId: u.id, body: 'On the story', status: 'visible', statusReason: null }, T1)
        assert.deepEqual(await left(), [true, true, true], 'a comment on a story is not on an article page')
        assert.ok(cm.id > 0)

        await fill()
        await store.placeInStory(a.id, { storyId: null, duplicateOf: null, similarity: 1, placedBy: 'content' }, T1)
        assert.deepEqual(await left(), [false, true, true], 'placed in a story')
        await fill()
        await store.placeInStory(c.id, { storyId: a.id, duplicateOf: null, similarity: 0.5, placedBy: 'content' }, T1)
        assert.deepEqual(await left(), [false, true, false], 'another source joins the story: every member’s coverage changed')

        await fill()
        await store.setSetting('registration', 'open')
        assert.deepEqual(await left(), [false, false, false], 'a site setting')

        await fill()
        await store.deleteArticle(b.id, T1)
        assert.equal(await has(5001), false, 'a deleted article')
      })

      test('pages to render: window by window, newest first, those missing, stale or of another build', async () => {
        const { source } = await store.addSource({ kind: 'feed', url: 'https://render.example/feed', title: 'Render' }, T0)
        await store.clearStoredPages()
        const ids: number[] = []
        // Far in the future, so these are the newest of the suite's articles.
        for (let n = 0; n < 7; n++) ids.push((await store.saveArticle(article(source.id, 9300 + n, { published: `2090-01-0${n + 1}T00:00:00.000Z` }), '2090-02-01T00:00:00.000Z')).id)
        const newest = [...ids].reverse()
        const now = Date.parse(T0) + 3_600_000
        const prefix = 'en en auto /articles/'
        const stored = (id: number, over: Partial<StoredPage> = {}) => put({ ...page(7000 + id, id, source.id, null), key: prefix + id, ...over })
        await stored(newest[0]!)
        await stored(newest[1]!, { freshUntil: now - 1 })
        await stored(newest[2]!, { build: 'b0' })
        await stored(newest[3]!)
        const first = await store.pagesToRender({ keyPrefix: prefix, build: 'b1', now, cursor: null, window: 5 })
        assert.deepEqual(first.ids, [newest[1], newest[2], newest[4]], 'stale, another build’s and missing, newest first')
        assert.ok(first.next)
        const second = await store.pagesToRender({ keyPrefix: prefix, build: 'b1', now, cursor: first.next, window: 5 })
        assert.deepEqual(second.ids.slice(0, 2), [newest[5], newest[6]], 'the window after the first')
        assert.ok(!second.ids.includes(newest[0]!))
        assert.deepEqual((await store.pagesToRender({ keyPrefix: 'ja ja auto /articles/', build: 'b1', now, cursor: null, window: 2 })).ids, [newest[0], newest[1]], 'another variant’s pages are its own')
        const all = await store.pagesToRender({ keyPrefix: prefix, build: 'b1', now, cursor: 'not a cursor', window: 10_000 })
        assert.equal(all.next, null, 'the last window')
        assert.deepEqual(all.ids.slice(0, 3), first.ids)
        const counts = await store.storedPageCounts({ build: 'b1', now })
        assert.equal(counts.pages, 4)
        assert.equal(counts.fresh, 2)
        assert.equal(counts.bytes, 4 * 8)
      })
    })
  })
}
