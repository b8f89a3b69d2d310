/**
 * Promotions inside an article body: advertisers' hooks ("Where to put $1,000 today? … Continue »"),
 * video prompts, newsletter and app boxes, "Read more:" links, affiliate and sponsorship notices,
 * "story continues below the advertisement". They arrive as their own blocks or glued onto the end
 * (or start) of a real paragraph, so they are judged sentence by sentence.
 *
 * A sentence scores points for general cues (a call to action, an arrow at its end, a money hook put
 * as a question, "best stocks to buy"). Text is removed only around a sentence with a decisive cue,
 * together with the neighbouring sentences that score well too, so one salesy phrase in a real
 * paragraph ("shares look cheap right now") is never enough.
 */

export interface Sentence {
  start: number
  end: number
  text: string
}

/**
 * Sentences of `text` with their offsets. Splits after . ! ? … » › → (optionally followed by a
 * closing quote or bracket) and a space before a capital, digit, quote or currency sign, and after
 * 。！？ without a space. Abbreviations may cause extra splits; the promo rules only need rough ones.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = []
  const re = /(?:[.!?…»›→]+["'”’)\]]*\s+(?=[\p{Lu}\p{N}"'“‘(¿¡$€£¥\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])|[。！？]+[」』）]*\s*)/gu
  let start = 0
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const end = m.index + m[0].length
    if (end >= text.length) break
    out.push({ start, end, text: text.slice(start, end).trim() })
    start = end
  }
  if (start < text.length) out.push({ start, end: text.length, text: text.slice(start).trim() })
  return out.filter((s) => s.text.length > 0)
}

// Decisive cues: any one of these makes a sentence a promotion.
const DECISIVE: RegExp[] = [
  // calls to action
  /^\W*(click|tap|press)\s+(here|below|on (the|this) (link|button|image))\b/i,
  /^\W*(click|tap)\s+(to|for)\s+(watch|read|see|view|listen|learn|find|get|download|subscribe|sign|register|join|play|continue|buy|shop|enter|claim|book|more)\b/i,
  /^\W*(watch|video|listen|live|gallery|photos|podcast)\s*[:：|]\s*\S/i,
  /^\W*(read|view|see)\s+(this|the)\s+(article|story|report|piece)\s+in\s+[a-z]+\W*$/i,
  // newsletters, subscriptions, apps, social
  /\bsign\s+up\s+(now\s+|today\s+|here\s+)?(for|to)\b.{0,40}\b(newsletter|newsletters|alerts|briefing|digest|mailing list)\b/i,
  /^\W*(subscribe|register|join)\s+(now|today|here|for free|for just|to (our|the|my) (newsletter|channel|podcast|mailing list|youtube))/i,
  /^\W*(get|receive)\s+(our|the)\b.{0,40}\b(newsletter|briefing|digest)\b/i,
  /\b(already a subscriber|subscribe to continue|subscribers only|log in to continue reading|to continue reading,? (subscribe|log in|sign in))\b/i,
  /\bdownload\s+(our|the)\s+(free\s+)?[\w\s]{0,20}\bapp\b/i,
  /\b(available|get it|download it)\s+(on|from)\s+(the\s+)?(app store|google play)\b/i,
  /^\W*follow\s+us\s+on\s+(twitter|x|facebook|instagram|tiktok|linkedin|youtube|threads|bluesky|telegram|whatsapp)\b/i,
  // links to other stories
  /^\W*(read|see)\s+(more|also|next|related)\s*[:：»›→|]/i,
  /^\W*(also read|related( stories| articles| coverage| reading| content)?|recommended( reading| for you)?|more from [^.:]{1,40}|most read|most popular|trending( now)?|don'?t miss|editor'?s picks?|you (may|might) also like|further reading|top stories)\s*[:：»›→|]/i,
  /\bthis\s+(story|article|post|content|report)\s+continues\s+(below|after)\b/i,
  /^\W*(story|article|content)\s+continues\s+(below|after)\b/i,
  // a call-to-action label with an arrow: "Continue »", "Learn more →"
  /^\W*(continue|continue reading|read more|read the full story|learn more|find out more|see more|see the list|see the \d+ stocks?|shop now|buy now|order now|get started|sign up( now| today)?|subscribe( now| today)?|download( now)?|get the app|watch now|play now|click here|start (your )?free trial|claim (your )?offer)\s*[»›→>]+\W*$/i,
  // sponsorship and affiliate notices
  /\b(sponsored (content|post|article|story)|paid (content|post|partnership)|partner content|advertorial|this (content|article|post) (is|was) (sponsored|paid for|produced in partnership))\b/i,
  /\bwe\s+(may\s+|might\s+|could\s+)?(earn|receive|get)\s+(an?\s+)?(small\s+)?(affiliate\s+)?(commission|compensation|fee|share of sales)\b/i,
  /\b(earn|receive|get)s?\s+(an?\s+)?(small\s+)?(affiliate\s+)?(commission|compensation|share of (the\s+)?(sales|revenue))\b.{0,60}\b(through|via|from|using)\s+(our\s+|these\s+|the\s+|affiliate\s+)?links?\b/i,
  /\b(this|our)\s+(article|post|page|content|site|story)\s+(contains|includes|may contain)\s+affiliate\s+links?\b/i,
  /\bif\s+you\s+(buy|purchase|click|shop)\b.{0,40}\b(through|via|from)\s+(our|these|the|a)\s+(links?|retailers?)\b/i,
  // French, Japanese, Chinese labels
  /^\W*(lire aussi|à lire aussi|a lire aussi|voir aussi|à voir aussi|lire la suite)\s*[:：»]/i,
  /\b(abonnez-vous|inscrivez-vous)\s+(à|a)\s+(notre|la|nos)\s+(newsletter|lettre|infolettre)/i,
  /^\W*(関連記事|関連ニュース|あわせて読みたい|続きを読む|もっと見る|相关阅读|相关新闻|延伸阅读|点击查看|阅读全文|推荐阅读)\s*[:：】》>]/,
  /^\W*[【[](PR|広告|广告|スポンサー)[】\]]/,
]

// Decisive only in a short sentence: "Watch highlights from the final." is a prompt, "Watch the video and
// you will see why the referee had no choice" is prose.
const DECISIVE_IF_SHORT: RegExp[] = [
  /^\W*(watch|see|view|play)\s+(the\s+)?(full\s+|live\s+|latest\s+)?(video|highlights|replay|livestream|live stream|clip|footage)\b/i,
]
const SHORT_WORDS = 10

// Supporting cues, with their weight.
const SUPPORTING: Array<[RegExp, number]> = [
  // a money hook put as a question: "Where to invest $1,000 right now?"
  [/^(?=[^?]*\?\W*$)(?=.*[$€£¥]\s?\d)(?=.*\b(invest\w*|stocks?|shares|buy|retire\w*|earn|make|save|income|dividends?|portfolio|wealth|millionaire)\b)/i, 2],
  [/\b(\d+|top|best)\s+(best\s+)?(stocks?|shares|etfs?|picks|buys|deals|credit cards|apps|gadgets)\b.{0,30}\bto\s+(buy|own|watch|hold)\b/i, 2],
  [/\bour\s+(analyst|research|investing|expert|editorial|deals)\s+team\b/i, 2],
  [/\b(newsletter|newsletters|podcast)\b.{0,60}\b(sign up|subscribe|join|get it|delivered|inbox)\b|\b(sign up|subscribe|join)\b.{0,60}\b(newsletter|podcast)\b/i, 2],
  [/\b(free trial|promo code|coupon code|discount code|limited[- ]time offer|exclusive offer|special offer|\d+% off)\b/i, 2],
  [/\b(right now|today only|act now|don'?t miss( out)?|before it'?s too late|while supplies last|hurry)\b/i, 1],
  [/[»›→]\W*$/, 1],
  [/\bclick\b/i, 1],
  [/^(?=.*\byou(r)?\b).*\?\W*$/i, 1],
]

export interface ScoredSentence extends Sentence {
  score: number
  decisive: boolean
}

/** Sentences of `text` with their promo scores. */
export function scoreSentences(text: string): ScoredSentence[] {
  return splitSentences(text).map((s) => {
    // Long sentences are prose; promotions are short.
    const words = s.text.split(/\s+/).length
    if (words > 45) return { ...s, score: 0, decisive: false }
    const decisive = DECISIVE.some((re) => re.test(s.text))
      || (words <= SHORT_WORDS && !s.text.includes(',') && DECISIVE_IF_SHORT.some((re) => re.test(s.text)))
    let score = decisive ? 3 : 0
    for (const [re, w] of SUPPORTING) if (re.test(s.text)) score += w
    return { ...s, score, decisive }
  })
}

