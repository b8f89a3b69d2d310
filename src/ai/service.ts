import { createHash } from 'node:crypto'
import type { Result, StageError } from '../domain/result.js'
import type {
  AiFeature, AiPolicy, AiTask, AiTaskKey, Article, Enrichment, ExtractiveAnswer, Source,
} from '../domain/types.js'
import type { Store } from '../store/store.js'
import type { AiRun, AiRunValue } from '../jobs/ai-worker.js'
import { enrich } from '../pipeline/enrich/enrich.js'
import { splitSentences } from '../pipeline/enrich/sentences.js'
import { askArticle } from '../pipeline/enrich/ask.js'
import { mergeOptOut, resolveAiPolicy } from '../pipeline/fetch/ai-optout.js'

import type { FeatureResult, ModelAnswer, ModelTranslation, StoryClaim } from './features.js'

export type { ModelAnswer, ModelTranslation, StoryClaim }
/** What a model feature gave, with its cost. */
export type FeatureOut<T> = FeatureResult<T>

/** The model side (src/ai/features.ts over a configured provider), as the service calls it. */
export interface ModelFeatures {
  readonly model: string
  summary(a: { title: string; sentences: string[]; lang: string | null }, targetLang: string, signal: AbortSignal): Promise<Result<FeatureOut<string>, StageError>>
  answer(a: { title: string; sentences: string[] }, question: string, signal: AbortSignal): Promise<Result<FeatureOut<ModelAnswer>, StageError>>
  translate(a: { title: string; paragraphs: string[]; sourceLang: string | null }, targetLang: string, signal: AbortSignal): Promise<Result<FeatureOut<ModelTranslation>, StageError>>
  storySummary(articles: { id: number; source: string; title: string; sentences: string[] }[], targetLang: string, signal: AbortSignal): Promise<Result<FeatureOut<{ claims: StoryClaim[] }>, StageError>>
}

export interface AiPermission {
  allowed: boolean
  imagesAllowed: boolean
  /** What the panel says when AI is off for the article; '' when allowed. */
  reason: string
}

/** A model task as the reader sees it. */
export interface AiTaskView<T = unknown> {
  id: number
  status: AiTask['status']
  result: T | null
  errorCode: string | null
  errorMessage: string | null
  attempts: number
  nextTryAt: string
  model: string
}

export interface AiArticleView {
  permission: AiPermission
  enrichment: Enrichment
  /** The language answers and summaries are written in for this reader. */
  readerLang: string
  /** The configured model, or null when none is: the panel says what needs one. */
  model: string | null
  summary: AiTaskView<{ text: string }> | null
  ask: { question: string; builtin: ExtractiveAnswer; model: AiTaskView<ModelAnswer> | null } | null
  translation: { lang: string; task: AiTaskView<ModelTranslation> | null } | null
  /** The reader's language when the article is in another one ("Read in English"). */
  offerTranslation: string | null
}

export interface AiService {
  readonly model: string | null
  permission(a: Pick<Article, 'aiOptOut'>, source: Pick<Source, 'aiOptOut' | 'aiPolicy'> | null): AiPermission
  /** The article's enrichment: the stored one, or made now for an article stored before enrichment existed. */
  enrichmentOf(a: Pick<Article, 'title' | 'text' | 'lang' | 'enrichment'>): Enrichment
  /**
   * The AI panel's state. Asks the queue for what the reader asked (a summary in their language, an
   * answer, a translation) and never waits for a model: a result not ready yet shows its status.
   */
  articleView(a: Article, source: Source | null, opts: { readerLang: string; question?: string | null; translateTo?: string | null }): Promise<AiArticleView>
  storyView(storyId: number, opts: { readerLang: string; allowed: boolean }): Promise<AiTaskView<{ claims: StoryClaim[] }> | null>
  /** Queues a failed task again (the reader's "try again"); null when there is no such task. */
  retry(taskId: number): Promise<AiTask | null>
  /** Queues the summary of a new article ahead of its first reader (AI_PRECOMPUTE). */
  articleCreated(articleId: number): Promise<void>
  /** Runs one claimed task (the worker's side). */
  run: AiRun
}

export interface AiServiceDeps {
  store: Store
  now: () => Date
  features: ModelFeatures | null
  /** The site's language: what precomputed summaries are written in. */
  siteLang: string
  precompute: boolean
  /** Wakes the worker when something was queued. */
  kick?: () => void
}

