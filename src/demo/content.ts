/**
 * The demo publisher's newsroom: four made-up outlets and their articles, as plain data.
 * Every place, company and person here is fictional and every sentence was written for Tidings.
 *
 * Paragraph strings use a tiny markup that `publisher.ts` renders:
 *   "## Heading"            → <h2>
 *   "> text"                → <blockquote>
 *   "[words](@article-id)"  → a link to another demo article (must be older than the one linking)
 */

export type DemoSourceId = 'herald' | 'northwind' | 'gazette' | 'kita'

export interface DemoSource {
  id: DemoSourceId
  name: string
  tagline: string
  lang: 'en' | 'fr'
  /** OpenGraph locale, e.g. `en_US`. */
  locale: string
  /** Charset of the feed and the article pages. */
  charset: 'utf-8' | 'windows-1252'
  feedFormat: 'rss' | 'atom' | 'json'
  feedPath: string
  /** The outlet's front page; ends with `/`. */
  homePath: string
  /** The newsroom's local time, used in dates shown on pages and written into feeds. */
  utcOffsetMinutes: number
  color: string
  /** Header navigation labels. */
  sections: string[]
  newsletter: { title: string; text: string; button: string }
  /** A sponsored block dropped into the middle of article bodies, as real pages do. */
  sponsored?: string
}

export interface DemoImage {
  /** Served as `/img/<id>.svg`; articles that share an image share the id. */
  id: string
  label: string
  color: string
}

export interface DemoFigure {
  /** Index into `paragraphs`: the figure follows that paragraph. */
  afterParagraph: number
  image: DemoImage
  caption: string
  credit: string
}

export interface DemoTranslation {
  lang: 'ja'
  charset: 'shift_jis'
  title: string
  dek: string
  author: string
  paragraphs: string[]
}

export interface DemoArticle {
  id: string
  source: DemoSourceId
  slug: string
  title: string
  /** Standfirst: the page's description and the feed summary. */
  dek: string
  author: string
  categories: string[]
  /** Publication time, in minutes before the anchor. */
  minutesAgo: number
  /** Last edit, in minutes before the anchor, when the article was updated after publication. */
  updatedMinutesAgo?: number
  lead: { image: DemoImage; caption?: string; credit?: string }
  paragraphs: string[]
  figures?: DemoFigure[]
  /** Whether the feed carries the full text (otherwise only the dek, and the page must be fetched). */
  fullTextInFeed?: boolean
  /** Id of the original when this is a syndicated copy; the page's canonical link points there. */
  republishedFrom?: string
  translation?: DemoTranslation
}

export const DEMO_SOURCES: DemoSource[] = [
  {
    id: 'herald',
    name: 'Harbor City Herald',
    tagline: 'News from Harbor City, the bay and the islands since 1911',
    lang: 'en',
    locale: 'en_US',
    charset: 'utf-8',
    feedFormat: 'rss',
    feedPath: '/herald/feed.xml',
    homePath: '/herald/',
    utcOffsetMinutes: -7 * 60,
    color: '#1d4e89',
    sections: ['News', 'City Hall', 'Transit', 'Business', 'Sports', 'Arts', 'Weather', 'Opinion'],
    newsletter: {
      title: 'The Morning Tide',
      text: 'The day’s most important Harbor City stories, in your inbox every weekday at 6 a.m.',
      button: 'Sign up',
    },
    sponsored:
      'Sponsored · Bayside Credit Union: refinance your boat loan from 6.9% APR. Members save an average of $212 a year. Learn more »',
  },
  {
    id: 'northwind',
    name: 'Northwind Tech Review',
    tagline: 'Technology, explained without the hype',
    lang: 'en',
    locale: 'en_GB',
    charset: 'utf-8',
    feedFormat: 'atom',
    feedPath: '/northwind/atom.xml',
    homePath: '/northwind/',
    utcOffsetMinutes: 0,
    color: '#0f766e',
    sections: ['Latest', 'Reviews', 'Energy', 'Chips', 'Software', 'Policy', 'Podcast'],
    newsletter: {
      title: 'Northwind Weekly',
      text: 'One email on Sundays: the week in technology, with the hype taken out.',
      button: 'Subscribe',
    },
    sponsored:
      'Advertisement · Upgrade to CloudDesk Pro today and get three months free. Where will your team work next? Continue »',
  },
  {
    id: 'gazette',
    name: 'Gazette de Montfleury',
    tagline: 'L’actualité de Montfleury et de la vallée de la Lize',
    lang: 'fr',
    locale: 'fr_FR',
    charset: 'windows-1252',
    feedFormat: 'rss',
    feedPath: '/gazette/rss.xml',
    homePath: '/gazette/',
    utcOffsetMinutes: 2 * 60,
    color: '#9f1239',
    sections: ['Actualités', 'Montfleury', 'Économie', 'Sports', 'Culture', 'Météo', 'Annonces'],
    newsletter: {
      title: 'La lettre du matin',
      text: 'Recevez chaque matin l’essentiel de l’actualité de Montfleury, gratuitement.',
      button: 'Je m’inscris',
    },
  },
  {
    id: 'kita',
    name: 'Kita Daily',
    tagline: 'English-language news from Kitaminato and the north coast',
    lang: 'en',
    locale: 'en_US',
    charset: 'utf-8',
    feedFormat: 'json',
    feedPath: '/kita/feed.json',
    homePath: '/kita/',
    utcOffsetMinutes: 9 * 60,
    color: '#b45309',
    sections: ['News', 'Business', 'Science', 'Sports', 'Culture', 'Travel', 'Opinion'],
    newsletter: {
      title: 'Kita Daily Briefing',
      text: 'Kitaminato’s news in English, delivered every evening at 7.',
      button: 'Sign me up',
    },
    sponsored: 'Video · Click to watch: highlights from this week in Kitaminato',
  },
]

/** Authors whose pages carry a bio (JSON-LD `author.description` and a visible author box). */
export const AUTHOR_BIOS: Record<string, string> = {
  'Evelyn Marsh':
    'Evelyn Marsh covers transport and city hall for the Harbor City Herald. Before joining the paper in 2015, she spent nine years reporting on ports, shipping and public works for a regional business weekly.',
}

export const SYNDICATION_NOTE =
  'This report was first published by Harbor City Herald and is republished with permission.'

// ───────────────────────────── Harbor City Herald ─────────────────────────────

const heraldPortPact: DemoArticle = {
  id: 'herald-port-pact',
  source: 'herald',
  slug: 'harbor-city-kitaminato-shore-power-pact',
  title: 'Harbor City and Kitaminato sign pact to plug docked ships into shore power',
  dek: 'The sister ports will share designs, suppliers and data as they race to let ships at berth switch off their diesel generators.',
  author: 'Evelyn Marsh',
  categories: ['Shipping', 'Climate', 'Economy', 'Kitaminato'],
  minutesAgo: 1900,
  lead: {
    image: { id: 'port-pact-cranes', label: 'Container cranes at Pier 9', color: '#3d5a80' },
    caption: 'Cranes at Harbor City’s Pier 9 terminal, one of the first berths due to be wired.',
    credit: 'Photo: Mara Quinlan / Harbor City Herald',
  },
  paragraphs: [
    'The ports of Harbor City and Kitaminato signed an agreement on Wednesday to equip their container and cruise berths with shore power, the heavy cables that let a docked ship turn off its diesel generators and draw electricity from the grid instead. The two cities, sister ports since 1964, said they would aim to have every deep-water berth wired by 2030.',
    'A ship at berth typically keeps its auxiliary engines running for refrigeration, lighting and onboard cranes, and the exhaust drifts straight into the neighbourhoods around the docks. In Harbor City, the Eastbank and Fisher’s Row districts have asthma hospitalisation rates nearly double the city average, a figure residents raised again and again during hearings on the port’s expansion last year.',
    '“For the people who live next to the terminals, this is not an abstract climate target,” Port Director Samuel Iwu said at the signing, held over a video link between the two harbours. “It is about what their children breathe on the way to school.”',
    'Under the agreement, the ports will publish a common technical specification for plugs and connection points, pool their orders for transformers and cable reels to bring prices down, and share monthly figures on how many ship calls actually connect. Kitaminato, which wired its first two berths in 2022, will send engineers to Harbor City to help commission the new equipment.',
    '## The hard part: getting ships to plug in',
    'Installing the equipment is only half of the challenge. Many older vessels lack the onboard connections, and shipping lines have been slow to retrofit them while marine fuel stays cheaper than shore electricity at some hours of the day. Both ports said they would cut berth fees for ships that connect and would consider making connection mandatory for regular callers after 2028.',
    'Harbor City’s share of the cost is estimated at $96 million over six years. The port expects to cover about a third with federal clean-port grants and the rest from its capital budget. The first new connections are planned for the Pier 9 cruise terminal, where [a large grid battery came online this week](@herald-larkspur-battery) to smooth the heavy, irregular power draw of big ships.',
    'Kitaminato Mayor Haruka Sugimoto, speaking from her city’s harbour office, said the partnership would outlast any single project. “Our ports have traded with each other for sixty years,” she said. “Now we are trading what we have learned.”',
  ],
  figures: [
    {
      afterParagraph: 3,
      image: { id: 'port-pact-cable-reels', label: 'Shore power cable reels', color: '#2a9d8f' },
      caption: 'Cable reels for shore power stand ready at Kitaminato’s Berth 3.',
      credit: 'Photo: Port of Kitaminato',
    },
  ],
}

