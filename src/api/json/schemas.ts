/**
 * The JSON API's response shapes: the one source of truth. The handlers' output is typed by them, the
 * OpenAPI document's `components.schemas` are converted from them (openapi.ts), and the tests check
 * real responses against that document.
 */
import { z } from 'zod/v4'

const id = z.number().int().min(1).max(2_147_483_647)
const when = z.iso.datetime().describe('An instant in UTC (ISO 8601)')
const link = z.url().describe('An absolute URL')
const nullable = <T extends z.ZodType>(t: T, description: string) => t.nullable().describe(description)

export const TagRef = z.object({
  slug: z.string().describe('What /api/v1/tags/{slug} and the `tag` filter take'),
  label: z.string(),
})

export const SourceRef = z.object({
  id,
  title: z.string(),
  url: link.describe('This source in the API'),
})

export const ArticleCard = z.object({
  id,
  url: link.describe('This article in the API (full text)'),
  webUrl: link.describe('The article page on this site'),
  originalUrl: nullable(link, "Where the publisher published it (null when the feed gave no web address)"),
  title: z.string(),
  source: SourceRef,
  author: nullable(z.string(), 'The byline'),
  published: nullable(when, 'When the publisher says it was published'),
  fetchedAt: when,
  lang: nullable(z.string(), 'BCP 47 language tag'),
  leadImage: nullable(link, 'The lead image'),
  excerpt: z.string().describe('The start of the text (about 300 characters)'),
  tags: z.array(TagRef),
  commentCount: z.number().int().min(0).describe('Visible comments'),
})

export const ArticleList = z.object({
  items: z.array(ArticleCard),
  next: nullable(z.string(), 'Cursor of the next page (pass it as `cursor`); null on the last page'),
  nextUrl: nullable(link, 'The next page, ready to request; also sent as `Link: <…>; rel="next"`'),
})

export const AuthorOut = z.object({
  name: z.string(),
  slug: z.string().describe('What the `author` filter of /api/v1/articles takes'),
  bio: nullable(z.string(), 'A short biography, when the publisher gives one'),
})

export const Article = ArticleCard.omit({ author: true, excerpt: true }).extend({
  canonicalUrl: nullable(link, "The address the publisher's page declares as canonical (for a syndicated copy, often the original's)"),
  authors: z.array(AuthorOut),
  updated: nullable(when, 'When the publisher says it was updated'),
  revisedAt: nullable(when, 'When the stored title or text last changed (null if never)'),
  summary: nullable(z.string(), "The publisher's summary (plain text)"),
  text: z.string().describe('The full text, blocks separated by newlines'),
  html: z.string().describe('The body as sanitized HTML (captions and figures apart)'),
  captions: z.array(z.object({ text: z.string(), credit: z.string().nullable(), imageUrl: link.nullable() })),
  editions: z.array(z.object({ lang: z.string(), url: link })).describe('The same article in other languages'),
  storyId: nullable(id, 'The story it belongs to (null until clustered)'),
  storyUrl: nullable(link, 'That story in the API'),
  duplicateOf: nullable(id, 'The article it is a copy of (its duplicate group), or null'),
})

export const StoryCard = z.object({
  id: id.describe('The id of the article that started the story'),
  url: link.describe('This story in the API (with its articles)'),
  webUrl: link,
  title: z.string(),
  firstAt: when.describe('Earliest publication (or fetch) of its articles'),
  lastAt: when.describe('Latest publication (or fetch) of its articles'),
  articleCount: z.number().int().min(0),
  sourceCount: z.number().int().min(0),
  score: nullable(z.number().min(0), 'Rank score with `order=top` (more sources and newer is higher); null otherwise'),
})

export const StoryList = z.object({ items: z.array(StoryCard) })

export const StoryMember = ArticleCard.extend({
  canonicalUrl: nullable(link, 'The canonical address the page declares'),
  duplicateOf: nullable(id, 'The article this one copies, or null'),
  similarity: z.number().min(0).max(1).describe('Similarity to the story (containment in the original for a copy)'),
  placedBy: z.enum(['content', 'duplicate', 'operator']).describe('How it came to be in the story'),
})

export const Story = StoryCard.omit({ score: true }).extend({
  members: z.array(StoryMember).describe('Oldest first'),
})

export const SourceOut = z.object({
  id,
  url: link.describe('This source in the API'),
  webUrl: link,
  articlesUrl: link.describe('Its articles in the API'),
  kind: z.enum(['feed', 'site', 'sitemap']),
  title: z.string(),
  siteUrl: nullable(link, "The publisher's site"),
  feedUrl: nullable(link, 'The address polled: a feed, a sitemap or a site page'),
  description: z.string().nullable(),
  language: z.string().nullable(),
  createdAt: when,
  articleCount: z.number().int().min(0),
  latestArticleAt: when.nullable(),
  health: z.object({
    lastSuccessAt: nullable(when, 'The last successful fetch'),
    lastFetchedAt: nullable(when, 'The last fetch, successful or not'),
    errorCount: z.number().int().min(0).describe('Failures in a row since the last success'),
    lastErrorCode: nullable(z.string(), 'Stable code of the last failure (`http_not_found`, `feed_format_unknown`, …); null after a success'),
    failingSince: nullable(when, 'First failure of the current run of failures'),
    pausedAt: nullable(when, 'When polling gave up on it (it kept failing); null while polled'),
    nextCheckAt: when,
  }).describe('Fetch health'),
})

export const SourceList = z.object({ items: z.array(SourceOut) })

export const TagOut = TagRef.extend({
  url: link,
  webUrl: link,
  articlesUrl: link.describe('Its articles in the API'),
})

export const ErrorOut = z.object({
  error: z.object({
    code: z.string().describe('Stable snake_case code: `bad_input`, `not_found`, …'),
    message: z.string().describe('What went wrong, naming the parameter for `bad_input`'),
  }),
})

/** Named as they appear under `components.schemas` (and referenced there). */
export const COMPONENTS = {
  Tag: TagRef, SourceRef, ArticleCard, ArticleList, Author: AuthorOut, Article, StoryCard, StoryList, StoryMember, Story,
  Source: SourceOut, SourceList, TagDetail: TagOut, Error: ErrorOut,
} as const satisfies Record<string, z.ZodType>

export type ComponentName = keyof typeof COMPONENTS
