/**
 * Renders the demo newsroom (`content.ts`) into the bytes a real publisher would serve: feeds in four
 * formats and three charsets, cluttered article pages, SVG images, front pages, robots.txt and a sitemap.
 * Pure: the same `baseUrl` and `anchor` always give the same map, so tests can rebuild what a server serves.
 */
import { createHash } from 'node:crypto'
import iconv from 'iconv-lite'
import { AUTHOR_BIOS, DEMO_ARTICLES, DEMO_SOURCES } from './content.js'
import type { DemoArticle, DemoFigure, DemoImage, DemoSource, DemoSourceId } from './content.js'

export interface DemoResponse {
  status?: number
  contentType: string
  body: Uint8Array
  etag?: string
  lastModified?: string
}

export type DemoSite = Map<string, DemoResponse>

export const DEMO_FEED_PATHS: string[] = DEMO_SOURCES.map((s) => s.feedPath)

type Charset = 'utf-8' | 'windows-1252' | 'shift_jis'
type Lang = 'en' | 'fr' | 'ja'

const MINUTE = 60_000
const IMAGE_W = 1200
const IMAGE_H = 675

interface Ctx {
  base: string
  anchor: Date
  source(id: DemoSourceId): DemoSource
  article(id: string): DemoArticle
  abs(path: string): string
}

export function buildDemoSite(opts: { baseUrl: string; anchor: Date }): DemoSite {
  const base = opts.baseUrl.replace(/\/+$/, '')
  const sources = new Map(DEMO_SOURCES.map((s) => [s.id, s]))
  const articles = new Map(DEMO_ARTICLES.map((a) => [a.id, a]))
  const ctx: Ctx = {
    base,
    anchor: opts.anchor,
    source: (id) => must(sources.get(id), `unknown source ${id}`),
    article: (id) => must(articles.get(id), `unknown article ${id}`),
    abs: (path) => base + path,
  }
  const site: DemoSite = new Map()
  const put = (path: string, contentType: string, body: Uint8Array, modified: Date): void => {
    if (site.has(path)) throw new Error(`demo: two responses for ${path}`)
    site.set(path, { contentType, body, etag: etagOf(body), lastModified: modified.toUTCString() })
  }

  const newest = (list: DemoArticle[]): Date => new Date(Math.max(...list.map((a) => modifiedAt(a, ctx).getTime())))
  const oldest = new Date(Math.min(...DEMO_ARTICLES.map((a) => publishedAt(a, ctx).getTime())))

  // Images first: feeds give enclosure lengths.
  const images = new Map<string, Uint8Array>()
  for (const img of allImages()) images.set(img.id, utf8(svgImage(img.label, img.color, IMAGE_W, IMAGE_H)))
  for (const s of DEMO_SOURCES) images.set(`${s.id}-logo`, utf8(svgImage(s.name, s.color, 400, 80)))
  for (const name of Object.keys(AUTHOR_BIOS)) images.set(`author-${slugify(name)}`, utf8(svgImage(initials(name), '#64748b', 160, 160)))
  for (const [id, body] of images) put(`/img/${id}.svg`, 'image/svg+xml', body, oldest)

  for (const a of DEMO_ARTICLES) {
    const src = ctx.source(a.source)
    put(articlePath(a, ctx), htmlType(src.charset), encode(renderArticlePage(a, ctx), src.charset), modifiedAt(a, ctx))
    if (a.translation) {
      put(translationPath(a, ctx), htmlType(a.translation.charset), encode(renderTranslationPage(a, ctx), a.translation.charset), modifiedAt(a, ctx))
    }
  }

  for (const src of DEMO_SOURCES) {
    const list = sourceArticles(src.id, ctx)
    const updated = newest(list)
    const feed = renderFeed(src, list, ctx, images)
    put(src.feedPath, feedType(src), encode(feed, src.charset), updated)
    put(src.homePath, htmlType(src.charset), encode(renderFrontPage(src, list, ctx), src.charset), updated)
    for (const name of new Set(list.map((a) => a.author))) {
      const own = list.filter((a) => a.author === name)
      put(authorPath(src, name), htmlType(src.charset), encode(renderAuthorPage(src, name, own, ctx), src.charset), newest(own))
    }
  }

  const latest = newest(DEMO_ARTICLES)
  put('/', 'text/html; charset=utf-8', utf8(renderIndex(ctx)), latest)
  put('/robots.txt', 'text/plain; charset=utf-8', utf8(`User-agent: *\nAllow: /\n\nSitemap: ${ctx.abs('/sitemap.xml')}\n`), oldest)
  put('/sitemap.xml', 'application/xml; charset=utf-8', utf8(renderSitemap(ctx)), latest)
  return site
}

// ───────────────────────────── paths, dates, encodings ─────────────────────────────

function publishedAt(a: DemoArticle, ctx: Ctx): Date {
  return minutesBefore(ctx.anchor, a.minutesAgo)
}

function updatedAt(a: DemoArticle, ctx: Ctx): Date | null {
  return a.updatedMinutesAgo === undefined ? null : minutesBefore(ctx.anchor, a.updatedMinutesAgo)
}

