import { CsrfField } from './csrf.js'
import type { Article } from '../../domain/types.js'
import type { AiArticleView, AiTaskView } from '../../ai/service.js'
import { TRANSLATION_LANGUAGES, languageName } from '../lang-name.js'
import { rich, useT, type Translator } from '../i18n/i18n.js'

const waitingText = (tr: Translator, t: AiTaskView, what: string) =>
  t.status === 'running' ? tr.t('ai.running', { what, model: t.model })
    : t.attempts > 0 && t.errorCode ? tr.t('ai.retrying', { what, code: t.errorCode, message: t.errorMessage ?? '' })
      : tr.t('ai.queued', { what, model: t.model })

/**
 * The state of a model task for the reader: nothing when done (the caller shows the result), else a
 * line saying what is happening. `data-ai-task` lets the script poll and reload when it is done;
 * without JavaScript the reader reloads.
 */
export function TaskStatus(p: { t: AiTaskView; what: string; back: string }) {
  const { t } = p
  const tr = useT()
  if (t.status === 'done') return null
  if (t.status === 'failed') {
    return (
      <div class="ai-status failed" role="status">
        <span>{tr.t('ai.failed', { what: p.what, model: t.model, code: t.errorCode ?? '', message: t.errorMessage ? ` — ${t.errorMessage}` : '' })}</span>{' '}
        <form method="post" action={`/ai/tasks/${t.id}/retry`} class="inline"><CsrfField />
          <input type="hidden" name="back" value={p.back} />
          <button type="submit">{tr.t('ai.tryAgain')}</button>
        </form>
      </div>
    )
  }
  return (
    <p class="ai-status pending" role="status" data-ai-task={String(t.id)}>
      {waitingText(tr, t, p.what)} {rich(tr.t('ai.reload'), { link: <a href={p.back}>{tr.t('ai.reloadLink')}</a> })}
    </p>
  )
}

/** Quotes from the article, each linking to where it stands in the text (highlighted there). */
function Quotes(p: { items: { index: number; text: string }[]; lang: string | null }) {
  return (
    <ul class="ai-quotes">
      {p.items.map((s) => <li><a href={`#s-${s.index}`}><q lang={p.lang ?? undefined}>{s.text}</q></a></li>)}
    </ul>
  )
}

