import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isAllowedByRobots, parseRobots } from './robots.js'

const UA = 'Tidings/0.1 (+https://example.org/bot)'

test('robots: the tidings group wins over *, and * applies to others', () => {
  const robots = parseRobots(`
# comment line
User-agent: *
Disallow: /private

User-agent: Tidings
Disallow: /no-tidings
`)
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: '/no-tidings/a' }), false)
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: '/private' }), true, 'the * group does not apply when ours exists')
  assert.equal(isAllowedByRobots(robots, { userAgent: 'OtherBot/1.0', path: '/private/x' }), false)
  assert.equal(isAllowedByRobots(robots, { userAgent: 'OtherBot/1.0', path: '/no-tidings' }), true)
})

test('robots: matching rules', async (t) => {
  const robots = parseRobots(
    [
      'User-agent: googlebot',
      'User-agent: tidings   # grouped with googlebot',
      'Disallow: /news/',
      'Allow: /news/public',
      'Disallow: /*.pdf$',
      'Disallow: /search?',
      'Allow: /same',
      'Disallow: /same',
      'Disallow: /*/drafts/',
      'Disallow: /caf%c3%a9',
      'Disallow: /ümlaut',
      'Sitemap: https://example.org/sitemap.xml',
      'Disallow: /after-sitemap',
      'User-agent: *',
      'Disallow: /',
    ].join('\r\n'),
  )
  const cases: [path: string, allowed: boolean][] = [
    ['/', true],
    ['/news/', false],
    ['/news/story-1', false],
    ['/news/public-story', true], // longer Allow beats shorter Disallow
    ['/files/report.pdf', false],
    ['/files/report.pdf?download=1', true], // $ anchors the end
    ['/search?q=x', false],
    ['/search', true],
    ['/same', true], // tie: Allow wins
    ['/blog/drafts/1', false],
    ['/blog/posts/1', true],
    ['/caf%C3%A9', false], // escapes compared case-insensitively
    ['/%C3%BCmlaut', false], // raw UTF-8 in robots.txt matches the encoded path
    ['/after-sitemap', false], // Sitemap does not end the group
    ['/robots.txt', true],
  ]
  for (const [path, allowed] of cases) {
    await t.test(path, () => assert.equal(isAllowedByRobots(robots, { userAgent: UA, path }), allowed))
  }
})

test('robots: empty, missing and odd files allow everything', () => {
  for (const text of ['', 'User-agent: *\nDisallow:\n', 'Disallow: /\n', '<html><body>Not found</body></html>']) {
    assert.equal(isAllowedByRobots(parseRobots(text), { userAgent: UA, path: '/a' }), true, JSON.stringify(text))
  }
})

test('robots: * group disallow all', () => {
  const robots = parseRobots('\uFEFFUser-agent: *\nDisallow: /\n')
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: '/anything' }), false)
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: '/robots.txt' }), true)
})

test('robots: several groups naming us are combined', () => {
  const robots = parseRobots('User-agent: tidings\nDisallow: /a\n\nUser-agent: tidings\nDisallow: /b\n')
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: '/a' }), false)
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: '/b' }), false)
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: '/c' }), true)
})

test('robots: many wildcards do not blow up', () => {
  const robots = parseRobots(`User-agent: *\nDisallow: /${'*a'.repeat(30)}*b$\n`)
  assert.equal(isAllowedByRobots(robots, { userAgent: UA, path: `/${'a'.repeat(5000)}` }), true)
})
