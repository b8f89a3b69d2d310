import sanitize from 'sanitize-html'
import { absoluteHttpUrl, imageUrl } from './image-url.js'

/*
 * The body HTML we store and serve is whatever this allow-list lets through, so it must be the LAST thing
 * that touches markup: sanitize runs last so that nothing after it can add markup (an attribute, a URL, a
 * tag) that never went through the list. Later stages may read the result; they must not rewrite it.
 */

const ALLOWED_TAGS = [
  'p', 'br', 'h2', 'h3', 'h4', 'h5', 'h6',
  'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'small', 'mark',
  'blockquote', 'q', 'cite', 'pre', 'code',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'a', 'img', 'figure', 'figcaption',
  'table', 'thead', 'tbody', 'tr', 'th', 'td',
  'hr', 'abbr', 'time',
]

const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height', 'loading'],
  th: ['colspan', 'rowspan'],
  td: ['colspan', 'rowspan'],
  abbr: ['title'],
  time: ['datetime'],
}

// Disallowed tags normally lose only their tags; these lose their content too, because what is inside is
// code, styling, embedded documents or UI (a form's "Subscribe" button), never article text.
const DROP_WITH_CONTENT = [
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'form', 'template',
  'noscript', 'textarea', 'select', 'option', 'button', 'canvas', 'video', 'audio', 'head', 'title', 'xmp',
  'noembed', 'noframes', 'plaintext',
]

const NUMERIC = /^\d{1,5}$/

/**
 * Allow-list sanitizer for article bodies. Links keep only http, https and mailto, images only http and
 * https, and every URL is made absolute against `baseUrl` (a relative URL with no base is dropped: it would
 * otherwise resolve against our own site). `srcset` and lazy-load attributes are folded into one `src`.
 */
export function sanitizeHtml(html: string, ctx: { baseUrl: string | null }): string {
  return sanitize(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    enforceHtmlBoundary: false,
    transformTags: { '*': (tagName, attribs) => transform(tagName, attribs, ctx.baseUrl) },
    // A link whose URL was refused keeps its text; an image whose URL was refused (or a pixel) goes.
    // (Renaming the tag in transformTags instead trips sanitize-html's per-depth rename map: the next
    // sibling's closing tag came out renamed.)
    exclusiveFilter: (frame) => {
      if (frame.tag === 'a' && !frame.attribs['href']) return 'excludeTag'
      return frame.tag === 'img' && !frame.attribs['src']
    },
  })
}

function transform(tagName: string, attribs: sanitize.Attributes, baseUrl: string | null): sanitize.Tag {
  switch (tagName) {
    case 'h1':
      return { tagName: 'h2', attribs: {} }
    case 'a': {
      const href = linkUrl(attribs['href'] ?? '', baseUrl)
      if (!href) return { tagName, attribs: {} }
      const out: sanitize.Attributes = { href, rel: 'nofollow noopener noreferrer' }
      if (attribs['title']) out['title'] = attribs['title']
      return { tagName, attribs: out }
    }
    case 'img': {
      const src = imageUrl(attribs, { baseUrl })
      if (!src || isTrackingPixel(attribs)) return { tagName, attribs: {} }
      const out: sanitize.Attributes = { src }
      for (const key of ['alt', 'title'] as const) if (attribs[key] !== undefined) out[key] = attribs[key]
      for (const key of ['width', 'height'] as const) {
        const v = attribs[key]?.trim()
        if (v && NUMERIC.test(v)) out[key] = v
      }
      out['loading'] = 'lazy'
      return { tagName, attribs: out }
    }
    case 'td':
    case 'th': {
      const out: sanitize.Attributes = {}
      for (const key of ['colspan', 'rowspan'] as const) {
        const v = attribs[key]?.trim()
        if (v && NUMERIC.test(v)) out[key] = v
      }
      return { tagName, attribs: out }
    }
    default:
      return { tagName, attribs }
  }
}

/** A 1×1 (or 0×0) image is a tracking beacon, never a picture. */
function isTrackingPixel(attribs: sanitize.Attributes): boolean {
  const w = attribs['width']?.trim()
  const h = attribs['height']?.trim()
  return (w !== undefined && /^[0-2]$/.test(w)) || (h !== undefined && /^[0-2]$/.test(h))
}

function linkUrl(raw: string, baseUrl: string | null): string | null {
  // The parser has already decoded entities (`&#106;avascript:` is `javascript:` here) and the URL parser
  // strips the tabs and newlines browsers ignore, so the scheme checks below see what a browser would.
  const trimmed = raw.trim()
  if (/^mailto:/i.test(trimmed.replace(/[\u0000-\u0020]+/g, ''))) {
    try {
      const u = new URL(trimmed)
      return u.protocol === 'mailto:' ? u.href : null
    } catch {
      return null
    }
  }
  return absoluteHttpUrl(trimmed, baseUrl)
}