const herald: DemoArticle[] = [
  {
    id: 'herald-ferry-budget',
    source: 'herald',
    slug: 'council-freezes-gull-island-ferry-fares',
    title: 'Council freezes ferry fares for a year after late-night budget fight',
    dek: 'A 7–4 vote keeps the Gull Island crossing at $3.25 but leaves the Harbor Transit Authority looking for $4.1 million.',
    author: 'Evelyn Marsh',
    categories: ['City Council', 'Transit', 'Budget'],
    minutesAgo: 26,
    fullTextInFeed: true,
    lead: {
      image: { id: 'ferry-sandpiper', label: 'The Sandpiper at Gull Island', color: '#2f6f8f' },
      caption: 'The ferry Sandpiper approaches the Gull Island landing.',
      credit: 'Photo: Mara Quinlan / Harbor City Herald',
    },
    paragraphs: [
      'Harbor City Council voted 7–4 shortly after midnight to freeze fares on the Gull Island ferry for another year, ending a budget debate that ran for more than six hours and brought over a hundred residents to the public comment microphone.',
      'The decision keeps a one-way adult ticket at $3.25 and the monthly island pass at $58. The Harbor Transit Authority had asked for a 40-cent increase, arguing that fuel, insurance and a backlog of hull repairs had pushed the ferry’s operating deficit to its highest level since the city took the service over from a private operator in 2009.',
      '“People on the island don’t have a second way home,” said Councilmember Ana Lucía Ferreira, whose district includes Gull Island and who introduced the freeze as an amendment. “When the bridge-and-bus alternative takes ninety minutes, a fare increase is not a nudge toward another option. It is simply a tax on living where you live.”',
      'Opponents did not dispute the hardship but questioned the arithmetic. Councilmember Desmond Pike said the freeze opens a $4.1 million gap that the authority will have to close by putting off maintenance on its two older boats, the Cormorant and the Sandpiper. “We are choosing a cheaper ticket today over a reliable boat in three years,” he said.',
      '## Where the money comes from',
      'Under the amended budget, the city will cover roughly half of the gap with a one-time transfer from its parking revenue fund. Authority staff said the rest would come from delaying the replacement of the Sandpiper’s port engine until the next fiscal year and from leaving four deckhand positions vacant through the winter schedule.',
      'The vote lands in a difficult month for the authority, which is also preparing to [close the Bayline tunnel downtown on six weekends](@herald-bayline-tunnel) for long-delayed repairs. Both projects draw on the same strained maintenance accounts.',
      'Mayor Rosalind Achterberg, who had backed the authority’s original request, said she would sign the budget but asked staff to return in the spring with a long-term funding plan for the ferry. The mayor has ten days to act on the measure.',
      'The authority’s board meets next Tuesday to adopt a revised winter timetable. Riders can expect the same number of daily crossings, a spokesperson said, though the late weekday sailing may leave fifteen minutes earlier to reduce overtime.',
    ],
    figures: [
      {
        afterParagraph: 2,
        image: { id: 'ferry-council-chamber', label: 'Public comment at City Hall', color: '#7d6b91' },
        caption: 'Residents wait their turn to speak during public comment at City Hall on Tuesday night.',
        credit: 'Photo: Jonah Whitford / Harbor City Herald',
      },
    ],
  },
  {
    id: 'herald-storm',
    source: 'herald',
    slug: 'gale-warning-first-big-storm-of-the-season',
    title: 'Gale warning issued as the season’s first big storm heads for the coast',
    dek: 'Forecasters expect gusts near 90 km/h overnight; the last Gull Island ferry will leave at 8 p.m.',
    author: 'Priya Venkataraman',
    categories: ['Weather', 'Transit', 'Public Safety'],
    minutesAgo: 58,
    lead: {
      image: { id: 'storm-over-harbour', label: 'Storm clouds over the harbour', color: '#4a5568' },
    },
    paragraphs: [
      'The National Weather Office issued a gale warning for Harbor City and the outer islands on Thursday afternoon, as the first strong storm of the season moved in from the ocean with heavy rain and gusts that could approach 90 kilometres an hour overnight.',
      'Rain is expected to begin in the early evening and become heavy after 10 p.m., with 40 to 60 millimetres likely by Friday morning and locally more on the hills above Northgate. The strongest winds should arrive between midnight and 4 a.m., when a cold front crosses the coast.',
      'The Harbor Transit Authority said the last Gull Island ferry would leave the city terminal at 8 p.m., two hours earlier than usual, and that morning sailings would resume only after harbour pilots have inspected the channel. Bayline trains will run at reduced speed on the elevated section over the river.',
      'City crews spent the afternoon clearing storm drains along Commerce Avenue and Fisher’s Row, where flooding closed several blocks during a similar storm last November. Sandbags are available at the fire stations on Tern Street and Orchard Road while supplies last.',
      '“Tie down anything loose in your yard tonight: bins, trampolines, patio furniture,” said Rhiannon Oduya, the city’s emergency management director. “Most of the injuries we see in wind storms come from objects that were flying, not from falling trees.”',
      'The storm should clear by Friday afternoon, leaving a cool and breezy weekend with temperatures around 14 degrees. Forecasters said a second, weaker system could arrive on Monday.',
    ],
  },
  {
    id: 'herald-bayline-tunnel',
    source: 'herald',
    slug: 'bayline-trains-skip-downtown-tunnel-six-weekends',
    title: 'Bayline trains to skip the downtown tunnel on six weekends for repairs',
    dek: 'Shuttle buses will replace light rail between Civic Center and Pier Street while crews replace worn rails and drainage pumps.',
    author: 'Evelyn Marsh',
    categories: ['Transit', 'Infrastructure'],
    minutesAgo: 340,
    lead: {
      image: { id: 'bayline-tunnel', label: 'Bayline train at Civic Center', color: '#9b2226' },
    },
    paragraphs: [
      'Riders on the Bayline light rail will have to switch to shuttle buses through downtown on six weekends starting next month, while crews replace rails, track fasteners and drainage pumps in the 1.2-kilometre tunnel beneath Commerce Avenue, the Harbor Transit Authority announced on Monday.',
      'Each closure runs from the last train on Friday night to the first train on Monday morning. Trains will keep running on the rest of the line, turning back at Civic Center from the north and at Pier Street from the south. Buses marked “Bayline Shuttle” will run every six minutes between the two stations, stopping at street level near the closed Market and Courthouse stations.',
      'The work addresses a problem that has dogged the tunnel since it opened in 1998. Groundwater seeps through joints in the concrete lining, and the original pumps struggle to keep up during heavy rain. Standing water has corroded sections of rail and caused at least three signal failures in the past year, according to a report presented to the authority’s board in June.',
      '“Closing the tunnel on weekends is disruptive, and we know it,” said Carmen Delacroix, the authority’s chief operating officer. “The alternative is a string of unplanned weekday shutdowns, which is worse for everyone.”',
      'The project is budgeted at $18.6 million, most of it from a state maintenance grant. The authority said it chose weekends because ridership is about 35 percent lower than on weekdays, and scheduled the work to finish before the holiday shopping season.',
      'Accessibility advocates asked the authority to make sure the temporary bus stops are level with the curb and clearly signposted. Delacroix said staff would be posted at each shuttle stop during the first two closures to help riders find their way.',
      'A full list of dates is posted at stations. Riders who use wheelchairs or other mobility aids can book a door-to-door ride through the authority’s paratransit service at no extra cost on closure weekends.',
    ],
  },
  {
    id: 'herald-pelicans',
    source: 'herald',
    slug: 'pelicans-rally-in-ninth-take-series-from-riverton',
    title: 'Pelicans rally in the ninth to take the series from Riverton',
    dek: 'Tomás Reyna’s two-run double capped a three-run comeback in front of a sold-out crowd at Breakwater Park.',
    author: 'Daniel Okonkwo',
    categories: ['Sports', 'Baseball'],
    minutesAgo: 700,
    fullTextInFeed: true,
    lead: {
      image: { id: 'pelicans-breakwater-park', label: 'Breakwater Park at night', color: '#1f6f50' },
      caption: 'Tomás Reyna is mobbed by teammates after his game-winning double.',
      credit: 'Photo: Keisha Arnott / Harbor City Herald',
    },
    paragraphs: [
      'For eight innings on Wednesday night, the Harbor City Pelicans looked like a team ready for the off-season. Then Tomás Reyna lined a two-run double into the left-field corner with two outs in the ninth, and a sold-out Breakwater Park erupted as the Pelicans beat the Riverton Foxes 5–4 to take the series two games to one.',
      'The Pelicans had managed just four hits against Riverton starter Colby Haskins, who struck out nine and retired fourteen batters in a row at one point. Trailing 4–2 going into the ninth, Harbor City loaded the bases against reliever Evan Tsai on a walk, a bunt single and a hit batsman.',
      'Pinch-hitter Devon Alcott drew another walk to force in one run before Reyna, who had struck out in each of his first three at-bats, fouled off four straight pitches and then drove a slider down the line.',
      '“I wasn’t thinking about the first three,” Reyna said afterwards, still wiping off the shaving-cream pie his teammates delivered during his on-field interview. “He kept throwing me that slider away, and eventually he left one where I could reach it.”',
      'Pelicans starter Marcus Obi gave up four runs in six innings, three of them on a home run by Riverton catcher Jake Lindqvist in the fourth. The bullpen then held Riverton scoreless over the final three innings, and closer Ray Santos picked up the win.',
      'The win moves the Pelicans to within two games of a playoff spot with eleven games to play. They open a four-game home series against the Lakeport Anchors on Friday, weather permitting; the club said it was watching the forecast and would announce any change by noon.',
    ],
  },
  {
    id: 'herald-larkspur-battery',
    source: 'herald',
    slug: 'larkspur-switches-on-sodium-battery-pier-9',
    title: 'Larkspur Energy switches on a sodium battery the size of a city block at Pier 9',
    dek: 'The 120-megawatt-hour installation is the first commercial test of the company’s Tidewell system, and it contains no lithium.',
    author: 'Lucas Brennan',
    categories: ['Energy', 'Technology', 'Economy', 'Larkspur Energy'],
    minutesAgo: 2300,
    fullTextInFeed: true,
    lead: {
      image: { id: 'tidewell-cabinets', label: 'Tidewell battery cabinets', color: '#6b4c9a' },
    },
    paragraphs: [
      'Larkspur Energy switched on a 120-megawatt-hour battery at the Port of Harbor City on Monday, the first commercial installation of the company’s new Tidewell system and, by the company’s count, the largest sodium-ion battery operating anywhere on the coast.',
      'The installation fills a former container yard behind the Pier 9 cruise terminal with 48 cabinets, each the size of a shipping container. It will charge when electricity is cheap and plentiful, typically around midday when solar output peaks, and discharge in the early evening, when demand on the city’s grid is highest and cruise ships at the terminal draw the most power.',
      '“A battery that doesn’t need lithium, cobalt or nickel changes who can build one, and where,” Larkspur chief executive Odile Marchetti said at the switch-on, standing in front of a row of cabinets painted in the company’s violet. Sodium is abundant and cheap, she said, and the cells can be shipped and stored completely discharged, which makes them safer to transport.',
      'The trade-off is weight. Sodium-ion cells store less energy per kilogram than lithium-ion ones, which rules them out for most cars and phones but matters far less for a battery that will never move. Larkspur says Tidewell cells keep 80 percent of their capacity after 8,000 full cycles, a claim the port’s engineers say they will check with their own monitoring.',
      'The port paid $41 million for the system under a ten-year agreement that leaves Larkspur responsible for maintenance. Port officials estimate it will save about $3.8 million a year in peak electricity charges and let the terminal supply shore power to two large ships at once without rebuilding its substation.',
      'For Harbor City, the project is also a bet on jobs. Larkspur assembles its cabinets at a plant in the Eastbank industrial district that employs 310 people, and the company said it would add a second shift next year if orders from other utilities come through. It is also scouting sites for a factory in Europe.',
      'Not everyone is convinced yet. Leonard Adeyemi, who studies energy storage at Eastbank University, said sodium-ion chemistry was promising but still young at this scale. “The first few years of real-world data from installations like this one will tell us more than any laboratory test,” he said.',
    ],
    figures: [
      {
        afterParagraph: 2,
        image: { id: 'tidewell-switch-on', label: 'Switch-on at Pier 9', color: '#8e7cc3' },
        caption: 'Odile Marchetti, Larkspur’s chief executive, at the switch-on behind the Pier 9 cruise terminal.',
        credit: 'Photo: Larkspur Energy',
      },
    ],
  },
  heraldPortPact,
  {
    id: 'herald-seals',
    source: 'herald',
    slug: 'harbor-seal-count-twenty-year-high',
    title: 'Harbor seal count reaches a 20-year high, Eastbank survey finds',
    dek: 'Researchers counted 1,412 seals around the bay this summer, almost double the low recorded in 2006.',
    author: 'Priya Venkataraman',
    categories: ['Science', 'Environment', 'Wildlife'],
    minutesAgo: 2600,
    lead: {
      image: { id: 'seals-gannet-rock', label: 'Harbor seals on a sandbar', color: '#5b7b8a' },
    },
    paragraphs: [
      'The bay’s harbor seals are having their best years in two decades. An annual aerial survey led by Eastbank University counted 1,412 seals on resting sites around the bay in July, the highest total since the count began in 2004 and nearly double the low of 738 recorded in 2006.',
      'The survey team photographs every rocky ledge, sandbar and dock where seals haul out at low tide, then counts the animals by hand from the images. This year, volunteers from the university’s marine biology club helped review more than 9,000 photographs over six weeks.',
      '“We don’t think there is one single reason,” said marine ecologist Helena Varga, who leads the project. She pointed to cleaner water since the city upgraded its sewage treatment plant in 2012, the closure of two fish farms in the northern bay, and a rebound in herring, one of the seals’ main prey.',
      'The recovery has brought some friction. Boat owners at the Westwater marina have complained about seals sprawling on floating docks, and the harbour master installed low barriers on two piers this spring. Varga said the barriers seem to work without harming the animals, which have moved to a nearby sandbar.',
      'The researchers caution that the count is a snapshot. Harbor seals spend much of their time in the water, so a survey only captures the animals resting at the moment of the flight, and one warm or stormy day can swing the numbers. The team applies a correction based on tagged seals to estimate the whole population, which it puts at roughly 2,100.',
      'Visitors hoping to see them are asked to stay at least 50 metres away, particularly in early summer, when mothers leave pups on the beach while they feed. A pup alone on the sand has usually not been abandoned, Varga said. “The best thing you can do is walk away and let her come back.”',
    ],
    figures: [
      {
        afterParagraph: 1,
        image: { id: 'seals-survey-photo', label: 'Seals at low tide', color: '#7a9e9f' },
        caption: 'Seals rest on the Gannet Rock sandbar at low tide, photographed during the July survey flight.',
        credit: 'Photo: Eastbank University Marine Lab',
      },
    ],
  },
  {
    id: 'herald-museum',
    source: 'herald',
    slug: 'saltmarsh-museum-reopens-restored-figurehead',
    title: 'Saltmarsh Museum reopens with a restored figurehead at its heart',
    dek: 'After two years of renovation, the maritime art museum has a new glass hall and a carving that spent a century under the bay.',
    author: 'Greta Holm',
    categories: ['Culture', 'Arts', 'History'],
    minutesAgo: 3900,
    lead: {
      image: { id: 'museum-figurehead', label: 'Figurehead of the Constance', color: '#8c5a3c' },
      caption: 'The restored figurehead of the barque Constance in the museum’s new harbour hall.',
      credit: 'Photo: Saltmarsh Museum of Maritime Art',
    },
    paragraphs: [
      'The Saltmarsh Museum of Maritime Art reopened to the public on Saturday after a two-year, $27 million renovation, with a queue that stretched along the waterfront promenade well before the doors opened at ten.',
      'The centrepiece is a carved wooden figurehead of a woman holding a lantern, recovered in 1987 from the wreck of the merchant barque Constance, which sank off Gull Island in a winter storm in 1871. The figure spent more than a century in the cold silt of the bay, which preserved the wood but stripped away almost all of its paint.',
      'Conservators spent three years drying the carving slowly and studying tiny flecks of pigment that survived in its crevices. Rather than repaint it, the museum chose to show the figurehead as it is and to project a reconstruction of its original colours onto a screen beside it.',
      '“We could have made it look new, but that would have erased its story,” said chief conservator Ines Albrecht. “The scars are part of what it has been through.”',
      'The renovation also added a glass-walled hall facing the harbour, a ground-floor gallery for temporary exhibitions and a studio where school groups can try traditional rope-work and sail-making. The first temporary exhibition, a collection of ship portraits by local painters, runs until March.',
      'Admission remains free for Harbor City residents on the first Sunday of each month. The museum is open Tuesday to Sunday from 10 a.m. to 5 p.m., with late opening until 9 p.m. on Thursdays.',
    ],
  },
]

