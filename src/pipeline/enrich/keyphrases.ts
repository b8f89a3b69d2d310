import type { Entities, Tag } from '../../domain/types.js'
import { tagSlug } from './tags.js'

/**
 * Keyphrases without a model: candidates are runs of 1–3 words that are neither stop-words nor
 * punctuation-separated, scored with statistics of the document alone (YAKE-like: frequency, spread
 * over sentences, how early a word first appears, capitalisation inside sentences, presence in the
 * title) and a small built-in background of words too common in news to say anything.
 */

// ───────────────────────────── stop-words ─────────────────────────────

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean))

/** Function words (and a few reporting verbs) per language: general knowledge, written by hand. */
export const STOPWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: words(`
    a about above across after afterwards again against ago all almost alone along already also although always am
    among amongst an and another any anybody anyone anything anyway anywhere are aren't around as at away back be
    became because become becomes becoming been before beforehand behind being below beside besides between beyond
    both but by can cannot can't could couldn't did didn't do does doesn't doing done don't down during each either
    else elsewhere enough etc even ever every everybody everyone everything everywhere except few first for former
    formerly from further had hadn't has hasn't have haven't having he he'd he'll her here here's hers herself he's
    him himself his how however how's i i'd if i'll i'm in indeed instead into is isn't it its it's itself i've just
    last later latter least less let let's like likely many may maybe me meanwhile might mine more moreover most
    mostly much must mustn't my myself namely neither never nevertheless next no nobody none nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps
    quite rather really said same say saying says see seem seemed seeming seems several shall shan't she she'd she'll
    she's should shouldn't since so some somebody someone something sometime sometimes somewhere soon still such
    than that that's the their theirs them themselves then thence there thereafter thereby therefore therein
    there's these they they'd they'll they're they've this those though through throughout thru thus to together
    too toward towards under unless until up upon us very via was wasn't we we'd well we'll went were we're weren't
    we've what whatever what's when whence whenever when's where whereafter whereas whereby wherein where's
    whereupon wherever whether which while whither who whoever whole whom whose who's why why's will with within
    without won't would wouldn't yet you you'd you'll your you're yours yourself yourselves you've
    mr mrs ms dr st told tell tells asked according get gets got go goes going gone make makes made
    lot lots thing things way ways also yes oh ok okay
    two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred hundreds
    thousand thousands million millions billion billions trillion
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight week weeks
  `),
  de: words(`
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus bei
    beim bin bis bist da dabei dadurch daher damit dann dar darauf darum das dass daß dein deine dem den denn der
    des dessen deshalb dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen
    einer eines einige einigen er es etwa euch euer eure für gegen gewesen hab habe haben hat hatte hatten hier hin
    hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in indem ins ist ja jede jedem jeden jeder jedes jedoch
    jene jetzt kann kein keine keinem keinen können könnte man manche mehr mein meine mich mir mit muss musste nach
    nicht nichts noch nun nur ob oder ohne schon sehr sein seine seinem seinen seiner seit sich sie sind so solche
    soll sollte sondern sonst sowie über um und uns unser unter viel vom von vor wann war waren warum was weil weiter
    welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde wurden zu zum zur zwar
    zwischen sagte sagt laut heute gestern morgen bereits wegen sei seien worden wäre
  `),
  fr: words(`
    a à afin ai aie ainsi alors au aucun aucune aujourd'hui auprès aussi autre autres aux avaient avait avant avec
    avez avoir ayant c ça car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez ci comme
    comment d dans de depuis des dès donc dont du elle elles en encore entre es est et été être eu eux fait faire
    fois hier ici il ils j je jusqu jusque l la là le les leur leurs lui m ma mais me même mes moi moins mon n ne
    ni nos notre nous on ont or ou où par parce pas pendant peu peut plus plusieurs pour pourquoi qu quand que quel
    quelle quelles quels qui quoi s sa sans se selon ses si sien son sont sous sur t ta tandis te tel telle tes
    toi ton tous tout toute toutes très tu un une vers voici voilà vos votre vous y déjà dit selon après contre
  `),
  es: words(`
    a al algo algunas algunos ante antes aquel aquella aquellas aquellos aquí así aun aunque cada como con contra
    cual cuales cuando cuanto de del desde donde dos durante e el él ella ellas ellos en entre era eran es esa esas
    ese eso esos esta está estaba estado están estar estas este esto estos fue fueron ha había han hasta hay la las
    le les lo los más me mi mientras muy nada ni no nos nosotros o otra otras otro otros para pero poco por porque
    qué que quien quienes se sea según ser si sí sido sin sobre son su sus también tan tanto te tiene tienen todo
    todos tras tu tú un una unas uno unos usted ya yo dijo afirmó explicó ayer hoy
  `),
  it: words(`
    a ad agli ai al alla alle allo anche ancora avere aveva avevano c che chi ci come con contro cui da dal dalla
    dalle degli dei del della delle dello di dove e è ed era erano essere fa gli ha hanno ho i il in io la le lei
    li lo loro lui ma mi mio ne nei nel nella nelle nello noi non nostro o per perché più poi quale quando quanto
    quella quelle quelli quello questa queste questi questo se sei si sia siamo sono su sua sue sui sul sulla suo
    suoi tra tu tutti tutto un una uno vi voi già dopo detto ha ieri oggi stato stata
  `),
  pt: words(`
    a à ao aos as às até com como da das de dela dele deles depois do dos e é ela elas ele eles em entre era eram
    essa essas esse esses esta está estão estas este estes eu foi foram há isso isto já la lhe lhes mais mas me
    mesmo meu minha muito na nas não nem no nos nós o os ou para pela pelas pelo pelos por porque qual quando que
    quem se sem ser seu seus sua suas também te tem têm um uma umas uns você vocês disse segundo após ontem hoje
  `),
  nl: words(`
    aan al als bij dan dat de der des deze die dit door doch een en er ge geen had heb hebben heeft het hier hij
    hoe hun ik in is ja je kan maar me meer men met mij mijn na naar niet niets nog nu of om omdat ons ook op over
    te tegen toch toen tot u uit van veel voor want was wat we wel werd wie wij wordt worden zal ze zei zich zij
    zijn zo zonder zou
  `),
}

