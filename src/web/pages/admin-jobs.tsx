import type { DeadJob, JobCounts } from '../../jobs/queue.js'
import { CsrfField } from '../components/csrf.js'
import type { Notice } from './admin-sources.js'

/** The pipeline's queue: depth per job kind, and the dead letters with their errors and a retry. */
export function AdminJobsPage(p: { kind: string | null; counts: JobCounts[]; dead: DeadJob[]; notice: Notice | null }) {
  if (!p.kind) {
    return (
      <section>
        <h1 class="page-title">Jobs</h1>
        <p>This install refreshes sources in its own process (<code>JOBS=inline</code>): there is no job queue. With
          Postgres and <code>JOBS=queue</code>, refreshes, extraction and story placement become jobs that
          <code>tidings worker</code> processes take.</p>
      </section>
    )
  }
  return (
    <section>
      <h1 class="page-title">Jobs</h1>
      <p class="meta">Queue: {p.kind} · <a href="/admin/sources">Sources</a></p>
      {p.notice ? <p class={p.notice.kind === 'error' ? 'notice error' : 'notice'} role="status">{p.notice.text}</p> : null}
      <table class="users">
        <thead><tr><th scope="col">Job</th><th scope="col">Waiting</th><th scope="col">Running</th><th scope="col">Done (about a day)</th><th scope="col">Dead</th></tr></thead>
        <tbody>{p.counts.map((c) => <tr><th scope="row">{c.name}</th><td>{c.queued}</td><td>{c.active}</td><td>{c.completed}</td><td>{c.failed}</td></tr>)}</tbody>
      </table>
      <h2>Dead letters ({p.dead.length})</h2>
      {p.dead.length === 0 ? <p class="empty">No job has used up its retries.</p> : (
        <ol class="mod-queue">
          {p.dead.map((d) => (
            <li class="mod-item">
              <p class="meta"><strong>{d.name}</strong> <span>{d.attempts} attempts</span> <time datetime={d.failedAt}>{d.failedAt.replace('T', ' ').slice(0, 16)}</time></p>
              <pre class="job-error">{d.error}</pre>
              <details><summary>Data</summary><pre>{JSON.stringify(d.data, null, 2).slice(0, 4000)}</pre></details>
              <form method="post" action={`/admin/jobs/${encodeURIComponent(d.id)}/retry`} class="inline"><CsrfField /><button type="submit">Retry</button></form>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