const MAX_QUESTION = 500

/** One cache entry per question, whatever its case and spacing. */
export function questionKey(q: string): string {
  return createHash('sha256').update(normalizeQuestion(q).toLowerCase()).digest('hex').slice(0, 16)
}

export function normalizeQuestion(q: string): string {
  return q.replace(/\s+/g, ' ').trim().slice(0, MAX_QUESTION)
}

/** The primary language subtag, lower case (`en-GB` → `en`); '' for nothing usable. */
export function baseLang(tag: string | null | undefined): string {
  const m = /^([a-z]{2,3})(?:[-_]|$)/i.exec((tag ?? '').trim())
  return m ? m[1]!.toLowerCase() : ''
}

/**
 * The reader's language: an explicit choice, else the best of Accept-Language (by q), else the site's.
 */
export function readerLanguage(opts: { choice?: string | null; acceptLanguage?: string | null; siteLang: string }): string {
  const choice = baseLang(opts.choice)
  if (choice) return choice
  const offered = (opts.acceptLanguage ?? '').split(',').map((part, i) => {
    const [tag, ...params] = part.trim().split(';')
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean)
    return { lang: baseLang(tag), q: q ? Number(q[1]) : 1, i }
  }).filter((x) => x.lang && x.q > 0 && Number.isFinite(x.q))
  offered.sort((a, b) => b.q - a.q || a.i - b.i)
  return offered[0]?.lang ?? (baseLang(opts.siteLang) || 'en')
}

function viewOf<T>(t: AiTask | null): AiTaskView<T> | null {
  if (!t) return null
  return {
    id: t.id, status: t.status, result: t.status === 'done' ? t.result as T : null, errorCode: t.errorCode, errorMessage: t.errorMessage,
    attempts: t.attempts, nextTryAt: t.nextTryAt, model: t.model,
  }
}

const paragraphsOf = (text: string) => text.split(/\n+/).map((p) => p.trim()).filter(Boolean)

function aiError(code: string, message: string): { ok: false; error: StageError } {
  return { ok: false, error: { stage: 'ai', code, message, retryable: false } }
}

