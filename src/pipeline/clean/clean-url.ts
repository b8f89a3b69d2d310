/**
 * One article, one URL: absolute, http(s) only, no fragment, no tracking parameters, lower-case host,
 * no default port (the WHATWG parser does the last two).
 */

// Exact names (compared lower-cased). Each is a click or campaign identifier that never selects content.
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id',
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', '__hssc', '__hstc', '__hsfp', 'hsctatracking',
  'ref_src', 'ref_url', 'igshid', 'igsh', 'mkt_tok', 'vero_id', 'vero_conv', '_ga', '_gl', 'oly_anon_id', 'oly_enc_id',
  'wickedid', 'rb_clickid', 's_kwcid', 'ncid', 'sr_share', 'cmpid', 'ito', 'at_medium', 'at_campaign',
])
// Families recognised by prefix: Google Analytics (utm_source…), Piwik/Matomo (pk_campaign…).
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_']

export function isTrackingParam(name: string): boolean {
  const key = name.toLowerCase()
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p))
}

/**
 * Returns the cleaned absolute URL, or null when `url` is not an http(s) URL (mailto:, javascript:,
 * a relative path without a usable base, garbage). `keepFragment` is for in-body links, where `#notes`
 * still means something; an article's identity never depends on it.
 */
export function cleanUrl(url: string, ctx: { base?: string; keepFragment?: boolean } = {}): string | null {
  let parsed: URL
  try {
    parsed = ctx.base ? new URL(url.trim(), safeBase(ctx.base)) : new URL(url.trim())
  } catch {
    return null
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null
  if (!parsed.hostname) return null
  if (!ctx.keepFragment) parsed.hash = ''
  // Filter the raw query rather than going through URLSearchParams, which would re-encode the
  // parameters we keep (`%20` → `+`, `%7E` …) and so change URLs some servers treat byte for byte.
  if (parsed.search) {
    const parts = parsed.search.slice(1).split('&')
    const kept = parts.filter((part) => part !== '' && !isTrackingParam(decodeKey(part)))
    if (kept.length !== parts.length) parsed.search = kept.length ? `?${kept.join('&')}` : ''
  }
  return parsed.href
}

function safeBase(base: string): string | undefined {
  try {
    return new URL(base).href
  } catch {
    return undefined
  }
}

function decodeKey(part: string): string {
  const raw = part.split('=', 1)[0] ?? ''
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    return raw
  }
}
