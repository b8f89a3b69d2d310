import type { Block } from '../../../domain/types.js'

/*
 * Lines that sit inside the article's container but are not the article: advertisement labels, bylines,
 * datelines, taxonomy and share prompts. Each rule looks at one short block alone, so it cannot take a
 * sentence of the story with it (every rule is limited to a few words, or to a form no sentence has).
 */

const AD_LABEL =
  /^(advertisement|advertisements|advertising|ad|ads|sponsored|sponsored content|paid content|anzeige|werbung|publicidad|publicité|pubblicità|publicidade|iklan|реклама|广告|広告|광고|story continues below|article continues below|continue reading below|scroll to continue|continue reading)$/i

const DATELINE = /^(posted|updated|published|last updated|last modified|first published|modified|created)\b(\s+(on|at))?\s*[:\-–—]?/i

const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december'
const WEEKDAYS = 'mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday'
const DATE_WORDS = new RegExp(`\\b(${MONTHS}|${WEEKDAYS}|am|pm|a\\.m|p\\.m|at|on|et|est|edt|pt|pst|pdt|gmt|utc|bst|cet|cest|ist|updated|published|posted)\\b`, 'gi')

const TAXONOMY = /^(filed under|tags?|tagged|topics?|categories|category|posted in|labels?|keywords?)\s*:/i

const PROMPT = /^(share this( article| story)?|share on|share via|follow us|like this:|like loading|subscribe to|subscribe now|subscribe|click here to (subscribe|sign up|follow)|newsletter sign-?up|get our newsletter|download (the|our) app)\b/i

/** Removes boilerplate lines from the article's blocks. */
export function dropBoilerplateLines(blocks: Block[]): Block[] {
  return blocks.filter((b) => b.type === 'pre' || !isBoilerplateLine(b.text))
}

export function isBoilerplateLine(text: string): boolean {
  const t = text.trim()
  if (t.length > 200) return false
  const bare = t.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
  if (AD_LABEL.test(bare)) return true
  if (t.length <= 120 && DATELINE.test(t) && /\d/.test(t)) return true
  if (t.length <= 80 && isDateOnly(t)) return true
  if (t.length <= 80 && /^[Bb][Yy]\s+\p{Lu}/u.test(t) && !/[.!?]["”’)]?$/.test(t)) return true
  if (TAXONOMY.test(t)) return true
  if (t.length <= 120 && PROMPT.test(t)) return true
  return false
}

/** "November 15, 2019", "Fri 6:45 PM, Feb 16, 2018", "2019-11-18 10:30". */
function isDateOnly(t: string): boolean {
  if (!/\d/.test(t) || !new RegExp(`\\b(${MONTHS})\\b`, 'i').test(t)) return false
  if ((t.match(/\b\d{4}\b/g) ?? []).length > 1) return false
  return t.replace(DATE_WORDS, '').replace(/[\d\s\p{P}\p{S}]+/gu, '') === ''
}
