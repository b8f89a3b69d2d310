import { CsrfField } from '../components/csrf.js'
import type { StoryDecision, StoryMember } from '../../domain/types.js'
import type { MemberChanges } from '../../pipeline/dedup/provenance.js'
import type { SharedTerm } from '../../pipeline/cluster/explain-story.js'
import { excerpt } from '../../pipeline/clean/text.js'
import { TimeAgo } from '../components/article-card.js'
import { articlePath } from '../paths.js'
import type { GroupView, StoryView } from '../story-view.js'
import type { Notice } from './admin-sources.js'
import type { AiTaskView, StoryClaim } from '../../ai/service.js'
import { TaskStatus } from '../components/ai-panel.js'
import { rich, useT } from '../i18n/i18n.js'

/** The story across its sources, each claim citing the article and sentence it rests on. */
function StorySummary(p: { t: AiTaskView<{ claims: StoryClaim[] }> | null; model: string | null; members: StoryMember[]; storyId: number }) {
  const { t } = useT()
  const byId = new Map(p.members.map((m) => [m.id, m]))
  const claims = p.t?.status === 'done' ? p.t.result?.claims ?? [] : []
  return (
    <section class="ai-panel story-summary" id="ai" aria-labelledby="story-ai-h">
      <h2 id="story-ai-h">{t('story.summary')}</h2>
      {!p.model ? <p class="meta">{t('story.summaryNeedsProvider')}</p>
        : claims.length > 0 ? (
          <>
            <ul class="ai-points">
              {claims.map((c) => (
                <li>{c.text}{' '}{c.citations.filter((x) => byId.has(x.articleId)).map((x) => (
                  <sup><a href={`/articles/${x.articleId}?cite=${x.sentence}#s-${x.sentence}`} title={byId.get(x.articleId)!.title}>[{byId.get(x.articleId)!.sourceTitle}]</a></sup>
                ))}</li>
              ))}
            </ul>
            <p class="meta">{t('story.summaryBy', { model: p.t!.model ?? '' })}</p>
          </>
        ) : p.t ? <TaskStatus t={p.t} what={t('story.summaryWhat')} back={`/stories/${p.storyId}#ai`} />
          : <p class="meta">{t('story.noAi')}</p>}
    </section>
  )
}

const when = (m: StoryMember) => m.published ?? m.fetchedAt

/** An operator's "this one is not part of it": a form, so it works without JavaScript. */
function SplitButton(p: { storyId: number; articleId: number }) {
  const { t } = useT()
  return (
    <form class="inline" method="post" action={`/admin/stories/${p.storyId}/split`}><CsrfField />
      <input type="hidden" name="article" value={String(p.articleId)} />
      <button class="secondary" type="submit">{t('story.split')}</button>
    </form>
  )
}

/** What a copy changed against its original (or what only the original has), each kind flagged in words. */
function Changes(p: { c: MemberChanges; original?: boolean }) {
  const { c } = p
  const { t } = useT()
  const items = []
  if (c.titleChanged) items.push(<li>{rich(t('story.titleChanged'), { title: <q>{c.titleChanged.to}</q> })}</li>)
  if (c.injected.length > 0) {
    items.push(<li class="flag">{rich(t(p.original ? 'story.injectedOriginal' : 'story.injected'), { text: c.injected.map((x) => <mark class="injected">{x}</mark>) })}</li>)
  }
  if (c.truncated) items.push(<li class="flag">{t('story.cutShort', { n: c.truncatedCount })}</li>)
  // The original's own extra sentences are what its copies left out or cut, already said on each copy.
  if (c.addedCount > 0 && !p.original) {
    items.push(<li>{t('story.added', { n: c.addedCount })}
      <ul>{c.added.map((s) => <li><ins>{s}</ins></li>)}</ul></li>)
  }
  if (c.removedCount > 0) {
    items.push(<li>{t(p.original ? 'story.copiesAdd' : 'story.leftOut', { n: c.removedCount })}
      <ul>{c.removed.map((s) => <li>{p.original ? <ins>{s}</ins> : <del>{s}</del>}</li>)}</ul></li>)
  }
  if (items.length === 0) return p.original ? null : <p class="meta">{t('story.same')}</p>
  return <ul class="changes-list">{items}</ul>
}

function MemberHead(p: { m: StoryMember; now: Date }) {
  const { t } = useT()
  return (
    <>
      <div class="meta">
        <a class="source" href={`/sources/${p.m.sourceId}`}>{p.m.sourceTitle}</a>
        <TimeAgo date={when(p.m)} now={p.now} />
        {p.m.placedBy === 'operator' ? <span>{t('story.placedByOperator')}</span> : null}
      </div>
      <h3><a href={articlePath(p.m)} lang={p.m.lang ?? undefined}>{p.m.title}</a></h3>
    </>
  )
}

function Coverage(p: { g: GroupView; storyId: number; now: Date; admin: boolean }) {
  const { g } = p
  const { t } = useT()
  const copies = g.copies.length
  return (
    <li class="card coverage" id={`a-${g.original.id}`}>
      <MemberHead m={g.original} now={p.now} />
      <p class="excerpt" lang={g.original.lang ?? undefined}>{excerpt(g.original.excerpt, 240)}</p>
      {copies > 0 ? (
        <div class="provenance">
          <p><strong class="badge">{t('story.original')}</strong> {g.reasons.length > 0 ? <span class="meta">{g.reasons.join('; ')}</span> : null}</p>
          {g.originalChanges ? <Changes c={g.originalChanges} original /> : null}
          <details class="copies">
            <summary>{t('story.copies', { n: copies, sources: [...new Set(g.copies.map((c) => c.member.sourceTitle))].join(', ') })}</summary>
            <ul class="copy-list">
              {g.copies.map((c) => (
                <li class="copy" id={`a-${c.member.id}`}>
                  <MemberHead m={c.member} now={p.now} />
                  <p class="meta">{t('story.keeps', { pct: Math.round(c.changes.shared * 100) })}</p>
                  <Changes c={c.changes} />
                  {p.admin ? <SplitButton storyId={p.storyId} articleId={c.member.id} /> : null}
                </li>
              ))}
            </ul>
          </details>
        </div>
      ) : null}
      {p.admin ? <SplitButton storyId={p.storyId} articleId={g.original.id} /> : null}
    </li>
  )
}

