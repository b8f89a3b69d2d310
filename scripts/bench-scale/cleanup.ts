import { randomBytes } from 'node:crypto'
import pg from 'pg'

type Undo = () => Promise<void> | void
const undos: { what: string; run: Undo }[] = []
let cleaning: Promise<void> | null = null

/** Registers something to undo at the end, on error and on SIGINT/SIGTERM (last registered, first undone). */
export function onCleanup(what: string, run: Undo): () => void {
  const entry = { what, run }
  undos.push(entry)
  return () => { const i = undos.indexOf(entry); if (i >= 0) undos.splice(i, 1) }
}

/** True once a signal started the clean-up: what fails after it is the clean-up's doing. */
export const interrupted = { signal: null as string | null }

export function cleanupAll(): Promise<void> {
  cleaning ??= (async () => {
    while (undos.length) {
      const u = undos.pop()!
      try { await u.run() } catch (e) { console.error(`bench: cleanup of ${u.what} failed: ${(e as Error).message}`) }
    }
  })()
  return cleaning
}

/** On SIGINT/SIGTERM: `first` (print what was measured so far), then every clean-up, then exit. */
export function installSignalCleanup(first: (signal: string) => void): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      interrupted.signal = sig
      try { first(sig) } catch { /* the clean-up matters more */ }
      console.error(`\nbench: ${sig}: cleaning up…`)
      void cleanupAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143))
    })
  }
}

/** Creates `tidings_bench_<random>` next to the database of `adminUrl`, dropped at clean-up. */
export async function createBenchDatabase(adminUrl: string, label: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `tidings_bench_${label}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try { await admin.query(`create database ${name}`) } finally { await admin.end() }
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  let dropped = false
  const drop = async () => {
    if (dropped) return
    dropped = true
    const c = new pg.Client({ connectionString: adminUrl })
    await c.connect()
    try { await c.query(`drop database if exists ${name} with (force)`) } finally { await c.end() }
  }
  onCleanup(`database ${name}`, drop)
  return { name, url: u.toString(), drop }
}
