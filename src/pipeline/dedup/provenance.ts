/**
 * Provenance inside one duplicate group: which member is the original, and what each member changed
 * against it. The original is chosen on evidence, strongest first: a canonical link to another
 * member, an explicit credit in the text ("originally published by …", "… is pleased to share this
 * report"), the earliest publication date, and last the order in which we saw them.
 *
 * Changes are compared sentence by sentence after repairing mojibake and folding case, punctuation and
 * spacing (the same tokens as the fingerprint), so a copy decoded differently or with lost spaces is
 * not reported as rewritten; a sentence counts as kept when most of its words are in one sentence (or
 * two adjacent sentences) of the other text. Out-of-script runs (a spam brand in Han characters in an
 * English text) are reported as injections, not as changed sentences.
 */
import type { IsoDate } from '../../domain/types.js'
import { fixText } from '../decode/fix-text.js'
import { findForeignRuns, foreignFamilies, profileScripts } from '../clean/clean-body-scripts.js'
import { tokens } from './shingles.js'

export interface ProvenanceMember {
  id: string
  title: string
  text: string
  published: IsoDate | null
  url: string | null
  canonicalUrl: string | null
  sourceTitle?: string | null
  sourceHost?: string | null
}

/** What a member says about its own origin, reduced to what choosing the original needs. */
export interface MemberEvidence {
  id: string
  /** Milliseconds since the epoch, or null when unknown or unparseable. */
  published: number | null
  url: string | null
  host: string | null
  canonical: string | null
  canonicalHost: string | null
  /** The words that credit another publisher, shortened for display, or null. */
  credit: string | null
}

export interface OriginalChoice {
  original: string
  reasons: string[]
}

// ——— evidence ———

/** Reduces a member to its evidence; kept apart so a stream can hold evidence instead of texts. */
export function evidenceOf(m: ProvenanceMember): MemberEvidence {
  const url = urlKey(m.url)
  const canonical = urlKey(m.canonicalUrl)
  const t = m.published ? Date.parse(m.published) : NaN
  return {
    id: m.id,
    published: Number.isFinite(t) ? t : null,
    url,
    host: hostKey(m.sourceHost ?? null) ?? hostOf(url),
    canonical,
    canonicalHost: hostOf(canonical),
    credit: findCredit(m.text, { sourceTitle: m.sourceTitle ?? null }),
  }
}

/** The original of a duplicate group and the evidence for it (see `chooseOriginal`). */
export function pickOriginal(members: readonly ProvenanceMember[]): OriginalChoice {
  return chooseOriginal(members.map(evidenceOf))
}

/**
 * Each kind of evidence rules members out as copies, strongest first; a kind that would rule out
 * every remaining member says nothing about them and is skipped. Members are in the order seen.
 */
export function chooseOriginal(members: readonly MemberEvidence[]): OriginalChoice {
  if (members.length === 0) throw new Error('provenance: chooseOriginal needs at least one member')
  const reasons: string[] = []
  let left = [...members]

  const byCanonical = new Map<string, string>()
  for (const m of left) {
    const why = canonicalCopy(m, members)
    if (why) byCanonical.set(m.id, why)
  }
  left = narrow(left, (m) => !byCanonical.has(m.id), () => {
    for (const [, why] of byCanonical) reasons.push(why)
  })

  left = narrow(left, (m) => m.credit === null, () => {
    for (const m of members) if (m.credit !== null && !byCanonical.has(m.id)) reasons.push(`${m.id} credits another publisher: '${m.credit}'`)
  })

  if (left.length > 1) {
    const dated = left.filter((m) => m.published !== null)
    if (dated.length > 0) {
      let first = dated[0]!
      for (const m of dated) if (m.published! < first.published!) first = m
      const others = left.filter((m) => m !== first)
      reasons.push(`earliest published (${new Date(first.published!).toISOString()}${others.length ? `, before ${others.map((m) => m.id).join(', ')}` : ''})`)
      return { original: first.id, reasons }
    }
    reasons.push('first seen (no canonical link, credit or publication date tells them apart)')
  }
  if (left.length === 1 && reasons.length === 0 && members.length > 1) reasons.push('first seen')
  return { original: left[0]!.id, reasons }
}

function narrow<T>(xs: T[], keep: (x: T) => boolean, explain: () => void): T[] {
  const kept = xs.filter(keep)
  if (kept.length === 0 || kept.length === xs.length) return xs
  explain()
  return kept
}

