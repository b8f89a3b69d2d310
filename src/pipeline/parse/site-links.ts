import { parseDocument } from 'htmlparser2'
import { compile, selectAll } from 'css-select'
import type { AnyNode, Element } from 'domhandler'
import type { ParsedFeed, PickedLink, SiteRule } from '../../domain/types.js'
import { err, ok, stageError, type Result } from '../../domain/result.js'
import { cleanUrl } from '../clean/clean-url.js'
import { listingFeed, listingItem } from './sitemap.js'
import { collapse } from './text.js'
import { resolveUrl } from './urls.js'

/**
 * Article links on a site page without a feed (a home page, a section front), under the source's rule:
 * include/exclude URL patterns, an optional CSS selector scoping where links are taken from, and a
 * bound on links per refresh. Without include patterns a heuristic picks article-looking links.
 */

export const DEFAULT_RULE: SiteRule = Object.freeze({ include: [], exclude: [], selector: null, maxLinks: 30 }) as SiteRule
export const MAX_LINKS = 200
const MAX_PATTERNS = 20
const MAX_PATTERN_CHARS = 300
const MAX_REGEX_CHARS = 200
const MAX_SELECTOR_CHARS = 300
const MAX_URL_CHARS = 2048
const MAX_ANCHORS = 5000
const MAX_TITLE_CHARS = 300

export type RuleField = 'include' | 'exclude' | 'selector' | 'maxLinks'

/** What is wrong with a rule, per form field, in words an operator can act on. */
export interface RuleProblem {
  field: RuleField
  message: string
}

/** The rule form as submitted: patterns one a line. */
export interface RuleForm {
  include: string
  exclude: string
  selector: string
  maxLinks: string
}

interface CompiledRule {
  include: Matcher[]
  exclude: Matcher[]
  scope: ((el: Element) => boolean) | null
  maxLinks: number
}

/** A path pattern applies to links on the page's own site only; host patterns and regexes reach anywhere. */
interface Matcher {
  onPath: boolean
  test: (url: URL) => boolean
}

/** Reads and checks the rule form; every problem is reported, not only the first. */
export function ruleFromForm(form: RuleForm): Result<SiteRule, RuleProblem[]> {
  const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '')
  const max = form.maxLinks.trim()
  const rule: SiteRule = {
    include: lines(form.include),
    exclude: lines(form.exclude),
    selector: form.selector.trim() || null,
    maxLinks: max === '' ? DEFAULT_RULE.maxLinks : /^\d{1,6}$/.test(max) ? Number(max) : Number.NaN,
  }
  const checked = compileRule(rule)
  return checked.ok ? ok(rule) : checked
}

/** The rule made executable, or every problem with it. */
function compileRule(rule: SiteRule): Result<CompiledRule, RuleProblem[]> {
  const problems: RuleProblem[] = []
  // A stored rule is JSON from the database: its shape is checked before anything relies on it.
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')
  if (typeof rule !== 'object' || rule === null || !strings(rule.include) || !strings(rule.exclude)
    || (rule.selector !== null && typeof rule.selector !== 'string') || typeof rule.maxLinks !== 'number') {
    return err([{ field: 'include', message: 'The stored rule is damaged; save the rule again.' }])
  }
  const patterns = (field: 'include' | 'exclude', list: string[]): Matcher[] => {
    if (list.length > MAX_PATTERNS) problems.push({ field, message: `At most ${MAX_PATTERNS} patterns (${list.length} given).` })
    const out: Matcher[] = []
    for (const p of list.slice(0, MAX_PATTERNS)) {
      const m = compilePattern(p)
      if (typeof m === 'string') problems.push({ field, message: `"${p.slice(0, 80)}": ${m}` })
      else out.push(m)
    }
    return out
  }
  const include = patterns('include', rule.include)
  const exclude = patterns('exclude', rule.exclude)
  let scope: CompiledRule['scope'] = null
  if (rule.selector !== null) {
    if (rule.selector.length > MAX_SELECTOR_CHARS) {
      problems.push({ field: 'selector', message: `The selector is longer than ${MAX_SELECTOR_CHARS} characters.` })
    } else {
      try {
        scope = compile<AnyNode, Element>(rule.selector) as (el: Element) => boolean
      } catch (e) {
        problems.push({ field: 'selector', message: `"${rule.selector.slice(0, 80)}" is not a CSS selector we can use: ${(e as Error).message}` })
      }
    }
  }
  if (!Number.isInteger(rule.maxLinks) || rule.maxLinks < 1 || rule.maxLinks > MAX_LINKS) {
    problems.push({ field: 'maxLinks', message: `Links per refresh must be a whole number from 1 to ${MAX_LINKS}.` })
  }
  return problems.length ? err(problems) : ok({ include, exclude, scope, maxLinks: rule.maxLinks })
}

