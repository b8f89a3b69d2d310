import { DecodingMode, decodeHTML } from 'entities'
import { sanitizeHtmlFragment } from './html-sanitize.js'

/*
 * Feed HTML (content, summaries, HTML titles) as it leaves the parse stage: a broad, feed-oriented allow-list
 * in the tradition of mature feed parsers, so that what publishers legitimately use (tables, fonts, inline
 * styles with harmless properties, SVG drawings, MathML) survives while what can run code or pull in other
 * documents does not: script/style/applet (with their content), embed/object/iframe/frame/link/meta (the
 * tag), event handlers, javascript:/data:/vbscript: URLs, CSS with url() or expression(). The site later
 * re-sanitizes with its own stricter display policy; this list is what readers of our parse output get.
 *
 * Relative URLs are made absolute here too (one pass over the markup), and the output is normalised the
 * way feed readers print it: attributes sorted and lower-cased, void elements as `<br />`.
 */

export const HTML_ELEMENTS: ReadonlySet<string> = new Set([
  'a', 'abbr', 'acronym', 'address', 'area', 'article', 'aside', 'audio', 'b', 'big', 'blockquote', 'br', 'button',
  'canvas', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'command', 'datagrid', 'datalist', 'dd', 'del',
  'details', 'dfn', 'dialog', 'dir', 'div', 'dl', 'dt', 'em', 'event-source', 'fieldset', 'figcaption', 'figure',
  'font', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img', 'input', 'ins', 'kbd',
  'keygen', 'label', 'legend', 'li', 'm', 'map', 'menu', 'meter', 'multicol', 'nav', 'nextid', 'noscript', 'ol',
  'optgroup', 'option', 'output', 'p', 'pre', 'progress', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'select',
  'small', 'sound', 'source', 'spacer', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'textarea',
  'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'video',
])

const HTML_ATTRIBUTES = new Set([
  'abbr', 'accept', 'accept-charset', 'accesskey', 'action', 'align', 'alt', 'autocomplete', 'autofocus', 'axis',
  'background', 'balance', 'bgcolor', 'bgproperties', 'border', 'bordercolor', 'bordercolordark', 'bordercolorlight',
  'bottompadding', 'cellpadding', 'cellspacing', 'ch', 'challenge', 'char', 'charoff', 'charset', 'checked', 'choff',
  'cite', 'class', 'clear', 'color', 'cols', 'colspan', 'compact', 'contenteditable', 'controls', 'coords', 'data',
  'datafld', 'datapagesize', 'datasrc', 'datetime', 'default', 'delay', 'dir', 'disabled', 'draggable', 'dynsrc',
  'enctype', 'end', 'face', 'for', 'form', 'frame', 'galleryimg', 'gutter', 'headers', 'height', 'hidden',
  'hidefocus', 'high', 'href', 'hreflang', 'hspace', 'icon', 'id', 'inputmode', 'ismap', 'keytype', 'label', 'lang',
  'leftspacing', 'list', 'longdesc', 'loop', 'loopcount', 'loopend', 'loopstart', 'low', 'lowsrc', 'max',
  'maxlength', 'media', 'method', 'min', 'multiple', 'name', 'nohref', 'noshade', 'nowrap', 'open', 'optimum',
  'pattern', 'ping', 'point-size', 'poster', 'pqg', 'preload', 'prompt', 'radiogroup', 'readonly', 'rel',
  'repeat-max', 'repeat-min', 'replace', 'required', 'rev', 'rightspacing', 'rows', 'rowspan', 'rules', 'scope',
  'selected', 'shape', 'size', 'span', 'src', 'start', 'step', 'style', 'summary', 'suppress', 'tabindex', 'target',
  'template', 'title', 'toppadding', 'type', 'unselectable', 'urn', 'usemap', 'valign', 'value', 'variable',
  'volume', 'vrml', 'vspace', 'width', 'wrap', 'xml:lang',
])