function Terms(p: { label: string; terms: SharedTerm[]; of: number }) {
  const { t } = useT()
  if (p.terms.length === 0) return null
  return (
    <div class="why-row">
      <h3>{p.label}</h3>
      <ul class="terms">{p.terms.map((x) => <li title={t('story.termIn', { n: x.members, of: p.of })}>{x.label} <span class="meta">{x.members}/{p.of}</span></li>)}</ul>
    </div>
  )
}

function Decision(p: { d: StoryDecision; storyId: number; now: Date }) {
  const { d } = p
  const { t } = useT()
  const story = (id: number) => id === p.storyId ? <>{t('story.thisStory')}</> : <a href={`/stories/${id}`}>{t('story.storyN', { id: String(id) })}</a>
  return (
    <li>
      {d.kind === 'split'
        ? rich(t('story.decisionSplit'), { article: <a href={`/articles/${d.articleId}`}>#{d.articleId}</a>, from: story(d.fromStory), to: story(d.toStory) })
        : rich(t('story.decisionMerge'), { from: story(d.fromStory), to: story(d.toStory) })}
      {' '}<TimeAgo date={d.at} now={p.now} />
    </li>
  )
}

/** "Full coverage": every source's article on one story, a timeline, originals marked, copies one click away, and why they are together. */
export function StoryPage(p: {
  view: StoryView; now: Date; admin: boolean; decisions: StoryDecision[]; notice: Notice | null
  /** The model's summary across sources; absent when the site has no AI service. */
  ai?: { task: AiTaskView<{ claims: StoryClaim[] }> | null; model: string | null }
}) {
  const { story, groups, why } = p.view
  const { t } = useT()
  const whyTerms = why.entities.length + why.phrases.length + why.words.length
  return (
    <div class="story-page">
      {p.notice ? <p class={p.notice.kind === 'error' ? 'notice error' : 'notice'} role="status">{p.notice.text}</p> : null}
      <p class="meta">{t('story.fullCoverage')}</p>
      <h1 class="page-title">{story.title}</h1>
      <p class="meta story-counts">
        <span>{t('story.sources', { n: story.sourceCount })}</span>
        <span>{t('story.articles', { n: story.articleCount })}</span>
        <span>{t('story.first')} <TimeAgo date={story.firstAt} now={p.now} /></span>
        <span>{t('story.latest')} <TimeAgo date={story.lastAt} now={p.now} /></span>
      </p>

      {p.ai && story.articleCount > 1 ? <StorySummary t={p.ai.task} model={p.ai.model} members={story.members} storyId={story.id} /> : null}

      <section class="timeline" aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t('story.timeline')}</h2>
        <ol>
          {story.members.map((m) => {
            const copy = groups.find((g) => g.copies.some((c) => c.member.id === m.id))
            return (
              <li>
                <TimeAgo date={when(m)} now={p.now} /> <span class="source">{m.sourceTitle}</span>{' '}
                <a href={`#a-${m.id}`}>{m.title}</a>
                {copy ? <span class="meta"> {t('story.copyOf', { source: copy.original.sourceTitle })}</span> : null}
              </li>
            )
          })}
        </ol>
      </section>

      <section aria-labelledby="coverage-h">
        <h2 id="coverage-h">{t('story.coverage')}</h2>
        <ul class="cards">{groups.map((g) => <Coverage g={g} storyId={story.id} now={p.now} admin={p.admin && story.articleCount > 1} />)}</ul>
      </section>

      <section class="why" aria-labelledby="why-h">
        <h2 id="why-h">{t('story.why')}</h2>
        {whyTerms === 0 ? <p class="meta">{why.memberCount < 2 ? t('story.onlyOne') : t('story.nothingShared')}</p> : (
          <>
            <p class="meta">{t(groups.length >= 2 ? 'story.shareIndependent' : 'story.shareArticles', { n: why.memberCount })}</p>
            <Terms label={t('story.names')} terms={why.entities} of={why.memberCount} />
            <Terms label={t('story.phrases')} terms={why.phrases} of={why.memberCount} />
            <Terms label={t('story.words')} terms={why.words} of={why.memberCount} />
          </>
        )}
      </section>

      {p.admin ? (
        <section class="story-admin" aria-labelledby="admin-h">
          <h2 id="admin-h">{t('story.manage', { id: String(story.id) })}</h2>
          <form method="post" action={`/admin/stories/${story.id}/merge`}><CsrfField />
            <label for="into">{t('story.mergeInto')}</label>
            <input id="into" type="number" name="into" min="1" required inputmode="numeric" />
            <button type="submit">{t('story.merge')}</button>
          </form>
          <p class="meta">{t('story.remembered')}</p>
        </section>
      ) : null}
      {p.decisions.length > 0 ? (
        <section aria-labelledby="decisions-h">
          <h2 id="decisions-h">{t('story.decisions')}</h2>
          <ul class="decisions">{p.decisions.map((d) => <Decision d={d} storyId={story.id} now={p.now} />)}</ul>
        </section>
      ) : null}
    </div>
  )
}
