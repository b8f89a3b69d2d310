import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Context } from 'hono'
import type { StoredPageToSend, Store } from '../store/store.js'
import { isLocale, relativeChangesAt, translator } from './i18n/i18n.js'
import { decodeStored, encodeStored, gzipCrc, spliceGzip, storedGzip, toTemplate } from './spliced-page.js'

/**
 * Article pages kept in the database (table `stored_pages`), behind the page cache's memory: a page a
 * reader asks for is usually there already (the warmer renders them ahead, web/page-warmer.ts), so the
 * answer is one read by primary key instead of a rendering (about 10 ms of CPU: the related list, the
 * queries, the markup). Every web process shares them.
 *
 * A page is stored as it was answered to an anonymous reader (with its headers), for one key (the
 * reader's language and theme and the article; the slug in the address is left out, as the page is the
 * same). It is stored cut at its relative times (web/spliced-page.ts), which are filled in as they read
 * when it is sent ("3 hours ago" becomes "4 hours ago" without a rendering). It is served while:
 * - it was rendered by this build with these settings (`build`);
 * - its related list is not due again (an eighth of the article's age, from 10 minutes to a day: new
 *   articles join the related lists of recent ones sooner);
 * - and nothing it shows has changed: the database's triggers drop it then (migration 015).
 */
export interface StoredPageTier {
  /**
   * The stored page for this key, fresh now; null when there is none, it is stale, or of another build.
   * Without waiting where the store can read so (SQLite: Store.storedPageReader).
   */
  get(key: string): KeptPage | null | Promise<KeptPage | null>
  /** The drop counter, read before rendering (see Store.putStoredPage). */
  epoch(): Promise<number>
  /** Stores a page rendered after `epoch` was read, for the article the route marked. */
  put(key: string, epoch: number, page: { html: string; headers: Record<string, string>; etag: string }, subject: PageSubject): Promise<boolean>
}

export interface KeptPage {
  gz: Uint8Array<ArrayBuffer>
  /** The answer's headers, without ETag, Content-Length and Content-Encoding. */
  headers: Record<string, string>
  /** Strong ETag of the page as HTML. */
  etag: string
  /** Epoch ms. */
  freshUntil: number
}

/** What a page shows, set by its route: the rows whose changes drop it. */
export interface PageSubject {
  articleId: number
  sourceId: number
  storyId: number | null
  /** When the article was published (or fetched), ISO: its related list is refreshed by its age. */
  at: string
}

const SUBJECT = 'storedPageSubject'

/** Called by a route whose page may be stored, with what the page shows. */
export function markStoredPage(c: Context, subject: PageSubject): void {
  c.set(SUBJECT as never, subject as never)
}
export function storedPageSubject(c: Context): PageSubject | undefined {
  return c.get(SUBJECT as never) as PageSubject | undefined
}

/**
 * A 48-bit hash of a string (two 32-bit multiply-xor lanes over its UTF-16 units): not for secrets, for
 * spreading keys: the table's primary key for a page key. Two keys that meet share a row in turn (the key
 * itself is compared on reading).
 */
export function hash48(s: string): number {
  let a = 0x9e3779b9, b = 0x85ebca6b
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35)
  b = Math.imul(b ^ (b >>> 16), 0x27d4eb2f) ^ Math.imul(a ^ (a >>> 15), 0x165667b1)
  return (b & 0xffff) * 0x1_0000_0000 + (a >>> 0)
}

const MIN = 60_000
const RELATED_MIN_MS = 10 * MIN
const RELATED_MAX_MS = 24 * 60 * MIN

/** When the related list of a page rendered at `now` is due again: an eighth of the article's age, from 10 minutes to a day. */
export function relatedDue(o: { now: number; at: string }): number {
  const published = Date.parse(o.at)
  const age = Number.isNaN(published) ? 0 : Math.max(0, o.now - published)
  return o.now + Math.min(RELATED_MAX_MS, Math.max(RELATED_MIN_MS, age / 8))
}

/**
 * The times' texts as they read at `now` in the page's language (the key's first word), and until when
 * they all do.
 */
