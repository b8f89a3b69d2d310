import type { Element } from 'domhandler'
import { attr, hintWords } from './tree.js'

/*
 * What class and id words say about an element. The words are the ones CMSes and front-end conventions use
 * across many publishers (WordPress, Drupal, BEM, schema.org), matched as whole words of the class or id
 * (`js-share-bar` → js, share, bar), never as one publisher's class name.
 */

// Words that mark the article's own container.
const POSITIVE = new Set([
  'article', 'articlebody', 'body', 'content', 'entry', 'hentry', 'main', 'post', 'text', 'blog', 'story',
  'storybody', 'prose', 'richtext', 'rte', 'markdown', 'copy', 'paragraph', 'paragraphs', 'detail', 'details',
])

// Words that never mark article text: shared, promoted, discussed or navigated content.
const FURNITURE = new Set([
  'comment', 'comments', 'disqus', 'replies', 'respond', 'newsletter', 'newsletters', 'related',
  'recirc', 'recirculation', 'outbrain', 'taboola', 'share', 'shares', 'sharing', 'sharebar', 'social', 'socials',
  'sponsor', 'sponsored', 'promo', 'promos', 'promotion', 'advert', 'advertisement', 'advertising', 'adslot',
  'adunit', 'ad', 'ads', 'dfp', 'gpt', 'cookie', 'cookies', 'consent', 'gdpr', 'subscribe', 'subscription',
  'signup', 'breadcrumb', 'breadcrumbs', 'popup', 'modal', 'sidebar', 'toolbar', 'trending', 'popular',
  'recommended', 'recommendations', 'recommend', 'nav', 'navbar', 'navigation', 'menu', 'footer', 'masthead',
  'banner', 'pagination', 'pager', 'widget', 'widgets', 'rail', 'skyscraper', 'tags', 'tagged', 'tag', 'topics',
  'keywords', 'byline', 'bylines', 'dateline', 'author', 'authors', 'timestamp', 'caption', 'captions', 'credit',
  'credits', 'print', 'email', 'follow', 'hidden', 'hide', 'sr', 'visually', 'offscreen', 'donate',
  'login', 'signin', 'register', 'cta', 'teaser', 'teasers', 'upsell', 'apps', 'download', 'video',
 'gallery', 'slideshow', 'carousel', 'lightbox', 'overlay', 'jump', 'skip', 'affiliate', 'partner',
  'partners', 'shopping', 'deals', 'embed', 'meta', 'metadata', 'sharetools', 'tools', 'utility', 'utilities',
  'noprint', 'sharedaddy', 'like', 'likes', 'reblog', 'disclaimer', 'feedback', 'survey', 'poll', 'rating', 'reactions', 'bio', 'contributor',
])

export interface Hint {
  positive: boolean
  /**
   * A furniture word, even next to a positive one (`article-tags`, `post-share`): the passes keep any box
   * that holds most of the page's prose, whatever its name, so a wrapper like `article-body has-video` stays.
   */
  furniture: boolean
}

const cache = new WeakMap<Element, Hint>()

export function hintOf(el: Element): Hint {
  const hit = cache.get(el)
  if (hit) return hit
  const words = hintWords(el)
  let positive = false
  let furniture = false
  for (const w of words) {
    if (POSITIVE.has(w)) positive = true
    if (FURNITURE.has(w)) furniture = true
  }
  // Two-word conventions: "read-more", "most-read", "more-stories", "sr-only", "screen-reader".
  const joined = words.join(' ')
  if (/\b(read more|most read|most popular|more stories|more from|more on|you may like|also like|sr only|screen reader|visually hidden|in this article|see also|further reading|also read|around the web|editors? picks?|top stories|latest news|next article|previous article|prev next)\b/.test(joined)) furniture = true
  const role = attr(el, 'role').toLowerCase()
  if (role === 'navigation' || role === 'banner' || role === 'contentinfo' || role === 'complementary' || role === 'search' || role === 'dialog' || role === 'alertdialog' || role === 'menu' || role === 'menubar' || role === 'toolbar') furniture = true
  const hint = { positive: positive || attr(el, 'itemprop').toLowerCase() === 'articlebody', furniture }
  cache.set(el, hint)
  return hint
}

/** Readability-style class weight: a container named like an article gains, one named like furniture loses. */
export function classWeight(el: Element): number {
  const h = hintOf(el)
  return (h.positive ? 25 : 0) - (h.furniture ? 25 : 0)
}
