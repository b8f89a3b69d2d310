import type { Generated } from 'kysely'

/** Row types as the query layer sees them. Dates: ISO text on SQLite, timestamptz on Postgres. */
type Ts = string | Date

export interface SourcesTable {
  id: Generated<number>
  kind: string
  url: string
  site_url: string | null
  title: string
  description: string | null
  language: string | null
  etag: string | null
  last_modified: string | null
  error_count: Generated<number>
  last_error_code: string | null
  last_error_message: string | null
  last_fetched_at: Ts | null
  last_success_at: Ts | null
  next_check_at: Ts
  created_at: Ts
  failing_since: Ts | null
  paused_at: Ts | null
  pause_reason: string | null
  /** PollHints JSON. */
  poll_hints: string | null
  push_active_until: Ts | null
  /** SiteRule JSON (site sources). */
  rule: string | null
  /** PickedLink[] JSON: what the rule picked on the last refresh. */
  picked_links: string | null
  /** AiPolicy (migration 008). */
  ai_policy: Generated<string>
  /** AiOptOut JSON: site-wide signals. */
  ai_optout: string | null
}

export interface AuthorsTable {
  id: Generated<number>
  name: string
  bio: string | null
  /** authorSlug(name) (migration 013); null when the name has no letter or digit. */
  slug: string | null
}

export interface ArticlesTable {
  id: Generated<number>
  source_id: number
  guid: string
  url: string
  canonical_url: string | null
  title: string
  author_id: number | null
  published: Ts | null
  updated: Ts | null
  fetched_at: Ts
  sort_at: Ts
  lang: string | null
  summary: string | null
  blocks: string
  text: string
  html: string
  lead_image: string | null
  captions: string
  alt_links: string
  item_hash: string
  extract_error: string | null
  cleanup: string | null
  revised_at: Ts | null
  /** Normalized URL keys for identity across refreshes (pipeline/diff/url-key.ts). */
  url_key: string | null
  canonical_key: string | null
  /** Stories (migration 007): null until clustered. */
  story_id: number | null
  /** The first article of this one's duplicate group, when it is a copy. */
  duplicate_of: number | null
  story_similarity: number | null
  /** PlacedBy: content, duplicate or operator. */
  placed_by: string | null
  /** Enrichment JSON (migration 008). */
  enrichment: string | null
  /** AiOptOut JSON: the page's own signals. */
  ai_optout: string | null
}

export interface AiTasksTable {
  id: Generated<number>
  subject: string
  subject_id: number
  feature: string
  model: string
  lang: string
  input_key: string
  input: string | null
  status: string
  /** JSON. */
  result: string | null
  error_code: string | null
  error_message: string | null
  attempts: Generated<number>
  next_try_at: Ts
  prompt_tokens: number | null
  completion_tokens: number | null
  latency_ms: number | null
  created_at: Ts
  updated_at: Ts
  finished_at: Ts | null
}

/** A story's id is the id of the article that started it (no foreign key: the story outlives it). */
export interface StoriesTable {
  id: number
  title: string
  first_at: Ts
  last_at: Ts
  article_count: Generated<number>
  source_count: Generated<number>
  created_at: Ts
  updated_at: Ts
}

export interface StoryDecisionsTable {
  id: Generated<number>
  /** split or merge. */
  kind: string
  article_id: number | null
  from_story: number
  to_story: number
  at: Ts
}

export interface RevisionsTable {
  id: Generated<number>
  article_id: number
  title: string
  text: string
  html: string
  replaced_at: Ts
}

/** An article an operator deleted: what identified it, so a refresh never brings it back. */
export interface ArticleTombstonesTable {
  id: Generated<number>
  source_id: number
  article_id: number
  guid: string
  url_key: string | null
  canonical_key: string | null
  title: string
  deleted_at: Ts
}

export interface TagsTable {
  id: Generated<number>
  slug: string
  label: string
}

export interface ArticleTagsTable {
  article_id: number
  tag_id: number
}

export interface SettingsTable {
  key: string
  value: string
}

export interface WebSubSubscriptionsTable {
  source_id: number
  hub: string
  topic: string
  token: string
  secret: string | null
  state: string
  lease_seconds: number | null
  lease_expires_at: Ts | null
  renew_at: Ts | null
  requested_at: Ts | null
  verified_at: Ts | null
  last_push_at: Ts | null
  last_error_code: string | null
  last_error_message: string | null
  created_at: Ts
}