/** Share of word tokens of `text` that are stop-words of `lang` (0 when we have no list for it). */
export function stopwordShare(text: string, lang: string): number {
  const list = STOPWORDS[lang]
  if (!list) return 0
  let n = 0
  let hits = 0
  for (const m of text.toLowerCase().matchAll(WORD)) {
    n++
    if (list.has(m[0].replace(/’/g, "'"))) hits++
    if (n >= 600) break
  }
  return n ? hits / n : 0
}

function guessStopLang(text: string): string {
  let best = 'en'
  let bestShare = 0
  for (const lang of Object.keys(STOPWORDS)) {
    const s = stopwordShare(text, lang)
    if (s > bestShare) { best = lang; bestShare = s }
  }
  return best
}

// Words frequent in any news story, so weak as keyphrases on their own: a hand-written background
// standing in for document frequencies. They still count inside longer phrases.
const COMMON = words(`
  year years time times people day days week month months new old many much part number group percent
  man men woman women child children home world country state place area end case point fact way life
  use used using think know want need take took taken come came give given find found show shows shown
  look looking looked put set seen began begin including include includes included well good great big
  small large high low long little right left best better early late recent recently former second third
  million billion thousand hundred per cent also able around last next already still another however
`)

// ───────────────────────────── tokens and candidates ─────────────────────────────

