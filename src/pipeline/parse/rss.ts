import type { Category, ContentPart, FeedImage, FeedLink, Enclosure, FeedItem, ItemSource, ParsedFeed, Person, TextConstruct } from '../../domain/types.js'
import {
  baseAt, identify, itemImage, itunesBlock, itunesExplicit, itunesImage, joinAuthors, mimeType, normalizeLanguage,
  parseLength, parseTtl, resolveId, uniqueCategories, uniqueEnclosures, urlAt, type UrlScope,
} from './common.js'
import { constructHtml, HTML, mediaDescription, readConstruct, TEXT, XHTML } from './construct.js'
import { category, dateAt, generatorOf, linksOf, personFromText, personLabel, uniqueTags } from './details.js'
import { collapse, htmlToText, nonBlank } from './text.js'
import { readSkip } from './skip.js'
import { resolveUrl } from './urls.js'
import { attr, child, childrenNamed, elements, firstText, norm, NS, textOf, type NsTest, type XEl } from './xml.js'

const FEEDBURNER = norm('http://rssnamespace.org/feedburner/ext/1.0')
const CC = norm('http://web.resource.org/cc/')
const CREATIVE_COMMONS = norm('http://backend.userland.com/creativeCommonsRssModule')

/**
 * RSS 0.9x/2.0 (`<rss>`) and RDF (RSS 1.0 and RSS 0.90, `<rdf:RDF>`). Core elements are matched in no
 * namespace or the RSS 1.0 / Netscape 0.90 namespaces; module elements by their namespace URI.
 */
export function parseRss(
  root: XEl,
  ctx: { url: string | null; format: 'rss' | 'rdf'; netscapeDoctype?: boolean; declaresRss090?: boolean; contentLanguage?: string | null },
): ParsedFeed {
  const core: NsTest = coreNamespaces(root)
  const channel = child(root, core, 'channel') ?? root
  // RSS 1.0 puts items and image beside the channel; broken RSS 0.9x sometimes does too.
  const itemEls = [...childrenNamed(channel, core, 'item'), ...(channel === root ? [] : childrenNamed(root, core, 'item'))]

  const rawLink = firstText(channel, [[core, 'link']])?.text ?? atomLink(channel, 'alternate')
  const feedLink = resolveUrl(rawLink, channel.xmlBase ?? ctx.url)
  const scope: UrlScope = { fallbackBase: feedLink ?? ctx.url }

  const language =
    normalizeLanguage(firstText(channel, [[core, 'language'], [NS.dc, 'language']])?.text) ??
    normalizeLanguage(channel.lang) ??
    normalizeLanguage(root.lang) ??
    normalizeLanguage(ctx.contentLanguage)
  const env: Env = { core, scope, language, item: itemCandidates(core) }

  const titleDetail = construct(channel, [[core, 'title'], [NS.dc, 'title']], TEXT, env)
  const subtitleDetail = construct(channel, [[core, 'description'], [NS.dc, 'description'], [NS.itunes, 'subtitle'], [NS.itunes, 'summary']], HTML, env)

  const items: FeedItem[] = []
  for (const el of itemEls) {
    // A truncated download leaves the last item half-written; it will be whole on the next fetch.
    if (!el.complete) continue
    const item = parseItem(el, env)
    if (item) items.push(item)
  }

  const dates = {
    published: dateAt(channel, [[core, 'pubdate'], [NS.dcterms, 'issued']]),
    updated: dateAt(channel, [[core, 'lastbuilddate'], [NS.dc, 'date'], [NS.dcterms, 'modified'], [NS.atom, 'updated']]),
    created: dateAt(channel, [[NS.dcterms, 'created']]),
  }
  const images = [...childrenNamed(channel, core, 'image'), ...(channel === root ? [] : childrenNamed(root, core, 'image'))]
  const links = linksOf(childrenNamed(channel, NS.atom, 'link'), scope)
  if (feedLink) links.unshift({ href: feedLink, rel: 'alternate', type: 'text/html', title: null, length: null, hreflang: null })
  // Every field written out, in the order ParsedFeed output has always had (feedDefaults() order after
  // `items`): building it from spreads cost more than the rest of a small feed.
  const feed: ParsedFeed = {
    format: ctx.format,
    version: versionOf(root, ctx),
    title: plainOf(titleDetail),
    link: feedLink,
    description: plainOf(subtitleDetail),
    language,
    imageUrl: feedImage(images, channel, core, scope),
    ttlMinutes: parseTtl(firstText(channel, [[core, 'ttl']])?.text),
    hub: resolveUrl(atomLink(channel, 'hub') ?? atomLink(root, 'hub'), channel.xmlBase ?? ctx.url),
    items,
    id: resolveId(firstText(channel, [[NS.atom, 'id']])?.text ?? null, null),
    titleDetail,
    subtitleDetail,
    rightsDetail: construct(channel, [[core, 'copyright'], [NS.dc, 'rights'], [NS.dcterms, 'rights'], [NS.atom, 'rights']], TEXT, env),
    infoDetail: construct(channel, [[FEEDBURNER, 'browserfriendly']], TEXT, env),
    generator: generatorOf(child(channel, core, 'generator'), scope),
    authors: peopleOf(channel, [[core, 'managingeditor'], [NS.dc, 'creator'], [NS.dc, 'author'], [core, 'author'], [NS.itunes, 'author']]),
    contributors: peopleOf(channel, [[NS.dc, 'contributor']]),
    publisher: peopleOf(channel, [[core, 'webmaster'], [NS.dc, 'publisher'], [NS.itunes, 'owner']])[0] ?? null,
    links,
    tags: tagsOf(channel, core),
    updated: dates.updated.iso,
    published: dates.published.iso,
    icon: textUrl(channel, [[NS.atom, 'icon']], scope),
    logo: textUrl(channel, [[NS.atom, 'logo']], scope),
    docs: textUrl(channel, [[core, 'docs']], scope),
    created: dates.created.iso,
    newLocation: textUrl(channel, [[NS.itunes, 'new-feed-url']], scope) ?? redirectTo(root, channel, core, scope),
    dateText: { published: dates.published.text, updated: dates.updated.text, created: dates.created.text, expired: null },
    image: imageDetail(images, core, scope),
    textInput: textInputOf(root, channel, core, scope),
    explicit: itunesExplicit(channel),
    block: itunesBlock(channel),
  }
  const skip = readSkip(channel, core)
  return skip.skipHours || skip.skipDays ? withSkip(feed, skip) : feed
}

