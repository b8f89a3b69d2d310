import type { AiTask, AiUsage } from '../../domain/types.js'
import { TimeAgo } from '../components/article-card.js'

const FEATURE_NAMES: Record<AiTask['feature'], string> = {
  summary: 'Summary', answer: 'Answer', translation: 'Translation', story_summary: 'Story summary',
}

/** What the model work costs and how it is going: counts, tokens and latency per feature, then the latest tasks. */
export function AdminAiPage(p: { model: string | null; baseUrl: string | null; usage: AiUsage[]; tasks: AiTask[]; now: Date }) {
  return (
    <section class="admin-ai">
      <h1 class="page-title">AI</h1>
      {p.model ? (
        <p>Model <strong>{p.model}</strong>{p.baseUrl ? <> at <code>{p.baseUrl}</code></> : null}. Built-in features (extractive summary, key points, hashtags, entities, answers quoted from the article) always run.</p>
      ) : (
        <p>No AI provider is configured: readers get the built-in features only. Set <code>AI_BASE_URL</code> and <code>AI_MODEL</code> (any OpenAI-compatible endpoint, such as a local Ollama at <code>http://127.0.0.1:11434/v1</code>) for written summaries, answers, translations and summaries across sources.</p>
      )}
      <h2>Usage</h2>
      {p.usage.length === 0 ? <p class="empty">No model work yet.</p> : (
        <table class="sources">
          <thead><tr><th scope="col">Feature</th><th scope="col">Model</th><th scope="col">Done</th><th scope="col">Failed</th><th scope="col">Waiting</th><th scope="col">Tokens in / out</th><th scope="col">Mean latency</th></tr></thead>
          <tbody>
            {p.usage.map((u) => (
              <tr>
                <td>{FEATURE_NAMES[u.feature] ?? u.feature}</td><td>{u.model}</td><td>{u.done}</td><td>{u.failed}</td><td>{u.queued + u.running}</td>
                <td>{u.promptTokens.toLocaleString('en')} / {u.completionTokens.toLocaleString('en')}</td>
                <td>{u.meanLatencyMs === null ? '—' : `${(u.meanLatencyMs / 1000).toFixed(1)} s`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Latest tasks</h2>
      {p.tasks.length === 0 ? <p class="empty">None.</p> : (
        <table class="sources">
          <thead><tr><th scope="col">Task</th><th scope="col">For</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Updated</th></tr></thead>
          <tbody>
            {p.tasks.map((t) => (
              <tr>
                <td>{FEATURE_NAMES[t.feature] ?? t.feature}{t.lang ? ` (${t.lang})` : ''}{t.input ? <div class="meta"><q>{t.input.length > 80 ? `${t.input.slice(0, 80)}…` : t.input}</q></div> : null}</td>
                <td><a href={t.subject === 'story' ? `/stories/${t.subjectId}` : `/articles/${t.subjectId}`}>{t.subject} #{t.subjectId}</a></td>
                <td>{t.status}{t.errorCode ? <div class="meta">{t.errorCode}: {t.errorMessage}</div> : null}
                  {t.status === 'queued' && t.attempts > 0 ? <div class="meta">next try <TimeAgo date={t.nextTryAt} now={p.now} /></div> : null}</td>
                <td>{t.attempts}</td>
                <td><TimeAgo date={t.updatedAt} now={p.now} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
