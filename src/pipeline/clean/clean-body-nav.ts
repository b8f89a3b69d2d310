/**
 * What a page's chrome leaves in a body: menu words and section labels at its edges ("SVG",
 * "Reports", "Share"), the site's name, the title again, the byline and the author's role, interface
 * labels ("Caption", "Advertisement"), photo captions repeated as paragraphs or glued onto one, and
 * the same block twice. Each test here looks at one block; clean-body.ts decides where they apply.
 */
import type { Caption } from '../../domain/types.js'

/** Letters and digits only, lower case, NFKC: how two texts are compared regardless of spacing. */
export function textKey(s: string): string {
  // Most text is ASCII: skip the costly Unicode path for it.
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase().replace(/[^a-z0-9]+/g, '')
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')
}

// Words of site navigation, share bars and section labels. A block made only of these (with a few
// small words between them) is chrome when it sits at an edge of the body.
const MENU_WORDS = new Set(`
  svg menu home search share shares sharing subscribe subscribed subscription sign log login logout register
  reports report news latest close skip content main navigation nav toggle back top print email e-mail mail
  tweet twitter facebook linkedin whatsapp pinterest reddit telegram instagram youtube tiktok threads bluesky
  copy link copied related more next previous prev listen comments comment follow open save saved
  bookmark bookmarks image images photo photos video videos gallery advertisement advertisements ad ads
  sponsored loading view topics topic tags tag section sections opinion analysis world business politics
  sports sport tech technology culture lifestyle health science entertainment travel about contact privacy
  policy terms cookies accept newsletter newsletters podcast podcasts live watch read full story article
  articles download app rss feed icon logo expand collapse enlarge zoom play pause mute fullscreen caption
  captions credit credits source sources updated published min mins minute minutes edition editions
  english español français deutsch 日本語 中文 한국어 accueil partager rechercher fermer ホーム シェア メニュー
  検索 共有 首页 分享 菜单 搜索 返回 登录
`.split(/\s+/).filter(Boolean))

// Small words allowed between menu words ("Share this article", "Back to top", "Sign up").
const MENU_FILLERS = new Set(`this the our on to us in up out all a an of for and with via by at &`.split(/\s+/))

/** A block made only of menu words: at most 6 words, one or more of them not a filler. */
export function isMenuBlock(text: string, siteName: string | null): boolean {
  let rest = text
  if (siteName && siteName.trim()) rest = rest.split(siteName.trim()).join(' ')
  const words = rest.toLowerCase().split(/[\s|·•/,:;>»›→←‹«\-–—]+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')).filter(Boolean)
  if (words.length > 6) return false
  if (words.length === 0) return rest !== text // nothing but the site name
  let strong = 0
  for (const w of words) {
    if (MENU_WORDS.has(w)) strong++
    else if (!MENU_FILLERS.has(w) && !/^\d+$/.test(w)) return false
  }
  return strong > 0
}

// Interface labels that are never article text, wherever they stand.
const UI_LABELS = new Set([
  'caption', 'hide caption', 'show caption', 'toggle caption', 'view caption', 'advertisement', 'advertisements',
  'ad', 'sponsored', 'promoted', 'paid content', 'skip advertisement', 'story continues below advertisement',
  'article continues below advertisement', 'continue reading below', 'continue reading', 'scroll to continue',
  'scroll to continue with content', 'enlarge this image', 'enlarge image', 'expand image', 'click to enlarge',
  'image', 'photo', 'video', 'play video', 'watch video', 'image source', 'image caption', 'media caption',
  'photo credit', 'image credit', 'loading', 'close', 'getty images', 'publicité', 'annonce', 'lire aussi',
  'read more', 'related', 'related articles', 'related stories', 'related content', 'more stories',
  'more from this author', 'recommended', 'recommended for you', 'most read', 'most popular', 'trending',
  'trending now', "don't miss", 'you may also like', 'you might also like',
  '広告', 'pr', 'スポンサーリンク', '广告', '写真', '画像', '動画', '图片', '视频', '関連記事', '相关阅读',
].map(textKey))

/** A block that is only an interface label ("Caption", "Advertisement", "Enlarge this image"). */
export function isUiLabel(text: string): boolean {
  if (text.length > 60) return false
  const k = textKey(text)
  return k.length > 0 && UI_LABELS.has(k)
}

/** Copyright and "all rights reserved" lines, which end many bodies. */
export function isCopyrightLine(text: string): boolean {
  return text.length <= 160 && (/^\W*(©|\(c\)\s*\d{4}|copyright\s*(©|\(c\)|\d{4}))/i.test(text) || /\ball rights reserved\b/i.test(text))
}

const BYLINE_LABEL = /^\W*(by|author|authors|written by|words by|text by|reporting by|reported by|posted by|story by|par|文|記者|作者)\s*[:：]?\s*/i

/**
 * A block that is the byline: the byline itself, or it after a label ("By", "Author:"). Without a
 * known byline, only an explicit label followed by a short capitalised name counts.
 */
export function isBylineBlock(text: string, byline: string | null, opts: { knownOnly?: boolean } = {}): boolean {
  if (text.length > 120) return false
  const label = BYLINE_LABEL.exec(text)
  const rest = label ? text.slice(label[0].length) : text
  if (byline && byline.trim()) {
    const names = byline.split(/\s*(?:,|&|\band\b)\s*/i).map(textKey).filter(Boolean)
    const k = textKey(rest)
    if (k && (k === textKey(byline) || names.includes(k))) return true
  }
  if (opts.knownOnly || !label || !/[:：]|^\W*by\s/i.test(label[0])) return false
  return /^(the\s+)?\p{Lu}[\p{L}.'’-]*(\s+(\p{Lu}[\p{L}.'’-]*|de|van|von|da|del|la|le|bin|al)){0,4}$/u.test(rest.trim())
}

