import type { Article, Revision } from '../../domain/types.js'
import { textDiff, type ParagraphDiff, type Segment, type TextDiff } from '../../pipeline/diff/text-diff.js'
import { TimeAgo } from '../components/article-card.js'
import { rich, useT } from '../i18n/i18n.js'

/** One earlier version and what changed when it was replaced (diffed against the version after it). */
interface Change {
  revision: Revision
  /** When this version first appeared: the previous replacement, or when the article was first fetched. */
  since: string
  diff: TextDiff
}

/** Revisions diffed per page: each diff is bounded, and so is a page of them. */
export const CHANGES_PER_PAGE = 10

/** One page of changes: `total` earlier versions in all, this page's `changes` (1-based `page`). */
export interface ChangesView {
  changes: Change[]
  page: number
  pages: number
  total: number
}

/**
 * Newest first: each revision against the version that replaced it (the newest against the current
 * text). Only the requested page is diffed.
 */
export function changesOf(a: Article, revisions: Revision[], opts: { page?: number; perPage?: number } = {}): ChangesView {
  const perPage = opts.perPage ?? CHANGES_PER_PAGE
  const newestFirst = [...revisions].sort((x, y) => y.replacedAt.localeCompare(x.replacedAt) || y.id - x.id)
  const pages = Math.max(1, Math.ceil(newestFirst.length / perPage))
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pages)
  const start = (page - 1) * perPage
  const changes = newestFirst.slice(start, start + perPage).map((revision, k) => {
    const i = start + k
    const next = i === 0 ? { title: a.title, text: a.text } : newestFirst[i - 1]!
    const older = newestFirst[i + 1]
    return { revision, since: older ? older.replacedAt : a.fetchedAt, diff: textDiff(revision, next) }
  })
  return { changes, page, pages, total: newestFirst.length }
}

// Unchanged paragraphs shown around a change, so a reader sees where it sits.
const CONTEXT = 1

/** The revisions of an article, each with its word-level diff; marks carry text for screen readers and print. */
export function ChangesPage(p: { a: Article; view: ChangesView; now: Date }) {
  const { a } = p
  const { t, dateTime } = useT()
  const { changes, page, pages, total } = p.view
  const pageHref = (n: number) => (n === 1 ? `/articles/${a.id}/changes` : `/articles/${a.id}/changes?page=${n}`)
  return (
    <section class="changes">
      <p class="meta"><a class="source" href={`/sources/${a.sourceId}`}>{a.sourceTitle}</a></p>
      <h1 class="page-title">{t('changes.title', { title: a.title })}</h1>
      <p><a href={`/articles/${a.id}`}>{t('changes.back')}</a></p>
      {total === 0 ? <p class="empty">{t('changes.none')}</p> : (
        <>
          <p class="meta diff-legend">
            <span>{rich(t('changes.inserted'), { text: <ins>{t('changes.insertedText')}</ins> })}</span>
            <span>{rich(t('changes.deleted'), { text: <del>{t('changes.deletedText')}</del> })}</span>
            <span>{t('changes.count', { n: total })}{pages > 1 ? t('changes.pageOf', { page, pages }) : ''}</span>
          </p>
          <ol class="revisions" lang={a.lang ?? undefined} start={(page - 1) * CHANGES_PER_PAGE + 1}>
            {changes.map((c, k) => (
              <li class="revision">
                <h2>
                  {t('changes.changed')} <TimeAgo date={c.revision.replacedAt} now={p.now} />
                  <span class="meta"> ({dateTime(c.revision.replacedAt)})</span>
                </h2>
                <p class="meta">
                  {t(page === 1 && k === 0 ? 'changes.versionCurrent' : 'changes.versionAfter', { since: dateTime(c.since), until: dateTime(c.revision.replacedAt) })}
                  {' '}{t('changes.words', { n: c.diff.insertedWords, deleted: c.diff.deletedWords })}
                </p>
                {c.diff.titleChanged ? <p class="diff-title"><span class="label">{t('changes.titleLabel')}</span><Segments segments={c.diff.title} /></p> : null}
                <Body paragraphs={c.diff.paragraphs} />
                {c.diff.coarse ? <p class="meta">{t('changes.coarse')}</p> : null}
              </li>
            ))}
          </ol>
          {pages > 1 ? (
            <nav class="pager" aria-label={t('changes.more')}>
              {page > 1 ? <a class="button" rel="prev" href={pageHref(page - 1)}>{t('changes.newer')}</a> : null}
              {page < pages ? <a class="button" rel="next" href={pageHref(page + 1)}>{t('changes.older')}</a> : null}
            </nav>
          ) : null}
        </>
      )}
    </section>
  )
}

function Body(p: { paragraphs: ParagraphDiff[] }) {
  const { t } = useT()
  const near = new Set<number>()
  p.paragraphs.forEach((x, i) => {
    if (x.mark !== 'same') for (let j = i - CONTEXT; j <= i + CONTEXT; j++) near.add(j)
  })
  if (near.size === 0) return <p class="meta">{t('changes.bodySame')}</p>
  const out = []
  let skipped = 0
  const flush = () => {
    if (skipped > 0) out.push(<p class="meta diff-skip">{t('changes.skipped', { n: skipped })}</p>)
    skipped = 0
  }
  for (let i = 0; i < p.paragraphs.length; i++) {
    const x = p.paragraphs[i]!
    if (!near.has(i)) { skipped++; continue }
    flush()
    out.push(
      x.mark === 'ins' ? <p class="diff-para"><ins><Marker text="Paragraph added: " />{x.segments[0]?.text}</ins></p>
        : x.mark === 'del' ? <p class="diff-para"><del><Marker text="Paragraph removed: " />{x.segments[0]?.text}</del></p>
          : <p class={x.mark === 'same' ? 'diff-para same' : 'diff-para'}><Segments segments={x.segments} /></p>,
    )
  }
  flush()
  return <div class="diff-body">{out}</div>
}

function Segments(p: { segments: Segment[] }) {
  return (
    <>
      {p.segments.map((s) =>
        s.mark === 'ins' ? <ins><Marker text="inserted: " />{s.text}<Marker text=" (end of insertion)" /></ins>
          : s.mark === 'del' ? <del><Marker text="deleted: " />{s.text}<Marker text=" (end of deletion)" /></del>
            : s.text,
      )}
    </>
  )
}

/** Said by screen readers (which mostly do not announce <ins>/<del>), not shown. */
function Marker(p: { text: string }) {
  return <span class="visually-hidden" lang="en">{p.text}</span>
}
