import nlp from 'compromise'
import type { Entities } from '../../domain/types.js'
import { STOPWORDS, stopwordShare } from './keyphrases.js'

/**
 * People, organisations and places named in an article. English goes through compromise, topped up
 * with rules it lacks (organisation suffixes, acronyms, "Apple executives", "told Reuters", a small
 * list of countries and cities); other Latin, Greek and Cyrillic text gets the rules alone, on runs of
 * capitalised words; CJK and other scripts without capitals give nothing rather than noise.
 */

const MAX_PER_KIND = 8
// compromise costs about 0.03 ms a word and grows with the text; names are introduced early in a
// news story, so it reads the first ~4,000 characters (about 700 words) and the rules below count
// mentions over the whole text. A 2,000-word article then takes ~15 ms instead of ~60–150 ms.
const NLP_CHARS = 4000

const list = (s: string): string[] => s.split('|').map((x) => x.trim()).filter(Boolean)

// Countries, territories and major cities: general knowledge, English names.
const PLACES = new Set(list(`
  Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|Bahrain|
  Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Botswana|Brazil|Brunei|Bulgaria|
  Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|Colombia|Congo|Costa Rica|Croatia|Cuba|Cyprus|
  Czech Republic|Czechia|Denmark|Djibouti|Dominican Republic|Ecuador|Egypt|El Salvador|England|Eritrea|Estonia|
  Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Gaza|Georgia|Germany|Ghana|Greece|Greenland|Guatemala|
  Guinea|Guyana|Haiti|Honduras|Hong Kong|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|
  Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|
  Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|
  Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nepal|Netherlands|
  New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|Northern Ireland|Norway|Oman|Pakistan|
  Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Puerto Rico|Qatar|Romania|Russia|
  Rwanda|Saudi Arabia|Scotland|Senegal|Serbia|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|
  South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|
  Thailand|Tibet|Togo|Trinidad|Tunisia|Turkey|Türkiye|Turkmenistan|Uganda|Ukraine|United Arab Emirates|UAE|
  United Kingdom|UK|Britain|Great Britain|United States|US|USA|U.S.|U.K.|America|Uruguay|Uzbekistan|Vatican|
  Venezuela|Vietnam|Wales|West Bank|Yemen|Zambia|Zimbabwe|Europe|Asia|Africa|Antarctica|Arctic|Latin America|
  Middle East|Scandinavia|Balkans|Caribbean|Siberia|Crimea|Kashmir|Darfur|Catalonia|Bavaria|Quebec|Ontario|
  California|Texas|Florida|New York|Washington|Alaska|Hawaii|Arizona|Colorado|Georgia|Illinois|Michigan|Ohio|
  Pennsylvania|Virginia|Massachusetts|Oregon|Nevada|Utah|New Jersey|Louisiana|Tennessee|Kentucky|Iowa|Wisconsin|
  Minnesota|Missouri|Indiana|Alabama|Mississippi|Oklahoma|Kansas|Nebraska|Montana|Idaho|Wyoming|Vermont|Maine|
  Connecticut|Maryland|Delaware|North Carolina|South Carolina|New Mexico|North Dakota|South Dakota|Arkansas|
  London|Paris|Berlin|Madrid|Rome|Milan|Barcelona|Lisbon|Dublin|Edinburgh|Glasgow|Manchester|Liverpool|
  Birmingham|Leeds|Bristol|Cardiff|Belfast|Amsterdam|Brussels|Vienna|Zurich|Geneva|Munich|Hamburg|Frankfurt|
  Cologne|Prague|Warsaw|Budapest|Bucharest|Athens|Istanbul|Ankara|Moscow|Kyiv|Kiev|Minsk|Stockholm|Oslo|
  Copenhagen|Helsinki|Reykjavik|Tallinn|Riga|Vilnius|Belgrade|Zagreb|Sofia|Beijing|Shanghai|Hong Kong|Tokyo|
  Osaka|Seoul|Pyongyang|Taipei|Manila|Jakarta|Bangkok|Hanoi|Kuala Lumpur|Delhi|New Delhi|Mumbai|Kolkata|
  Chennai|Bangalore|Karachi|Lahore|Islamabad|Kabul|Tehran|Baghdad|Damascus|Beirut|Jerusalem|Tel Aviv|Amman|
  Riyadh|Dubai|Abu Dhabi|Doha|Cairo|Lagos|Nairobi|Addis Ababa|Johannesburg|Cape Town|Kinshasa|Khartoum|Algiers|
  Casablanca|Tunis|Tripoli|Benghazi|Sydney|Melbourne|Brisbane|Perth|Auckland|Wellington|Toronto|Montreal|
  Vancouver|Ottawa|Mexico City|Havana|Bogota|Bogotá|Lima|Santiago|Buenos Aires|Sao Paulo|São Paulo|
  Rio de Janeiro|Brasilia|Caracas|Los Angeles|San Francisco|Chicago|Boston|Seattle|Miami|Houston|Dallas|Atlanta|
  Philadelphia|Detroit|Las Vegas|Denver|Phoenix|New Orleans|Baltimore|Brooklyn|Manhattan|Silicon Valley|
  Hollywood|Cannes|Davos|Geneva|Strasbourg|The Hague|Marseille|Lyon|Naples|Venice|Florence|Seville|Valencia|
  Porto|Krakow|St Petersburg|Kharkiv|Odesa|Gdansk|Shenzhen|Wuhan|Guangzhou|Singapore|Kathmandu|Dhaka|Colombo
`))