const WORD = /[\p{L}\p{M}\p{N}]+(?:['’.&][\p{L}\p{M}\p{N}]+)*/gu
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u

interface Tok { joiner: string; text: string; lower: string; key: string; sent: number; sentStart: boolean; stop: boolean; breakBefore: boolean }

/**
 * Folds inflections (Porter's step 1: plurals, -ed, -ing) so that "film"/"films" and "play"/"playing"
 * count as one term. Only for Latin-script words; other scripts are left as they are.
 */
function foldKey(lower: string): string {
  let w = lower.replace(/’/g, "'")
  if (!/^[a-z]+$/.test(w) || w.length <= 3) return w
  if (w.endsWith('sses')) w = w.slice(0, -2)
  else if (w.endsWith('ies')) w = w.slice(0, -2)
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1)
  const vowel = (x: string) => /[aeiou]|[^aeiou]y/.test(x)
  let m: RegExpMatchArray | null
  if (w.endsWith('eed')) { if (vowel(w.slice(0, -3).replace(/^[^aeiou]+/, '').slice(1))) w = w.slice(0, -1) }
  else if ((m = w.match(/^(.+?)(ed|ing)$/)) && vowel(m[1]!)) {
    w = m[1]!
    if (/(at|bl|iz)$/.test(w)) w += 'e'
    else if (/([^aeiouslz])\1$/.test(w)) w = w.slice(0, -1)
    else if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(w)) w += 'e'
  }
  if (w.length > 2 && /[^aeiou]y$/.test(w)) w = w.slice(0, -1) + 'i'
  return w
}