function modifiedAt(a: DemoArticle, ctx: Ctx): Date {
  return updatedAt(a, ctx) ?? publishedAt(a, ctx)
}

/** Whole seconds, because RSS and HTTP dates cannot carry milliseconds and feeds must agree with pages. */
function minutesBefore(anchor: Date, minutes: number): Date {
  return new Date(Math.floor((anchor.getTime() - minutes * MINUTE) / 1000) * 1000)
}

function sourceArticles(id: DemoSourceId, ctx: Ctx): DemoArticle[] {
  return DEMO_ARTICLES.filter((a) => a.source === id).sort((x, y) => publishedAt(y, ctx).getTime() - publishedAt(x, ctx).getTime())
}

/** Each outlet has its own URL scheme, dated in its newsroom's local time, as real sites do. */
function articlePath(a: DemoArticle, ctx: Ctx): string {
  const src = ctx.source(a.source)
  const p = localParts(publishedAt(a, ctx), src.utcOffsetMinutes)
  if (src.id === 'northwind') return `/northwind/${p.year}/${p.month}/${a.slug}`
  return `/${src.id}/${p.year}/${p.month}/${p.day}/${a.slug}.html`
}

function translationPath(a: DemoArticle, ctx: Ctx): string {
  const src = ctx.source(a.source)
  const p = localParts(publishedAt(a, ctx), src.utcOffsetMinutes)
  return `/${src.id}/${a.translation?.lang ?? 'xx'}/${p.year}/${p.month}/${p.day}/${a.slug}.html`
}

function authorPath(src: DemoSource, name: string): string {
  return `/${src.id}/authors/${slugify(name)}/`
}

const imagePath = (img: DemoImage): string => `/img/${img.id}.svg`

function articleUrl(a: DemoArticle, ctx: Ctx): string {
  return ctx.abs(articlePath(a, ctx))
}

interface LocalParts {
  year: string
  month: string
  day: string
  hour: number
  minute: string
  second: string
  weekday: number
  monthIndex: number
}

function localParts(d: Date, offsetMinutes: number): LocalParts {
  const t = new Date(d.getTime() + offsetMinutes * MINUTE)
  return {
    year: String(t.getUTCFullYear()),
    month: pad(t.getUTCMonth() + 1),
    day: pad(t.getUTCDate()),
    hour: t.getUTCHours(),
    minute: pad(t.getUTCMinutes()),
    second: pad(t.getUTCSeconds()),
    weekday: t.getUTCDay(),
    monthIndex: t.getUTCMonth(),
  }
}

function offsetString(offsetMinutes: number, colon: boolean): string {
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`
}

/** RFC 3339 in the newsroom's local time (`Z` for UTC). */
function isoLocal(d: Date, offsetMinutes: number): string {
  const p = localParts(d, offsetMinutes)
  const zone = offsetMinutes === 0 ? 'Z' : offsetString(offsetMinutes, true)
  return `${p.year}-${p.month}-${p.day}T${pad(p.hour)}:${p.minute}:${p.second}${zone}`
}

const DAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTHS_EN_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']

/** RFC 822 as RSS wants it, with a numeric zone (`GMT` for UTC). */
function rfc822(d: Date, offsetMinutes: number): string {
  const p = localParts(d, offsetMinutes)
  const zone = offsetMinutes === 0 ? 'GMT' : offsetString(offsetMinutes, false)
  return `${DAYS_EN[p.weekday]}, ${p.day} ${MONTHS_EN[p.monthIndex]} ${p.year} ${pad(p.hour)}:${p.minute}:${p.second} ${zone}`
}

function humanDate(d: Date, offsetMinutes: number, lang: Lang): string {
  const p = localParts(d, offsetMinutes)
  const day = Number(p.day)
  if (lang === 'fr') return `${day} ${MONTHS_FR[p.monthIndex]} ${p.year} à ${p.hour} h ${p.minute}`
  if (lang === 'ja') return `${p.year}年${p.monthIndex + 1}月${day}日 ${p.hour}時${p.minute}分`
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12
  return `${MONTHS_EN_LONG[p.monthIndex]} ${day}, ${p.year} at ${h12}:${p.minute} ${p.hour < 12 ? 'a.m.' : 'p.m.'}`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

const META_CHARSET: Record<Charset, string> = { 'utf-8': 'utf-8', 'windows-1252': 'windows-1252', shift_jis: 'Shift_JIS' }

/** Legacy-charset pages are served without a charset parameter: the `<meta charset>` has to be read. */
function htmlType(charset: Charset): string {
  return charset === 'utf-8' ? 'text/html; charset=utf-8' : 'text/html'
}

function feedType(src: DemoSource): string {
  if (src.feedFormat === 'json') return 'application/feed+json; charset=utf-8'
  const type = src.feedFormat === 'atom' ? 'application/atom+xml' : 'application/rss+xml'
  return src.charset === 'utf-8' ? `${type}; charset=utf-8` : type
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** Fails loudly if content holds a character the target charset cannot carry (iconv-lite would write `?`). */
function encode(text: string, charset: Charset): Uint8Array {
  if (charset === 'utf-8') return utf8(text)
  const bytes = iconv.encode(text, charset)
  if (iconv.decode(bytes, charset) !== text) {
    const bad = [...text].find((ch) => iconv.decode(iconv.encode(ch, charset), charset) !== ch) ?? '?'
    throw new Error(`demo: ${JSON.stringify(bad)} (U+${(bad.codePointAt(0) ?? 0).toString(16)}) cannot be encoded in ${charset}`)
  }
  return new Uint8Array(bytes)
}

function etagOf(body: Uint8Array): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`
}