/**
 * One pattern as a URL test, or what is wrong with it. `re:` and a regular expression tests the whole
 * URL; a pattern starting with `/` tests path and query; anything else tests host, path and query
 * (a leading `http://` or `https://` is ignored). Globs match from the start: `*` within a path segment,
 * `**` across segments, a trailing `$` anchors the end.
 */
function compilePattern(raw: string): Matcher | string {
  if (raw.length > MAX_PATTERN_CHARS) return `longer than ${MAX_PATTERN_CHARS} characters`
  if (raw.startsWith('re:')) {
    const src = raw.slice(3)
    const problem = regexProblem(src)
    if (problem) return problem
    let re: RegExp
    try {
      re = new RegExp(src)
    } catch (e) {
      return `not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`
    }
    return { onPath: false, test: (url) => re.test(url.href) }
  }
  if (/\s/.test(raw)) return 'a pattern cannot contain spaces (to match several things, put one pattern on each line)'
  let p = raw.replace(/^https?:\/\//i, '')
  const onPath = p.startsWith('/') || !/^[^/*]*\./.test(p)
  if (!onPath) {
    const slash = p.indexOf('/')
    p = slash < 0 ? p.toLowerCase() : p.slice(0, slash).toLowerCase() + p.slice(slash)
  } else if (!p.startsWith('/')) {
    p = `/${p}`
  }
  const anchored = p.endsWith('$')
  if (anchored) p = p.slice(0, -1)
  if (p === '') return 'an empty pattern matches nothing'
  const body = p.split('**').map((part) => part.split('*').map(escapeRe).join('[^/]*')).join('.*')
  const re = new RegExp(`^${body}${anchored ? '$' : ''}`)
  return onPath ? { onPath, test: (url) => re.test(url.pathname + url.search) } : { onPath, test: (url) => re.test(url.host + url.pathname + url.search) }
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Regular expressions run on URLs from pages we do not control, so those that can take exponential
 * (or high polynomial) time are refused: repetition of a group that itself repeats or alternates
 * (`(a+)+`, `(a|ab)*`), back-references, and more than two unbounded repetitions.
 */
function regexProblem(src: string): string | null {
  if (src.trim() === '') return 'the regular expression after "re:" is empty'
  if (src.length > MAX_REGEX_CHARS) return `a regular expression may have at most ${MAX_REGEX_CHARS} characters`
  if (/\\[1-9]|\\k</.test(src)) return 'back-references are not allowed in a regular expression'
  const groups: { repeats: boolean; alternates: boolean }[] = []
  let inClass = false
  let unbounded = 0
  for (let i = 0; i < src.length; i++) {
    const c = src[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    const next = src[i + 1] ?? ''
    const quantifierNext = next === '*' || next === '+' || (next === '{' && /^\{\d+,?\d*\}/.test(src.slice(i + 1)))
    if (c === '[') inClass = true
    else if (c === '(') groups.push({ repeats: false, alternates: false })
    else if (c === ')') {
      const g = groups.pop()
      if (!g) continue
      if (quantifierNext && (g.repeats || g.alternates)) {
        return 'a repeated group that itself repeats or has alternatives (like (a+)+ or (a|b)*) can take exponential time; simplify it'
      }
      const outer = groups[groups.length - 1]
      if (outer && g.repeats) outer.repeats = true
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(src.slice(i)))) {
      const top = groups[groups.length - 1]
      if (top) top.repeats = true
      if (c !== '{' || /^\{\d+,\}/.test(src.slice(i))) unbounded++
    } else if (c === '|') {
      const top = groups[groups.length - 1]
      if (top) top.alternates = true
    }
  }
  if (unbounded > 2) return 'at most two unbounded repetitions (*, +, {n,}) in a regular expression; use a glob pattern instead'
  return null
}

/** The article links a rule picks on a page, with what the page says about itself. */
export interface SitePick {
  links: PickedLink[]
  /** Distinct http(s) links found in scope (before the rule), for "picked 12 of 140". */
  candidates: number
  title: string | null
  language: string | null
}

/**
 * Picks the article links of a listing page, in page order, at most the rule's `maxLinks`. A stored rule
 * that no longer compiles is reported as `site_rule_invalid` rather than silently following nothing.
 */
export function pickLinks(html: string, ctx: { url: string; rule: SiteRule | null }): Result<SitePick> {
  const rule = ctx.rule ?? DEFAULT_RULE
  const compiled = compileRule(rule)
  if (!compiled.ok) {
    return err(stageError('parse', 'site_rule_invalid', `The link rule is not valid: ${compiled.error.map((p) => `${p.field}: ${p.message}`).join('; ')}`))
  }
  const page = safeUrl(ctx.url)
  if (!page) return err(stageError('parse', 'invalid_url', `Not a web address: ${ctx.url.slice(0, 200)}`))
  const c = compiled.value
  const doc = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true })

  let base = page.href
  let title: string | null = null
  let siteName: string | null = null
  let language: string | null = null
  const anchors: Element[] = []
  const walk = (nodes: AnyNode[], depth: number, chrome: boolean): void => {
    if (depth > 200) return
    for (const n of nodes) {
      if (n.type !== 'tag' && n.type !== 'script' && n.type !== 'style') continue
      const el = n as Element
      if (el.name === 'base' && el.attribs['href'] && base === page.href) base = resolveUrl(el.attribs['href'], page.href) ?? base
      else if (el.name === 'title' && title === null) title = collapse(textOf(el)) || null
      else if (el.name === 'meta' && el.attribs['property'] === 'og:site_name') siteName = collapse(el.attribs['content'] ?? '') || null
      else if (el.name === 'html' && el.attribs['lang']) language = el.attribs['lang'].trim() || null
      const inChrome = chrome || isChrome(el)
      if (el.name === 'a' && el.attribs['href'] !== undefined && anchors.length < MAX_ANCHORS) {
        // Without an operator rule, navigation, headers, footers and asides are not where articles are listed.
        if (!(inChrome && c.include.length === 0 && c.scope === null)) anchors.push(el)
      }
      walk(el.children, depth + 1, inChrome)
    }
  }
  walk(doc.children, 0, false)
  const scoped = c.scope ? inScope(anchors, c.scope, doc.children) : anchors

  const byUrl = new Map<string, PickedLink>()
  for (const a of scoped) {
    const resolved = resolveUrl(a.attribs['href'], base)
    if (!resolved || resolved.length > MAX_URL_CHARS) continue
    const url = cleanUrl(resolved)
    if (!url) continue
    const text = anchorText(a)
    const known = byUrl.get(url)
    if (!known) byUrl.set(url, { url, title: text })
    else if (text && (known.title ?? '').length < text.length) known.title = text
  }
  const links: PickedLink[] = []
  for (const link of byUrl.values()) {
    if (links.length >= c.maxLinks) break
    const u = safeUrl(link.url)
    if (!u || sameDocument(u, page)) continue
    const sameSite = siteKey(u.hostname) === siteKey(page.hostname)
    const matches = (m: Matcher) => (sameSite || !m.onPath) && m.test(u)
    const included = c.include.length ? c.include.some(matches) : looksLikeArticle(u, page)
    if (included && !c.exclude.some(matches)) links.push(link)
  }
  return ok({ links, candidates: byUrl.size, title: siteName ?? title, language })
}

/** The picked links as a feed for the orchestrator. */
export function siteFeed(pick: SitePick, ctx: { url: string }): ParsedFeed {
  return listingFeed({
    format: 'site',
    title: pick.title,
    link: ctx.url,
    language: pick.language,
    items: pick.links.map((l) => listingItem({ url: l.url, title: l.title })),
  })
}

function inScope(anchors: Element[], scope: (el: Element) => boolean, roots: AnyNode[]): Element[] {
  const containers = new Set(selectAll<AnyNode, Element>(scope, roots))
  return anchors.filter((a) => {
    for (let e: AnyNode | null = a; e; e = e.parent) if (containers.has(e as Element)) return true
    return false
  })
}

const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'aside'])
function isChrome(el: Element): boolean {
  return CHROME_TAGS.has(el.name) || el.attribs['role'] === 'navigation' || el.attribs['role'] === 'banner' || el.attribs['role'] === 'contentinfo'
}

