import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.js'
import { csrfToken, csrfValid, newToken, tokenHash } from './tokens.js'

test('passwords: scrypt with a salt of their own; the right one verifies, others and tampered hashes do not', async () => {
  const h = await hashPassword('correct horse battery')
  assert.match(h, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
  assert.notEqual(h, await hashPassword('correct horse battery'), 'salted')
  assert.equal(await verifyPassword('correct horse battery', h), true)
  assert.equal(await verifyPassword('correct horse batterY', h), false)
  assert.equal(await verifyPassword('correct horse battery', h.slice(0, -2) + 'AA'), false)
  for (const bad of ['', 'plain', 'scrypt$3$8$1$a$b', `scrypt$${2 ** 30}$8$1$YWJj$YWJj`]) assert.equal(await verifyPassword('x', bad), false, bad)
  assert.equal(needsRehash(h), false)
  assert.equal(needsRehash('scrypt$16384$8$1$a$b'), true)
})

test('passwords: the same letters in another Unicode form are the same password', async () => {
  const h = await hashPassword('caf\u00e9 au lait 2026')
  assert.equal(await verifyPassword('cafe\u0301 au lait 2026', h), true)
})

test('new passwords: long enough, not the name, not a common one', () => {
  assert.match(passwordProblem('short', 'ana')!, /at least 10/)
  assert.match(passwordProblem('anaruiz2026', 'AnaRuiz2026')!, /name/)
  assert.match(passwordProblem('password123', 'ana')!, /guess/)
  assert.match(passwordProblem('aaaaaaaaaaaa', 'ana')!, /guess/)
  assert.equal(passwordProblem('tide tables at dawn', 'ana'), null)
})

test('tokens: random and stored only as a hash; form tokens belong to one session', () => {
  const t = newToken()
  assert.match(t, /^[\w-]{43}$/)
  assert.notEqual(t, newToken())
  assert.match(tokenHash(t), /^[0-9a-f]{64}$/)
  const c = csrfToken('secret', 'session-a')
  assert.equal(csrfValid('secret', 'session-a', c), true)
  assert.equal(csrfValid('secret', 'session-b', c), false)
  assert.equal(csrfValid('other', 'session-a', c), false)
  assert.equal(csrfValid('secret', 'session-a', undefined), false)
  assert.equal(csrfValid('secret', 'session-a', c.slice(1)), false)
})
