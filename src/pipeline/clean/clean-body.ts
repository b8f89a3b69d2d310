/**
 * Cleans an extracted article body for the reader: hides injected runs of another script, drops page
 * chrome (menu words, the site name, the title and byline again, interface labels) and repeated
 * captions, removes promotions, and puts back spaces lost at inline-element boundaries.
 *
 * Pure: blocks in, blocks out. Nothing is thrown away silently: every removed block or sentence is in
 * `removed` with its reason and every hidden run in `flags.injectedText`, so a reviewer (or a later
 * "show original" view) can see exactly what the reader does not.
 */
import type { Block, Caption } from '../../domain/types.js'
import {
  captionKeys, isAuthorRole, isBylineBlock, isCopyrightLine, isMenuBlock, isUiLabel, keyRepeatsCaption, stripGluedCaption, textKey,
} from './clean-body-nav.js'
import { stripPromos } from './clean-body-promo.js'
import { findForeignRuns, foreignFamilies, profileScripts, removeRuns } from './clean-body-scripts.js'
import { restoreLostSpaces, type SpaceFix } from './clean-body-spaces.js'

export interface CleanBodyInput {
  blocks: Block[]
  captions: Caption[]
  title: string | null
  /** BCP 47 tag as the page or feed declares it. */
  lang: string | null
  siteName?: string | null
  /** The byline as extracted; lets the byline and the author's role be recognised in the body. */
  byline?: string | null
}

export interface CleanBodyOptions {
  /** Put back spaces lost at inline-element boundaries (English text only). Default true. */
  lostSpaces?: boolean
  /** Drop menu words, site name, title, byline, labels, repeated captions and duplicates. Default true. */
  navigation?: boolean
  /** Remove promotion blocks and sentences. Default true. */
  promos?: boolean
  /** Hide out-of-place runs of another script. Default true. */
  injected?: boolean
}

export type CleanReason =
  | 'injected_text' // the block was nothing but an out-of-place run
  | 'menu' | 'site_name' | 'title_repeat' | 'byline' | 'author_role' | 'copyright' | 'ui_label'
  | 'caption_repeat' | 'caption_glued' | 'duplicate'
  | 'promo' | 'promo_sentence'

export interface RemovedText {
  /** The block as it was when removed; for a partial removal, only the text taken out of it. */
  block: Block
  reason: CleanReason
  /** Index of the block in the input. */
  index: number
  /** True when only part of the block was taken out and the rest stays in the body. */
  partial: boolean
}

export interface InjectedText {
  text: string
  /** Index of the block in the input. */
  blockIndex: number
  /** `foreign_script:<family>`, e.g. `foreign_script:cjk`. */
  reason: string
  /** Up to 40 characters on each side, as the block had them. */
  context: string
}

export interface SpaceRestoration extends SpaceFix {
  at: 'block' | 'caption'
  /** Index in the input's blocks or captions. */
  index: number
}

export interface CleanFlags {
  /** Runs hidden from the reader; non-empty means the article should be marked for review. */
  injectedText: InjectedText[]
  lostSpacesRestored: number
  spaceFixes: SpaceRestoration[]
  promosRemoved: number
  navigationRemoved: number
  captionRepeatsRemoved: number
  duplicatesRemoved: number
}

export interface CleanResult {
  /** What the reader sees. */
  blocks: Block[]
  /** The captions, with lost spaces restored. */
  captions: Caption[]
  removed: RemovedText[]
  flags: CleanFlags
}

interface Work {
  block: Block
  index: number
}