/** The feed with skipHours/skipDays right after ttlMinutes, where they have always been in the output. */
function withSkip(feed: ParsedFeed, skip: { skipHours?: number[]; skipDays?: string[] }): ParsedFeed {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(feed)) {
    out[key] = value
    if (key === 'ttlMinutes') Object.assign(out, skip)
  }
  return out as unknown as ParsedFeed
}

interface Env {
  core: NsTest
  scope: UrlScope
  language: string | null
  /** The per-item candidate lists, built once per feed rather than once per item. */
  item: ItemCandidates
}

type Candidates = ReadonlyArray<[NsTest, string]>

let lastCandidates: { core: NsTest; lists: ItemCandidates } | null = null

function itemCandidates(core: NsTest): ItemCandidates {
  if (lastCandidates?.core !== core) lastCandidates = { core, lists: buildItemCandidates(core) }
  return lastCandidates.lists
}

function buildItemCandidates(core: NsTest) {
  return {
    title: [[core, 'title'], [NS.dc, 'title'], [NS.media, 'title']] as Candidates,
    link: [[core, 'link']] as Candidates,
    published: [[core, 'pubdate'], [NS.dcterms, 'issued'], [NS.atom, 'published']] as Candidates,
    updated: [[NS.dc, 'date'], [NS.dcterms, 'modified'], [NS.atom, 'updated']] as Candidates,
    created: [[NS.dcterms, 'created']] as Candidates,
    expired: [[core, 'expirationdate']] as Candidates,
    authors: [[NS.dc, 'creator'], [NS.dc, 'author'], [core, 'author'], [NS.itunes, 'author']] as Candidates,
    comments: [[core, 'comments']] as Candidates,
    rights: [[NS.dc, 'rights'], [NS.dcterms, 'rights'], [NS.atom, 'rights']] as Candidates,
    contributors: [[NS.dc, 'contributor']] as Candidates,
    publisher: [[NS.dc, 'publisher']] as Candidates,
    language: [[NS.dc, 'language']] as Candidates,
    subtitle: [[NS.itunes, 'subtitle']] as Candidates,
  }
}
type ItemCandidates = ReturnType<typeof buildItemCandidates>

