import { readdirSync, readFileSync } from 'node:fs'

/** VmRSS and VmHWM (peak) of a process in bytes, from /proc; null when it is gone or not Linux. */
export function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
    return { rss: kb('VmRSS'), peak: kb('VmHWM') }
  } catch {
    return null
  }
}

/** User + system CPU seconds a process has used so far. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of the full line (11 and 12 after the name), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/** Machine-wide CPU counters; `busyShare(a, b)` is the share of all cores busy between two readings. */
export function machineCpu(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    const idle = (line[3] ?? 0) + (line[4] ?? 0)
    const total = line.reduce((a, b) => a + b, 0)
    return { busy: total - idle, total }
  } catch {
    return { busy: 0, total: 0 }
  }
}

export const busyShare = (a: { busy: number; total: number }, b: { busy: number; total: number }) =>
  b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : NaN

export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`

/** Pids whose command line contains `needle` (Postgres backends name their database in theirs). */
export function pidsMatching(needle: string): number[] {
  const out: number[] = []
  let entries: string[] = []
  try { entries = readdirSync('/proc') } catch { return out }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue
    try { if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle)) out.push(Number(e)) } catch { /* gone */ }
  }
  return out
}

/**
 * CPU seconds used by a changing set of processes since `start()`: a process first seen after the start
 * counts from zero (it began inside the window), one that ends keeps its last reading.
 */
export class CpuTally {
  private readonly seen = new Map<number, { base: number; last: number }>()
  private started = false
  private machineStart = machineCpu()

  sample(pids: number[]): void {
    for (const pid of pids) {
      const now = cpuSecondsOf(pid)
      if (now === null) continue
      const s = this.seen.get(pid)
      if (s) s.last = now
      else this.seen.set(pid, { base: this.started ? 0 : now, last: now })
    }
  }

  start(pids: number[]): void {
    this.seen.clear()
    this.sample(pids)
    this.started = true
    this.machineStart = machineCpu()
  }

  /** Ours and the whole machine's busy CPU seconds since start(). */
  read(): { ours: number; machine: number } {
    let ours = 0
    for (const s of this.seen.values()) ours += s.last - s.base
    const m = machineCpu()
    return { ours, machine: (m.busy - this.machineStart.busy) / 100 }
  }
}
