/** The one error class for HTTP handlers: mapped to JSON under /api and to an HTML page elsewhere. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'HttpError'
  }
}

/** Wraps an unexpected failure (a bug) with a module prefix so logs say where it came from. */
export function bug(module: string, message: string, cause?: unknown): Error {
  return new Error(`${module}: ${message}`, { cause })
}
