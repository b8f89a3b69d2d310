import type { User } from '../../domain/types.js'
import { CsrfField } from '../components/csrf.js'

export interface FormProblem { field: string; message: string }

const Problem = (p: { problems: FormProblem[]; field: string }) => {
  const mine = p.problems.filter((x) => x.field === p.field)
  return mine.length ? <p class="field-error" id={`${p.field}-error`}>{mine.map((m) => m.message).join(' ')}</p> : null
}
const invalid = (problems: FormProblem[], field: string) =>
  problems.some((x) => x.field === field) ? { 'aria-invalid': 'true', 'aria-describedby': `${field}-error` } : {}
const General = (p: { problems: FormProblem[] }) => {
  const g = p.problems.filter((x) => x.field === '')
  return g.length ? <p class="notice error" role="alert">{g.map((m) => m.message).join(' ')}</p> : null
}

export function LoginPage(p: { name?: string; next: string; problems: FormProblem[]; registrationOpen: boolean; notice?: string | null }) {
  return (
    <section class="auth">
      <h1 class="page-title">Sign in</h1>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      <General problems={p.problems} />
      <form method="post" action="/login" class="auth-form">
        <CsrfField />
        <input type="hidden" name="next" value={p.next} />
        <label for="name">Name</label>
        <input id="name" name="name" autocomplete="username" required maxlength={64} value={p.name ?? ''} {...invalid(p.problems, 'name')} />
        <Problem problems={p.problems} field="name" />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <button type="submit">Sign in</button>
      </form>
      {p.registrationOpen ? <p>New here? <a href={`/register?next=${encodeURIComponent(p.next)}`}>Create an account</a>.</p> : null}
      <p class="meta">Forgot your password? Ask the site’s administrator for a reset link.</p>
    </section>
  )
}

export function RegisterPage(p: { name?: string; next: string; problems: FormProblem[]; open: boolean }) {
  if (!p.open) {
    return (
      <section class="auth">
        <h1 class="page-title">Create an account</h1>
        <p>Registration is closed on this site. An administrator can add accounts.</p>
        <p><a href="/login">Sign in</a></p>
      </section>
    )
  }
  return (
    <section class="auth">
      <h1 class="page-title">Create an account</h1>
      <General problems={p.problems} />
      <form method="post" action="/register" class="auth-form">
        <CsrfField />
        <input type="hidden" name="next" value={p.next} />
        <label for="name">Name <span class="hint">(shown with your comments; letters, digits, . _ -)</span></label>
        <input id="name" name="name" autocomplete="username" required minlength={2} maxlength={32} value={p.name ?? ''} {...invalid(p.problems, 'name')} />
        <Problem problems={p.problems} field="name" />
        <label for="password">Password <span class="hint">(at least 10 characters)</span></label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <label for="password2">Password again</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required maxlength={512} {...invalid(p.problems, 'password2')} />
        <Problem problems={p.problems} field="password2" />
        <button type="submit">Create account</button>
      </form>
      <p>Have an account? <a href={`/login?next=${encodeURIComponent(p.next)}`}>Sign in</a>.</p>
    </section>
  )
}

export function AccountPage(p: { user: User; problems: FormProblem[]; notice: string | null }) {
  return (
    <section class="auth">
      <h1 class="page-title">Your account</h1>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      <p>Signed in as <strong>{p.user.name}</strong> ({p.user.role}).</p>
      <h2>Change password</h2>
      <General problems={p.problems} />
      <form method="post" action="/account/password" class="auth-form">
        <CsrfField />
        <input type="hidden" name="name" value={p.user.name} autocomplete="username" />
        <label for="current">Current password</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required maxlength={512} {...invalid(p.problems, 'current')} />
        <Problem problems={p.problems} field="current" />
        <label for="password">New password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <label for="password2">New password again</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required maxlength={512} {...invalid(p.problems, 'password2')} />
        <Problem problems={p.problems} field="password2" />
        <button type="submit">Change password</button>
      </form>
      <p class="meta">Changing your password signs you out on every other device.</p>
      <form method="post" action="/logout"><CsrfField /><button type="submit">Sign out</button></form>
    </section>
  )
}

export function ResetPage(p: { user: User | null; token: string; problems: FormProblem[] }) {
  if (!p.user) {
    return (
      <section class="auth">
        <h1 class="page-title">Reset password</h1>
        <p>This reset link is unknown or has expired. Ask the site’s administrator for a new one.</p>
      </section>
    )
  }
  return (
    <section class="auth">
      <h1 class="page-title">Choose a new password</h1>
      <p>For <strong>{p.user.name}</strong>.</p>
      <General problems={p.problems} />
      <form method="post" action={`/reset/${encodeURIComponent(p.token)}`} class="auth-form">
        <CsrfField />
        <input type="hidden" name="name" value={p.user.name} autocomplete="username" />
        <label for="password">New password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <label for="password2">New password again</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required maxlength={512} {...invalid(p.problems, 'password2')} />
        <Problem problems={p.problems} field="password2" />
        <button type="submit">Set password and sign in</button>
      </form>
    </section>
  )
}
