/**
 * The English vocabulary behind lost-space repair (clean-body-spaces.ts), written for this project:
 * about 3,900 frequent English words (base forms; inflections are recognised by `isEnglishWord`), the
 * closed-class words that the repair may split around, and the real words that look like two words
 * run together. Lower-case ASCII throughout.
 */

// Frequent words, space-separated to keep the file small. Not a full dictionary: a token missing from
// it is never split unless it also passes the stricter tests in clean-body-spaces.ts.
const COMMON_TEXT = `
  a abandon ability able abortion about above abroad absence absolute absolutely absorb abuse academic academy
  accept acceptable access accident accompany accomplish accord according account accountability accounting
  accurate accuse accused achieve achievement acid acknowledge acquire acquisition across act action active
  activist activists activity actor actress actual actually ad adapt add addition additional address adds
  adequate adjust adjustment administration administrator admire admission admit adopt adult advance advanced
  advantage adventure advertising advice advise adviser advocacy advocate affair affect afford affordable
  afraid africa after afternoon afterward again against age aged agency agenda agent aggressive aging ago
  agree agreed agreement agricultural agriculture ah ahead aid aide aim aims air aircraft airline airlines
  airport airspace alarm album alcohol alert alike alive all allegation allege alleged allegedly alliance
  allies allow ally almost alone along alongside already also alter alternative although always am amazing
  ambassador ambition ambitious amendment amid among amongst amount ample an analysis analyst analysts analyze
  ancestor ancestry ancient and angel anger angle angry animal ankle anniversary announce announcement annual
  annually another answer anticipate anxiety anxious any anybody anymore anyone anything anyway anywhere apart
  apartment apologize app apparel apparent apparently appeal appear appearance appetite apple application
  apply appoint appointment appreciate approach appropriate approval approve approximately apps april arab
  arch architect architecture archive are area arena argue argument arise arm armed arms army around arrange
  arrangement arrest arrested arrival arrive art article artificial artist artistic artwork as ash asian aside
  ask asleep aspect assault assembly assert assess assessment asset assign assignment assist assistance
  assistant associate association assume assumption assure asylum at ate athlete athletic atmosphere attach
  attack attacker attempt attend attendance attention attitude attorney attract attractive attribute auction
  audience audio audit august author authority auto automaker automatic automatically autonomous autumn
  available avenue average aviation avoid award aware awareness away awful baby back backed background backing
  bad badly bag bail bake balance ball ballot ban band bank banker banking bankrupt bankruptcy bar bare barely
  bargain barrel barrier base baseball baseline basic basically basis basket basketball bat batch bath
  bathroom battery battle bay be beach bean bear beat beautiful beauty became because become bed bedroom been
  beer before began begin beginning begun behalf behave behavior behaviour behind being belief believe bell
  belong belongs beloved below belt bench bend beneath benefit beside besides best bet better between beyond
  bicycle bid big bike bilateral bill billion billionaire billions bind biography biological bird birth
  birthday bit bite bitter black blade blame blanket blast blind block blog blogger blood blow blue blur board
  boarding boat body boil bold bomb bombing bond bone bonus book booking boom boost boot border born borrow
  boss both bother bottle bottom bought bounce boundary bow bowl box boy boyfriend brain branch brand brave
  bravery breach bread break breakfast breakthrough breast breath breathe brick bride bridge brief briefly
  bright brilliant bring broad broadband broadcast broke broken broker brother brought brown browser brush
  brutal bubble buck buddy budget build builder building built bulk bullet bunch bundle burden bureau burn
  burst bury bus business busy but butter button buy buyer buyout by cabin cabinet cable cake calculate call
  calm came camera camp campaign campaigner campus can canal cancel canceled cancelled cancer candidate cap
  capability capable capacity capita capital capsule captain capture car carbon card care career careful
  carefully cargo carrier carry cartoon case cash casino cast castle casualty cat catalog catastrophe catch
  category cattle caught cause cautious ceasefire ceiling celebrate celebration celebrity cell censorship
  census center central centre century ceo ceremony certain certainly chain chair chairman challenge chamber
  champion championship chance chancellor change channel chaos chapter character characteristic characterize
  charge charity chart charter chase cheap check cheek cheese chef chemical chemistry chess chest chicken
  chief child childhood children chip chocolate choice choose chose chosen church cigarette cinema circle
  circumstance cite citizen city civic civil civilian claim clash class classic classify classroom clause
  clean clear clearly click client climate climb clinic clinical clock close closely closer closure clothes
  clothing cloud club clue cluster coach coal coalition coast coastal coat code coffee cognitive cold collapse
  collar colleague collect collection collective college collision colonial colony color colour column
  columnist combat combination combine come comeback comedy comfort comfortable command commander comment
  commentary commerce commercial commission commissioner commit commitment committee commodity common
  communicate communication community compact company compare comparison compensation compete competition
  competitive competitor complain complaint complete completely complex compliance complicated comply
  component compose composition comprehensive computer concede concentrate concentration concept concern
  concerned concert concession conclude conclusion concrete condemn condition conduct conference confess
  confidence confident confidential confirm conflict confront confusion congress congressional congressman
  connect connection consciousness consensus consequence conservative consider considerable consideration
  consist consistent consortium constant constantly constituency constitute constitution constitutional
  construct construction consulate consult consultant consume consumer consumption contact contain container
  contemporary content contest contestant context continue continued contract contractor contrast contribute
  contribution control controversial controversy convention conventional conversation convert convict
  conviction convince cook cookie cooking cool cooperation cop cope copy core corn corner corporate
  corporation correct correspondent corridor corrupt corruption cost cottage cotton couch could council
  counsel count counter counterpart country county coup couple courage course court courtroom cousin cover
  coverage covid cow crack crackdown craft crash crazy cream create creation creative creator creature credit
  creditor crew cricket crime criminal crisis criteria critic critical criticism criticize crop cross crowd
  crucial crude cruise cry crypto cultural culture cup curb cure curious currency current currently curriculum
  custody custom customer cut cyber cycle dad daily dam damage dance danger dangerous dare dark data database
  date daughter day dead deal dealer dealing dean dear death debate debt debut decade december decent decide
  decision deck declare decline decrease deep deeply deer defeat defence defend defendant defense defensive
  deficit define definitely definition degree delay delegate delegation deliberately deliver delivery demand
  demise democracy democrat democratic demographic demonstrate demonstration dense deny department depend
  dependent deploy deployment deposit depression depth deputy derive describe description desert deserve
  design designer desire desk desperate despite destination destroy destruction detail detailed detain detect
  detention deter determine devastating develop developer developing development device devote diabetes
  diagnose diagnosis dialog dialogue did diesel diet differ difference different differently difficult
  difficulty dig digital dilemma dimension dining dinner dinosaur diplomacy diplomat diplomatic direct
  direction directive directly director dirt dirty disability disagree disappear disaster discipline disclose
  disclosure discount discourse discover discovery discrimination discuss discussion disease dish dismiss
  dismissal disorder dispatch displace display dispute disrupt disruption dissent distance distant distinct
  distinction distinguish distribute distribution district diverse diversity divide dividend division divorce
  do dock doctor doctrine document documentary does dog dollar dome domestic dominant dominate donate donation
  done donor door dose double doubt down download downtown downturn dozen dozens draft drag drama dramatic
  dramatically draw drawing dream dress drew drink drive driven driver drone drop drought drove drug dry dual
  due dump duration during dust duty dynamic dynasty each eager ear early earn earnings earth earthquake ease
  easily east eastern easy eat eaten economic economics economist economy ecosystem edge edition editor
  editorial educate education educational educator effect effective effectively efficiency efficient effort
  egg eight eighteen eighth eighty either elbow elder elderly eldest elect election electoral electric
  electricity electronic element elementary eleven elite else elsewhere email embassy embrace emerge emergency
  emerging emission emotion emotional emperor emphasis emphasize empire employ employee employer employment
  empty enable encounter encourage end endorse endorsement enemy energy enforce enforcement engage engagement
  engine engineer engineering english enhance enjoy enormous enough ensure enter enterprise entertainment
  entire entirely entity entrance entry environment environmental envoy epidemic episode equal equality
  equally equation equip equipment equity equivalent era erode error escalate escape especially essay
  essential essentially establish establishment estate estimate ethical ethics ethnic euro european evacuate
  evacuation evaluate evaluation even evening event eventually ever every everybody everyday everyone
  everything everywhere eviction evidence evident evil evolution evolve exact exactly exam examination examine
  example exceed excellent except exception exchange exciting executive exercise exhibit exhibition exile
  exist existence existing exit expand expansion expect expectation expected expedition expense expensive
  experience experiment expert expire explain explanation explode exploit exploration explore explosion export
  exporter expose exposure express expression extend extension extensive extent external extinction extra
  extradition extraordinary extreme extremely eye fabric face facebook facility fact faction factor factory
  faculty fade fail failure fair fairly fairness faith fall false familiar family famous fan fantasy far farm
  farmer farther fashion fashionable fast fat fatal fate father fatigue fault favor favorite favour fear
  feasible feature february fed federal federation fee feed feel feeling feet fell fellow felt female fence
  fertility festival few fewer fiber fiction field fifteen fifth fifty fight fighter fighting figure file fill
  film final finally finals finance financial financing find finding fine finger finish fire firearm
  firefighter firm first fiscal fish fishing fit fitness five fix flag flame flat flavor fled flee fleet flesh
  flew flexible flight flights float flood floor flow flower fluid fly focus folk follow following food foot
  footage football for force forecast foreign forensic forest forever forgave forget forgive forgot form
  formal format formation former formula forth fortune forty forum forward fossil fought found foundation
  founder four fourteen fourth frame framework franchise fraud free freedom freeze freight french frequency
  frequent frequently fresh friday friend friendly friendship from front frontier froze fruit frustration fuel
  full fully fun function fund fundamental funding funeral funny furniture further furthermore fury future
  gadget gain galaxy gallery game gaming gang gap garage garden garlic garment gas gasoline gate gateway
  gather gave gay gaze gear gender gene general generally generate generation genetic genocide genre gentleman
  gently geography german gesture get ghost giant giants gift gifted girl girlfriend give given glacier glad
  glance glass global glove go goal god gold golden golf gone good gospel got gotten governance government
  governor grab grade gradually graduate grain grand grandfather grandmother grant grass grave gray great
  greatest green grew grey grid grocery ground group grow growing grown growth guarantee guard guerrilla guess
  guest guide guideline guilty gun guy gym habit habitat hack hacker had hair half hall hand handful handle
  handset hang happen happy harassment hard hardly hardware harsh harvest has hat hate have hazard he head
  headache headline headquarters health healthy hear hearing heart heat heating heaven heavily heavy hedge
  heel height heir held helicopter hell hello help helpful hemisphere her here heritage hero hers herself hey
  hi hid hide high highlight highly highway hiking hill him himself hint hip hire his historian historic
  historical history hit hockey hold hole holiday holy home homeland homeless honest honey honor honour hope
  horizon horror horse hospital host hostage hostile hot hotel hour house household housing hover how however
  huge human humanitarian humor hundred hundreds hung hungry hunter hunting hurricane hurt husband hybrid
  hypothesis i ice icon idea ideal identification identify identity ideological ideology if ignore ill illegal
  illness illustrate image imagination imagine immediate immediately immigrant immigration immune impact
  impeachment implant implement implication imply import importance important impose impossible impress
  impression impressive improve improvement in inability incentive incident include including inclusive income
  incorporate increase increased increasing increasingly incredible incumbent indeed independence independent
  index indian indicate indication indictment individual industrial industry inequality infant infected
  infection inflation influence influencer inform information infrastructure ingredient inherit initial
  initially initiative injure injured injury inmate inner innings innocent innovation input inquiry inside
  insider insight insist inspection inspector inspire install instance instead institution institutional
  instruction instructor instrument insurance insurer integrity intellectual intelligence intend intense
  intensity intent intention interaction interest interested interesting interim intern internal international
  internet interpret interpretation intervention interview into introduce introduction invade invasion invest
  investigate investigation investigative investigator investment investor invite invoice involve involved
  involvement iron is island isolation issue it item its itself jacket jail january jazz jet jihad job join
  joint joke journal journalism journalist journey joy judge judgment judiciary juice july jump june junior
  jurisdiction jury just justice justification justify keen keep kept kernel key kick kid kidnap kill killer
  killing kind king kingdom kiss kitchen knee knelt knew knife knock know knowledge known lab label labor
  laboratory labour lack lady laid lake land landmark landscape landslide language lap laptop large largely
  laser last late later latest latter laugh launch lava law lawmaker lawmakers lawn lawsuit lawyer lay layer
  layoff lead leader leadership leading leaf league leak lean leapt learn learning lease least leather leave
  lecture led left leg legacy legal legend legislation legislative legislator legitimate lemon lender length
  lent less lesson let letter level liability liberal liberation library licence license lie life lifeline
  lifestyle lifetime lift light lightning like likely limit limitation limited line lineup link lip liquid
  list listen lit literacy literally literary literature little live lives living load loan lobby lobbyist
  local locate location lock login logistics long longer look loose lose loss lost lot loud love lovely lover
  low lower loyal loyalty luck lucky lunch lung lyrics machine mad made magazine magnitude mail main mainland
  mainly mainstream maintain maintenance major majority make maker makeup malaria male mall man manage
  management manager mandate manifesto manipulate manner mansion manufacturer manufacturing many map marathon
  march margin marine mark market marketing marketplace marriage married marry martial mask mass massacre
  massive master match mate material maternity math matter may maybe mayor mayoral me meal mean meaning meant
  meanwhile measure measurement meat mechanism medal medalist media medical medication medicine medium meet
  meeting member membership memory men mental mention menu merchandise mere merely merger mess message met
  metal meter method metro mice middle midfielder midnight might migrant migration militant military militia
  milk million millions mind mine mineral mining minister ministry minor minority minute miracle mirror miss
  missile mission missionary mistake mix mixture mobile mobilize mode model moderate modern modest mom moment
  momentum monarch monday money monitor monopoly month monument mood moon moral morale more moreover morning
  mortality mortgage mosque most mostly mother motion motivation motive motor mount mountain mouse mouth move
  movement movie mr mrs ms much multiple municipal mural murder muscle museum music musical musician muslim
  must mutual my myself mystery myth naked name narcotics narrative narrow nation national nationalist
  nationwide native natural naturally nature naval navy near nearby nearly necessarily necessary neck need
  negative negotiate negotiation negotiator neighbor neighborhood neighbour neither nerve nervous net network
  neutral never nevertheless new newcomer newly news newspaper next nice night nine nineteen ninety ninth no
  nobody nod noise nomination nominee none nonetheless nonprofit nor normal normally north northern nose not
  notably note nothing notice notion novel november now nowhere nuclear number numerous nurse nut nutrition
  obesity object objective obligation observation observe observer obtain obvious obviously occasion
  occasionally occupation occupy occur ocean october odd odds of off offense offensive offer office officer
  official offshore often oh oil ok okay old olympic olympics on once one ongoing onion online only onset onto
  open opening opera operate operating operation operator opinion opponent opportunity oppose opposite
  opposition opt option or orange order ordinary organic organization organize orientation origin original
  originally other others otherwise ought our ours ourselves out outbreak outcome outlet outlook output
  outside oven over overall overcome overdose overhaul overlook overnight overseas oversight owe own owner
  ownership pace pack package pact page paid pain painful paint painter painting pair pale palm pan pandemic
  panel pant paper parade paradise parent park parking parliament parliamentary part participant participate
  participation particular particularly partisan partly partner partnership party pass passage passenger
  passion passport password past patch patent path patience patient patrol pattern pause pay payment payroll
  peace peak peasant pedestrian peer penalty pension people pepper per perceive percent percentage perception
  perfect perfectly perform performance perhaps period permanent permission permit person personal personality
  personally personnel perspective persuade pet petition petrol pharmacy phase phenomenon philosophy phone
  photo photograph photographer phrase physical physically physician piano pick picture pie piece pile pilgrim
  pilot pine pink pipe pipeline piracy pitch pitcher place plague plaintiff plan plane planet planner planning
  plant plastic plate platform play player plea please pleasure pledge plenty plot plunge plus pocket podcast
  poem poet poetry point poised polar pole police policy political politically politician politics poll
  polling pollution pool poor pop popular popularity population porch port portfolio portion portrait portray
  pose position positive possess possibility possible possibly post postpone pot potato potential potentially
  poultry pound pour poverty powder power powerful practical practice pray prayer precedent precisely
  predecessor predict prefer preference pregnancy pregnant premier premiere premium preparation prepare
  prescription presence present presentation preserve presidency president presidential press pressure
  prestige pretend pretty prevalence prevent previous previously prey price pride priest primarily primary
  prime principal principle print prior priority prison prisoner privacy private privatization probably probe
  problem procedure proceed proceeds process produce producer product production profession professional
  professor profile profit program programme progress prohibit project prominent promise promote prompt proof
  propaganda proper properly property proportion proposal propose proposed prosecute prosecution prosecutor
  prospect prosperity protect protection protein protest protester protocol proud prove provide provider
  province provincial provision provocative proxy psychological psychologist psychology public publication
  publicity publicly publish publisher pull punish punishment purchase pure purpose pursue push put quake
  qualify quality quarantine quarter quarterback query question quick quickly quiet quietly quit quite quota
  quote race racial racing radical radio rail rain raise rally ran rang range rank ransom rapid rapidly rare
  rarely rate rather ratify rating ratio raw reach react reaction read reader reading ready real reality
  realize really reason reasonable rebel rebound recall receive recent recently recession recipe recipient
  recognition recognize recommend recommendation reconstruction record recording recover recovery recruit red
  reduce reduction refer reference referendum refinery reflect reflection reform refugee refuse regain regard
  regarding regardless regime region regional register regular regularly regulate regulation regulator
  rehabilitation reign reinforce reject relate relation relationship relative relatively relax release
  relevant relief religion religious relocate rely remain remaining remarkable remedy remember remind remote
  remove renewable rental repeal repeat repeatedly replace reply report reportedly reporter represent
  representation representative republic republican reputation request require requirement rescue research
  researcher resemble reservation reservoir residence resident resign resilience resilient resist resistance
  resolution resolve resort resource respect respond respondent response responsibility responsible rest
  restaurant restore restriction result retail retailer retain retaliation retire retirement retreat return
  reveal revelation revenge revenue reversal review revival revolution rhetoric rhythm rice rich rid ride
  ridge rifle right ring riot rise risk rival river road robot robust rock rocket rode role roll romantic roof
  rookie room root rope rose roster rough roughly round route routine row royal rub rule ruling rumor run
  runner running rupture rural rush russian sacred sad safe safety said sailor sake salad salary sale sales
  salmon salt same sample sanction sand sang sank sat satellite satire satisfaction satisfy sauce save saving
  saw say says scale scam scandal scared scenario scene schedule scheme scholar scholarship school science
  scientific scientist scope score scream screen script scroll scrutiny sea seafood search season seasonal
  seat second secret secretary section sector secure security see seed seek seem seen segment seize select
  selection self sell seller semiconductor senate senator send senior sense sensitive sensor sent sentence
  sentiment separate september sequence serial series serious seriously serve server service session set
  setting settings settle settlement settler seven seventeen seventh seventy several severe sex sexual shade
  shadow shake shall shape share shareholder sharp she sheet shelf shell shelter shift shine ship shipment
  shipping shirt shock shoe shook shoot shooting shop shopping shore short shortage shortly shot should
  shoulder shout show shower shrink shrug shut shutdown sick side siege sigh sight sign signal significance
  significant significantly silence silent silver similar similarly simple simply sin since sing singer single
  sink sir sister sit site situation six sixteen sixth sixty size skeptical ski skill skin sky slam slave
  sleep slept slice slid slide slight slightly slip slogan slope slow slowly slump small smart smartphone
  smell smile smoke smooth smuggling snap snow so soaring soccer social society soft software soil solar sold
  soldier solid solidarity solution solve some somebody somehow someone something sometimes somewhat somewhere
  son song soon sophisticated sorry sort sought soul sound soup source south southern sovereign sovereignty
  soviet space spacecraft spanish speak speaker special specialist species specific specifically spectator
  spectrum speculation sped speech speed spend spending spent spike spin spirit spiritual split spoke spoken
  spokesman spokesperson spokeswoman sponsor sport spot spotlight spouse spread spring spun squad square
  squeeze stability stable stadium staff stage stair stake stakeholder stance stand standard standing star
  stare start startup state statement station statistics status statute stay steady steal steel step stick
  still stimulus stir stock stockpile stole stomach stone stood stop storage store storm story straight strait
  strange stranger strategic strategy stream streaming street strength strengthen stress stretch stricken
  strike striker string strip stroke strong strongly struck structure struggle stuck student studio study
  stuff stung stupid style subject submit subsequent subsidiary subsidy substance substantial suburb succeed
  success successful successfully successor such sudden suddenly sue suffer sufficient sugar suggest
  suggestion suicide suit summary summer summit sun sunday sunk super superintendent supermarket supplier
  supply support supporter suppose supposed supreme sure surely surface surge surgeon surgery surplus surprise
  surprised surprising surprisingly surround surveillance survey survival survive survivor suspect suspend
  suspension sustain swam swap swear sweep sweet swept swim swing swipe switch swore swung symbol symbolic
  sympathy symptom syndrome system table tablespoon tablet tackle tactic tail take taken takeover tale talent
  talk tall tally tank tap tape target tariff task taste taught tax taxation taxpayer tea teach teacher
  teaching team teammate tear teaspoon technical technique technology teen teenager teeth telecom telephone
  telescope television tell temperature temporary ten tenant tend tendency tennis tension tent tenth tenure
  term terminal terms terrible territory terror terrorism terrorist test testament testify testimony testing
  text textile than thank thanks that the theater theatre theft their theirs them theme themselves then theory
  therapy there thereby therefore these they thick thin thing think thinking third thirteen thirty this those
  though thought thousand thousands threat threaten three threshold threw throat throne through throughout
  throw thrown thursday thus ticket tidal tie tight till timber time timeline tiny tip tire tired tissue title
  to tobacco today toe together toilet told toll tomato tomorrow tone tongue tonight too took tool tooth top
  topic tore torn tornado toss total totally touch tough tour tourism tourist tournament toward towards tower
  town toxic toy trace track trade trader tradition traditional traffic trafficking tragedy tragic trail train
  training transaction transfer transform transformation transit transition translate transparency transparent
  transportation travel treasury treat treatment treaty tree tremendous trend trial tribe trick trillion trio
  trip triumph troop trophy trouble truce truck true truly trust truth try tsunami tube tuesday tuition tunnel
  turbine turmoil turn turnout tv twelve twenty twice twin two tycoon type typhoon typical typically ugly
  ultimate ultimately ultimatum unable uncertainty uncle under undergo understand understanding understood
  unemployment unfortunately uniform union unique unit united universal universe university unknown unless
  unlike unlikely unprecedented unrest until unusual up upgrade upload upon upper uprising urban urge us use
  used useful user usual usually utility vacation vaccination vaccine valley valuable value variable variation
  variety various vary vast vegetable vehicle vendor venture venue verdict version versus very vessel veteran
  veto via viable vibrant vice victim victory video view viewer village violate violation violence violent
  viral virtual virtually virtue virus visa visible vision visit visitor visual vital voice volatile volcano
  volume volunteer vote voter voting vow vs vulnerable wage wait wake walk wall wander want war warm warn
  warning wartime was wash waste watch watchdog water wave way we weak weakness wealth wealthy weapon wear
  weather web website wedding wednesday week weekday weekend weekly weigh weight welcome welfare well went
  wept were west western wet what whatever wheel when whenever where whereas whether which while whilst
  whisper whistleblower white who whoever whole whom whose why wide widely widespread wife wild wildfire
  wildlife will willing win wind window wine wing winner winter wipe wire wisdom wise wish with withdraw
  within without witness woke woman women won wonder wonderful wood wooden word wore work worker workforce
  working works workshop world worldwide worn worried worry worse worst worth would wound wrap wrestling write
  writer writing written wrong wrote yard yeah year yell yellow yen yes yesterday yet yield you young
  youngster your yours yourself yourselves youth yuan zone zoning
`

