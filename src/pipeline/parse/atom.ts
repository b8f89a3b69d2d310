import type { Category, ContentPart, Enclosure, FeedItem, ItemSource, ParsedFeed, Person, TextConstruct } from '../../domain/types.js'
import {
  baseAt, feedDefaults, identify, itemImage, itunesBlock, itunesExplicit, itunesImage, joinAuthors, mimeType, normalizeLanguage,
  parseLength, resolveId, uniqueCategories, uniqueEnclosures, urlAt, type UrlScope,
} from './common.js'
import { constructHtml, mediaDescription, readConstruct, TEXT, XHTML, type Dialect } from './construct.js'
import { atomPerson, category, dateAt, generatorOf, lastDate, linksOf, personFromText, personLabel, uniqueTags } from './details.js'
import { collapse, htmlToText, nonBlank } from './text.js'
import { resolveUrl } from './urls.js'
import { attr, childrenNamed, elements, firstText, NS, textOf, type NsTest, type XEl } from './xml.js'

/** Atom 1.0 and 0.3 (`<feed>`, or a lone `<entry>` document). Elements are matched in the root's namespace. */
export function parseAtom(root: XEl, ctx: { url: string | null; contentLanguage?: string | null }): ParsedFeed {
  // A feed in no namespace (or a draft one) still has atom:-prefixed extensions in the 1.0 namespace.
  const ns: NsTest = root.ns === NS.atom ? NS.atom : [root.ns, NS.atom]
  const isFeed = root.local === 'feed'
  const dialect: Dialect = root.ns === NS.atom ? 'atom10' : 'atom03'
  const feedLinkEl = isFeed ? pickLink(root, ns) : null
  const feedLink = feedLinkEl ? resolveUrl(hrefOf(feedLinkEl), feedLinkEl.xmlBase ?? ctx.url) : null
  const scope: UrlScope = { fallbackBase: feedLink ?? ctx.url }
  const language =
    normalizeLanguage(root.lang) ?? normalizeLanguage(firstText(root, [[NS.dc, 'language']])?.text) ?? normalizeLanguage(ctx.contentLanguage)
  const env: Env = { ns, dialect, scope, language: root.lang ?? normalizeLanguage(ctx.contentLanguage), dates: dateCandidates(ns) }
  const feedAuthors = isFeed ? authorsOf(root, env) : []

  const items: FeedItem[] = []
  for (const el of isFeed ? childrenNamed(root, ns, 'entry') : [root]) {
    if (!el.complete) continue // truncated download: the last entry is half-written
    const item = parseEntry(el, env, feedAuthors)
    if (item) items.push(item)
  }

  const version = versionOf(root)
  if (!isFeed) {
    return {
      format: 'atom', version, title: null, link: null, description: null, language: null, imageUrl: null,
      ttlMinutes: null, hub: null, items, ...feedDefaults(),
    }
  }

  const titleDetail = construct(root, TITLE, env)
  const subtitleDetail = construct(root, ['subtitle', 'tagline'], env)
  const infoDetail = construct(root, ['info'], env)
  const hubEl = childrenNamed(root, ns, 'link').find((l) => relOf(l) === 'hub' && attr(l, 'href'))
  const dates = {
    published: dateAt(root, [[ns, 'published'], [ns, 'issued'], [NS.dcterms, 'issued']]),
    updated: dateAt(root, [[ns, 'updated'], [ns, 'modified'], [NS.dc, 'date'], [NS.dcterms, 'modified']]),
    created: dateAt(root, [[ns, 'created'], [NS.dcterms, 'created']]),
  }
  const icon = imageOf(root, ns, 'icon', scope)
  const logo = imageOf(root, ns, 'logo', scope)
  return {
    format: 'atom',
    version,
    title: plainOf(titleDetail),
    link: feedLink,
    description: plainOf(subtitleDetail ?? infoDetail),
    language,
    imageUrl: logo ?? icon ?? itunesImage(root, scope),
    ttlMinutes: null,
    hub: hubEl ? resolveUrl(attr(hubEl, 'href'), hubEl.xmlBase ?? ctx.url) : null,
    items,
    // Every field written out in feedDefaults() order: a spread here made the object slow to build.
    id: resolveId(firstText(root, env.dates.id)?.text ?? null, baseAt(root, scope)),
    titleDetail,
    subtitleDetail,
    rightsDetail: construct(root, RIGHTS, env),
    infoDetail,
    generator: generatorOf(childrenNamed(root, ns, 'generator')[0], scope),
    authors: feedAuthors,
    contributors: peopleOf(root, 'contributor', env),
    publisher: null,
    links: linksOf(childrenNamed(root, ns, 'link'), scope, { selfType: 'application/atom+xml' }),
    tags: tagsOf(root, env),
    updated: dates.updated.iso,
    published: dates.published.iso,
    icon,
    logo,
    docs: null,
    created: dates.created.iso,
    newLocation: null,
    dateText: { published: dates.published.text, updated: dates.updated.text, created: dates.created.text, expired: null },
    explicit: itunesExplicit(root),
    block: itunesBlock(root),
  }
}