/** Cleans one article body; see the module comment. Never mutates `input`. */
export function cleanBody(input: CleanBodyInput, opts: CleanBodyOptions = {}): CleanResult {
  const o = { lostSpaces: true, navigation: true, promos: true, injected: true, ...opts }
  const removed: RemovedText[] = []
  const flags: CleanFlags = {
    injectedText: [], lostSpacesRestored: 0, spaceFixes: [], promosRemoved: 0, navigationRemoved: 0,
    captionRepeatsRemoved: 0, duplicatesRemoved: 0,
  }
  const drop = (w: Work, reason: CleanReason) => { removed.push({ block: w.block, reason, index: w.index, partial: false }) }
  const part = (w: Work, text: string, reason: CleanReason) => {
    removed.push({ block: { type: w.block.type, text }, reason, index: w.index, partial: true })
  }

  let work: Work[] = input.blocks.map((block, index) => ({ block, index }))
  // Preformatted blocks are code or verse: no rule rewrites them.
  const prose = (w: Work) => w.block.type !== 'pre'

  // 1. Injected runs first: an injected block at the top must not stop the edge scan below.
  if (o.injected) {
    const profile = profileScripts(work.filter(prose).map((w) => w.block.text))
    const families = foreignFamilies(profile, input.lang)
    const joiner = profile.dominant === 'cjk' ? '' : ' '
    work = work.filter((w) => {
      if (!prose(w)) return true
      const runs = findForeignRuns(w.block.text, families)
      if (runs.length === 0) return true
      const t = w.block.text
      for (const r of runs) {
        flags.injectedText.push({
          text: r.text, blockIndex: w.index, reason: `foreign_script:${r.family}`,
          context: t.slice(Math.max(0, r.start - 40), Math.min(t.length, r.end + 40)),
        })
      }
      const text = removeRuns(t, runs, joiner)
      if (!/[\p{L}\p{N}]/u.test(text)) {
        drop(w, 'injected_text')
        return false
      }
      w.block = { ...w.block, text }
      return true
    })
  }

  // 2. Labels, repeated captions and duplicates, anywhere in the body.
  if (o.navigation) {
    const capKeys = captionKeys(input.captions)
    let lastKey = ''
    work = work.filter((w) => {
      if (!prose(w)) { lastKey = ''; return true }
      const text = w.block.text
      if (isUiLabel(text)) { drop(w, 'ui_label'); flags.navigationRemoved++; return false }
      const key = textKey(text)
      if (keyRepeatsCaption(key, capKeys)) { drop(w, 'caption_repeat'); flags.captionRepeatsRemoved++; return false }
      if (key.length >= 8 && key === lastKey) { drop(w, 'duplicate'); flags.duplicatesRemoved++; return false }
      lastKey = key
      const glued = input.captions.length ? stripGluedCaption(text, input.captions) : null
      if (glued) {
        part(w, glued.caption, 'caption_glued')
        flags.captionRepeatsRemoved++
        w.block = { ...w.block, text: glued.text }
      }
      return true
    })
  }

  // 3. Promotions, as blocks or as sentences glued to a paragraph.
  if (o.promos) {
    work = work.filter((w) => {
      if (!prose(w)) return true
      const r = stripPromos(w.block.text)
      if (r.wholeBlock) { drop(w, 'promo'); flags.promosRemoved++; return false }
      if (r.removed.length) {
        for (const t of r.removed) part(w, t, 'promo_sentence')
        flags.promosRemoved += r.removed.length
        w.block = { ...w.block, text: r.text }
      }
      return true
    })
  }

  // 4. Chrome at the two ends, once promotions no longer stand between it and the edge.
  if (o.navigation) work = trimEdges(work, input, drop, flags)

  // 5. Lost spaces, last, on what the reader will see.
  let captions = input.captions
  if (o.lostSpaces && looksEnglish(work.filter(prose).map((w) => w.block.text), input.lang)) {
    for (const w of work) {
      if (!prose(w)) continue
      const r = restoreLostSpaces(w.block.text)
      if (r.fixes.length === 0) continue
      w.block = { ...w.block, text: r.text }
      for (const f of r.fixes) flags.spaceFixes.push({ ...f, at: 'block', index: w.index })
    }
    captions = input.captions.map((c, index) => {
      const r = restoreLostSpaces(c.text)
      const credit = c.credit ? restoreLostSpaces(c.credit) : null
      const fixes = [...r.fixes, ...(credit?.fixes ?? [])]
      if (fixes.length === 0) return c
      for (const f of fixes) flags.spaceFixes.push({ ...f, at: 'caption', index })
      return { ...c, text: r.text, credit: credit ? credit.text : c.credit }
    })
    flags.lostSpacesRestored = flags.spaceFixes.length
  }

  removed.sort((a, b) => a.index - b.index)
  return { blocks: work.map((w) => w.block), captions, removed, flags }
}

/**
 * Drops chrome from the two ends of the body: a run of blocks from the start (and from the end) that
 * are each menu words, the site name, the title again, the byline, the author's role right after the
 * byline, or a copyright line. Stops at the first block that is none of these, so nothing inside the
 * article is touched by these looser tests.
 */
function trimEdges(work: Work[], input: CleanBodyInput, drop: (w: Work, r: CleanReason) => void, flags: CleanFlags): Work[] {
  const site = input.siteName?.trim() || null
  const siteKey = site ? textKey(site) : ''
  const titleKey = input.title ? textKey(input.title) : ''
  const byline = input.byline?.trim() || null
  const classify = (w: Work, atStart: boolean, afterByline: boolean): CleanReason | null => {
    if (w.block.type === 'pre') return null
    const text = w.block.text.trim()
    if (text.length > 200) return null
    const key = textKey(text)
    if (siteKey && key === siteKey) return 'site_name'
    if (atStart && titleKey && (key === titleKey || key === titleKey + siteKey)) return 'title_repeat'
    if (isMenuBlock(text, site)) return 'menu'
    // A heading counts as a byline only when it matches the known one: "By Design" is a fine heading.
    const heading = /^h\d$/.test(w.block.type)
    if (isBylineBlock(text, byline, { knownOnly: heading })) return 'byline'
    if (afterByline && isAuthorRole(text)) return 'author_role'
    if (!atStart && isCopyrightLine(text)) return 'copyright'
    return null
  }
  let start = 0
  let afterByline = false
  const dropped = new Set<number>()
  for (; start < work.length; start++) {
    const reason = classify(work[start]!, true, afterByline)
    if (!reason) break
    drop(work[start]!, reason)
    dropped.add(start)
    afterByline = reason === 'byline' || (afterByline && reason === 'author_role')
  }
  for (let end = work.length - 1; end >= start; end--) {
    const reason = classify(work[end]!, false, false)
    if (!reason) break
    drop(work[end]!, reason)
    dropped.add(end)
  }
  flags.navigationRemoved += dropped.size
  return work.filter((_, i) => !dropped.has(i))
}

const EN_STOPWORDS = new Set('the and of to in is that for it with as was on be by at this are from have has or an not but they he she we his her their which will would been were said'.split(' '))

/**
 * True when the body reads as English: a declared `en` tag confirmed by the text, or, with no tag, a
 * text long enough whose share of English function words is high.
 */
export function looksEnglish(texts: readonly string[], lang: string | null): boolean {
  let words = 0
  let hits = 0
  outer: for (const t of texts) {
    for (const m of t.matchAll(/[A-Za-z]+/g)) {
      words++
      if (EN_STOPWORDS.has(m[0].toLowerCase())) hits++
      if (words >= 3000) break outer
    }
  }
  const ratio = words ? hits / words : 0
  if (lang && /^en\b/i.test(lang)) return words < 30 || ratio >= 0.12
  if (lang) return false
  return words >= 30 && ratio >= 0.2
}
