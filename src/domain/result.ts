/** Expected failures are values: every stage returns a Result, never throws for bad input. */
export type Result<T, E = StageError> = { ok: true; value: T } | { ok: false; error: E }

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value })
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error })

export type StageName =
  | 'fetch' | 'decode' | 'parse' | 'extract' | 'clean' | 'enrich' | 'dedup' | 'cluster' | 'store' | 'ingest' | 'input' | 'ai'

/** A failure a user or operator can read; `code` is stable snake_case (shown in the UI, used in tests). */
export interface StageError {
  stage: StageName
  code: string
  message: string
  retryable: boolean
  /** Seconds the remote asked us to wait (Retry-After), when it said so. */
  retryAfterSeconds?: number
  /** HTTP status when the failure came from a response. */
  status?: number
  cause?: unknown
}

export function stageError(stage: StageName, code: string, message: string, extra: Partial<StageError> = {}): StageError {
  return { stage, code, message, retryable: false, ...extra }
}