// Labels that get glued onto the start of the next sentence ("Story continues below The rate fell…"):
// only the label goes, the sentence stays.
const GLUED_LABEL = /(^|(?<=[.!?"”’]\s+))((this|the)\s+)?(story|article|report)\s+continues\s+(below|after)(\s+(the\s+)?(advertisement|advert|ad|video))?[.:]?\s+/gi
// Not folded into GLUED_LABEL: with the i flag, \p{Lu} would match lower case too.
const STARTS_SENTENCE = /^[\p{Lu}"“‘]/u

export interface PromoStrip {
  /** The text with the promotions taken out; '' when the whole block was one. */
  text: string
  /** What was taken out, one entry per contiguous stretch. */
  removed: string[]
  /** True when nothing of substance is left: the caller drops the block. */
  wholeBlock: boolean
}

/**
 * Takes promotions out of one block's text. A stretch is a sentence with a decisive cue plus the
 * adjacent sentences scoring 2 or more. The whole block goes when the stretches cover all of it, or
 * most of it with only promotional sentences left.
 */
export function stripPromos(input: string): PromoStrip {
  const labels: string[] = []
  const text = input.replace(GLUED_LABEL, (label: string, ...rest: unknown[]) => {
    const offset = rest[rest.length - 2] as number
    if (!STARTS_SENTENCE.test(input.slice(offset + label.length))) return label
    labels.push(label.trim())
    return ''
  })
  const sentences = scoreSentences(text)
  if (!sentences.some((s) => s.decisive)) return { text, removed: labels, wholeBlock: false }
  // Maximal stretches of sentences scoring 2 or more; those holding a decisive sentence go. One pass.
  const inRun = sentences.map(() => false)
  for (let i = 0; i < sentences.length;) {
    if (sentences[i]!.score < 2) { i++; continue }
    let j = i
    let decisive = false
    for (; j < sentences.length && sentences[j]!.score >= 2; j++) if (sentences[j]!.decisive) decisive = true
    if (decisive) for (let k = i; k < j; k++) inRun[k] = true
    i = j
  }
  const removed: string[] = [...labels]
  const kept: ScoredSentence[] = []
  let stretch: string[] = []
  sentences.forEach((s, i) => {
    if (inRun[i]) stretch.push(s.text)
    else {
      if (stretch.length) removed.push(stretch.join(' '))
      stretch = []
      kept.push(s)
    }
  })
  if (stretch.length) removed.push(stretch.join(' '))
  // The whole block goes only when nothing is left or what is left is promotional too: a short real
  // sentence before a glued prompt ("The firm declined to comment. Click to watch…") stays.
  const removedChars = removed.reduce((n, r) => n + r.length, 0)
  if (kept.length === 0 || (removedChars >= 0.5 * text.length && kept.every((s) => s.score >= 1))) {
    return { text: '', removed: [input], wholeBlock: true }
  }
  return { text: rebuild(text, sentences, inRun), removed, wholeBlock: false }
}

// Rebuilds the text from the kept sentences using the original spacing between them.
function rebuild(text: string, sentences: ScoredSentence[], inRun: boolean[]): string {
  let out = ''
  sentences.forEach((s, i) => {
    if (inRun[i]) return
    const piece = text.slice(s.start, s.end)
    out += piece
  })
  return out.replace(/\s+$/, '').replace(/^\s+/, '')
}
