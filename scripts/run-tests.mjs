#!/usr/bin/env node
// Runs node:test over our TypeScript test files (Node 20's --test takes no globs).
// `unit`: every *.test.ts(x) under src/ and test/ except test/browser/; `browser`: test/browser/.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

const mode = process.argv[2] ?? 'unit'
const extra = process.argv.slice(3)

function walk(dir, out = []) {
  let entries
  try { entries = readdirSync(dir) } catch { return out }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'testdata') continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (/\.test\.tsx?$/.test(name)) out.push(p)
  }
  return out
}

const files = mode === 'browser'
  ? walk('test/browser')
  : [...walk('src'), ...walk('test')].filter((f) => !f.startsWith(join('test', 'browser')))
files.sort()
if (files.length === 0) {
  console.error(`no ${mode} test files found`)
  process.exit(1)
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...files]
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, TZ: process.env.TZ ?? 'UTC' } })
process.exit(r.status ?? 1)
