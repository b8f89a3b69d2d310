/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line is a HELP, a
 * TYPE or a sample; each sample belongs to a family declared by TYPE before it (histograms' _bucket,
 * _sum and _count included); label values are unescaped; histogram buckets are cumulative and end
 * with `+Inf` equal to `_count`. Throws on anything else.
 */
export interface Sample { name: string; labels: Record<string, string>; value: number }
export interface Exposition { types: Map<string, string>; help: Map<string, string>; samples: Sample[] }

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

export function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('exposition: must end with a newline')
  const types = new Map<string, string>()
  const help = new Map<string, string>()
  const samples: Sample[] = []
  const seen = new Set<string>()
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${i + 1}: ${line}`
    if (line.startsWith('# HELP ')) {
      const m = /^# HELP (\S+) (.*)$/.exec(line)
      if (!m || !NAME.test(m[1]!)) throw new Error(`exposition: bad HELP at ${where}`)
      help.set(m[1]!, m[2]!)
      continue
    }
    if (line.startsWith('# TYPE ')) {
      const m = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line)
      if (!m || !NAME.test(m[1]!)) throw new Error(`exposition: bad TYPE at ${where}`)
      if (types.has(m[1]!)) throw new Error(`exposition: TYPE given twice at ${where}`)
      types.set(m[1]!, m[2]!)
      continue
    }
    if (line.startsWith('#') || line === '') throw new Error(`exposition: unexpected line at ${where}`)
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line)
    if (!m) throw new Error(`exposition: bad sample at ${where}`)
    const name = m[1]!
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '')
    if (!types.has(family) || (family !== name && types.get(family) !== 'histogram' && types.get(family) !== 'summary')) {
      throw new Error(`exposition: sample of an undeclared family at ${where}`)
    }
    const labels = parseLabels(m[3] ?? '', where)
    const value = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4])
    if (Number.isNaN(value) && m[4] !== 'NaN') throw new Error(`exposition: bad value at ${where}`)
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`
    if (seen.has(key)) throw new Error(`exposition: series given twice at ${where}`)
    seen.add(key)
    samples.push({ name, labels, value })
  }
  checkHistograms(types, samples)
  return { types, help, samples }
}

function parseLabels(raw: string, where: string): Record<string, string> {
  const out: Record<string, string> = {}
  let rest = raw
  while (rest.length > 0) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/.exec(rest)
    if (!m) throw new Error(`exposition: bad labels at ${where}`)
    out[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
    rest = rest.slice(m[0].length)
  }
  return out
}

function checkHistograms(types: Map<string, string>, samples: Sample[]): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue
    const series = new Map<string, Sample[]>()
    for (const s of samples.filter((x) => x.name === `${family}_bucket`)) {
      const { le, ...rest } = s.labels
      if (le === undefined) throw new Error(`exposition: ${family} bucket without le`)
      const k = JSON.stringify(Object.entries(rest).sort())
      series.set(k, [...(series.get(k) ?? []), s])
    }
    for (const [k, buckets] of series) {
      const values = buckets.map((b) => b.value)
      if (values.some((v, i) => i > 0 && v < values[i - 1]!)) throw new Error(`exposition: ${family} buckets not cumulative`)
      if (buckets[buckets.length - 1]!.labels['le'] !== '+Inf') throw new Error(`exposition: ${family} has no +Inf bucket`)
      const count = samples.find((s) => s.name === `${family}_count` && JSON.stringify(Object.entries(s.labels).sort()) === k)
      if (!count || count.value !== values[values.length - 1]) throw new Error(`exposition: ${family}_count differs from its +Inf bucket`)
    }
  }
}

/** The value of the series with exactly these labels, or undefined. */
export function sample(e: Exposition, name: string, labels: Record<string, string>): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort())
  return e.samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === want)?.value
}
