import type { Context, Hono } from 'hono'
import { HttpError } from '../../domain/errors.js'
import type { Comment, CommentSubject, User } from '../../domain/types.js'
import { articlePath } from '../paths.js'
import { renderCommentMarkdown } from '../comment-markdown.js'
import { spend } from '../auth/limits.js'
import { hasRole, viewerOf } from '../auth/session.js'
import { safeNext, type CommunityDeps } from '../auth/routes.js'
import { canEdit } from '../components/comments.js'
import { EditCommentPage, ModerationPage } from '../pages/moderation.js'

/** Reports that take a comment off the page until a moderator has looked at it. */
const REPORTS_TO_HOLD = 3

const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '')

function idOf(raw: unknown): number {
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) throw new HttpError(404, 'not_found', 'There is nothing at this address.')
  return n
}

/** A comment body as the author meant it: line ends normalised, control characters out, trimmed. */
export function cleanCommentBody(body: string): string {
  return body.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim()
}

/**
 * Comments (post, reply, edit, delete, report) and moderation (queue, hide, restore, delete, ban).
 * Every state change needs a signed-in user; the session layer has already checked the form token.
 */
export function commentRoutes(app: Hono, d: CommunityDeps, notices: { add(text: string): string }): void {
  const { store, now } = d.auth
  const cfg = d.config

  const requireUser = (c: Context): User => {
    const u = viewerOf(c).user
    if (!u) throw new HttpError(401, 'sign_in', 'Sign in to do that.')
    if (u.bannedAt) throw new HttpError(403, 'banned', 'Your account cannot comment.')
    return u
  }
  const requireStaff = (c: Context): User => {
    const u = requireUser(c)
    if (!hasRole(viewerOf(c), 'admin', 'moderator')) throw new HttpError(403, 'forbidden', 'Only moderators can do that.')
    return u
  }
  const subjectPath = async (subject: CommentSubject, id: number): Promise<string | null> => {
    if (subject === 'article') {
      const a = await store.getArticle(id)
      return a ? articlePath(a) : null
    }
    return (await store.getStory(id)) ? `/stories/${id}` : null
  }
  const commentOr404 = async (raw: unknown): Promise<Comment> => {
    const c = await store.getComment(idOf(raw))
    if (!c) throw new HttpError(404, 'not_found', 'No such comment.')
    return c
  }
  const backTo = (path: string, notice: string | null, anchor: string) =>
    `${path}${notice ? `?n=${notices.add(notice)}` : ''}#${anchor}`

  app.post('/comments', async (c) => {
    const user = requireUser(c)
    if (!cfg.comments) throw new HttpError(403, 'comments_closed', 'Comments are closed on this site.')
    const f = await c.req.parseBody()
    const subject = f['subject'] === 'story' ? 'story' : f['subject'] === 'article' ? 'article' : null
    if (!subject) throw new HttpError(400, 'bad_input', 'Comment on an article or a story.')
    const subjectId = idOf(f['subject_id'])
    const path = await subjectPath(subject, subjectId)
    if (!path) throw new HttpError(404, 'not_found', 'That article or story is not here any more.')
    const body = cleanCommentBody(str(f['body'], cfg.maxChars + 1000))
    if (!body) return c.redirect(backTo(path, 'Your comment was empty.', 'comments'), 303)
    if (body.length > cfg.maxChars) throw new HttpError(400, 'too_long', `A comment has at most ${cfg.maxChars} characters; yours has ${body.length}.`)
    let parentId: number | null = null
    if (f['parent'] !== undefined && f['parent'] !== '') {
      const parent = await commentOr404(f['parent'])
      if (parent.subject !== subject || parent.subjectId !== subjectId) throw new HttpError(400, 'bad_input', 'That reply belongs to another page.')
      // One level of replies: answering a reply answers its thread.
      parentId = parent.parentId ?? parent.id
    }
    const t = now()
    const w = cfg.limits.commentsWindowMs
    const lim = await spend(store, t, [
      { key: `comment:user:${user.id}`, max: cfg.limits.commentsPerAccount, windowMs: w, what: 'You are commenting very fast.' },
      { key: `comment:ip:${viewerOf(c).ip}`, max: cfg.limits.commentsPerIp, windowMs: w, what: 'Many comments are coming from your network.' },
    ])
    if (!lim.ok) {
      c.header('retry-after', String(lim.retryAfterSeconds))
      throw new HttpError(429, 'rate_limited', `${lim.message} Your text is below; copy it if you want to keep it.\n\n${body.slice(0, 2000)}`)
    }
    const staff = hasRole(viewerOf(c), 'admin', 'moderator')
    const links = renderCommentMarkdown(body).links
    const reason = staff ? null
      : cfg.holdFirst > 0 && user.publishedComments < cfg.holdFirst ? 'first_comment'
      : cfg.holdLinks > 0 && links >= cfg.holdLinks ? 'many_links'
      : null
    const saved = await store.addComment({ subject, subjectId, parentId, userId: user.id, body, status: reason ? 'held' : 'visible', statusReason: reason }, t.toISOString())
    if (!reason) await store.notePublished(user.id)
    const notice = reason === 'first_comment' ? 'Thanks! Your first comment waits for a moderator; after that, comments appear at once.'
      : reason === 'many_links' ? 'Your comment has many links, so it waits for a moderator.' : null
    return c.redirect(backTo(path, notice, `c-${saved.id}`), 303)
  })

  app.get('/comments/:id{[0-9]+}/edit', async (c) => {
    const user = requireUser(c)
    const comment = await commentOr404(c.req.param('id'))
    const path = (await subjectPath(comment.subject, comment.subjectId)) ?? '/'
    if (!canEdit(comment, user, now(), cfg.editMinutes)) throw new HttpError(403, 'forbidden', `Only the author can edit a comment, within ${cfg.editMinutes} minutes of posting it.`)
    return d.page(c, <EditCommentPage comment={comment} back={path} maxChars={cfg.maxChars} />, { title: 'Edit comment', robots: 'noindex' })
  })

  app.post('/comments/:id{[0-9]+}/edit', async (c) => {
    const user = requireUser(c)
    const comment = await commentOr404(c.req.param('id'))
    const path = (await subjectPath(comment.subject, comment.subjectId)) ?? '/'
    if (!canEdit(comment, user, now(), cfg.editMinutes)) throw new HttpError(403, 'forbidden', `Only the author can edit a comment, within ${cfg.editMinutes} minutes of posting it.`)
    const body = cleanCommentBody(str((await c.req.parseBody())['body'], cfg.maxChars + 1000))
    if (!body || body.length > cfg.maxChars) {
      return d.page(c, <EditCommentPage comment={{ ...comment, body }} back={path} maxChars={cfg.maxChars} error={body ? `At most ${cfg.maxChars} characters.` : 'A comment cannot be empty; delete it instead.'} />, { title: 'Edit comment', robots: 'noindex' }, 400)
    }
    const t = now().toISOString()
    await store.editComment(comment.id, body, t)
    // An edit that adds many links goes back to the moderators.
    if (comment.status === 'visible' && !hasRole(viewerOf(c), 'admin', 'moderator') && cfg.holdLinks > 0 && renderCommentMarkdown(body).links >= cfg.holdLinks) {
      await store.setCommentStatus(comment.id, 'held', { reason: 'many_links', now: t })
    }
    return c.redirect(`${path}#c-${comment.id}`, 303)
  })

  app.post('/comments/:id{[0-9]+}/delete', async (c) => {
    const user = requireUser(c)
    const comment = await commentOr404(c.req.param('id'))
    const staff = hasRole(viewerOf(c), 'admin', 'moderator')
    if (comment.userId !== user.id && !staff) throw new HttpError(403, 'forbidden', 'You can delete only your own comments.')
    await store.setCommentStatus(comment.id, 'deleted', { reason: comment.userId === user.id ? 'author' : `moderator:${user.name}`, resolveReports: true, now: now().toISOString() })
    const back = safeNext((await c.req.parseBody())['back'])
    const path = back !== '/' ? back : (await subjectPath(comment.subject, comment.subjectId)) ?? '/'
    return c.redirect(backTo(path, 'The comment is deleted.', 'comments'), 303)
  })

  app.post('/comments/:id{[0-9]+}/report', async (c) => {
    const user = requireUser(c)
    const comment = await commentOr404(c.req.param('id'))
    if (comment.userId === user.id) throw new HttpError(400, 'bad_input', 'You cannot report your own comment.')
    if (comment.status !== 'visible') throw new HttpError(400, 'bad_input', 'That comment is not shown any more.')
    const f = await c.req.parseBody()
    const t = now()
    const lim = await spend(store, t, [{ key: `report:user:${user.id}`, max: 20, windowMs: 3_600_000, what: 'You have sent many reports.' }])
    if (!lim.ok) throw new HttpError(429, 'rate_limited', lim.message)
    const fresh = await store.reportComment(comment.id, user.id, str(f['reason'], 500).trim() || 'reported', t.toISOString())
    if (fresh && comment.reports + 1 >= REPORTS_TO_HOLD) await store.setCommentStatus(comment.id, 'held', { reason: 'reported', now: t.toISOString() })
    const path = (await subjectPath(comment.subject, comment.subjectId)) ?? '/'
    return c.redirect(backTo(path, fresh ? 'Thank you: a moderator will look at it.' : 'You have already reported that comment.', `c-${comment.id}`), 303)
  })

  // ─────────────── moderation ───────────────

  app.get('/moderation', async (c) => {
    requireStaff(c)
    const queue = await store.moderationQueue({ limit: 100 })
    const reports = new Map(await Promise.all(queue.map(async (q) => [q.id, await store.reportsFor(q.id)] as const)))
    const paths = new Map(await Promise.all(queue.map(async (q) => [q.id, await subjectPath(q.subject, q.subjectId)] as const)))
    const focusId = Number(c.req.query('focus'))
    const focus = Number.isSafeInteger(focusId) && focusId > 0 ? await store.getComment(focusId) : null
    return d.page(c, <ModerationPage queue={queue} reports={reports} paths={paths} focus={focus} now={now()} viewer={viewerOf(c).user!} notice={c.req.query('done') ?? null} />, { title: 'Moderation', robots: 'noindex' })
  })

  app.post('/moderation/comments/:id{[0-9]+}', async (c) => {
    const mod = requireStaff(c)
    const comment = await commentOr404(c.req.param('id'))
    const f = await c.req.parseBody()
    const action = f['action']
    const note = str(f['reason'], 300).trim() || null
    const t = now().toISOString()
    if (action === 'hide') await store.setCommentStatus(comment.id, 'hidden', { reason: note ?? `hidden by ${mod.name}`, resolveReports: true, now: t })
    else if (action === 'restore') {
      await store.setCommentStatus(comment.id, 'visible', { reason: null, resolveReports: true, now: t })
      if (comment.status === 'held') await store.notePublished(comment.userId)
    } else if (action === 'delete') await store.setCommentStatus(comment.id, 'deleted', { reason: `moderator:${mod.name}`, resolveReports: true, now: t })
    else throw new HttpError(400, 'bad_input', 'Hide, restore or delete.')
    return c.redirect(`/moderation?done=${encodeURIComponent(`Comment ${comment.id}: ${action === 'restore' ? 'restored' : action === 'hide' ? 'hidden' : 'deleted'}.`)}`, 303)
  })

  app.post('/moderation/users/:id{[0-9]+}', async (c) => {
    const mod = requireStaff(c)
    const target = await store.getUser(idOf(c.req.param('id')))
    if (!target) throw new HttpError(404, 'not_found', 'No such user.')
    const f = await c.req.parseBody()
    // A moderator bans readers; only an admin bans a moderator; nobody bans an admin or themselves here.
    if (target.id === mod.id || target.role === 'admin' || (target.role === 'moderator' && mod.role !== 'admin')) {
      throw new HttpError(403, 'forbidden', 'You cannot ban that account.')
    }
    const t = now().toISOString()
    if (f['action'] === 'ban') {
      await store.updateUser(target.id, { bannedAt: t, banReason: str(f['reason'], 300).trim() || null }, t)
      await store.deleteUserSessions(target.id)
    } else if (f['action'] === 'unban') {
      await store.updateUser(target.id, { bannedAt: null, banReason: null }, t)
    } else throw new HttpError(400, 'bad_input', 'Ban or unban.')
    return c.redirect(`/moderation?done=${encodeURIComponent(`${target.name}: ${f['action'] === 'ban' ? 'banned and signed out' : 'unbanned'}.`)}`, 303)
  })
}