function must<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(`demo: ${message}`)
  return value
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
}

function allImages(): DemoImage[] {
  const seen = new Map<string, DemoImage>()
  for (const a of DEMO_ARTICLES) for (const img of [a.lead.image, ...(a.figures ?? []).map((f) => f.image)]) seen.set(img.id, img)
  return [...seen.values()]
}

// ───────────────────────────── images ─────────────────────────────

function svgImage(label: string, color: string, width: number, height: number): string {
  const size = Math.max(14, Math.round(Math.min(height / 6, (width / Math.max(label.length, 8)) * 1.6)))
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}">` +
    `<rect width="${width}" height="${height}" fill="${color}"/>` +
    `<rect x="${width * 0.03}" y="${height * 0.05}" width="${width * 0.94}" height="${height * 0.9}" fill="none" stroke="#ffffff" stroke-opacity="0.35" stroke-width="3"/>` +
    `<text x="${width / 2}" y="${height / 2}" font-family="Georgia, serif" font-size="${size}" fill="#ffffff" text-anchor="middle" dominant-baseline="middle">${esc(label)}</text>` +
    `</svg>\n`
  )
}

// ───────────────────────────── article bodies ─────────────────────────────

const LINK = /\[([^\]]+)\]\(@([a-z0-9-]+)\)/g

/** Escapes text and turns `[words](@article-id)` into links to that article's page. */
function renderInline(text: string, ctx: Ctx): string {
  let out = ''
  let last = 0
  for (const m of text.matchAll(LINK)) {
    const [whole, words = '', id = ''] = m
    const index = m.index ?? 0
    out += esc(text.slice(last, index)) + `<a href="${esc(articleUrl(ctx.article(id), ctx))}">${esc(words)}</a>`
    last = index + whole.length
  }
  return out + esc(text.slice(last))
}

function renderBlock(text: string, ctx: Ctx): string {
  if (text.startsWith('## ')) return `<h2>${renderInline(text.slice(3), ctx)}</h2>`
  if (text.startsWith('> ')) return `<blockquote><p>${renderInline(text.slice(2), ctx)}</p></blockquote>`
  return `<p>${renderInline(text, ctx)}</p>`
}

function renderFigure(f: { image: DemoImage; caption?: string; credit?: string }, ctx: Ctx, className: string): string {
  const img = `<img src="${esc(ctx.abs(imagePath(f.image)))}" alt="${esc(f.image.label)}" width="${IMAGE_W}" height="${IMAGE_H}" loading="lazy">`
  if (!f.caption) return `<figure class="${className}">${img}</figure>`
  const credit = f.credit ? ` <span class="credit">${esc(f.credit)}</span>` : ''
  return `<figure class="${className}">${img}<figcaption>${esc(f.caption)}${credit}</figcaption></figure>`
}

/** The body as a feed carries it: paragraphs and figures, none of the page's clutter. */
function renderFeedBody(a: DemoArticle, ctx: Ctx): string {
  const parts: string[] = []
  if (a.lead.caption) parts.push(renderFigure(a.lead, ctx, 'lead-image'))
  a.paragraphs.forEach((text, i) => {
    parts.push(renderBlock(text, ctx))
    for (const f of figuresAfter(a, i)) parts.push(renderFigure(f, ctx, 'inline-figure'))
  })
  return parts.join('\n')
}

function figuresAfter(a: DemoArticle, index: number): DemoFigure[] {
  return (a.figures ?? []).filter((f) => f.afterParagraph === index)
}

// ───────────────────────────── page chrome ─────────────────────────────

interface Ui {
  by: string
  published: string
  updated: string
  shareLabel: string
  shareOn: (network: string) => string
  email: string
  moreFrom: (outlet: string) => string
  cookie: string
  accept: string
  manage: string
  topics: string
  author: string
  home: string
  subscribe: string
  search: string
  emailPlaceholder: string
  rights: (year: string, outlet: string) => string
  footerLinks: Array<[string, string]>
}

