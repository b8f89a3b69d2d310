import type { ArticleSummary } from '../../domain/types.js'
import { excerpt } from '../../pipeline/clean/text.js'
import { absoluteTime, relativeTime } from '../relative-time.js'
import { articlePath } from '../paths.js'

export function TimeAgo(p: { date: string; now: Date }) {
  return <time datetime={p.date} title={absoluteTime(p.date)}>{relativeTime(p.date, p.now)}</time>
}

/** Source, relative time, title and the start of the text: the reference page's card. */
export function ArticleCard(p: { a: ArticleSummary; now: Date; heading?: 'h2' | 'h3'; showImage?: boolean; label?: string; labelKind?: string }) {
  const { a } = p
  const H = p.heading ?? 'h2'
  const when = a.published ?? a.fetchedAt
  const image = p.showImage !== false && a.leadImage
  return (
    <li class={image ? 'card has-image' : 'card'} data-kind={p.labelKind}>
      {p.label ? <div class="card-label">{p.label}</div> : null}
      <div class="meta">
        <a class="source" href={`/sources/${a.sourceId}`}>{a.sourceTitle}</a>
        <TimeAgo date={when} now={p.now} />
        {a.authorName ? <span>{a.authorName}</span> : null}
        {a.comments ? <a class="comment-count" href={`${articlePath(a)}#comments`}>{a.comments} comment{a.comments === 1 ? '' : 's'}</a> : null}
      </div>
      <H><a href={articlePath(a)} lang={a.lang ?? undefined}>{a.title}</a></H>
      <p class="excerpt" lang={a.lang ?? undefined}>{excerpt(a.excerpt, 240)}</p>
      {image ? <img src={a.leadImage!} alt="" loading="lazy" width="120" height="88" /> : null}
    </li>
  )
}