// ───────────────────────────── Northwind Tech Review ─────────────────────────────

const northwind: DemoArticle[] = [
  {
    id: 'nw-fernhollow',
    source: 'northwind',
    slug: 'fernhollow-3-time-travel-queries',
    title: 'Fernhollow 3.0 adds time-travel queries to the open-source database',
    dek: 'The release lets developers ask what a table looked like at any point in the past, without restoring a backup.',
    author: 'Ingrid Solberg',
    categories: ['Software', 'Open Source', 'Databases'],
    minutesAgo: 41,
    fullTextInFeed: true,
    lead: { image: { id: 'fernhollow-3', label: 'Fernhollow 3.0', color: '#2d6a4f' } },
    paragraphs: [
      'The maintainers of Fernhollow, the open-source database popular with small teams that want something sturdier than a single file but simpler than a cluster, released version 3.0 on Thursday. Its headline feature lets developers query a table as it looked at any moment in the past.',
      'Time-travel queries, as the feature is known, work by keeping old versions of rows instead of overwriting them, then letting a query name a timestamp. A developer who wants to know what a customer’s address was before last Tuesday’s bulk update can ask directly, rather than restoring a backup to a spare server and digging through it.',
      'The history is not kept forever by default. Administrators set a retention window for each table, seven days unless changed, after which a background process discards old versions. A longer history costs disk space: the project’s own benchmarks show write-heavy tables growing by 20 to 60 percent with a 30-day window.',
      '“The most common support question we get is some version of ‘I ran the wrong UPDATE, how do I get my data back?’” said lead maintainer Aurelio Bastos. “Backups are still essential, but most mistakes are noticed within hours, and for those you shouldn’t need to restore anything.”',
      'Version 3.0 also drops support for the on-disk format used before version 2.0, so users on very old installations will need to upgrade in two steps. The maintainers have published a migration guide and say the conversion takes about a minute per ten gigabytes on typical hardware.',
      'Fernhollow is developed by about forty regular contributors and funded largely through donations and support contracts with a handful of hosting companies. The project remains under a permissive licence, and the maintainers said there are no plans to move features into a paid edition.',
    ],
  },
  {
    id: 'nw-quillfeather',
    source: 'northwind',
    slug: 'quillfeather-offline-first-team-notes',
    title: 'Quillfeather launches an offline-first notes app for teams, no account required',
    dek: 'The two-year-old startup syncs notes directly between devices and says it never sees what is in them.',
    author: 'Theo Nakashima-Brandt',
    categories: ['Startups', 'Privacy', 'Software'],
    minutesAgo: 420,
    updatedMinutesAgo: 300,
    lead: { image: { id: 'quillfeather-app', label: 'Quillfeather notes', color: '#b45309' } },
    paragraphs: [
      'Quillfeather, a startup of eleven people spread across four time zones, launched its team notes app on Wednesday with an unusual pitch: there is no sign-up page. Notes live on the devices of the people who write them and sync directly between those devices, encrypted end to end, whenever they are online at the same time.',
      'Teams invite new members by sharing a one-time code, either in person as a QR code or through a messaging app. If no two members are online together, an optional relay run by the company holds encrypted changes for up to thirty days. Quillfeather says the relay cannot read them and keeps no record of who belongs to which team.',
      '“Most collaboration tools assume the server is the source of truth and your laptop is a cache,” said co-founder Amara Lindgren. “We flipped that. Your copy is the real one. If we disappeared tomorrow, your notes would still be there, and your team could keep syncing over the office network.”',
      'The approach relies on a data structure that lets two people edit the same note offline and merge their changes later without conflicts. Such structures have been studied for years, but they have a reputation for being hard to make fast. Quillfeather says its app opens a workspace of 10,000 notes in under a second on a mid-range phone, a figure we have not yet been able to test.',
      'The app is free for teams of up to ten people. Larger teams pay $4 per member per month for admin controls and the relay service. The company has raised $6.5 million from investors led by Tamarack Ventures.',
      'Privacy researchers welcomed the design but noted that end-to-end encryption protects content, not behaviour. Metadata such as when devices connect to the relay can still reveal patterns, Lindgren acknowledged, and the company plans to publish an independent audit of the relay next year.',
      'Update: an earlier version of this article gave the size of the company’s funding round as $5.6 million. It is $6.5 million.',
    ],
  },
  {
    id: 'nw-meridian-plant',
    source: 'northwind',
    slug: 'meridian-silicon-kitaminato-packaging-plant',
    title: 'Meridian Silicon picks Kitaminato for its first overseas chip packaging plant',
    dek: 'The chipmaker will spend ¥180 billion on an advanced packaging site, betting that how chips are stacked matters as much as how small they are.',
    author: 'Theo Nakashima-Brandt',
    categories: ['Semiconductors', 'Technology', 'Kitaminato', 'Economy'],
    minutesAgo: 1500,
    lead: { image: { id: 'meridian-packaging-line', label: 'Chip packaging line', color: '#1e3a5f' } },
    paragraphs: [
      'Meridian Silicon will build its first factory outside its home market in Kitaminato, the company confirmed on Tuesday, committing ¥180 billion (about $1.2 billion) to a plant that will package and test chips rather than make them from scratch.',
      'Packaging used to be the unglamorous last step of chipmaking: cut the finished wafer into individual dies, mount them, wire them up and seal them in plastic. That has changed as shrinking transistors further becomes harder and more expensive. Increasingly, performance gains come from stacking memory directly on top of processors, or placing several smaller chips side by side on a shared base, and doing that well takes factories of its own.',
      'Meridian’s Kitaminato plant will focus on that kind of advanced packaging for data-centre processors. Production is scheduled to begin in the second half of 2028, with [about 1,100 jobs at full capacity](@kita-meridian-jobs), as Kita Daily first reported on Monday.',
      '“Our customers want packaging capacity close to where the memory is made,” Meridian chief operating officer Wen-Li Aranda said on a call with reporters. Two large memory makers already run fabs within 80 kilometres of the city, and the port gives Meridian a direct shipping route to customers across the Pacific.',
      'The prefectural government is providing a subsidy that local reports put at up to ¥45 billion, and the city has agreed to expand a water-recycling plant that will serve the site. Packaging uses far less water than wafer fabrication, but the volumes are still significant, and local fishing cooperatives have asked for guarantees about what is discharged into the bay.',
      'Analysts said the choice reflects a broader shift in the industry. “For years the story was who could make the smallest transistor,” said Priscilla Omondi, a semiconductor analyst at Larchmont Research. “Now a lot of the value is in how you put the pieces together, and that is where companies are racing to add capacity.”',
    ],
  },
  {
    id: 'nw-pebblebeam',
    source: 'northwind',
    slug: 'pebblebeam-two-review',
    title: 'Pebblebeam Two review: an e-reader that finally takes notes seriously',
    dek: 'A sharper screen, a stylus that feels like a pencil and a battery that lasts weeks. The software still needs work.',
    author: 'Miriam Castellanos',
    categories: ['Gadgets', 'Reviews', 'E-readers'],
    minutesAgo: 2200,
    fullTextInFeed: true,
    lead: {
      image: { id: 'pebblebeam-two', label: 'Pebblebeam Two', color: '#3f3f46' },
      caption: 'The Pebblebeam Two with its magnetic stylus attached.',
      credit: 'Photo: Miriam Castellanos / Northwind Tech Review',
    },
    paragraphs: [
      'Most e-readers treat note-taking as an afterthought: a clumsy on-screen keyboard, a highlight that disappears into a menu nobody opens. The Pebblebeam Two is built around the idea that people who read a lot also want to write in the margins, and for the most part it delivers.',
      'The 10.3-inch screen is the biggest improvement over the first model. Text is crisp at 300 pixels per inch, the front light warms gradually in the evening, and page turns are quick enough that I stopped noticing them after a day. At 390 grams it is light enough to hold in one hand, although not for long.',
      'The stylus is the real story. It clings magnetically to the side, needs no charging and has a slightly textured tip that drags across the screen like a soft pencil on paper. Latency is low enough that handwriting looks natural, and palm rejection worked reliably in my testing, even when I rested my whole hand on the page.',
      'Notes written in the margin of a book stay anchored to their passage even if you change the font size, which sounds obvious but is something several competitors still get wrong. Handwriting recognition is decent for printed letters and poor for joined-up writing; I gave up on it for anything longer than a shopping list.',
      'The software is where the Pebblebeam Two falls short. Syncing notes to a computer requires the company’s own desktop app, exported PDFs flatten annotations into images, and the store offers fewer titles than its larger rivals. You can load your own EPUB files over USB, which helps.',
      'Battery life was excellent: about three weeks with an hour of reading and a few pages of notes each day, with wireless switched off. The Pebblebeam Two costs $379, or $419 with a fabric cover that doubles as a stand.',
      '## Verdict',
      'If you still read on paper because you like to scribble, this is the first e-reader that might change your mind. If you only want to read novels, a cheaper model will serve you just as well.',
    ],
  },
  {
    id: 'nw-tidewell',
    source: 'northwind',
    slug: 'larkspur-tidewell-sodium-ion-grid-storage',
    title: 'Larkspur’s Tidewell is a sodium-ion bet on cheaper grid storage',
    dek: 'The first commercial system is now running in Harbor City. Here is what the chemistry can and cannot do.',
    author: 'Miriam Castellanos',
    categories: ['Energy', 'Batteries', 'Technology', 'Larkspur Energy'],
    minutesAgo: 2250,
    lead: { image: { id: 'tidewell-module', label: 'Tidewell cell module', color: '#6b4c9a' } },
    paragraphs: [
      'Larkspur Energy has spent six years telling anyone who would listen that the future of grid storage is salty. This week the company put that claim into service: a 120-megawatt-hour Tidewell system, built from sodium-ion cells, is now running at the Port of Harbor City.',
      'Sodium-ion batteries work on the same principle as the lithium-ion cells in a phone. Ions shuttle between two electrodes through an electrolyte as the battery charges and discharges. The difference is the ion: sodium is about a thousand times more abundant in the Earth’s crust than lithium, and it can be refined from ordinary salt.',
      '## What Larkspur claims',
      'According to the company’s specification sheet, each Tidewell cabinet stores 2.5 megawatt-hours and can deliver its full output for four hours. Larkspur rates the cells for 8,000 full cycles before capacity drops to 80 percent, and says they keep working at temperatures as low as minus 30 °C, where lithium iron phosphate cells usually need heating.',
      'The company also leans on safety. Sodium-ion cells can be discharged to zero volts for shipping, and Larkspur says its cells did not catch fire in nail-penetration tests that make many lithium-ion cells burst into flames. Independent results have not yet been published; Larkspur says it will release them once certification is complete.',
      '## What it gives up',
      'Energy density is the catch. Tidewell cells hold roughly 160 watt-hours per kilogram, about a third less than good lithium iron phosphate cells. For a grid battery that mostly means more concrete and a bigger footprint. In Harbor City, the system occupies a former container yard the size of a city block.',
      'Price will decide whether any of this matters. Larkspur would not disclose its cost per kilowatt-hour, but the port’s published contract values the installation at $41 million, roughly in line with recent lithium-based projects of a similar size. If the company can bring that down as production grows (it says a European factory is next), sodium could become a serious contender for stationary storage.',
    ],
    figures: [
      {
        afterParagraph: 3,
        image: { id: 'tidewell-open-cabinet', label: 'Inside a Tidewell cabinet', color: '#4c1d95' },
        caption: 'A Tidewell cabinet with its service doors open, showing racks of cell modules.',
        credit: 'Photo: Larkspur Energy',
      },
    ],
  },
  {
    id: 'nw-data-portability',
    source: 'northwind',
    slug: 'data-portability-rules-app-makers',
    title: 'What the new data-portability rules mean for app makers',
    dek: 'From next July, apps with more than 50,000 users must let people export their data in a usable format. Here is what counts.',
    author: 'Ingrid Solberg',
    categories: ['Privacy', 'Regulation', 'Technology'],
    minutesAgo: 3500,
    lead: { image: { id: 'data-export', label: 'Data export', color: '#0f766e' } },
    paragraphs: [
      'App makers have ten months to prepare for rules that will require them to hand users their data in a form another service can actually use. The regulations, published this week by the Digital Markets Commission, apply to any app or website with more than 50,000 monthly active users in the region.',
      'The core requirement is simple to state: users must be able to download everything they have created or uploaded, plus the settings and history attached to it, in a documented, machine-readable format. A screenshot of a profile or a PDF of a chat history will no longer be enough.',
      '## What counts as “usable”',
      'The commission stopped short of mandating specific formats, but its guidance leans heavily on open standards: calendars as iCalendar files, contacts as vCards, photos with their original metadata, and structured data such as JSON or CSV with a published schema. Where an industry standard exists, companies that ignore it will have to explain why.',
      'Exports must be available within 72 hours of a request and, for services with more than five million users, through an automated interface that lets a user authorise a competitor to pull the data directly. That second provision is the one large platforms lobbied hardest against, arguing that scrapers could abuse it by posing as rival services.',
      'Small developers are mostly relieved. “The draft would have required real-time syncing with competitors, which is impossible for a team our size,” said Jonas Wikström, who runs a budgeting app with about 80,000 users. “A proper export button and a documented format is work, but it’s work we understand.”',
      'Companies that fail to comply face fines of up to 2 percent of annual turnover. The commission said it would publish a list of reference formats in the spring and consult on the automated-transfer rules before they take effect.',
    ],
  },
]

