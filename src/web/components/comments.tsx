import { raw } from 'hono/html'
import type { Comment, CommentSubject, User } from '../../domain/types.js'
import { renderCommentMarkdown } from '../comment-markdown.js'
import { TimeAgo } from './article-card.js'
import { CsrfField } from './csrf.js'
import { rich, useT, type MessageKey } from '../i18n/i18n.js'

export interface ThreadProps {
  subject: CommentSubject
  subjectId: number
  /** Where this thread is shown (forms come back here). */
  path: string
  /** Every comment of the subject, whatever its status: the thread shows each viewer what they may see. */
  comments: Comment[]
  viewer: User | null
  /** Moderators and admins see held and hidden comments in place. */
  staff: boolean
  now: Date
  editMinutes: number
  maxChars: number
  enabled: boolean
  /** `?reply=ID`: the reply form open under that comment (no script needed). */
  replyTo: number | null
  notice: string | null
}

const isStaff = (u: User | null) => u !== null && u.bannedAt === null && (u.role === 'admin' || u.role === 'moderator')

export function canEdit(c: Comment, u: User | null, now: Date, editMinutes: number): boolean {
  return u !== null && u.bannedAt === null && c.userId === u.id && c.status !== 'deleted' && c.status !== 'hidden'
    && now.getTime() - Date.parse(c.createdAt) <= editMinutes * 60_000
}

const STATUS_NOTE: Record<string, MessageKey> = {
  held: 'comments.held',
  hidden: 'comments.hidden',
}

function CommentItem(p: { c: Comment; t: ThreadProps; replies: Comment[] }) {
  const { c, t } = p
  const tr = useT()
  const mine = t.viewer !== null && t.viewer.id === c.userId
  const staff = isStaff(t.viewer)
  const back = encodeURIComponent(t.path)
  const placeholder = c.status === 'deleted' ? tr.t('comments.deleted')
    : !t.staff && c.status === 'hidden' ? tr.t('comments.hiddenPlaceholder')
    : !t.staff && c.status === 'held' && !mine ? tr.t('comments.heldPlaceholder')
    : null
  if (placeholder) {
    return (
      <li class="comment deleted" id={`c-${c.id}`}>
        <p class="meta">{placeholder}</p>
        {p.replies.length ? <ol class="replies">{p.replies.map((r) => <CommentItem c={r} t={t} replies={[]} />)}</ol> : null}
      </li>
    )
  }
  return (
    <li class={`comment ${c.status}`} id={`c-${c.id}`}>
      <article aria-labelledby={`c-${c.id}-by`}>
        <header class="meta">
          <strong id={`c-${c.id}-by`}>{c.userName}</strong>
          <TimeAgo date={c.createdAt} now={t.now} />
          {c.editedAt ? <span class="edited" title={tr.t('comments.editedAt', { at: c.editedAt })}>{tr.t('comments.edited')}</span> : null}
          {STATUS_NOTE[c.status] ? <span class="status">{tr.t(STATUS_NOTE[c.status]!)}</span> : null}
          {staff && c.reports > 0 ? <span class="status">{tr.t('comments.reports', { n: c.reports })}</span> : null}
        </header>
        <div class="comment-body">{raw(renderCommentMarkdown(c.body).html)}</div>
        {t.viewer && t.enabled ? (
          <footer class="comment-actions">
            {c.parentId === null && c.status === 'visible' && t.viewer.bannedAt === null ? <a href={`${t.path}?reply=${c.id}#reply-${c.id}`}>{tr.t('comments.reply')}</a> : null}
            {canEdit(c, t.viewer, t.now, t.editMinutes) ? <a href={`/comments/${c.id}/edit`}>{tr.t('comments.edit')}</a> : null}
            {mine || staff ? (
              <form method="post" action={`/comments/${c.id}/delete`} class="inline"><CsrfField /><input type="hidden" name="back" value={t.path} />
                <button type="submit">{tr.t('comments.delete')}</button></form>
            ) : null}
            {!mine && c.status === 'visible' ? (
              <form method="post" action={`/comments/${c.id}/report`} class="inline"><CsrfField /><input type="hidden" name="back" value={t.path} />
                <button type="submit">{tr.t('comments.report')}</button></form>
            ) : null}
            {staff ? <a href={`/moderation?focus=${c.id}&back=${back}`}>{tr.t('comments.moderate')}</a> : null}
          </footer>
        ) : null}
      </article>
      {p.replies.length || t.replyTo === c.id ? (
        <ol class="replies">
          {p.replies.map((r) => <CommentItem c={r} t={t} replies={[]} />)}
          {t.replyTo === c.id && t.viewer && c.parentId === null ? <li class="reply-form" id={`reply-${c.id}`}><CommentForm t={t} parentId={c.id} /></li> : null}
        </ol>
      ) : null}
    </li>
  )
}

