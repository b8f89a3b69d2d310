/**
 * "Why these are grouped": the names, numbers, phrases and words that most of a story's articles
 * share, ranked. Built on the clusterer's own features (storyTerms), so what the page says is what
 * the clusterer compared, plus word pairs (bigrams) that read better than single words.
 */
import { storyTerms } from './story-features.js'

export interface SharedTerm {
  /** As a reader would write it ("Harbor Herald", "129", "ferry service", "pier"). */
  label: string
  kind: 'entity' | 'number' | 'phrase' | 'word'
  /** How many members carry it, and that as a share of all members (0–1). */
  members: number
  share: number
}

export interface StoryExplanation {
  memberCount: number
  entities: SharedTerm[]
  phrases: SharedTerm[]
  words: SharedTerm[]
}

export interface ExplainOptions {
  /** A term must be in at least this share of the members (and in two of them) to count (default 0.5: "most"). */
  minShare?: number
  /** How many of each kind to keep (default 8 entities and numbers, 6 phrases, 10 words). */
  limits?: { entities?: number; phrases?: number; words?: number }
}

/** Only the start of a long text is read: the shared facts of a story sit in its first paragraphs. */
const TEXT_CHARS = 4000
const KIND_ORDER = { entity: 0, number: 1, phrase: 2, word: 3 } as const

/** The same plural folding story-features applies, so a phrase's words match its word terms. */
function fold(w: string): string {
  let s = w.toLowerCase()
  if (s.length > 4 && s.endsWith('ies')) s = s.slice(0, -3) + 'y'
  else if (s.length > 3 && s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us')) s = s.slice(0, -1)
  return s
}

/** Adjacent content-word pairs ("ferry service"); a stop word, number or punctuation breaks a pair. */
function bigrams(text: string, isContent: (folded: string) => boolean, seen: Map<string, string>): Set<string> {
  const out = new Set<string>()
  for (const line of text.split(/\n+/)) {
    let prev: { key: string; raw: string } | null = null
    for (const tok of line.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*|[^\s\p{L}\p{N}]+/gu) ?? []) {
      const raw = tok.replace(/['’]s$/u, '').replace(/['’-]+$/u, '')
      const key = fold(raw)
      if (!/^\p{L}/u.test(raw) || !isContent(key)) { prev = null; continue }
      if (prev) {
        const k = `${prev.key} ${key}`
        out.add(k)
        // A pair of capitalised words keeps its capitals ("Lena Ortiz"); anything else reads in lower case.
        const form = /^\p{Lu}/u.test(prev.raw) && /^\p{Lu}/u.test(raw) ? `${prev.raw} ${raw}` : `${prev.raw} ${raw}`.toLowerCase()
        if (!seen.has(k) || seen.get(k) === seen.get(k)!.toLowerCase()) seen.set(k, form)
      }
      prev = { key, raw }
    }
  }
  return out
}

export function explainStory(members: { title: string; text: string }[], opts: ExplainOptions = {}): StoryExplanation {
  const n = members.length
  const empty: StoryExplanation = { memberCount: n, entities: [], phrases: [], words: [] }
  if (n < 2) return empty
  const need = Math.max(2, Math.ceil((opts.minShare ?? 0.5) * n))
  /** term key → members carrying it, summed weight (a tie-breaker), and written forms. */
  const count = new Map<string, { members: number; weight: number }>()
  const written = new Map<string, Map<string, number>>()
  const phraseForm = new Map<string, string>()
  const bump = (key: string, weight: number) => {
    const c = count.get(key)
    if (c) { c.members++; c.weight += weight } else count.set(key, { members: 1, weight })
  }
  for (const m of members) {
    const input = { title: m.title, text: m.text.slice(0, TEXT_CHARS) }
    const { terms, entities } = storyTerms(input)
    // Names count whole: the parts story-features adds for partial matches ("e:ortiz") would repeat them.
    const names = new Set(entities.map((e) => `e:${e.toLowerCase()}`))
    for (const [key, weight] of terms) if (!key.startsWith('e:') || names.has(key)) bump(key, weight)
    for (const e of entities) {
      const key = `e:${e.toLowerCase()}`
      const forms = written.get(key) ?? new Map<string, number>()
      forms.set(e, (forms.get(e) ?? 0) + 1)
      written.set(key, forms)
    }
    const pairs = new Set([...bigrams(input.title, (w) => terms.has(w), phraseForm), ...bigrams(input.text, (w) => terms.has(w), phraseForm)])
    for (const p of pairs) bump(`p:${p}`, 1)
  }

  const shared: (SharedTerm & { weight: number; key: string })[] = []
  for (const [key, c] of count) {
    if (c.members < need) continue
    const kind = key.startsWith('e:') ? 'entity' : key.startsWith('n:') ? 'number' : key.startsWith('p:') ? 'phrase' : 'word'
    const label = kind === 'entity'
      ? [...(written.get(key) ?? new Map([[key.slice(2), 1]]))].sort((a, b) => b[1] - a[1])[0]![0]
      : kind === 'phrase' ? phraseForm.get(key.slice(2)) ?? key.slice(2)
        : kind === 'number' ? key.slice(2) : key
    shared.push({ key, label, kind, members: c.members, share: c.members / n, weight: c.weight })
  }
  shared.sort((a, b) => b.members - a.members || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || b.weight - a.weight || a.label.localeCompare(b.label))

  // A phrase or word inside a shown name (or phrase) carried by as many members says nothing more: leave it out.
  const limits = { entities: 8, phrases: 6, words: 10, ...opts.limits }
  const inside = (part: string, whole: string) => ` ${whole.toLowerCase()} `.includes(` ${part.toLowerCase()} `)
  const named = shared.filter((t) => t.kind === 'entity' || t.kind === 'number')
  const entities = named.filter((e) => !named.some((o) => o !== e && o.kind === 'entity' && o.label.length > e.label.length && inside(e.label, o.label) && o.members >= e.members))
    .slice(0, limits.entities)
  const phrases = shared.filter((t) => t.kind === 'phrase')
    .filter((p) => !entities.some((e) => inside(p.label, e.label) && e.members >= p.members)).slice(0, limits.phrases)
  const covered = new Map<string, number>()
  for (const t of [...entities, ...phrases]) {
    for (const w of t.label.toLowerCase().split(' ')) covered.set(fold(w), Math.max(covered.get(fold(w)) ?? 0, t.members))
  }
  const words = shared.filter((t) => t.kind === 'word' && (covered.get(t.key) ?? 0) < t.members).slice(0, limits.words)
  const plain = (t: SharedTerm & { weight: number; key: string }): SharedTerm => ({ label: t.label, kind: t.kind, members: t.members, share: t.share })
  return { memberCount: n, entities: entities.map(plain), phrases: phrases.map(plain), words: words.map(plain) }
}
