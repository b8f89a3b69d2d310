/**
 * `npm run eval:mojibake`: runs fixText over the ftfy test cases in ../shared/eval/ftfy-mojibake/ and
 * scores them with ../shared/eval/scorers/mojibake.mjs (exact match against `fixed-encoding` when a case
 * has one, else `fixed`; wrong changes on text that was already right). Then our own figures: UTF-8
 * misread as GBK, Shift_JIS, EUC-JP and Big5 on sentences we wrote, genuine CJK text left alone, and
 * throughput. Skips with a message when ../shared/eval is absent.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import iconv from 'iconv-lite'
import { fixText } from '../src/pipeline/decode/fix-text.js'
import { CJK_NEGATIVES, CLEAN_TEXTS, LATIN_SENTENCES } from '../src/pipeline/decode/mojibake-samples.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DATA = resolve(ROOT, '../shared/eval/ftfy-mojibake')
const CASES = join(DATA, 'cases.json')
const SCORER = resolve(ROOT, '../shared/eval/scorers/mojibake.mjs')
if (!existsSync(CASES) || !existsSync(SCORER)) {
  console.log('skipped: ../shared/eval/ftfy-mojibake not found')
  process.exit(0)
}

interface Case { suite: string; label: string; original: string; fixed: string; 'fixed-encoding'?: string; expect: 'pass' | 'fail' }
/** The part of the scorer's --json output we read. */
interface Score { clean: number; wrongChanges: number }

const raw = JSON.parse(readFileSync(CASES, 'utf8')) as { cases: Case[] }
// Ids as the scorer makes them: <suite>:<index in the merged list>.
const cases = raw.cases.map((c, i) => ({ ...c, id: `${c.suite}:${i}` }))

