import { createHash, randomInt } from 'node:crypto'
import type { Context } from 'hono'
import type { Source, User } from '../../domain/types.js'
import type { Store, SourceWithStats } from '../../store/store.js'
import type { CommunityConfig } from '../../config/config.js'
import { clientIp } from '../../web/auth/session.js'
import { hashPassword } from '../../web/auth/password.js'
import { blocked } from '../../web/auth/limits.js'
import { cachedFor } from '../../web/cached-for.js'

/**
 * What the Google Reader and Fever APIs share: their dependencies, the app password, the folders
 * (one per source language, named in English; sources without a language go in the site's folder),
 * and failed-login limits.
 */
export interface ReaderApiDeps {
  store: Store
  now: () => Date
  siteTitle: string
  trustProxy: boolean
  limits: CommunityConfig['limits']
  /** Adds a source (Google Reader quickadd, for admins); without it quickadd is refused. */
  subscribe?: (url: string) => Promise<{ ok: true; value: { source: Source } } | { ok: false; error: { message: string } }>
}

/** Request bodies of both APIs: ids and marks only. */
export const MAX_BODY_BYTES = 1024 * 1024
/** A new app password starts the reader with the articles fetched in the last three days unread. */
export const FIRST_UNREAD_MS = 3 * 24 * 3_600_000

const WORDS = 'abcdefghjkmnpqrstuvwxyz23456789'
/** A new app password: 4 groups of 5 (about 99 bits), easy to type into a phone. */
export function newAppPassword(): string {
  return Array.from({ length: 4 }, () => Array.from({ length: 5 }, () => WORDS[randomInt(WORDS.length)]).join('')).join('-')
}

/** Fever's api_key: md5 of "name:password" (the protocol's, and as weak as md5 is). */
export const feverKey = (name: string, password: string) => createHash('md5').update(`${name}:${password}`).digest('hex')

export async function setAppPassword(store: Store, user: User, password: string, now: Date): Promise<void> {
  await store.setAppPassword(user.id, {
    passwordHash: await hashPassword(password), feverKey: feverKey(user.name, password),
    readBefore: new Date(now.getTime() - FIRST_UNREAD_MS).toISOString(),
  }, now.toISOString())
}

// ─────────────── folders ───────────────

export interface Folder {
  /** The Google Reader label and the Fever group's title. */
  label: string
  /** Fever group id: stable (from the language code), 1 for the site's folder. */
  groupId: number
  sourceIds: number[]
}

const displayNames = new Intl.DisplayNames(['en'], { type: 'language' })

function languageOf(s: Source): string | null {
  const code = s.language?.trim().toLowerCase().split(/[-_]/)[0] ?? ''
  return /^[a-z]{2,3}$/.test(code) ? code : null
}

export function folderOf(s: Source, siteTitle: string): { label: string; groupId: number } {
  const code = languageOf(s)
  if (!code) return { label: siteTitle, groupId: 1 }
  let label = code
  try { label = displayNames.of(code) ?? code } catch { /* an unknown code keeps its letters */ }
  return { label, groupId: parseInt(code, 36) }
}

export function foldersOf(sources: SourceWithStats[], siteTitle: string): Folder[] {
  const out = new Map<number, Folder>()
  for (const s of sources) {
    const f = folderOf(s, siteTitle)
    const folder = out.get(f.groupId) ?? { ...f, sourceIds: [] }
    folder.sourceIds.push(s.id)
    out.set(f.groupId, folder)
  }
  return [...out.values()].sort((a, b) => a.label.localeCompare(b.label))
}

/**
 * The site's sources for the APIs, kept for a few seconds: apps ask for them on nearly every call, and
 * listing them counts every article. A new source shows within SOURCES_TTL_MS.
 */
const SOURCES_TTL_MS = 10_000
const sourceLists = new WeakMap<Store, () => Promise<SourceWithStats[]>>()
export function readerSources(store: Store): Promise<SourceWithStats[]> {
  let list = sourceLists.get(store)
  if (!list) sourceLists.set(store, list = cachedFor(SOURCES_TTL_MS, () => store.listSources(), () => performance.now()))
  return list()
}

export const forgetSources = (store: Store) => { sourceLists.delete(store) }

// ─────────────── limits ───────────────

export const ipOf = (c: Context, d: ReaderApiDeps) => clientIp(c, d.trustProxy)

/** Over the failed-attempt limit from this address? */
export function ipBlocked(d: ReaderApiDeps, key: string) {
  return blocked(d.store, d.now(), { key, max: d.limits.loginPerIp, what: 'Too many failed sign-ins from your network.' })
}