// ───────────────────────────── Gazette de Montfleury ─────────────────────────────

const gazette: DemoArticle[] = [
  {
    id: 'gaz-orages',
    source: 'gazette',
    slug: 'orages-vigilance-orange-montfleury',
    title: 'Orages : Montfleury placée en vigilance orange jusqu’à demain matin',
    dek: 'Grêle, rafales à 100 km/h et fortes pluies sont attendues en soirée. Les pompiers appellent à limiter les déplacements.',
    author: 'Élodie Garnier',
    categories: ['Météo', 'Sécurité'],
    minutesAgo: 19,
    lead: { image: { id: 'orages-ciel', label: 'Ciel d’orage sur Montfleury', color: '#334155' } },
    paragraphs: [
      'Les services météorologiques ont placé le département en vigilance orange aux orages à partir de 16 heures ce jeudi, et jusqu’à 6 heures vendredi matin. Des cellules orageuses venues du sud-ouest doivent traverser Montfleury en début de soirée, accompagnées de grêle, de rafales pouvant atteindre 100 km/h et de cumuls de pluie de 30 à 50 millimètres en très peu de temps.',
      'Par précaution, la mairie a fermé les parcs et jardins municipaux ainsi que le cimetière du Vieux-Moulin. Les marchés de plein air prévus vendredi matin sont maintenus, sauf dégâts importants pendant la nuit.',
      '« Évitez de vous abriter sous les arbres, ne vous engagez jamais sur une route inondée, même à pied, et rentrez tout ce qui peut s’envoler sur les balcons », rappelle le commandant Thierry Vasseur, du service départemental d’incendie et de secours. Les pompiers ont renforcé leurs effectifs de garde pour la nuit.',
      'Les usagers du tramway sont invités à consulter l’application du réseau avant de partir : en cas de rafales trop fortes, la circulation peut être interrompue sur le viaduc de la Lize. Les bus de nuit circuleront normalement, sauf décision contraire.',
      'Après le passage des orages, un temps plus frais et plus sec est attendu pour le week-end, avec des maximales autour de 22 °C, soit près de dix degrés de moins qu’en début de semaine.',
    ],
  },
  {
    id: 'gaz-tramway',
    source: 'gazette',
    slug: 'tramway-t2-prolongee-gare-saint-eloi',
    title: 'Tramway : la ligne T2 prolongée jusqu’à la gare de Saint-Éloi d’ici 2028',
    dek: 'Le conseil municipal a voté lundi soir une extension de 3,4 kilomètres, estimée à 84 millions d’euros. Les commerçants du tracé redoutent le chantier.',
    author: 'Frédéric Ménard',
    categories: ['Transports', 'Conseil municipal', 'Tramway'],
    minutesAgo: 180,
    lead: {
      image: { id: 'tramway-t2', label: 'Tramway T2, avenue Jean-Jaurès', color: '#c2410c' },
      caption: 'Une rame de la ligne T2 au terminus actuel, place de la République.',
      credit: 'Photo : Lucien Parmentier / Gazette de Montfleury',
    },
    paragraphs: [
      'C’est un dossier qui traînait depuis près de dix ans. Lundi soir, le conseil municipal de Montfleury a approuvé, par 29 voix contre 6, le prolongement de la ligne T2 du tramway jusqu’à la gare de Saint-Éloi. Les travaux doivent débuter à l’automne prochain, pour une mise en service annoncée à la rentrée 2028.',
      'L’extension, longue de 3,4 kilomètres, comptera cinq nouvelles stations, dont une devant le lycée des Tilleuls et une autre au pied de la résidence du Grand-Pré. Son coût est estimé à 84 millions d’euros, financés à 40 % par la métropole, à 25 % par la région et, pour le reste, par l’État dans le cadre d’un appel à projets sur les transports collectifs.',
      '« Aujourd’hui, un habitant du Grand-Pré met quarante minutes pour rejoindre le centre-ville aux heures de pointe. Demain, il lui en faudra quatorze », a fait valoir l’adjoint chargé des mobilités, Yannick Le Goff, devant une salle comble.',
      'L’opposition, sans contester l’intérêt du projet, s’est inquiétée du calendrier. « On nous promet 2028, mais la première phase, la “petite T2”, avait pris deux ans de retard », a rappelé la conseillère Mireille Cazenave, qui a réclamé un comité de suivi ouvert aux riverains. La maire, Hélène Castagnac, a accepté le principe d’une réunion publique tous les six mois.',
      'Les commerçants de l’avenue Jean-Jaurès, où passera le tracé, redoutent quant à eux deux années de chantier. La ville promet un fonds d’indemnisation doté de 1,5 million d’euros et une « charte de chantier » limitant les fermetures de voirie à des tronçons de 300 mètres.',
      'Prochaine étape : l’enquête publique, prévue au printemps. Les plans détaillés du tracé seront exposés dans le hall de l’hôtel de ville dans les prochaines semaines.',
    ],
  },
  {
    id: 'gaz-marche-prix',
    source: 'gazette',
    slug: 'marche-couvert-prix-fruits-ete',
    title: 'Au marché couvert, les fruits d’été coûtent 12 % de plus qu’il y a un an',
    dek: 'Fraises à 4,80 € la barquette, abricots à 5,90 € le kilo : gel tardif, sécheresse et coût du transport expliquent l’envolée des étiquettes.',
    author: 'Camille Aubérive',
    categories: ['Économie', 'Consommation', 'Agriculture'],
    minutesAgo: 1100,
    lead: { image: { id: 'marche-couvert', label: 'Marché couvert de Montfleury', color: '#b91c1c' } },
    paragraphs: [
      'Sous la grande halle du marché couvert, samedi matin, les clients s’attardaient devant les étals sans toujours acheter. La barquette de fraises de 500 grammes s’affichait à 4,80 €, les abricots à 5,90 € le kilo et les premières cerises de la vallée à plus de 9 € : selon le relevé mensuel de l’association des consommateurs de Montfleury, le panier de fruits d’été a augmenté de 12 % en un an.',
      'Les producteurs invoquent d’abord la météo. « Le gel de fin avril nous a fait perdre presque la moitié de la floraison des abricotiers », explique Martine Fabrègue, arboricultrice à Saint-Éloi, qui vend au marché depuis vingt-deux ans. « Ensuite, il n’a pas plu pendant six semaines. Ce qui reste est beau, mais il y en a moins. »',
      'Le transport pèse aussi. Le prix du gazole a grimpé, et plusieurs maraîchers disent avoir renoncé aux marchés les plus éloignés. « Faire 80 kilomètres pour vendre trente cagettes, ça ne se justifie plus », résume Raphaël Obertin, qui cultive légumes et melons en agriculture biologique.',
      'Les clients, eux, s’adaptent. Beaucoup achètent en plus petites quantités ou se tournent vers les fruits « déclassés », légèrement abîmés, que certains producteurs proposent désormais à 2 € le kilo. « Pour les confitures, c’est parfait », sourit Josiane, retraitée, le cabas rempli de prunes un peu tachées.',
      'La mairie, propriétaire de la halle, a annoncé qu’elle gèlerait le montant des droits de place jusqu’à la fin de l’année. Une mesure surtout symbolique, selon les commerçants : l’emplacement représente moins de 3 % de leurs coûts.',
    ],
  },
  {
    id: 'gaz-rugby',
    source: 'gazette',
    slug: 'rugby-us-montfleury-castelnau-24-21',
    title: 'Rugby : l’US Montfleury arrache la victoire face à Castelnau (24-21)',
    dek: 'Menés à dix minutes de la fin, les Rouge et Noir se sont imposés grâce à un essai de leur capitaine, Mathis Delorme.',
    author: 'Benoît Laforgue',
    categories: ['Sport', 'Rugby'],
    minutesAgo: 1300,
    lead: { image: { id: 'rugby-peupliers', label: 'Stade des Peupliers', color: '#991b1b' } },
    paragraphs: [
      'Il aura fallu attendre la 76e minute pour que le stade des Peupliers se lève enfin. Au bout d’une dernière percée de son capitaine Mathis Delorme, l’US Montfleury a renversé Castelnau (24-21) dimanche après-midi, au terme d’un match longtemps mal embarqué.',
      'Les visiteurs avaient pourtant parfaitement entamé la rencontre. Plus puissants en mêlée, ils ont inscrit deux essais en première période et viraient en tête à la pause (6-15), laissant les 3 800 spectateurs dans un silence inquiet.',
      'Le retour des vestiaires a changé la donne. Portés par un banc entré en jeu à l’heure de jeu, les Rouge et Noir ont multiplié les temps de jeu. L’ouvreur Killian Barrère, précis face aux perches, a ramené son équipe à deux points avant que Castelnau ne reprenne de l’air sur une pénalité (16-21).',
      'Puis est venue cette action, partie des 22 mètres montfleuriens : quatorze passes, un coup de pied rasant de Barrère récupéré par l’ailier Sami Haddad et, au bout, Delorme qui résiste à deux plaquages pour aplatir dans le coin. La transformation, réussie depuis la touche, a fait exploser les tribunes.',
      '« On a été patients. À la mi-temps, on s’est dit qu’on n’avait rien à perdre et qu’il fallait garder le ballon », a résumé le capitaine, le maillot déchiré. L’entraîneur, Patrice Lafargue, saluait de son côté « un groupe qui ne lâche jamais rien ».',
      'Avec ce succès, le troisième d’affilée à domicile, Montfleury remonte à la quatrième place du classement. Les joueurs se déplacent samedi prochain à Villeneuve-sur-Lize pour un derby qui s’annonce bouillant.',
    ],
  },
  {
    id: 'gaz-larkspur-usine',
    source: 'gazette',
    slug: 'larkspur-energy-usine-europeenne-montfleury',
    title: 'Larkspur Energy choisit Montfleury pour sa première usine européenne de batteries',
    dek: 'L’industriel de Harbor City promet 450 emplois sur l’ancien site papetier des Forges.',
    author: 'Frédéric Ménard',
    categories: ['Économie', 'Énergie', 'Emploi', 'Larkspur Energy'],
    minutesAgo: 2000,
    lead: {
      image: { id: 'site-des-forges', label: 'Site des Forges', color: '#6b4c9a' },
      caption: 'L’ancien site papetier des Forges, à l’arrêt depuis 2019.',
      credit: 'Photo : Gazette de Montfleury',
    },
    paragraphs: [
      'C’est officiel : Larkspur Energy installera sa première usine européenne à Montfleury. L’entreprise, basée à Harbor City, a confirmé mercredi qu’elle reprendrait l’ancien site papetier des Forges, à l’arrêt depuis 2019, pour y assembler ses batteries au sodium destinées au stockage d’électricité sur les réseaux.',
      'L’investissement annoncé s’élève à 320 millions d’euros, et l’usine doit employer 450 personnes à pleine capacité. Les premières embauches sont prévues dans dix-huit mois, avec un programme de formation conçu avec le lycée professionnel de la vallée et l’IUT de la ville.',
      '« Nous avons étudié une vingtaine de sites en Europe. Montfleury avait l’essentiel : un terrain déjà raccordé au réseau haute tension, une voie ferrée, et des gens qui savent faire tourner une usine », a déclaré la directrice générale de Larkspur, Odile Marchetti, lors d’une conférence de presse à l’hôtel de ville.',
      'La nouvelle a été accueillie avec soulagement sur un territoire qui a perdu près de 1 200 emplois industriels en quinze ans. « Mon père a travaillé trente ans aux Forges. Voir le site revivre, même autrement, ça compte », confiait un ancien ouvrier venu écouter l’annonce.',
      'Les associations environnementales se montrent plus prudentes. Elles demandent des garanties sur la dépollution du site, dont les sols contiennent encore des résidus de l’activité papetière, et sur la consommation d’eau de l’usine. La préfecture a indiqué qu’une étude d’impact serait rendue publique avant le dépôt du permis de construire.',
      'Larkspur, qui vient de mettre en service sa première grande installation commerciale dans le port de Harbor City, espère ainsi se rapprocher des gestionnaires de réseau européens, qui multiplient les appels d’offres pour du stockage.',
    ],
  },
  {
    id: 'gaz-festival',
    source: 'gazette',
    slug: 'nuits-du-cloitre-salle-comble',
    title: '« Les Nuits du Cloître » font salle comble dès le premier soir',
    dek: 'Pour sa douzième édition, le festival de musique de chambre a vendu 94 % de ses billets avant même l’ouverture.',
    author: 'Camille Aubérive',
    categories: ['Culture', 'Musique', 'Festival'],
    minutesAgo: 3000,
    lead: { image: { id: 'cloitre-saint-aubert', label: 'Cloître Saint-Aubert', color: '#7c2d12' } },
    paragraphs: [
      'Il restait à peine quelques chaises pliantes sous les arcades, vendredi soir, quand le Quatuor Alcyone a attaqué les premières mesures d’un quatuor de Schubert. Pour l’ouverture de leur douzième édition, « Les Nuits du Cloître » ont affiché complet, confirmant l’engouement d’un public venu bien au-delà de Montfleury.',
      'Le festival, installé chaque été dans le cloître de l’ancienne abbaye Saint-Aubert, a vendu 94 % de ses billets avant le premier concert. Un record, selon sa directrice artistique, Solène Marquat, qui attribue ce succès à une programmation « exigeante mais jamais intimidante » et à des tarifs maintenus à 15 € en plein tarif et 5 € pour les moins de vingt-cinq ans.',
      '« On ne voulait pas d’un festival réservé aux habitués. Ici, un lycéen peut venir écouter Ravel pour le prix d’un sandwich », explique-t-elle. Plus d’un spectateur sur quatre a moins de trente ans cette année, d’après la billetterie.',
      'La grande nouveauté de cette édition est une série de concerts gratuits en fin d’après-midi, sur le parvis de l’abbaye, consacrés aux jeunes ensembles issus des conservatoires de la région. Le premier, samedi, a réuni près de quatre cents personnes assises sur les marches.',
      'Le festival se poursuit jusqu’à dimanche prochain, avec notamment une création commandée à la compositrice montfleurienne Anaïs Vérany, « Les Eaux dormantes », donnée en première mondiale jeudi. Quelques places restent disponibles pour les concerts de milieu de semaine.',
    ],
    figures: [
      {
        afterParagraph: 1,
        image: { id: 'quatuor-alcyone', label: 'Quatuor Alcyone', color: '#a16207' },
        caption: 'Le Quatuor Alcyone sous les arcades du cloître Saint-Aubert, vendredi soir.',
        credit: 'Photo : Lucien Parmentier / Gazette de Montfleury',
      },
    ],
  },
]