function textsAt(key: string, times: number[], now: number): { texts: string[]; until: number } {
  const locale = key.slice(0, key.indexOf(' '))
  const tr = translator(isLocale(locale) ? locale : 'en')
  const at = new Date(now)
  const texts: string[] = []
  let until = Infinity
  for (const t of times) {
    texts.push(tr.relative(t, at))
    if (!Number.isNaN(t)) until = Math.min(until, relativeChangesAt(t, now))
  }
  return { texts, until }
}

/** `build` is asked for when a page is first read or stored (it hashes the code: not on every start of a command). */
export function createStoredPages(o: { store: Store; build: () => string; now: () => number; onError?: (message: string, e: unknown) => void }): StoredPageTier {
  const fail = (message: string) => (e: unknown) => {
    o.onError?.(message, e)
    return null
  }
  /** The store's synchronous reader, once asked for (null: it has none). */
  let readNow: ((id: number) => StoredPageToSend | null) | null | undefined
  /**
   * The page as it is sent now: fresh, of this build, with its times as they read now (as stored, while
   * they read the same; else spliced in). Its ETag is the rendering's with the page's CRC (which its
   * texts change).
   */
  const kept = (p: StoredPageToSend | null, key: string): KeptPage | null => {
    const now = o.now()
    if (!p || p.key !== key || p.build !== o.build() || p.freshUntil <= now) return null
    const g = storedGzip(p.body)
    if (!g) return null
    let gz = g.gz
    let until = Math.min(p.freshUntil, g.textsUntil)
    if (g.textsUntil <= now) {
      // A time reads differently now: the pieces are decoded and the current texts spliced in.
      const s = decodeStored(p.body)
      if (!s) return null
      const t = textsAt(key, s.template.times, now)
      gz = spliceGzip(s.template, t.texts)
      until = Math.min(p.freshUntil, t.until)
    }
    return { gz, headers: p.headers, etag: `${p.etag.slice(0, -1)}-${gzipCrc(gz).toString(36)}"`, freshUntil: until }
  }
  return {
    get(key) {
      const id = hash48(key)
      if (readNow === undefined) {
        try {
          readNow = o.store.storedPageReader()
        } catch (e) {
          o.onError?.('could not open the stored pages’ read connection', e)
          readNow = null
        }
      }
      if (readNow) {
        try {
          return kept(readNow(id), key)
        } catch (e) {
          // A busy or unreadable file: the main connection is asked (it waits its turn).
          o.onError?.('could not read a stored page without waiting', e)
        }
      }
      return o.store.getStoredPage(id).catch(fail('could not read a stored page')).then((p) => kept(p, key))
    },
    epoch: async () => (await o.store.storedPagesEpoch().catch(fail('could not read the stored pages’ drop counter'))) ?? -1,
    async put(key, epoch, page, subject) {
      if (epoch < 0) return false
      const now = o.now()
      // Stored with its texts as they read now, as sending would splice them in (the rendering may have
      // begun before one of them changed).
      const template = toTemplate(page.html)
      const t = textsAt(key, template.times, now)
      const stored = await o.store.putStoredPage({
        id: hash48(key), key, articleId: subject.articleId, sourceId: subject.sourceId, storyId: subject.storyId, build: o.build(),
        body: encodeStored(template, t.texts, t.until), headers: page.headers, etag: page.etag, renderedAt: now, freshUntil: relatedDue({ now, at: subject.at }),
      }, epoch).catch(fail('could not store a page'))
      return stored === true
    },
  }
}

/**
 * What a stored page was rendered by: the code (every source or compiled file under `root`, hashed) and
 * the settings that shape pages. A new release or another site title, and earlier pages are not served.
 */
export function buildId(o: { root: string; settings: unknown }): string {
  const h = createHash('sha1')
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.(js|ts|tsx|css|json)$/.test(e.name) && !/\.test\./.test(e.name)) h.update(p.slice(o.root.length)).update(readFileSync(p))
    }
  }
  walk(o.root)
  h.update(JSON.stringify(o.settings))
  return h.digest('base64url').slice(0, 16)
}