const ROLE_WORDS = /\b(fellow|writer|reporter|correspondent|editor|contributor|columnist|staff|director|analyst|professor|researcher|chair|chairman|chairwoman|president|producer|photographer|journalist|economist|strategist|scholar|lecturer|associate|intern|bureau|chief)\b/i

/** A short line naming the author's role ("Senior Fellow", "Staff Writer"), as it follows a byline. */
export function isAuthorRole(text: string): boolean {
  const words = text.trim().split(/\s+/)
  return words.length <= 6 && !/[.!?。]$/.test(text.trim()) && ROLE_WORDS.test(text)
}

/** Keys of what a caption may look like when repeated in the body: the text, the credit, both. */
export function captionKeys(captions: readonly Caption[]): string[] {
  const keys = new Set<string>()
  for (const c of captions) {
    const t = textKey(c.text)
    if (t.length >= 8) keys.add(t)
    if (c.credit) {
      const k = textKey(c.credit)
      if (k.length >= 8) keys.add(k)
      if (t) keys.add(t + k)
    }
  }
  return [...keys]
}

/**
 * True when the block repeats a caption: the same letters and digits, or one containing the other with
 * at least 85% of its length (a caption with or without its credit, a trailing "Photo:" label).
 */
export function repeatsCaption(text: string, keys: readonly string[]): boolean {
  return keys.length > 0 && keyRepeatsCaption(textKey(text), keys)
}

/** `repeatsCaption` for a block whose `textKey` is already known. */
export function keyRepeatsCaption(k: string, keys: readonly string[]): boolean {
  if (k.length < 8) return false
  for (const c of keys) {
    if (c === k) return true
    if (c.length < 20 || k.length < 20) continue
    const [short, long] = c.length < k.length ? [c, k] : [k, c]
    if (short.length >= 0.85 * long.length && long.includes(short)) return true
  }
  return false
}

/**
 * A caption glued onto the end or the start of a real paragraph ("… in the series. The launch event
 * for the new range.") taken off again. Needs the exact caption text (whitespace aside), a sentence
 * boundary where it joins, and a caption long enough not to be a phrase of the paragraph itself.
 */
export function stripGluedCaption(text: string, captions: readonly Caption[]): { text: string; caption: string } | null {
  for (const c of captions) {
    const cap = c.text.trim().replace(/\s+/g, ' ')
    if (cap.split(' ').length < 4 || cap.length < 20) continue
    const flat = text.replace(/\s+/g, ' ').trim()
    if (flat.length <= cap.length + 20) continue
    if (flat.endsWith(cap)) {
      const head = flat.slice(0, -cap.length)
      if (/[.!?"”’)]\s$/.test(head)) return { text: head.trimEnd(), caption: cap }
    }
    if (flat.startsWith(cap)) {
      const tail = flat.slice(cap.length)
      if (/^\s\p{Lu}/u.test(tail) && /[.!?)]$/.test(cap)) return { text: tail.trimStart(), caption: cap }
    }
  }
  return null
}
