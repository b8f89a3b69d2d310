import { test } from 'node:test'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { storeContract } from './store.contract.js'
import { openStore } from './open-store.js'

storeContract('sqlite (in memory)', () => openStore('sqlite::memory:'))

const pgUrl = process.env.TEST_DATABASE_URL
if (pgUrl) {
  const schema = `t_${randomBytes(4).toString('hex')}`
  storeContract(`postgres (${schema})`, async () => {
    const store = await openStore(pgUrl, { schema })
    const close = store.close.bind(store)
    return Object.assign(store, {
      async close() {
        await close()
        const c = new pg.Client({ connectionString: pgUrl })
        await c.connect()
        await c.query(`drop schema if exists ${schema} cascade`)
        await c.end()
      },
    })
  })
} else {
  test('store contract: postgres', { skip: 'TEST_DATABASE_URL is not set; the Postgres half of the contract did not run' }, () => {})
}