const UI: Record<Lang, Ui> = {
  en: {
    by: 'By',
    published: 'Published',
    updated: 'Updated',
    shareLabel: 'Share this article',
    shareOn: (n) => `Share on ${n}`,
    email: 'Email',
    moreFrom: (o) => `More from ${o}`,
    cookie:
      'We use cookies to remember your preferences, measure traffic and show relevant advertising. You can change your choice at any time under Privacy settings.',
    accept: 'Accept all',
    manage: 'Manage preferences',
    topics: 'Topics',
    author: 'Author',
    home: 'Home',
    subscribe: 'Subscribe',
    search: 'Search',
    emailPlaceholder: 'Your email address',
    rights: (y, o) => `© ${y} ${o}. All rights reserved.`,
    footerLinks: [
      ['about', 'About us'],
      ['contact', 'Contact'],
      ['advertise', 'Advertise'],
      ['privacy', 'Privacy policy'],
      ['terms', 'Terms of use'],
    ],
  },
  fr: {
    by: 'Par',
    published: 'Publié le',
    updated: 'Mis à jour le',
    shareLabel: 'Partager cet article',
    shareOn: (n) => `Partager sur ${n}`,
    email: 'Envoyer par e-mail',
    moreFrom: (o) => `Plus d’articles : ${o}`,
    cookie:
      'Nous utilisons des cookies pour mémoriser vos préférences, mesurer l’audience et afficher des publicités adaptées. Vous pouvez modifier vos choix à tout moment.',
    accept: 'Tout accepter',
    manage: 'Paramétrer',
    topics: 'Mots-clés',
    author: 'Auteur',
    home: 'Accueil',
    subscribe: 'S’abonner',
    search: 'Rechercher',
    emailPlaceholder: 'Votre adresse e-mail',
    rights: (y, o) => `© ${y} ${o}. Tous droits réservés.`,
    footerLinks: [
      ['a-propos', 'Qui sommes-nous ?'],
      ['contact', 'Nous contacter'],
      ['publicite', 'Publicité'],
      ['confidentialite', 'Confidentialité'],
      ['mentions-legales', 'Mentions légales'],
    ],
  },
  ja: {
    by: '文・',
    published: '公開',
    updated: '更新',
    shareLabel: 'この記事を共有',
    shareOn: (n) => `${n}でシェア`,
    email: 'メールで送る',
    moreFrom: (o) => `${o}のその他の記事`,
    cookie: '当サイトでは、利便性の向上、アクセス解析および広告配信のためにクッキーを使用しています。設定はいつでも変更できます。',
    accept: 'すべて許可',
    manage: '設定',
    topics: 'タグ',
    author: '筆者',
    home: 'ホーム',
    subscribe: '購読する',
    search: '検索',
    emailPlaceholder: 'メールアドレス',
    rights: (y, o) => `Copyright ${y} ${o}. All rights reserved.`,
    footerLinks: [
      ['about', '会社概要'],
      ['contact', 'お問い合わせ'],
      ['privacy', 'プライバシーポリシー'],
      ['terms', '利用規約'],
    ],
  },
}

const SECTIONS_JA = ['ニュース', '経済', '科学', 'スポーツ', '文化', '旅行']

const STYLE: string = [
  'body{margin:0;font:17px/1.6 Georgia,serif;color:#1f2933;background:#fff}',
  '.site-header{display:flex;gap:1.5rem;align-items:center;padding:.75rem 2rem;border-bottom:4px solid var(--brand)}',
  '.main-nav ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0;font-family:sans-serif;font-size:.9rem}',
  'main{max-width:46rem;margin:2rem auto;padding:0 1rem}',
  'figure{margin:1.5rem 0}figure img{max-width:100%;height:auto}figcaption{font:.85rem sans-serif;color:#52606d}',
  '.credit{text-transform:uppercase;font-size:.75rem;color:#7b8794}',
  '.share-bar,.newsletter,.more-from,.cookie-notice,.site-footer{font-family:sans-serif;font-size:.9rem}',
  '.cookie-notice{position:fixed;bottom:0;left:0;right:0;background:#111827;color:#fff;padding:1rem}',
  '.ad-slot{border:1px solid #d9e2ec;padding:.5rem 1rem;color:#52606d;font:.85rem sans-serif}',
].join('')

interface PageModel {
  src: DemoSource
  lang: Lang
  charset: Charset
  url: string
  canonical: string
  title: string
  dek: string
  author: string
  authorHref: string | null
  bio: string | null
  categories: string[]
  published: Date
  updated: Date | null
  lead: DemoArticle['lead']
  bodyHtml: string
  /** hreflang alternates, this page's own language included. */
  alternates: Array<{ lang: string; href: string }>
  isBasedOn: string | null
  more: DemoArticle[]
  sections: string[]
}

