// axe-core on every page of the site in Chromium: no violation of serious or critical impact; the rest printed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { openSite, skip, type Site } from './a11y-support.js'

// The site's CSP allows same-origin scripts only, so axe goes in through the DevTools protocol
// (page.evaluate), which the page's policy does not govern, instead of a <script> tag.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface Violation { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }

let site: Site

before(async () => { if (!skip) site = await openSite() })
after(async () => { await site?.close() })

test('axe-core: no serious or critical violation on any page', { skip }, async (t) => {
  const failures: string[] = []
  let minor = 0
  // Dark mode (the system's preference) has colours of its own: the reading pages once more in it.
  const dark = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'dark' })
  const runs = [
    ...site.pages.map((p) => ({ ...p, ctx: p.signedIn ? site.admin : site.anonymous })),
    ...site.pages.filter((p) => ['home', 'article', 'story', 'search'].includes(p.name)).map((p) => ({ ...p, name: `${p.name}-dark`, ctx: dark })),
  ]
  for (const p of runs) {
    const page = await p.ctx.newPage()
    await page.goto(site.origin + p.path, { waitUntil: 'load' })
    await page.evaluate(AXE)
    const violations = await page.evaluate(async () => {
      const r = await (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: Violation[] }> } }).axe.run(document, {
        resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      })
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }))
    }) as Violation[]
    for (const v of violations) {
      const line = `${p.name} (${p.path}): ${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
      if (v.impact === 'serious' || v.impact === 'critical') failures.push(`${line}\n    ${v.nodes[0]?.failureSummary?.replace(/\n/g, '\n    ') ?? ''}`)
      else { minor++; t.diagnostic(line) }
    }
    await page.close()
  }
  await dark.close()
  t.diagnostic(`${runs.length} pages checked: ${runs.map((p) => p.name).join(', ')}; ${failures.length} serious/critical, ${minor} moderate/minor`)
  assert.deepEqual(failures, [], failures.join('\n'))
})

test('axe-core runs under the site’s CSP and reports what it should (an unlabelled field is critical)', { skip }, async () => {
  const page = await site.anonymous.newPage()
  await page.goto(`${site.origin}/login`)
  await page.evaluate(AXE)
  const found = await page.evaluate(async () => {
    const input = document.createElement('input')
    document.querySelector('main')!.append(input)
    const r = await (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document, { runOnly: { type: 'rule', values: ['label'] } })
    return r.violations.map((v) => `${v.id}:${v.impact}`)
  })
  assert.deepEqual(found, ['label:critical'])
  await page.close()
})