/** Frequent English words (lower case). */
export const COMMON_WORDS: ReadonlySet<string> = new Set(COMMON_TEXT.split(/\s+/).filter(Boolean))

/**
 * Words of programming prose. Identifiers such as `toArray`, `withRouter` or `intoIter` join a joining
 * word and one of these; counting them as words keeps such identifiers whole. Not used as split halves.
 */
export const TECH_WORDS: ReadonlySet<string> = new Set(`
  array arrays router redux timeout iter iterator iterable json promise observable vector tuple struct enum
  hash hashmap dict string int integer bool boolean float double buffer stream regex callback handler props
  prop ref refs node nodes element elements component components context reducer memo query schema entity
  repository async await sync const var null nil undefined nan infinity object class index key keys value
  values entries entry item items file files path url uri http api dom html css xml yaml sql db io utf
  ascii bytes byte char chars token tokens thread threads mutex channel future futures stdin stdout
  stderr args argv env config middleware plugin plugins widget widgets layout render renderer slice slices
  pointer ptr heap queue deque stack frame frames socket sockets request response header headers payload
  cookie session blob uint bigint symbol proxy reflect parser lexer compiler runtime vm wasm gpu cpu ram
`.split(/\s+/).filter(Boolean))

/**
 * Closed-class words that may stand before a proper noun whose space was lost (`andJapan`, `viaKyodo`).
 * Left out on purpose: `on is as get set has use`, which start most camelCase identifiers in code
 * (`onClick`, `isValid`, `getUser`), so a tech article's prose keeps its identifiers.
 */
