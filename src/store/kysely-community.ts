import { sql, type Kysely, type Selectable, type Updateable } from 'kysely'
import type { Comment, CommentReport, CommentStatus, CommentSubject, IsoDate, Role, Session, User, UserCredentials } from '../domain/types.js'
import type { CommentsTable, DB, UsersTable } from './schema.js'
import type { NewComment, UserPatch } from './store.js'

/**
 * The readers' half of KyselyStore (accounts, sessions, comments, moderation, rate limits), as functions
 * over the query layer so that kysely-store.ts stays readable; KyselyStore's methods call these.
 */

function iso(v: string | Date | null | undefined): IsoDate | null {
  if (v === null || v === undefined) return null
  const d = v instanceof Date ? v : new Date(v)
  return Number.isNaN(d.getTime()) ? null : d.toISOString()
}
const isoReq = (v: string | Date): IsoDate => iso(v) ?? new Date(0).toISOString()

/** Case is folded in JS, never by SQL lower(): SQLite's only folds ASCII, Postgres's depends on the locale. */
const nameKey = (name: string): string => name.toLowerCase()

const clamp = (n: number, max: number): number => Math.max(1, Math.min(max, Math.floor(n) || 1))

const ROLES: readonly Role[] = ['admin', 'moderator', 'reader']
const STATUSES: readonly CommentStatus[] = ['visible', 'held', 'hidden', 'deleted']

/** Field by field, so that nothing else on the row (the password hash, the reset token) ever leaks out. */
function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id,
    name: r.name,
    role: ROLES.find((x) => x === r.role) ?? 'reader',
    createdAt: isoReq(r.created_at),
    bannedAt: iso(r.banned_at),
    banReason: r.ban_reason,
    publishedComments: Number(r.published_comments),
  }
}

type CommentRow = Selectable<CommentsTable> & { user_name: string; reports: number | string | null }

function toComment(r: CommentRow): Comment {
  return {
    id: r.id,
    subject: r.subject === 'story' ? 'story' : 'article',
    subjectId: r.subject_id,
    parentId: r.parent_id,
    userId: r.user_id,
    userName: r.user_name,
    body: r.body,
    status: STATUSES.find((x) => x === r.status) ?? 'hidden',
    statusReason: r.status_reason,
    createdAt: isoReq(r.created_at),
    editedAt: iso(r.edited_at),
    reports: Number(r.reports ?? 0),
  }
}

// ─────────────── accounts ───────────────

export async function createUser(db: Kysely<DB>, input: { name: string; passwordHash: string; role: Role }, now: IsoDate): Promise<User | null> {
  const row = await db.insertInto('users').values({
    name: input.name, name_key: nameKey(input.name), password_hash: input.passwordHash, role: input.role,
    created_at: now, password_changed_at: now, banned_at: null, ban_reason: null, reset_token_hash: null, reset_expires_at: null,
  }).onConflict((oc) => oc.column('name_key').doNothing()).returningAll().executeTakeFirst()
  return row ? toUser(row) : null
}

export async function getUser(db: Kysely<DB>, id: number): Promise<User | null> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toUser(r) : null
}

export async function findCredentials(db: Kysely<DB>, name: string): Promise<UserCredentials | null> {
  const r = await db.selectFrom('users').selectAll().where('name_key', '=', nameKey(name)).executeTakeFirst()
  return r ? { ...toUser(r), passwordHash: r.password_hash, passwordChangedAt: isoReq(r.password_changed_at) } : null
}

export async function findUserByResetToken(db: Kysely<DB>, tokenHash: string, now: IsoDate): Promise<User | null> {
  const r = await db.selectFrom('users').selectAll()
    .where('reset_token_hash', '=', tokenHash).where('reset_expires_at', '>', now).executeTakeFirst()
  return r ? toUser(r) : null
}

