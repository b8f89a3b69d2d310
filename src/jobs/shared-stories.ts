import pg from 'pg'
import type { StoryDesk } from '../pipeline/story-desk.js'

/**
 * Story placement shared by several processes. Each process keeps its own story desk (the clusterer's
 * memory); a lock serialises placements, splits and merges across processes, and an epoch counter in
 * the database says whether anyone else changed stories since this process last did, in which case its
 * memory is rebuilt from the store first. Two workers placing two copies of one report at the same
 * moment therefore see each other: the second to take the lock finds the first's placement.
 */
export interface StoryLock {
  /**
   * Runs `fn` holding the lock; `stale` is true when another process changed stories since our last
   * turn (or this is our first). `readOnly`: `fn` changes no story (a rebuild), so others need not rebuild.
   */
  run<T>(fn: (stale: boolean) => Promise<T>, opts?: { readOnly?: boolean }): Promise<T>
  close(): Promise<void>
}

/** One process: nobody else to wait for. */
export const LOCAL_STORY_LOCK: StoryLock = {
  run: (fn) => fn(false),
  close: async () => {},
}

const LOCK_KEY = 727_104
/** Held by the worker that takes cluster jobs (727_105 serialises pg-boss start-up in pgboss-queue.ts). */
const LEADER_KEY = 727_106

/**
 * Postgres: a transaction-level advisory lock held on a connection of its own for the duration of one
 * placement, and the epoch row in `settings` bumped in the same transaction. A lost connection is
 * reopened at the next call (a restarted database is survived).
 */
export function pgStoryLock(url: string): StoryLock {
  let client: pg.Client | null = null
  let myEpoch: number | null = null
  let tail: Promise<unknown> = Promise.resolve()
  const connect = async () => {
    if (client) return client
    const c = new pg.Client({ connectionString: url })
    c.on('error', () => { if (client === c) client = null })
    await c.connect()
    client = c
    return c
  }
  const turn = async <T>(fn: (stale: boolean) => Promise<T>, readOnly: boolean): Promise<T> => {
    let c: pg.Client
    try {
      c = await connect()
      await c.query('begin')
    } catch (e) {
      client?.end().catch(() => {})
      client = null
      throw new Error(`stories: cannot take the placement lock: ${(e as Error).message}`, { cause: e })
    }
    try {
      await c.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
      const r = await c.query<{ value: string }>("select value from settings where key = 'story_epoch' for update")
      const epoch = r.rows[0] ? Number(r.rows[0].value) : 0
      const out = await fn(myEpoch === null || epoch !== myEpoch)
      const next = readOnly ? epoch : epoch + 1
      if (!readOnly) await c.query("insert into settings (key, value) values ('story_epoch', $1) on conflict (key) do update set value = excluded.value", [String(next)])
      await c.query('commit')
      myEpoch = next
      return out
    } catch (e) {
      await c.query('rollback').catch(() => { client = null })
      throw e
    }
  }
  return {
    run<T>(fn: (stale: boolean) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
      const p = tail.then(() => turn(fn, opts.readOnly ?? false))
      tail = p.then(() => {}, () => {})
      return p
    },
    async close() {
      await tail
      await client?.end().catch(() => {})
      client = null
    },
  }
}

/** The desk with every change taken under the lock, rebuilt first when another process moved stories. */
export function sharedStoryDesk(desk: StoryDesk, lock: StoryLock): StoryDesk {
  const fresh = async (stale: boolean) => { if (stale) await desk.hydrate() }
  return {
    // A rebuild also places articles never placed: it counts as a change.
    hydrate: () => lock.run(async () => desk.hydrate()),
    rebuilding: () => desk.rebuilding(),
    place: (a) => lock.run(async (stale) => { await fresh(stale); return desk.place(a) }),
    split: (id) => lock.run(async (stale) => { await fresh(stale); return desk.split(id) }),
    merge: (from, into) => lock.run(async (stale) => { await fresh(stale); return desk.merge(from, into) }),
    idle: () => desk.idle(),
  }
}

/**
 * Postgres: one process at a time takes cluster jobs, so the story memory does not pass back and forth
 * between workers (each pass is a rebuild). The leader holds a session advisory lock on a connection of
 * its own; when it dies the lock goes with its connection and the next worker to try takes over.
 * Correctness does not rest on this (the story lock does): two leaders only cost rebuilds.
 */
export function pgClusterLeader(url: string): { tryAcquire(): Promise<boolean>; close(): Promise<void> } {
  let client: pg.Client | null = null
  let held = false
  return {
    async tryAcquire() {
      if (held) return true
      try {
        client ??= await (async () => {
          const c = new pg.Client({ connectionString: url })
          c.on('error', () => { held = false; client = null })
          await c.connect()
          return c
        })()
        const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LEADER_KEY])
        held = r.rows[0]?.ok === true
      } catch {
        held = false
        client?.end().catch(() => {})
        client = null
      }
      return held
    },
    async close() {
      await client?.end().catch(() => {})
      client = null
      held = false
    },
  }
}
