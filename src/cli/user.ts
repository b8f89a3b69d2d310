import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import type { Config } from '../config/config.js'
import type { Role } from '../domain/types.js'
import { openStore } from '../store/open-store.js'
import { hashPassword, passwordProblem } from '../web/auth/password.js'
import { newToken, tokenHash } from '../web/auth/tokens.js'
import { nameProblem } from '../web/auth/routes.js'

export const USER_HELP = `  user add <name> [--admin|--moderator] [--password-stdin]
                                      create an account (a password is generated and printed unless read from stdin)
  user reset <name>                   print a one-time link (24 hours) to set a new password; signs the user out
  user role <name> <admin|moderator|reader>
  user ban <name> [--reason TEXT] | user unban <name>
  user list                           accounts with role and status`

export class UserCommandError extends Error {}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

/** `tidings user …`: accounts from the command line (the first admin, resets, roles, bans). */
export async function userCommand(config: Config, args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { admin: { type: 'boolean' }, moderator: { type: 'boolean' }, 'password-stdin': { type: 'boolean' }, reason: { type: 'string' } },
  })
  const [sub, name, extra] = positionals
  const store = await openStore(config.database.url)
  const now = new Date().toISOString()
  try {
    const find = async () => {
      if (!name) throw new UserCommandError(`user ${sub}: which user? (tidings user ${sub} <name>)`)
      const cred = await store.findCredentials(name)
      if (!cred) throw new UserCommandError(`user ${sub}: no account named "${name}"`)
      return cred
    }
    switch (sub) {
      case 'add': {
        if (!name) throw new UserCommandError('user add: give a name (tidings user add <name> [--admin])')
        const np = nameProblem(name)
        if (np && !(values.admin && /reserved/.test(np))) throw new UserCommandError(`user add: ${np}`)
        const role: Role = values.admin ? 'admin' : values.moderator ? 'moderator' : 'reader'
        let password: string
        let generated = false
        if (values['password-stdin']) {
          password = await readStdinLine()
          const pp = passwordProblem(password, name)
          if (pp) throw new UserCommandError(`user add: ${pp}`)
        } else {
          password = randomBytes(15).toString('base64url')
          generated = true
        }
        const user = await store.createUser({ name, passwordHash: await hashPassword(password), role }, now)
        if (!user) throw new UserCommandError(`user add: the name "${name}" is taken`)
        out(`added ${user.name} (${role}, id ${user.id})`)
        if (generated) out(`password: ${password}\n(shown once: sign in at /login and change it at /account)`)
        return 0
      }
      case 'reset': {
        const user = await find()
        const token = newToken()
        await store.updateUser(user.id, { resetTokenHash: tokenHash(token), resetExpiresAt: new Date(Date.now() + 86_400_000).toISOString() }, now)
        const signedOut = await store.deleteUserSessions(user.id)
        const link = config.http.baseUrl ? new URL(`/reset/${token}`, config.http.baseUrl).toString() : `http://localhost:${config.http.port}/reset/${token}`
        out(`reset link for ${user.name} (valid 24 hours, works once):\n${link}`)
        if (signedOut) out(`signed out of ${signedOut} session${signedOut === 1 ? '' : 's'}`)
        return 0
      }
      case 'role': {
        const user = await find()
        if (extra !== 'admin' && extra !== 'moderator' && extra !== 'reader') throw new UserCommandError('user role: the role is admin, moderator or reader')
        await store.updateUser(user.id, { role: extra }, now)
        out(`${user.name} is now ${extra}`)
        return 0
      }
      case 'ban':
      case 'unban': {
        const user = await find()
        const ban = sub === 'ban'
        await store.updateUser(user.id, ban ? { bannedAt: now, banReason: values.reason?.slice(0, 300) ?? null } : { bannedAt: null, banReason: null }, now)
        if (ban) await store.deleteUserSessions(user.id)
        out(ban ? `${user.name} is banned and signed out` : `${user.name} is no longer banned`)
        return 0
      }
      case 'list': {
        const users = await store.listUsers({ limit: 1000 })
        if (users.length === 0) out('no accounts yet: tidings user add <name> --admin')
        for (const u of users) out(`${String(u.id).padStart(5)}  ${u.name.padEnd(32)} ${u.role.padEnd(9)} ${u.bannedAt ? `banned ${u.bannedAt.slice(0, 10)}` : 'active'}`)
        return 0
      }
      default:
        throw new UserCommandError(`user: expected add, reset, role, ban, unban or list${sub ? `, got "${sub}"` : ''}`)
    }
  } finally {
    await store.close()
  }
}
