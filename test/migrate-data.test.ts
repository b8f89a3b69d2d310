import { test, describe, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { sql } from 'kysely'
import { loadConfig } from '../src/config/config.js'
import { buildApp } from '../src/app.js'
import { openStore } from '../src/store/open-store.js'
import { openSqlite } from '../src/store/dialects/sqlite.js'
import { openPostgres } from '../src/store/dialects/postgres.js'
import { checksumTables, referenceSchema } from '../src/store/copy-data.js'
import { hashPassword } from '../src/web/auth/password.js'
import { migrateDataCommand } from '../src/cli/migrate-data.js'
import type { Store } from '../src/store/store.js'
import type { Article, Comment, Revision, StoryDetail } from '../src/domain/types.js'

/** Runs the real CLI (through tsx) and collects its output and exit code. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DEMO: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/** What a reader and an operator would look at, read through the Store from one install. */
async function snapshot(store: Store) {
  const list = await store.listArticles({ limit: 500 })
  const articles = (await Promise.all(list.items.map((a) => store.getArticle(a.id)))).filter((a): a is Article => a !== null)
  const revisions: Record<number, Revision[]> = {}
  const comments: Record<number, Comment[]> = {}
  const stories: Record<number, StoryDetail | null> = {}
  for (const a of articles) {
    revisions[a.id] = await store.listRevisions(a.id)
    comments[a.id] = await store.listComments('article', a.id, { withHeld: true, withHidden: true })
    if (a.storyId !== null && !(a.storyId in stories)) stories[a.storyId] = await store.getStory(a.storyId)
  }
  return tagsSorted({
    articles, revisions, comments, stories,
    sources: (await store.listSources()).map((s) => ({ ...s })),
    users: await store.listUsers({ limit: 100 }),
    webSubs: await store.listWebSubs(),
    aiTasks: await store.listAiTasks({ limit: 100 }),
    queue: await store.moderationQueue({ limit: 100 }),
  })
}

/**
 * Every `tags` list in slug order by code point: the store orders tags by slug in the database's
 * collation, so an en-US Postgres lists "Économie" before "Emploi" where SQLite puts it last.
 */
function tagsSorted<T>(v: T): T {
  return JSON.parse(JSON.stringify(v), (key, value) => key === 'tags' && Array.isArray(value)
    ? [...value].sort((a: { slug: string }, b: { slug: string }) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
    : value) as T
}

/** The tables this install fills (through the demo and the Store API), so each is seen copied with rows. */
const FILLED = [
  'sources', 'authors', 'articles', 'revisions', 'tags', 'article_tags', 'settings', 'article_tombstones', 'websub_subscriptions',
  'stories', 'story_decisions', 'ai_tasks', 'users', 'sessions', 'comments', 'comment_reports', 'rate_limits', 'fetch_log',
]

/** The command in this process (for the cases that need no real exit code), with what it printed. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await migrateDataCommand(args, (l) => (stdout += `${l}\n`), (l) => (stderr += `${l}\n`))
  return { code, stdout, stderr }
}

const pgUrl = process.env.TEST_DATABASE_URL
if (!pgUrl) {
  test('migrate-data from SQLite to Postgres', { skip: 'TEST_DATABASE_URL is not set' }, () => {})
} else {
describe('migrate-data: a demo install with readers moves from SQLite to Postgres', () => {
  const dbName = `tidings_migrate_test_${randomBytes(4).toString('hex')}`
  const target = new URL(pgUrl)
  target.pathname = `/${dbName}`
  const targetUrl = target.toString()
  const tmp = mkdtempSync(join(tmpdir(), 'tidings-migrate-'))
  const sourceUrl = `sqlite:${join(tmp, 'tidings.db')}`
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: pgUrl })
    await c.connect()
    try {
      await c.query(q)
    } finally {
      await c.end()
    }
  }
  let before_: Awaited<ReturnType<typeof snapshot>>
  let adaHash: string
  let firstRun: Awaited<ReturnType<typeof cli>>

  before(async () => {
    // A collation that orders text unlike SQLite's bytewise one (as en_US does on most servers), so the
    // checksums depend on both sides reading text keys in the same order.
    await admin(`create database ${dbName} template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`)
      .catch(() => admin(`create database ${dbName}`))
    const app = await buildApp(loadConfig({ DATA_DIR: tmp, DEMO: '1', DEMO_PORT: '0', SCHEDULER: '0', FETCH_PER_HOST_INTERVAL_MS: '0' }), { schedule: false })
    try {
      await app.scheduler.tick()
      const store = app.store
      const now = '2026-11-21T09:30:00.000Z'
      const list = (await store.listArticles({ limit: 200 })).items
      assert.ok(list.length >= 24, `the demo ingested ${list.length} articles`)

      adaHash = await hashPassword('correct horse battery')
      const ada = (await store.createUser({ name: 'Ada', passwordHash: adaHash, role: 'admin' }, now))!
      const emile = (await store.createUser({ name: 'Émile', passwordHash: await hashPassword('une autre phrase'), role: 'reader' }, now))!
      const troll = (await store.createUser({ name: 'troll', passwordHash: await hashPassword('whatever it was'), role: 'reader' }, now))!
      await store.updateUser(troll.id, { bannedAt: now, banReason: 'spam' }, now)
      await store.createSession({ id: createHash('sha256').update('cookie token').digest('hex'), userId: ada.id, createdAt: now, lastSeenAt: now, expiresAt: '2026-12-21T09:30:00.000Z' })

      const [first, second] = list
      const top = await store.addComment({ subject: 'article', subjectId: first!.id, parentId: null, userId: ada.id, body: 'Who measured the **tides**?', status: 'visible', statusReason: null }, now)
      const reply = await store.addComment({ subject: 'article', subjectId: first!.id, parentId: top.id, userId: emile.id, body: 'Le bureau côtier — en 2026.', status: 'visible', statusReason: null }, '2026-11-21T09:31:00.000Z')
      await store.addComment({ subject: 'article', subjectId: first!.id, parentId: null, userId: troll.id, body: 'buy now http://x.example', status: 'held', statusReason: 'first_comment' }, now)
      await store.reportComment(reply.id, ada.id, 'off topic', now)
      const storyId = (await store.getArticle(second!.id))!.storyId
      if (storyId !== null) await store.addComment({ subject: 'story', subjectId: storyId, parentId: null, userId: emile.id, body: 'On the story', status: 'visible', statusReason: null }, now)

      await store.setSetting('site.title', 'Harbour desk')
      for (const key of ['Zeta.key', 'alpha.key', '_x', 'Émile.key', 'beta']) await store.setSetting(key, key.toUpperCase())
      await store.requestAiTask({ subject: 'article', subjectId: first!.id, feature: 'summary', model: 'tiny-1', lang: 'en', inputKey: 'k1' }, { input: 'text', now })
      const [claimed] = await store.claimAiTasks({ now, leaseUntil: '2026-11-21T09:35:00.000Z', limit: 1 })
      await store.finishAiTask(claimed!.id, { status: 'done', result: { text: 'A summary.' }, promptTokens: 120, completionTokens: 30, latencyMs: 850 }, now)
      await store.hitRateLimit('login:ada', 15 * 60_000, now)

      // A revision: the publisher rewrote the article.
      const art = (await store.getArticle(second!.id))!
      await store.saveArticle({ ...art, author: art.author && { name: art.author.name, bio: art.author.bio }, text: `${art.text}\nCorrection: the vote was 9 to 2.` }, now)
      // A tombstone: the operator deleted the newest row, so the highest id in use is below the highest given out.
      const newest = Math.max(...list.filter((a) => a.id !== first!.id && a.id !== second!.id).map((a) => a.id))
      assert.equal(newest, Math.max(...list.map((a) => a.id)))
      assert.ok(await store.deleteArticle(newest, now))
      // A split remembered as a story decision.
      const multi = (await store.recentStories({ since: '2000-01-01T00:00:00.000Z', limit: 50, minArticles: 2 }))[0]
      if (multi) {
        const story = (await store.getStory(multi.id))!
        await store.splitFromStory(story.members[story.members.length - 1]!.id, now)
      }
      const src = (await store.listSources())[0]!
      await store.putWebSub({ sourceId: src.id, hub: 'https://hub.example/', topic: src.url, token: 'tok-1', secret: 's3cret', renewAt: '2026-11-25T00:00:00.000Z' }, now)
      await store.updateWebSub(src.id, { state: 'active', verifiedAt: now, leaseSeconds: 864000, pushActiveUntil: '2026-12-01T00:00:00.000Z' })

      before_ = await snapshot(store)
    } finally {
      await app.close()
    }
    firstRun = await cli(['migrate-data', '--from', sourceUrl, '--to', targetUrl])
  })

  after(async () => {
    await admin(`drop database if exists ${dbName} with (force)`)
    rmSync(tmp, { recursive: true, force: true })
  })

  test('every table the migrations create holds rows, and each arrives with equal count and checksum', async () => {
    assert.equal(firstRun.code, 0, firstRun.stderr)
    const out = firstRun.stdout
    if (process.env.SHOW_OUTPUT) console.log(out)
    assert.match(out, /^table\s+rows\(from\)\s+rows\(to\)\s+checksum\(from\)\s+checksum\(to\)\s+ok$/m)
    assert.match(out, /^migrated \d+ rows in \d+ tables: all counts and checksums equal/m)
    const tables = await referenceSchema()
    for (const name of FILLED) assert.ok(tables.some((t) => t.name === name), name)
    for (const t of tables) {
      const line = out.split('\n').find((l) => l.startsWith(`${t.name} `))
      assert.ok(line, `a line for ${t.name}`)
      const [, from, to, sumFrom, sumTo, ok] = line.trim().split(/\s+/)
      if (FILLED.includes(t.name)) assert.ok(Number(from) > 0, `${t.name} holds rows in the demo install (the test would not see it copied otherwise)`)
      assert.equal(from, to, t.name)
      assert.equal(sumFrom, sumTo, t.name)
      assert.equal(ok, 'ok')
    }
    assert.doesNotMatch(out, /articles_fts|schema_migrations/, 'the FTS index and migration bookkeeping are not data')
  })

  test('on Postgres the install reads the same: articles, revisions, comments, stories, users, sign-in, search', async () => {
    const store = await openStore(targetUrl)
    try {
      const after_ = await snapshot(store)
      assert.deepEqual(after_, before_)
      const cred = await store.findCredentials('ADA')
      assert.equal(cred?.passwordHash, adaHash, 'Ada signs in with the same password')
      const session = await store.getSession(createHash('sha256').update('cookie token').digest('hex'))
      assert.equal(session?.user.name, 'Ada')
      const withReply = Object.values(after_.comments).find((cs) => cs.some((c) => c.parentId !== null))
      assert.ok(withReply && withReply.length === 3, 'the comment, its reply and the held one')

      const article = after_.articles.find((a) => /\p{L}{6,}/u.test(a.title))!
      const word = article.title.match(/\p{L}{6,}/u)![0]
      const found = await store.searchArticles({ query: word, limit: 50 })
      assert.ok(found.items.some((a) => a.id === article.id), `search for "${word}" finds "${article.title}"`)

      const story = Object.values(after_.stories).find((s) => s && s.members.length > 1)
      assert.ok(story, 'a story with several members')
      assert.deepEqual(story.members.map((m) => m.id), before_.stories[story.id]!.members.map((m) => m.id))

    } finally {
      await store.close()
    }
  })

  test('a second run into the now non-empty database refuses, names what it holds, and changes nothing', async () => {
    const db = openPostgres(targetUrl)
    try {
      const sumsBefore = await checksumTables(db, 'postgres')
      const r = await cli(['migrate-data', '--from', sourceUrl, '--to', targetUrl])
      assert.notEqual(r.code, 0)
      assert.match(r.stderr, /not empty: sources \(\d+\), .*articles \(\d+\)/)
      assert.match(r.stderr, /empty database/)
      assert.equal(r.stdout, '')
      assert.deepEqual(await checksumTables(db, 'postgres'), sumsBefore)
    } finally {
      await db.destroy()
    }
  })

  test('back from Postgres into a new SQLite file: the same checksums as the original, and search works', async () => {
    const back = `sqlite:${join(tmp, 'back.db')}`
    // Small batches: reading goes on after the first batch, on composite and text keys too.
    const r = await cli(['migrate-data', '--from', targetUrl, '--to', back, '--batch-size', '2'])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /all counts and checksums equal/)
    const original = openSqlite(sourceUrl)
    const copy = openSqlite(back)
    try {
      const a = await checksumTables(original, 'sqlite')
      assert.deepEqual(await checksumTables(copy, 'sqlite'), a)
      const sequences = (db: typeof copy) => sql<{ name: string; seq: number }>`select name, seq from sqlite_sequence order by name`.execute(db).then((r) => r.rows)
      assert.deepEqual(await sequences(copy), await sequences(original), 'ids continue where the original would have')
      // The checksum does see a change: one comment edited in the copy.
      await sql`update comments set body = body || '!' where id = (select min(id) from comments)`.execute(copy)
      const b = await checksumTables(copy, 'sqlite')
      for (const [table, sum] of a) {
        if (table === 'comments') assert.notEqual(b.get(table)!.checksum, sum.checksum)
        else assert.deepEqual(b.get(table), sum, table)
      }
    } finally {
      await original.destroy()
      await copy.destroy()
    }
    const store = await openStore(back)
    try {
      const a = before_.articles[0]!
      const word = a.title.match(/\p{L}{5,}/u)![0]
      assert.ok((await store.searchArticles({ query: word, limit: 50 })).items.some((x) => x.id === a.id), 'FTS rebuilt by the triggers')
    } finally {
      await store.close()
    }
  })

  test('a table no migration creates stops the copy before anything is written', async () => {
    const odd = `sqlite:${join(tmp, 'odd.db')}`
    const empty = `sqlite:${join(tmp, 'empty.db')}`
    assert.equal((await run(['--from', sourceUrl, '--to', odd])).code, 0)
    const db = openSqlite(odd)
    await sql`create table bookmarks (id integer primary key, url text)`.execute(db)
    await db.destroy()
    const r = await run(['--from', odd, '--to', empty])
    assert.equal(r.code, 1)
    assert.match(r.stderr, /table bookmarks that the copier does not know/)
    const e = openSqlite(empty)
    try {
      const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(e)).rows
      assert.deepEqual(tables, [], 'the target was not even migrated')
    } finally {
      await e.destroy()
    }
  })

  test('arguments: both databases are required, and a missing SQLite file is not created', async () => {
    const r = await run(['--from', sourceUrl])
    assert.equal(r.code, 64)
    assert.match(r.stderr, /give both databases/)
    const missing = await run(['--from', `sqlite:${join(tmp, 'nope.db')}`, '--to', targetUrl])
    assert.equal(missing.code, 64)
    assert.match(missing.stderr, /no database at/)
    assert.equal(existsSync(join(tmp, 'nope.db')), false)
    const bad = await run(['--from', 'mysql://x', '--to', targetUrl])
    assert.equal(bad.code, 64)
  })

  // Last: it adds rows.
  test('new sources, articles, users and comments on Postgres get ids after the copied ones', async () => {
    const store = await openStore(targetUrl)
    try {
      const copied = before_
      const now = '2026-11-22T10:00:00.000Z'
      const maxSource = Math.max(...copied.sources.map((s) => s.id))
      const { source } = await store.addSource({ kind: 'feed', url: 'https://new.example/feed', title: 'New' }, now)
      assert.ok(source.id > maxSource, `new source ${source.id} > ${maxSource}`)
      // Not max(id): the deleted article's id lives on in its tombstone (and maybe as a story's id).
      const maxArticle = Math.max(...(await tombstoneIds(targetUrl)))
      assert.ok(maxArticle > Math.max(...copied.articles.map((a) => a.id)))
      const tpl = copied.articles[0]!
      const saved = await store.saveArticle({ ...tpl, sourceId: source.id, guid: 'fresh-1', url: 'https://new.example/1', canonicalUrl: null, author: null, tags: [] }, now)
      assert.equal(saved.status, 'created')
      assert.ok(saved.id > maxArticle, `new article ${saved.id} > ${maxArticle}`)
      const user = await store.createUser({ name: 'newcomer', passwordHash: adaHash, role: 'reader' }, now)
      assert.ok(user!.id > Math.max(...copied.users.map((u) => u.id)))
      const c = await store.addComment({ subject: 'article', subjectId: saved.id, parentId: null, userId: user!.id, body: 'first', status: 'visible', statusReason: null }, now)
      assert.ok(c.id > Math.max(...Object.values(copied.comments).flat().map((x) => x.id)))
    } finally {
      await store.close()
    }
  })
})
}

async function tombstoneIds(url: string): Promise<number[]> {
  const db = openPostgres(url)
  try {
    return (await db.selectFrom('article_tombstones').select('article_id').execute()).map((r) => r.article_id)
  } finally {
    await db.destroy()
  }
}
