import type { Catalog } from '../catalog.js'

/** Home, source, hashtag, author and search pages. */
export const lists = {
  en: {
    'lists.more': 'More articles',
  },
  ja: {
    'lists.more': 'さらに記事を表示',
  },
} satisfies Catalog
