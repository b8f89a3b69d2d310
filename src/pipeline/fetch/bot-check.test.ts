import { test } from 'node:test'
import assert from 'node:assert/strict'
import { describeBotCheck, detectBotCheck } from './bot-check.js'

const html = (title: string, body: string): string =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`

/** A long ordinary article page, well over the "small page" size. */
const longArticle = (extra: string): string =>
  html('Harbour ferry timetable changes', `<article><h1>Ferries</h1>${'<p>The harbour ferry runs every twenty minutes on weekdays.</p>'.repeat(400)}${extra}</article>`)

test('detectBotCheck recognises challenge and block pages by their markers', async (t) => {
  const cases: [name: string, status: number, headers: Record<string, string>, body: string, vendor: string | null][] = [
    ['cf-mitigated header on a 403', 403, { 'cf-mitigated': 'challenge' }, '', 'Cloudflare'],
    ['cf-mitigated header even on a 200', 200, { 'cf-mitigated': 'challenge', 'content-type': 'text/html' }, html('Hello', ''), 'Cloudflare'],
    ['"Just a moment..." title', 503, { server: 'cloudflare' }, html('Just a moment...', '<noscript>Enable JavaScript and cookies to continue</noscript>'), 'Cloudflare'],
    ['"Just a moment…" with a real ellipsis, no server header', 403, {}, html('Just a moment…', ''), 'Cloudflare'],
    ['challenge-platform script on a 200', 200, {}, html('Loading', '<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script>'), 'Cloudflare'],
    ['"Checking your browser" page', 503, {}, html('Please wait', '<p>Checking your browser before accessing the site.</p>'), null],
    ['"Verify you are human"', 403, {}, html('One more step', '<p>Verify you are human by completing the action below.</p>'), null],
    ['DataDome captcha', 403, { 'content-type': 'text/html' }, html('news.example', '<script src="https://ct.captcha-delivery.com/c.js"></script>'), 'DataDome'],
    ['DataDome header', 403, { 'x-datadome': 'protected' }, '', 'DataDome'],
    ['PerimeterX press-and-hold', 403, {}, html('Access to this page has been denied', '<div id="px-captcha"></div>'), 'PerimeterX'],
    ['Akamai access denied', 403, {}, html('Access Denied', "<h1>Access Denied</h1>You don't have permission to access \"http://news.example/feed\" on this server.<p>Reference #18.2f3e4d5c.1700000000.abc</p>"), 'Akamai'],
    ['Incapsula', 403, {}, html('', '<iframe src="/_Incapsula_Resource?CWUDNSAI=1"></iframe>Request unsuccessful. Incapsula incident ID: 123'), 'Imperva'],
    ['AWS WAF header', 405, { 'x-amzn-waf-action': 'challenge' }, '', 'AWS WAF'],
    ['noscript "enable JavaScript and cookies" on a small 200 page', 200, {}, html('news.example', '<noscript>Please enable JavaScript and cookies to continue.</noscript><script src="/a.js"></script>'), null],
    ['captcha widget on a 429', 429, {}, html('Too many requests', '<div class="g-recaptcha" data-sitekey="k"></div>'), null],
    ['Cloudflare server header names the vendor of a generic page', 403, { server: 'cloudflare' }, html('Access denied', ''), 'Cloudflare'],
  ]
  for (const [name, status, headers, body, vendor] of cases) {
    await t.test(name, () => {
      const v = detectBotCheck({ status, headers, body: new TextEncoder().encode(body) })
      assert.ok(v, 'recognised')
      assert.equal(v.vendor, vendor)
    })
  }
})

test('detectBotCheck leaves feeds, ordinary pages and ordinary errors alone', async (t) => {
  const cases: [name: string, status: number, headers: Record<string, string>, body: string][] = [
    ['an RSS feed whose item quotes a challenge title', 200, {}, '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Just a moment...</title><description>&lt;title&gt;Just a moment...&lt;/title&gt; and "Checking your browser"</description></item></channel></rss>'],
    ['an Atom feed', 200, {}, '<feed xmlns="http://www.w3.org/2005/Atom"><title>Verify you are human: a history of captchas</title></feed>'],
    ['a JSON feed', 200, {}, '{"version":"https://jsonfeed.org/version/1.1","title":"Checking your browser","items":[]}'],
    ['a long article page with a comment captcha', 200, {}, longArticle('<form><div class="g-recaptcha" data-sitekey="k"></div></form>')],
    ['a plain 404 page', 404, {}, html('Not found', '<p>There is nothing here.</p>')],
    ['a small ordinary page with a newsletter captcha', 200, {}, html('Harbour news', '<form><div class="g-recaptcha" data-sitekey="k"></div></form>')],
    ['a plain 403 without markers', 403, {}, html('Forbidden', '<p>You may not list this directory.</p>')],
    ['an empty 429', 429, { 'retry-after': '120' }, ''],
    ['a cf-mitigated value other than challenge', 200, { 'cf-mitigated': 'none' }, html('Hello', '<p>Hi</p>')],
  ]
  for (const [name, status, headers, body] of cases) {
    await t.test(name, () => assert.equal(detectBotCheck({ status, headers, body }), null))
  }
})

test('describeBotCheck says who blocked us, how we know, and what to do', () => {
  const v = detectBotCheck({ status: 403, headers: { 'cf-mitigated': 'challenge' }, body: '' })
  assert.ok(v)
  const text = describeBotCheck(v, { url: 'https://news.example/feed', status: 403 })
  assert.match(text, /^Cloudflare bot protection answered with a challenge \(HTTP 403, cf-mitigated: challenge\) instead of the content at https:\/\/news\.example\/feed/)
  assert.match(text, /allow feed readers/)
})
