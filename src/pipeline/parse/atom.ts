import type { ContentPart, Enclosure, FeedItem, ItemSource, ParsedFeed, Person, TextConstruct } from '../../domain/types.js'
import {
  baseAt, feedDefaults, finishItem, itemDefaults, itemImage, itunesBlock, itunesExplicit, itunesImage, joinAuthors, mimeType, normalizeLanguage,
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
  const env: Env = { ns, dialect, scope, language: root.lang ?? normalizeLanguage(ctx.contentLanguage) }
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

  const titleDetail = construct(root, ['title'], env)
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
    ...feedDefaults(),
    id: resolveId(firstText(root, [[ns, 'id']])?.text ?? null, baseAt(root, scope)),
    titleDetail,
    subtitleDetail,
    rightsDetail: construct(root, ['rights', 'copyright'], env),
    infoDetail,
    generator: generatorOf(childrenNamed(root, ns, 'generator')[0], scope),
    authors: feedAuthors,
    contributors: peopleOf(root, 'contributor', env),
    links: linksOf(childrenNamed(root, ns, 'link'), scope, { selfType: 'application/atom+xml' }),
    tags: tagsOf(root, env),
    updated: dates.updated.iso,
    published: dates.published.iso,
    created: dates.created.iso,
    dateText: { published: dates.published.text, updated: dates.updated.text, created: dates.created.text, expired: null },
    icon,
    logo,
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
}

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
  const titleDetail = construct(el, ['title'], env) ?? mediaTitle(el, env)
  const id = resolveId(firstText(el, [[ns, 'id']])?.text ?? null, baseAt(el, scope))

  const linkEl = pickLink(el, ns)
  const link = (linkEl ? urlAt(hrefOf(linkEl), linkEl, scope) : null) ?? (id && /^https?:\/\//i.test(id) ? resolveUrl(id, null) : null)

  const dates = {
    published: dateAt(el, [[ns, 'published'], [ns, 'issued'], [NS.dcterms, 'issued']]),
    updated: dateAt(el, [[ns, 'updated'], [ns, 'modified'], [NS.dc, 'date'], [NS.dcterms, 'modified']]),
    created: dateAt(el, [[ns, 'created'], [NS.dcterms, 'created']]),
    expired: dateAt(el, [[ns, 'expired']]),
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
  const summaryDetail = construct(el, ['summary'], env) ?? mediaDescription(el, { base: baseAt(el, scope), language: el.lang ?? env.language })

  const enclosures: Enclosure[] = uniqueEnclosures(
    childrenNamed(el, ns, 'link').flatMap((l) => {
      if (relOf(l) !== 'enclosure') return []
      const url = urlAt(hrefOf(l), l, scope)
      return url ? [{ url, type: mimeType(attr(l, 'type')), length: parseLength(attr(l, 'length')) }] : []
    }),
  )
  const tags = tagsOf(el, env)
  const links = linksOf(childrenNamed(el, ns, 'link'), scope)

  const partial = {
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
    ...itemDefaults(),
    titleDetail,
    summaryDetail,
    content,
    rightsDetail: construct(el, ['rights', 'copyright'], env),
    authors,
    contributors: peopleOf(el, 'contributor', env),
    links,
    tags,
    source,
    guidIsLink: false,
    created: dates.created.iso,
    expired: dates.expired.iso,
    dateText: { published: dates.published.text, updated: dates.updated.text, created: dates.created.text, expired: dates.expired.text },
    license: links.find((l) => l.rel === 'license')?.href ?? null,
    explicit: itunesExplicit(el),
    block: itunesBlock(el),
  }
  return finishItem(partial, id)
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
  return childrenNamed(el, env.ns, local).flatMap((a) => {
    const p = atomPerson(a, env.ns, env.scope)
    return p ? [p] : []
  })
}

function tagsOf(el: XEl, env: Env) {
  return uniqueTags([
    ...childrenNamed(el, env.ns, 'category').map((c) =>
      category(attr(c, 'term') ?? (elements(c).length === 0 ? textOf(c) : null), attr(c, 'scheme') ?? attr(c, 'domain'), attr(c, 'label')),
    ),
    ...childrenNamed(el, NS.dc, 'subject').map((s) => category(textOf(s), null, null)),
  ])
}

const relOf = (l: XEl): string => (attr(l, 'rel') ?? 'alternate').trim().toLowerCase() || 'alternate'

/** `href`, or the element's text for feeds that write `<link>https://…</link>` as in RSS. */
const hrefOf = (l: XEl): string | null => nonBlank(attr(l, 'href')) ?? nonBlank(textOf(l).trim())

/** rel=alternate (the default), preferring text/html over other representations. */
function pickLink(el: XEl, ns: NsTest): XEl | null {
  const alternates = childrenNamed(el, ns, 'link').filter((l) => relOf(l) === 'alternate' && hrefOf(l) !== null)
  const typeOf = (l: XEl): string => (attr(l, 'type') ?? '').trim().toLowerCase()
  return (
    alternates.find((l) => typeOf(l) === 'text/html') ??
    alternates.find((l) => typeOf(l) === '') ??
    alternates.find((l) => typeOf(l) === 'application/xhtml+xml') ??
    alternates[0] ??
    null
  )
}

function imageOf(root: XEl, ns: NsTest, local: string, scope: UrlScope): string | null {
  const el = childrenNamed(root, ns, local)[0]
  return el ? urlAt(textOf(el), el, scope) : null
}
