/**
 * Publishers' signals against AI use of their content, read from what a fetch already returned: the
 * `noai` / `noimageai` robots directives (meta tags and X-Robots-Tag) and the W3C TDM Reservation
 * Protocol (TDMRep: `tdm-reservation` / `tdm-policy` headers and meta tags, `/.well-known/tdmrep.json`).
 * Pure: fetching and caching tdmrep.json live in tdmrep-cache.ts.
 *
 * Precedence: TDMRep says header values supersede tdmrep.json and HTML meta supersedes both, so a page
 * could say `0` where the site file says `1`. We do not model "explicitly not reserved": signals are
 * merged so that any opt-out wins. A publisher sending contradictory signals gets the stricter reading.
 */
import { Parser } from 'htmlparser2'
import type { AiOptOut, AiPolicy } from '../../domain/types.js'
import { err, ok, stageError } from '../../domain/result.js'
import type { Result, StageError } from '../../domain/result.js'

export const NO_OPT_OUT: AiOptOut = Object.freeze({
  optedOut: false,
  imagesOnly: false,
  signals: Object.freeze([]) as unknown as string[],
  policyUrl: null,
})

const none = (): AiOptOut => ({ optedOut: false, imagesOnly: false, signals: [], policyUrl: null })

/** Our robots token; `Tidings/1.0 (+https://…)` → `tidings`, as robots.txt groups name products. */
const DEFAULT_TOKEN = 'tidings'
function productToken(userAgent: string | undefined): string {
  const token = (userAgent ?? '').trim().split(/[\s/]/)[0]?.toLowerCase() ?? ''
  return token === '' ? DEFAULT_TOKEN : token
}

/** Collects directives into one AiOptOut: `noai` opts out fully, `noimageai` images only. */
class Collector {
  private full = false
  private images = false
  private reserved = false
  private policy: string | null = null
  private readonly signals: string[] = []

  directive(value: string, signal: string): void {
    if (value === 'noai') this.full = true
    else if (value === 'noimageai') this.images = true
    else return
    this.add(signal)
  }

  reservation(value: string, where: 'header' | 'meta'): void {
    // Only 1 and 0 are defined; any other value is a protocol error, which the spec reads as unset.
    if (value.trim() !== '1') return
    this.reserved = true
    this.add(`tdm-reservation: 1 (${where})`)
  }

  policyCandidate(value: string): void {
    if (this.policy === null) this.policy = httpUrl(value)
  }

  private add(signal: string): void {
    if (!this.signals.includes(signal)) this.signals.push(signal)
  }

  result(): AiOptOut {
    const optedOut = this.full || this.reserved
    return {
      optedOut,
      imagesOnly: !optedOut && this.images,
      signals: [...this.signals],
      // A tdm-policy means nothing unless rights are reserved (TDMRep: agents should not process it).
      policyUrl: this.reserved ? this.policy : null,
    }
  }
}