function renderArticlePage(a: DemoArticle, ctx: Ctx): string {
  const src = ctx.source(a.source)
  const url = articleUrl(a, ctx)
  const original = a.republishedFrom ? ctx.article(a.republishedFrom) : null
  const alternates: PageModel['alternates'] = []
  const body: string[] = []
  if (a.translation) {
    const jaUrl = ctx.abs(translationPath(a, ctx))
    alternates.push({ lang: src.lang, href: url }, { lang: a.translation.lang, href: jaUrl })
    body.push(`<p class="translation-link"><a href="${esc(jaUrl)}" hreflang="ja">Read the article in Japanese</a></p>`)
  }
  // The sponsored block sits after the third paragraph, where real pages put their first ad slot.
  const adAfter = src.sponsored && a.paragraphs.length >= 5 ? 2 : -1
  a.paragraphs.forEach((text, i) => {
    body.push(renderBlock(text, ctx))
    for (const f of figuresAfter(a, i)) body.push(renderFigure(f, ctx, 'inline-figure'))
    if (i === adAfter) body.push(`<aside class="ad-slot" aria-label="Advertisement"><p>${esc(src.sponsored ?? '')}</p></aside>`)
  })
  return renderPage(
    {
      src,
      lang: src.lang,
      charset: src.charset,
      url,
      canonical: original ? articleUrl(original, ctx) : url,
      title: a.title,
      dek: a.dek,
      author: a.author,
      authorHref: ctx.abs(authorPath(src, a.author)),
      bio: AUTHOR_BIOS[a.author] ?? null,
      categories: a.categories,
      published: publishedAt(a, ctx),
      updated: updatedAt(a, ctx),
      lead: a.lead,
      bodyHtml: body.join('\n'),
      alternates,
      isBasedOn: original ? articleUrl(original, ctx) : null,
      more: sourceArticles(src.id, ctx).filter((o) => o.id !== a.id).slice(0, 4),
      sections: src.sections,
    },
    ctx,
  )
}

function renderTranslationPage(a: DemoArticle, ctx: Ctx): string {
  const t = must(a.translation, `${a.id} has no translation`)
  const src = ctx.source(a.source)
  const url = ctx.abs(translationPath(a, ctx))
  const enUrl = articleUrl(a, ctx)
  const body = [
    `<p class="translation-link"><a href="${esc(enUrl)}" hreflang="en">英語版を読む (Read in English)</a></p>`,
    ...t.paragraphs.map((p) => `<p>${esc(p)}</p>`),
  ]
  return renderPage(
    {
      src,
      lang: t.lang,
      charset: t.charset,
      url,
      canonical: url,
      title: t.title,
      dek: t.dek,
      author: t.author,
      authorHref: null,
      bio: null,
      categories: a.categories,
      published: publishedAt(a, ctx),
      updated: updatedAt(a, ctx),
      lead: { image: a.lead.image },
      bodyHtml: body.join('\n'),
      alternates: [
        { lang: src.lang, href: enUrl },
        { lang: t.lang, href: url },
      ],
      isBasedOn: null,
      more: sourceArticles(src.id, ctx).filter((o) => o.id !== a.id).slice(0, 4),
      sections: SECTIONS_JA,
    },
    ctx,
  )
}

