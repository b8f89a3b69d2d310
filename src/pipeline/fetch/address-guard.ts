/**
 * SSRF guard: which addresses the fetcher may connect to. A feed URL is user input, so without this a
 * subscription to `http://169.254.169.254/` or `http://localhost:5432/` would turn the server into a proxy
 * into its own network. The fetcher checks the addresses DNS actually returned, not the hostname.
 */

type V4Range = readonly [base: number, prefix: number]

const v4 = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0

/** Every IPv4 block that is not ordinary global unicast (IANA special-purpose registry, trimmed). */
const PRIVATE_V4: readonly V4Range[] = [
  [v4(0, 0, 0, 0), 8], // "this network", includes 0.0.0.0
  [v4(10, 0, 0, 0), 8],
  [v4(100, 64, 0, 0), 10], // CGNAT
  [v4(127, 0, 0, 0), 8],
  [v4(169, 254, 0, 0), 16], // link-local, cloud metadata endpoints live here
  [v4(172, 16, 0, 0), 12],
  [v4(192, 0, 0, 0), 24], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24], // TEST-NET-1
  [v4(192, 88, 99, 0), 24], // 6to4 relay anycast
  [v4(192, 168, 0, 0), 16],
  [v4(198, 18, 0, 0), 15], // benchmarking
  [v4(198, 51, 100, 0), 24], // TEST-NET-2
  [v4(203, 0, 113, 0), 24], // TEST-NET-3
  [v4(224, 0, 0, 0), 4], // multicast
  [v4(240, 0, 0, 0), 4], // reserved, includes 255.255.255.255 broadcast
]

function inV4Range(addr: number, [base, prefix]: V4Range): boolean {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0
  return ((addr & mask) >>> 0) === base
}

const isPrivateV4 = (addr: number): boolean => PRIVATE_V4.some((r) => inV4Range(addr, r))

/**
 * IPv4 as inet_aton (and the WHATWG URL parser) read it: 1–4 parts, each decimal, 0x-hex or 0-octal, the
 * last part filling the remaining bytes. So `127.1`, `0x7f.0.0.1`, `0177.0.0.1` and `2130706433` are all
 * 127.0.0.1; a guard that only knew dotted quads would let them through.
 */
function parseIPv4(s: string): number | null {
  const parts = s.split('.')
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop() // trailing dot
  if (parts.length < 1 || parts.length > 4) return null
  const nums: number[] = []
  for (const p of parts) {
    let n: number
    if (/^0x[0-9a-f]*$/i.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16)
    else if (/^0[0-7]+$/.test(p)) n = parseInt(p.slice(1), 8)
    else if (/^(0|[1-9][0-9]*)$/.test(p)) n = Number(p)
    else return null
    nums.push(n)
  }
  const last = nums.pop()!
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null
  return nums.reduce((acc, n, i) => acc + n * 256 ** (3 - i), 0) + last
}

/** Strict dotted quad, the only IPv4 form allowed at the end of an IPv6 address. */
function parseDottedQuad(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s)
  if (!m) return null
  const b = m.slice(1).map(Number)
  return b.every((x) => x <= 255) ? v4(b[0]!, b[1]!, b[2]!, b[3]!) : null
}

/** IPv6 text → eight 16-bit groups. Accepts brackets, a zone id and a trailing dotted quad. */
function parseIPv6(input: string): number[] | null {
  let s = input
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1)
  const zone = s.indexOf('%')
  if (zone >= 0) s = s.slice(0, zone)
  if (!s.includes(':')) return null
  const halves = s.split('::')
  if (halves.length > 2) return null
  const groups = (part: string, v4Allowed: boolean): number[] | null => {
    if (part === '') return []
    const out: number[] = []
    const pieces = part.split(':')
    for (const [i, p] of pieces.entries()) {
      if (v4Allowed && i === pieces.length - 1 && p.includes('.')) {
        const q = parseDottedQuad(p)
        if (q === null) return null
        out.push(q >>> 16, q & 0xffff)
      } else if (/^[0-9a-f]{1,4}$/i.test(p)) out.push(parseInt(p, 16))
      else return null
    }
    return out
  }
  if (halves.length === 1) {
    const all = groups(halves[0]!, true)
    return all && all.length === 8 ? all : null
  }
  const head = groups(halves[0]!, false)
  const tail = groups(halves[1]!, true)
  if (!head || !tail) return null
  const fill = 8 - head.length - tail.length
  if (fill < 1) return null
  return [...head, ...new Array<number>(fill).fill(0), ...tail]
}

