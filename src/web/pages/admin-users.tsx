import type { User } from '../../domain/types.js'
import { CsrfField } from '../components/csrf.js'
import type { Notice } from './admin-sources.js'

/** Readers: roles, bans and reset links; whether anyone may register. */
export function AdminUsersPage(p: { users: User[]; query: string; registrationOpen: boolean; notice: Notice | null; me: number | null; baseUrl: string | null }) {
  return (
    <section>
      <h1 class="page-title">Readers</h1>
      <p class="meta"><a href="/admin/sources">Sources</a> · <a href="/moderation">Moderation queue</a></p>
      {p.notice ? <p class={p.notice.kind === 'error' ? 'notice error' : 'notice'} role="status"><output>{p.notice.text}</output></p> : null}
      <form method="post" action="/admin/settings" class="meta">
        <CsrfField />
        <fieldset>
          <legend>Registration</legend>
          <label><input type="radio" name="registration" value="open" checked={p.registrationOpen} /> open: anyone can create an account</label>
          <label><input type="radio" name="registration" value="closed" checked={!p.registrationOpen} /> closed: only admins add accounts (<code>tidings user add</code>)</label>
          <button type="submit">Save</button>
        </fieldset>
      </form>
      <form method="get" action="/admin/users" role="search">
        <label for="uq">Find a reader</label> <input id="uq" name="q" value={p.query} maxlength={64} /> <button type="submit">Find</button>
      </form>
      <table class="users">
        <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col">Comments</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {p.users.map((u) => (
            <tr>
              <th scope="row">{u.name}</th>
              <td>
                <form method="post" action={`/admin/users/${u.id}`} class="inline">
                  <CsrfField /><input type="hidden" name="action" value="role" />
                  <label class="visually-hidden" for={`role-${u.id}`}>Role of {u.name}</label>
                  <select id={`role-${u.id}`} name="role">
                    {(['reader', 'moderator', 'admin'] as const).map((r) => <option value={r} selected={u.role === r}>{r}</option>)}
                  </select>
                  <button type="submit">Set</button>
                </form>
              </td>
              <td><time datetime={u.createdAt}>{u.createdAt.slice(0, 10)}</time></td>
              <td>{u.publishedComments}</td>
              <td>{u.bannedAt ? `banned${u.banReason ? `: ${u.banReason}` : ''}` : 'active'}</td>
              <td>
                {u.id !== p.me ? (
                  <form method="post" action={`/admin/users/${u.id}`} class="inline">
                    <CsrfField /><input type="hidden" name="action" value={u.bannedAt ? 'unban' : 'ban'} />
                    <button type="submit">{u.bannedAt ? 'Unban' : 'Ban'}</button>
                  </form>
                ) : null}
                <form method="post" action={`/admin/users/${u.id}`} class="inline">
                  <CsrfField /><input type="hidden" name="action" value="reset" />
                  <button type="submit">Reset link</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.users.length === 0 ? <p class="empty">No readers yet.</p> : null}
    </section>
  )
}
