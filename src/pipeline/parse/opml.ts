import type { IsoDate, OpmlOutline } from '../../domain/types.js'
import { err, ok, stageError, type Result } from '../../domain/result.js'
import { collapse } from './text.js'
import { resolveUrl } from './urls.js'
import { attr, descendants, elements, parseXml, type XEl } from './xml.js'

/**
 * Subscriptions from an OPML file. Feeds nested in a folder outline take the folder's title as their
 * category; outlines without an xmlUrl are folders, not feeds. Repeated feeds keep their first entry.
 */
export function parseOpml(text: string): Result<OpmlOutline[]> {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trim() === '') return err(stageError('parse', 'opml_empty', 'The OPML file is empty.'))
  let root: XEl | undefined
  try {
    const doc = parseXml(body, { url: null })
    root = doc.elements.find((e) => e.local === 'opml')
    if (!root) {
      for (const top of doc.elements) {
        descendants(top, (e) => {
          if (!root && e.local === 'opml') root = e
          return !root
        })
      }
    }
  } catch (cause) {
    return err(stageError('parse', 'opml_invalid', 'opml: unexpected failure while reading the file', { cause }))
  }
  if (!root) {
    const message = /<html[\s>]|<!doctype\s+html/i.test(body.slice(0, 2048))
      ? 'This is an HTML page, not an OPML file.'
      : 'Not an OPML file: no <opml> element was found.'
    return err(stageError('parse', 'opml_invalid', message))
  }

  const container = elements(root).find((e) => e.local === 'body') ?? root
  const out: OpmlOutline[] = []
  const seen = new Set<string>()
  const walk = (el: XEl, folder: string | null, depth: number): void => {
    if (depth > 64) return
    for (const o of elements(el)) {
      if (o.local !== 'outline') continue
      const kind = tidingsKind(o)
      const xmlUrl = kind ? webUrl(attr(o, 'url')) : feedUrl(o)
      const label = clean(attr(o, 'title')) ?? clean(attr(o, 'text'))
      if (xmlUrl === null) {
        walk(o, label ?? folder, depth + 1)
        continue
      }
      if (!seen.has(xmlUrl)) {
        seen.add(xmlUrl)
        out.push({
          title: label ?? xmlUrl,
          xmlUrl,
          htmlUrl: resolveUrl(attr(o, 'htmlurl'), null),
          category: folder ?? categoryAttr(attr(o, 'category')),
          ...(kind ? { kind, rule: attr(o, 'tidingsrule') } : {}),
        })
      }
      walk(o, folder, depth + 1)
    }
  }
  walk(container, null, 0)
  return ok(out)
}

function tidingsKind(o: XEl): 'site' | 'sitemap' | null {
  const kind = (attr(o, 'tidingskind') ?? '').trim().toLowerCase()
  return kind === 'site' || kind === 'sitemap' ? kind : null
}

const webUrl = (raw: string | null): string | null => (raw ? resolveUrl(raw.trim(), null) : null)

function feedUrl(o: XEl): string | null {
  const type = (attr(o, 'type') ?? '').trim().toLowerCase()
  const raw = attr(o, 'xmlurl') ?? (type === 'rss' || type === 'atom' ? attr(o, 'url') : null)
  if (!raw) return null
  // `feed://` and `feed:https://` are browser-era spellings of an http(s) feed URL.
  return resolveUrl(raw.trim().replace(/^feed:(?:\/\/)?(?=https?:)/i, '').replace(/^feed:\/\//i, 'http://'), null)
}

const clean = (s: string | null): string | null => {
  const c = s === null ? '' : collapse(s)
  return c === '' ? null : c
}

/** OPML 2.0 `category="/Tech/News,/Other"`: the first path, without its slashes. */
function categoryAttr(raw: string | null): string | null {
  const first = raw?.split(',')[0]?.trim().replace(/^\/+|\/+$/g, '')
  return first ? first : null
}

/** OPML 2.0 with one folder outline per category (in order of first appearance), uncategorised feeds last. */
export function renderOpml(outlines: OpmlOutline[], ctx: { title: string; now: IsoDate }): string {
  const groups = new Map<string, OpmlOutline[]>()
  const loose: OpmlOutline[] = []
  for (const o of outlines) {
    const category = o.category?.trim()
    if (!category) {
      loose.push(o)
      continue
    }
    const list = groups.get(category) ?? []
    list.push(o)
    groups.set(category, list)
  }
  const created = new Date(ctx.now)
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(ctx.title)}</title>`,
    ...(Number.isNaN(created.getTime()) ? [] : [`    <dateCreated>${created.toUTCString()}</dateCreated>`]),
    '  </head>',
    '  <body>',
  ]
  for (const [category, list] of groups) {
    lines.push(`    <outline text="${escapeXml(category)}" title="${escapeXml(category)}">`)
    for (const o of list) lines.push(`      ${feedOutline(o)}`)
    lines.push('    </outline>')
  }
  for (const o of loose) lines.push(`    ${feedOutline(o)}`)
  lines.push('  </body>', '</opml>', '')
  return lines.join('\n')
}

function feedOutline(o: OpmlOutline): string {
  const title = escapeXml(o.title)
  const html = o.htmlUrl ? ` htmlUrl="${escapeXml(o.htmlUrl)}"` : ''
  if (!o.kind) return `<outline type="rss" text="${title}" title="${title}" xmlUrl="${escapeXml(o.xmlUrl)}"${html}/>`
  const rule = o.rule ? ` tidingsRule="${escapeXml(o.rule)}"` : ''
  return `<outline type="link" text="${title}" title="${title}" url="${escapeXml(o.xmlUrl)}" tidingsKind="${o.kind}"${rule}${html}/>`
}

/** Escapes for text and double-quoted attributes; drops characters XML 1.0 cannot carry. */
function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}