export function CommentForm(p: { t: ThreadProps; parentId: number | null; body?: string; error?: string | null }) {
  const id = p.parentId ? `comment-body-${p.parentId}` : 'comment-body'
  const { t } = useT()
  return (
    <form method="post" action="/comments" class="comment-form">
      <CsrfField />
      <input type="hidden" name="subject" value={p.t.subject} />
      <input type="hidden" name="subject_id" value={String(p.t.subjectId)} />
      {p.parentId ? <input type="hidden" name="parent" value={String(p.parentId)} /> : null}
      <label for={id}>{t(p.parentId ? 'comments.yourReply' : 'comments.add')}</label>
      <textarea id={id} name="body" rows={p.parentId ? 3 : 4} maxlength={p.t.maxChars} required>{p.body ?? ''}</textarea>
      {p.error ? <p class="field-error" role="alert">{p.error}</p> : null}
      <p class="hint">{t('comments.hint')}</p>
      <button type="submit">{t(p.parentId ? 'comments.reply' : 'comments.post')}</button>
    </form>
  )
}

/** The comments under an article or a story: one level of replies, newest activity last. */
export function CommentThread(t: ThreadProps) {
  // What this viewer may read in full: visible comments, their own held ones, and everything for moderators.
  const { t: tx } = useT()
  const readable = (c: Comment) => c.status === 'visible' || (c.status !== 'deleted' && (t.staff || (c.status === 'held' && t.viewer?.id === c.userId)))
  const top = t.comments.filter((c) => c.parentId === null)
  const replies = new Map<number, Comment[]>()
  for (const c of t.comments) if (c.parentId !== null && readable(c)) replies.set(c.parentId, [...(replies.get(c.parentId) ?? []), c])
  // A comment this viewer may not read stays as a placeholder only when replies they can read hang on it.
  const shown = top.filter((c) => readable(c) || (replies.get(c.id)?.length ?? 0) > 0)
  const count = [...shown.filter((c) => c.status === 'visible'), ...[...replies.values()].flat().filter((c) => c.status === 'visible')].length
  return (
    <section class="comments" id="comments" aria-labelledby="comments-h">
      <h2 id="comments-h">{count ? tx('comments.titleCount', { n: count }) : tx('comments.title')}</h2>
      {t.notice ? <p class="notice" role="status">{t.notice}</p> : null}
      {shown.length === 0 ? <p class="empty">{tx('comments.none')}</p> : (
        <ol class="comment-list">{shown.map((c) => <CommentItem c={c} t={t} replies={replies.get(c.id) ?? []} />)}</ol>
      )}
      {!t.enabled ? <p class="meta">{tx('comments.closed')}</p>
        : t.viewer === null ? <p>{rich(tx('comments.signIn'), { link: <a href={`/login?next=${encodeURIComponent(`${t.path}#comments`)}`}>{tx('comments.signInLink')}</a> })}</p>
        : t.viewer.bannedAt ? <p class="meta">{tx('comments.banned')}</p>
        : <CommentForm t={t} parentId={null} />}
    </section>
  )
}