// 1. The ftfy cases, scored by the shared scorer.
const dir = mkdtempSync(join(tmpdir(), 'tidings-mojibake-'))
try {
  const predFile = join(dir, 'pred.jsonl')
  const scoreFile = join(dir, 'score.json')
  writeFileSync(predFile, cases.map((c) => JSON.stringify({ id: c.id, output: fixText(c.original).text })).join('\n') + '\n')
  const run = spawnSync(process.execPath, [SCORER, '--cases', CASES, '--pred', predFile, '--json', scoreFile], { encoding: 'utf8' })
  process.stdout.write(run.stdout)
  if (run.status !== 0) {
    process.stderr.write(run.stderr)
    process.exit(run.status ?? 1)
  }
  const score = JSON.parse(readFileSync(scoreFile, 'utf8')) as Score

  const pass = cases.filter((c) => c.expect === 'pass')
  const asEncoding = pass.filter((c) => fixText(c.original).text === (c['fixed-encoding'] ?? c.fixed)).length
  const asFixed = pass.filter((c) => fixText(c.original).text === c.fixed).length
  const wrongOnOurs = [...CLEAN_TEXTS, ...LATIN_SENTENCES, ...CJK_NEGATIVES].filter((t) => fixText(t).text !== t).length
  const ours = CLEAN_TEXTS.length + LATIN_SENTENCES.length + CJK_NEGATIVES.length
  console.log(
    `ours:    pass cases fixed ${asEncoding}/${pass.length} (expected = fixed-encoding ?? fixed); ` +
      `wrong changes on negative/clean text: ${score.wrongChanges} of ${score.clean} ftfy cases, ` +
      `${wrongOnOurs} of ${ours} texts of ours`,
  )
  console.log(
    `         ${asFixed}/${pass.length} equal ftfy's full \`fixed\` (the rest differ by restyling we leave out: quote uncurling, ` +
      'entity unescaping, full-width and ligature folding, control-character removal)',
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}

// 2. UTF-8 misread as a CJK codec, on sentences we wrote.
const misread = (text: string, charset: string): string => iconv.decode(Buffer.from(text, 'utf8'), charset)
/**
 * Whether every character the repair wrote is right: the output equals the original once each run of
 * U+FFFD stands for one to three lost characters and each run of mojibake left untouched (CJK, half-width
 * forms, the C1 controls a Shift_JIS decoder passes through) for what it hid.
 */
function partlyRight(output: string, original: string): boolean {
  const escape = (part: string): string => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const cjk = '\\x80-\\x9f\\u2e80-\\u9fff\\ue000-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef\\u{20000}-\\u{3ffff}'
  let pattern = ''
  for (const part of output.split(new RegExp(`(\\ufffd+|[${cjk}]+)`, 'u'))) {
    if (/^\ufffd+$/u.test(part)) pattern += '.{1,3}'
    else if (new RegExp(`^[${cjk}]+$`, 'u').test(part)) pattern += `.{0,${2 * [...part].length + 1}}`
    else pattern += escape(part)
  }
  return new RegExp(`^${pattern}$`, 'su').test(original)
}
console.log(
  'CJK misreadings of our own sentences: exact / partly repaired, nothing written wrong (lost bytes shown as U+FFFD)' +
    ' / untouched / wrong:',
)
let cjkWrong = 0
for (const charset of ['gbk', 'shift_jis', 'euc-jp', 'big5']) {
  const tally = { exact: 0, partly: 0, untouched: 0, wrong: 0, lossless: 0, losslessExact: 0 }
  const wrongOnes: string[] = []
  for (const original of LATIN_SENTENCES) {
    const damaged = misread(original, charset)
    const out = fixText(damaged).text
    const lossless = !damaged.includes('\ufffd')
    if (lossless) tally.lossless++
    if (out === original) {
      tally.exact++
      if (lossless) tally.losslessExact++
    } else if (out === damaged) tally.untouched++
    else if (partlyRight(out, original)) tally.partly++
    else {
      tally.wrong++
      wrongOnes.push(`${JSON.stringify(damaged)} → ${JSON.stringify(out)}`)
    }
  }
  cjkWrong += tally.wrong
  console.log(
    `  ${charset.padEnd(9)} ${tally.exact} / ${tally.partly} / ${tally.untouched} / ${tally.wrong} of ${LATIN_SENTENCES.length}` +
      `   (misread without loss: ${tally.losslessExact}/${tally.lossless} exact)`,
  )
  for (const w of wrongOnes) console.log(`      wrong: ${w}`)
}
const paragraph = LATIN_SENTENCES.slice(0, 10).join(' ')
const paragraphOut = fixText(misread(paragraph, 'gbk')).text
const paragraphVerdict =
  paragraphOut === paragraph ? 'exact' : partlyRight(paragraphOut, paragraph) ? 'exact but for lost bytes' : 'wrong'
console.log(`  one GBK-misread paragraph of 10 sentences: ${paragraphVerdict}`)

// 3. Genuine CJK text must stay as it is: our sentences, and generated CJK/Latin mixes.
const generated = generateCjkMixes(20_000)
const negChanged = CJK_NEGATIVES.filter((t) => fixText(t).text !== t).length
const genChanged = generated.filter((t) => fixText(t).text !== t).length
console.log(
  `genuine CJK left alone: ${CJK_NEGATIVES.length - negChanged}/${CJK_NEGATIVES.length} sentences of ours, ` +
    `${generated.length - genChanged}/${generated.length} generated CJK/Latin mixes`,
)
console.log(`summary: wrong changes on CJK misreadings ${cjkWrong}, on genuine CJK ${negChanged + genChanged}`)

// 4. Throughput (figures only).
const english = LATIN_SENTENCES.slice(0, 8)
const corpora: [string, string[]][] = [
  ['ftfy cases', cases.map((c) => c.original)],
  ['ASCII English', docs(['The council met on Tuesday to discuss the budget, and members agreed to delay the vote until May.'])],
  ['English, curly quotes', docs(english)],
  ['European languages', docs(LATIN_SENTENCES.slice(10, 19))],
  ['Chinese/Japanese/Korean', docs(CJK_NEGATIVES)],
  ['clean mix', docs([...CLEAN_TEXTS, ...LATIN_SENTENCES, ...CJK_NEGATIVES])],
  ['GBK-misread English', docs(english.map((s) => misread(s, 'gbk')))],
]
console.log('throughput of fixText:')
for (const [name, texts] of corpora) console.log(`  ${name.padEnd(24)} ${throughput(texts).toFixed(1).padStart(7)} MB/s`)

function docs(sentences: readonly string[]): string[] {
  // 200 articles of 8 paragraphs × 6 sentences, about 1–2 MB in all.
  const paragraph = (a: number, p: number): string =>
    Array.from({ length: 6 }, (_, s) => sentences[(a + p * 6 + s) % sentences.length]).join(' ')
  return Array.from({ length: 200 }, (_, a) => Array.from({ length: 8 }, (_, p) => paragraph(a, p)).join('\n'))
}

function throughput(texts: string[]): number {
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0)
  for (const t of texts.slice(0, 20)) fixText(t)
  let rounds = 0
  const start = performance.now()
  while (performance.now() - start < 1000 || rounds === 0) {
    for (const t of texts) fixText(t)
    rounds++
  }
  return (bytes * rounds) / ((performance.now() - start) / 1000) / 1e6
}

