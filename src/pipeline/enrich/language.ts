import { francAll } from 'franc-min'
import { STOPWORDS, stopwordShare } from './keyphrases.js'

/**
 * The language of an article's text. The script decides where it is unambiguous (kana → Japanese,
 * Hangul → Korean, Thai, Greek, Hebrew…); otherwise franc-min's trigram profiles (82 languages). The
 * page's or feed's declared language is kept whenever the detector is unsure or agrees, and replaced
 * only when the text is clearly in another language (CMSs that label everything `en-US` or `es`).
 */
export interface DetectedLanguage {
  /** ISO 639-1 where one exists, else ISO 639-3; null when the text is too short to tell. */
  lang: string | null
  /** 0–1: how sure we are of `lang`. */
  confidence: number
  via: 'detector' | 'declared' | 'script'
}

/** franc-min's ISO 639-3 codes to ISO 639-1 where one exists (the others are kept as 639-3). */
const ISO1: Readonly<Record<string, string>> = {
  spa: 'es', eng: 'en', por: 'pt', ind: 'id', fra: 'fr', deu: 'de', jav: 'jv', vie: 'vi', ita: 'it', tur: 'tr',
  pol: 'pl', swh: 'sw', sun: 'su', ron: 'ro', hau: 'ha', fuv: 'ff', bos: 'bs', hrv: 'hr', nld: 'nl', srp: 'sr',
  ckb: 'ku', yor: 'yo', uzn: 'uz', zlm: 'ms', ibo: 'ig', tgl: 'tl', hun: 'hu', azj: 'az', ces: 'cs', run: 'rn',
  plt: 'mg', qug: 'qu', nya: 'ny', zyb: 'za', kin: 'rw', zul: 'zu', swe: 'sv', lin: 'ln', som: 'so', rus: 'ru',
  ukr: 'uk', koi: 'kv', bel: 'be', bul: 'bg', kaz: 'kk', arb: 'ar', urd: 'ur', pes: 'fa', pbu: 'ps', hin: 'hi',
  mar: 'mr', npi: 'ne', cmn: 'zh', ben: 'bn', jpn: 'ja', kor: 'ko', tel: 'te', tam: 'ta', guj: 'gu', kan: 'kn',
  mal: 'ml', mya: 'my', pan: 'pa', amh: 'am', tha: 'th', sin: 'si', ell: 'el',
  // No ISO 639-1 code: ceb (Cebuano), mad (Madurese), hms, hnj (Hmong), ilo (Ilocano), skr (Saraiki),
  // mai (Maithili), bho (Bhojpuri), mag (Magahi).
}
const ISO3 = new Map(Object.entries(ISO1).map(([three, one]) => [one, three]))

/** Languages too close for trigrams to tell apart reliably: a declared one of the group is kept. */
const SIBLINGS: readonly (readonly string[])[] = [
  ['bs', 'hr', 'sr'], ['id', 'ms'], ['hi', 'mr', 'ne', 'mai', 'bho', 'mag'], ['ur', 'skr'],
  ['es', 'pt', 'gl', 'ca'], ['sv', 'da', 'no', 'nb', 'nn'], ['cs', 'sk'], ['ru', 'uk', 'be', 'bg'],
  ['zu', 'xh'], ['ky', 'kk'],
]

// Scripts that name their language (or a small family) on their own.
const SCRIPT_LANG: readonly [RegExp, string, readonly string[]][] = [
  [/\p{Script=Hangul}/u, 'ko', ['ko']],
  [/\p{Script=Thai}/u, 'th', ['th']],
  [/\p{Script=Greek}/u, 'el', ['el']],
  [/\p{Script=Hebrew}/u, 'he', ['he', 'yi', 'lad']],
  [/\p{Script=Armenian}/u, 'hy', ['hy']],
  [/\p{Script=Georgian}/u, 'ka', ['ka']],
  [/\p{Script=Bengali}/u, 'bn', ['bn', 'as']],
  [/\p{Script=Tamil}/u, 'ta', ['ta']],
  [/\p{Script=Telugu}/u, 'te', ['te']],
  [/\p{Script=Kannada}/u, 'kn', ['kn']],
  [/\p{Script=Malayalam}/u, 'ml', ['ml']],
  [/\p{Script=Gujarati}/u, 'gu', ['gu']],
  [/\p{Script=Gurmukhi}/u, 'pa', ['pa']],
  [/\p{Script=Myanmar}/u, 'my', ['my']],
  [/\p{Script=Ethiopic}/u, 'am', ['am', 'ti']],
  [/\p{Script=Sinhala}/u, 'si', ['si']],
  [/\p{Script=Khmer}/u, 'km', ['km']],
  [/\p{Script=Lao}/u, 'lo', ['lo']],
  [/\p{Script=Tibetan}/u, 'bo', ['bo', 'dz']],
]
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u
const HAN = /\p{Script=Han}/u

