import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DialectSpec } from '../dialects/dialect.js'
import { openSqlite, sqliteSpec } from '../dialects/sqlite.js'
import { openPostgres, postgresSpec } from '../dialects/postgres.js'
import { KyselyStore } from '../kysely-store.js'
import { MIGRATIONS } from './index.js'
import { m004IdentityRevisions } from './004-identity-revisions.js'

/**
 * An install upgraded to migration 4 recognises the articles it stored before: their URL keys are
 * filled in, so a refresh that sees a tracking-tagged or re-identified link finds them.
 */
async function upgradeKeepsIdentity(db: Kysely<any>, d: DialectSpec) {
  for (const m of MIGRATIONS.filter((x) => x.version < 4)) await m.up(db, d)
  const T = '2026-11-20T08:00:00.000Z'
  const source = await db.insertInto('sources').values({ kind: 'feed', url: 'https://old.example/feed', title: 'Old', next_check_at: T, created_at: T })
    .returning('id').executeTakeFirstOrThrow()
  const row = (n: number, url: string, canonical: string | null) => ({
    source_id: source.id, guid: `old-${n}`, url, canonical_url: canonical, title: `Old ${n}`, fetched_at: T, sort_at: T,
    blocks: '[]', text: `Text ${n}.`, html: `<p>Text ${n}.</p>`, captions: '[]', alt_links: '[]', item_hash: `h${n}`,
  })
  // More rows than one backfill batch (500), so every batch is covered.
  const rows = Array.from({ length: 520 }, (_, i) => row(i + 10, `https://old.example/bulk/${i}`, null))
  rows.unshift(row(1, 'https://www.old.example/news/ferry/', 'https://old.example/news/ferry-returns'), row(2, 'https://old.example/', null))
  for (let i = 0; i < rows.length; i += 100) await db.insertInto('articles').values(rows.slice(i, i + 100)).execute()

  await m004IdentityRevisions.up(db, d)

  const keyed = await db.selectFrom('articles').select(['guid', 'url_key', 'canonical_key']).orderBy('id').execute()
  assert.deepEqual(keyed[0], { guid: 'old-1', url_key: 'old.example/news/ferry', canonical_key: 'old.example/news/ferry-returns' })
  assert.deepEqual(keyed[1], { guid: 'old-2', url_key: null, canonical_key: null }, 'a front page has no key')
  assert.equal(keyed.filter((r) => r.url_key !== null).length, 521, 'every article after the first batch too')
  assert.equal(keyed.at(-1)?.url_key, 'old.example/bulk/519')

  const store = new KyselyStore(db, d)
  const ref = await store.findArticleRef({ sourceId: source.id, guid: 'new-guid', url: 'http://old.example/news/ferry?utm_source=rss' })
  assert.equal(ref?.guid, 'old-1')
  assert.equal(ref?.matchedBy, 'url')
  const byCanonical = await store.findArticleRef({ sourceId: source.id, guid: 'g', url: 'https://old.example/amp/1', canonicalUrl: 'https://old.example/news/ferry-returns' })
  assert.equal(byCanonical?.guid, 'old-1')
  assert.equal(await store.findArticleRef({ sourceId: source.id, guid: 'g', url: 'https://old.example/?utm_source=x' }), null)
}

test('migration 4 on SQLite fills the URL keys of articles stored before it', async () => {
  const db = openSqlite('sqlite::memory:')
  try {
    await upgradeKeepsIdentity(db, sqliteSpec)
  } finally {
    await db.destroy()
  }
})

const pgUrl = process.env.TEST_DATABASE_URL
test('migration 4 on Postgres fills the URL keys of articles stored before it', { skip: pgUrl ? false : 'TEST_DATABASE_URL is not set' }, async () => {
  const schema = `t_${randomBytes(4).toString('hex')}`
  const db = openPostgres(pgUrl!, { schema })
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
    await upgradeKeepsIdentity(db, postgresSpec)
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db)
    await db.destroy()
  }
})
