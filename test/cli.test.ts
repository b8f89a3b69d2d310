import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Runs the real CLI (through tsx) with stdin, and collects its output and exit code. */
function cli(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DEMO: '0', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(opts.stdin ?? '')
  })
}

const lines = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)

const PAGE = `<!doctype html><html lang="en"><head><title>Tide tables rewritten | Coast Post</title>
<meta name="author" content="Rae Lund"><meta property="article:published_time" content="2026-11-20T08:00:00Z"></head>
<body><nav>Home · Local · Sport</nav><article><h1>Tide tables rewritten</h1>
<figure><img src="/t.jpg"><figcaption>The harbour at low tide. <span class="credit">Photo: Sam Ito</span></figcaption></figure>
<p>The coast office has rewritten its tide tables after a survey found the old ones off by up to twenty minutes at the northern inlets.</p>
<p>Fishing crews had complained for two seasons that the printed times no longer matched what they saw on the water.</p>
</article><div class="newsletter">Get the Coast Post newsletter</div></body></html>`

test('extract --jsonl: one line out per line in, in order; bad lines give errors and the rest goes on', async () => {
  const input = [
    JSON.stringify({ id: 'a', url: 'https://coast.example/tides', html: PAGE }),
    'this is not json',
    JSON.stringify({ id: 'b' }),
    JSON.stringify({ id: 'c', html: '<html><body><nav>menu</nav></body></html>' }),
    JSON.stringify({ id: 'd', url: 'https://coast.example/tides', html: PAGE }),
  ].join('\n')
  const r = await cli(['extract', '--jsonl'], { stdin: input })
  assert.equal(r.code, 0, r.stderr)
  const out = lines(r.stdout)
  assert.deepEqual(out.map((o) => o.id), ['a', null, 'b', 'c', 'd'])
  const a = out[0]!
  assert.equal(a.title, 'Tide tables rewritten')
  assert.equal(a.byline, 'Rae Lund')
  assert.equal(a.published, '2026-11-20T08:00:00.000Z')
  assert.equal(a.lang, 'en')
  assert.equal(a.text.split('\n').length, 2, 'two paragraphs, a newline between blocks')
  assert.doesNotMatch(a.text, /low tide|newsletter|Sport/)
  assert.equal(a.captions[0].text, 'The harbour at low tide.')
  assert.equal(a.captions[0].credit, 'Sam Ito')
  assert.equal(out[1]!.error.code, 'bad_input')
  assert.match(out[2]!.error.message, /html/)
  assert.equal(out[3]!.error.code, 'extract_empty')
  assert.deepEqual({ ...out[4], id: 'a' }, a, 'the same page gives the same result')
})

test('parse-feed --jsonl: feeds in any charset become one item shape with ISO dates and absolute URLs', async () => {
  const rss = `<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><title>Caf\xe9 News</title><link>https://cafe.example/</link>
<item><guid>1</guid><title>Cr\xe8me \x80 prices</title><link>/p/1</link><pubDate>Fri, 20 Nov 2026 08:00:00 +0100</pubDate><author>ed@cafe.example (Ed Roy)</author><description>Up &amp; up</description></item></channel></rss>`
  const input = [
    JSON.stringify({ id: 'f1', body_base64: Buffer.from(rss, 'latin1').toString('base64'), content_type: 'application/rss+xml', url: 'https://cafe.example/feed' }),
    JSON.stringify({ id: 'f2', body_base64: Buffer.from('<html><body>hello</body></html>').toString('base64') }),
    JSON.stringify({ id: 'f3' }),
  ].join('\n')
  const r = await cli(['parse-feed', '--jsonl'], { stdin: input })
  assert.equal(r.code, 0, r.stderr)
  const [f1, f2, f3] = lines(r.stdout)
  assert.equal(f1!.feed.title, 'Café News')
  const item = f1!.feed.items[0]
  assert.deepEqual(
    { id: item.id, title: item.title, link: item.link, published: item.published, author: item.author },
    { id: '1', title: 'Crème € prices', link: 'https://cafe.example/p/1', published: '2026-11-20T07:00:00.000Z', author: 'Ed Roy' },
  )
  assert.equal(f2!.error.code, 'feed_format_unknown')
  assert.equal(f3!.error.code, 'bad_input')
})

