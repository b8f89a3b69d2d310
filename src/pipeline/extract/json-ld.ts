/** Reading schema.org JSON-LD the way publishers actually write it: arrays, `@graph`, `@id` references. */

import type { Element } from 'domhandler'
import { query } from './dom.js'
import { rawText } from './engine/tree.js'

export type JsonLdNode = Record<string, unknown>

export interface JsonLdGraph {
  /** Every object node, top-level and inside `@graph`, in document order. */
  nodes: JsonLdNode[]
  byId: Map<string, JsonLdNode>
}

const ARTICLE_TYPES = new Set([
  'article', 'newsarticle', 'blogposting', 'reportagenewsarticle', 'analysisnewsarticle', 'opinionnewsarticle',
  'reviewnewsarticle', 'backgroundnewsarticle', 'askpublicnewsarticle', 'liveblogposting', 'scholarlyarticle',
  'techarticle', 'report', 'socialmediaposting', 'posting',
])

const LD_SCRIPT = query('script[type="application/ld+json" i]')

/**
 * All JSON-LD blocks among the page's `<script>` elements. A block that is not valid JSON (even after the
 * usual repairs) is skipped.
 */
export function readJsonLd(scripts: readonly Element[]): JsonLdGraph {
  const nodes: JsonLdNode[] = []
  for (const script of scripts.filter(LD_SCRIPT)) {
    const data = parseLenient(rawText(script))
    if (data !== undefined) collect(data, nodes, 0)
  }
  const byId = new Map<string, JsonLdNode>()
  for (const node of nodes) {
    const id = node['@id']
    // The first full description of an id wins over later bare references ({"@id": "…"}).
    if (typeof id === 'string' && (!byId.has(id) || Object.keys(byId.get(id)!).length <= 1)) byId.set(id, node)
  }
  return { nodes, byId }
}

function parseLenient(text: string): unknown {
  const trimmed = text
    .trim()
    .replace(/^\s*(?:\/\/\s*)?<!\[CDATA\[/, '')
    .replace(/(?:\/\/\s*)?\]\]>\s*$/, '')
    .replace(/^\s*<!--/, '')
    .replace(/-->\s*$/, '')
    .trim()
  if (!trimmed) return undefined
  try {
    return JSON.parse(trimmed)
  } catch {
    return undefined
  }
}

function collect(value: unknown, out: JsonLdNode[], depth: number): void {
  if (depth > 8) return
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1)
    return
  }
  if (!isNode(value)) return
  const graph = value['@graph']
  if (graph !== undefined) collect(graph, out, depth + 1)
  // A wrapper holding only @context and @graph is not a node of its own.
  if (Object.keys(value).some((k) => k !== '@context' && k !== '@graph')) out.push(value)
}

export function isNode(value: unknown): value is JsonLdNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Lower-cased local type names: `"http://schema.org/NewsArticle"` → `newsarticle`. */
export function typesOf(node: JsonLdNode): string[] {
  const t = node['@type']
  const list = Array.isArray(t) ? t : [t]
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^.*[/#]/, '').toLowerCase())
}

/** The node that describes the article itself: an *Article type first, else a WebPage's mainEntity, else null. */
export function findArticleNode(graph: JsonLdGraph): JsonLdNode | null {
  const article = graph.nodes.find((n) => typesOf(n).some((t) => ARTICLE_TYPES.has(t)))
  if (article) return article
  for (const n of graph.nodes) {
    if (!typesOf(n).some((t) => t.endsWith('webpage'))) continue
    const main = first(resolveAll(graph, n['mainEntity']))
    if (isNode(main) && typesOf(main).some((t) => ARTICLE_TYPES.has(t))) return main
  }
  return null
}

/** Follows `@id` references; strings and objects come back as they are, arrays flattened. */
export function resolveAll(graph: JsonLdGraph, value: unknown): Array<JsonLdNode | string> {
  const out: Array<JsonLdNode | string> = []
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
  for (const v of list) {
    if (typeof v === 'string') out.push(v)
    else if (isNode(v)) {
      const id = v['@id']
      const target = typeof id === 'string' ? graph.byId.get(id) : undefined
      out.push(target ? { ...target, ...v } : v)
    }
  }
  return out
}

export function first<T>(list: T[]): T | undefined {
  return list[0]
}

/** A text property, trimmed, or null. Numbers are accepted (some CMSes write dates as numbers). */
export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) return textOf(value[0])
  if (isNode(value)) return textOf(value['@value'] ?? value['name'])
  return null
}
