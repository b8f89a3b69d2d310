/**
 * The web benchmark's database: N synthetic articles bulk-loaded into a fresh SQLite file, as ingest
 * would leave them (blocks, text, html, an author with a bio, 3–6 hashtags with Zipf popularity, stored
 * enrichment, the first of every fifteen articles starting a story of 2–5 and the rest each alone in one,
 * as ingest places every article). Made-up words only (bench-scale's lexicon).
 */
import { existsSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { openStore } from '../../src/store/open-store.js'
import { mix, nameOf, prng, synthArticle, type Lexicon, type SynthOptions } from '../bench-scale/synth.js'

export interface LoadOptions {
  path: string
  articles: number
  sources: number
  authors: number
  tags: number
  seed: number
  log: (line: string) => void
}

export interface LoadResult {
  seconds: number
  bytes: number
  /** Stories of two articles or more. */
  stories: number
  meanWords: number
  /** Words that occur in many articles, for the search row. */
  searchWords: string[]
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1)
/** Stories: every block of STORY_BLOCK articles starts with one story of 2–5 of them. */
const STORY_BLOCK = 15

export async function loadArticles(lex: Lexicon, o: LoadOptions): Promise<LoadResult> {
  const t0 = performance.now()
  // The real migrations make the schema; rows then go in through one prepared statement per table.
  await (await openStore(`sqlite:${o.path}`)).close()
  const db = new Database(o.path)
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  const saved = db.prepare(`select type, name, sql from sqlite_master where tbl_name in ('articles', 'article_tags') and type in ('index', 'trigger') and sql is not null`).all() as { type: string; name: string; sql: string }[]
  for (const s of saved) db.exec(`drop ${s.type} ${s.name}`)

  const epoch = Date.now()
  const now = new Date(epoch).toISOString()
  const rand = prng(o.seed)
  const insSource = db.prepare(`insert into sources (id, kind, url, site_url, title, description, language, next_check_at, created_at, last_success_at) values (?, 'feed', ?, ?, ?, ?, 'en', ?, ?, ?)`)
  const insAuthor = db.prepare(`insert into authors (id, name, bio) values (?, ?, ?)`)
  const insTag = db.prepare(`insert into tags (id, slug, label) values (?, ?, ?)`)
  const tagWords = lex.words.slice(40, 40 + o.tags)
  db.transaction(() => {
    for (let s = 1; s <= o.sources; s++) {
      insSource.run(s, `https://outlet${s}.example/feed.xml`, `https://outlet${s}.example/`, `${cap(lex.words[200 + s]!)} ${cap(lex.words[700 + s]!)} News`, `News from outlet ${s}.`, now, now, now)
    }
    for (let k = 1; k <= o.authors; k++) {
      const bio = `${nameOf(k + 900_000)} writes about ${lex.words[100 + (k % 500)]} and ${lex.words[300 + (k % 700)]} for outlet ${1 + (k % o.sources)}.`
      insAuthor.run(k, `${nameOf(k + 800_000)} ${nameOf(k + 900_000)}`, bio)
    }
    tagWords.forEach((w, i) => insTag.run(i + 1, w, cap(w)))
  })()

  const insArticle = db.prepare(`insert into articles (id, source_id, guid, url, url_key, title, author_id, published, fetched_at, sort_at, lang, summary, blocks, text, html, captions, alt_links, item_hash, story_id, story_similarity, placed_by, enrichment)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'en', ?, ?, ?, ?, '[]', '[]', ?, ?, ?, ?, ?)`)
  const insAT = db.prepare(`insert or ignore into article_tags (article_id, tag_id) values (?, ?)`)
  const insStory = db.prepare(`insert into stories (id, title, first_at, last_at, article_count, source_count, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)`)
  // A few hundred words, as a news article is (the page-budget test covers the ~1,200-word case).
  const synth: SynthOptions = { seed: o.seed, minWords: 250, maxWords: 900, namePool: Math.max(1000, Math.floor(o.articles / 4)) }
  // Zipf over tags: a few are on many articles (what makes "articles sharing tags" costly).
  const tagZipf = (r: () => number) => Math.min(o.tags - 1, Math.floor(Math.pow(o.tags + 1, r()) - 1))
  let words = 0
  let stories = 0
  const batch = 2000
  for (let from = 0; from < o.articles; from += batch) {
    const to = Math.min(o.articles, from + batch)
    db.transaction(() => {
      for (let i = from; i < to; i++) {
        const id = i + 1
        const a = synthArticle(lex, synth, i)
        const r = prng(mix(o.seed ^ 0x3b, i))
        const at = new Date(epoch - i * 30_000).toISOString()
        const source = 1 + (mix(i, 7) % o.sources)
        const blockStart = i - (i % STORY_BLOCK)
        const storySize = 2 + (mix(blockStart, 13) % 4)
        // The rest are alone in a story of their own, as ingest leaves every article it places.
        const storyId = i % STORY_BLOCK < storySize ? blockStart + 1 : id
        if (storyId === id) {
          const members = storyId === blockStart + 1 ? Math.min(storySize, o.articles - i) : 1
          insStory.run(storyId, a.title, new Date(epoch - (i + members - 1) * 30_000).toISOString(), at, members, members, now, now)
          if (members > 1) stories++
        }
        const text = a.paragraphs.join('\n\n')
        words += text.split(' ').length
        const blocks = a.paragraphs.map((p, k) => (k > 0 && k % 4 === 0 ? [{ type: 'h2', text: p.split(' ').slice(0, 5).join(' ') }, { type: 'p', text: p }] : [{ type: 'p', text: p }])).flat()
        const html = blocks.map((b) => `<${b.type}>${esc(b.text)}</${b.type}>`).join('\n')
        const nTags = 3 + Math.floor(r() * 4)
        const tagIds = new Set<number>()
        while (tagIds.size < nTags) tagIds.add(1 + tagZipf(r))
        const sentences = a.paragraphs.join(' ').split(/(?<=[.?]) /)
        const enrichment = {
          lang: 'en', summary: sentences.slice(0, 3), keyPoints: sentences.slice(3, 6),
          keyphrases: [...tagIds].map((t) => tagWords[t - 1]!),
          hashtags: [...tagIds].map((t) => ({ slug: tagWords[t - 1]!, label: cap(tagWords[t - 1]!) })),
          entities: { people: a.names, organizations: [`Outlet ${source}`], places: [] },
          readingMinutes: Math.max(1, Math.round(text.split(' ').length / 230)),
        }
        const url = `https://outlet${source}.example/${at.slice(0, 10)}/${i}`
        insArticle.run(id, source, `bench-${i}`, url, url, a.title, 1 + (mix(i, 5) % o.authors), at, at, at,
          sentences[0]!, JSON.stringify(blocks), text, html, (mix(i, 11) >>> 0).toString(16).padStart(8, '0'),
          storyId, storyId === id ? 1 : 0.6 + 0.3 * r(), 'content', JSON.stringify(enrichment))
        for (const t of tagIds) insAT.run(id, t)
      }
    })()
    await new Promise((r) => setImmediate(r)) // lets Ctrl-C's clean-up run between batches
    if ((to / batch) % 10 === 0 || to === o.articles) o.log(`    ${to.toLocaleString('en')} articles inserted`)
  }
  for (const s of saved.filter((x) => x.type === 'index')) db.exec(s.sql)
  db.exec(`insert into articles_fts(articles_fts) values ('rebuild')`)
  for (const s of saved.filter((x) => x.type === 'trigger')) db.exec(s.sql)
  db.exec('analyze')
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  const bytes = statSync(o.path).size + (existsSync(`${o.path}-wal`) ? statSync(`${o.path}-wal`).size : 0)
  // Search terms: words from the middle of the frequency range (present in hundreds of articles, not all).
  const searchWords = Array.from({ length: 50 }, () => lex.words[300 + Math.floor(rand() * 2000)]!)
  return { seconds: (performance.now() - t0) / 1000, bytes, stories, meanWords: words / o.articles, searchWords }
}