test('fix-text --jsonl repairs mojibake and leaves correct text alone', async () => {
  const input = [
    JSON.stringify({ id: 'm', text: 'The mayor didnâ€™t say â€œwhenâ€\u009d.' }),
    JSON.stringify({ id: 'g', text: 'Tokyo didn鈥檛 ask for more.' }),
    JSON.stringify({ id: 'ok', text: 'Crème brûlée costs 5 € — 東京で食べた。' }),
    JSON.stringify({ id: 'bad', text: 42 }),
  ].join('\n')
  const r = await cli(['fix-text', '--jsonl'], { stdin: input })
  assert.equal(r.code, 0, r.stderr)
  const [m, g, okLine, badLine] = lines(r.stdout)
  assert.deepEqual(m, { id: 'm', text: 'The mayor didn’t say “when”.', fixed: true })
  assert.deepEqual(g, { id: 'g', text: 'Tokyo didn’t ask for more.', fixed: true })
  assert.deepEqual(okLine, { id: 'ok', text: 'Crème brûlée costs 5 € — 東京で食べた。', fixed: false })
  assert.equal(badLine!.error.code, 'bad_input')
})

test('enrich --jsonl gives language, summary, key points, hashtags, entities and reading time; bad lines are errors in place', async () => {
  const text = [
    'Wrenfield’s harbour council voted 9 to 2 on Tuesday to build a tidal barrier across the Calder estuary, three months after a storm surge flooded 340 homes.',
    'The £48 million scheme, drawn up by the engineering firm Ostler & Pike, will place six steel gates between the old lighthouse and the ferry slipway.',
    'Council leader Imogen Hartley said the decision was overdue. “We cannot ask families to bail out their kitchens every winter,” she told the meeting.',
    'Opponents from the fishing co-operative argued that the gates would silt up the channel. Its chair, Declan Morrow, said members would study the plans.',
    'The regional flood agency has promised to pay 60 per cent of the cost of the tidal barrier, with the rest coming from harbour dues.',
  ].join('\n')
  const input = [
    JSON.stringify({ id: 'en', title: 'Wrenfield approves £48m tidal barrier', text, lang: 'es' }),
    JSON.stringify({ id: 'de', text: 'Der Stadtrat von Bremen hat am Dienstag beschlossen, die alte Brücke über die Weser zu sanieren. Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern.' }),
    JSON.stringify({ id: 'no-text', title: 'x' }),
    'not json',
  ].join('\n')
  const r = await cli(['enrich', '--jsonl'], { stdin: input })
  assert.equal(r.code, 0, r.stderr)
  const [en, de, noText, garbage] = lines(r.stdout)
  assert.equal(en!.id, 'en')
  assert.equal(en!.lang, 'en', 'an English text declared Spanish is English')
  assert.ok(typeof en!.summary === 'string' && en!.summary.length > 50)
  assert.ok(text.includes(en!.summary.split(/(?<=[.”])\s/)[0]), 'the summary is the article’s own sentences')
  assert.ok(Array.isArray(en!.key_points) && en!.key_points.length > 0)
  assert.ok(en!.hashtags.length > 0 && en!.hashtags.every((h: string) => /^#\S+$/.test(h)), en!.hashtags.join(' '))
  assert.ok(en!.entities.people.some((p: string) => /Imogen Hartley/.test(p)), JSON.stringify(en!.entities))
  assert.ok(en!.entities.places.some((p: string) => /Wrenfield/.test(p)) || en!.entities.organizations.length > 0, JSON.stringify(en!.entities))
  assert.equal(en!.reading_minutes, 1)
  assert.equal(de!.lang, 'de')
  assert.equal(noText!.error.code, 'bad_input')
  assert.ok(garbage!.error, 'a line that is not JSON is an error in its place')
})

let server: Server
let base = ''
before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' })
      res.end(`<rss version="2.0"><channel><title>Loop News</title><link>${base}/</link><item><guid>x1</guid><title>Loop story</title><link>${base}/x1</link><description>&lt;p&gt;A loop story told in the feed, long enough to stand as the article when the page is missing.&lt;/p&gt;</description></item></channel></rss>`)
    } else { res.writeHead(404); res.end() }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => { server.close(); server.closeAllConnections() })

