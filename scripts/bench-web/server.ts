import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { onCleanup } from '../bench-scale/cleanup.js'

const ROOT = resolve(import.meta.dirname, '../..')
/** Node's flags in package.json's `start` script (`node --flag … dist/cli/main.js serve`): measured as it is run. */
const START_FLAGS = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).scripts.start as string).split(' ').filter((x) => x.startsWith('--'))

export interface Server { child: ChildProcess; origin: string; tail: string[]; how: string; stop(): Promise<void> }

/** Newest modification time under a directory (files ending in `ext`). */
function newest(dir: string, ext: string): number {
  let t = 0
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name)
    if (name.isDirectory()) t = Math.max(t, newest(p, ext))
    else if (name.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs)
  }
  return t
}

export function distState(): { exists: boolean; stale: boolean } {
  const exists = existsSync(resolve(ROOT, 'dist/cli/main.js'))
  if (!exists) return { exists, stale: false }
  return { exists, stale: newest(resolve(ROOT, 'src'), '.ts') > newest(resolve(ROOT, 'dist'), '.js') + 1000 }
}

/**
 * Starts a child process and waits for the line that names its port. Output is drained (a full pipe
 * would stall the server) and its last lines kept for error messages.
 */
function start(what: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, how: string): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const tail: string[] = []
  let exited = false
  const stop = async () => {
    if (exited) return
    const gone = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const t = setTimeout(() => child.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(t)
  }
  const undo = onCleanup(`${what} ${child.pid}`, stop)
  child.once('exit', () => { exited = true; undo() })
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 15 min:\n${tail.join('')}`)), 900_000)
    let up = false
    const onData = (d: Buffer) => {
      const s = d.toString()
      if (!up) { tail.push(s); if (tail.length > 40) tail.shift() }
      const m = up ? null : ready.exec(s)
      if (m) { up = true; clearTimeout(timer); resolveStart({ child, origin: `http://127.0.0.1:${m[1]}`, tail, how, stop }) }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => { clearTimeout(timer); if (!up) reject(new Error(`${what} exited (${code}) before listening:\n${tail.join('')}`)) })
  })
}

/**
 * The bench's environment: no demo, no scheduler, loopback only. An admin password is set, as on a public
 * site: without one, requests from this machine (the client's) would get the admin's view of every page.
 */
function tidingsEnv(dbPath: string, more: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env, NODE_ENV: 'production', DATABASE_URL: `sqlite:${dbPath}`, HOST: '127.0.0.1', DEMO: '0', SCHEDULER: '0',
    AI_PRECOMPUTE: '0', WEBSUB: '0', LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn', ADMIN_PASSWORD: 'bench-admin-password', ...more,
  }
}
const cli = (dist: boolean, nodeArgs: string[]) => dist ? [...nodeArgs, resolve(ROOT, 'dist/cli/main.js')] : [...nodeArgs, '--import', 'tsx', resolve(ROOT, 'src/cli/main.ts')]

/** `tidings serve` on the bench database, with the V8 flag `npm start` gives it. */
export function startTidings(o: { dbPath: string; dist: boolean; nodeArgs: string[]; env?: Record<string, string> }): Promise<Server> {
  const args = [...cli(o.dist, [...START_FLAGS, ...o.nodeArgs]), 'serve', '--port', '0', '--no-scheduler']
  return start('tidings serve', args, tidingsEnv(o.dbPath, o.env ?? {}), /on http:\/\/localhost:(\d+)/, o.dist ? `node ${START_FLAGS.join(' ')} dist/cli/main.js serve` : `node ${START_FLAGS.join(' ')} --import tsx src/cli/main.ts serve`)
}

/** `tidings warm-pages --shard i/n` on the bench database, to its end; resolves to its last line. */
export function warmPages(o: { dbPath: string; dist: boolean; shard: string }): Promise<string> {
  const child = spawn(process.execPath, [...cli(o.dist, START_FLAGS), 'warm-pages', '--shard', o.shard], { cwd: ROOT, env: tidingsEnv(o.dbPath, {}), stdio: ['ignore', 'pipe', 'pipe'] })
  const undo = onCleanup(`tidings warm-pages ${child.pid}`, async () => { child.kill('SIGKILL') })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000) })
  child.stderr!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000) })
  return new Promise((resolveRun, reject) => child.once('exit', (code) => {
    undo()
    const last = out.trim().split('\n').at(-1) ?? ''
    if (code === 0) resolveRun(last)
    else reject(new Error(`tidings warm-pages --shard ${o.shard} exited (${code}):\n${out}`))
  }))
}

export function startHello(): Promise<Server> {
  return start('hello server', [resolve(ROOT, 'scripts/bench-web/hello-server.mjs')], process.env, /on http:\/\/127\.0\.0\.1:(\d+)/, 'node scripts/bench-web/hello-server.mjs')
}