/** Why `m`'s canonical link makes it a copy, or null: it names another member's URL or host, or another site. */
function canonicalCopy(m: MemberEvidence, all: readonly MemberEvidence[]): string | null {
  if (!m.canonical || m.canonical === m.url) return null
  const target = all.find((o) => o !== m && o.url !== null && o.url === m.canonical)
  if (target) return `canonical link of ${m.id} points to ${target.id} (${m.canonical})`
  if (!m.canonicalHost || m.canonicalHost === m.host) return null
  const sameHost = all.find((o) => o !== m && o.host !== null && o.host === m.canonicalHost)
  if (sameHost) return `canonical link of ${m.id} points to ${sameHost.id}'s site (${m.canonical})`
  // Without our own host we cannot tell a link elsewhere from a link to ourselves.
  if (m.host === null) return null
  return `canonical link of ${m.id} points elsewhere (${m.canonical})`
}

function urlKey(u: string | null): string | null {
  if (!u) return null
  try {
    const x = new URL(u)
    const host = hostKey(x.hostname)
    const path = x.pathname.replace(/\/+$/, '') || '/'
    return `${host}${path}${x.search}`
  } catch {
    return null
  }
}

function hostKey(h: string | null): string | null {
  if (!h) return null
  return h.toLowerCase().replace(/^www\d?\./, '').replace(/\.$/, '') || null
}

function hostOf(key: string | null): string | null {
  if (!key) return null
  const slash = key.indexOf('/')
  return slash === -1 ? key : key.slice(0, slash)
}

// ——— credits ———

const WORK = String.raw`(?:article|story|report|piece|essay|post|column|commentary|analysis|op-?ed|interview|content|paper|study|brief|feature|version)`
// Whole-sentence patterns: each names the text itself as coming from elsewhere, wherever it stands.
const CREDIT_ANYWHERE: RegExp[] = [
  new RegExp(String.raw`\b(?:is|are|am)\s+(?:very\s+)?(?:pleased|proud|delighted|happy|honou?red|glad|thrilled|excited)\s+to\s+(?:share|amplify|republish|reprint|repost|feature|carry|syndicate|cross-?post)\b[^.!?\n]{0,160}?\b(?:this|these|the\s+following)\s+${WORK}s?\b`, 'iu'),
  new RegExp(String.raw`\b(?:this|the\s+following)\s+${WORK}\s+(?:was|is|has\s+been|had\s+been)\s+(?:originally|first)\b`, 'iu'),
  new RegExp(String.raw`\b(?:this|the\s+following)\s+${WORK}\s+(?:is\s+|appears\s+|comes\s+)?(?:here\s+)?(?:courtesy\s+of|via)\s`, 'iu'),
  /\bappeared\s+first\s+on\b/iu,
  /\b(?:republished|reprinted|reproduced|reposted|syndicated|cross-?posted)\s+(?:here\s+)?(?:from|courtesy\s+of)\s/iu,
]
// Patterns that must open the sentence: inside a report, "first published in 2019" or "via the
// highway" is news, not a credit line.
const CREDIT_OPENING: Array<{ re: RegExp; maxWords: number }> = [
  { re: new RegExp(String.raw`^(?:an?\s+(?:earlier\s+|shorter\s+|longer\s+)?version\s+of\s+)?this\s+${WORK}\b[^.!?]{0,60}?\s+(?:was\s+|is\s+|has\s+been\s+)?(?:originally|first)\s+(?:published|posted|appeared|ran|printed|aired)\b[^.!?]{0,60}?\b(?:by|on|in|at)\s`, 'iu'), maxWords: 60 },
  // Without "this article" in front, only a short credit line: "First published in 1998, the guide
  // has sold …" is news.
  { re: /^(?:originally|first)\s+(?:published|posted|appeared|ran|printed|aired)\b[^.!?]{0,60}?\b(?:by|on|in|at)\s/iu, maxWords: 12 },
  { re: /^the\s+post\s+.{1,200}?\s+appeared\s+first\s+(?:on|in)\s/iu, maxWords: 60 },
  // "Via X." / "Courtesy of X" / "This story comes to us via X": a credit line, so a short one.
  { re: /^(?:(?:[Tt]his\s+)?(?:[Aa]rticle|[Ss]tory|[Rr]eport|[Pp]ost|[Pp]iece|[Tt]ext|[Cc]ontent)\s+(?:comes\s+|is\s+)?(?:to\s+(?:us|you)\s+)?)?(?:[Vv]ia|[Cc]ourtesy\s+of)\s+(?:[Tt]he\s+)?[\p{Lu}\p{N}]/u, maxWords: 12 },
  { re: /^(?:republished|reprinted|reproduced|reposted|published|used|shared)\s+(?:here\s+)?(?:with|by)\s+(?:the\s+)?(?:kind\s+)?permission\b/iu, maxWords: 30 },
]
// "… used with permission" closing a credit line.
const PERMISSION = /\b(?:republished|reprinted|reproduced|reposted|used|shared)\s+(?:here\s+)?(?:with|by)\s+(?:the\s+)?(?:kind\s+)?permission\b/iu
// A photo or video credit says where the picture came from, not the text.
const PICTURE = /\b(?:photo|photos|photograph|image|images|picture|pictures|video|footage|illustration|graphic|graphics|map|chart|getty|shutterstock|afp|file)\b/iu

