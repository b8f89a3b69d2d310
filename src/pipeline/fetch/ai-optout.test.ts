import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { AiOptOut } from '../../domain/types.js'
import {
  NO_OPT_OUT,
  mergeOptOut,
  optOutFromHeaders,
  optOutFromHtml,
  optOutFromTdmRep,
  parseTdmRep,
  resolveAiPolicy,
} from './ai-optout.js'
import type { TdmRepRule } from './ai-optout.js'

const UA = 'Tidings/0.1 (+https://example.org/bot)'
const full = (signals: string[], policyUrl: string | null = null): AiOptOut => ({ optedOut: true, imagesOnly: false, signals, policyUrl })
const images = (signals: string[]): AiOptOut => ({ optedOut: false, imagesOnly: true, signals, policyUrl: null })
const page = (head: string, body = '<p>Hello</p>'): string => `<!doctype html><html><head><title>T</title>${head}</head><body>${body}</body></html>`

// --- headers ---------------------------------------------------------------------------------------

test('headers: nothing said, nothing opted out', () => {
  assert.deepEqual(optOutFromHeaders({}), NO_OPT_OUT)
  assert.deepEqual(optOutFromHeaders({ 'content-type': 'text/html', 'x-robots-tag': 'noindex, nofollow' }), NO_OPT_OUT)
})

test('headers: X-Robots-Tag noai / noimageai, unprefixed and for us', async (t) => {
  const cases: [value: string, expected: AiOptOut][] = [
    ['noai', full(['X-Robots-Tag: noai'])],
    ['NoAI', full(['X-Robots-Tag: noai'])],
    ['noimageai', images(['X-Robots-Tag: noimageai'])],
    ['noindex, noai, noimageai', full(['X-Robots-Tag: noai', 'X-Robots-Tag: noimageai'])],
    ['tidings: noai', full(['X-Robots-Tag: tidings: noai'])],
    ['Tidings : NOIMAGEAI', images(['X-Robots-Tag: tidings: noimageai'])],
    ['otherbot: noai', NO_OPT_OUT],
    ['otherbot: noai, noimageai', NO_OPT_OUT], // both scoped to otherbot, as Google reads it
    ['otherbot: noai, tidings: noimageai', images(['X-Robots-Tag: tidings: noimageai'])],
    ['noai, otherbot: noimageai', full(['X-Robots-Tag: noai'])],
    ['unavailable_after: 2030-01-01, noai', full(['X-Robots-Tag: noai'])], // a valued directive is not a bot name
    ['max-image-preview:large, noimageai', images(['X-Robots-Tag: noimageai'])],
    ['noai noimageai', full(['X-Robots-Tag: noai', 'X-Robots-Tag: noimageai'])],
    ['noai, noai', full(['X-Robots-Tag: noai'])],
    ['noaisomething, ainoai', NO_OPT_OUT],
  ]
  for (const [value, expected] of cases) {
    await t.test(value, () => assert.deepEqual(optOutFromHeaders({ 'x-robots-tag': value }, { userAgent: UA }), expected))
  }
})

test('headers: the user agent option picks the scope', () => {
  const headers = { 'x-robots-tag': 'otherbot: noai' }
  assert.equal(optOutFromHeaders(headers).optedOut, false, 'the default token is tidings')
  assert.equal(optOutFromHeaders(headers, { userAgent: 'OtherBot/2.0' }).optedOut, true)
})

test('headers: names are matched case-insensitively even if a caller did not lower-case them', () => {
  assert.deepEqual(optOutFromHeaders({ 'X-Robots-Tag': 'noai' }), full(['X-Robots-Tag: noai']))
  assert.deepEqual(optOutFromHeaders({ 'TDM-Reservation': '1' }), full(['tdm-reservation: 1 (header)']))
})