// ───────────────────────────── Kita Daily ─────────────────────────────

const kita: DemoArticle[] = [
  {
    id: 'kita-typhoon',
    source: 'kita',
    slug: 'typhoon-heavy-rain-kitaminato-thursday',
    title: 'Typhoon could bring heavy rain to Kitaminato by Thursday, forecasters warn',
    dek: 'Ferry services may be suspended, and the city has opened its first evacuation shelters as a precaution.',
    author: 'Aiko Fujimura',
    categories: ['Weather', 'Kitaminato', 'Public Safety'],
    minutesAgo: 95,
    lead: { image: { id: 'typhoon-satellite', label: 'Typhoon approaching the coast', color: '#475569' } },
    paragraphs: [
      'A typhoon moving north over the ocean is expected to pass close to Kitaminato on Thursday, bringing heavy rain and strong winds to the city from Wednesday night, the regional meteorological observatory said on Tuesday.',
      'Forecasters expect up to 250 millimetres of rain over 48 hours in the mountains north of the city, raising the risk of landslides on the slopes of Mount Kurogane. Winds on the coast could reach 30 metres per second at the storm’s closest approach.',
      'The city opened three evacuation shelters on Tuesday evening for elderly residents and others who may need extra time to move, and said more would open if an evacuation order is issued. Residents were advised to check hazard maps and prepare emergency bags with water, medicine and phone chargers.',
      'Kitaminato Ferry said sailings to the outer islands on Wednesday afternoon and Thursday were likely to be cancelled, with a final decision due at noon on Wednesday. East Coast Railway said it might suspend services on the coastal line if wind speeds exceed safety limits.',
      'Schools in the city will decide by 6 a.m. on Thursday whether to close. Supermarkets reported brisk sales of bottled water, instant noodles and batteries.',
    ],
  },
  {
    id: 'kita-lanterns',
    source: 'kita',
    slug: 'lanterns-return-to-mizukawa-river',
    title: 'Lanterns return to the Mizukawa River as Kitaminato revives its summer festival',
    dek: 'Around 38,000 people watched 6,000 paper lanterns drift toward the harbour after a three-year pause for embankment works.',
    author: 'Aiko Fujimura',
    categories: ['Culture', 'Festivals', 'Kitaminato'],
    minutesAgo: 500,
    fullTextInFeed: true,
    lead: {
      image: { id: 'lanterns-mizukawa', label: 'Lanterns on the Mizukawa', color: '#c2410c' },
      caption: 'Lanterns drift past the Tenjin Bridge on Saturday evening.',
      credit: 'Photo: Kita Daily',
    },
    paragraphs: [
      'Some 6,000 paper lanterns floated down the Mizukawa River on Saturday evening as Kitaminato held its lantern festival on the water for the first time in three years. The city estimated that around 38,000 people lined the banks to watch.',
      'The festival, which dates back to the 1920s, marks the end of the Obon season, when families honour the spirits of their ancestors. Participants write the names of relatives or short messages on the lanterns before setting them on the water, where the current carries them slowly toward the harbour.',
      'Floating lanterns had been suspended since work began on a new flood embankment along the lower river. During the construction, the festival moved to a pond in Minato Park, where lanterns were displayed on fixed platforms instead of being set adrift.',
      '“My grandmother used to bring me here when I was small. This year I brought my own daughter,” said Mayumi Ogawa, 41, who came from the neighbouring city of Higashiura. “Watching them move with the river is completely different from seeing them stand still.”',
      'Volunteers in small boats collected the lanterns near the river mouth before they could reach the open sea. The festival committee switched this year to lanterns made of unbleached paper with beeswax candles, and says all the materials are now composted or recycled.',
      'The evening ended with a 20-minute fireworks display over the harbour, launched from barges anchored near the ferry terminal. The organisers said they hope to expand the event next year with a lantern-making workshop for visitors from Kitaminato’s sister cities, including Harbor City.',
    ],
    figures: [
      {
        afterParagraph: 1,
        image: { id: 'lanterns-families', label: 'Families at the riverbank', color: '#ea580c' },
        caption: 'Families set their lanterns on the water near the Tenjin Bridge.',
        credit: 'Photo: Kita Daily',
      },
    ],
    translation: {
      lang: 'ja',
      charset: 'shift_jis',
      title: '北港市の水川で灯籠流し　堤防工事終え3年ぶりに川へ',
      dek: '約3万8千人が見守る中、6千個の灯籠が港へ向かってゆっくりと流れた。',
      author: '藤村愛子',
      paragraphs: [
        '北港市の水川で土曜日の夜、恒例の灯籠流しが行われ、約6千個の灯籠が川面を流れた。堤防工事のため中断していた川での開催は3年ぶりで、市の推計では約3万8千人が川岸から見守った。',
        '灯籠流しは1920年代から続く行事で、お盆の終わりに先祖の霊を送る意味がある。参加者は灯籠に家族の名前や短いメッセージを書き込み、水面に浮かべる。灯籠は流れに乗って、港の方へゆっくりと進んでいく。',
        '下流で新しい堤防の工事が始まってからは、会場を港公園の池に移し、灯籠を固定した台の上に並べる形で開催してきた。',
        '隣の東浦市から訪れた小川真由美さん（41）は「子どものころ、祖母に連れられて来ていました。今年は自分の娘を連れてきました。川の流れと一緒に動いていく灯籠は、止まっているものとは全く違います」と話した。',
        '河口付近ではボランティアが小舟で灯籠を回収し、海へ流れ出ないようにした。実行委員会は今年から無漂白の和紙と蜜ろうのろうそくを使った灯籠に切り替え、材料はすべて堆肥化またはリサイクルされるという。',
        '最後は港の上空で約20分間の花火が打ち上げられた。主催者は来年、ハーバーシティなど姉妹都市からの来訪者向けに灯籠作りの体験会を開き、行事を広げたいとしている。',
      ],
    },
  },
  {
    id: 'kita-meridian-jobs',
    source: 'kita',
    slug: 'chip-plant-1100-jobs-east-bay',
    title: 'Chip packaging plant expected to bring 1,100 jobs to Kitaminato’s east bay',
    dek: 'City officials say Meridian Silicon will build on reclaimed land near the container terminal, with production starting in 2028.',
    author: 'Kenji Hoshino',
    categories: ['Economy', 'Semiconductors', 'Kitaminato'],
    minutesAgo: 1600,
    lead: { image: { id: 'east-bay-reclaimed-land', label: 'East bay reclaimed land', color: '#1e3a5f' } },
    paragraphs: [
      'Meridian Silicon plans to build a chip packaging plant on reclaimed land in Kitaminato’s east bay district that will employ about 1,100 people when fully running, according to city officials briefed on the project. A formal announcement is expected as early as this week.',
      'The plant would occupy a 22-hectare site next to the Higashi container terminal that the city has been trying to fill since a logistics company pulled out of the area in 2019. Officials said the company had also asked about an adjacent plot for a possible second phase.',
      '“This is the largest single investment in the city since the shipyard expansion in the 1990s,” Deputy Mayor Tatsuya Mori told Kita Daily. He said the city expects around 600 of the jobs to be filled locally, with the rest coming from Meridian’s existing operations and from other parts of the country.',
      'Local business groups welcomed the news, but the plant is likely to strain a housing market that is already tight. Rents in the east bay district have risen by about 9 percent over the past two years, according to a survey by the Kitaminato Chamber of Commerce, and the city has few large plots left for new apartments.',
      'The Kitaminato Fisheries Cooperative said it would seek a written agreement on wastewater. “We are not against the factory,” said cooperative chairman Shigeru Onodera. “We simply want to know, in writing, what goes into the bay and who checks it.”',
      'Meridian declined to comment. The company, which makes chips for data centres and industrial equipment, has said publicly that it wants to add packaging capacity close to its customers in the region.',
    ],
  },
  {
    id: 'kita-kurogane',
    source: 'kita',
    slug: 'mount-kurogane-observatory-new-sensors',
    title: 'Mount Kurogane observatory adds 40 sensors to listen to the volcano',
    dek: 'A denser network of seismometers and gas sensors should give residents earlier warning of changes inside the mountain.',
    author: 'Sarah Whitcombe',
    categories: ['Science', 'Volcanoes', 'Kitaminato'],
    minutesAgo: 2800,
    lead: { image: { id: 'mount-kurogane', label: 'Mount Kurogane', color: '#57534e' } },
    paragraphs: [
      'Scientists at the Mount Kurogane Volcano Observatory have finished installing 40 new monitoring stations around the volcano that towers over Kitaminato’s northern suburbs, more than doubling the number of instruments watching the mountain.',
      'The new stations include broadband seismometers, which can pick up the slow, low-frequency tremors that often come before an eruption, and tiltmeters that measure tiny changes in the slope of the ground as magma moves beneath it. Six stations near the summit also sample sulphur dioxide and carbon dioxide in the air.',
      'Kurogane last erupted in 1962, when an explosion at the summit crater scattered ash across the city and forced the evacuation of two villages on its eastern flank. It has been quiet since, apart from occasional swarms of small earthquakes, most recently in the spring of last year.',
      '“A quiet volcano is not a sleeping volcano,” said Naoki Uehara, the observatory’s director. “Most of what happens before an eruption takes place kilometres underground. The more instruments we have, the earlier and more confidently we can tell whether a change matters.”',
      'Data from the stations is sent to the observatory every second and, in summarised form, to a public website that shows seismic activity on a map of the mountain. The observatory says the network is designed to keep working through power cuts, with solar panels and batteries at every site.',
      'The city will use the improved data to revise its evacuation maps next year. Residents of the northern suburbs can attend an open day at the observatory next month, where staff will demonstrate the new instruments and explain the alert levels.',
    ],
    figures: [
      {
        afterParagraph: 1,
        image: { id: 'kurogane-station', label: 'Seismometer station', color: '#78716c' },
        caption: 'A technician checks a new seismometer station on the eastern flank of Mount Kurogane.',
        credit: 'Photo: Mount Kurogane Volcano Observatory',
      },
    ],
  },
  {
    id: 'kita-marathon',
    source: 'kita',
    slug: 'yui-takeda-kitaminato-marathon-course-record',
    title: 'Yui Takeda breaks the Kitaminato Marathon course record on home roads',
    dek: 'The 24-year-old city employee finished in 2:24:51, more than a minute inside the old mark.',
    author: 'Kenji Hoshino',
    categories: ['Sports', 'Running', 'Kitaminato'],
    minutesAgo: 4100,
    fullTextInFeed: true,
    lead: {
      image: { id: 'marathon-finish', label: 'Kitaminato Marathon finish', color: '#0e7490' },
      caption: 'Yui Takeda crosses the finish line in Minato Park.',
      credit: 'Photo: Kenji Hoshino / Kita Daily',
    },
    paragraphs: [
      'Yui Takeda, a 24-year-old runner who works in Kitaminato’s parks department, won the women’s race at the Kitaminato Marathon on Sunday in 2 hours 24 minutes 51 seconds, breaking the course record by 1 minute 12 seconds in front of crowds that grew louder with every kilometre.',
      'Takeda ran in a lead group of five through the first half, which follows the harbour front before climbing toward the castle park. She pulled away on the long incline at 28 kilometres and ran the last ten kilometres alone, crossing the line in Minato Park almost three minutes ahead of the runner-up, Ayaka Nishino.',
      '“On the hill I could hear people from my office shouting my name,” Takeda said. “I train on these streets before work every morning, so I knew exactly where to push.”',
      'She trains without a corporate team, fitting about 160 kilometres a week around her job, coached by her former high school teacher. Her time is the fastest by an amateur in a domestic race this year and puts her in contention for a place at next spring’s national championships.',
      'The men’s race was won by Daniel Kiprotich in 2:09:37. Organisers said a record 14,800 runners started, and that cool, overcast weather helped produce fast times throughout the field.',
    ],
  },
]

/** Kita Daily's republication of the Herald's shore-power report: new headline, a crediting intro, same body. */
const kitaPortPactCopy: DemoArticle = {
  id: 'kita-port-pact',
  source: 'kita',
  slug: 'sister-port-deal-zero-emission-berths',
  title: 'Sister-port deal with Harbor City targets zero-emission berths by 2030',
  dek: 'Kitaminato and Harbor City will share designs, suppliers and data to let ships at berth switch off their engines.',
  author: heraldPortPact.author,
  categories: ['Kitaminato', 'Shipping', 'Climate'],
  minutesAgo: 1380,
  lead: heraldPortPact.lead,
  paragraphs: [
    `Kitaminato’s harbour partnership with its sister city across the Pacific has drawn attention on both sides of the ocean. ${SYNDICATION_NOTE}`,
    ...heraldPortPact.paragraphs,
  ],
  figures: (heraldPortPact.figures ?? []).map((f) => ({ ...f, afterParagraph: f.afterParagraph + 1 })),
  republishedFrom: heraldPortPact.id,
}

export const DEMO_ARTICLES: DemoArticle[] = [...herald, ...northwind, ...gazette, ...kita, kitaPortPactCopy]