export const JOINING_WORDS: ReadonlySet<string> = new Set(`
  and or but nor the an of in at by via with from to for into onto than then that this these those
  said says told including like between about against over under after before during near among amid
  across within without through toward towards around behind beyond since until while where when
  his her their our its your my was were are been also both each every per upon whose which who whom
`.split(/\s+/).filter(Boolean))

/** Joining words that may also stand before an acronym (`theUS`, `andNATO`): no code-like prefixes. */
export const ACRONYM_JOINING_WORDS: ReadonlySet<string> = new Set(`
  and or but the of in at by via with than said says including between against among
`.split(/\s+/).filter(Boolean))

/**
 * Hinges for lower-case joins (`isthe`, `andthe`, `thecompany`): a token is split only around one of
 * these. Hinges that begin or end many real words (of, for, its, after, about, there, where) are not
 * here. The set was checked against two large English word lists (about 170,000 words): the real words
 * made of a hinge and a frequent word (`withdraw`, `seethe`, `andiron`, `whatnot`) are in KNOWN_WORDS.
 */
export const HINGE_WORDS: ReadonlySet<string> = new Set(`
  the and that this these those with from into their have been were would could should what when
`.split(/\s+/).filter(Boolean))

/** Frequent words that never stand as one half of a split (abbreviations, interjections). */
export const NOT_A_HALF: ReadonlySet<string> = new Set(`
  mr mrs ms vs tv ceo ok okay oh ah hi hey yeah ad per
`.split(/\s+/).filter(Boolean))