/** Absolute http(s) URLs only: the value is shown to readers as a link. */
function httpUrl(value: string): string | null {
  const trimmed = value.trim()
  if (!/^https?:\/\//i.test(trimmed)) return null
  try {
    return new URL(trimmed).href
  } catch {
    return null
  }
}

/** robots directives that carry a value after a colon; any other `name:` prefix names a user agent. */
const VALUED_DIRECTIVES = new Set(['unavailable_after', 'max-snippet', 'max-image-preview', 'max-video-preview'])

function headerValue(headers: Record<string, string>, name: string): string | null {
  const direct = headers[name]
  if (typeof direct === 'string') return direct
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value
  return null
}

/**
 * `X-Robots-Tag`, `tdm-reservation` and `tdm-policy` from one response.
 *
 * X-Robots-Tag follows Google's reading: `otherbot: noai, noimageai` scopes both directives to
 * otherbot, and an unprefixed value applies to every bot. Our fetcher joins repeated headers with
 * `, `, so `X-Robots-Tag: otherbot: noindex` followed by `X-Robots-Tag: noai` arrives as one string
 * and the `noai` reads as otherbot's; that loss happens before us and cannot be undone here.
 */
export function optOutFromHeaders(headers: Record<string, string>, opts: { userAgent?: string } = {}): AiOptOut {
  const token = productToken(opts.userAgent)
  const out = new Collector()

  const robots = headerValue(headers, 'x-robots-tag')
  if (robots !== null) {
    let scope: string | null = null
    for (const raw of robots.split(',')) {
      let part = raw.trim().toLowerCase()
      const prefixed = /^([a-z0-9_.-]+)\s*:\s*(.*)$/.exec(part)
      if (prefixed && !VALUED_DIRECTIVES.has(prefixed[1]!)) {
        scope = prefixed[1]!
        part = prefixed[2]!
      }
      if (scope !== null && scope !== token) continue
      for (const value of part.split(/\s+/)) {
        out.directive(value, scope === null ? `X-Robots-Tag: ${value}` : `X-Robots-Tag: ${scope}: ${value}`)
      }
    }
  }

  const reservation = headerValue(headers, 'tdm-reservation')
  // A repeated header arrives comma-joined; any `1` among the values reserves.
  if (reservation !== null) for (const v of reservation.split(',')) out.reservation(v, 'header')
  const policy = headerValue(headers, 'tdm-policy')
  if (policy !== null) out.policyCandidate(policy)

  return out.result()
}

/** How much of a page is scanned for head meta tags when no `</head>` or `<body>` ends the head first. */
const MAX_SCAN_CHARS = 1_000_000
const CHUNK_CHARS = 64 * 1024

/**
 * `<meta name="robots|tidings" content="noai, noimageai">` and the TDMRep meta tags of one page.
 * Only the head is read: parsing stops at `</head>` or `<body>` (or after MAX_SCAN_CHARS), and no DOM
 * is built. Meta tags for other bots (`<meta name="googlebot">`) do not apply to us.
 */
export function optOutFromHtml(html: string, opts: { userAgent?: string } = {}): AiOptOut {
  const token = productToken(opts.userAgent)
  const out = new Collector()
  let done = false
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (done) return
        if (name === 'body') {
          done = true
          return
        }
        if (name !== 'meta') return
        const metaName = (attrs.name ?? '').trim().toLowerCase()
        const content = attrs.content ?? ''
        if (metaName === 'robots' || metaName === token) {
          for (const value of content.toLowerCase().split(/[\s,]+/)) out.directive(value, `${metaName} meta: ${value}`)
        } else if (metaName === 'tdm-reservation') {
          out.reservation(content, 'meta')
        } else if (metaName === 'tdm-policy') {
          out.policyCandidate(content)
        }
      },
      onclosetag(name) {
        if (name === 'head') done = true
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  )
  const limit = Math.min(html.length, MAX_SCAN_CHARS)
  // Written in chunks so that a closed head stops the work instead of tokenizing the whole body.
  for (let at = 0; at < limit && !done; at += CHUNK_CHARS) parser.write(html.slice(at, Math.min(at + CHUNK_CHARS, limit)))
  return out.result()
}

/** One rule of `/.well-known/tdmrep.json`. */
export interface TdmRepRule {
  /** The path pattern as published: robots.txt syntax, `*` any run of characters, a final `$` the end. */
  location: string
  /** 1 reserved, 0 not reserved, null for a value the spec calls a protocol error (read as unset). */
  reservation: 0 | 1 | null
  /** Absolute http(s) URL of the TDM policy, when the rule gives a usable one. */
  policy: string | null
}

const tdmError = (code: string, message: string, cause?: unknown): StageError =>
  stageError('fetch', code, message, cause === undefined ? {} : { cause })

function reservationValue(v: unknown): 0 | 1 | null {
  // The spec wants an integer; "1" as a string is read the same because its intent is plain.
  if (v === 1 || v === '1') return 1
  if (v === 0 || v === '0') return 0
  return null
}

/**
 * Parses tdmrep.json: a JSON array of `{ location, "tdm-reservation", "tdm-policy"? }`. Entries without a
 * usable location are dropped (they match nothing); entries with an unknown reservation value are kept as
 * `null` so that they still take their place in the first-match order.
 */
export function parseTdmRep(body: string): Result<TdmRepRule[], StageError> {
  let data: unknown
  try {
    data = JSON.parse(body.replace(/^\uFEFF/, ''))
  } catch (cause) {
    return err(tdmError('tdmrep_invalid_json', 'tdmrep.json is not valid JSON.', cause))
  }
  if (!Array.isArray(data)) return err(tdmError('tdmrep_invalid_shape', 'tdmrep.json must be a JSON array of rules.'))
  const rules: TdmRepRule[] = []
  for (const entry of data) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue
    const record = entry as Record<string, unknown>
    const location = typeof record.location === 'string' ? normalizeLocation(record.location) : null
    if (location === null) continue
    const policy = typeof record['tdm-policy'] === 'string' ? httpUrl(record['tdm-policy']) : null
    rules.push({ location, reservation: reservationValue(record['tdm-reservation']), policy })
  }
  if (data.length > 0 && rules.length === 0) {
    return err(tdmError('tdmrep_invalid_shape', 'tdmrep.json has no rule with a "location" path pattern.'))
  }
  return ok(rules)
}