function tokenize(text: string, stop: ReadonlySet<string>, sentOffset: number): { toks: Tok[]; sentences: number } {
  const toks: Tok[] = []
  let sent = sentOffset
  let last = 0
  let sentStart = true
  for (const m of text.matchAll(WORD)) {
    const gap = text.slice(last, m.index)
    last = m.index + m[0].length
    // Hyphenated compounds are split into their words ("Oscar-winning" → Oscar, winning) but stay one
    // phrase; any other punctuation between two words ends a phrase.
    const joiner = /^-$/.test(gap) ? '-' : ' '
    let breakBefore = toks.length === 0 || /[^\s-]/.test(gap.replace(/[’']/g, '')) || /\s-|-\s/.test(gap)
    // A full stop, ! or ? (or a blank line) ends a sentence; "U.S" keeps its dots inside the token.
    if (toks.length > 0 && (/[.!?。！？]/.test(gap) || /\n/.test(gap))) { sent++; sentStart = true; breakBefore = true }
    // "Malick’s film" is about Malick: the possessive is not part of the word.
    const raw = m[0].replace(/['’]s$/i, '')
    const lower = raw.toLowerCase()
    const isStop = stop.has(lower.replace(/’/g, "'")) || /^\p{N}+$/u.test(raw) || raw.length === 1
    toks.push({ text: raw, lower, key: foldKey(lower), sent, sentStart, stop: isStop, breakBefore, joiner })
    sentStart = false
  }
  return { toks, sentences: sent - sentOffset + 1 }
}

interface TermStat { tf: number; caps: number; firstIdx: number; inTitle: boolean }
interface Cand { words: string[]; tf: number; surface: Map<string, number> }

// Weights of the word score (a log-linear model: each term adds to the log of a word's odds of being
// a keyphrase). Chosen by looking at which simple features separate crowd-chosen words from the rest
// on the KPCrowd DEV half (see scripts/eval-enrich/keyphrases.ts), rounded, few, and all general:
const W = {
  /** Per character, capped at 12: longer words are rarer (Zipf), our stand-in for IDF. */
  length: 0.2,
  /** In the title. */
  title: 0.3,
  /** First seen at the start rather than the end of the text. */
  early: 0.4,
  /** Always capitalised: names, which readers choose more often in full ("Johnny Depp"). */
  alwaysCapitalised: -0.3,
  /** -ly adverbs. */
  adverb: -0.3,
  /** In the background list of words common in any story. */
  common: -1,
  /** A phrase of 2–3 words must beat the mean of its words by this much (plus its own frequency): crowds and readers mostly pick single words. */
  phrase: -3,
}

// ───────────────────────────── extraction ─────────────────────────────

/** Keyphrases of an article, best first (at most `max`, default 10). */
export function extractKeyphrases(input: { title: string | null; text: string; lang?: string | null }, opts: { max?: number } = {}): string[] {
  const max = opts.max ?? 10
  const title = (input.title ?? '').trim()
  const body = input.text ?? ''
  const sample = `${title}\n${body.slice(0, 4000)}`
  if (CJK.test(sample) && cjkShare(sample) > 0.3) return cjkKeyphrases(title, body, max)
  const declared = (input.lang ?? '').toLowerCase().split(/[-_]/)[0] ?? ''
  const lang = STOPWORDS[declared] ? declared : guessStopLang(sample)
  const stop = STOPWORDS[lang]!
  const common = lang === 'en' ? COMMON : new Set<string>()

  const t = title ? tokenize(title, stop, 0) : { toks: [], sentences: 0 }
  const b = tokenize(body, stop, t.sentences)
  const titleLen = t.toks.length
  const all = [...t.toks, ...b.toks]
  if (all.length === 0) return []

  const terms = new Map<string, TermStat>()
  // How each word is written in mid-sentence, so that "Talks" opening a sentence is shown as "talks".
  const casing = new Map<string, Map<string, number>>()
  for (let i = 0; i < all.length; i++) {
    const tok = all[i]!
    if (tok.stop) continue
    let s = terms.get(tok.key)
    if (!s) { s = { tf: 0, caps: 0, firstIdx: i, inTitle: false }; terms.set(tok.key, s) }
    s.tf++
    if (i < titleLen) s.inTitle = true
    if (/^\p{Lu}/u.test(tok.text)) s.caps++
    if (!tok.sentStart && i >= titleLen) {
      const m = casing.get(tok.lower) ?? new Map<string, number>()
      m.set(tok.text, (m.get(tok.text) ?? 0) + 1)
      casing.set(tok.lower, m)
    }
  }

  const wordScore = new Map<string, number>()
  for (const [key, s] of terms) {
    let score = Math.log(s.tf) + W.length * Math.min([...key].length, 12) + W.early * (1 - s.firstIdx / all.length)
    if (s.inTitle) score += W.title
    if (s.caps === s.tf) score += W.alwaysCapitalised
    if (/ly$/.test(key)) score += W.adverb
    if (common.has(key)) score += W.common
    wordScore.set(key, score)
  }

  const spell = (tok: Tok): string => {
    const seen = casing.get(tok.lower)
    if (!seen) return tok.text
    return [...seen.entries()].sort((a, b) => b[1] - a[1])[0]![0]
  }

  // Candidate phrases: runs of 1–3 non-stop words inside one punctuation-free stretch.
  const cands = new Map<string, Cand>()
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.stop) continue
    for (let n = 1; n <= 3 && i + n <= all.length; n++) {
      const run = all.slice(i, i + n)
      const last = run[n - 1]!
      if (last.stop || (n > 1 && last.breakBefore)) break
      const key = run.map((x) => x.key).join(' ')
      let c = cands.get(key)
      if (!c) { c = { words: run.map((x) => x.key), tf: 0, surface: new Map() }; cands.set(key, c) }
      c.tf++
      const surf = run.map((x, j) => (j ? x.joiner : '') + spell(x)).join('')
      c.surface.set(surf, (c.surface.get(surf) ?? 0) + 1)
    }
  }

  const scored: { label: string; score: number; key: string }[] = []
  for (const [key, c] of cands) {
    const ws = c.words.map((w) => wordScore.get(w) ?? 0)
    let score = ws[0]!
    if (ws.length > 1) {
      if (c.tf < 2) continue // a word pair seen once is rarely a phrase
      score = ws.reduce((a, x) => a + x, 0) / ws.length + Math.log(c.tf) + W.phrase
    }
    scored.push({ key, label: bestSurface(c.surface), score })
  }
  scored.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key))
  return scored.slice(0, max).map((s) => s.label)
}

/** The most frequent spelling. */
function bestSurface(surface: Map<string, number>): string {
  let best = ''
  let n = -1
  for (const [s, k] of surface) if (k > n) { best = s; n = k }
  return best
}

// ───────────────────────────── CJK ─────────────────────────────

function cjkShare(text: string): number {
  let cjk = 0
  let letters = 0
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) { letters++; if (CJK.test(ch)) cjk++ }
  }
  return letters ? cjk / letters : 0
}