test('headers: TDMRep reservation and policy', async (t) => {
  const policy = 'https://publisher.example/tdm/policy.json'
  const cases: [headers: Record<string, string>, expected: AiOptOut][] = [
    [{ 'tdm-reservation': '1' }, full(['tdm-reservation: 1 (header)'])],
    [{ 'tdm-reservation': ' 1 ', 'tdm-policy': policy }, full(['tdm-reservation: 1 (header)'], policy)],
    [{ 'tdm-reservation': '0' }, NO_OPT_OUT],
    [{ 'tdm-reservation': '0', 'tdm-policy': policy }, NO_OPT_OUT], // a policy without a reservation is not processed
    [{ 'tdm-reservation': '2' }, NO_OPT_OUT], // protocol error: unset
    [{ 'tdm-reservation': 'yes' }, NO_OPT_OUT],
    [{ 'tdm-reservation': '0, 1' }, full(['tdm-reservation: 1 (header)'])], // repeated header, joined
    [{ 'tdm-reservation': '1', 'tdm-policy': 'javascript:alert(1)' }, full(['tdm-reservation: 1 (header)'])],
    [{ 'tdm-reservation': '1', 'tdm-policy': '/relative/policy' }, full(['tdm-reservation: 1 (header)'])],
    [
      { 'tdm-reservation': '1', 'x-robots-tag': 'noimageai' },
      full(['X-Robots-Tag: noimageai', 'tdm-reservation: 1 (header)']),
    ],
  ]
  for (const [headers, expected] of cases) {
    await t.test(JSON.stringify(headers), () => assert.deepEqual(optOutFromHeaders(headers), expected))
  }
})

// --- HTML ------------------------------------------------------------------------------------------

test('html: robots and tidings meta tags', async (t) => {
  const cases: [head: string, expected: AiOptOut][] = [
    ['<meta name="robots" content="noai, noimageai">', full(['robots meta: noai', 'robots meta: noimageai'])],
    ['<meta name="robots" content="noimageai">', images(['robots meta: noimageai'])],
    ['<META NAME="ROBOTS" CONTENT="NOAI">', full(['robots meta: noai'])],
    ['<meta content="noai" name="Robots">', full(['robots meta: noai'])],
    ['<meta name=robots content=noai>', full(['robots meta: noai'])],
    ['<meta name="robots" content="index,follow,noimageai">', images(['robots meta: noimageai'])],
    ['<meta name="robots" content="  noai   noimageai ">', full(['robots meta: noai', 'robots meta: noimageai'])],
    ['<meta name="tidings" content="noai">', full(['tidings meta: noai'])],
    ['<meta name="otherbot" content="noai">', NO_OPT_OUT],
    ['<meta name="googlebot" content="noai, noimageai">', NO_OPT_OUT],
    ['<meta name="robots" content="noindex">', NO_OPT_OUT],
    ['<meta property="robots" content="noai">', NO_OPT_OUT],
    [
      '<meta name="robots" content="noimageai"><meta name="tidings" content="noai"><meta name="otherbot" content="noai">',
      full(['robots meta: noimageai', 'tidings meta: noai']),
    ],
    ['<meta name="robots" content="noai"><meta name="robots" content="noai">', full(['robots meta: noai'])],
  ]
  for (const [head, expected] of cases) {
    await t.test(head, () => assert.deepEqual(optOutFromHtml(page(head), { userAgent: UA }), expected))
  }
})

test('html: the user agent option picks which bot-specific meta applies', () => {
  const html = page('<meta name="otherbot" content="noai">')
  assert.equal(optOutFromHtml(html).optedOut, false)
  assert.equal(optOutFromHtml(html, { userAgent: 'OtherBot/2.0 (+https://other.example)' }).optedOut, true)
})

test('html: TDMRep meta tags', async (t) => {
  const policy = 'https://publisher.example/policies/tdm.json'
  const cases: [head: string, expected: AiOptOut][] = [
    ['<meta name="tdm-reservation" content="1">', full(['tdm-reservation: 1 (meta)'])],
    [
      `<meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="${policy}">`,
      full(['tdm-reservation: 1 (meta)'], policy),
    ],
    [`<meta name="tdm-policy" content="${policy}"><meta name="TDM-Reservation" content="1">`, full(['tdm-reservation: 1 (meta)'], policy)],
    ['<meta name="tdm-reservation" content="0">', NO_OPT_OUT],
    [`<meta name="tdm-reservation" content="0"><meta name="tdm-policy" content="${policy}">`, NO_OPT_OUT],
    ['<meta name="tdm-reservation" content="true">', NO_OPT_OUT],
    [
      '<meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="javascript:alert(1)">',
      full(['tdm-reservation: 1 (meta)']),
    ],
  ]
  for (const [head, expected] of cases) {
    await t.test(head, () => assert.deepEqual(optOutFromHtml(page(head)), expected))
  }
})