function textOf(el: AnyNode, depth = 0): string {
  if (el.type === 'text') return (el as unknown as { data: string }).data
  if (depth > 50 || !('children' in el) || (el.type !== 'tag' && el.type !== 'root')) return ''
  let out = ''
  for (const c of el.children) out += ` ${textOf(c, depth + 1)}`
  return out
}

function anchorText(a: Element): string | null {
  let t = collapse(textOf(a))
  if (!t) {
    const img = selectAll<AnyNode, Element>('img[alt]', a)[0]
    t = collapse(img?.attribs['alt'] ?? a.attribs['title'] ?? a.attribs['aria-label'] ?? '')
  }
  return t ? t.slice(0, MAX_TITLE_CHARS) : null
}

function safeUrl(s: string): URL | null {
  try {
    return new URL(s)
  } catch {
    return null
  }
}

function sameDocument(a: URL, b: URL): boolean {
  const strip = (u: URL) => `${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`
  return strip(a) === strip(b)
}

// ───────────────────────────── the default heuristic ─────────────────────────────

const NOT_ARTICLE_SEGMENTS = new Set([
  'tag', 'tags', 'category', 'categories', 'author', 'authors', 'topic', 'topics', 'section', 'sections', 'series',
  'login', 'logout', 'signin', 'sign-in', 'signup', 'sign-up', 'register', 'subscribe', 'subscription', 'subscriptions',
  'account', 'my-account', 'profile', 'user', 'users', 'search', 'about', 'about-us', 'contact', 'contact-us', 'privacy',
  'privacy-policy', 'terms', 'terms-of-service', 'terms-of-use', 'terms-and-conditions', 'cookies', 'cookie-policy',
  'feed', 'rss', 'page', 'wp-admin', 'wp-login.php', 'cart', 'shop', 'store', 'help', 'faq', 'newsletter', 'newsletters',
  'advertise', 'advertising', 'careers', 'jobs', 'archive', 'archives', 'sitemap', 'comments', 'share', 'print', 'events',
])
const CALL_TO_ACTION = new Set(['subscribe', 'newsletter', 'signup', 'sign', 'login', 'register', 'advertise', 'donate', 'shop', 'buy', 'download'])
const NOT_ARTICLE_QUERY = /(?:^|&)(?:s|q|search|page|replytocom|share|output|format|print|action|redirect_to)=/i
const FILE_EXT = /\.(?:jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|m4a|mov|webm|css|js|json|xml|rss|atom|ics|txt|docx?|xlsx?|pptx?)$/i
const DATE_IN_PATH = /(?:^|\/)(?:19|20)\d{2}(?:[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))/