/** `news/` → `/news/`; a full URL keeps its path. Empty locations match nothing. */
function normalizeLocation(raw: string): string | null {
  let location = raw.trim()
  if (location === '') return null
  const absolute = /^https?:\/\/[^/]*(.*)$/i.exec(location)
  if (absolute) location = absolute[1] === '' ? '/' : absolute[1]!
  if (!location.startsWith('/') && !location.startsWith('*')) location = `/${location}`
  return location
}

const utf8 = new TextEncoder()

/**
 * Escape differences must not decide a match: unreserved characters are decoded, other escapes
 * upper-cased, raw non-ASCII encoded as UTF-8. In a URL path, `*` and `$` are encoded so that a
 * pattern can name them literally as `%2A` / `%24` (the spec's `/path/foo-%24` example).
 */
function normalizeForMatch(path: string, isPattern: boolean): string {
  let out = path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16))
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex.toUpperCase()}`
  })
  out = out.replace(/[^\x21-\x7e]+/g, (run) =>
    [...utf8.encode(run)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  )
  return isPattern ? out : out.replace(/\*/g, '%2A').replace(/\$/g, '%24')
}

/** Glob match where `*` is the only wildcard, without regexes (no pathological backtracking). */
function globMatch(pattern: string, text: string): boolean {
  let p = 0
  let t = 0
  let star = -1
  let mark = 0
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++
      mark = t
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++
      t++
    } else if (star >= 0) {
      p = star + 1
      t = ++mark
    } else return false
  }
  while (p < pattern.length && pattern[p] === '*') p++
  return p === pattern.length
}

/** Prefix match unless the pattern ends in `$`; case-sensitive, as the spec asks. */
function locationMatches(location: string, path: string): boolean {
  const pattern = normalizeForMatch(location, true)
  return pattern.endsWith('$') ? globMatch(pattern.slice(0, -1), path) : globMatch(`${pattern}*`, path)
}

/**
 * What tdmrep.json says about one URL. TDMRep: "the most specific match is the first in sequence", so
 * the first rule whose location matches the path (plus query) decides, even when a later one is longer.
 * No match, `0` or an unknown value: nothing reserved.
 */
export function optOutFromTdmRep(rules: TdmRepRule[], url: string): AiOptOut {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return none()
  }
  const path = normalizeForMatch(`${parsed.pathname || '/'}${parsed.search}`, false)
  const rule = rules.find((r) => locationMatches(r.location, path))
  if (!rule || rule.reservation !== 1) return none()
  return { optedOut: true, imagesOnly: false, signals: [`tdmrep.json: ${rule.location}`], policyUrl: rule.policy }
}

/** Any opt-out wins; signals unioned in order; images-only only when nothing opted out fully; the first policy URL. */
export function mergeOptOut(...parts: (AiOptOut | null)[]): AiOptOut {
  const present = parts.filter((p): p is AiOptOut => p !== null && p !== undefined)
  const optedOut = present.some((p) => p.optedOut)
  const signals: string[] = []
  for (const p of present) for (const s of p.signals) if (!signals.includes(s)) signals.push(s)
  return {
    optedOut,
    imagesOnly: !optedOut && present.some((p) => p.imagesOnly),
    signals,
    policyUrl: present.find((p) => p.policyUrl !== null)?.policyUrl ?? null,
  }
}

const listed = (detected: AiOptOut): string => (detected.signals.length > 0 ? ` (${detected.signals.join('; ')})` : '')

/**
 * The operator's per-source setting applied to what the publisher said. `follow` obeys the signals,
 * `deny` turns AI off whatever the publisher says, `allow` overrides the signals (the operator's own
 * site, or a licence). `reason` is the sentence the reader-facing AI panel shows.
 */
export function resolveAiPolicy(
  detected: AiOptOut,
  operator: AiPolicy,
): { allowed: boolean; imagesAllowed: boolean; reason: string } {
  if (operator === 'deny') {
    return { allowed: false, imagesAllowed: false, reason: 'AI features are turned off for this source by the operator.' }
  }
  const signalled = detected.optedOut || detected.imagesOnly
  if (operator === 'allow') {
    return {
      allowed: true,
      imagesAllowed: true,
      reason: signalled
        ? `AI features are allowed for this source by the operator, overriding the publisher's signals${listed(detected)}.`
        : 'AI features are allowed for this source by the operator.',
    }
  }
  // 'follow', and any unknown value: obeying the publisher is the safe default.
  if (detected.optedOut) {
    return { allowed: false, imagesAllowed: false, reason: `The publisher opted out of AI use${listed(detected)}.` }
  }
  if (detected.imagesOnly) {
    return {
      allowed: true,
      imagesAllowed: false,
      reason: `The publisher opted out of AI use of images${listed(detected)}; text features remain available.`,
    }
  }
  return { allowed: true, imagesAllowed: true, reason: 'The publisher has not opted out of AI use.' }
}
