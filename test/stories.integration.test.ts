/**
 * Stories end to end on loopback: a wire service and a paper that republishes its report (with an
 * intro crediting it), plus an unrelated report. After a refresh the two copies share a story and the
 * paper's is marked as the copy; after a restart the desk, rebuilt from the store, puts a third
 * copy in the same story.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { buildApp, type App } from '../src/app.js'
import { loadConfig } from '../src/config/config.js'
import type { IngestEvent } from '../src/pipeline/deps.js'
import { serveLoopback } from './support/loopback.js'

// Invented reports.
const TRAM = [
  'The number 4 tram line between Harlow Square and the university will close for nine weeks from 3 March while the city replaces 2.4 kilometres of track.',
  'Replacement buses will run every six minutes at peak times and stop at temporary shelters on Quarry Road, the transport office said on Monday.',
  'Deputy mayor Nadia Ferrant said the rails, laid in 1987, had worn so badly that trams were limited to walking pace on the bend by the old brewery.',
  'Shop owners on Mill Lane asked for the work to be split into two phases so that the street is never closed on both sides at once.',
  'The office said it would publish a detailed timetable for the replacement buses next week and keep the night service running throughout.',
]
const CREDIT = 'This article first appeared on City Wire and is republished here with permission.'
const GARDEN = [
  'Volunteers planted four hundred fruit trees on the former rail yard at Eastmoor on Sunday, the first stage of a community orchard planned for the site.',
  'The apples, pears and plums were chosen from old local varieties, some of which survive in only a handful of back gardens in the district.',
  'Organiser Pieter Vance said the orchard would be open to everyone and that the first harvest could come in three or four years.',
]

let server: Server
let base = ''
let dir = ''
let app: App | null = null
const clock = new Date('2026-11-22T12:00:00.000Z')
const events: IngestEvent[] = []

function page(title: string, paragraphs: string[], canonical?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
${canonical ? `<link rel="canonical" href="${canonical}">` : ''}</head>
<body><nav><a href="/">Home</a></nav><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`
}

function rss(title: string, items: { guid: string; title: string; path: string; date: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>${base}/</link><description>d</description>
${items.map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>${base}${i.path}</link><pubDate>${i.date}</pubDate></item>`).join('\n')}
</channel></rss>`
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const send = (type: string, body: string) => { res.writeHead(200, { 'content-type': type }); res.end(body) }
  switch (req.url) {
    case '/wire.xml': return send('application/rss+xml', rss('City Wire', [
      { guid: 'wire-tram', title: 'Tram line 4 to close for nine weeks', path: '/wire/tram.html', date: 'Sun, 22 Nov 2026 08:00:00 GMT' },
      { guid: 'wire-orchard', title: 'Volunteers plant orchard on old rail yard', path: '/wire/orchard.html', date: 'Sun, 22 Nov 2026 08:30:00 GMT' },
    ]))
    case '/paper.xml': return send('application/rss+xml', rss('Eastmoor Gazette', [
      { guid: 'paper-tram', title: 'Nine-week closure for the number 4 tram', path: '/paper/tram.html', date: 'Sun, 22 Nov 2026 09:00:00 GMT' },
    ]))
    case '/radio.xml': return send('application/rss+xml', rss('Radio Harlow', [
      { guid: 'radio-tram', title: 'Tram 4 closes in March', path: '/radio/tram.html', date: 'Sun, 22 Nov 2026 10:00:00 GMT' },
    ]))
    case '/wire/tram.html': return send('text/html; charset=utf-8', page('Tram line 4 to close for nine weeks', TRAM))
    case '/wire/orchard.html': return send('text/html; charset=utf-8', page('Volunteers plant orchard on old rail yard', GARDEN))
    case '/paper/tram.html': return send('text/html; charset=utf-8', page('Nine-week closure for the number 4 tram', [CREDIT, ...TRAM], `${base}/wire/tram.html`))
    case '/radio/tram.html': return send('text/html; charset=utf-8', page('Tram 4 closes in March', [...TRAM, 'Listen again to the morning programme for interviews with shop owners.']))
    case '/robots.txt': return send('text/plain', 'User-agent: *\nAllow: /\n')
    default: res.writeHead(404).end()
  }
}

const start = () => buildApp(loadConfig({
  DATABASE_URL: `sqlite:${join(dir, 'tidings.db')}`, DEMO: '0', SCHEDULER: '0', WEBSUB: '0',
  FETCH_ALLOW_HOSTS: new URL(base).host, FETCH_PER_HOST_INTERVAL_MS: '0', FETCH_RESPECT_ROBOTS: '0', FETCH_TIMEOUT_MS: '3000',
}), { schedule: false, now: () => clock, random: () => 0.5, log: (e) => events.push(e) })

before(async () => {
  ;({ server, base } = await serveLoopback(handler))
  dir = mkdtempSync(join(tmpdir(), 'tidings-stories-'))
})

after(async () => {
  await app?.close()
  server?.closeAllConnections()
  server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function refresh(a: App, path: string): Promise<number> {
  const { source } = await a.store.addSource({ kind: 'feed', url: `${base}${path}` }, clock.toISOString())
  const report = await a.scheduler.refreshNow(source.id)
  assert.equal(report?.outcome, 'updated', `${path} refreshed`)
  return source.id
}

test('a republished report shares the original’s story and is marked as its copy', async () => {
  app = await start()
  const wire = await refresh(app, '/wire.xml')
  const paper = await refresh(app, '/paper.xml')
  const [orchard, tram] = (await app.store.listArticles({ limit: 10, sourceId: wire })).items
  const [copy] = (await app.store.listArticles({ limit: 10, sourceId: paper })).items
  assert.ok(tram && orchard && copy)
  assert.equal(tram.title, 'Tram line 4 to close for nine weeks')

  const stored = await app.store.getArticle(copy.id)
  assert.equal(stored?.storyId, tram.id, 'the copy is in the wire report’s story')
  assert.equal(stored?.duplicateOf, tram.id)
  assert.equal((await app.store.getArticle(tram.id))?.duplicateOf, null, 'the original is no copy')

  const story = await app.store.getStory(tram.id)
  assert.ok(story)
  assert.equal(story.title, 'Tram line 4 to close for nine weeks')
  assert.equal(story.articleCount, 2)
  assert.equal(story.sourceCount, 2)
  assert.deepEqual(story.members.map((m) => [m.sourceTitle, m.duplicateOf, m.placedBy]), [
    ['City Wire', null, 'content'], ['Eastmoor Gazette', tram.id, 'duplicate'],
  ])
  assert.equal(story.members[1]?.canonicalUrl, `${base}/wire/tram.html`)
  assert.equal((await app.store.getArticle(orchard.id))?.storyId, orchard.id, 'the other report has its own story')
  assert.deepEqual((await app.store.recentStories({ since: '2026-11-21T00:00:00.000Z', limit: 10, minArticles: 2 })).map((s) => s.id), [tram.id])

  // A refresh that finds nothing new places nothing again.
  const again = await app.scheduler.refreshNow(paper)
  assert.equal(again?.created, 0)
  assert.equal((await app.store.getStory(tram.id))?.articleCount, 2)
  assert.deepEqual(events.filter((e) => e.type === 'story_failed'), [])
})

test('after a restart, a third copy joins the same story', async () => {
  await app?.close()
  app = await start()
  await refresh(app, '/radio.xml')
  const wire = await app.store.findSourceByUrl(`${base}/wire.xml`)
  const tram = (await app.store.listArticles({ limit: 10, sourceId: wire!.id })).items.find((a) => a.title.startsWith('Tram'))!
  const story = await app.store.getStory(tram.id)
  assert.deepEqual(story?.members.map((m) => m.sourceTitle), ['City Wire', 'Eastmoor Gazette', 'Radio Harlow'])
  assert.equal(story?.sourceCount, 3)
  assert.equal(story?.members[2]?.duplicateOf, tram.id)

  // The operator's tools are on the app: splitting the radio copy off holds.
  const radio = story!.members[2]!
  assert.deepEqual(await app.stories.split(radio.id), { fromStory: tram.id, toStory: radio.id })
  assert.equal((await app.store.getStory(tram.id))?.articleCount, 2)
  assert.equal((await app.store.getStory(radio.id))?.members[0]?.placedBy, 'operator')
})
