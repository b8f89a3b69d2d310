import { CsrfField } from '../components/csrf.js'
import type { SourceWithStats } from '../../store/store.js'
import type { PickedLink, Source } from '../../domain/types.js'
import type { WebSubSubscription } from '../../domain/types.js'
import { TimeAgo } from '../components/article-card.js'

export interface Notice {
  kind: 'ok' | 'error'
  text: string
}

/** Sources admin: add by URL or OPML, see each source's last error and next check, refresh now, remove. */
export function AdminSourcesPage(p: { sources: SourceWithStats[]; now: Date; notice: Notice | null; push?: WebSubSubscription[] }) {
  const push = new Map((p.push ?? []).map((s) => [s.sourceId, s]))
  return (
    <section>
      <h1 class="page-title">Manage sources</h1>
      <p class="meta"><a href="/admin/ai">AI: model, usage and tasks</a> · <a href="/admin/jobs">Jobs</a> · <a href="/admin/health">Ingestion health</a> · <a href="/admin/users">Readers</a> · <a href="/moderation">Moderation</a></p>
      {p.notice ? <p class={p.notice.kind === 'error' ? 'notice error' : 'notice'} role="status">{p.notice.text}</p> : null}
      <div class="admin-forms">
        <form method="post" action="/admin/sources"><CsrfField />
          <label for="add-url">Add a feed or a site</label>
          <input id="add-url" type="url" name="url" required placeholder="https://example.com/feed.xml" inputmode="url" />
          <button type="submit">Add</button>
        </form>
        <form method="post" action="/admin/sources/import" enctype="multipart/form-data"><CsrfField />
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
                  <div class="meta"><span class="kind">{s.kind}</span> <span>{s.url}</span></div>
                  {s.kind === 'site' ? (
                    <div class="meta"><a href={`/admin/sources/${s.id}/rule`} aria-label={`Edit the link rule of ${s.title}`}>Edit rule</a>
                      {' '}({s.rule ? 'own rule' : 'default rule'}{s.pickedLinks ? `, ${s.pickedLinks.length} links picked on the last refresh` : ''})</div>
                  ) : null}
                  <PushState sub={push.get(s.id)} activeUntil={s.pushActiveUntil} now={p.now} />
                  <AiPolicyForm s={s} />
                  <FetchState s={s} now={p.now} />
                </td>
                <td>{s.articleCount}</td>
                <td>{s.lastFetchedAt ? <TimeAgo date={s.lastFetchedAt} now={p.now} /> : 'never'}{s.lastErrorCode ? ' (failed)' : s.lastFetchedAt ? ' (ok)' : ''}</td>
                <td>{s.pausedAt ? 'paused' : <TimeAgo date={s.nextCheckAt} now={p.now} />}</td>
                <td>
                  {s.pausedAt ? <><form method="post" action={`/admin/sources/${s.id}/resume`}><CsrfField /><button type="submit" aria-label={`Resume ${s.title}`}>Resume</button></form>{' '}</> : null}
                  <form method="post" action={`/admin/sources/${s.id}/refresh`}><CsrfField /><button class="secondary" type="submit">Refresh now</button></form>{' '}
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

/** The source's WebSub state in one line: polling slows down only while push is relied on. */
function PushState(p: { sub: WebSubSubscription | undefined; activeUntil: string | null; now: Date }) {
  const s = p.sub
  if (!s) return null
  const hub = new URL(s.hub).host
  const state = s.state === 'active'
    ? p.activeUntil
      ? <>active until <TimeAgo date={p.activeUntil} now={p.now} />{s.lastPushAt ? <>, last push <TimeAgo date={s.lastPushAt} now={p.now} /></> : null}</>
      : <>subscribed, but nothing heard from the hub lately: polling as usual</>
    : s.state === 'pending' ? <>waiting for the hub to confirm</>
    : s.state === 'denied' ? <>not active (polling as usual)</>
    : <>lease ran out (polling as usual)</>
  return (
    <div class="meta push">
      <span>Push via {hub}: {state}</span>
      {s.lastErrorCode ? <span class="err"> {s.lastErrorCode}: {s.lastErrorMessage}</span> : null}
    </div>
  )
}

/** Removing a source deletes its articles: ask first (works without JavaScript). */
export function ConfirmRemovePage(p: { source: SourceWithStats }) {
  const s = p.source
  return (
    <section>
      <h1 class="page-title">Remove {s.title}?</h1>
      <p>This unsubscribes from <code>{s.url}</code> and deletes its {s.articleCount} stored article{s.articleCount === 1 ? '' : 's'}. It cannot be undone.</p>
      <form method="post" action={`/admin/sources/${s.id}/delete`}><CsrfField />
        <button class="danger" type="submit">Remove {s.title} and its articles</button>{' '}
        <a href="/admin/sources">Keep it</a>
      </form>
    </section>
  )
}

/** Why the source is not fetching well: paused (since when, why, the last error) or failing (the error and the next retry). */
function FetchState(p: { s: SourceWithStats; now: Date }) {
  const { s } = p
  const error = s.lastErrorCode ? <><strong>{s.lastErrorCode}</strong>: {s.lastErrorMessage}</> : null
  if (s.pausedAt) {
    return (
      <div class="err" role="status">
        <strong class="paused">Paused</strong> since <TimeAgo date={s.pausedAt} now={p.now} />
        {s.pauseReason ? <> — {s.pauseReason}.</> : null} Not polled until resumed.
        {error ? <div>Last error: {error}</div> : null}
      </div>
    )
  }
  if (!error) return null
  return (
    <div class="err" role="status">
      {error} {s.errorCount > 1 ? `(${s.errorCount} failures in a row)` : ''}
      <div>Next retry <TimeAgo date={s.nextCheckAt} now={p.now} />.</div>
    </div>
  )
}

/** The rule form's values as typed (patterns one a line), and what is wrong with them. */
export interface RuleFormState {
  include: string
  exclude: string
  selector: string
  maxLinks: string
}

export type RulePreview =
  | { ok: true; links: PickedLink[]; candidates: number }
  | { ok: false; message: string }

/**
 * A site source's link rule: which links of its page are followed. Shows what the rule picks on the page
 * now (preview) and what it picked on the last refresh, so the operator can adjust it.
 */
export function SiteRulePage(p: {
  source: Source; form: RuleFormState; problems: { field: string; message: string }[]; preview: RulePreview | null; notice: Notice | null
}) {
  const s = p.source
  const problems = (field: string) => p.problems.filter((x) => x.field === field)
  // A field with problems says so to assistive technology, and points at its messages (and the help for patterns).
  const invalid = (field: string) => {
    const help = field === 'include' || field === 'exclude' ? 'rule-help' : ''
    return problems(field).length
      ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-problems ${help}`.trim() }
      : help ? { 'aria-describedby': help } : {}
  }
  const Problems = (q: { field: string }) => problems(q.field).length
    ? <ul class="err" id={`${q.field}-problems`} role="alert">{problems(q.field).map((x) => <li>{x.message}</li>)}</ul>
    : null
  return (
    <section class="site-rule">
      <h1 class="page-title">Link rule for {s.title}</h1>
      <p>Tidings reads <a href={s.url} rel="noopener noreferrer">{s.url}</a>, which has no feed, and follows the links this rule picks on it.
        Leave “Follow links matching” empty to let Tidings pick links that look like articles on the same site.</p>
      {p.notice ? <p class={p.notice.kind === 'error' ? 'notice error' : 'notice'} role="status">{p.notice.text}</p> : null}
      {p.problems.length ? <p class="notice error" role="alert">The rule was not saved: {p.problems.length === 1 ? 'one field needs' : 'some fields need'} a change.</p> : null}
      <form method="post" action={`/admin/sources/${s.id}/rule`}><CsrfField />
        <div class="field">
          <label for="rule-include">Follow links matching (one pattern a line)</label><br />
          <textarea id="rule-include" name="include" rows={4} cols={60} {...invalid('include')}>{p.form.include}</textarea>
          <Problems field="include" />
        </div>
        <div class="field">
          <label for="rule-exclude">But not links matching</label><br />
          <textarea id="rule-exclude" name="exclude" rows={3} cols={60} {...invalid('exclude')}>{p.form.exclude}</textarea>
          <Problems field="exclude" />
        </div>
        <p id="rule-help" class="meta">
          A pattern is a path prefix (<code>/news/</code>), a glob where <code>*</code> stands for part of one path segment and <code>**</code> for
          anything (<code>/20*/*/*/</code>; end with <code>$</code> to match the whole path), host and path (<code>news.example.com/world/</code>),
          or <code>re:</code> followed by a regular expression tested on the whole URL.
        </p>
        <div class="field">
          <label for="rule-selector">Only links inside (CSS selector, optional)</label><br />
          <input id="rule-selector" type="text" name="selector" value={p.form.selector} placeholder="main .headlines" {...invalid('selector')} />
          <Problems field="selector" />
        </div>
        <div class="field">
          <label for="rule-max">Links per refresh</label>{' '}
          <input id="rule-max" type="text" inputmode="numeric" name="maxLinks" value={p.form.maxLinks} size={4} {...invalid('maxLinks')} />
          <Problems field="maxLinks" />
        </div>
        <p>
          <button type="submit" name="action" value="save">Save rule</button>{' '}
          <button class="secondary" type="submit" name="action" value="preview">Preview</button>{' '}
          <a href="/admin/sources">Back to sources</a>
        </p>
      </form>
      <h2>Links this rule picks on the page now</h2>
      {p.preview === null ? <p class="meta">No preview (fix the rule first).</p>
        : !p.preview.ok ? <p class="err" role="status">Could not read the page: {p.preview.message}</p>
        : <LinkList links={p.preview.links} empty="No link on the page matches this rule." note={`${p.preview.links.length} of ${p.preview.candidates} links on the page.`} />}
      <h2>Links picked on the last refresh</h2>
      {s.pickedLinks === null ? <p class="meta">Not refreshed yet.</p> : <LinkList links={s.pickedLinks} empty="None." note={null} />}
    </section>
  )
}

function LinkList(p: { links: PickedLink[]; empty: string; note: string | null }) {
  if (p.links.length === 0) return <p class="meta">{p.empty}</p>
  return (
    <>
      {p.note ? <p class="meta">{p.note}</p> : null}
      <ol class="picked-links">
        {p.links.map((l) => <li><a href={l.url} rel="noopener noreferrer">{l.title ?? l.url}</a> <span class="meta">{l.url}</span></li>)}
      </ol>
    </>
  )
}

const AI_POLICY_LABELS = { follow: 'as the publisher says', allow: 'always allowed', deny: 'off' } as const

/** The operator's AI setting for one source, and the publisher's signals last seen on it. */
function AiPolicyForm(p: { s: Pick<import('../../domain/types.js').Source, 'id' | 'title' | 'aiPolicy' | 'aiOptOut'> }) {
  const { s } = p
  const signals = s.aiOptOut?.signals ?? []
  return (
    <form class="meta ai-policy" method="post" action={`/admin/sources/${s.id}/ai`}><CsrfField />
      <label for={`ai-policy-${s.id}`}>AI features</label>{' '}
      <select id={`ai-policy-${s.id}`} name="policy" aria-label={`AI features for ${s.title}`}>
        {(['follow', 'allow', 'deny'] as const).map((v) => <option value={v} selected={s.aiPolicy === v}>{AI_POLICY_LABELS[v]}</option>)}
      </select>{' '}
      <button class="secondary" type="submit">Save</button>
      {signals.length > 0 ? <span> publisher: {signals.join('; ')}{s.aiOptOut?.policyUrl ? <> (<a href={s.aiOptOut.policyUrl} rel="noopener noreferrer">policy</a>)</> : null}</span> : null}
    </form>
  )
}