/** Real words (or word forms) that a hinge split would otherwise break. */
export const KNOWN_WORDS: ReadonlySet<string> = new Set(`
  andiron andirons confirmand forthwith herewith therewith wherewith wherewithal outwith intonation
  intonations intonational havelock havering shebeen whatnot whatsit whatsits whenas withdraw withdrew
  withdrawn withheld withhold withholding withholds withoutdoors withstand withstanding withstands
  withstood seethe seethed seethes thebe theurgist thereinto hereinto whereinto therefrom wherefrom herefrom
`.split(/\s+/).filter(Boolean))

/**
 * Brand and name spellings with a lower-case start and an inner capital. Most never reach the split
 * rule (it needs a joining word on the left); these are the ones that would, and a few famous ones kept
 * as documentation of what must never change.
 */
export const CAMEL_CASE_NAMES: ReadonlySet<string> = new Set(`
  iPhone iPad iPod iMac iOS iCloud iTunes iMessage eBay eBook eSports eCommerce macOS watchOS tvOS iPadOS
  visionOS mRNA pH kWh mAh deGrom easyJet okCupid bitFlyer eToro jQuery theSkimm theGrio theCHIVE theBump
  theKnot theBlaze inDrive theScore andMe
`.split(/\s+/).filter(Boolean))