function isPrivateV6(g: number[]): boolean {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number]
  const tailV4 = ((g6 << 16) | g7) >>> 0
  const zeros = (n: number): boolean => g.slice(0, n).every((x) => x === 0)
  // Forms that carry an IPv4 address: judge the IPv4 address. `::` and `::1` land here as 0.0.0.0/0.0.0.1.
  if (zeros(5) && g5 === 0xffff) return isPrivateV4(tailV4) // ::ffff:a.b.c.d, mapped
  if (zeros(6)) return isPrivateV4(tailV4) // ::a.b.c.d, compatible (deprecated)
  if (zeros(4) && g4 === 0xffff && g5 === 0) return isPrivateV4(tailV4) // ::ffff:0:a.b.c.d, translated
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isPrivateV4(tailV4) // NAT64
  if (g0 === 0x2002) return isPrivateV4(((g1 << 16) | g2) >>> 0) // 6to4
  if (g0 === 0x2001 && g1 === 0) return isPrivateV4(~tailV4 >>> 0) // Teredo: client address stored inverted
  if (g0 === 0x2001 && g1 === 0x0db8) return true // documentation
  if (g0 === 0x2001 && g1 === 0x0002 && g2 === 0) return true // benchmarking
  // Only 2000::/3 is global unicast; the rest is unique-local, link-local, multicast, reserved, discard…
  return (g0 & 0xe000) !== 0x2000
}

/**
 * True when `ip` is not an ordinary public address (loopback, private, link-local, CGNAT, unique-local,
 * multicast, reserved, documentation, or IPv6 wrapping any of those). Anything that does not parse as an
 * address counts as private: the guard fails closed.
 */
export function isPrivateAddress(ip: string): boolean {
  const s = ip.trim()
  const a4 = parseIPv4(s)
  if (a4 !== null) return isPrivateV4(a4)
  const a6 = parseIPv6(s)
  if (a6 !== null) return isPrivateV6(a6)
  return true
}

/** Lower-case, no brackets or trailing dot, IDN as punycode, IP literals in canonical form. */
function normalizeHost(host: string): string {
  const s = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  try {
    return new URL(`http://${s.includes(':') ? `[${s}]` : s}/`).hostname.replace(/^\[(.*)\]$/, '$1')
  } catch {
    return s
  }
}

/** `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address. */
function splitEntry(entry: string): { host: string; port: string | null } | null {
  const e = entry.trim()
  if (e === '') return null
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(e)
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? null }
  const colons = e.split(':').length - 1
  if (colons === 0) return { host: e, port: null }
  if (colons > 1) return { host: e, port: null } // bare IPv6
  const [host, port] = e.split(':') as [string, string]
  return /^\d+$/.test(port) ? { host, port } : null
}

/**
 * Whether the operator allowed this host to resolve privately. Entries are `hostname` (any port) or
 * `hostname:port`; `port` is the effective port of the request (`80`/`443` when the URL gives none).
 */
export function isAllowedHost(host: string, port: string, allowHosts: readonly string[]): boolean {
  const h = normalizeHost(host)
  return allowHosts.some((entry) => {
    const e = splitEntry(entry)
    return e !== null && normalizeHost(e.host) === h && (e.port === null || Number(e.port) === Number(port))
  })
}