test('html: entities in attribute values are decoded', () => {
  assert.deepEqual(
    optOutFromHtml(page('<meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="https://p.example/p?a=1&amp;b=2">')).policyUrl,
    'https://p.example/p?a=1&b=2',
  )
})

test('html: only the head counts', () => {
  const inBody = page('', '<meta name="robots" content="noai"><p>A post about <code>noai</code></p>')
  assert.deepEqual(optOutFromHtml(inBody), NO_OPT_OUT)
  // Without </head>, the opening <body> ends the head.
  assert.deepEqual(optOutFromHtml('<html><head><meta name=robots content=noimageai><body><meta name=robots content=noai>'), images(['robots meta: noimageai']))
  // Text inside head scripts is not markup.
  assert.deepEqual(optOutFromHtml(page('<script>document.write("<body><meta name=robots content=noai>")</script>')), NO_OPT_OUT)
  assert.deepEqual(optOutFromHtml(page('<script>var s = "</head>"</script><meta name="robots" content="noai">')), full(['robots meta: noai']))
  assert.deepEqual(optOutFromHtml(page('<!-- <meta name="robots" content="noai"> -->')), NO_OPT_OUT)
})

test('html: pages without head or body tags are still read', () => {
  assert.deepEqual(optOutFromHtml('<meta name="robots" content="noai"><title>x</title><p>text'), full(['robots meta: noai']))
  assert.deepEqual(optOutFromHtml('<meta name="robots" content="noai"'), NO_OPT_OUT, 'an unterminated tag says nothing')
})

test('html: garbage never throws', () => {
  const inputs = [
    '',
    '<',
    '<meta',
    '<meta name="robots" content="noai',
    '<html><head><meta name="robots" content="noai">'.repeat(1000),
    '\u0000\u0001\uFFFD\uD800<meta\u0000name=robots content=noai>',
    Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    '<head>' + '<script>'.repeat(10_000),
    '<'.repeat(100_000),
  ]
  for (const html of inputs) assert.doesNotThrow(() => optOutFromHtml(html))
  assert.equal(optOutFromHtml(inputs[4]!).optedOut, true)
})

test('html: a huge body after the head is not needed to answer, and a huge head is cut off', () => {
  const hugeBody = page('<meta name="robots" content="noimageai">', '<p>x</p>'.repeat(2_000_000))
  assert.deepEqual(optOutFromHtml(hugeBody), images(['robots meta: noimageai']))
  // A meta tag beyond the scan limit (no head ever closed) is not looked for.
  const late = '<p>' + 'x'.repeat(1_500_000) + '<meta name="robots" content="noai">'
  assert.deepEqual(optOutFromHtml(late), NO_OPT_OUT)
})

// --- tdmrep.json -----------------------------------------------------------------------------------

const SITE_FILE = JSON.stringify([
  { location: '/news/archive/*', 'tdm-reservation': 0 },
  { location: '/news/*', 'tdm-reservation': 1, 'tdm-policy': 'https://publisher.example/tdm-policy.json' },
  { location: '/*.pdf$', 'tdm-reservation': 1 },
  { location: '/blog/', 'tdm-reservation': 1 },
  { location: '/Photos/', 'tdm-reservation': 1 },
  { location: '/price-%24', 'tdm-reservation': 1 },
])

function rules(body: string): TdmRepRule[] {
  const parsed = parseTdmRep(body)
  assert.ok(parsed.ok, 'parses')
  return parsed.value
}

test('tdmrep.json: parse', () => {
  assert.deepEqual(rules(SITE_FILE).slice(0, 2), [
    { location: '/news/archive/*', reservation: 0, policy: null },
    { location: '/news/*', reservation: 1, policy: 'https://publisher.example/tdm-policy.json' },
  ])
  assert.deepEqual(rules('[]'), [])
  assert.deepEqual(rules('\uFEFF[{"location":"/","tdm-reservation":1}]'), [{ location: '/', reservation: 1, policy: null }])
  // Unknown values keep their place (unset); entries without a location are dropped.
  assert.deepEqual(
    rules('[{"location":"/a","tdm-reservation":2},{"tdm-reservation":1},{"location":5},null,"x",{"location":"/b","tdm-reservation":"1","tdm-policy":"ftp://x"}]'),
    [
      { location: '/a', reservation: null, policy: null },
      { location: '/b', reservation: 1, policy: null },
    ],
  )
  assert.deepEqual(rules('[{"location":"https://publisher.example/news/","tdm-reservation":1}]')[0]?.location, '/news/')
  assert.deepEqual(rules('[{"location":"news/","tdm-reservation":1}]')[0]?.location, '/news/')
})

