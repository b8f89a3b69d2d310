import { raw } from 'hono/html'
import type { Comment, CommentReport, User } from '../../domain/types.js'
import { renderCommentMarkdown } from '../comment-markdown.js'
import { TimeAgo } from '../components/article-card.js'
import { CsrfField } from '../components/csrf.js'

export function EditCommentPage(p: { comment: Comment; back: string; maxChars: number; error?: string }) {
  return (
    <section>
      <h1 class="page-title">Edit your comment</h1>
      <form method="post" action={`/comments/${p.comment.id}/edit`} class="comment-form">
        <CsrfField />
        <label for="body">Comment</label>
        <textarea id="body" name="body" rows={6} maxlength={p.maxChars} required>{p.comment.body}</textarea>
        {p.error ? <p class="field-error" role="alert">{p.error}</p> : null}
        <button type="submit">Save</button> <a href={`${p.back}#c-${p.comment.id}`}>Cancel</a>
      </form>
    </section>
  )
}

const REASON: Record<string, string> = {
  first_comment: 'first comment of a new account',
  many_links: 'many links',
  reported: 'reported by several readers',
}

function QueueItem(p: { c: Comment; reports: CommentReport[]; path: string | null; now: Date; viewer: User }) {
  const { c } = p
  return (
    <li class="mod-item" id={`m-${c.id}`}>
      <p class="meta">
        <strong>{c.userName}</strong> <TimeAgo date={c.createdAt} now={p.now} />
        <span>{c.status === 'held' ? `held: ${REASON[c.statusReason ?? ''] ?? c.statusReason ?? 'held'}` : c.status}</span>
        {p.path ? <a href={`${p.path}#c-${c.id}`}>in context</a> : null}
      </p>
      <div class="comment-body">{raw(renderCommentMarkdown(c.body).html)}</div>
      {p.reports.length ? (
        <ul class="reports">{p.reports.map((r) => <li>Reported by {r.userName}: {r.reason}</li>)}</ul>
      ) : null}
      <div class="mod-actions">
        {(['restore', 'hide', 'delete'] as const).filter((a) => !(a === 'restore' && c.status === 'visible' && p.reports.length === 0)).map((a) => (
          <form method="post" action={`/moderation/comments/${c.id}`} class="inline">
            <CsrfField /><input type="hidden" name="action" value={a} />
            <button type="submit">{a === 'restore' ? (c.status === 'held' ? 'Publish' : 'Keep (dismiss reports)') : a === 'hide' ? 'Hide' : 'Delete'}</button>
          </form>
        ))}
        <form method="post" action={`/moderation/users/${c.userId}`} class="inline">
          <CsrfField /><input type="hidden" name="action" value="ban" />
          <label class="visually-hidden" for={`ban-${c.id}`}>Reason for banning {c.userName}</label>
          <input id={`ban-${c.id}`} name="reason" placeholder="reason" maxlength={300} />
          <button type="submit">Ban {c.userName}</button>
        </form>
      </div>
    </li>
  )
}

/** Held and reported comments, with what a moderator can do to each. */
export function ModerationPage(p: {
  queue: Comment[]; reports: Map<number, CommentReport[]>; paths: Map<number, string | null>; focus: Comment | null; now: Date; viewer: User; notice: string | null
}) {
  const inQueue = new Set(p.queue.map((c) => c.id))
  return (
    <section>
      <h1 class="page-title">Moderation</h1>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      {p.focus && !inQueue.has(p.focus.id) ? (
        <>
          <h2>Comment {p.focus.id}</h2>
          <ol class="mod-queue"><QueueItem c={p.focus} reports={[]} path={null} now={p.now} viewer={p.viewer} /></ol>
        </>
      ) : null}
      <h2>Waiting for a decision ({p.queue.length})</h2>
      {p.queue.length === 0 ? <p class="empty">Nothing to moderate.</p> : (
        <ol class="mod-queue">{p.queue.map((c) => <QueueItem c={c} reports={p.reports.get(c.id) ?? []} path={p.paths.get(c.id) ?? null} now={p.now} viewer={p.viewer} />)}</ol>
      )}
    </section>
  )
}