// English titles and roles that precede a name and are not part of it.
const TITLES = /^(?:(?:the|former|late|then|deputy|vice|acting|interim|chief|senior|prime|foreign|finance|health|defen[cs]e|interior|home|education|president(?:-elect)?|minister|secretary|chancellor|premier|governor|gov|mayor|senator|sen|rep|representative|congressman|congresswoman|judge|justice|general|gen|col|colonel|lt|sgt|captain|capt|admiral|adm|king|queen|prince|princess|pope|saint|st|sir|dame|lord|lady|dr|prof|professor|mr|mrs|ms|miss|mx|rev|reverend|father|sister|brother|coach|manager|chairman|chairwoman|ceo|director|actor|actress|singer|star|officer|officers|detective|inspector|sheriff|attorney|ambassador|spokesman|spokeswoman|leader|mp|mep|state|us|u\.s\.|labour|conservative|democratic|republican|opposition|party)\.?\s+)+/i

const ORG_SUFFIX = /\b(?:Inc|Corp|Corporation|Co|Company|Ltd|Limited|LLC|LLP|plc|PLC|AG|GmbH|SA|SE|NV|BV|SpA|S\.A|Group|Holdings|Partners|Capital|Bank|Council|Ministry|Department|University|College|Institute|Academy|Agency|Authority|Commission|Committee|Board|Bureau|Office|Foundation|Trust|Association|Federation|Union|League|Party|Army|Navy|Police|Service|Services|Court|Parliament|Assembly|Senate|Congress|Organisation|Organization|Society|Club|FC|United|City|Airlines|Airways|Motors|Technologies|Systems|Media|News|Times|Post|Journal|Network|Studios|Records|Entertainment|Pharmaceuticals|Energy|Oil|Telecom|Hospital|School|Museum|Church|Universität|Université|Universidad|Università|Ministerium|Ministère|Ministerio|Banco|Banque|Partei|Parti|Partido|Gruppe|Groupe|Grupo|Kommission|Regierung|Stiftung|Verein|Gericht|Gouvernement|Gobierno|Governo)\.?$/
const ORG_HEAD = /^(?:Bank|University|Ministry|Department|Council|Court|Church|Museum|Institute|College|Academy|Federation|Union|League|Office|Board|House|Federal|National|Royal|European|International|United|World|Universität|Université|Universidad|Università|Ministerium|Ministère|Ministerio|Banco|Banque|Deutsche|Banca)(?=\s|$)/
// "Apple executives", "Tesla shares": the word before says company.
const ORG_CUE_AFTER = /^\s+(?:executives?|shares|stock|spokes(?:man|woman|person)|officials|employees|staff|engineers|customers|investors|board|headquarters|chief executive|CEO|said in a statement)\b/
const ORG_CUE_BEFORE = /\b(?:told|according to|reported by|a spokes(?:man|woman|person) for|shares of|shares in|joined|works? for|worked for|employed by|chief executive of|CEO of|founder of)\s+$/
// "…, Imogen Hartley said", "council leader Imogen Hartley": speech verbs after, roles before, say person.
const PERSON_CUE_AFTER = /^\s*(?:,\s*)?(?:said|says|told|added|wrote|argued|explained|insisted|warned|claimed|stated|asked|replied|announced|confirmed|denied|who\b|,\s*(?:who|aged|\d{1,3}\b))/
const PERSON_CUE_BEFORE = /\b(?:leader|chair|chairman|chairwoman|chief|head|director|minister|secretary|spokes(?:man|woman|person)|president|mayor|councillor|councilor|senator|manager|coach|captain|founder|owner|professor|dr|mr|mrs|ms|sir|dame|by|according to|told|said)\s+$/i
const ORG_KIND_BEFORE = /\b(?:firm|company|group|agency|bank|insurer|carmaker|maker|start-?up|publisher|retailer|chain|charity|union|broadcaster|newspaper|airline|studio|label|club|party)\s+$/i
const PLACE_CUE_BEFORE = /\b(?:in|near|outside|across|from|to|visit(?:ed|ing)?|across|north of|south of|east of|west of|capital|city of|town of|village of|province of|region of)\s+$/i
// Capitalised words that are not names when they stand alone.
const NOT_NAMES = new Set(list(`
  I|A|The|This|That|These|Those|It|He|She|We|They|You|His|Her|Their|Our|My|Its|But|And|Or|If|When|While|After|
  Before|As|At|In|On|Of|For|From|By|With|To|So|Yet|Also|However|Meanwhile|Monday|Tuesday|Wednesday|Thursday|
  Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|
  Today|Yesterday|Tomorrow|Mr|Mrs|Ms|Dr|Sir|God|Internet|Web|TV|CEO|CFO|COO|AM|PM|GMT|BST|EST|PST|UTC|OK|PhD|MP|
  No|Yes|Not|Now|Then|There|Here|What|Who|Why|How|Where|One|Two|Three|First|Last|New|Read|More|Photo|Video|Getty|
  AP|AFP|Image|Images|Advertisement|Click|Share|Follow|Subscribe|Update|Updated|Editor|Comment|Comments
`))

