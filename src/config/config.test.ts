import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, ConfigError } from './config.js'

test('defaults give an embedded SQLite install on port 8080 with the demo on', () => {
  const c = loadConfig({})
  assert.equal(c.database.kind, 'sqlite')
  assert.equal(c.database.url, 'sqlite:./data/tidings.db')
  assert.equal(c.http.port, 8080)
  assert.equal(c.demo.enabled, true)
  assert.equal(c.fetch.allowPrivate, false)
  assert.ok(Object.isFrozen(c.fetch))
})

test('postgres URLs select the postgres store; DEMO=0 turns the demo off', () => {
  const c = loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', DEMO: '0', FETCH_ALLOW_HOSTS: 'a.test, 127.0.0.1:9000' })
  assert.equal(c.database.kind, 'postgres')
  assert.equal(c.demo.enabled, false)
  assert.deepEqual(c.fetch.allowHosts, ['a.test', '127.0.0.1:9000'])
})

test('bad values are reported by name, all at once', () => {
  assert.throws(() => loadConfig({ PORT: 'eighty', DEMO: 'maybe' }), (e: unknown) => {
    assert.ok(e instanceof ConfigError)
    assert.match(e.message, /PORT/)
    assert.match(e.message, /DEMO/)
    return true
  })
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/)
})

test('*_FILE variants read secrets from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-cfg-'))
  const f = join(dir, 'db')
  writeFileSync(f, 'postgres://secret@127.0.0.1/x\n')
  assert.equal(loadConfig({ DATABASE_URL_FILE: f }).database.url, 'postgres://secret@127.0.0.1/x')
  assert.doesNotThrow(() => loadConfig({ OTHER_TOOL_CONFIG_FILE: '/nonexistent' }), 'other programs’ *_FILE variables are not ours')
})

test('per-host politeness: a token bucket from rate and burst; the older interval setting still works', () => {
  const d = loadConfig({})
  assert.equal(d.fetch.perHostIntervalMs, 3000, '20 a minute by default')
  assert.equal(d.fetch.perHostBurst, 4)
  assert.equal(loadConfig({ FETCH_PER_HOST_RATE_PER_MINUTE: '6', FETCH_PER_HOST_BURST: '2' }).fetch.perHostIntervalMs, 10_000)
  assert.equal(loadConfig({ FETCH_PER_HOST_RATE_PER_MINUTE: '0' }).fetch.perHostIntervalMs, 0, 'rate 0: no pacing')
  assert.equal(loadConfig({ FETCH_PER_HOST_INTERVAL_MS: '0' }).fetch.perHostIntervalMs, 0)
  assert.equal(loadConfig({ FETCH_PER_HOST_INTERVAL_MS: '', FETCH_PER_HOST_RATE_PER_MINUTE: '30' }).fetch.perHostIntervalMs, 2000, 'empty means unset')
  assert.throws(() => loadConfig({ FETCH_PER_HOST_BURST: '0' }), /FETCH_PER_HOST_BURST/)
  assert.deepEqual(
    [d.scheduler.minIntervalMinutes, d.scheduler.maxIntervalMinutes, d.scheduler.pauseAfterFailures, d.scheduler.pauseAfterDays],
    [15, 360, 10, 3],
  )
  assert.equal(loadConfig({ POLL_MIN_MINUTES: '600', POLL_MAX_MINUTES: '120' }).scheduler.minIntervalMinutes, 120, 'min never above max')
})

test('AI: no provider by default; an OpenAI-compatible endpoint needs a model, its key may come from a file', () => {
  const none = loadConfig({})
  assert.equal(none.ai.provider, null)
  assert.equal(none.ai.language, 'en')
  const dir = mkdtempSync(join(tmpdir(), 'tidings-ai-'))
  writeFileSync(join(dir, 'key'), 'sk-local-123\n')
  const c = loadConfig({ AI_BASE_URL: 'http://127.0.0.1:11434/v1/', AI_MODEL: 'llama3.1:8b', AI_API_KEY_FILE: join(dir, 'key'), AI_LANGUAGE: 'de' })
  assert.deepEqual(c.ai.provider, { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', apiKey: 'sk-local-123', timeoutMs: 120_000 })
  assert.equal(c.ai.language, 'de')
  assert.throws(() => loadConfig({ AI_BASE_URL: 'http://127.0.0.1:11434/v1' }), /AI_MODEL: required/)
  assert.throws(() => loadConfig({ AI_BASE_URL: 'not a url', AI_MODEL: 'm' }), /AI_BASE_URL/)
  assert.throws(() => loadConfig({ AI_LANGUAGE: 'english please' }), /AI_LANGUAGE/)
})