/**
 * The words in the opening or closing paragraphs that credit another publisher with the text, shortened
 * for display, or null. A credit naming `sourceTitle` is the publisher speaking of itself and is ignored.
 */
export function findCredit(text: string, opts: { sourceTitle?: string | null } = {}): string | null {
  const self = opts.sourceTitle ? opts.sourceTitle.trim().toLowerCase() : ''
  for (const para of creditWindow(text)) {
    for (const sentence of splitSentences(para)) {
      const s = sentence.replace(/^[\s*_(\[—–•·-]+/u, '')
      const hit = matchCredit(s)
      if (!hit) continue
      if (self && s.slice(hit.index).toLowerCase().includes(self) && !/pleased|proud|delighted|happy|honou?red|glad|thrilled|excited/i.test(hit.text)) continue
      return shorten(hit.text)
    }
  }
  return null
}

function matchCredit(s: string): { text: string; index: number } | null {
  for (const re of CREDIT_ANYWHERE) {
    const m = re.exec(s)
    if (m) return { text: m[0], index: m.index }
  }
  if (PICTURE.test(s)) return null
  const words = wordCount(s)
  for (const { re, maxWords } of CREDIT_OPENING) {
    const m = words <= maxWords ? re.exec(s) : null
    if (m) return { text: m[0], index: m.index }
  }
  const m = PERMISSION.exec(s)
  return m && words <= 25 ? { text: m[0], index: m.index } : null
}

/** The first and last paragraphs: up to three with some prose each (short lines in between are read too). */
function creditWindow(text: string): string[] {
  const paras = text.split(/\n+/).map((p) => p.trim()).filter(Boolean)
  const pick = new Set<number>()
  const walk = (from: number, step: number) => {
    let prose = 0
    for (let i = from, seen = 0; i >= 0 && i < paras.length && prose < 3 && seen < 12; i += step, seen++) {
      pick.add(i)
      if (wordCount(paras[i]!) >= 6) prose++
    }
  }
  walk(0, 1)
  walk(paras.length - 1, -1)
  return [...pick].sort((a, b) => a - b).map((i) => paras[i]!)
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length
}

/** A long match as its first four and last three words, so the reason stays one short line. */
function shorten(s: string): string {
  const words = s.trim().split(/\s+/)
  return words.length <= 8 ? words.join(' ') : `${words.slice(0, 4).join(' ')} … ${words.slice(-3).join(' ')}`
}

// ——— changes ———

export const MAX_LISTED = 20
const KEPT = 0.8
const MAX_SHOWN_CHARS = 240

export interface MemberChanges {
  /** Sentences this member has that the other side lacks (at most MAX_LISTED, distinct). */
  added: string[]
  addedCount: number
  /** Sentences of the other side this member lacks, a cut ending aside. */
  removed: string[]
  removedCount: number
  /** The copy stops early: the original's last `truncatedCount` sentences are missing. */
  truncated: boolean
  truncatedCount: number
  /** Out-of-script runs (a spam brand, say) in this member and not in the other side. */
  injected: string[]
  injectedCount: number
  titleChanged: { from: string; to: string } | null
  /** Share of the original's sentences this member kept (for the original: found in some copy). */
  shared: number
}

interface Sentence { text: string; key: string; toks: string[]; injectedOnly: boolean }
interface Prepared { title: string; titleKey: string; sentences: Sentence[]; vocab: Set<string>; runs: string[]; fixed: string }
/** A sentence with its token set as compared against one other text. */
interface Aligned extends Sentence { set: Set<string> }

/** What `copy` changed against `original`. */
export function compareToOriginal(pair: { original: Pick<ProvenanceMember, 'title' | 'text'>; copy: Pick<ProvenanceMember, 'title' | 'text'> }): MemberChanges {
  return compare(prepare(pair.original), prepare(pair.copy))
}

export interface MemberReport {
  id: string
  role: 'original' | 'copy'
  changes: MemberChanges
}

export interface GroupChanges extends OriginalChoice {
  members: MemberReport[]
}

/**
 * Every member's changes, the original's included: for a copy, what it added and removed against the
 * original; for the original, what it has that no copy has (an injected token, navigation residue)
 * and, when two or more copies agree on a sentence it lacks, that sentence as removed. With one copy
 * there is no telling which side dropped a sentence, so the original's `removed` stays empty.
 */
export function changesOf(group: { members: readonly ProvenanceMember[]; original?: string }): GroupChanges {
  const choice = group.original !== undefined && group.members.some((m) => m.id === group.original)
    ? { original: group.original, reasons: ['chosen by the caller'] }
    : pickOriginal(group.members)
  const prepared = new Map(group.members.map((m) => [m.id, prepare(m)]))
  const orig = prepared.get(choice.original)!
  const copies = group.members.filter((m) => m.id !== choice.original).map((m) => prepared.get(m.id)!)
  const members: MemberReport[] = group.members.map((m) => m.id === choice.original
    ? { id: m.id, role: 'original' as const, changes: originalChanges(orig, copies) }
    : { id: m.id, role: 'copy' as const, changes: compare(orig, prepared.get(m.id)!) })
  return { ...choice, members }
}

function compare(orig: Prepared, copy: Prepared): MemberChanges {
  const p = align(orig, copy)
  const added = p.b.filter((s) => !s.injectedOnly && !present(s, p.indexA))
  const keptFlags = p.a.map((s) => s.injectedOnly || present(s, p.indexB))
  let tail = 0
  for (let i = p.a.length - 1; i >= 0 && !keptFlags[i]; i--) tail++
  const truncated = tail >= 2 && keptFlags.some(Boolean)
  const cut = truncated ? p.a.length - tail : p.a.length
  const removed = p.a.slice(0, cut).filter((s, i) => !keptFlags[i])
  const real = p.a.filter((s) => !s.injectedOnly)
  const kept = p.a.filter((s, i) => !s.injectedOnly && keptFlags[i]).length
  const injected = copy.runs.filter((r) => !orig.fixed.includes(r))
  return {
    ...listed('added', added),
    ...listed('removed', removed),
    truncated,
    truncatedCount: truncated ? tail : 0,
    ...listedRuns(injected),
    titleChanged: copy.titleKey !== orig.titleKey ? { from: orig.title, to: copy.title } : null,
    shared: real.length ? round(kept / real.length) : 1,
  }
}

function originalChanges(orig: Prepared, copies: readonly Prepared[]): MemberChanges {
  if (copies.length === 0) return { ...listed('added', []), ...listed('removed', []), truncated: false, truncatedCount: 0, ...listedRuns([]), titleChanged: null, shared: 1 }
  const pairs = copies.map((c) => align(orig, c))
  const real = orig.sentences.map((s, i) => i).filter((i) => !orig.sentences[i]!.injectedOnly)
  const inSome = real.map((i) => pairs.some((p) => present(p.a[i]!, p.indexB)))
  const added = real.filter((_, k) => !inSome[k]).map((i) => orig.sentences[i]!)
  const removed: Sentence[] = []
  if (copies.length >= 2) {
    // A sentence every copy has and the original lacks; copies are compared with each other through
    // the first one's sentences, aligned against each of the others in turn.
    const seen = new Set<string>()
    const first = pairs[0]!
    const peers = copies.slice(1).map((c) => align(copies[0]!, c))
    first.b.forEach((s, i) => {
      if (s.injectedOnly || seen.has(s.key) || present(s, first.indexA)) return
      if (peers.every((q) => present(q.a[i]!, q.indexB))) { removed.push(s); seen.add(s.key) }
    })
  }
  const injected = orig.runs.filter((r) => copies.every((c) => !c.fixed.includes(r)))
  return {
    ...listed('added', added),
    ...listed('removed', removed),
    truncated: false,
    truncatedCount: 0,
    ...listedRuns(injected),
    titleChanged: null,
    shared: real.length ? round(inSome.filter(Boolean).length / real.length) : 1,
  }
}

function listed<K extends 'added' | 'removed'>(k: K, xs: readonly Sentence[]): Record<K, string[]> & Record<`${K}Count`, number> {
  const shown: string[] = []
  const keys = new Set<string>()
  for (const s of xs) {
    if (keys.has(s.key)) continue
    keys.add(s.key)
    if (shown.length < MAX_LISTED) shown.push(s.text.length > MAX_SHOWN_CHARS ? `${s.text.slice(0, MAX_SHOWN_CHARS - 1)}…` : s.text)
  }
  return { [k]: shown, [`${k}Count`]: xs.length } as Record<K, string[]> & Record<`${K}Count`, number>
}

function listedRuns(runs: readonly string[]): { injected: string[]; injectedCount: number } {
  return { injected: [...new Set(runs)].slice(0, MAX_LISTED), injectedCount: runs.length }
}

const round = (x: number) => Math.round(x * 1000) / 1000

function prepare(m: Pick<ProvenanceMember, 'title' | 'text'>): Prepared {
  const fixed = fixText(m.text).text
  const title = fixText(m.title).text.trim()
  const paras = fixed.split(/\n+/).map((p) => p.trim()).filter(Boolean)
  const families = foreignFamilies(profileScripts([fixed]), null)
  const runs: string[] = []
  const sentences: Sentence[] = []
  for (const para of paras) {
    const paraRuns = findForeignRuns(para, families).map((r) => r.text)
    runs.push(...paraRuns)
    for (const raw of splitSentences(para)) {
      const text = raw.replace(/^[\s•·▪◦*–—-]+/u, '').trim()
      const toks = tokens(text)
      if (toks.length === 0) continue
      let rest = text
      for (const r of paraRuns) rest = rest.split(r).join(' ')
      sentences.push({ text, key: toks.join(' '), toks, injectedOnly: paraRuns.length > 0 && tokens(rest).length === 0 })
    }
  }
  const vocab = new Set<string>()
  for (const x of sentences) for (const t of x.toks) vocab.add(t)
  return { title, titleKey: tokens(title).join(' '), sentences, vocab, runs, fixed }
}

const SENTENCE_END = /(?<=[.!?…]["'”’)\]]*)\s+(?=["'“‘(\[]?[\p{Lu}\p{N}])|(?<=[。！？])/u

export function splitSentences(paragraph: string): string[] {
  return paragraph.split(SENTENCE_END).map((s) => s.trim()).filter(Boolean)
}

/**
 * Two texts' sentences as token sets, each split against the other's words: a token the other text
 * lacks that is two of its words run together ("isthe", lost spaces around a link) becomes those two.
 */
function align(a: Prepared, b: Prepared): { a: Aligned[]; b: Aligned[]; indexA: UnitIndex; indexB: UnitIndex } {
  const aa = a.sentences.map((s) => alignOne(s, b.vocab))
  const bb = b.sentences.map((s) => alignOne(s, a.vocab))
  return { a: aa, b: bb, indexA: indexUnits(aa), indexB: indexUnits(bb) }
}

function alignOne(s: Sentence, vocab: ReadonlySet<string>): Aligned {
  const set = new Set<string>()
  for (const t of s.toks) {
    if (vocab.has(t) || t.length < 4) { set.add(t); continue }
    let split: [string, string] | null = null
    for (let i = 1; i < t.length && !split; i++) if (vocab.has(t.slice(0, i)) && vocab.has(t.slice(i))) split = [t.slice(0, i), t.slice(i)]
    if (split) { set.add(split[0]); set.add(split[1]) } else set.add(t)
  }
  return { ...s, set }
}

/** The other text's sentences and adjacent pairs (one side may have split what the other joined). */
interface UnitIndex { sizes: number[]; byToken: Map<string, number[]> }

function indexUnits(sentences: readonly Aligned[]): UnitIndex {
  const sizes: number[] = []
  const byToken = new Map<string, number[]>()
  const add = (toks: Set<string>) => {
    const u = sizes.length
    sizes.push(toks.size)
    for (const t of toks) {
      const list = byToken.get(t)
      if (list) list.push(u)
      else byToken.set(t, [u])
    }
  }
  const real = sentences.filter((s) => !s.injectedOnly)
  for (let i = 0; i < real.length; i++) {
    add(real[i]!.set)
    if (i + 1 < real.length) add(new Set([...real[i]!.set, ...real[i + 1]!.set]))
  }
  return { sizes, byToken }
}

/** Whether most of the sentence's words are in one unit of the other text, and most of that unit's in it. */
function present(s: Aligned, index: UnitIndex): boolean {
  const counts = new Map<number, number>()
  for (const t of s.set) for (const u of index.byToken.get(t) ?? []) counts.set(u, (counts.get(u) ?? 0) + 1)
  for (const [u, n] of counts) if (n / Math.max(s.set.size, index.sizes[u]!) >= KEPT) return true
  return false
}