function renderPage(m: PageModel, ctx: Ctx): string {
  const ui = UI[m.lang]
  const home = ctx.abs(m.src.homePath)
  const leadUrl = ctx.abs(imagePath(m.lead.image))
  const off = m.src.utcOffsetMinutes
  const published = isoLocal(m.published, off)
  const updated = m.updated ? isoLocal(m.updated, off) : null
  const ogLocale = m.lang === 'ja' ? 'ja_JP' : m.src.locale

  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: m.title,
    description: m.dek,
    inLanguage: m.lang,
    url: m.url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': m.url },
    image: [leadUrl],
    datePublished: published,
    dateModified: updated ?? published,
    author: {
      '@type': 'Person',
      name: m.author,
      ...(m.authorHref ? { url: m.authorHref } : {}),
      ...(m.bio ? { description: m.bio } : {}),
    },
    publisher: {
      '@type': 'Organization',
      name: m.src.name,
      url: home,
      logo: { '@type': 'ImageObject', url: ctx.abs(`/img/${m.src.id}-logo.svg`) },
    },
    articleSection: m.categories[0],
    keywords: m.categories,
    ...(m.isBasedOn ? { isBasedOn: m.isBasedOn } : {}),
  }

  const head = [
    `<meta charset="${META_CHARSET[m.charset]}">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(m.title)} | ${esc(m.src.name)}</title>`,
    `<meta name="description" content="${esc(m.dek)}">`,
    `<meta name="author" content="${esc(m.author)}">`,
    `<link rel="canonical" href="${esc(m.canonical)}">`,
    ...m.alternates.map((alt) => `<link rel="alternate" hreflang="${alt.lang}" href="${esc(alt.href)}">`),
    `<link rel="alternate" type="${feedType(m.src).split(';')[0]}" title="${esc(m.src.name)}" href="${esc(ctx.abs(m.src.feedPath))}">`,
    `<meta property="og:type" content="article">`,
    `<meta property="og:site_name" content="${esc(m.src.name)}">`,
    `<meta property="og:title" content="${esc(m.title)}">`,
    `<meta property="og:description" content="${esc(m.dek)}">`,
    `<meta property="og:url" content="${esc(m.url)}">`,
    `<meta property="og:image" content="${esc(leadUrl)}">`,
    `<meta property="og:locale" content="${ogLocale}">`,
    `<meta property="article:published_time" content="${published}">`,
    ...(updated ? [`<meta property="article:modified_time" content="${updated}">`] : []),
    `<meta property="article:author" content="${esc(m.author)}">`,
    `<meta property="article:section" content="${esc(m.categories[0] ?? '')}">`,
    ...m.categories.map((c) => `<meta property="article:tag" content="${esc(c)}">`),
    `<meta name="twitter:card" content="summary_large_image">`,
    `<script type="application/ld+json">${JSON.stringify(jsonLd).replace(/</g, '\\u003c')}</script>`,
    `<style>:root{--brand:${m.src.color}}${STYLE}</style>`,
  ]

  const share = [
    ['Facebook', `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(m.url)}`],
    ['X', `https://x.com/intent/post?url=${encodeURIComponent(m.url)}`],
    ['LinkedIn', `https://www.linkedin.com/sharing/share-offsite/?url=${encodeURIComponent(m.url)}`],
  ]
    .map(([network = '', href = '']) => `<li><a class="share-${network.toLowerCase()}" href="${esc(href)}" rel="noopener">${esc(ui.shareOn(network))}</a></li>`)
    .concat(`<li><a class="share-email" href="mailto:?subject=${encodeURIComponent(m.title)}&amp;body=${encodeURIComponent(m.url)}">${esc(ui.email)}</a></li>`)
    .join('')

  const byline = m.authorHref
    ? `${esc(ui.by)}${m.lang === 'ja' ? '' : ' '}<a rel="author" href="${esc(m.authorHref)}">${esc(m.author)}</a>`
    : `${esc(ui.by)}${m.lang === 'ja' ? '' : ' '}<span class="author-name">${esc(m.author)}</span>`
  const dateline =
    `${esc(ui.published)} <time datetime="${published}">${esc(humanDate(m.published, off, m.lang))}</time>` +
    (m.updated && updated ? ` · ${esc(ui.updated)} <time class="updated" datetime="${updated}">${esc(humanDate(m.updated, off, m.lang))}</time>` : '')

  const authorBox = m.bio
    ? `<section class="author-box">` +
      `<img class="avatar" src="${esc(ctx.abs(`/img/author-${slugify(m.author)}.svg`))}" alt="" width="80" height="80">` +
      `<p class="author-name">${esc(ui.author)}: <a rel="author" href="${esc(m.authorHref ?? home)}">${esc(m.author)}</a></p>` +
      `<p class="author-bio">${esc(m.bio)}</p></section>`
    : ''

  const tagLinks = m.categories.map((c) => `<li><a rel="tag" href="${esc(`${home}?tag=${slugify(c)}`)}">${esc(c)}</a></li>`).join('')
  const more = m.more
    .map((o) => {
      const when = publishedAt(o, ctx)
      return `<li><a href="${esc(articleUrl(o, ctx))}">${esc(o.title)}</a> <time datetime="${isoLocal(when, off)}">${esc(humanDate(when, off, m.src.lang))}</time></li>`
    })
    .join('\n')
  const year = localParts(ctx.anchor, off).year

  return `<!DOCTYPE html>
<html lang="${m.lang}">
<head>
${head.join('\n')}
</head>
<body class="article-page">
<div class="cookie-notice" role="dialog" aria-live="polite"><p>${esc(ui.cookie)}</p><button type="button">${esc(ui.accept)}</button> <button type="button">${esc(ui.manage)}</button></div>
<header class="site-header">
<a class="logo" href="${esc(home)}"><img src="${esc(ctx.abs(`/img/${m.src.id}-logo.svg`))}" alt="${esc(m.src.name)}" width="200" height="40"></a>
<nav class="main-nav" aria-label="Sections"><ul>
${m.sections.map((s) => `<li><a href="${esc(`${home}?section=${encodeURIComponent(slugify(s) || s)}`)}">${esc(s)}</a></li>`).join('\n')}
</ul></nav>
<form class="search" action="${esc(home)}" method="get"><input type="search" name="q" placeholder="${esc(ui.search)}"></form>
<a class="subscribe-button" href="${esc(`${home}?subscribe=1`)}">${esc(ui.subscribe)}</a>
</header>
<main>
<nav class="breadcrumbs"><a href="${esc(home)}">${esc(ui.home)}</a> / <a href="${esc(`${home}?tag=${slugify(m.categories[0] ?? '')}`)}">${esc(m.categories[0] ?? '')}</a></nav>
<article class="story">
<header class="story-header">
<p class="kicker">${esc(m.categories[0] ?? '')}</p>
<h1>${esc(m.title)}</h1>
<p class="dek">${esc(m.dek)}</p>
<p class="byline">${byline}</p>
<p class="dateline">${dateline}</p>
</header>
<div class="share-bar"><span>${esc(ui.shareLabel)}</span><ul>${share}</ul></div>
${renderFigure(m.lead, ctx, 'lead-image')}
<div class="story-body">
${m.bodyHtml}
</div>
<footer class="story-footer">
<div class="tags"><span>${esc(ui.topics)}:</span><ul>${tagLinks}</ul></div>
${authorBox}
</footer>
</article>
<aside class="newsletter">
<h2>${esc(m.src.newsletter.title)}</h2>
<p>${esc(m.src.newsletter.text)}</p>
<form action="${esc(home)}" method="get"><input type="email" name="email" placeholder="${esc(ui.emailPlaceholder)}"><button type="submit">${esc(m.src.newsletter.button)}</button></form>
</aside>
<aside class="more-from">
<h2>${esc(ui.moreFrom(m.src.name))}</h2>
<ul>
${more}
</ul>
</aside>
</main>
<footer class="site-footer">
<nav><ul>${ui.footerLinks.map(([id, label]) => `<li><a href="${esc(`${home}#${id}`)}">${esc(label)}</a></li>`).join('')}</ul></nav>
<p>${esc(ui.rights(year, m.src.name))}</p>
</footer>
</body>
</html>
`
}