const MATHML_ELEMENTS = new Set([
  'annotation', 'annotation-xml', 'maction', 'maligngroup', 'malignmark', 'math', 'menclose', 'merror', 'mfenced',
  'mfrac', 'mglyph', 'mi', 'mlabeledtr', 'mlongdiv', 'mmultiscripts', 'mn', 'mo', 'mover', 'mpadded', 'mphantom',
  'mprescripts', 'mroot', 'mrow', 'ms', 'mscarries', 'mscarry', 'msgroup', 'msline', 'mspace', 'msqrt', 'msrow',
  'mstack', 'mstyle', 'msub', 'msubsup', 'msup', 'mtable', 'mtd', 'mtext', 'mtr', 'munder', 'munderover', 'none',
  'semantics',
])

const MATHML_ATTRIBUTES = new Set([
  'accent', 'accentunder', 'actiontype', 'align', 'alignmentscope', 'altimg', 'altimg-height', 'altimg-valign',
  'altimg-width', 'alttext', 'bevelled', 'charalign', 'close', 'columnalign', 'columnlines', 'columnspacing',
  'columnspan', 'columnwidth', 'crossout', 'decimalpoint', 'denomalign', 'depth', 'dir', 'display', 'displaystyle',
  'edge', 'encoding', 'equalcolumns', 'equalrows', 'fence', 'fontstyle', 'fontweight', 'form', 'frame',
  'framespacing', 'groupalign', 'height', 'href', 'id', 'indentalign', 'indentalignfirst', 'indentalignlast',
  'indentshift', 'indentshiftfirst', 'indentshiftlast', 'indenttarget', 'infixlinebreakstyle', 'largeop', 'length',
  'linebreak', 'linebreakmultchar', 'linebreakstyle', 'lineleading', 'linethickness', 'location', 'longdivstyle',
  'lquote', 'lspace', 'mathbackground', 'mathcolor', 'mathsize', 'mathvariant', 'maxsize', 'minlabelspacing',
  'minsize', 'movablelimits', 'notation', 'numalign', 'open', 'other', 'overflow', 'position', 'rowalign',
  'rowlines', 'rowspacing', 'rowspan', 'rquote', 'rspace', 'scriptlevel', 'scriptminsize', 'scriptsizemultiplier',
  'selection', 'separator', 'separators', 'shift', 'side', 'src', 'stackalign', 'stretchy', 'subscriptshift',
  'superscriptshift', 'symmetric', 'voffset', 'width', 'xlink:href', 'xlink:show', 'xlink:type', 'xmlns',
  'xmlns:xlink',
])

/*
 * SVG Tiny plus gradients. The animation elements (animate, set, …) are left out on purpose: they can
 * rewrite an `href` to a javascript: URL after sanitizing, which no attribute check can see.
 */
const SVG_ELEMENTS = [
  'a', 'circle', 'defs', 'desc', 'ellipse', 'font-face', 'font-face-name', 'font-face-src', 'foreignObject', 'g',
  'glyph', 'hkern', 'line', 'linearGradient', 'marker', 'metadata', 'missing-glyph', 'mpath', 'path', 'polygon',
  'polyline', 'radialGradient', 'rect', 'stop', 'svg', 'switch', 'text', 'title', 'tspan', 'use',
]

const SVG_ATTRIBUTES = [
  'accent-height', 'accumulate', 'additive', 'alphabetic', 'arabic-form', 'ascent', 'baseProfile', 'bbox', 'begin',
  'by', 'calcMode', 'cap-height', 'class', 'color', 'color-rendering', 'content', 'cx', 'cy', 'd', 'descent',
  'display', 'dur', 'dx', 'dy', 'end', 'fill', 'fill-opacity', 'fill-rule', 'font-family', 'font-size',
  'font-stretch', 'font-style', 'font-variant', 'font-weight', 'fx', 'fy', 'g1', 'g2', 'glyph-name',
  'gradientUnits', 'hanging', 'height', 'horiz-adv-x', 'horiz-origin-x', 'id', 'ideographic', 'k', 'keyPoints',
  'keySplines', 'keyTimes', 'lang', 'marker-end', 'marker-mid', 'marker-start', 'markerHeight', 'markerUnits',
  'markerWidth', 'mathematical', 'max', 'min', 'name', 'offset', 'opacity', 'orient', 'origin',
  'overline-position', 'overline-thickness', 'panose-1', 'path', 'pathLength', 'points', 'preserveAspectRatio', 'r',
  'refX', 'refY', 'repeatCount', 'repeatDur', 'requiredExtensions', 'requiredFeatures', 'restart', 'rotate', 'rx',
  'ry', 'slope', 'stemh', 'stemv', 'stop-color', 'stop-opacity', 'strikethrough-position',
  'strikethrough-thickness', 'stroke', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-opacity', 'stroke-width', 'style', 'systemLanguage', 'target', 'text-anchor',
  'transform', 'type', 'u1', 'u2', 'underline-position', 'underline-thickness', 'unicode', 'unicode-range',
  'units-per-em', 'values', 'version', 'viewBox', 'visibility', 'width', 'widths', 'x', 'x-height', 'x1', 'x2',
  'xlink:actuate', 'xlink:arcrole', 'xlink:href', 'xlink:role', 'xlink:show', 'xlink:title', 'xlink:type',
  'xml:base', 'xml:lang', 'xml:space', 'xmlns', 'xmlns:xlink', 'y', 'y1', 'y2', 'zoomAndPan',
]