export async function listUsers(db: Kysely<DB>, q: { limit: number; query?: string }): Promise<User[]> {
  let query = db.selectFrom('users').selectAll()
  const words = q.query?.trim()
  if (words) {
    // '!' escapes LIKE's wildcards the same way on both databases (a backslash would need string-literal care).
    const pattern = `%${nameKey(words).replace(/[!%_]/g, (m) => `!${m}`)}%`
    query = query.where(sql<boolean>`${sql.ref('name_key')} like ${pattern} escape '!'`)
  }
  const rows = await query.orderBy('id', 'desc').limit(clamp(q.limit, 1000)).execute()
  return rows.map(toUser)
}

export async function countUsers(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function updateUser(db: Kysely<DB>, id: number, p: UserPatch, now: IsoDate): Promise<void> {
  const set: Updateable<UsersTable> = {}
  if (p.role !== undefined) set.role = p.role
  if (p.bannedAt !== undefined) set.banned_at = p.bannedAt
  if (p.banReason !== undefined) set.ban_reason = p.banReason
  if (p.resetTokenHash !== undefined) set.reset_token_hash = p.resetTokenHash
  if (p.resetExpiresAt !== undefined) set.reset_expires_at = p.resetExpiresAt
  if (p.passwordHash !== undefined) {
    // A new password spends any reset token, even one given in the same patch.
    Object.assign(set, { password_hash: p.passwordHash, password_changed_at: now, reset_token_hash: null, reset_expires_at: null })
  }
  if (Object.keys(set).length === 0) return
  await db.updateTable('users').set(set).where('id', '=', id).execute()
}

// ─────────────── sessions ───────────────

export async function createSession(db: Kysely<DB>, s: Session): Promise<void> {
  await db.insertInto('sessions').values({
    id: s.id, user_id: s.userId, created_at: s.createdAt, last_seen_at: s.lastSeenAt, expires_at: s.expiresAt,
  }).execute()
}

export async function getSession(db: Kysely<DB>, id: string): Promise<{ session: Session; user: User } | null> {
  const r = await db.selectFrom('sessions as s').innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.id as session_id', 's.created_at as session_created_at', 's.last_seen_at', 's.expires_at'])
    .where('s.id', '=', id).executeTakeFirst()
  if (!r) return null
  return {
    session: {
      id: r.session_id, userId: r.id, createdAt: isoReq(r.session_created_at), lastSeenAt: isoReq(r.last_seen_at), expiresAt: isoReq(r.expires_at),
    },
    user: toUser(r),
  }
}

export async function touchSession(db: Kysely<DB>, id: string, now: IsoDate): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute()
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute()
}

