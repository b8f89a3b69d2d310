import { CsrfField } from '../components/csrf.js'

export interface AppsInfo {
  /** Where apps connect: the site's public origin. */
  origin: string
  userName: string
  /** When the current app password was set (null: none). */
  setAt: string | null
  /** A password just made: shown this once. */
  newPassword?: string | null
}

/** The account page's "Apps" section: the server addresses and the app password for reader apps. */
export function AppsSection(p: AppsInfo) {
  return (
    <section class="apps" aria-labelledby="apps-title">
      <h2 id="apps-title">Apps</h2>
      <p>Read with an app (Reeder, NetNewsWire, FeedMe, Fiery Feeds, ReadKit, Unread…): choose a FreshRSS, Google Reader or Fever account in it and give:</p>
      <dl>
        <dt>Google Reader API (FreshRSS, Inoreader-compatible)</dt><dd><code>{`${p.origin}/api/greader`}</code></dd>
        <dt>Fever API</dt><dd><code>{`${p.origin}/api/fever`}</code></dd>
        <dt>User name</dt><dd><code>{p.userName}</code> (exactly so: Fever's key depends on its letters' case)</dd>
        <dt>Password</dt><dd>your app password, not your site password</dd>
      </dl>
      {p.newPassword
        ? <p class="notice" role="status">Your new app password: <strong><code>{p.newPassword}</code></strong>. Type it into your apps now: it is not shown again.</p>
        : null}
      {p.setAt
        ? <p>You have an app password, set {new Date(p.setAt).toUTCString()}. A new one replaces it and signs your apps out.</p>
        : <p>You have no app password yet.</p>}
      <form method="post" action="/account/apps" class="auth-form">
        <CsrfField />
        <button type="submit">{p.setAt ? 'Replace the app password' : 'Create an app password'}</button>
      </form>
      {p.setAt
        ? <form method="post" action="/account/apps/revoke"><CsrfField /><button type="submit">Revoke the app password</button></form>
        : null}
    </section>
  )
}