export function createAiService(deps: AiServiceDeps): AiService {
  const { store, features } = deps
  const model = features?.model ?? null
  const nowIso = () => deps.now().toISOString()

  const permission = (a: Pick<Article, 'aiOptOut'>, source: Pick<Source, 'aiOptOut' | 'aiPolicy'> | null): AiPermission => {
    const detected = mergeOptOut(a.aiOptOut ?? null, source?.aiOptOut ?? null)
    const policy: AiPolicy = source?.aiPolicy ?? 'follow'
    const r = resolveAiPolicy(detected, policy)
    return { allowed: r.allowed, imagesAllowed: r.imagesAllowed, reason: r.allowed ? '' : r.reason }
  }

  const enrichmentOf = (a: Pick<Article, 'title' | 'text' | 'lang' | 'enrichment'>): Enrichment =>
    a.enrichment ?? enrich({ title: a.title, text: a.text, lang: a.lang })

  const request = async (key: AiTaskKey, input: string | null = null): Promise<AiTask> => {
    const t = await store.requestAiTask(key, { input, now: nowIso() })
    if (t.status === 'queued') deps.kick?.()
    return t
  }

  const key = (subject: AiTaskKey['subject'], subjectId: number, feature: AiFeature, lang: string, inputKey = ''): AiTaskKey =>
    ({ subject, subjectId, feature, model: model ?? '', lang, inputKey })

  const loadSource = async (a: Article) => (await store.getSource(a.sourceId))

  const runArticleTask = async (task: AiTask, signal: AbortSignal): Promise<Result<AiRunValue, StageError>> => {
    if (!features) return aiError('ai_not_configured', 'No AI provider is configured.')
    const a = await store.getArticle(task.subjectId)
    if (!a) return aiError('ai_subject_gone', 'The article was deleted.')
    // The publisher may have opted out since the task was queued: nothing is sent.
    const p = permission(a, await loadSource(a))
    if (!p.allowed) return aiError('ai_opted_out', p.reason)
    const sentences = splitSentences(a.text, { lang: a.lang }).map((s) => s.text)
    const lang = a.enrichment?.lang ?? a.lang
    let r: Result<FeatureOut<unknown>, StageError>
    switch (task.feature) {
      case 'summary': {
        const s = await features.summary({ title: a.title, sentences, lang }, task.lang, signal)
        r = s.ok ? { ok: true, value: { ...s.value, value: { text: s.value.value } } } : s
        break
      }
      case 'answer':
        if (!task.input) return aiError('ai_bad_input', 'The question is missing.')
        r = await features.answer({ title: a.title, sentences }, task.input, signal)
        break
      case 'translation':
        r = await features.translate({ title: a.title, paragraphs: paragraphsOf(a.text), sourceLang: lang }, task.lang, signal)
        break
      default:
        return aiError('ai_bad_input', `Feature ${task.feature} does not apply to an article.`)
    }
    if (!r.ok) return r
    return { ok: true, value: { value: r.value.value, promptTokens: r.value.usage.promptTokens, completionTokens: r.value.usage.completionTokens, latencyMs: r.value.latencyMs } }
  }

  const runStoryTask = async (task: AiTask, signal: AbortSignal): Promise<Result<AiRunValue, StageError>> => {
    if (!features) return aiError('ai_not_configured', 'No AI provider is configured.')
    const story = await store.getStory(task.subjectId)
    if (!story) return aiError('ai_subject_gone', 'The story is gone.')
    const articles: { id: number; source: string; title: string; sentences: string[] }[] = []
    // Copies add nothing a model should read twice; opted-out publishers are left out of the prompt.
    for (const m of story.members.filter((x) => x.duplicateOf === null).slice(0, 12)) {
      const a = await store.getArticle(m.id)
      if (!a || !permission(a, await loadSource(a)).allowed) continue
      articles.push({ id: a.id, source: a.sourceTitle, title: a.title, sentences: splitSentences(a.text, { lang: a.lang }).map((s) => s.text) })
    }
    if (articles.length === 0) return aiError('ai_opted_out', 'No article of this story may be used with AI.')
    const r = await features.storySummary(articles, task.lang, signal)
    if (!r.ok) return r
    return { ok: true, value: { value: r.value.value, promptTokens: r.value.usage.promptTokens, completionTokens: r.value.usage.completionTokens, latencyMs: r.value.latencyMs } }
  }

  return {
    model,
    permission,
    enrichmentOf,

    async articleView(a, source, opts) {
      const perm = permission(a, source)
      const enrichment = enrichmentOf(a)
      const readerLang = baseLang(opts.readerLang) || 'en'
      const articleLang = baseLang(enrichment.lang ?? a.lang)
      const view: AiArticleView = {
        permission: perm, enrichment, readerLang, model, summary: null, ask: null, translation: null,
        offerTranslation: articleLang && articleLang !== readerLang ? readerLang : null,
      }
      if (!perm.allowed) return view
      const question = opts.question ? normalizeQuestion(opts.question) : ''
      if (question) view.ask = { question, builtin: askArticle({ title: a.title, text: a.text, question, lang: enrichment.lang }), model: null }
      if (!features) return view
      view.summary = viewOf(await request(key('article', a.id, 'summary', readerLang)))
      if (view.ask) view.ask.model = viewOf(await request(key('article', a.id, 'answer', '', questionKey(question)), question))
      const to = baseLang(opts.translateTo)
      if (to) view.translation = { lang: to, task: to === articleLang ? null : viewOf(await request(key('article', a.id, 'translation', to))) }
      return view
    },

    async storyView(storyId, opts) {
      if (!features || !opts.allowed) return null
      return viewOf(await request(key('story', storyId, 'story_summary', baseLang(opts.readerLang) || 'en')))
    },

    async retry(taskId) {
      const t = await store.getAiTaskById(taskId)
      if (!t) return null
      const again = await store.requestAiTask(t, { input: t.input, now: nowIso(), retryFailed: true })
      if (again.status === 'queued') deps.kick?.()
      return again
    },

    async articleCreated(articleId) {
      if (!features || !deps.precompute) return
      const a = await store.getArticle(articleId)
      if (!a || !permission(a, await loadSource(a)).allowed) return
      await request(key('article', articleId, 'summary', baseLang(deps.siteLang) || 'en'))
    },

    run(task, signal) {
      return task.subject === 'story' ? runStoryTask(task, signal) : runArticleTask(task, signal)
    },
  }
}