export function AiPanel(p: { a: Article; ai: AiArticleView; base: string; sentenceText: (i: number) => string | null }) {
  const { a, ai } = p
  const { t, locale } = useT()
  const e = ai.enrichment
  const lang = e.lang ?? a.lang
  const here = (q: Record<string, string | null>) => {
    const u = new URLSearchParams()
    for (const [k, v] of Object.entries(q)) if (v) u.set(k, v)
    const s = u.toString()
    return `${p.base}${s ? `?${s}` : ''}#ai`
  }
  if (!ai.permission.allowed) {
    return (
      <section class="ai-panel" id="ai" aria-labelledby="ai-h">
        <h2 id="ai-h">{t('ai.title')}</h2>
        <p class="ai-optout">{ai.permission.reason}</p>
      </section>
    )
  }
  const modelSummary = ai.summary?.status === 'done' ? ai.summary.result?.text ?? null : null
  const ask = ai.ask
  const modelAnswer = ask?.model?.status === 'done' ? ask.model.result : null
  const people = e.entities.people
  const orgs = e.entities.organizations
  const places = e.entities.places
  return (
    <section class="ai-panel" id="ai" aria-labelledby="ai-h">
      <h2 id="ai-h">{t('ai.title')}</h2>

      <h3>{t('ai.summary')}</h3>
      {modelSummary ? (
        <>
          <p class="ai-summary" lang={ai.readerLang}>{modelSummary}</p>
          <p class="meta">{t('ai.summaryBy', { model: ai.summary!.model, lang: languageName(ai.readerLang, locale) })}</p>
        </>
      ) : (
        <>
          {e.summary.length > 0
            ? <p class="ai-summary" lang={lang ?? undefined}>{e.summary.join(' ')}</p>
            : <p class="meta">{t('ai.tooShort')}</p>}
          <p class="meta">{t(ai.model ? 'ai.picked' : 'ai.pickedNoProvider')}</p>
          {ai.summary ? <TaskStatus t={ai.summary} what={t('ai.writtenSummary')} back={here({})} /> : null}
        </>
      )}

      {e.keyPoints.length > 0 ? (
        <>
          <h3>{t('ai.keyPoints')}</h3>
          <ul class="ai-points" lang={lang ?? undefined}>{e.keyPoints.map((k) => <li>{k}</li>)}</ul>
        </>
      ) : null}

      {people.length + orgs.length + places.length > 0 ? (
        <>
          <h3>{t('ai.whoWhere')}</h3>
          <dl class="ai-entities">
            {people.length > 0 ? <><dt>{t('ai.people')}</dt><dd>{people.join(', ')}</dd></> : null}
            {orgs.length > 0 ? <><dt>{t('ai.orgs')}</dt><dd>{orgs.join(', ')}</dd></> : null}
            {places.length > 0 ? <><dt>{t('ai.places')}</dt><dd>{places.join(', ')}</dd></> : null}
          </dl>
        </>
      ) : null}

      <h3 id="ask-h">{t('ai.ask')}</h3>
      <form method="get" action={`${p.base}#ai`} class="ai-ask" aria-labelledby="ask-h">
        <label class="visually-hidden" for="ai-q">{t('ai.question')}</label>
        <input id="ai-q" type="text" name="q" maxlength={500} value={ask?.question ?? ''} placeholder={t('ai.questionHint')} />
        <button type="submit">{t('ai.askButton')}</button>
      </form>
      {ask ? (
        <div class="ai-answer" aria-live="polite">
          {modelAnswer ? (
            modelAnswer.found ? (
              <>
                <p lang={ai.readerLang}>{modelAnswer.answer}</p>
                <p class="meta">{t('ai.answeredBy', { model: ask.model!.model })}</p>
                <Quotes lang={lang} items={modelAnswer.citations.map((i) => ({ index: i, text: p.sentenceText(i) ?? '' })).filter((x) => x.text)} />
              </>
            ) : <p>{t('ai.noAnswer', { model: ask.model!.model })}</p>
          ) : ask.builtin.found ? (
            <>
              <p class="meta">{t('ai.fromArticle')}</p>
              <Quotes lang={lang} items={ask.builtin.sentences} />
            </>
          ) : <p>{t('ai.doesNotSay')}</p>}
          {ask.model ? <TaskStatus t={ask.model} what={t('ai.writtenAnswer')} back={here({ q: ask.question })} /> : null}
        </div>
      ) : null}

      <h3 id="translate-h">{t('ai.translate')}</h3>
      {ai.model ? (
        <form method="get" action={`${p.base}#ai`} class="ai-translate" aria-labelledby="translate-h">
          <label for="ai-lang">{t('ai.language')}</label>{' '}
          <select id="ai-lang" name="translate">
            {[...new Set([ai.offerTranslation ?? ai.readerLang, ...TRANSLATION_LANGUAGES])].filter((l) => l !== (lang ?? '')).map((l) => (
              <option value={l} selected={l === (ai.translation?.lang ?? ai.offerTranslation ?? ai.readerLang)}>{languageName(l, locale)}</option>
            ))}
          </select>{' '}
          <button type="submit">{t('ai.translate')}</button>
          {ai.offerTranslation && !ai.translation ? <> <a class="button" href={here({ translate: ai.offerTranslation })}>{t('ai.readIn', { lang: languageName(ai.offerTranslation, locale) })}</a></> : null}
        </form>
      ) : <p class="meta">{t('ai.translateNeedsProvider')}</p>}
      {ai.translation?.task ? <TaskStatus t={ai.translation.task} what={t('ai.translationWhat', { lang: languageName(ai.translation.lang, locale) })} back={here({ translate: ai.translation.lang })} /> : null}
    </section>
  )
}