export async function deleteUserSessions(db: Kysely<DB>, userId: number, except?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (except !== undefined) q = q.where('id', '<>', except)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function deleteStaleSessions(db: Kysely<DB>, q: { now: IsoDate; idleBefore: IsoDate }): Promise<number> {
  const r = await db.deleteFrom('sessions')
    .where((eb) => eb.or([eb('last_seen_at', '<', q.idleBefore), eb('expires_at', '<=', q.now)]))
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}

// ─────────────── comments and moderation ───────────────

/** Comments with their author's name and their count of open reports. */
function commentQuery(db: Kysely<DB>) {
  return db.selectFrom('comments as c').innerJoin('users as u', 'u.id', 'c.user_id')
    .selectAll('c')
    .select('u.name as user_name')
    .select((eb) => eb.selectFrom('comment_reports as r').select((e) => e.fn.countAll<number | string>().as('n'))
      .whereRef('r.comment_id', '=', 'c.id').where('r.resolved_at', 'is', null).as('reports'))
}

export async function addComment(db: Kysely<DB>, c: NewComment, now: IsoDate): Promise<Comment> {
  return db.transaction().execute(async (trx) => {
    if (c.parentId !== null) {
      const parent = await trx.selectFrom('comments').select(['subject', 'subject_id', 'parent_id']).where('id', '=', c.parentId).executeTakeFirst()
      if (!parent) throw new Error(`store: parent comment ${c.parentId} does not exist`)
      if (parent.subject !== c.subject || parent.subject_id !== c.subjectId) {
        throw new Error(`store: parent comment ${c.parentId} is not on ${c.subject} ${c.subjectId}`)
      }
      if (parent.parent_id !== null) throw new Error(`store: parent comment ${c.parentId} is itself a reply (one level of replies)`)
    }
    const { id } = await trx.insertInto('comments').values({
      subject: c.subject, subject_id: c.subjectId, parent_id: c.parentId, user_id: c.userId, body: c.body,
      status: c.status, status_reason: c.statusReason, created_at: now, edited_at: null, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow()
    const row = await commentQuery(trx).where('c.id', '=', id).executeTakeFirstOrThrow()
    return toComment(row)
  })
}

export async function getComment(db: Kysely<DB>, id: number): Promise<Comment | null> {
  const r = await commentQuery(db).where('c.id', '=', id).executeTakeFirst()
  return r ? toComment(r) : null
}

export async function listComments(
  db: Kysely<DB>, subject: CommentSubject, subjectId: number, opts: { viewerId?: number | null; withHeld?: boolean; withHidden?: boolean } = {},
): Promise<Comment[]> {
  const rows = await commentQuery(db).where('c.subject', '=', subject).where('c.subject_id', '=', subjectId)
    .where((eb) => {
      // Deleted ones come too: the caller shows a placeholder where one still has replies.
      const shown = [eb('c.status', 'in', ['visible', 'deleted'])]
      if (opts.withHeld) shown.push(eb('c.status', '=', 'held'))
      else if (opts.viewerId !== undefined && opts.viewerId !== null) {
        shown.push(eb.and([eb('c.status', '=', 'held'), eb('c.user_id', '=', opts.viewerId)]))
      }
      if (opts.withHidden) shown.push(eb('c.status', '=', 'hidden'))
      return eb.or(shown)
    })
    .orderBy('c.created_at').orderBy('c.id').execute()
  return rows.map(toComment)
}

/** Every id asked for is in the map: 0 when it has no visible comment. */
export async function commentCounts(db: Kysely<DB>, subject: CommentSubject, ids: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  const unique = [...new Set(ids)]
  for (const id of unique) out.set(id, 0)
  // In chunks: both databases limit the parameters of one statement.
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db.selectFrom('comments')
      .select((eb) => ['subject_id', eb.fn.countAll<number | string>().as('n')])
      .where('subject', '=', subject).where('subject_id', 'in', unique.slice(i, i + 500)).where('status', '=', 'visible')
      .groupBy('subject_id').execute()
    for (const r of rows) out.set(r.subject_id, Number(r.n))
  }
  return out
}

/** A deleted comment stays empty: editing it does nothing. */
export async function editComment(db: Kysely<DB>, id: number, body: string, now: IsoDate): Promise<void> {
  await db.updateTable('comments').set({ body, edited_at: now, updated_at: now })
    .where('id', '=', id).where('status', '<>', 'deleted').execute()
}

export async function setCommentStatus(
  db: Kysely<DB>, id: number, status: CommentStatus, opts: { reason?: string | null; resolveReports?: boolean; now: IsoDate },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const set: Updateable<CommentsTable> = { status, status_reason: opts.reason ?? null, updated_at: opts.now }
    if (status === 'deleted') set.body = ''
    await trx.updateTable('comments').set(set).where('id', '=', id).execute()
    if (opts.resolveReports) {
      await trx.updateTable('comment_reports').set({ resolved_at: opts.now })
        .where('comment_id', '=', id).where('resolved_at', 'is', null).execute()
    }
  })
}

export async function reportComment(db: Kysely<DB>, commentId: number, userId: number, reason: string, now: IsoDate): Promise<boolean> {
  const row = await db.insertInto('comment_reports').values({ comment_id: commentId, user_id: userId, reason, created_at: now, resolved_at: null })
    .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing()).returning('comment_id').executeTakeFirst()
  return row !== undefined
}