interface Env {
  ns: NsTest
  dialect: Dialect
  scope: UrlScope
  /** Language in scope at the root (xml:lang, else the HTTP Content-Language). */
  language: string | null
  /** Where each date is read from, built once per feed rather than once per entry. */
  dates: ReturnType<typeof dateCandidates>
}

type Candidates = ReadonlyArray<[NsTest, string]>

function dateCandidates(ns: NsTest) {
  return {
    id: [[ns, 'id']] as Candidates,
    published: [[ns, 'published'], [ns, 'issued'], [NS.dcterms, 'issued']] as Candidates,
    updated: [[ns, 'updated'], [ns, 'modified'], [NS.dc, 'date'], [NS.dcterms, 'modified']] as Candidates,
    created: [[ns, 'created'], [NS.dcterms, 'created']] as Candidates,
    expired: [[ns, 'expired']] as Candidates,
  }
}

const TITLE = ['title']
const SUMMARY = ['summary']
const RIGHTS = ['rights', 'copyright']

function versionOf(root: XEl): string {
  if (root.ns === NS.atom) return 'atom10'
  const v = (attr(root, 'version') ?? '').trim()
  if (v === '0.3') return 'atom03'
  if (v === '0.2') return 'atom02'
  if (v === '0.1') return 'atom01'
  return 'atom'
}

