/**
 * Runs `fn` over `items` with at most `limit` at once. A throw (a bug: expected failures are values)
 * goes to `onError` and does not stop the others.
 */
export async function eachLimited<T>(
  items: T[], limit: number, fn: (item: T) => Promise<void>, onError: (e: unknown, item: T) => void,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!
      try {
        await fn(item)
      } catch (e) {
        onError(e, item)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}
