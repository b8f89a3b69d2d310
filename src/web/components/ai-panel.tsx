import { CsrfField } from './csrf.js'
import type { Article } from '../../domain/types.js'
import type { AiArticleView, AiTaskView } from '../../ai/service.js'
import { TRANSLATION_LANGUAGES, languageName } from '../lang-name.js'

const waitingText = (t: AiTaskView, what: string) =>
  t.status === 'running' ? `${what} is being written by ${t.model}…`
    : t.attempts > 0 && t.errorCode ? `${what} will be tried again (${t.errorCode}: ${t.errorMessage ?? ''}).`
      : `${what} is queued for ${t.model}.`

/**
 * The state of a model task for the reader: nothing when done (the caller shows the result), else a
 * line saying what is happening. `data-ai-task` lets the script poll and reload when it is done;
 * without JavaScript the reader reloads.
 */
export function TaskStatus(p: { t: AiTaskView; what: string; back: string }) {
  const { t } = p
  if (t.status === 'done') return null
  if (t.status === 'failed') {
    return (
      <div class="ai-status failed" role="status">
        <span>{p.what} could not be made by {t.model}: {t.errorCode}{t.errorMessage ? ` — ${t.errorMessage}` : ''}.</span>{' '}
        <form method="post" action={`/ai/tasks/${t.id}/retry`} class="inline"><CsrfField />
          <input type="hidden" name="back" value={p.back} />
          <button type="submit">Try again</button>
        </form>
      </div>
    )
  }
  return (
    <p class="ai-status pending" role="status" data-ai-task={String(t.id)}>
      {waitingText(t, p.what)} <a href={p.back}>Reload</a> to see it.
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
        <h2 id="ai-h">AI features</h2>
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
      <h2 id="ai-h">AI features</h2>

      <h3>Summary</h3>
      {modelSummary ? (
        <>
          <p class="ai-summary" lang={ai.readerLang}>{modelSummary}</p>
          <p class="meta">Written by {ai.summary!.model} in {languageName(ai.readerLang)}.</p>
        </>
      ) : (
        <>
          {e.summary.length > 0
            ? <p class="ai-summary" lang={lang ?? undefined}>{e.summary.join(' ')}</p>
            : <p class="meta">The article is too short to summarise.</p>}
          <p class="meta">The article’s own sentences, picked by Tidings{ai.model ? '' : '. A written summary needs an AI provider, which this site has not set up'}.</p>
          {ai.summary ? <TaskStatus t={ai.summary} what="A written summary" back={here({})} /> : null}
        </>
      )}

      {e.keyPoints.length > 0 ? (
        <>
          <h3>Key points</h3>
          <ul class="ai-points" lang={lang ?? undefined}>{e.keyPoints.map((k) => <li>{k}</li>)}</ul>
        </>
      ) : null}

      {people.length + orgs.length + places.length > 0 ? (
        <>
          <h3>Who and where</h3>
          <dl class="ai-entities">
            {people.length > 0 ? <><dt>People</dt><dd>{people.join(', ')}</dd></> : null}
            {orgs.length > 0 ? <><dt>Organisations</dt><dd>{orgs.join(', ')}</dd></> : null}
            {places.length > 0 ? <><dt>Places</dt><dd>{places.join(', ')}</dd></> : null}
          </dl>
        </>
      ) : null}

      <h3 id="ask-h">Ask this article</h3>
      <form method="get" action={`${p.base}#ai`} class="ai-ask" aria-labelledby="ask-h">
        <label class="visually-hidden" for="ai-q">Your question</label>
        <input id="ai-q" type="text" name="q" maxlength={500} value={ask?.question ?? ''} placeholder="Who, what, when, how many…" />
        <button type="submit">Ask</button>
      </form>
      {ask ? (
        <div class="ai-answer" aria-live="polite">
          {modelAnswer ? (
            modelAnswer.found ? (
              <>
                <p lang={ai.readerLang}>{modelAnswer.answer}</p>
                <p class="meta">Answered by {ask.model!.model}, citing:</p>
                <Quotes lang={lang} items={modelAnswer.citations.map((i) => ({ index: i, text: p.sentenceText(i) ?? '' })).filter((x) => x.text)} />
              </>
            ) : <p>{ask.model!.model} found no answer in the article: the article does not say.</p>
          ) : ask.builtin.found ? (
            <>
              <p class="meta">From the article:</p>
              <Quotes lang={lang} items={ask.builtin.sentences} />
            </>
          ) : <p>The article does not say.</p>}
          {ask.model ? <TaskStatus t={ask.model} what="A written answer" back={here({ q: ask.question })} /> : null}
        </div>
      ) : null}

      <h3 id="translate-h">Translate</h3>
      {ai.model ? (
        <form method="get" action={`${p.base}#ai`} class="ai-translate" aria-labelledby="translate-h">
          <label for="ai-lang">Language</label>{' '}
          <select id="ai-lang" name="translate">
            {[...new Set([ai.offerTranslation ?? ai.readerLang, ...TRANSLATION_LANGUAGES])].filter((l) => l !== (lang ?? '')).map((l) => (
              <option value={l} selected={l === (ai.translation?.lang ?? ai.offerTranslation ?? ai.readerLang)}>{languageName(l)}</option>
            ))}
          </select>{' '}
          <button type="submit">Translate</button>
          {ai.offerTranslation && !ai.translation ? <> <a class="button" href={here({ translate: ai.offerTranslation })}>Read in {languageName(ai.offerTranslation)}</a></> : null}
        </form>
      ) : <p class="meta">Translation needs an AI provider, which this site has not set up.</p>}
      {ai.translation?.task ? <TaskStatus t={ai.translation.task} what={`The ${languageName(ai.translation.lang)} translation`} back={here({ translate: ai.translation.lang })} /> : null}
    </section>
  )
}
