/** Progress for long operations: a live line on a terminal, nothing in between otherwise; a summary always. */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const live = stream.isTTY === true
  let last = 0
  return {
    update(done: number, total: number, detail = '') {
      if (!live) return
      const now = Date.now()
      if (done < total && now - last < 80) return
      last = now
      const width = 24
      const filled = total ? Math.round((done / total) * width) : width
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${detail}`
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 100) - 1)}`)
    },
    /** A line that stays (e.g. a failure), printed above the live line. */
    note(text: string) {
      stream.write(live ? `\r\x1b[2K${text}\n` : `${text}\n`)
    },
    done(summary: string) {
      stream.write(live ? `\r\x1b[2K${summary}\n` : `${summary}\n`)
    },
  }
}
