import { raw } from 'hono/html'
import type { Comment, CommentReport, User } from '../../domain/types.js'
import { renderCommentMarkdown } from '../comment-markdown.js'
import { TimeAgo } from '../components/article-card.js'
import { CsrfField } from '../components/csrf.js'
import { useT, type MessageKey } from '../i18n/i18n.js'

export function EditCommentPage(p: { comment: Comment; back: string; maxChars: number; error?: string }) {
  const { t } = useT()
  return (
    <section>
      <h1 class="page-title">{t('mod.editTitle')}</h1>
      <form method="post" action={`/comments/${p.comment.id}/edit`} class="comment-form">
        <CsrfField />
        <label for="body">{t('mod.comment')}</label>
        <textarea id="body" name="body" rows={6} maxlength={p.maxChars} required>{p.comment.body}</textarea>
        {p.error ? <p class="field-error" role="alert">{p.error}</p> : null}
        <button type="submit">{t('mod.save')}</button> <a href={`${p.back}#c-${p.comment.id}`}>{t('mod.cancel')}</a>
      </form>
    </section>
  )
}

const REASON: Record<string, MessageKey> = {
  first_comment: 'mod.reason.first_comment',
  many_links: 'mod.reason.many_links',
  reported: 'mod.reason.reported',
}
const STATUS: Record<string, MessageKey> = { visible: 'mod.status.visible', hidden: 'mod.status.hidden', deleted: 'mod.status.deleted' }

function QueueItem(p: { c: Comment; reports: CommentReport[]; path: string | null; now: Date; viewer: User }) {
  const { c } = p
  const { t } = useT()
  const reason = REASON[c.statusReason ?? '']
  return (
    <li class="mod-item" id={`m-${c.id}`}>
      <p class="meta">
        <strong>{c.userName}</strong> <TimeAgo date={c.createdAt} now={p.now} />
        <span>{c.status === 'held' ? t('mod.held', { reason: reason ? t(reason) : c.statusReason ?? 'held' }) : STATUS[c.status] ? t(STATUS[c.status]!) : c.status}</span>
        {p.path ? <a href={`${p.path}#c-${c.id}`}>{t('mod.inContext')}</a> : null}
      </p>
      <div class="comment-body">{raw(renderCommentMarkdown(c.body).html)}</div>
      {p.reports.length ? (
        <ul class="reports">{p.reports.map((r) => <li>{t('mod.reportedBy', { name: r.userName, reason: r.reason })}</li>)}</ul>
      ) : null}
      <div class="mod-actions">
        {(['restore', 'hide', 'delete'] as const).filter((a) => !(a === 'restore' && c.status === 'visible' && p.reports.length === 0)).map((a) => (
          <form method="post" action={`/moderation/comments/${c.id}`} class="inline">
            <CsrfField /><input type="hidden" name="action" value={a} />
            <button type="submit">{t(a === 'restore' ? (c.status === 'held' ? 'mod.publish' : 'mod.keep') : a === 'hide' ? 'mod.hide' : 'mod.delete')}</button>
          </form>
        ))}
        <form method="post" action={`/moderation/users/${c.userId}`} class="inline">
          <CsrfField /><input type="hidden" name="action" value="ban" />
          <label class="visually-hidden" for={`ban-${c.id}`}>{t('mod.banReason', { name: c.userName })}</label>
          <input id={`ban-${c.id}`} name="reason" placeholder={t('mod.reasonPlaceholder')} maxlength={300} />
          <button type="submit">{t('mod.ban', { name: c.userName })}</button>
        </form>
      </div>
    </li>
  )
}

/** Held and reported comments, with what a moderator can do to each. */
export function ModerationPage(p: {
  queue: Comment[]; reports: Map<number, CommentReport[]>; paths: Map<number, string | null>; focus: Comment | null; now: Date; viewer: User; notice: string | null
}) {
  const { t } = useT()
  const inQueue = new Set(p.queue.map((c) => c.id))
  return (
    <section>
      <h1 class="page-title">{t('mod.title')}</h1>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      {p.focus && !inQueue.has(p.focus.id) ? (
        <>
          <h2>{t('mod.commentN', { id: String(p.focus.id) })}</h2>
          <ol class="mod-queue"><QueueItem c={p.focus} reports={[]} path={null} now={p.now} viewer={p.viewer} /></ol>
        </>
      ) : null}
      <h2>{t('mod.waiting', { n: p.queue.length })}</h2>
      {p.queue.length === 0 ? <p class="empty">{t('mod.nothing')}</p> : (
        <ol class="mod-queue">{p.queue.map((c) => <QueueItem c={c} reports={p.reports.get(c.id) ?? []} path={p.paths.get(c.id) ?? null} now={p.now} viewer={p.viewer} />)}</ol>
      )}
    </section>
  )
}
