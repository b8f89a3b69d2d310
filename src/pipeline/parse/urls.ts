import { DecodingMode, decodeHTML } from 'entities'

const WEB_SCHEMES = new Set(['http:', 'https:'])

/**
 * An absolute URL for `raw` against `base`, or null. Output URLs are http(s) only unless `anyScheme`
 * (used for xml:base chains): `javascript:` and friends never reach the reader.
 */
export function resolveUrl(raw: string | null | undefined, base: string | null, opts: { anyScheme?: boolean } = {}): string | null {
  if (raw === null || raw === undefined) return null
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
  return url.href
}

const URL_ATTRS = ['href', 'src', 'poster', 'cite', 'background', 'longdesc', 'action', 'data', 'srcset']
const ATTR_RE = new RegExp(`(\\s(?:${URL_ATTRS.join('|')})\\s*=\\s*)(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'gi')
const TAG_RE = /<[a-zA-Z][^>]*>/g
const ABSOLUTE = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|#)/

/**
 * Makes relative `href`/`src`/… in an HTML fragment absolute. Works on the tag text rather than a parsed
 * tree, so everything else in the markup stays byte-for-byte as the publisher wrote it.
 */
export function absolutizeHtml(html: string, base: string | null): string {
  if (!base || !/\s(?:href|src|poster|cite|background|longdesc|action|data|srcset)\s*=/i.test(html)) return html
  return html.replace(TAG_RE, (tag) =>
    tag.replace(ATTR_RE, (all, lead: string, dq?: string, sq?: string, bare?: string) => {
      const rawValue = dq ?? sq ?? bare ?? ''
      const value = decodeHTML(rawValue, DecodingMode.Attribute).trim()
      const isSrcset = /srcset/i.test(lead)
      const resolved = isSrcset ? resolveSrcset(value, base) : resolveRelative(value, base)
      if (resolved === null) return all
      return `${lead}"${resolved.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`
    }),
  )
}

function resolveRelative(value: string, base: string): string | null {
  if (value === '' || ABSOLUTE.test(value)) return null
  try {
    return new URL(value, base).href
  } catch {
    return null
  }
}

function resolveSrcset(value: string, base: string): string | null {
  let changed = false
  const parts = value.split(',').map((part) => {
    const m = /^(\s*)(\S+)(.*)$/.exec(part)
    if (!m) return part
    const resolved = resolveRelative(m[2] ?? '', base)
    if (resolved === null) return part
    changed = true
    return `${m[1]}${resolved}${m[3]}`
  })
  return changed ? parts.join(',') : null
}
