/**
 * The dedup and cluster stages together, streaming: each article is first looked up as a copy of
 * one seen before (a copy always belongs to its original's story), else placed in a story by
 * content. Used by `tidings cluster --jsonl`, the evaluation and the benchmark.
 */
import { DedupIndex, fingerprint, type DuplicatePolicy } from '../dedup/dedup-index.js'
import { StoryClusterer, type ClusterPolicy, DEFAULT_CLUSTER_POLICY } from './story-clusterer.js'

export interface StreamArticle {
  id: string
  title: string
  text: string
  /** Milliseconds since the epoch, or null. */
  time: number | null
}

export interface StreamDecision {
  id: string
  story: string
  /** The article this one copies (the first of its duplicate group seen), or null. */
  duplicateOf: string | null
  similarity: number
}

export class ClusterStream {
  private readonly dedup: DedupIndex<string>
  private readonly stories: StoryClusterer<string, string>
  private readonly storyOf = new Map<string, string>()
  private readonly groupOf = new Map<string, string>()

  constructor(opts: { duplicates?: DuplicatePolicy; clusters?: ClusterPolicy; expected?: number } = {}) {
    this.dedup = new DedupIndex<string>(opts.duplicates, opts.expected)
    this.stories = new StoryClusterer<string, string>((first) => first, opts.clusters ?? DEFAULT_CLUSTER_POLICY)
  }

  /**
   * Puts back an article whose decision was made before (stored, or an operator's): it is indexed
   * as a possible original and joins the given story, without being placed again. Used to rebuild
   * the in-memory state from the store at start-up and after an operator splits or merges.
   */
  restore(a: StreamArticle, decision: { story: string; duplicateOf: string | null }): void {
    this.dedup.add(a.id, fingerprint(`${a.title}\n${a.text}`))
    if (decision.duplicateOf !== null) this.groupOf.set(a.id, this.groupOf.get(decision.duplicateOf) ?? decision.duplicateOf)
    this.stories.add({ key: a.id, title: a.title, text: a.text, time: a.time }, { forced: decision.story })
    this.storyOf.set(a.id, decision.story)
  }

  /** Why an article was placed in a story: the entities and words it shares with it. */
  explain(a: { title: string; text: string }, story: string): { entities: string[]; terms: string[] } {
    return this.stories.explain(a, story)
  }

  /** Places one article; `avoid` keeps it out of stories an operator split it from. */
  add(a: StreamArticle, opts: { avoid?: ReadonlySet<string> } = {}): StreamDecision {
    const fp = fingerprint(`${a.title}\n${a.text}`)
    const match = this.dedup.lookup(fp)
    this.dedup.add(a.id, fp)
    if (match) {
      const original = this.groupOf.get(match.key) ?? match.key
      this.groupOf.set(a.id, original)
      const forced = this.storyOf.get(original)
      const r = this.stories.add({ key: a.id, title: a.title, text: a.text, time: a.time }, forced !== undefined ? { forced } : {})
      this.storyOf.set(a.id, r.story)
      return { id: a.id, story: r.story, duplicateOf: original, similarity: match.containment }
    }
    const r = this.stories.add({ key: a.id, title: a.title, text: a.text, time: a.time }, opts.avoid ? { avoid: opts.avoid } : {})
    this.storyOf.set(a.id, r.story)
    return { id: a.id, story: r.story, duplicateOf: null, similarity: r.similarity }
  }
}
