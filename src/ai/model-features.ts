import { detectLanguage } from '../pipeline/enrich/language.js'
import { abstractiveSummary, answerQuestion, storySummary, translateArticle } from './features.js'
import { createChatProvider, type ChatProvider, type ProviderConfig } from './provider.js'
import type { ModelFeatures } from './service.js'

const detectLang = (text: string) => detectLanguage(text).lang

export function createModelFeatures(cfg: ProviderConfig, deps: { fetch?: typeof fetch; now?: () => number } = {}): ModelFeatures {
  return modelFeatures(createChatProvider(cfg, deps))
}

/** The model-backed features (./features.ts) over one chat provider, in the shape the AI service calls. */
export function modelFeatures(provider: ChatProvider): ModelFeatures {
  return {
    model: provider.model,
    summary: (a, targetLang, signal) => abstractiveSummary(a, { targetLang, detectLang, signal }, provider),
    answer: (a, question, signal) => answerQuestion(a, question, provider, { signal }),
    translate: (a, targetLang, signal) => translateArticle(a, { targetLang, detectLang, signal }, provider),
    storySummary: (articles, targetLang, signal) => storySummary({ articles }, { targetLang, detectLang, signal }, provider),
  }
}