/** The HTML parser lower-cases names; SVG is case-sensitive, so names are mapped back. */
const SVG_ELEMENT_CASE = new Map(SVG_ELEMENTS.map((n) => [n.toLowerCase(), n]))
const SVG_ATTRIBUTE_CASE = new Map(SVG_ATTRIBUTES.map((n) => [n.toLowerCase(), n]))

const CSS_PROPERTIES = new Set([
  'azimuth', 'background-color', 'border-bottom-color', 'border-collapse', 'border-color', 'border-left-color',
  'border-right-color', 'border-top-color', 'clear', 'color', 'cursor', 'direction', 'display', 'elevation', 'float',
  'font', 'font-family', 'font-size', 'font-style', 'font-variant', 'font-weight', 'height', 'letter-spacing',
  'line-height', 'overflow', 'pause', 'pause-after', 'pause-before', 'pitch', 'pitch-range', 'richness', 'speak',
  'speak-header', 'speak-numeral', 'speak-punctuation', 'speech-rate', 'stress', 'text-align', 'text-decoration',
  'text-indent', 'unicode-bidi', 'vertical-align', 'voice-family', 'volume', 'white-space', 'width',
])
const CSS_KEYWORDS = new Set([
  '!important', 'aqua', 'auto', 'black', 'block', 'blue', 'bold', 'both', 'bottom', 'brown', 'center', 'collapse',
  'dashed', 'dotted', 'fuchsia', 'gray', 'green', 'italic', 'left', 'lime', 'maroon', 'medium', 'navy', 'none',
  'normal', 'nowrap', 'olive', 'pointer', 'purple', 'red', 'right', 'silver', 'solid', 'teal', 'top', 'transparent',
  'underline', 'white', 'yellow',
])
const SVG_CSS_PROPERTIES = new Set([
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-linecap', 'stroke-linejoin', 'stroke-opacity', 'stroke-width',
])
const CSS_VALUE = /^(?:#[0-9a-f]+|rgb\(\d+%?,\d*%?,?\d*%?\)?|\d{0,2}\.?\d{0,2}(?:cm|em|ex|in|mm|pc|pt|px|%|,|\))?)$/
/** Shorthands whose values are checked word by word (a url() or expression() never passes). */
const CSS_BOX_PREFIXES = new Set(['background', 'border', 'margin', 'padding'])

export const SAFE_SCHEMES = [
  'file', 'ftp', 'gopher', 'h323', 'hdl', 'http', 'https', 'imap', 'magnet', 'mailto', 'mms', 'news', 'nntp',
  'prospero', 'rsync', 'rtsp', 'rtspu', 'sftp', 'shttp', 'sip', 'sips', 'snews', 'svn', 'svn+ssh', 'telnet', 'wais',
  'aim', 'callto', 'cvs', 'facetime', 'feed', 'git', 'gtalk', 'irc', 'ircs', 'irc6', 'itms', 'msnim', 'skype', 'ssh',
  'smb', 'ymsg',
]
const SAFE_SCHEME_SET = new Set(SAFE_SCHEMES)

/**
 * Attributes holding a URL, on whatever element: decoded as a browser would, checked for a safe scheme,
 * resolved against the content's base.
 */
const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'action', 'longdesc', 'usemap', 'poster', 'background', 'dynsrc', 'lowsrc', 'data', 'xlink:href'])

export const VOID = ['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex',
  'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']

