import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { openStore } from './open-store.js'
import { rawDb } from './raw-db.js'
import { article } from './store.contract.js'
import type { StoredPage } from './store.js'

const T0 = '2026-11-20T10:00:00.000Z'

test('stored pages are read without waiting from a SQLite file: what was last committed, beside a write in progress', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-reader-'))
  const store = await openStore(`sqlite:${join(dir, 't.db')}`)
  try {
    const { source } = await store.addSource({ kind: 'feed', url: 'https://reader.example/feed', title: 'Reader' }, T0)
    const a = await store.saveArticle(article(source.id, 1), T0)
    const id = 2 ** 40 + 5
    const page: StoredPage = {
      id, key: `en en auto /articles/${a.id}`, articleId: a.id, sourceId: source.id, storyId: null, build: 'b1',
      body: new Uint8Array([31, 139, 8, 0, 7, 7]), headers: { 'content-type': 'text/html; charset=UTF-8', vary: 'Accept-Encoding' },
      etag: '"e1"', renderedAt: Date.parse(T0), freshUntil: Date.parse(T0) + 60_000,
    }
    const read = store.storedPageReader()
    assert.ok(read, 'a file has a reader')
    assert.equal(read(id), null, 'nothing stored yet')
    assert.equal(await store.putStoredPage(page, await store.storedPagesEpoch()), true)
    const got = read(id)!
    assert.deepEqual({ ...got, body: [...got.body] }, { key: page.key, build: 'b1', body: [31, 139, 8, 0, 7, 7], headers: page.headers, etag: '"e1"', freshUntil: page.freshUntil })
    assert.equal(read(id + 1), null)

    // A write holds the main connection (a transaction not yet committed): the reader neither waits nor sees it.
    let commit!: () => void
    const held = new Promise<void>((r) => { commit = r })
    let written!: () => void
    const inside = new Promise<void>((r) => { written = r })
    const tx = rawDb(store).transaction().execute(async (trx) => {
      await sql`update stored_pages set etag = '"e2"' where id = ${id}`.execute(trx)
      written()
      await held
    })
    await inside
    assert.equal(read(id)?.etag, '"e1"', 'the last commit, during the write')
    commit()
    await tx
    assert.equal(read(id)?.etag, '"e2"', 'the write, once committed')

    assert.equal((await openStore('sqlite::memory:').then(async (m) => { const r = m.storedPageReader(); await m.close(); return r })), null, 'an in-memory database has none (another connection would open another database)')
    await store.close()
    assert.throws(() => read(id), 'closed with the store')
  } finally {
    await store.close().catch(() => {})
    rmSync(dir, { recursive: true, force: true })
  }
})
