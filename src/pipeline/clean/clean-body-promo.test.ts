import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { splitSentences, stripPromos } from './clean-body-promo.js'

describe('splitSentences', () => {
  it('splits after full stops, question marks and arrows, keeping offsets', () => {
    const t = 'Where now? Our team says so. Continue » But the story goes on.'
    const s = splitSentences(t)
    assert.deepEqual(s.map((x) => x.text), ['Where now?', 'Our team says so.', 'Continue »', 'But the story goes on.'])
    for (const x of s) assert.equal(t.slice(x.start, x.end).trim(), x.text)
  })
  it('splits Japanese and Chinese after 。 without a space', () => {
    assert.deepEqual(splitSentences('朝市が再開した。客が並んだ。').map((x) => x.text), ['朝市が再開した。', '客が並んだ。'])
  })
})

describe('stripPromos removes whole promotion blocks', () => {
  const blocks = [
    'Where should you put $1,000 today? Our analyst team just named the 10 best stocks to buy right now. Continue »',
    'Click to watch highlights from the regatta.',
    'Click here to read the full report.',
    'Watch highlights from the final.',
    'WATCH: The moment the bridge opened',
    'Sign up for our newsletter.',
    'Get our free Morning Ledger newsletter in your inbox. Sign up for our newsletter today.',
    'Subscribe now to read the latest news from your town.',
    'Read more: Why ferry fares are rising again',
    'Also read: The harbour that refused to close',
    'More from Coastal Daily: Ten walks along the cliffs',
    'This story continues below the advertisement',
    'Ledger Street may earn a commission when you buy through links on our site.',
    'We may earn a small commission from purchases made through this page.',
    'This article contains affiliate links.',
    'Sponsored content',
    'Download the Ledger Street app for real-time alerts.',
    'Available on the App Store and Google Play.',
    'Follow us on Instagram for more photos.',
    '( Read the article in Japanese . )',
    'Learn more →',
    'À lire aussi : Le port de Ker Avel rouvre',
    'Abonnez-vous à notre newsletter.',
    '関連記事：港町の朝市が再開',
    '【PR】夏の旅行特集',
    '相关阅读：冷链仓库投入使用',
  ]
  for (const b of blocks) {
    it(b, () => {
      const r = stripPromos(b)
      assert.equal(r.wholeBlock, true, JSON.stringify(r))
      assert.equal(r.text, '')
      assert.deepEqual(r.removed, [b])
    })
  }
})

describe('stripPromos takes promotions out of real paragraphs', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['a video prompt glued to the end',
      'The first Skiff appeared in 2019, and the range has been revised twice since. Click to watch highlights from the launch in English.',
      'The first Skiff appeared in 2019, and the range has been revised twice since.',
      ['Click to watch highlights from the launch in English.']],
    ['an advertiser block glued into the middle',
      'The share price reflects real problems. Where to invest $1,000 right now? Our analyst team named the 10 best stocks to buy right now. Continue » But patient investors may see a turnaround.',
      'The share price reflects real problems. But patient investors may see a turnaround.',
      ['Where to invest $1,000 right now? Our analyst team named the 10 best stocks to buy right now. Continue »']],
    ['a call to action at the start',
      'Click here for our full coverage. The council voted 7 to 2 to approve the new harbour wall, which will be finished by 2028.',
      'The council voted 7 to 2 to approve the new harbour wall, which will be finished by 2028.',
      ['Click here for our full coverage.']],
    ['a short real sentence before a glued prompt stays',
      'Harbourline declined to comment. Click to watch highlights from the launch in English.',
      'Harbourline declined to comment.',
      ['Click to watch highlights from the launch in English.']],
    ['a label glued onto the next sentence: only the label goes',
      'Story continues below The unemployment rate has fallen a full point since November.',
      'The unemployment rate has fallen a full point since November.',
      ['Story continues below']],
  ]
  for (const [name, input, expected, removed] of cases) {
    it(name, () => {
      const r = stripPromos(input)
      assert.equal(r.wholeBlock, false)
      assert.equal(r.text, expected)
      assert.deepEqual(r.removed, removed)
    })
  }
})

describe('stripPromos keeps prose that only sounds like a promotion', () => {
  const paragraphs = [
    'Can this stock double a $1,000 investment over the next five years? The answer depends on three things.',
    'How much would you need to retire on $40,000 a year? That question matters more to most buyers than any new feature.',
    'Where did the $2 billion go? Auditors still cannot say.',
    'Shares look cheap right now, but the company has missed its targets for six quarters.',
    'Sign up for the streaming bundle using the same email as your existing account, then link the two profiles.',
    'The newsletter, founded in 2015, now has 40,000 readers and a staff of six.',
    'Watch the video and you will see why the referee had no choice in the end.',
    'With one click, shoppers can reorder the same basket every week.',
    'Readers wanted to read more about the case, and the paper obliged with a series.',
    'The bill, sponsored by two senators from coastal states, would fund new sea walls.',
    'Brokers may earn a commission when you buy shares through them, which is why fees matter.',
    'He said the app was downloaded a million times in its first week.',
    'The team continues to train below the old stadium while the new one is built.',
    'Il faut lire aussi les notes de bas de page, qui disent l’essentiel.',
    '関連する記事は来週掲載される予定だ。',
  ]
  for (const p of paragraphs) {
    it(p, () => {
      const r = stripPromos(p)
      assert.equal(r.text, p)
      assert.deepEqual(r.removed, [])
    })
  }
})