interface Counter { name: string; kinds: Record<keyof Entities, number>; mentions: number; first: number }

function bestKind(c: Counter): keyof Entities {
  const k = c.kinds
  return k.places >= k.organizations && k.places >= k.people ? 'places' : k.organizations >= k.people ? 'organizations' : 'people'
}

// "U.S" keeps its inner dots; a final dot is left out so that a run never crosses a sentence end.
const CAP_WORD = "\\p{Lu}[\\p{L}\\p{M}'’\\-]*(?:\\.\\p{Lu}[\\p{L}\\p{M}]*)*"
// A run of capitalised words, allowing "of", "and", "de", "van"… inside ("Bank of England").
const CAP_RUN = new RegExp(`${CAP_WORD}(?:\\s+(?:(?:of|and|&|for|the|de|del|della|di|da|do|dos|du|des|la|le|van der|van den|von der|van|von|al|el|bin|ibn)\\s+)?${CAP_WORD})*`, 'gu')

function clean(name: string): string {
  return name
    .replace(/[\s,.;:!?"“”‘’'()[\]]+$/u, '')
    .replace(/^[\s"“”‘’'([]+/u, '')
    .replace(/['’]s$/u, '')
    .replace(/^the\s+/i, '')
    .replace(/\s+/g, ' ')
    .trim()
}

// The same in other languages we capitalise-scan (German capitalises them, so they join the run).
const TITLES_OTHER = /^(?:(?:Bundeskanzler(?:in)?|Kanzler(?:in)?|Bundespräsident(?:in|en)?|Präsident(?:in|en)?|Ministerpräsident(?:in|en)?|Minister(?:in)?|Bundesminister(?:in)?|Bürgermeister(?:in)?|Chef(?:in)?|Herr|Frau|Dr|Prof|président|présidente|chancelier|chancelière|ministre|premier ministre|maire|monsieur|madame|presidente|canciller|ministro|ministra|alcalde|alcaldesa|señor|señora|sindaco|signor|signora|papa|rei|rey|roi|reine|reina|König(?:in)?)\.?\s+)+/i

function stripTitles(name: string): string {
  const stripped = name.replace(TITLES, '').replace(TITLES_OTHER, '')
  return stripped || name
}

function isAcronym(w: string): boolean {
  return /^\p{Lu}{2,6}$/u.test(w.replace(/\./g, ''))
}

/** People, organisations and places named in the title and text, most mentioned first, at most 8 each. */
export function extractEntities(input: { title: string | null; text: string; lang?: string | null }): Entities {
  const title = (input.title ?? '').trim()
  const text = `${title}${title ? '.\n' : ''}${input.text ?? ''}`
  const empty: Entities = { people: [], organizations: [], places: [] }
  if (!/\p{Lu}/u.test(text)) return empty // no capitals: CJK, Thai, Arabic, Hebrew… nothing to go on
  const lang = (input.lang ?? '').toLowerCase().split(/[-_]/)[0] || (stopwordShare(text.slice(0, 3000), 'en') >= 0.15 ? 'en' : '')
  if (!lang && letterShare(text, /[\p{Lu}\p{Ll}]/u) < 0.5) return empty
  const english = lang === 'en'
  const stop = STOPWORDS[lang] ?? new Set<string>()

  const found = new Map<string, Counter>() // by lower-case name
  const add = (raw: string, kind: keyof Entities, score: number, at: number) => {
    let name = clean(raw)
    if (kind === 'people') name = stripTitles(name)
    name = clean(name)
    if (name.length < 2 || name.length > 60 || NOT_NAMES.has(name) || /^\P{L}+$/u.test(name)) return
    if (!/^\p{Lu}|^\p{N}/u.test(name) && !/^(?:de|van|von|al|el|iPhone|eBay)\b/.test(name)) return
    if (stop.has(name.toLowerCase())) return
    const key = name.toLowerCase()
    const c = found.get(key) ?? { name, kinds: { people: 0, organizations: 0, places: 0 }, mentions: 0, first: at }
    c.kinds[kind] += score
    c.mentions++
    c.first = Math.min(c.first, at < 0 ? Infinity : at)
    found.set(key, c)
  }
  const kindOf = (key: string): keyof Entities | null => {
    const c = found.get(key)
    return c ? bestKind(c) : null
  }

  if (english) {
    // compromise reads the first part only (see NLP_CHARS); it tells people from places well.
    const head = text.length > NLP_CHARS ? text.slice(0, text.lastIndexOf('.', NLP_CHARS) + 1 || NLP_CHARS) : text
    const doc = nlp(head)
    for (const p of doc.people().out('array') as string[]) add(p, 'people', 2, text.indexOf(p))
    for (const o of doc.organizations().out('array') as string[]) add(o, 'organizations', 2, text.indexOf(o))
    for (const p of doc.places().out('array') as string[]) add(p, 'places', 2, text.indexOf(p))
  }

  // Our rules, over the whole text.
  for (const m of text.matchAll(CAP_RUN)) {
    const at = m.index
    let run = clean(m[0])
    const before = text.slice(Math.max(0, at - 40), at)
    const after = text.slice(at + m[0].length, at + m[0].length + 40)
    const sentenceStart = /(?:^|[.!?:"“]\s*|\n\s*)$/u.test(before)
    // "The Bank of England": drop a leading stop-word capitalised by the sentence.
    const words = run.split(' ')
    while (words.length > 1 && (stop.has(words[0]!.toLowerCase()) || NOT_NAMES.has(words[0]!))) words.shift()
    run = words.join(' ')
    if (!run) continue
    if (PLACES.has(run)) { add(run, 'places', 3, at); continue }
    if (ORG_SUFFIX.test(run) || (words.length > 1 && ORG_HEAD.test(run))) { add(run, 'organizations', 3, at); continue }
    if (words.length === 1 && isAcronym(run) && !/^\p{Lu}+$/u.test(line(text, at))) { add(run, 'organizations', 1.5, at); continue }
    if (english && words.length === 1 && (ORG_CUE_AFTER.test(after) || ORG_CUE_BEFORE.test(before))) { add(run, 'organizations', 2, at); continue }
    if (english && ORG_KIND_BEFORE.test(before)) { add(run, 'organizations', 2, at); continue }
    if (english && words.length >= 2 && words.length <= 3 && words.every((w) => /^\p{Lu}\p{Ll}/u.test(w)) && (PERSON_CUE_AFTER.test(after) || PERSON_CUE_BEFORE.test(before))) {
      add(run, 'people', 2, at)
      continue
    }
    if (sentenceStart && words.length === 1) continue // a capital that only says "new sentence"
    const known = kindOf(run.toLowerCase())
    if (english) {
      if (known) add(run, known === 'people' && PLACE_CUE_BEFORE.test(before) ? 'places' : known, 1, at) // a later mention
      continue
    }
    // Other languages: a run of two or three capitalised words with no cue is most often a person.
    // German capitalises every noun, so single capitalised words say nothing there.
    if (words.length >= 2 && words.length <= 3 && !words.some((w) => isAcronym(w))) add(run, 'people', 1, at)
    else if (known) add(run, known, 1, at)
  }

  return rank(found)
}

function line(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at) + 1
  const end = text.indexOf('\n', at)
  return text.slice(start, end < 0 ? undefined : end).replace(/[^\p{L}]/gu, '')
}

function letterShare(text: string, re: RegExp): number {
  let n = 0
  let hit = 0
  for (const ch of text.slice(0, 2000)) if (/\p{L}/u.test(ch)) { n++; if (re.test(ch)) hit++ }
  return n ? hit / n : 0
}

/** Merges short forms into full names ("Starmer" into "Keir Starmer"), then ranks by mentions. */
function rank(found: Map<string, Counter>): Entities {
  const all = [...found.values()].map((c) => ({ name: c.name, kind: bestKind(c), score: c.mentions, first: c.first }))
  const multi = all.filter((c) => c.name.includes(' '))
  const merged: typeof all = []
  for (const c of all) {
    if (!c.name.includes(' ')) {
      // The one longer name that contains this word takes its mentions ("Starmer" → "Keir Starmer").
      const hosts = multi.filter((m) => m.name.split(' ').includes(c.name) && (m.kind === c.kind || m.kind === 'people' || c.kind === 'people'))
      if (hosts.length === 1) { hosts[0]!.score += c.score; hosts[0]!.first = Math.min(hosts[0]!.first, c.first); continue }
    }
    merged.push(c)
  }
  const out: Entities = { people: [], organizations: [], places: [] }
  merged.sort((a, b) => b.score - a.score || a.first - b.first)
  for (const c of merged) {
    if (c.kind === 'people' && !c.name.includes(' ') && c.score < 2) continue // a lone capitalised word, seen once
    if (out[c.kind].length < MAX_PER_KIND && !out[c.kind].includes(c.name)) out[c.kind].push(c.name)
  }
  return out
}