// Languages written in Latin, Cyrillic or Arabic script, for the "declared in the wrong script" check.
const LATIN_LANGS = new Set('en fr de es pt it nl sv da no nb nn fi et lv lt pl cs sk sl hr bs sq ro hu tr az uz id ms tl vi sw ha yo ig zu xh so rw mg ca gl eu ga cy is mt lb af eo la ku qu ny za rn ln ff su jv'.split(' '))
const CYRILLIC_LANGS = new Set('ru uk be bg mk kk ky tg mn sr'.split(' '))
const ARABIC_LANGS = new Set('ar fa ur ps sd ug ku'.split(' '))

/** Shortest text (in letters) the trigram detector is asked about. */
const MIN_LETTERS = 24

/** `en-US` → `en`, `pt_BR` → `pt`, `eng` → `en`, old codes to new (`iw` → `he`); null when unusable. */
export function normaliseLangTag(tag: string | null | undefined): string | null {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? ''
  if (!/^[a-z]{2,3}$/.test(primary) || primary === 'und' || primary === 'mul' || primary === 'zxx') return null
  const old: Record<string, string> = { iw: 'he', in: 'id', ji: 'yi', jw: 'jv', mo: 'ro', zho: 'zh', chi: 'zh', ger: 'de', fre: 'fr', dut: 'nl', gre: 'el' }
  return old[primary] ?? ISO1[primary] ?? primary
}

function siblings(a: string, b: string): boolean {
  return a === b || SIBLINGS.some((g) => g.includes(a) && g.includes(b))
}