// ───────────────────────────── feeds ─────────────────────────────

function renderFeed(src: DemoSource, list: DemoArticle[], ctx: Ctx, images: Map<string, Uint8Array>): string {
  if (src.feedFormat === 'atom') return renderAtom(src, list, ctx)
  if (src.feedFormat === 'json') return renderJsonFeed(src, list, ctx)
  return renderRss(src, list, ctx, images)
}

function renderRss(src: DemoSource, list: DemoArticle[], ctx: Ctx, images: Map<string, Uint8Array>): string {
  const off = src.utcOffsetMinutes
  const home = ctx.abs(src.homePath)
  const built = list.reduce((max, a) => Math.max(max, modifiedAt(a, ctx).getTime()), 0)
  // The Herald writes opaque GUIDs and media:content; the Gazette permalink GUIDs and a plain enclosure.
  const herald = src.charset === 'utf-8'
  const items = list.map((a) => {
    const url = articleUrl(a, ctx)
    const img = ctx.abs(imagePath(a.lead.image))
    const lines = [
      `<title>${esc(a.title)}</title>`,
      `<link>${esc(url)}</link>`,
      herald ? `<guid isPermaLink="false">harbor-city-herald:${a.id}</guid>` : `<guid isPermaLink="true">${esc(url)}</guid>`,
      `<pubDate>${rfc822(publishedAt(a, ctx), off)}</pubDate>`,
      `<dc:creator>${esc(a.author)}</dc:creator>`,
      ...a.categories.map((c) => `<category>${esc(c)}</category>`),
      `<description>${esc(a.dek)}</description>`,
      ...(a.fullTextInFeed ? [`<content:encoded><![CDATA[${renderFeedBody(a, ctx)}]]></content:encoded>`] : []),
      herald
        ? `<media:content url="${esc(img)}" medium="image" type="image/svg+xml" width="${IMAGE_W}" height="${IMAGE_H}"/>`
        : `<enclosure url="${esc(img)}" length="${images.get(a.lead.image.id)?.byteLength ?? 0}" type="image/svg+xml"/>`,
    ]
    return `<item>\n${lines.join('\n')}\n</item>`
  })
  const xmlEncoding = src.charset === 'utf-8' ? 'UTF-8' : src.charset
  return `<?xml version="1.0" encoding="${xmlEncoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
<title>${esc(src.name)}</title>
<link>${esc(home)}</link>
<description>${esc(src.tagline)}</description>
<language>${src.lang === 'fr' ? 'fr-FR' : 'en-US'}</language>
<atom:link href="${esc(ctx.abs(src.feedPath))}" rel="self" type="application/rss+xml"/>
<lastBuildDate>${rfc822(new Date(built), off)}</lastBuildDate>
<ttl>15</ttl>
<image><url>${esc(ctx.abs(`/img/${src.id}-logo.svg`))}</url><title>${esc(src.name)}</title><link>${esc(home)}</link></image>
${items.join('\n')}
</channel>
</rss>
`
}

