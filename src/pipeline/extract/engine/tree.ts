/** Small helpers over an htmlparser2 (domhandler) tree, shared by the engine's passes. */

import type { AnyNode, ChildNode, Element, ParentNode } from 'domhandler'

export function isElement(n: AnyNode | null | undefined): n is Element {
  return !!n && (n.type === 'tag' || n.type === 'script' || n.type === 'style')
}

export function attr(el: Element, name: string): string {
  return el.attribs[name] ?? ''
}

/** Detaches `node` from its parent (no-op when already detached). */
export function detach(node: ChildNode): void {
  const parent = node.parent
  if (!parent) return
  const at = parent.children.indexOf(node)
  if (at >= 0) parent.children.splice(at, 1)
  if (node.prev) node.prev.next = node.next
  if (node.next) node.next.prev = node.prev
  node.parent = null
  node.prev = null
  node.next = null
}

/** How deeply elements nest under `root` (root's children = 1), without recursion. */
export function maxDepth(root: ParentNode): number {
  let max = 0
  const stack: Array<[ParentNode, number]> = [[root, 0]]
  while (stack.length) {
    const [node, depth] = stack.pop()!
    if (depth > max) max = depth
    for (const c of node.children) if (isElement(c)) stack.push([c, depth + 1])
  }
  return max
}

/** Number of elements under `root`, without recursion. */
export function countElements(root: ParentNode): number {
  let n = 0
  const stack: ParentNode[] = [root]
  while (stack.length) {
    const node = stack.pop()!
    for (const c of node.children) if (isElement(c)) {
      n++
      stack.push(c)
    }
  }
  return n
}

/** All descendant elements of `root` (not `root` itself) that pass `test`, in document order. */
export function findAll(root: ParentNode, test: (el: Element) => boolean): Element[] {
  const out: Element[] = []
  const visit = (node: ParentNode): void => {
    for (const c of node.children) {
      if (!isElement(c)) continue
      if (test(c)) out.push(c)
      visit(c)
    }
  }
  visit(root)
  return out
}

/** Raw text of a subtree (text nodes as they are, nothing skipped). */
export function rawText(node: AnyNode): string {
  if (node.type === 'text') return node.data
  if (!('children' in node)) return ''
  let s = ''
  for (const c of node.children) s += rawText(c)
  return s
}

/**
 * The words of an element's class and id: `"story-body__inner js-share"` → story, body, inner, js, share.
 * camelCase is split too (`relatedLinks` → related, links). Lower-cased.
 */
export function hintWords(el: Element): string[] {
  const raw = `${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''}`
  if (!raw.trim()) return []
  return raw
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
}