test('add, refresh, sources, export and import through the same orchestrator, with clear errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-cli-'))
  const env = { DATA_DIR: dir, FETCH_ALLOW_HOSTS: new URL(base).host, FETCH_PER_HOST_INTERVAL_MS: '0' }
  const added = await cli(['add', `${base}/feed.xml`], { env })
  assert.equal(added.code, 0, added.stderr)
  assert.match(added.stdout, /added: #1 Loop News/)
  const refused = await cli(['add', 'http://127.0.0.1:1/feed.xml'], { env: { ...env, FETCH_ALLOW_HOSTS: '' } })
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /blocked_private_address/)
  const refreshed = await cli(['refresh'], { env })
  assert.equal(refreshed.code, 0, refreshed.stderr)
  assert.match(refreshed.stderr, /1 sources: 1 ok, 0 failed; 1 new articles/)
  const listed = await cli(['sources'], { env })
  assert.match(listed.stdout, /#1\tLoop News\t1 articles/)
  const exported = await cli(['export'], { env })
  assert.match(exported.stdout, new RegExp(`xmlUrl="${base}/feed.xml"`))
  const opml = join(dir, 'subs.opml')
  writeFileSync(opml, `<?xml version="1.0"?><opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss"/><outline text="Loop" xmlUrl="${base}/feed.xml"/></body></opml>`)
  const imported = await cli(['import', opml], { env })
  assert.equal(imported.code, 0, imported.stderr)
  assert.match(imported.stderr, /imported 1 new, 1 already subscribed/)
  const unknown = await cli(['refresh', '999'], { env })
  assert.equal(unknown.code, 64)
  assert.match(unknown.stderr, /no source "999"/)
  const badEnv = await cli(['sources'], { env: { ...env, PORT: 'http' } })
  assert.equal(badEnv.code, 64)
  assert.match(badEnv.stderr, /PORT/)
  assert.ok(readFileSync(join(dir, 'tidings.db')).length > 0, 'a real SQLite file under DATA_DIR')
})

test('unknown commands and missing arguments explain themselves', async () => {
  const r = await cli(['frobnicate'])
  assert.equal(r.code, 64)
  assert.match(r.stderr, /unknown command "frobnicate"/)
  const help = await cli(['help'])
  assert.match(help.stdout, /serve \[--port N\]/)
  const noFlag = await cli(['extract'])
  assert.equal(noFlag.code, 64)
  assert.match(noFlag.stderr, /--jsonl/)
})

// Invented articles for `cluster --jsonl`: one report and a syndicated copy of it, and a report of a
// different event on the same topic.
const KILN_REPORT = [
  'The hill town of Marrow Ridge has reopened its old brick kiln as a pottery school after eleven years of standing empty.',
  'The restoration cost was shared by the county heritage fund and a loan from the regional cooperative bank.',
  'Twelve students enrolled in the first term, most of them from farms in the valley below the ridge.',
  'The head teacher, Ilse Varga, said the kiln reaches working heat in nine hours and will be fired twice a week.',
  'Neighbours had worried about smoke, but the new chimney filters passed the county inspection in October.',
  'The school plans an open day in spring, when visitors can throw a pot of their own and watch a firing.',
].join('\n')
const KILN_COPY = `The following report was originally published by the Ridge Courier and is republished with permission.\n${KILN_REPORT}`
const OTHER_EVENT = [
  'A pottery studio in the coastal village of Fennick closed on Friday after its gas kiln cracked during a winter firing.',
  'The owner, Dario Pell, said repairs would take at least three months and cost more than the studio earns in a season.',
  'Students of the evening classes have been offered places at a workshop in the county town until the studio reopens.',
  'The village council is looking for an empty building where the classes could continue in the meantime.',
].join('\n')

