import { childrenNamed, textOf, type NsTest, type XEl } from './xml.js'

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const

/**
 * RSS `<skipHours><hour>0–23</hour>…</skipHours>` (GMT) and `<skipDays><day>Monday</day>…</skipDays>`:
 * hours and days when the publisher asks aggregators not to poll. Junk entries are dropped; day names
 * are matched in any case and returned as the spec spells them. Nothing is returned when the channel
 * gives neither, so feeds without them read as before.
 */
export function readSkip(channel: XEl, core: NsTest): { skipHours?: number[]; skipDays?: string[] } {
  const hourEls = named(channel, core, 'skipHours').flatMap((el) => named(el, core, 'hour'))
  const dayEls = named(channel, core, 'skipDays').flatMap((el) => named(el, core, 'day'))
  if (hourEls.length === 0 && dayEls.length === 0) return {}
  const hours = new Set<number>()
  for (const el of hourEls) {
    const t = textOf(el).trim()
    // Some feeds write 24 for midnight; the spec says 0–23.
    if (/^\d{1,2}$/.test(t) && Number(t) <= 24) hours.add(Number(t) % 24)
  }
  const days = new Set<string>()
  for (const el of dayEls) {
    const t = textOf(el).trim().toLowerCase()
    const day = DAYS.find((d) => d.toLowerCase() === t)
    if (day) days.add(day)
  }
  return { skipHours: [...hours].sort((a, b) => a - b), skipDays: DAYS.filter((d) => days.has(d)) }
}

/** Children by local name in either spelling (the XML reader may fold names to lower case). */
function named(el: XEl, core: NsTest, local: string): XEl[] {
  const lower = local.toLowerCase()
  return lower === local ? childrenNamed(el, core, local) : [...childrenNamed(el, core, local), ...childrenNamed(el, core, lower)]
}