test('tdmrep.json: bad files are error values', async (t) => {
  const cases: [body: string, code: string][] = [
    ['', 'tdmrep_invalid_json'],
    ['{not json', 'tdmrep_invalid_json'],
    ['<!doctype html><title>Not found</title>', 'tdmrep_invalid_json'],
    ['\u0000\u0001binary', 'tdmrep_invalid_json'],
    ['{"location":"/","tdm-reservation":1}', 'tdmrep_invalid_shape'], // the spec's brackets are mandatory
    ['"text"', 'tdmrep_invalid_shape'],
    ['null', 'tdmrep_invalid_shape'],
    ['[1,2,3]', 'tdmrep_invalid_shape'],
    ['[{"tdm-reservation":1}]', 'tdmrep_invalid_shape'],
    ['['.repeat(100_000) + ']'.repeat(100_000), 'tdmrep_invalid_shape'],
    ['['.repeat(100_000), 'tdmrep_invalid_json'],
  ]
  for (const [body, code] of cases) {
    await t.test(body.slice(0, 40), () => {
      const parsed = parseTdmRep(body)
      assert.equal(parsed.ok, false)
      if (!parsed.ok) {
        assert.equal(parsed.error.code, code)
        assert.equal(parsed.error.stage, 'fetch')
      }
    })
  }
})

test('tdmrep.json: matching a URL, first matching rule decides', async (t) => {
  const site = rules(SITE_FILE)
  const policy = 'https://publisher.example/tdm-policy.json'
  const cases: [url: string, expected: AiOptOut][] = [
    ['https://publisher.example/news/2024/story', full(['tdmrep.json: /news/*'], policy)],
    ['https://publisher.example/news/', full(['tdmrep.json: /news/*'], policy)],
    ['https://publisher.example/news/archive/1999/old', NO_OPT_OUT], // the earlier 0 rule wins although /news/* matches too
    ['https://publisher.example/newsletter', NO_OPT_OUT],
    ['https://publisher.example/files/report.pdf', full(['tdmrep.json: /*.pdf$'])],
    ['https://publisher.example/files/report.pdf?download=1', NO_OPT_OUT], // $ anchors the end
    ['https://publisher.example/blog/', full(['tdmrep.json: /blog/'])],
    ['https://publisher.example/blog/post?x=1', full(['tdmrep.json: /blog/'])], // prefix semantics
    ['https://publisher.example/blog', NO_OPT_OUT],
    ['https://publisher.example/photos/cat.jpg', NO_OPT_OUT], // case-sensitive
    ['https://publisher.example/Photos/cat.jpg', full(['tdmrep.json: /Photos/'])],
    ['https://publisher.example/%62log/post', full(['tdmrep.json: /blog/'])], // unreserved escapes decoded
    ['https://publisher.example/price-$', full(['tdmrep.json: /price-%24'])], // a literal $ named as %24
    ['https://publisher.example/', NO_OPT_OUT],
    ['not a url', NO_OPT_OUT],
  ]
  for (const [url, expected] of cases) {
    await t.test(url, () => assert.deepEqual(optOutFromTdmRep(site, url), expected))
  }
})

test('tdmrep.json: a rule for the whole site, and an unset first match', () => {
  assert.deepEqual(optOutFromTdmRep(rules('[{"location":"/","tdm-reservation":1}]'), 'https://p.example/any/thing'), full(['tdmrep.json: /']))
  assert.deepEqual(
    optOutFromTdmRep(rules('[{"location":"/a/","tdm-reservation":"maybe"},{"location":"/","tdm-reservation":1}]'), 'https://p.example/a/b'),
    NO_OPT_OUT,
    'a matching rule with an unknown value means unset, not "try the next rule"',
  )
  assert.deepEqual(optOutFromTdmRep([], 'https://p.example/'), NO_OPT_OUT)
})

test('tdmrep.json: pathological patterns stay fast enough to answer', () => {
  const site = rules(JSON.stringify([{ location: '/' + '*a'.repeat(30) + 'b', 'tdm-reservation': 1 }]))
  assert.deepEqual(optOutFromTdmRep(site, 'https://p.example/' + 'a'.repeat(5000)), NO_OPT_OUT)
})

