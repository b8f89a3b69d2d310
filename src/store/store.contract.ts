import { describe, test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { ArticleInput } from '../domain/types.js'
import type { Store } from './store.js'

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

    test('due sources are those whose next check has come', async () => {
      const b = await store.addSource({ kind: 'feed', url: 'https://due.example/rss' }, T0)
      assert.equal(b.source.title, 'due.example', 'title defaults to the host')
      const due = await store.dueSources('2026-11-20T12:00:00.000Z', 10)
      assert.ok(due.some((s) => s.id === b.source.id))
      assert.ok(!due.some((s) => s.url === 'https://one.example/feed.xml'), 'source checked at T1 is not due yet')
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
      assert.deepEqual(await store.findArticleRef({ sourceId: source.id, guid: 'guid-1', url: 'x' }), { id: saved.id, itemHash: 'h1' })
      assert.deepEqual(await store.findArticleRef({ sourceId: source.id, guid: 'other', url: input.url }), { id: saved.id, itemHash: 'h1' })
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
      const list = await store.listSources()
      const paged = list.find((s) => s.url === 'https://page.example/feed')
      assert.equal(paged?.articleCount, 25)
      assert.ok(paged?.latestArticleAt)
      assert.ok((await store.countArticles()) >= 25)
    })
  })
}
