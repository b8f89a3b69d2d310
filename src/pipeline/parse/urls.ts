const WEB_SCHEMES = new Set(['http:', 'https:'])

/**
 * An absolute URL for `raw` against `base`, or null. Output URLs are http(s) only unless `anyScheme`
 * (used for xml:base chains): `javascript:` and friends never reach the reader.
 */
export function resolveUrl(raw: string | null | undefined, base: string | null, opts: { anyScheme?: boolean } = {}): string | null {
  if (raw === null || raw === undefined) return null
  // Most URLs in feeds are already absolute and canonical; parsing them only to print them back costs
  // more than the rest of an item. The pattern admits only what the WHATWG parser leaves unchanged.
  if (SIMPLE_ABSOLUTE.test(raw) && !DOT_SEGMENT.test(raw) && !raw.includes('xn--') && baseIsUsable(base)) return raw
  // Feeds wrap long URLs over lines and pad them with spaces.
  const cleaned = raw.trim().replace(/[\t\n\r]+/g, '')
  if (cleaned === '') return null
  let url: URL
  try {
    url = base ? new URL(cleaned, base) : new URL(cleaned)
  } catch {
    return null
  }
  if (!opts.anyScheme && !WEB_SCHEMES.has(url.protocol)) return null
  return withWrittenHost(url, /^[a-z][a-z0-9+.-]*:/i.test(cleaned) ? cleaned : cleaned.startsWith('//') ? null : base)
}

/**
 * http(s), lower-case scheme and host with a last label starting with a letter (so not an IPv4 address),
 * no userinfo or port, a path, and only characters that need no escaping in path, query or fragment.
 */
const SIMPLE_ABSOLUTE = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\.?\/[A-Za-z0-9\-._~/?=&%+,;:@!$*()#]*$/
/** `.` or `..` segments (also percent-encoded) are removed by the parser. */
const DOT_SEGMENT = /\/\.|%2e/i

/** `new URL(absolute, base)` still throws when the base is not a URL; the last base checked is remembered. */
let checkedBase: string | null = null
function baseIsUsable(base: string | null): boolean {
  if (base === null || base === checkedBase) return true
  if (!URL.canParse(base)) return false
  checkedBase = base
  return true
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\\]*)/i

/**
 * The URL with its host as the publisher wrote it (`written`: the raw URL when absolute, else the base
 * it was resolved against): an internationalised host stays readable instead of turning into punycode,
 * and `item.TEST` keeps its case. Only when the written authority means exactly what the parser made of
 * it; the path and query always come from the parser (dot segments resolved, spaces escaped). Fetching
 * and comparing URLs parse them again, so both spellings lead to the same place.
 */
function withWrittenHost(url: URL, written: string | null): string {
  const href = url.href
  const m = written === null ? null : AUTHORITY.exec(written)
  if (!m) return href
  const tail = url.pathname.length + url.search.length + url.hash.length
  const parsedPrefix = href.slice(0, href.length - tail)
  const writtenPrefix = `${m[1]!.toLowerCase()}://${m[2]!}`
  if (writtenPrefix === parsedPrefix) return href
  try {
    if (new URL(`${writtenPrefix}/`).href !== `${parsedPrefix}/`) return href
  } catch {
    return href
  }
  return writtenPrefix + href.slice(href.length - tail)
}