function parseEntry(el: XEl, env: Env, feedAuthors: Person[]): FeedItem | null {
  const { ns, scope } = env
  const titleDetail = construct(el, TITLE, env) ?? mediaTitle(el, env)
  const id = resolveId(firstText(el, env.dates.id)?.text ?? null, baseAt(el, scope))

  const linkEl = pickLink(el, ns)
  const link = (linkEl ? urlAt(hrefOf(linkEl), linkEl, scope) : null) ?? (id && /^https?:\/\//i.test(id) ? resolveUrl(id, null) : null)

  const dates = {
    published: dateAt(el, env.dates.published),
    updated: dateAt(el, env.dates.updated),
    created: dateAt(el, env.dates.created),
    expired: dateAt(el, env.dates.expired),
  }
  const published = dates.published.iso
  const updated = dates.updated.iso

  const sourceEl = childrenNamed(el, ns, 'source')[0]
  const source = sourceEl ? sourceOf(sourceEl, env) : null
  const ownAuthors = authorsOf(el, env)
  const authors = ownAuthors.length > 0 ? ownAuthors : source && source.authors.length > 0 ? source.authors : feedAuthors

  const contentEls = childrenNamed(el, ns, 'content')
  const content: ContentPart[] = contentEls.map((c) => {
    const part: ContentPart = readConstruct(c, { dialect: env.dialect, defaultType: TEXT, base: baseAt(c, scope), language: env.language })
    const src = attr(c, 'src')
    const srcUrl = src ? urlAt(src, c, scope) : null
    return srcUrl ? { ...part, src: srcUrl } : part
  })
  const summaryDetail = construct(el, SUMMARY, env) ?? mediaDescription(el, { base: baseAt(el, scope), language: el.lang ?? env.language })

  const enclosures: Enclosure[] = uniqueEnclosures(
    childrenNamed(el, ns, 'link').flatMap((l) => {
      if (relOf(l) !== 'enclosure') return []
      const url = urlAt(hrefOf(l), l, scope)
      return url ? [{ url, type: mimeType(attr(l, 'type')), length: parseLength(attr(l, 'length')) }] : []
    }),
  )
  const tags = tagsOf(el, env)
  const links = linksOf(childrenNamed(el, ns, 'link'), scope)

  // Built whole, in the field order FeedItem output has always had; identify() fills in the id.
  const item: FeedItem = {
    id: '',
    title: plainOf(titleDetail),
    link,
    published,
    updated,
    author: joinAuthors(authors.map(personLabel)),
    contentHtml: constructHtml(content.find((c) => !c.src) ?? null),
    summary: constructHtml(summaryDetail),
    categories: uniqueCategories(tags.map((t) => t.label ?? t.term)),
    imageUrl: itemImage(el, scope, enclosures) ?? itunesImage(el, scope),
    enclosures,
    titleDetail,
    summaryDetail,
    content,
    rightsDetail: construct(el, RIGHTS, env),
    authors,
    contributors: peopleOf(el, 'contributor', env),
    publisher: null,
    links,
    tags,
    source,
    guidIsLink: false,
    comments: null,
    created: dates.created.iso,
    expired: dates.expired.iso,
    language: null,
    license: links.find((l) => l.rel === 'license')?.href ?? null,
    dateText: { published: dates.published.text, updated: dates.updated.text, created: dates.created.text, expired: dates.expired.text },
    explicit: itunesExplicit(el),
    block: itunesBlock(el),
  }
  return identify(item, id)
}

function sourceOf(el: XEl, env: Env): ItemSource {
  const { ns, scope } = env
  const titleDetail = construct(el, ['title'], env)
  const linkEl = pickLink(el, ns)
  return {
    id: resolveId(firstText(el, [[ns, 'id']])?.text ?? null, baseAt(el, scope)),
    title: titleDetail?.value ?? null,
    titleDetail,
    link: linkEl ? urlAt(hrefOf(linkEl), linkEl, scope) : null,
    href: null,
    links: linksOf(childrenNamed(el, ns, 'link'), scope),
    subtitleDetail: construct(el, ['subtitle', 'tagline'], env),
    rightsDetail: construct(el, ['rights', 'copyright'], env),
    authors: authorsOf(el, env),
    contributors: peopleOf(el, 'contributor', env),
    tags: tagsOf(el, env),
    generator: generatorOf(childrenNamed(el, ns, 'generator')[0], scope),
    updated: lastDate(el, [[ns, 'updated'], [ns, 'modified']]),
    icon: imageOf(el, ns, 'icon', scope),
    logo: imageOf(el, ns, 'logo', scope),
  }
}

/** The first of the named text constructs present in the element (in the root's namespace). */
function construct(el: XEl, locals: string[], env: Env): TextConstruct | null {
  for (const local of locals) {
    const found = childrenNamed(el, env.ns, local)[0]
    if (found) return readConstruct(found, { dialect: env.dialect, defaultType: TEXT, base: baseAt(found, env.scope), language: env.language })
  }
  return null
}

function mediaTitle(el: XEl, env: Env): TextConstruct | null {
  const found = childrenNamed(el, NS.media, 'title')[0]
  return found ? readConstruct(found, { dialect: 'rss', defaultType: TEXT, base: baseAt(found, env.scope), language: env.language }) : null
}

/** Display text of a construct: markup stripped, whitespace collapsed. */
function plainOf(c: TextConstruct | null): string | null {
  if (!c) return null
  return nonBlank(c.type === TEXT ? collapse(c.value) : c.type === 'text/html' || c.type === XHTML ? htmlToText(c.value) : collapse(c.value))
}

function authorsOf(el: XEl, env: Env): Person[] {
  const people = peopleOf(el, 'author', env)
  for (const c of childrenNamed(el, NS.dc, 'creator')) {
    const p = personFromText(textOf(c))
    if (p) people.push(p)
  }
  return people
}

function peopleOf(el: XEl, local: string, env: Env): Person[] {
  const out: Person[] = []
  for (const a of childrenNamed(el, env.ns, local)) {
    const p = atomPerson(a, env.ns, env.scope)
    if (p) out.push(p)
  }
  return out
}

function tagsOf(el: XEl, env: Env) {
  const out: Array<Category | null> = []
  for (const c of childrenNamed(el, env.ns, 'category')) {
    out.push(category(attr(c, 'term') ?? (elements(c).length === 0 ? textOf(c) : null), attr(c, 'scheme') ?? attr(c, 'domain'), attr(c, 'label')))
  }
  for (const s of childrenNamed(el, NS.dc, 'subject')) out.push(category(textOf(s), null, null))
  return uniqueTags(out)
}

const relOf = (l: XEl): string => (attr(l, 'rel') ?? 'alternate').trim().toLowerCase() || 'alternate'

/** `href`, or the element's text for feeds that write `<link>https://…</link>` as in RSS. */
const hrefOf = (l: XEl): string | null => nonBlank(attr(l, 'href')) ?? nonBlank(textOf(l).trim())

/** rel=alternate (the default), preferring text/html over other representations. */
function pickLink(el: XEl, ns: NsTest): XEl | null {
  // One pass, keeping the first alternate of each preferred type.
  let first: XEl | null = null
  let untyped: XEl | null = null
  let xhtml: XEl | null = null
  for (const l of childrenNamed(el, ns, 'link')) {
    if (relOf(l) !== 'alternate' || hrefOf(l) === null) continue
    const type = (attr(l, 'type') ?? '').trim().toLowerCase()
    if (type === 'text/html') return l
    first ??= l
    if (type === '') untyped ??= l
    else if (type === 'application/xhtml+xml') xhtml ??= l
  }
  return untyped ?? xhtml ?? first
}

function imageOf(root: XEl, ns: NsTest, local: string, scope: UrlScope): string | null {
  const el = childrenNamed(root, ns, local)[0]
  return el ? urlAt(textOf(el), el, scope) : null
}