/** Elements whose content goes with them: code and styling, never text for a reader. */
export const DROP_WITH_CONTENT = ['script', 'style', 'applet']

export const ALL_ATTRIBUTES = [...new Set([...HTML_ATTRIBUTES, ...MATHML_ATTRIBUTES, ...SVG_ATTRIBUTES])]
export const ALL_ELEMENTS = [...new Set([...HTML_ELEMENTS, ...MATHML_ELEMENTS, ...SVG_ELEMENTS.map((n) => n.toLowerCase()), ...SVG_ELEMENTS])]
export const ALL_ELEMENT_SET = new Set(ALL_ELEMENTS)

export const SVG_NS = 'http://www.w3.org/2000/svg'
export const MATHML_NS = 'http://www.w3.org/1998/Math/MathML'
const XLINK_NS = 'http://www.w3.org/1999/xlink'

/**
 * Sanitizes an HTML fragment from a feed. `base` resolves relative URLs (links, images, media); without
 * one they stay relative. Strings without markup are returned as they are (most titles, many summaries).
 */
export function sanitizeFeedHtml(html: string, opts: { base: string | null }): string {
  if (!html.includes('<')) {
    // No markup: only a bare `&` needs escaping to be valid HTML.
    const text = html.includes('&') ? normalizeCharRefs(html.replace(/&(?!#\d+;|#x[0-9a-f]+;|\w+;)/gi, '&amp;')) : html
    return text.trim()
  }
  // One pass of our own (html-sanitize.ts): what sanitize-html would print with these allow-lists (its
  // tests hold it to that), several times faster.
  return sanitizeHtmlFragment(html, opts)
}

export function transform(
  tag: string,
  attribs: Record<string, string>,
  ctx: { base: string | null; inSvg: boolean; inMath: boolean; drop: WeakSet<object> },
): { tagName: string; attribs: Record<string, string> } {
  let name = tag
  let allowed: { has(a: string): boolean }
  let caseMap: Map<string, string> | null = null
  const attrs = attribs
  if (ctx.inSvg && SVG_ELEMENT_CASE.has(tag)) {
    name = SVG_ELEMENT_CASE.get(tag) ?? tag
    allowed = SVG_ATTRIBUTE_CASE
    caseMap = SVG_ATTRIBUTE_CASE
    if (tag === 'svg' && attrs.xmlns === undefined) attrs.xmlns = SVG_NS
  } else if (ctx.inMath && MATHML_ELEMENTS.has(tag)) {
    allowed = MATHML_ATTRIBUTES
    if (tag === 'math' && attrs.xmlns === undefined) attrs.xmlns = MATHML_NS
  } else if (HTML_ELEMENTS.has(tag)) {
    allowed = HTML_ATTRIBUTES
  } else {
    // A name allowed elsewhere (an SVG <title> outside SVG) passes the allow-list, so the tag is marked
    // and taken out afterwards, content kept. (Renaming it instead trips a sanitize-html bookkeeping bug.)
    const marked = {}
    if (ALL_ELEMENT_SET.has(tag)) ctx.drop.add(marked)
    return { tagName: tag, attribs: marked }
  }
  if ((ctx.inSvg || ctx.inMath) && Object.keys(attrs).some((k) => k.startsWith('xlink:'))) attrs['xmlns:xlink'] ??= XLINK_NS

  const clean: Array<[string, string]> = []
  for (const [key, raw] of Object.entries(attrs)) {
    if (!allowed.has(key)) continue
    let value = key === 'rel' || key === 'type' ? raw.toLowerCase() : raw
    if (key === 'style') {
      value = sanitizeStyle(value, ctx.inSvg)
      if (value === '') continue
    } else if (URL_ATTRIBUTES.has(key)) {
      // An unsafe address is emptied rather than dropped, so the element keeps its meaning (a link).
      // Every `&` is written as `&amp;`: the value is decoded now, and the printer keeps what looks like
      // a reference, so `javascript&colon;` must not come back to life in the browser.
      value = (safeUrl(value, ctx.base) ?? '').replace(/&/g, '&amp;')
    }
    clean.push([caseMap?.get(key) ?? key, value])
  }
  if (clean.length > 1) clean.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const out: Record<string, string> = {}
  for (const [k, v] of clean) out[k] = v
  return { tagName: name, attribs: out }
}

/** An absolute URL in a safe scheme, a relative one when there is no base, or null when unsafe. */
function safeUrl(raw: string, base: string | null): string | null {
  // Decoded as the browser will see it (`&#106;avascript&colon;` is javascript:).
  const value = decodeHTML(raw, DecodingMode.Attribute).trim()
  if (value === '') return ''
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value.replace(/[\u0000-\u0020]/g, ''))?.[1]?.toLowerCase()
  if (scheme !== undefined && !SAFE_SCHEME_SET.has(scheme)) return null
  if (!base) return value
  try {
    const url = new URL(value, base)
    if (!SAFE_SCHEME_SET.has(url.protocol.slice(0, -1))) return null
    return decodeURIPreservingEscapes(url.href)
  } catch {
    return scheme === undefined ? value : null
  }
}

/** The URL parser percent-encodes non-ASCII characters; a reader wants them as written. */
function decodeURIPreservingEscapes(href: string): string {
  if (!href.includes('%')) return href
  return href.replace(/(?:%[89A-F][0-9A-F])+/gi, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })
}

/**
 * Keeps only harmless declarations: no url(), no expression(), nothing outside a conservative character set;
 * box shorthands (margin, border, …) only with keyword or numeric values.
 */
/**
 * Feeds repeat the same few style attributes on many elements (345 styles, 25 distinct, in one feed we
 * test with); the check below is regex-heavy, so its answers are remembered, within a bound.
 */
const styleCache = new Map<string, string>()
const STYLE_CACHE_MAX = 1000

export function sanitizeStyle(style: string, inSvg = false): string {
  const key = inSvg ? `1${style}` : `0${style}`
  let out = styleCache.get(key)
  if (out === undefined) {
    if (styleCache.size >= STYLE_CACHE_MAX) styleCache.clear()
    out = checkStyle(style, inSvg)
    styleCache.set(key, out)
  }
  return out
}

function checkStyle(style: string, inSvg: boolean): string {
  const s = decodeHTML(style, DecodingMode.Attribute).replace(/url\s*\(\s*[^\s)]+?\s*\)\s*/g, ' ')
  if (!/^(?:[:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*$/.test(s)) return ''
  if (s.replace(/\s*[-\w]+\s*:\s*[^:;]*;?/g, '').trim() !== '') return ''
  const out: string[] = []
  for (const m of s.matchAll(/([-\w]+)\s*:\s*([^:;]*)/g)) {
    const prop = m[1] ?? ''
    const value = m[2] ?? ''
    if (value === '') continue
    const lower = prop.toLowerCase()
    if (CSS_PROPERTIES.has(lower)) out.push(`${prop}: ${value};`)
    else if (CSS_BOX_PREFIXES.has(lower.split('-')[0] ?? '')) {
      if (value.split(/\s+/).filter(Boolean).every((w) => CSS_KEYWORDS.has(w) || CSS_VALUE.test(w))) out.push(`${prop}: ${value};`)
    } else if (inSvg && SVG_CSS_PROPERTIES.has(lower)) out.push(`${prop}: ${value};`)
  }
  return out.join(' ')
}

/** Windows-1252 code points written as numeric references (`&#146;`) mean the characters Windows shows. */
const CP1252: Record<number, number> = {
  128: 0x20ac, 130: 0x201a, 131: 0x192, 132: 0x201e, 133: 0x2026, 134: 0x2020, 135: 0x2021, 136: 0x2c6, 137: 0x2030,
  138: 0x160, 139: 0x2039, 140: 0x152, 142: 0x17d, 145: 0x2018, 146: 0x2019, 147: 0x201c, 148: 0x201d, 149: 0x2022,
  150: 0x2013, 151: 0x2014, 152: 0x2dc, 153: 0x2122, 154: 0x161, 155: 0x203a, 156: 0x153, 158: 0x17e, 159: 0x178,
}

export function normalizeCharRefs(html: string): string {
  if (!html.includes('&#')) return html
  return html.replace(/&#([xX]?)([0-9a-fA-F]+);/g, (all, x: string, digits: string) => {
    const code = x ? parseInt(digits, 16) : Number(digits)
    const mapped = CP1252[code]
    if (mapped !== undefined) return `&#x${mapped.toString(16)};`
    return x ? `&#x${digits.toLowerCase()};` : all
  })
}
