/**
 * Recognises a bot check (a challenge, captcha or "access denied" interstitial from a CDN or bot
 * manager) served where a feed or page was expected, so the source shows "the publisher's bot
 * protection blocked us" instead of "not a feed". Data in, verdict out: status, headers and the start
 * of the body. General markers of the common vendors, not one site.
 */

export interface BotCheck {
  /** Who served it, when a marker says so ('Cloudflare', 'DataDome', …); null for a generic one. */
  vendor: string | null
  /** What gave it away, for the message (a header or a phrase). */
  evidence: string
}

export interface BotCheckInput {
  status: number
  /** Lower-cased names. */
  headers: Record<string, string>
  body: Uint8Array | string
}

/** Only the start of a body is looked at: interstitials are small and say what they are early. */
const SCAN_BYTES = 64 * 1024
/** A page this small with only a weak marker ("enable JavaScript and cookies") is an interstitial. */
const SMALL_PAGE_CHARS = 16 * 1024

interface Marker {
  vendor: string | null
  evidence: string
  test: RegExp
}

/** Headers that vendors set only on a challenge or block response. */
const HEADER_MARKERS: { name: string; test: RegExp; vendor: string }[] = [
  { name: 'cf-mitigated', test: /challenge/i, vendor: 'Cloudflare' },
  { name: 'x-vercel-mitigated', test: /challenge|deny/i, vendor: 'Vercel' },
  { name: 'x-amzn-waf-action', test: /challenge|captcha|block/i, vendor: 'AWS WAF' },
  { name: 'x-datadome', test: /protected|block/i, vendor: 'DataDome' },
  { name: 'x-sucuri-block', test: /./, vendor: 'Sucuri' },
]

/** Phrases and resources that appear only on interstitials: enough on their own. */
const STRONG: Marker[] = [
  { vendor: 'Cloudflare', evidence: '"Just a moment..." page', test: /<title>\s*just a moment(?:\.\.\.|…)?\s*<\/title>/i },
  { vendor: 'Cloudflare', evidence: '"Attention Required" page', test: /<title>[^<]*attention required[^<]*<\/title>/i },
  { vendor: 'Cloudflare', evidence: 'challenge script', test: /\/cdn-cgi\/challenge-platform\/|window\._cf_chl_opt|cf-browser-verification/i },
  { vendor: null, evidence: '"Checking your browser" page', test: /checking (?:your browser|if the site connection is secure)/i },
  { vendor: null, evidence: '"Verify you are human" page', test: /verify(?:ing)? (?:that )?you are (?:a )?human/i },
  { vendor: 'DataDome', evidence: 'captcha-delivery.com', test: /(?:geo|ct|js)\.captcha-delivery\.com|datadome\.co\/captcha/i },
  { vendor: 'PerimeterX', evidence: 'PerimeterX captcha', test: /px-captcha|_pxappid|captcha\.px-cdn\.net|px-cloud\.net\/[^"']*captcha/i },
  { vendor: 'Imperva', evidence: 'Incapsula block page', test: /_incapsula_resource|incapsula incident id/i },
  { vendor: 'Imperva', evidence: '"Pardon Our Interruption" page', test: /<title>\s*pardon our interruption/i },
  { vendor: 'Akamai', evidence: 'Akamai "Access Denied" page', test: /errors\.edgesuite\.net|you don't have permission to access[\s\S]{0,400}reference\s*#/i },
  { vendor: 'Sucuri', evidence: 'Sucuri firewall page', test: /sucuri website firewall/i },
  { vendor: 'AWS WAF', evidence: 'AWS WAF challenge', test: /awswafintegration|token\.awswaf\.com/i },
  { vendor: null, evidence: '"Are you a robot?" page', test: /<title>[^<]*(?:are you a (?:robot|human)|captcha|bot (?:check|verification)|human verification)[^<]*<\/title>/i },
]

/**
 * Phrases that also appear on ordinary pages (a comment form's captcha): they count on a refusing
 * status, and only the interstitial notice counts on a tiny page served with success.
 */
const WEAK: (Marker & { onSuccess: boolean })[] = [
  { vendor: null, evidence: '"enable JavaScript and cookies" notice', onSuccess: true, test: /enable javascript and cookies|javascript (?:and|&amp;|&) cookies (?:are|must be) enabled|turn javascript on and reload/i },
  { vendor: null, evidence: 'captcha widget', onSuccess: false, test: /class=["'][^"']*\b(?:g-recaptcha|h-captcha|cf-turnstile)\b|hcaptcha\.com\/1\/api\.js|google\.com\/recaptcha\/api\.js|challenges\.cloudflare\.com\/turnstile/i },
  { vendor: null, evidence: '"Access denied" page', onSuccess: false, test: /<title>\s*access denied\s*<\/title>/i },
]

const BLOCKING_STATUSES = new Set([401, 403, 429, 503])

function bodyText(body: Uint8Array | string): string {
  if (typeof body === 'string') return body.slice(0, SCAN_BYTES)
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(body.subarray(0, SCAN_BYTES))
}

/** A feed that quotes one of these phrases in an item is still a feed. */
function looksLikeFeed(text: string): boolean {
  const head = text.replace(/^[\s\uFEFF]+/, '').slice(0, 512)
  if (/^<\?xml/i.test(head)) return !/<html[\s>]/i.test(text.slice(0, 2048))
  return /^<(?:rss|feed|rdf:RDF)[\s>]/i.test(head) || (head.startsWith('{') && /"version"\s*:\s*"https:\/\/jsonfeed\.org/i.test(text.slice(0, 4096)))
}

/** The bot check this response is, or null when it is an ordinary response (or an ordinary error). */
export function detectBotCheck(input: BotCheckInput): BotCheck | null {
  for (const h of HEADER_MARKERS) {
    const v = input.headers[h.name]
    if (v !== undefined && h.test.test(v)) return { vendor: h.vendor, evidence: `${h.name}: ${v.slice(0, 60)}` }
  }
  const text = bodyText(input.body)
  if (!text || looksLikeFeed(text)) return null
  const cloudflare = /cloudflare/i.test(input.headers['server'] ?? '')
  for (const m of STRONG) {
    if (m.test.test(text)) return { vendor: m.vendor ?? (cloudflare ? 'Cloudflare' : null), evidence: m.evidence }
  }
  const blocking = BLOCKING_STATUSES.has(input.status)
  const small = text.length < SMALL_PAGE_CHARS && !/<article[\s>]/i.test(text)
  if (!blocking && !small) return null
  for (const m of WEAK) {
    if ((blocking || m.onSuccess) && m.test.test(text)) return { vendor: m.vendor ?? (cloudflare ? 'Cloudflare' : null), evidence: m.evidence }
  }
  return null
}

/** One line for the source's error: who blocked us, how we could tell, and what to do. */
export function describeBotCheck(check: BotCheck, ctx: { url: string; status: number }): string {
  const who = check.vendor ? `${check.vendor} bot protection` : 'bot protection'
  return `${who} answered with a challenge (HTTP ${ctx.status}, ${check.evidence}) instead of the content at ${ctx.url}; ` +
    'it lets browsers through, not feed readers. Ask the publisher to allow feed readers, or try again later.'
}