/**
 * An article-looking link on the same site: its path has a date followed by more (`/2026/11/22/harbor-ferry`),
 * or ends in a slug of at least three words (`/world/harbor-ferry-returns`), or carries a long numeric id
 * (`/story/4812345`); and it is none of the usual non-article pages (tags, categories, authors, login,
 * search, pagination, files).
 */
export function looksLikeArticle(url: URL, page: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  if (siteKey(url.hostname) !== siteKey(page.hostname)) return false
  const path = safeDecode(url.pathname)
  if (path === '/' || FILE_EXT.test(path)) return false
  if (NOT_ARTICLE_QUERY.test(url.search.slice(1))) return false
  const segments = path.split('/').filter((s) => s !== '')
  if (segments.some((s) => NOT_ARTICLE_SEGMENTS.has(s.toLowerCase()))) return false
  const date = DATE_IN_PATH.exec(path)
  if (date && /[\p{L}\p{N}]{3,}/u.test(path.slice(date.index + date[0].length))) return true
  const last = (segments[segments.length - 1] ?? '').replace(/\.(?:s?html?|php|aspx?|jsp)$/i, '')
  const words = last.split(/[-_+.,]+|%20/).filter((w) => /\p{L}/u.test(w) && w.length >= 2)
  // `/subscribe-now-for-half-price` is a slug, but of a sales page.
  if (CALL_TO_ACTION.has(words[0]?.toLowerCase() ?? '')) return false
  if (words.length >= 3) return true
  return segments.some((s) => /(?:^|\D)\d{5,}(?:\D|$)/.test(s) && !/^(?:19|20)\d{2}$/.test(s))
}

const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'ac', 'edu', 'ne', 'or', 'go', 'gob', 'nic', 'ltd', 'plc', 'sch'])

/** The registrable part of a host name, near enough without a public-suffix list: `news.bbc.co.uk` → `bbc.co.uk`. */
export function siteKey(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '')
  if (/^[\d.]+$/.test(h) || h.includes(':') || !h.includes('.')) return h
  const labels = h.split('.')
  const n = labels.length
  const keep = n >= 3 && labels[n - 1]!.length === 2 && SECOND_LEVEL.has(labels[n - 2]!) ? 3 : 2
  return labels.slice(-keep).join('.')
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** A rule carried as JSON (an OPML export), or null when it is missing, malformed or invalid. */
export function ruleFromJson(text: string | null | undefined): SiteRule | null {
  if (!text) return null
  let rule: SiteRule
  try {
    rule = JSON.parse(text) as SiteRule
  } catch {
    return null
  }
  return compileRule(rule).ok ? { include: rule.include, exclude: rule.exclude, selector: rule.selector, maxLinks: rule.maxLinks } : null
}

/** A stored rule as the form shows it (the default rule when there is none). */
export function ruleToForm(rule: SiteRule | null): RuleForm {
  const r = rule ?? DEFAULT_RULE
  return { include: r.include.join('\n'), exclude: r.exclude.join('\n'), selector: r.selector ?? '', maxLinks: String(r.maxLinks) }
}

/** True when the rule says nothing the default does not: stored as null, so later default changes apply. */
export function isDefaultRule(rule: SiteRule): boolean {
  return rule.include.length === 0 && rule.exclude.length === 0 && rule.selector === null && rule.maxLinks === DEFAULT_RULE.maxLinks
}