const VOWEL = /[aeiouy]/

/**
 * True when `w` (lower case) is a frequent word or a regular form of one: plural, past, -ing, -er/-est,
 * -ly, -ness, -ment, -ful, -less, or a common prefix (un-, re-, over-…) on a word of four letters or
 * more. Generous on purpose: a token that might be a word is left alone.
 */
export function isEnglishWord(w: string): boolean {
  if (COMMON_WORDS.has(w) || KNOWN_WORDS.has(w) || TECH_WORDS.has(w)) return true
  if (w.length < 4) return false
  return isInflected(w) || hasPrefix(w)
}

function isBase(w: string): boolean {
  return w.length >= 2 && (COMMON_WORDS.has(w) || KNOWN_WORDS.has(w) || TECH_WORDS.has(w))
}

function isInflected(w: string): boolean {
  const tryStem = (stem: string): boolean => isBase(stem) || isBase(`${stem}e`) || (stem.endsWith('i') && isBase(`${stem.slice(0, -1)}y`))
    || (stem.length > 3 && stem.at(-1) === stem.at(-2) && !VOWEL.test(stem.at(-1)!) && isBase(stem.slice(0, -1)))
  for (const suffix of ['s', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'est', 'ly', 'ness', 'ment', 'ments', 'ful', 'less', 'able', 'ism', 'ist', 'ists', 'al', 'ally', 'ity', 'ize', 'ized', 'ise', 'ised', 'ship', 'hood', 'ward', 'wards']) {
    if (w.length > suffix.length + 2 && w.endsWith(suffix) && tryStem(w.slice(0, -suffix.length))) return true
  }
  return false
}

const PREFIXES = ['un', 're', 'non', 'pre', 'dis', 'mis', 'over', 'under', 'out', 'counter', 'anti', 'inter', 'multi', 'sub', 'super', 'co', 'semi', 'mid', 'post', 'self', 'cross', 'up', 'down']

function hasPrefix(w: string): boolean {
  for (const p of PREFIXES) {
    const rest = w.slice(p.length)
    if (w.startsWith(p) && rest.length >= 4 && !HINGE_WORDS.has(rest) && (isBase(rest) || isInflected(rest))) return true
  }
  return false
}
