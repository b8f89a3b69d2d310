import type { Catalog } from '../catalog.js'

/**
 * The site's frame and shared components: header, footer, cards, times, errors. One file per area
 * (core, lists, …) so each area's words sit with each other; every key exists in every locale
 * (`Catalog` checks it at compile time).
 */
export const core = {
  en: {
    'nav.latest': 'Latest',
    'nav.sources': 'Sources',
    'nav.manage': 'Manage',
    'nav.moderation': 'Moderation',
    'nav.signIn': 'Sign in',
    'nav.signOut': 'Sign out',
    'nav.main': 'Main',
    'nav.account': 'Account',
    'nav.language': 'Language',
    'skip.content': 'Skip to content',
    'search.label': 'Search articles',
    'search.button': 'Search',
    'footer.text': 'Tidings — a self-hosted news aggregator. Articles belong to their publishers; follow the source links to read them there.',
    'card.comments': { one: '{n} comment', other: '{n} comments' },
    'time.justNow': 'a few seconds ago',
  },
  ja: {
    'nav.latest': '最新',
    'nav.sources': 'ソース',
    'nav.manage': '管理',
    'nav.moderation': 'モデレーション',
    'nav.signIn': 'ログイン',
    'nav.signOut': 'ログアウト',
    'nav.main': 'メイン',
    'nav.account': 'アカウント',
    'nav.language': '言語',
    'skip.content': '本文へ移動',
    'search.label': '記事を検索',
    'search.button': '検索',
    'footer.text': 'Tidings — セルフホスト型ニュースアグリゲーター。記事の権利は各発行元にあります。元の記事はソースのリンクからお読みください。',
    'card.comments': { other: 'コメント {n} 件' },
    'time.justNow': '数秒前',
  },
} satisfies Catalog
