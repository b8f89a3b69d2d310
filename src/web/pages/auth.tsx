import type { User } from '../../domain/types.js'
import { CsrfField } from '../components/csrf.js'
import { AppsSection, type AppsInfo } from './account-apps.js'
import { rich, useT } from '../i18n/i18n.js'

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
  const { t } = useT()
  return (
    <section class="auth">
      <h1 class="page-title">{t('auth.signIn')}</h1>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      <General problems={p.problems} />
      <form method="post" action="/login" class="auth-form">
        <CsrfField />
        <input type="hidden" name="next" value={p.next} />
        <label for="name">{t('auth.name')}</label>
        <input id="name" name="name" autocomplete="username" required maxlength={64} value={p.name ?? ''} {...invalid(p.problems, 'name')} />
        <Problem problems={p.problems} field="name" />
        <label for="password">{t('auth.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <button type="submit">{t('auth.signIn')}</button>
      </form>
      {p.registrationOpen ? <p>{rich(t('auth.newHere'), { link: <a href={`/register?next=${encodeURIComponent(p.next)}`}>{t('auth.createLink')}</a> })}</p> : null}
      <p class="meta">{t('auth.forgot')}</p>
    </section>
  )
}

export function RegisterPage(p: { name?: string; next: string; problems: FormProblem[]; open: boolean }) {
  const { t } = useT()
  if (!p.open) {
    return (
      <section class="auth">
        <h1 class="page-title">{t('auth.create')}</h1>
        <p>{t('auth.closed')}</p>
        <p><a href="/login">{t('auth.signIn')}</a></p>
      </section>
    )
  }
  return (
    <section class="auth">
      <h1 class="page-title">{t('auth.create')}</h1>
      <General problems={p.problems} />
      <form method="post" action="/register" class="auth-form">
        <CsrfField />
        <input type="hidden" name="next" value={p.next} />
        <label for="name">{t('auth.name')} <span class="hint">{t('auth.nameHint')}</span></label>
        <input id="name" name="name" autocomplete="username" required minlength={2} maxlength={32} value={p.name ?? ''} {...invalid(p.problems, 'name')} />
        <Problem problems={p.problems} field="name" />
        <label for="password">{t('auth.password')} <span class="hint">{t('auth.passwordHint')}</span></label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <label for="password2">{t('auth.passwordAgain')}</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required maxlength={512} {...invalid(p.problems, 'password2')} />
        <Problem problems={p.problems} field="password2" />
        <button type="submit">{t('auth.createButton')}</button>
      </form>
      <p>{rich(t('auth.haveAccount'), { link: <a href={`/login?next=${encodeURIComponent(p.next)}`}>{t('auth.signIn')}</a> })}</p>
    </section>
  )
}

export function AccountPage(p: { user: User; problems: FormProblem[]; notice: string | null; apps?: AppsInfo }) {
  const { t } = useT()
  return (
    <section class="auth">
      <h1 class="page-title">{t('auth.account')}</h1>
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      <p>{rich(t('auth.signedInAs', { role: p.user.role }), { name: <strong>{p.user.name}</strong> })}</p>
      <h2>{t('auth.changePassword')}</h2>
      <General problems={p.problems} />
      <form method="post" action="/account/password" class="auth-form">
        <CsrfField />
        <input type="hidden" name="name" value={p.user.name} autocomplete="username" />
        <label for="current">{t('auth.current')}</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required maxlength={512} {...invalid(p.problems, 'current')} />
        <Problem problems={p.problems} field="current" />
        <label for="password">{t('auth.newPassword')}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <label for="password2">{t('auth.newPasswordAgain')}</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required maxlength={512} {...invalid(p.problems, 'password2')} />
        <Problem problems={p.problems} field="password2" />
        <button type="submit">{t('auth.changePassword')}</button>
      </form>
      <p class="meta">{t('auth.signsOut')}</p>
      {p.apps ? <AppsSection {...p.apps} /> : null}
      <form method="post" action="/logout"><CsrfField /><button type="submit">{t('auth.signOut')}</button></form>
    </section>
  )
}

export function ResetPage(p: { user: User | null; token: string; problems: FormProblem[] }) {
  const { t } = useT()
  if (!p.user) {
    return (
      <section class="auth">
        <h1 class="page-title">{t('auth.reset')}</h1>
        <p>{t('auth.resetUnknown')}</p>
      </section>
    )
  }
  return (
    <section class="auth">
      <h1 class="page-title">{t('auth.choose')}</h1>
      <p>{rich(t('auth.for'), { name: <strong>{p.user.name}</strong> })}</p>
      <General problems={p.problems} />
      <form method="post" action={`/reset/${encodeURIComponent(p.token)}`} class="auth-form">
        <CsrfField />
        <input type="hidden" name="name" value={p.user.name} autocomplete="username" />
        <label for="password">{t('auth.newPassword')}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required minlength={10} maxlength={512} {...invalid(p.problems, 'password')} />
        <Problem problems={p.problems} field="password" />
        <label for="password2">{t('auth.newPasswordAgain')}</label>
        <input id="password2" name="password2" type="password" autocomplete="new-password" required maxlength={512} {...invalid(p.problems, 'password2')} />
        <Problem problems={p.problems} field="password2" />
        <button type="submit">{t('auth.setAndSignIn')}</button>
      </form>
    </section>
  )
}
