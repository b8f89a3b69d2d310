import type { ArticleSummary } from '../../domain/types.js'
import { excerpt } from '../../pipeline/clean/text.js'
import { articlePath } from '../paths.js'
import { authorPath } from '../../pipeline/enrich/author-slug.js'
import { useT } from '../i18n/i18n.js'

/** "4 hours ago" / "4 時間前", the absolute time in the reader's locale as its tooltip. */
export function TimeAgo(p: { date: string; now: Date }) {
  const tr = useT()
  return <time datetime={p.date} title={tr.dateTime(p.date)}>{tr.relative(p.date, p.now)}</time>
}

/** Source, relative time, title and the start of the text: the reference page's card. */
export function ArticleCard(p: { a: ArticleSummary; now: Date; heading?: 'h2' | 'h3'; showImage?: boolean; label?: string; labelKind?: string }) {
  const { a } = p
  const { t } = useT()
  const H = p.heading ?? 'h2'
  const when = a.published ?? a.fetchedAt
  const image = p.showImage !== false && a.leadImage
  return (
    <li class={image ? 'card has-image' : 'card'} data-kind={p.labelKind}>
      {p.label ? <div class="card-label">{p.label}</div> : null}
      <div class="meta">
        <a class="source" href={`/sources/${a.sourceId}`}>{a.sourceTitle}</a>
        <TimeAgo date={when} now={p.now} />
        {a.authorName ? <Byline name={a.authorName} /> : null}
        {a.comments ? <a class="comment-count" href={`${articlePath(a)}#comments`}>{t('card.comments', { n: a.comments })}</a> : null}
      </div>
      <H><a href={articlePath(a)} lang={a.lang ?? undefined}>{a.title}</a></H>
      <p class="excerpt" lang={a.lang ?? undefined}>{excerpt(a.excerpt, 240)}</p>
      {image ? <img src={a.leadImage!} alt="" loading="lazy" width="120" height="88" /> : null}
    </li>
  )
}

/** An author's name, linked to their page when the name makes a slug. */
export function Byline(p: { name: string; class?: string }) {
  const href = authorPath(p.name)
  return href ? <a class={p.class ?? 'author'} href={href}>{p.name}</a> : <span class={p.class}>{p.name}</span>
}