/** The open reports, oldest first. */
export async function reportsFor(db: Kysely<DB>, commentId: number): Promise<CommentReport[]> {
  const rows = await db.selectFrom('comment_reports as r').innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.comment_id', 'r.user_id', 'u.name', 'r.reason', 'r.created_at'])
    .where('r.comment_id', '=', commentId).where('r.resolved_at', 'is', null)
    .orderBy('r.created_at').orderBy('r.user_id').execute()
  return rows.map((r) => ({ commentId: r.comment_id, userId: r.user_id, userName: r.name, reason: r.reason, createdAt: isoReq(r.created_at) }))
}

export async function moderationQueue(db: Kysely<DB>, q: { limit: number }): Promise<Comment[]> {
  const rows = await commentQuery(db)
    .where((eb) => eb.or([
      eb('c.status', '=', 'held'),
      eb.and([
        eb('c.status', '=', 'visible'),
        eb.exists(eb.selectFrom('comment_reports as o').select('o.comment_id').whereRef('o.comment_id', '=', 'c.id').where('o.resolved_at', 'is', null)),
      ]),
    ]))
    .orderBy('reports', 'desc').orderBy('c.created_at').orderBy('c.id').limit(clamp(q.limit, 1000)).execute()
  return rows.map(toComment)
}

export async function countUserComments(db: Kysely<DB>, userId: number, since: IsoDate): Promise<number> {
  const r = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId).where('created_at', '>=', since).executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function notePublished(db: Kysely<DB>, userId: number): Promise<void> {
  await db.updateTable('users').set((eb) => ({ published_comments: eb('published_comments', '+', 1) })).where('id', '=', userId).execute()
}

// ─────────────── rate limits ───────────────

function epochMs(now: IsoDate): number {
  const t = Date.parse(now)
  if (!Number.isFinite(t)) throw new Error(`store: not a time: ${now}`)
  return t
}

/**
 * One statement, so it is atomic on both databases: a hit in the row's window counts on, a hit in a
 * later window starts it again at 1. Windows are aligned to the epoch, so every process agrees on them.
 */
export async function hitRateLimit(db: Kysely<DB>, key: string, windowMs: number, now: IsoDate): Promise<{ count: number; resetAt: IsoDate }> {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new Error(`store: rate-limit window must be a positive whole number of ms, not ${windowMs}`)
  const start = Math.floor(epochMs(now) / windowMs) * windowMs
  // window_start compares as timestamptz on Postgres and as ISO text (always toISOString) on SQLite.
  const row = await db.insertInto('rate_limits')
    .values({ key, window_start: new Date(start).toISOString(), window_ms: windowMs, count: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      count: sql<number>`case when ${sql.ref('rate_limits.window_start')} = ${sql.ref('excluded.window_start')} then ${sql.ref('rate_limits.count')} + 1 else 1 end`,
      window_start: (eb) => eb.ref('excluded.window_start'),
      window_ms: (eb) => eb.ref('excluded.window_ms'),
    }))
    .returning(['count', 'window_start', 'window_ms']).executeTakeFirstOrThrow()
  return { count: Number(row.count), resetAt: new Date(Date.parse(isoReq(row.window_start)) + Number(row.window_ms)).toISOString() }
}

export async function peekRateLimit(db: Kysely<DB>, key: string, now: IsoDate): Promise<{ count: number; resetAt: IsoDate } | null> {
  const r = await db.selectFrom('rate_limits').select(['count', 'window_start', 'window_ms']).where('key', '=', key).executeTakeFirst()
  if (!r) return null
  const end = Date.parse(isoReq(r.window_start)) + Number(r.window_ms)
  return end > epochMs(now) ? { count: Number(r.count), resetAt: new Date(end).toISOString() } : null
}

export async function clearRateLimit(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute()
}
