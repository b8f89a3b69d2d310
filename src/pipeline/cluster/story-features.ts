/**
 * An article → the weighted terms story clustering compares: content words (stop words dropped,
 * plurals folded), named entities (runs of capitalised words that do not start a sentence) and
 * numbers (ages, magnitudes, tolls: what tells one earthquake from another). The title counts twice.
 */

const STOP = new Set((
  'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself '
  + 'said says say told according also one two three new year years week day days time monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow last first may might must many much would could get got like well back still even us mr mrs ms percent people since around another per including'
).split(/\s+/))

const CAP_STOP = new Set(('The A An In On At For And But Or Of To It He She They We I His Her Their This That These Those As By With From After Before When While If Mr Mrs Ms Dr '
  + 'There Here What Who Why How Where About According Updated Posted Last First Next New More Most Some Many One Two Three All No Not So Then Now Also Yet Still Just Even Only '
  + 'Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Wed Thu Fri Sat Sun '
  + 'January February March April June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec '
  + 'AM PM ET GMT UTC EST PST BST CET Photo Image Video Read Click Share Copyright Reuters AP AFP').split(' '))


export interface StoryTerms {
  /** term → weight (words as they are, entities as "e:tara reid", numbers as "n:33"). */
  terms: Map<string, number>
  /** Entities as written, most frequent first (for explanations). */
  entities: string[]
}

function fold(w: string): string {
  let s = w.toLowerCase()
  if (s.length > 4 && s.endsWith('ies')) s = s.slice(0, -3) + 'y'
  else if (s.length > 3 && s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us')) s = s.slice(0, -1)
  return s
}

/** Weights of a named entity and of a number against a plain word (measured on ECB+ DEV). */
const ENTITY_WEIGHT = 1.5
const NUMBER_WEIGHT = 2
const SENTENCE_END = /[.!?]$/

export function storyTerms(input: { title: string; text: string }): StoryTerms {
  const terms = new Map<string, number>()
  const entityCount = new Map<string, number>()
  const add = (t: string, w: number) => terms.set(t, (terms.get(t) ?? 0) + w)
  const scan = (text: string, weight: number) => {
    for (const line of text.split(/\n+/)) {
      const toks = line.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[.!?;:]/gu) ?? []
      let run: string[] = []
      const flush = () => {
        if (run.length > 0) {
          const name = run.join(' ')
          entityCount.set(name, (entityCount.get(name) ?? 0) + weight)
          add(`e:${name.toLowerCase()}`, ENTITY_WEIGHT * weight)
          // Each part too, so "Klitschko" later in a text matches "Wladimir Klitschko" in its title.
          if (run.length > 1) for (const part of run) if (part.length > 2) add(`e:${part.toLowerCase()}`, ENTITY_WEIGHT * weight)
          run = []
        }
      }
      for (let i = 0; i < toks.length; i++) {
        const raw = toks[i]!.replace(/['’]s$/u, '').replace(/[.'’-]+$/u, '')
        if (raw === '' || /^[.!?;:]$/.test(toks[i]!)) { flush(); continue }
        const sentenceStart = i === 0 || SENTENCE_END.test(toks[i - 1]!)
        const capital = /^\p{Lu}/u.test(raw) && !/^\p{Lu}+$/u.test(raw.length > 4 ? raw : 'x')
        if (capital && !(sentenceStart && CAP_STOP.has(raw)) && !CAP_STOP.has(raw)) run.push(raw)
        else flush()
        if (/^\d/.test(raw)) {
          add(`n:${raw}`, NUMBER_WEIGHT * weight)
          continue
        }
        const w = fold(raw)
        if (w.length < 3 || STOP.has(w)) continue
        add(w, weight)
      }
      flush()
    }
  }
  scan(input.title, 2)
  scan(input.text, 1)
  const entities = [...entityCount.entries()].sort((a, b) => b[1] - a[1]).map(([e]) => e)
  return { terms, entities }
}