/** Deterministic mixes of real CJK characters (every level of GB2312, Big5, JIS, kana) and Latin words. */
function generateCjkMixes(n: number): string[] {
  let seed = 20_240_601
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const block = (charset: string, leads: [number, number], trails: [number, number][]): string[] => {
    const out = new Set<string>()
    for (let lead = leads[0]; lead <= leads[1]; lead++) {
      for (const [from, to] of trails) {
        for (let trail = from; trail <= to; trail++) {
          const ch = iconv.decode(Buffer.from([lead, trail]), charset)
          if ([...ch].length === 1 && ch !== '\ufffd' && ch.charCodeAt(0) >= 0x2e80) out.add(ch)
        }
      }
    }
    return [...out]
  }
  const sets = [
    block('gbk', [0xb0, 0xf7], [[0xa1, 0xfe]]),
    block('gbk', [0x81, 0xfe], [[0x40, 0x7e], [0x80, 0xa0]]),
    block('big5', [0xa4, 0xf9], [[0x40, 0x7e], [0xa1, 0xfe]]),
    block('shift_jis', [0x88, 0xea], [[0x40, 0x7e], [0x80, 0xfc]]),
    [...'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンーッャュョ'],
    [...'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｰｯｬｭｮﾞﾟ'],
  ]
  const punct = [...'、。「」『』（）！？：；，・〜【】《》“”']
  const words = ['the', 'iPhone', 'Apple', 'AI', 'GPU', 'Tokyo', 'data', 'news', 'Pro', 'and', 'x', 'A', 'USB', '5G', '2024', 'of']
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const set = pick(sets)
    let s = ''
    for (let k = 2 + Math.floor(random() * 12); k > 0; k--) {
      if (i % 3 === 0) {
        // CJK-dominant, with Latin words in between
        for (let j = 1 + Math.floor(random() * 8); j > 0; j--) s += pick(random() < 0.1 ? punct : set)
        if (random() < 0.5) s += (random() < 0.5 ? ' ' : '') + pick(words) + (random() < 0.5 ? ' ' : '')
      } else if (i % 3 === 1) {
        // Latin text quoting short CJK words
        s += pick(words) + ' '
        if (random() < 0.3) {
          for (let j = 1 + Math.floor(random() * 3); j > 0; j--) s += pick(set)
          s += pick([' ', '', ', '])
        }
      } else {
        // Latin words with CJK characters glued to them
        s += pick(words)
        if (random() < 0.4) s += pick(set) + (random() < 0.5 ? pick(set) : '')
        s += pick([' ', '', ' '])
      }
    }
    out.push(s)
  }
  return out
}