export function detectLanguage(text: string, opts: { declared?: string | null } = {}): DetectedLanguage {
  const declared = normaliseLangTag(opts.declared)
  const keep = (confidence: number): DetectedLanguage => ({ lang: declared, confidence: declared ? confidence : 0, via: declared ? 'declared' : 'detector' })

  // URLs, e-mail addresses and digits say nothing about the language.
  const sample = text.slice(0, 6000).replace(/\S+@\S+|https?:\/\/\S+|www\.\S+/g, ' ').replace(/[\p{N}_]+/gu, ' ')
  const letters = [...sample.matchAll(/\p{L}/gu)].length
  if (letters < 3) return keep(0.5)

  // Script first. CJK characters weigh more than letters of alphabets: one is about a word.
  const counts = { latin: 0, cyrillic: 0, arabic: 0, kana: 0, han: 0, other: new Map<string, number>() }
  for (const ch of sample) {
    if (!/\p{L}/u.test(ch)) continue
    if (/\p{Script=Latin}/u.test(ch)) counts.latin++
    else if (/\p{Script=Cyrillic}/u.test(ch)) counts.cyrillic++
    else if (/\p{Script=Arabic}/u.test(ch)) counts.arabic++
    else if (KANA.test(ch)) counts.kana++
    else if (HAN.test(ch)) counts.han++
    else {
      const hit = SCRIPT_LANG.find(([re]) => re.test(ch))
      const key = hit ? hit[1] : 'unknown'
      counts.other.set(key, (counts.other.get(key) ?? 0) + 1)
    }
  }
  const cjk = (counts.kana + counts.han) * 3
  const alphabet = counts.latin + counts.cyrillic + counts.arabic
  let topOther: [string, number] = ['', 0]
  for (const e of counts.other) if (e[1] > topOther[1] && e[0] !== 'unknown') topOther = e
  const total = cjk + alphabet + [...counts.other.values()].reduce((a, x) => a + x, 0)

  const byScript = (lang: string, family: readonly string[], share: number): DetectedLanguage => {
    if (declared && family.includes(declared)) return { lang: declared, confidence: share, via: 'declared' }
    return { lang, confidence: share, via: 'script' }
  }
  if (cjk >= alphabet && cjk >= topOther[1]) {
    // Japanese mixes kana with kanji; Chinese has no kana. A few kana in Chinese text are quotes.
    const kanaShare = counts.kana / (counts.kana + counts.han)
    if (counts.kana >= 2 && kanaShare > 0.1) return byScript('ja', ['ja'], cjk / total)
    // Kanji-only text (a headline) is Japanese when the page says so.
    return byScript('zh', ['zh', 'ja', 'yue', 'wuu'], cjk / total)
  }
  if (topOther[1] > alphabet) {
    const row = SCRIPT_LANG.find(([, l]) => l === topOther[0])!
    return byScript(row[1], row[2], topOther[1] / total)
  }

  if (letters < MIN_LETTERS) return keep(0.5)
  const ranked = francAll(sample, { minLength: 1 })
  const [top, topScore] = ranked[0] ?? ['und', 0]
  if (top === 'und') return keep(0.5)
  const detected = ISO1[top] ?? top
  // The margin over the first language that is not a close relative.
  const rival = ranked.slice(1).find(([l]) => !siblings(ISO1[l] ?? l, detected))
  const gap = topScore - (rival ? rival[1] : 0)
  const lengthFactor = Math.min(1, letters / 200)
  const confidence = Math.round(Math.min(1, gap / 0.15) * lengthFactor * 100) / 100

  if (!declared) return { lang: detected, confidence, via: 'detector' }
  if (siblings(declared, detected)) return { lang: declared, confidence: Math.max(confidence, 0.5), via: 'declared' }

  // Declared in one script, written in another: the declaration is wrong.
  const script = counts.latin >= counts.cyrillic && counts.latin >= counts.arabic ? 'latin' : counts.cyrillic >= counts.arabic ? 'cyrillic' : 'arabic'
  const declaredScript = LATIN_LANGS.has(declared) ? 'latin' : CYRILLIC_LANGS.has(declared) ? 'cyrillic' : ARABIC_LANGS.has(declared) ? 'arabic' : null
  if (declaredScript && declaredScript !== script && letters >= MIN_LETTERS) return { lang: detected, confidence, via: 'detector' }

  // The detector rates the declared language nearly as high: no reason to overrule the page.
  const declared3 = ISO3.get(declared) ?? declared
  const declaredScore = ranked.find(([l]) => l === declared3)?.[1]
  if (declaredScore !== undefined && topScore - declaredScore < 0.05) return { lang: declared, confidence: 0.5, via: 'declared' }

  // "Clearly another language": enough text, a clear trigram margin, and where we have stop-word
  // lists, the text is full of the detected language's function words and not of the declared one's.
  // Languages franc-min does not know (Danish, Finnish, Catalan…) come out as a neighbour with a small
  // margin, which this keeps from overruling a correct declaration.
  // Trigram margins between Latin-script languages shrink as the text grows, so where both sides
  // have stop-word lists, function words decide and a small margin only needs to point the same way.
  if (letters < 80) return { lang: declared, confidence: 0.5, via: 'declared' }
  if (STOPWORDS[detected]) {
    const mine = stopwordShare(sample, detected)
    const theirs = STOPWORDS[declared] ? stopwordShare(sample, declared) : 0
    const clear = STOPWORDS[declared] ? mine >= 0.25 && mine >= 4 * theirs && gap >= 0.03 : gap >= 0.08 && mine >= 0.25 && mine >= 2 * theirs
    if (!clear) return { lang: declared, confidence: 0.5, via: 'declared' }
  } else if (gap < 0.15 || letters < 200) {
    return { lang: declared, confidence: 0.5, via: 'declared' }
  }
  return { lang: detected, confidence, via: 'detector' }
}