/** Chinese, Japanese, Korean, Thai: words from Intl.Segmenter, frequency and position only. */
function cjkKeyphrases(title: string, body: string, max: number): string[] {
  const seg = new Intl.Segmenter(undefined, { granularity: 'word' })
  const stats = new Map<string, { tf: number; first: number; title: boolean }>()
  let i = 0
  const feed = (text: string, inTitle: boolean) => {
    for (const s of seg.segment(text)) {
      i++
      if (!s.isWordLike) continue
      const w = s.segment
      // Single characters and kana-only segments are mostly particles and endings.
      if ([...w].length < 2 || /^[\p{Script=Hiragana}ー]+$/u.test(w) || /^\p{N}+$/u.test(w)) continue
      let st = stats.get(w)
      if (!st) { st = { tf: 0, first: i, title: false }; stats.set(w, st) }
      st.tf++
      if (inTitle) st.title = true
    }
  }
  feed(title, true)
  feed(body.slice(0, 20000), false)
  return [...stats.entries()]
    .map(([w, s]) => ({ w, score: Math.log2(1 + s.tf) * (s.title ? 2 : 1) / Math.log2(3 + s.first / 20) }))
    .sort((a, b) => b.score - a.score || a.w.localeCompare(b.w))
    .slice(0, max)
    .map((x) => x.w)
}

// ───────────────────────────── hashtags ─────────────────────────────

/**
 * A few clean reader-facing tags from keyphrases: readable labels, no junk, one per slug. With the
 * article's `entities`, a keyphrase that is part of a name becomes the full name ("Starmer" →
 * "Keir Starmer"): keyphrases favour single words, readers want the name.
 */
export function hashtagsFrom(keyphrases: string[], opts: { max?: number; entities?: Entities } = {}): Tag[] {
  const max = opts.max ?? 6
  const out = new Map<string, Tag>()
  const names = opts.entities ? [...opts.entities.people, ...opts.entities.organizations, ...opts.entities.places] : []
  for (const raw of keyphrases) {
    const plain = raw.replace(/\s+/g, ' ').trim()
    const lower = plain.toLowerCase()
    const full = names.find((n) => { const l = n.toLowerCase(); return l !== lower && ` ${l} `.includes(` ${lower} `) })
    const label0 = full ?? plain
    if (!label0 || label0.length > 40) continue
    const ws = label0.split(' ')
    if (ws.length > 4) continue
    if (/^[\p{N}\p{P}\p{S}\s]+$/u.test(label0)) continue
    if (ws.length === 1 && (STOP_ALL.has(label0.toLowerCase()) || COMMON.has(label0.toLowerCase()))) continue
    if ([...label0].length < 2 || (!CJK.test(label0) && label0.length < 3)) continue
    // Keep names and acronyms as written; lower-case words get a capital first letter.
    const label = /^\p{Ll}/u.test(label0) ? label0[0]!.toUpperCase() + label0.slice(1) : label0
    const slug = tagSlug(label)
    if (!slug || /^\d[\d-]*$/.test(slug) || out.has(slug)) continue
    // "Starmer" after "Keir Starmer" adds nothing for a reader.
    if ([...out.keys()].some((s) => s.split('-').includes(slug) || slug.split('-').includes(s))) continue
    out.set(slug, { slug, label })
    if (out.size >= max) break
  }
  return [...out.values()]
}

const STOP_ALL: ReadonlySet<string> = new Set(Object.values(STOPWORDS).flatMap((s) => [...s]))