function renderAtom(src: DemoSource, list: DemoArticle[], ctx: Ctx): string {
  const off = src.utcOffsetMinutes
  const updated = list.reduce((max, a) => Math.max(max, modifiedAt(a, ctx).getTime()), 0)
  const entries = list.map((a) => {
    const lines = [
      `<title type="text">${esc(a.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${esc(articleUrl(a, ctx))}"/>`,
      `<id>tag:northwind.example,2019:article/${a.id}</id>`,
      `<published>${isoLocal(publishedAt(a, ctx), off)}</published>`,
      `<updated>${isoLocal(modifiedAt(a, ctx), off)}</updated>`,
      `<author><name>${esc(a.author)}</name></author>`,
      ...a.categories.map((c) => `<category term="${esc(slugify(c))}" label="${esc(c)}"/>`),
      `<link rel="enclosure" type="image/svg+xml" href="${esc(ctx.abs(imagePath(a.lead.image)))}"/>`,
      `<summary type="text">${esc(a.dek)}</summary>`,
      ...(a.fullTextInFeed ? [`<content type="html">${esc(renderFeedBody(a, ctx))}</content>`] : []),
    ]
    return `<entry>\n${lines.join('\n')}\n</entry>`
  })
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>${esc(src.name)}</title>
<subtitle>${esc(src.tagline)}</subtitle>
<link rel="alternate" type="text/html" href="${esc(ctx.abs(src.homePath))}"/>
<link rel="self" type="application/atom+xml" href="${esc(ctx.abs(src.feedPath))}"/>
<id>tag:northwind.example,2019:feed</id>
<updated>${isoLocal(new Date(updated), off)}</updated>
<icon>${esc(ctx.abs(`/img/${src.id}-logo.svg`))}</icon>
<rights>© ${esc(src.name)}</rights>
${entries.join('\n')}
</feed>
`
}

function renderJsonFeed(src: DemoSource, list: DemoArticle[], ctx: Ctx): string {
  const off = src.utcOffsetMinutes
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: src.name,
    home_page_url: ctx.abs(src.homePath),
    feed_url: ctx.abs(src.feedPath),
    description: src.tagline,
    icon: ctx.abs(`/img/${src.id}-logo.svg`),
    language: src.lang,
    authors: [{ name: src.name }],
    items: list.map((a) => {
      const updated = updatedAt(a, ctx)
      return {
        id: `${src.id}-${a.id}`,
        url: articleUrl(a, ctx),
        title: a.title,
        summary: a.dek,
        ...(a.fullTextInFeed ? { content_html: renderFeedBody(a, ctx) } : { content_text: a.dek }),
        image: ctx.abs(imagePath(a.lead.image)),
        date_published: isoLocal(publishedAt(a, ctx), off),
        ...(updated ? { date_modified: isoLocal(updated, off) } : {}),
        authors: [{ name: a.author }],
        tags: a.categories,
        language: src.lang,
      }
    }),
  }
  return JSON.stringify(feed, null, 2) + '\n'
}

// ───────────────────────────── front pages, index, sitemap ─────────────────────────────

function renderListing(list: DemoArticle[], ctx: Ctx, src: DemoSource): string {
  return list
    .map((a) => {
      const when = publishedAt(a, ctx)
      return (
        `<li class="teaser"><a href="${esc(articleUrl(a, ctx))}">${esc(a.title)}</a>` +
        `<p>${esc(a.dek)}</p><time datetime="${isoLocal(when, src.utcOffsetMinutes)}">${esc(humanDate(when, src.utcOffsetMinutes, src.lang))}</time></li>`
      )
    })
    .join('\n')
}

function simplePage(opts: { lang: string; charset: Charset; title: string; head: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="${opts.lang}">
<head>
<meta charset="${META_CHARSET[opts.charset]}">
<title>${esc(opts.title)}</title>
${opts.head}
</head>
<body>
${opts.body}
</body>
</html>
`
}

function discoveryLink(src: DemoSource, ctx: Ctx): string {
  return `<link rel="alternate" type="${feedType(src).split(';')[0]}" title="${esc(src.name)}" href="${esc(ctx.abs(src.feedPath))}">`
}

function renderFrontPage(src: DemoSource, list: DemoArticle[], ctx: Ctx): string {
  return simplePage({
    lang: src.lang,
    charset: src.charset,
    title: `${src.name}: ${src.tagline}`,
    head: discoveryLink(src, ctx),
    body: `<header><img src="${esc(ctx.abs(`/img/${src.id}-logo.svg`))}" alt="${esc(src.name)}" width="200" height="40"><p>${esc(src.tagline)}</p></header>
<main><ul class="latest">
${renderListing(list, ctx, src)}
</ul></main>`,
  })
}

function renderAuthorPage(src: DemoSource, name: string, list: DemoArticle[], ctx: Ctx): string {
  const bio = AUTHOR_BIOS[name]
  return simplePage({
    lang: src.lang,
    charset: src.charset,
    title: `${name} | ${src.name}`,
    head: discoveryLink(src, ctx),
    body: `<main><h1>${esc(name)}</h1>${bio ? `<p class="author-bio">${esc(bio)}</p>` : ''}
<ul class="latest">
${renderListing(list, ctx, src)}
</ul></main>`,
  })
}

function renderIndex(ctx: Ctx): string {
  const outlets = DEMO_SOURCES.map(
    (s) =>
      `<li><a href="${esc(ctx.abs(s.homePath))}">${esc(s.name)}</a>: ${esc(s.tagline)} (<a href="${esc(ctx.abs(s.feedPath))}">${s.feedFormat === 'json' ? 'JSON Feed' : s.feedFormat === 'atom' ? 'Atom' : 'RSS'}</a>)</li>`,
  ).join('\n')
  return simplePage({
    lang: 'en',
    charset: 'utf-8',
    title: 'Tidings demo publisher',
    head: DEMO_SOURCES.map((s) => discoveryLink(s, ctx)).join('\n'),
    body: `<main><h1>Tidings demo publisher</h1>
<p>Four made-up news outlets served from this machine, so a fresh Tidings has something real to read without the internet. Every outlet, place and person here is fictional.</p>
<ul>
${outlets}
</ul></main>`,
  })
}

function renderSitemap(ctx: Ctx): string {
  const urls: string[] = []
  for (const a of DEMO_ARTICLES) {
    const lastmod = modifiedAt(a, ctx).toISOString()
    urls.push(`<url><loc>${esc(articleUrl(a, ctx))}</loc><lastmod>${lastmod}</lastmod></url>`)
    if (a.translation) urls.push(`<url><loc>${esc(ctx.abs(translationPath(a, ctx)))}</loc><lastmod>${lastmod}</lastmod></url>`)
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`
}