// --- merge and policy ------------------------------------------------------------------------------

test('merge: any opt-out wins, signals unioned in order, first policy URL', () => {
  const a = images(['robots meta: noimageai'])
  const b = full(['tdm-reservation: 1 (header)'], 'https://p.example/one')
  const c = full(['tdmrep.json: /', 'robots meta: noimageai'], 'https://p.example/two')
  assert.deepEqual(mergeOptOut(a, null, b, c), {
    optedOut: true,
    imagesOnly: false,
    signals: ['robots meta: noimageai', 'tdm-reservation: 1 (header)', 'tdmrep.json: /'],
    policyUrl: 'https://p.example/one',
  })
})

test('merge: images-only only when nothing opted out fully', () => {
  assert.deepEqual(mergeOptOut(NO_OPT_OUT, images(['X-Robots-Tag: noimageai'])), images(['X-Robots-Tag: noimageai']))
  assert.equal(mergeOptOut(images(['a']), full(['b'])).imagesOnly, false)
})

test('merge: nothing, or only nulls, is no opt-out; inputs are not mutated', () => {
  assert.deepEqual(mergeOptOut(), NO_OPT_OUT)
  assert.deepEqual(mergeOptOut(null, null), NO_OPT_OUT)
  const a = full(['x'])
  const merged = mergeOptOut(a, full(['y']))
  merged.signals.push('z')
  assert.deepEqual(a.signals, ['x'])
  assert.ok(Object.isFrozen(NO_OPT_OUT) && Object.isFrozen(NO_OPT_OUT.signals))
})

test('merge: a page\'s own signals with the site file\'s and the response\'s', () => {
  const headers = optOutFromHeaders({ 'x-robots-tag': 'noimageai' })
  const html = optOutFromHtml(page('<meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="https://p.example/policy">'))
  const site = optOutFromTdmRep(rules('[{"location":"/news/","tdm-reservation":1}]'), 'https://p.example/news/x')
  assert.deepEqual(mergeOptOut(headers, html, site), {
    optedOut: true,
    imagesOnly: false,
    signals: ['X-Robots-Tag: noimageai', 'tdm-reservation: 1 (meta)', 'tdmrep.json: /news/'],
    policyUrl: 'https://p.example/policy',
  })
})

test('policy: follow obeys the publisher', () => {
  assert.deepEqual(resolveAiPolicy(full(['X-Robots-Tag: noai']), 'follow'), {
    allowed: false,
    imagesAllowed: false,
    reason: 'The publisher opted out of AI use (X-Robots-Tag: noai).',
  })
  assert.deepEqual(resolveAiPolicy(images(['robots meta: noimageai']), 'follow'), {
    allowed: true,
    imagesAllowed: false,
    reason: 'The publisher opted out of AI use of images (robots meta: noimageai); text features remain available.',
  })
  assert.deepEqual(resolveAiPolicy(NO_OPT_OUT, 'follow'), {
    allowed: true,
    imagesAllowed: true,
    reason: 'The publisher has not opted out of AI use.',
  })
  assert.equal(
    resolveAiPolicy(full(['X-Robots-Tag: noai', 'tdmrep.json: /']), 'follow').reason,
    'The publisher opted out of AI use (X-Robots-Tag: noai; tdmrep.json: /).',
  )
})

test('policy: deny turns AI off whatever the publisher says', () => {
  for (const detected of [NO_OPT_OUT, images(['robots meta: noimageai']), full(['tdm-reservation: 1 (header)'])]) {
    assert.deepEqual(resolveAiPolicy(detected, 'deny'), {
      allowed: false,
      imagesAllowed: false,
      reason: 'AI features are turned off for this source by the operator.',
    })
  }
})

test('policy: allow overrides the publisher and says so', () => {
  assert.deepEqual(resolveAiPolicy(full(['tdm-reservation: 1 (header)']), 'allow'), {
    allowed: true,
    imagesAllowed: true,
    reason: "AI features are allowed for this source by the operator, overriding the publisher's signals (tdm-reservation: 1 (header)).",
  })
  assert.deepEqual(resolveAiPolicy(images(['robots meta: noimageai']), 'allow').imagesAllowed, true)
  assert.deepEqual(resolveAiPolicy(NO_OPT_OUT, 'allow'), {
    allowed: true,
    imagesAllowed: true,
    reason: 'AI features are allowed for this source by the operator.',
  })
})
