import type { SourceWithStats } from '../../store/store.js'
import { TimeAgo } from '../components/article-card.js'

export interface Notice {
  kind: 'ok' | 'error'
  text: string
}

/** Sources admin: add by URL or OPML, see each source's last error and next check, refresh now, remove. */
export function AdminSourcesPage(p: { sources: SourceWithStats[]; now: Date; notice: Notice | null }) {
  return (
    <section>
      <h1 class="page-title">Manage sources</h1>
      {p.notice ? <p class={p.notice.kind === 'error' ? 'notice error' : 'notice'} role="status">{p.notice.text}</p> : null}
      <div class="admin-forms">
        <form method="post" action="/admin/sources">
          <label for="add-url">Add a feed or a site</label>
          <input id="add-url" type="url" name="url" required placeholder="https://example.com/feed.xml" inputmode="url" />
          <button type="submit">Add</button>
        </form>
        <form method="post" action="/admin/sources/import" enctype="multipart/form-data">
          <label for="opml">Import an OPML file</label>
          <input id="opml" type="file" name="opml" accept=".opml,.xml,text/xml,application/xml" required />
          <button type="submit">Import</button>
          <a href="/sources.opml">Export OPML</a>
        </form>
      </div>
      {p.sources.length === 0 ? <p class="empty">No sources yet.</p> : (
        <table class="sources">
          <caption class="visually-hidden">Sources and their fetch state</caption>
          <thead><tr><th scope="col">Source</th><th scope="col">Articles</th><th scope="col">Last fetch</th><th scope="col">Next check</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {p.sources.map((s) => (
              <tr id={`source-${s.id}`}>
                <td>
                  <a href={`/sources/${s.id}`}>{s.title}</a>
                  <div class="meta"><span>{s.url}</span></div>
                  {s.lastErrorCode ? (
                    <div class="err" role="status">
                      <strong>{s.lastErrorCode}</strong>: {s.lastErrorMessage} {s.errorCount > 1 ? `(${s.errorCount} failures in a row)` : ''}
                    </div>
                  ) : null}
                </td>
                <td>{s.articleCount}</td>
                <td>{s.lastFetchedAt ? <TimeAgo date={s.lastFetchedAt} now={p.now} /> : 'never'}{s.lastErrorCode ? ' (failed)' : s.lastFetchedAt ? ' (ok)' : ''}</td>
                <td><TimeAgo date={s.nextCheckAt} now={p.now} /></td>
                <td>
                  <form method="post" action={`/admin/sources/${s.id}/refresh`}><button class="secondary" type="submit">Refresh now</button></form>{' '}
                  <a class="button danger" href={`/admin/sources/${s.id}/delete`} aria-label={`Remove ${s.title}`}>Remove</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** Removing a source deletes its articles: ask first (works without JavaScript). */
export function ConfirmRemovePage(p: { source: SourceWithStats }) {
  const s = p.source
  return (
    <section>
      <h1 class="page-title">Remove {s.title}?</h1>
      <p>This unsubscribes from <code>{s.url}</code> and deletes its {s.articleCount} stored article{s.articleCount === 1 ? '' : 's'}. It cannot be undone.</p>
      <form method="post" action={`/admin/sources/${s.id}/delete`}>
        <button class="danger" type="submit">Remove {s.title} and its articles</button>{' '}
        <a href="/admin/sources">Keep it</a>
      </form>
    </section>
  )
}