const CORE: readonly string[] = ['', NS.rss10, NS.rss090]

function coreNamespaces(root: XEl): NsTest {
  // `<rss xmlns="…something odd…">`: whatever the root is in counts as core.
  if (root.local === 'rss' && !CORE.includes(root.ns)) return [...CORE, root.ns]
  // Nearly every feed: one shared list, so that the candidate lists built from it can be shared too.
  return CORE
}

function versionOf(root: XEl, ctx: { format: 'rss' | 'rdf'; netscapeDoctype?: boolean; declaresRss090?: boolean }): string {
  if (ctx.format === 'rdf') {
    if (ctx.declaresRss090 || elements(root).some((e) => e.ns === NS.rss090)) return 'rss090'
    return 'rss10'
  }
  const v = (attr(root, 'version') ?? '').trim()
  if (v === '0.91') return ctx.netscapeDoctype ? 'rss091n' : 'rss091u'
  if (v === '0.92') return 'rss092'
  if (v === '0.93') return 'rss093'
  if (v === '0.94') return 'rss094'
  if (/^2(?:\.\d+)*$/.test(v)) return 'rss20'
  return 'rss'
}

function parseItem(el: XEl, env: Env): FeedItem | null {
  const { core, scope, item: c } = env
  const titleDetail = construct(el, c.title, TEXT, env)

  const guidEl = childrenNamed(el, core, 'guid').find((g) => textOf(g).trim() !== '')
  const guidIsPermalink = guidEl !== undefined && (attr(guidEl, 'ispermalink') ?? 'true').trim().toLowerCase() !== 'false'
  // Kept exactly as written (not resolved even when relative): it is the item's stored identity.
  const guid = guidEl ? textOf(guidEl).trim() : null
  const about = el.ns === NS.rss10 || el.ns === NS.rss090 ? nonBlank(attr(el, 'about', NS.rdf)?.trim()) : null
  const linkEl = firstText(el, c.link)
  const ownLink = urlAt(linkEl?.text, linkEl?.el ?? el, scope) ?? urlAt(atomLink(el, 'alternate'), el, scope)
  const guidLink = guidIsPermalink && guid && /^https?:\/\//i.test(guid) ? resolveUrl(guid, null) : null
  const link = ownLink ?? guidLink ?? (about && /^https?:\/\//i.test(about) ? resolveUrl(about, null) : null)

  const dates = {
    published: dateAt(el, c.published),
    updated: dateAt(el, c.updated),
    created: dateAt(el, c.created),
    expired: dateAt(el, c.expired),
  }
  const published = dates.published.iso
  const updated = dates.updated.iso

  const authors = peopleOf(el, c.authors)
  const atomAuthors = childrenNamed(el, NS.atom, 'author').flatMap((a) => {
    const name = nonBlank(firstText(a, [[NS.atom, 'name']])?.text.trim() ?? null)
    const email = nonBlank(firstText(a, [[NS.atom, 'email']])?.text.trim() ?? null)
    return name || email ? [{ name, email, href: null }] : []
  })
  const people = authors.length > 0 ? authors : atomAuthors

  // Content: content:encoded, <fullitem>, XHTML <body>. A non-standard <summary> beside a <description>
  // makes the description the body (the summary is then the short text).
  const content: ContentPart[] = []
  for (const c of [...childrenNamed(el, NS.content, 'encoded'), ...childrenNamed(el, core, 'fullitem')]) {
    if (hasContent(c)) content.push(readConstruct(c, { dialect: 'rss', defaultType: HTML, base: baseAt(c, scope), language: langAt(c, env) }))
  }
  for (const c of [...childrenNamed(el, NS.xhtml, 'body'), ...childrenNamed(el, core, 'body')]) {
    if (hasContent(c)) content.push(readConstruct(c, { dialect: 'rss', defaultType: XHTML, base: baseAt(c, scope), language: langAt(c, env) }))
  }
  // Whichever of them comes first is the summary.
  const shortEls = elements(el).filter((c) =>
    ((c.local === 'summary' || c.local === 'description') && nsIn(core, c.ns)) || (c.local === 'summary' && c.ns === NS.atom) ||
    (c.local === 'description' && c.ns === NS.dc)).filter(hasContent)
  let summaryEl = shortEls[0]
  const bodyEl = shortEls.find((c) => c.local !== summaryEl?.local)
  if (summaryEl && bodyEl) content.push(readConstruct(bodyEl, { dialect: 'rss', defaultType: HTML, base: baseAt(bodyEl, scope), language: langAt(bodyEl, env) }))
  summaryEl ??= childrenNamed(el, NS.itunes, 'summary').find(hasContent)
  const summaryDetail = summaryEl
    ? readConstruct(summaryEl, { dialect: 'rss', defaultType: HTML, base: baseAt(summaryEl, scope), language: langAt(summaryEl, env) })
    : mediaDescription(el, { base: scope.fallbackBase, language: env.language })

  const enclosures: Enclosure[] = uniqueEnclosures([
    ...childrenNamed(el, core, 'enclosure').flatMap((e) => {
      const url = urlAt(attr(e, 'url') ?? attr(e, 'href'), e, scope)
      return url ? [{ url, type: mimeType(attr(e, 'type')), length: parseLength(attr(e, 'length')) }] : []
    }),
    ...atomEnclosures(el, scope),
  ])

  const tags = tagsOf(el, core)
  const sourceEl = child(el, core, 'source')
  const comments = firstText(el, c.comments)

  // Built whole, in the field order FeedItem output has always had; identify() fills in the id.
  const item: FeedItem = {
    id: '',
    title: plainOf(titleDetail),
    link,
    published,
    updated,
    author: joinAuthors(people.map(personLabel)),
    contentHtml: constructHtml(content[0] ?? null),
    summary: constructHtml(summaryDetail),
    categories: uniqueCategories(tags.map((t) => t.label ?? t.term)),
    imageUrl: itemImage(el, scope, enclosures),
    enclosures,
    titleDetail,
    summaryDetail,
    content,
    rightsDetail: construct(el, c.rights, TEXT, env),
    authors: people,
    contributors: peopleOf(el, c.contributors),
    publisher: peopleOf(el, c.publisher)[0] ?? null,
    links: itemLinks(el, core, scope),
    tags,
    source: sourceEl ? rssSource(sourceEl, env) : null,
    guidIsLink: guidIsPermalink && guid !== null && ownLink === null,
    comments: comments ? urlAt(comments.text, comments.el, scope) : null,
    created: dates.created.iso,
    expired: dates.expired.iso,
    language: normalizeLanguage(firstText(el, c.language)?.text),
    license: licenseOf(el, scope),
    dateText: { published: dates.published.text, updated: dates.updated.text, created: dates.created.text, expired: dates.expired.text },
    explicit: itunesExplicit(el),
    block: itunesBlock(el),
    subtitle: nonBlank(collapse(firstText(el, c.subtitle)?.text ?? '')),
  }
  return identify(item, guid ?? about)
}

/** RSS `<source url="…">Title</source>`: the feed the item came from. */
function rssSource(el: XEl, env: Env): ItemSource {
  const href = urlAt(attr(el, 'url'), el, env.scope)
  const title = nonBlank(collapse(textOf(el)))
  return {
    id: null, title, titleDetail: null, link: null, href, links: [], subtitleDetail: null, rightsDetail: null,
    authors: [], contributors: [], tags: [], generator: null, updated: null, icon: null, logo: null,
  }
}

const hasContent = (d: XEl): boolean => textOf(d).trim() !== '' || d.children.some((x) => x.type === 'el')

/** Language for a construct: xml:lang in scope, else the feed's. */
function langAt(el: XEl, env: Env): string | null {
  return el.lang ?? env.language
}

function construct(el: XEl, candidates: ReadonlyArray<[NsTest, string]>, defaultType: string, env: Env): TextConstruct | null {
  for (const [ns, local] of candidates) {
    // The first one with content, else the first one.
    let found: XEl | undefined
    for (const c of childrenNamed(el, ns, local)) {
      if (hasContent(c)) {
        found = c
        break
      }
      found ??= c
    }
    if (found) return readConstruct(found, { dialect: 'rss', defaultType, base: baseAt(found, env.scope), language: langAt(found, env) })
  }
  return null
}

function plainOf(c: TextConstruct | null): string | null {
  if (!c) return null
  return nonBlank(c.type === HTML || c.type === XHTML ? htmlToText(c.value) : collapse(c.value))
}

function peopleOf(el: XEl, candidates: ReadonlyArray<[NsTest, string]>): Person[] {
  const out: Person[] = []
  for (const [ns, local] of candidates) {
    for (const p of childrenNamed(el, ns, local)) {
      // itunes:owner holds itunes:name and itunes:email.
      const name = firstText(p, [[NS.itunes, 'name']])?.text
      const email = firstText(p, [[NS.itunes, 'email']])?.text
      const person = name || email ? { name: name?.trim() || null, email: email?.trim() || null, href: null } : personFromText(textOf(p))
      if (person && !out.some((o) => o.name === person.name && o.email === person.email)) out.push(person)
    }
  }
  return out
}

const ITUNES_SCHEME = 'http://www.itunes.com/'
const MEDIA_SCHEME = 'http://search.yahoo.com/mrss/category_schema'

/** Categories from every vocabulary, in document order (the order the publisher gave them). */
function tagsOf(el: XEl, core: NsTest): Category[] {
  const out: Array<Category | null> = []
  for (const c of elements(el)) {
    if (c.local === 'category' && nsIn(core, c.ns)) out.push(category(textOf(c), attr(c, 'domain'), null))
    // A made-up <tags>a, b</tags> element some feeds use.
    else if (c.local === 'tags' && nsIn(core, c.ns)) for (const term of textOf(c).split(',')) out.push(category(term, null, null))
    else if (c.local === 'subject' && c.ns === NS.dc) out.push(category(textOf(c), null, null))
    else if (c.local === 'category' && c.ns === NS.atom) out.push(category(attr(c, 'term'), attr(c, 'scheme'), attr(c, 'label')))
    else if (c.local === 'category' && c.ns === NS.media) out.push(category(textOf(c), attr(c, 'scheme') ?? MEDIA_SCHEME, attr(c, 'label')))
    else if (c.local === 'keywords' && c.ns === NS.itunes) for (const term of textOf(c).split(',')) out.push(category(term, ITUNES_SCHEME, null))
    else if (c.local === 'category' && c.ns === NS.itunes) {
      // Podcasts: <itunes:category text="…">, possibly nested one level.
      out.push(category(attr(c, 'text'), ITUNES_SCHEME, null))
      for (const sub of childrenNamed(c, NS.itunes, 'category')) out.push(category(attr(sub, 'text'), ITUNES_SCHEME, null))
    }
  }
  return uniqueTags(out.filter((t) => t === null || t.term !== '' || t.label !== null))
}

function nsIn(test: NsTest, ns: string): boolean {
  return typeof test === 'string' ? test === ns : typeof test === 'function' ? test(ns) : test.includes(ns)
}

/** Links in document order: the RSS link, atom:link elements and enclosures. */
function itemLinks(el: XEl, core: NsTest, scope: UrlScope): FeedLink[] {
  const out: FeedLink[] = []
  for (const c of elements(el)) {
    if (c.local === 'link' && nsIn(core, c.ns)) {
      const href = urlAt(textOf(c), c, scope)
      if (href && !out.some((l) => l.rel === 'alternate' && l.href === href)) out.push({ href, rel: 'alternate', type: 'text/html', title: null, length: null, hreflang: null })
    } else if (c.local === 'link' && c.ns === NS.atom) {
      out.push(...linksOf([c], scope))
    } else if (c.local === 'enclosure' && nsIn(core, c.ns)) {
      const href = urlAt(attr(c, 'url') ?? attr(c, 'href'), c, scope)
      if (href) out.push({ href, rel: 'enclosure', type: mimeType(attr(c, 'type')), title: null, length: parseLength(attr(c, 'length')), hreflang: null })
    }
  }
  return out
}

/** `<atom:link rel="…" href="…">` inside RSS (rel defaults to alternate). */
function atomLink(el: XEl, rel: string): string | null {
  for (const l of childrenNamed(el, NS.atom, 'link')) {
    const r = (attr(l, 'rel') ?? 'alternate').trim().toLowerCase()
    const href = attr(l, 'href')
    if (r === rel && href && href.trim() !== '') return href
  }
  return null
}

function atomEnclosures(el: XEl, scope: UrlScope): Enclosure[] {
  return childrenNamed(el, NS.atom, 'link').flatMap((l) => {
    if ((attr(l, 'rel') ?? '').trim().toLowerCase() !== 'enclosure') return []
    const url = urlAt(attr(l, 'href'), l, scope)
    return url ? [{ url, type: mimeType(attr(l, 'type')), length: parseLength(attr(l, 'length')) }] : []
  })
}

/** A license URL: cc:license rdf:resource (or its text), creativeCommons:license, atom:link rel=license. */
function licenseOf(el: XEl, scope: UrlScope): string | null {
  for (const l of [...childrenNamed(el, CC, 'license'), ...childrenNamed(el, CREATIVE_COMMONS, 'license')]) {
    const url = urlAt(attr(l, 'resource', NS.rdf) ?? textOf(l), l, scope)
    if (url) return url
  }
  const link = childrenNamed(el, NS.atom, 'link').find((l) => (attr(l, 'rel') ?? '').trim().toLowerCase() === 'license')
  return link ? urlAt(attr(link, 'href'), link, scope) : null
}

/** `<redirect><newLocation>` (a moved RSS feed), at the root or in the channel. */
function redirectTo(root: XEl, channel: XEl, core: NsTest, scope: UrlScope): string | null {
  for (const r of [...childrenNamed(root, core, 'redirect'), ...(channel === root ? [] : childrenNamed(channel, core, 'redirect'))]) {
    const url = textUrl(r, [[core, 'newlocation']], scope)
    if (url) return url
  }
  return null
}

function textUrl(el: XEl, candidates: ReadonlyArray<[NsTest, string]>, scope: UrlScope): string | null {
  const found = firstText(el, candidates)
  return found ? urlAt(found.text, found.el, scope) : null
}

function textInputOf(root: XEl, channel: XEl, core: NsTest, scope: UrlScope): ParsedFeed['textInput'] {
  const el = child(channel, core, 'textinput') ?? (channel === root ? undefined : child(root, core, 'textinput'))
  if (!el) return null
  const text = (local: string): string | null => nonBlank(collapse(firstText(el, [[core, local]])?.text ?? ''))
  const link = firstText(el, [[core, 'link']])
  return { title: text('title'), description: text('description'), name: text('name'), link: link ? urlAt(link.text, link.el, scope) : null }
}

function imageDetail(images: XEl[], core: NsTest, scope: UrlScope): FeedImage | null {
  for (const img of images) {
    const urlEl = firstText(img, [[core, 'url']])
    const url = urlAt(urlEl?.text ?? attr(img, 'resource', NS.rdf) ?? attr(img, 'about', NS.rdf), urlEl?.el ?? img, scope)
    if (!url) continue
    const linkEl = firstText(img, [[core, 'link']])
    const size = (local: string): number | null => {
      const n = Number(firstText(img, [[core, local]])?.text)
      return Number.isInteger(n) && n > 0 ? n : null
    }
    return {
      url,
      title: nonBlank(collapse(firstText(img, [[core, 'title']])?.text ?? '')),
      link: linkEl ? urlAt(linkEl.text, linkEl.el, scope) : null,
      width: size('width'),
      height: size('height'),
    }
  }
  return null
}

function feedImage(images: XEl[], channel: XEl, core: NsTest, scope: UrlScope): string | null {
  for (const img of images) {
    const urlEl = firstText(img, [[core, 'url']])
    const url = urlAt(urlEl?.text ?? attr(img, 'resource', NS.rdf) ?? attr(img, 'about', NS.rdf), urlEl?.el ?? img, scope)
    if (url) return url
  }
  const itunes = itunesImage(channel, scope)
  if (itunes) return itunes
  for (const local of ['logo', 'icon']) {
    const el = elements(channel).find((e) => e.ns === NS.atom && e.local === local)
    const url = el ? urlAt(textOf(el), el, scope) : null
    if (url) return url
  }
  return null
}
