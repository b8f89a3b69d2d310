/** `--name` as a whole number ≥ min (`10_000` and `10,000` accepted), else `dflt`; exits 2 with a message on anything else. */
export function int(name: string, v: string | undefined, dflt: number, min = 0): number {
  if (v === undefined) return dflt
  const n = Number(v.replace(/[_,]/g, ''))
  if (!Number.isInteger(n) || n < min) { console.error(`bench: --${name}: expected a whole number ≥ ${min}, got "${v}"`); process.exit(2) }
  return n
}