test('cluster --jsonl: a copy points to its original even when it comes first; other events and bad lines keep their place', async () => {
  const dated = [
    JSON.stringify({ id: 'copy', title: 'Old kiln reborn as pottery school', text: KILN_COPY, published: '2026-05-02T11:00:00Z', source: 'Valley Digest', url: 'https://digest.example/kiln' }),
    '{"id": "broken", "text": ',
    JSON.stringify({ id: 'other', title: 'Fennick studio shut after kiln cracks', text: OTHER_EVENT, published: '2026-05-02T10:00:00Z' }),
    JSON.stringify({ id: 'typed', text: 7 }),
    JSON.stringify({ id: 'orig', title: 'Marrow Ridge kiln reopens as a school', text: KILN_REPORT, published: '2026-05-02T09:00:00Z', source: 'Ridge Courier', url: 'https://courier.example/kiln' }),
  ].join('\n')
  const r = await cli(['cluster', '--jsonl'], { stdin: dated })
  assert.equal(r.code, 0, r.stderr)
  const out = lines(r.stdout)
  assert.deepEqual(out.map((o) => o.id), ['copy', null, 'other', 'typed', 'orig'], 'one line out per line in, in input order')
  assert.equal(out[1]!.error.code, 'bad_input')
  assert.equal(out[3]!.error.code, 'bad_input')
  assert.match(out[3]!.error.message, /text/)
  const [copy, , other, , orig] = out
  assert.deepEqual(copy, { id: 'copy', story: orig!.story, duplicate_of: 'orig' })
  assert.deepEqual(orig, { id: 'orig', story: 'orig', duplicate_of: null }, 'published first, so it opens the story')
  assert.equal(other!.duplicate_of, null, 'a different event is never a duplicate')

  // Without dates the copy enters the stream first; its credit still makes the later one the original.
  const undated = [
    JSON.stringify({ id: 'copy', title: 'Old kiln reborn as pottery school', text: KILN_COPY }),
    JSON.stringify({ id: 'other', title: 'Fennick studio shut after kiln cracks', text: OTHER_EVENT }),
    JSON.stringify({ id: 'orig', title: 'Marrow Ridge kiln reopens as a school', text: KILN_REPORT }),
  ].join('\n')
  const u = lines((await cli(['cluster', '--jsonl'], { stdin: undated })).stdout)
  assert.deepEqual(u.map((o) => [o.id, o.duplicate_of]), [['copy', 'orig'], ['other', null], ['orig', null]])
  assert.equal(u[0]!.story, u[2]!.story)
  assert.equal(u[0]!.story, 'copy', "the story is named after its first article")

  const noFlag = await cli(['cluster'])
  assert.equal(noFlag.code, 64)
  assert.match(noFlag.stderr, /--jsonl/)
  const help = await cli(['help'])
  assert.match(help.stdout, /cluster --jsonl/)
})

test('user add, reset, role, ban and list: the first admin and resets come from the command line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-cli-users-'))
  const env = { DATA_DIR: dir, BASE_URL: 'https://news.example' }
  const added = await cli(['user', 'add', 'ana', '--admin'], { env })
  assert.equal(added.code, 0, added.stderr)
  assert.match(added.stdout, /added ana \(admin, id \d+\)/)
  const password = /password: (\S+)/.exec(added.stdout)?.[1]
  assert.ok(password && password.length >= 20, 'a generated password, shown once')

  const piped = await cli(['user', 'add', 'bo', '--password-stdin'], { env, stdin: 'tide tables at dawn\n' })
  assert.equal(piped.code, 0, piped.stderr)
  assert.doesNotMatch(piped.stdout, /password:/, 'a password read from stdin is not echoed')
  const weak = await cli(['user', 'add', 'cy', '--password-stdin'], { env, stdin: 'short\n' })
  assert.equal(weak.code, 64)
  assert.match(weak.stderr, /at least 10 characters/)
  const taken = await cli(['user', 'add', 'ANA'], { env })
  assert.equal(taken.code, 64)
  assert.match(taken.stderr, /the name "ANA" is taken/)

  const reset = await cli(['user', 'reset', 'bo'], { env })
  assert.equal(reset.code, 0, reset.stderr)
  assert.match(reset.stdout, /https:\/\/news\.example\/reset\/[\w-]{43}/)
  assert.equal((await cli(['user', 'reset', 'nobody'], { env })).code, 64)

  assert.equal((await cli(['user', 'role', 'bo', 'moderator'], { env })).code, 0)
  assert.equal((await cli(['user', 'role', 'bo', 'king'], { env })).code, 64)
  assert.equal((await cli(['user', 'ban', 'bo', '--reason', 'spam'], { env })).code, 0)
  const list = await cli(['user', 'list'], { env })
  assert.match(list.stdout, /bo\s+moderator\s+banned/)
  assert.match(list.stdout, /ana\s+admin\s+active/)
  const unknown = await cli(['user', 'frob'], { env })
  assert.equal(unknown.code, 64)
  assert.match(unknown.stderr, /expected add, reset, role, ban, unban or list/)
})
