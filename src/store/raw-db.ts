import type { Kysely } from 'kysely'
import type { Store } from './store.js'
import { KyselyStore } from './kysely-store.js'

/**
 * The query builder under a store opened by `openStore`, for the few parts that keep their own tables in
 * the same database (the embedded job queue). Everything else goes through the Store interface.
 */
export function rawDb(store: Store): Kysely<any> {
  if (!(store instanceof KyselyStore)) throw new Error('store: rawDb needs a store opened by openStore')
  return store.kysely
}
