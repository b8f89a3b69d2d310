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

  add(a: StreamArticle): StreamDecision {
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
    const r = this.stories.add({ key: a.id, title: a.title, text: a.text, time: a.time })
    this.storyOf.set(a.id, r.story)
    return { id: a.id, story: r.story, duplicateOf: null, similarity: r.similarity }
  }
}