/** Readers (migration 009). `name_key` is the name lower-cased in JS, unique. */
export interface UsersTable {
  id: Generated<number>
  name: string
  name_key: string
  password_hash: string
  /** Role: admin, moderator or reader. */
  role: Generated<string>
  created_at: Ts
  password_changed_at: Ts
  banned_at: Ts | null
  ban_reason: string | null
  published_comments: Generated<number>
  /** SHA-256 of the reset token. */
  reset_token_hash: string | null
  reset_expires_at: Ts | null
}

/** `id` is the SHA-256 of the cookie's token. */
export interface SessionsTable {
  id: string
  user_id: number
  created_at: Ts
  last_seen_at: Ts
  expires_at: Ts
}

export interface CommentsTable {
  id: Generated<number>
  /** CommentSubject: article or story. */
  subject: string
  subject_id: number
  parent_id: number | null
  user_id: number
  body: string
  /** CommentStatus: visible, held, hidden or deleted. */
  status: string
  status_reason: string | null
  created_at: Ts
  edited_at: Ts | null
  updated_at: Ts
}

/** One per comment and user; open until a moderator resolves it. */
export interface CommentReportsTable {
  comment_id: number
  user_id: number
  reason: string
  created_at: Ts
  resolved_at: Ts | null
}

/** One fixed window per key, aligned to the epoch. */
export interface RateLimitsTable {
  key: string
  window_start: Ts
  window_ms: number
  count: number
}

export interface DB {
  sources: SourcesTable
  authors: AuthorsTable
  articles: ArticlesTable
  revisions: RevisionsTable
  article_tombstones: ArticleTombstonesTable
  tags: TagsTable
  article_tags: ArticleTagsTable
  settings: SettingsTable
  websub_subscriptions: WebSubSubscriptionsTable
  stories: StoriesTable
  story_decisions: StoryDecisionsTable
  ai_tasks: AiTasksTable
  users: UsersTable
  sessions: SessionsTable
  comments: CommentsTable
  comment_reports: CommentReportsTable
  rate_limits: RateLimitsTable
  host_pacing: HostPacingTable
  reader_apps: ReaderAppsTable
  reader_tokens: ReaderTokensTable
  item_states: ItemStatesTable
  saved_searches: SavedSearchesTable
  fetch_log: FetchLogTable
  stored_pages: StoredPagesTable
}

/** Rendered article pages (migration 015); epoch-ms columns are bigint (a string from Postgres). */
export interface StoredPagesTable {
  id: number | string
  page_key: string
  article_id: number
  source_id: number
  story_id: number | null
  build: string
  body: Uint8Array
  headers: string
  etag: string
  rendered_at: number | string
  fresh_until: number | string
}

/** GCRA state per host (migration 011); `tat` in epoch ms (bigint: a string from Postgres). */
export interface HostPacingTable {
  host: string
  tat: number | string
}

/** Reader apps (migration 012): a reader's app password as the two protocols need it, and their read horizon. */
export interface ReaderAppsTable {
  user_id: number
  /** scrypt (Google Reader ClientLogin); null when revoked. */
  password_hash: string | null
  /** md5 of "name:password": the Fever protocol's api_key; null when revoked. */
  fever_key: string | null
  password_set_at: Ts | null
  /** Articles fetched up to then count as read unless item_states says otherwise. */
  read_before: Ts | null
}

/** `id` is the SHA-256 of a ClientLogin token. */
export interface ReaderTokensTable {
  id: string
  user_id: number
  created_at: Ts
}

/** A row only where an article's state differs from the reader's horizon, or it is starred. */
export interface ItemStatesTable {
  user_id: number
  article_id: number
  /** 1 read, 0 unread, null as the horizon says. */
  is_read: number | null
  read_changed_at: Ts | null
  starred_at: Ts | null
}

/** One refresh attempt of a source (migration 014); pruned after 30 days. */
export interface FetchLogTable {
  id: Generated<number>
  source_id: number
  started_at: Ts
  outcome: string
  http_status: number | null
  duration_ms: number
  /** bigint: a string from Postgres. */
  bytes: number | string | null
  items_seen: number
  created: number
  updated: number
  queued: number
  full_text: number
  feed_fallback: number
  mojibake_repaired: number
  charset_guessed: number
  item_errors: number
  error_code: string | null
  error_message: string | null
}

/** A reader's saved search (migration 013): query, filters, and the token of its feed. */
export interface SavedSearchesTable {
  id: Generated<number>
  user_id: number
  name: string
  query: string
  source_id: number | null
  lang: string | null
  /** YYYY-MM-DD, UTC, both days included. */
  from_date: string | null
  to_date: string | null
  feed_token: string
  created_at: Ts
}
