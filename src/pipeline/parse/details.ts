import type { Category, FeedLink, Generator, Person } from '../../domain/types.js'
import { parseDate } from '../dates/parse-date.js'
import { parseLength, urlAt, type UrlScope } from './common.js'
import { collapse, nonBlank } from './text.js'
import { attr, childrenNamed, firstText, textOf, type NsTest, type XEl } from './xml.js'

/** An Atom person construct (`<author>`, `<contributor>`): name, email, and uri (1.0) or url (0.3). */
export function atomPerson(el: XEl, ns: NsTest, scope: UrlScope): Person | null {
  const c = personCandidates(ns)
  const name = nonBlank(firstText(el, c.name)?.text.trim() ?? null)
  const email = nonBlank(firstText(el, c.email)?.text.trim() ?? null)
  const hrefEl = firstText(el, c.href)
  const href = hrefEl ? urlAt(hrefEl.text, hrefEl.el, scope) : null
  if (name === null && email === null && href === null) {
    // Some feeds write the name as the element's text.
    const text = nonBlank(collapse(textOf(el)))
    return text ? personFromText(text) : null
  }
  return { name, email, href }
}

type Candidates = ReadonlyArray<[NsTest, string]>
/** The lists for the last namespace asked for: one feed asks with the same one for every author. */
let personLists: { ns: NsTest; name: Candidates; email: Candidates; href: Candidates } | null = null
function personCandidates(ns: NsTest) {
  if (personLists?.ns !== ns) personLists = { ns, name: [[ns, 'name']], email: [[ns, 'email']], href: [[ns, 'uri'], [ns, 'url'], [ns, 'homepage']] }
  return personLists
}

const EMAIL_RE = /(?:mailto:)?([a-zA-Z0-9_.+-]+@(?:\[[0-9]{1,3}(?:\.[0-9]{1,3}){3}\]|(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}))(?:\?subject=\S+)?/

/**
 * A person written as one string (RSS `<author>`, `<managingEditor>`, dc:creator): `Jo Doe (jo@x.org)`,
 * `jo@x.org (Jo Doe)`, `Jo Doe <jo@x.org>`, a bare address or a bare name.
 */
export function personFromText(raw: string): Person | null {
  const text = collapse(raw)
  if (text === '') return null
  const m = EMAIL_RE.exec(text)
  if (!m) return { name: text, email: null, href: null }
  const email = m[1] ?? null
  let name = (text.slice(0, m.index) + text.slice(m.index + m[0].length))
    .replace(/\(\s*\)|<\s*>|\[\s*\]|&lt;\s*&gt;/g, '')
    .trim()
  if (name.startsWith('(') && name.endsWith(')')) name = name.slice(1, -1).trim()
  name = name.replace(/^["']|["']$/g, '').trim()
  return { name: name === '' ? null : name, email, href: null }
}

/** What a reader shows for a person: the name, else the address. */
export const personLabel = (p: Person): string | null => p.name ?? p.email

/** `<link>` elements with rel (alternate by default), type, title, length and hreflang. */
export function linksOf(els: XEl[], scope: UrlScope, opts: { selfType?: string } = {}): FeedLink[] {
  const out: FeedLink[] = []
  for (const l of els) {
    // href="" is a same-document reference: it resolves to the base.
    const raw = attr(l, 'href') ?? nonBlank(textOf(l).trim())
    const href = raw === '' ? (l.xmlBase ?? scope.fallbackBase) : urlAt(raw, l, scope)
    if (!href) continue
    const rel = (attr(l, 'rel') ?? '').trim().toLowerCase() || 'alternate'
    // Without a type, an alternate is a web page and a self link the feed itself.
    const type = nonBlank(attr(l, 'type')?.trim().toLowerCase()) ?? (rel === 'alternate' ? 'text/html' : rel === 'self' ? (opts.selfType ?? null) : null)
    out.push({
      href,
      rel,
      type,
      title: nonBlank(attr(l, 'title')),
      length: parseLength(attr(l, 'length')),
      hreflang: nonBlank(attr(l, 'hreflang')?.trim()),
    })
  }
  return out
}

export function category(term: string | null | undefined, scheme: string | null | undefined, label: string | null | undefined): Category | null {
  const t = term?.trim() ?? ''
  const s = scheme?.trim() || null
  const l = label?.trim() || null
  if (t === '' && s === null && l === null) return null
  return { term: t, scheme: s, label: l }
}

/** Categories without exact repeats, in feed order. */
export function uniqueTags(list: Array<Category | null>): Category[] {
  const out: Category[] = []
  for (const c of list) {
    if (c && !out.some((o) => o.term === c.term && o.scheme === c.scheme && o.label === c.label)) out.push(c)
  }
  return out
}

export function generatorOf(el: XEl | undefined, scope: UrlScope): Generator | null {
  if (!el) return null
  const name = nonBlank(textOf(el).trim())
  const hrefRaw = attr(el, 'uri') ?? attr(el, 'url') ?? attr(el, 'resource', (ns) => ns !== '')
  const href = hrefRaw ? urlAt(hrefRaw, el, scope) : null
  const version = nonBlank(attr(el, 'version')?.trim())
  if (name === null && href === null && version === null) return null
  return { name, href, version }
}

/**
 * The date from the candidates, with the text it was read from. When an element repeats, the last one
 * counts (as in feedparser: a later value overwrites an earlier one), but an unreadable one does not hide a
 * readable one; when none is readable, the text of the last is still returned.
 */
export function dateAt(el: XEl, candidates: ReadonlyArray<[NsTest, string]>): { iso: string | null; text: string | null } {
  let unreadable: string | null = null
  for (const [ns, local] of candidates) {
    const found = childrenNamed(el, ns, local)
    for (let i = found.length - 1; i >= 0; i--) {
      const text = textOf(found[i]!).trim()
      if (text === '') continue
      const iso = parseDateOnce(text)
      if (iso) return { iso, text }
      unreadable ??= text
    }
  }
  return { iso: null, text: unreadable }
}

/**
 * parseDate, remembering the last answer: an item's published and updated dates are often the same
 * string, and the regexes behind one date cost more than the rest of a small item.
 */
let lastDateText: string | null = null
let lastDateIso: string | null = null
function parseDateOnce(text: string): string | null {
  if (text !== lastDateText) {
    lastDateIso = parseDate(text)
    lastDateText = text
  }
  return lastDateIso
}

export function lastDate(el: XEl, candidates: ReadonlyArray<[NsTest, string]>): string | null {
  return dateAt(el, candidates).iso
}
