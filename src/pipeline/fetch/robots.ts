/**
 * robots.txt per RFC 9309: groups of user-agent lines followed by Allow/Disallow rules; the most specific
 * (longest) matching rule wins, Allow on a tie; `*` matches any run of characters and a final `$`
 * anchors the end. Pure: fetching and caching live in the fetcher.
 */

export interface RobotsRule {
  allow: boolean
  /** Normalized path pattern, possibly with `*` and a final `$`. */
  pattern: string
}

export interface RobotsGroup {
  /** Lower-cased product tokens, or `*`. */
  agents: string[]
  rules: RobotsRule[]
}

export interface Robots {
  groups: RobotsGroup[]
}

/** `Tidings/1.0 (+https://…)` → `tidings`; robots.txt groups name products, not full UA strings. */
function productToken(userAgent: string): string {
  return (userAgent.trim().split(/[\s/]/)[0] ?? '').toLowerCase()
}

const utf8 = new TextEncoder()

/**
 * Percent-encoding differences must not decide a match: unreserved characters are decoded, other escapes
 * upper-cased, and raw non-ASCII (common in hand-written robots.txt) encoded as UTF-8.
 */
function normalizePath(path: string): string {
  return path
    .replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
      const c = String.fromCharCode(parseInt(hex, 16))
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex.toUpperCase()}`
    })
    .replace(/[^\x21-\x7e]+/g, (run) =>
      [...utf8.encode(run)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
    )
}

export function parseRobots(text: string): Robots {
  const groups: RobotsGroup[] = []
  let current: RobotsGroup | null = null
  let collectingAgents = false
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*/, '')
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const key = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (key === 'user-agent') {
      // Consecutive user-agent lines share one group; one after a rule starts the next group.
      if (!collectingAgents || !current) groups.push((current = { agents: [], rules: [] }))
      current.agents.push(productToken(value))
      collectingAgents = true
    } else if (key === 'allow' || key === 'disallow') {
      collectingAgents = false
      // Rules before any user-agent belong to nobody; an empty Disallow means "nothing disallowed".
      if (current && value !== '') current.rules.push({ allow: key === 'allow', pattern: normalizePath(value) })
    }
    // Sitemap, Crawl-delay and unknown keys neither add rules nor end the user-agent list.
  }
  return { groups }
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

function ruleMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('$') ? globMatch(pattern.slice(0, -1), path) : globMatch(`${pattern}*`, path)
}

/**
 * Whether `path` (path plus query) may be fetched by `userAgent` (a product token or a full UA string).
 * Groups naming the product are used if any exist, else the `*` groups; several matching groups combine.
 */
export function isAllowedByRobots(robots: Robots, opts: { userAgent: string; path: string }): boolean {
  const token = productToken(opts.userAgent)
  const path = normalizePath(opts.path || '/')
  if (path === '/robots.txt') return true
  let groups = robots.groups.filter((g) => g.agents.includes(token))
  if (groups.length === 0) groups = robots.groups.filter((g) => g.agents.includes('*'))
  let best: RobotsRule | null = null
  for (const g of groups) {
    for (const rule of g.rules) {
      if (!ruleMatches(rule.pattern, path)) continue
      const longer = best === null || rule.pattern.length > best.pattern.length
      if (longer || (rule.pattern.length === best!.pattern.length && rule.allow)) best = rule
    }
  }
  return best?.allow ?? true
}
