import { test } from 'node:test'
import assert from 'node:assert/strict'
import { missingMessages, negotiateLocale, translator } from './i18n.js'

test('every message exists in every locale', () => {
  assert.deepEqual(missingMessages(), [])
})

test('locale: explicit choice, then cookie, then Accept-Language by weight, then the site language', () => {
  assert.equal(negotiateLocale({ choice: 'ja' }), 'ja')
  assert.equal(negotiateLocale({ choice: 'xx', cookie: 'ja-JP' }), 'ja')
  assert.equal(negotiateLocale({ acceptLanguage: 'fr-FR, ja;q=0.8, en;q=0.9' }), 'en')
  assert.equal(negotiateLocale({ acceptLanguage: 'ja-JP,ja;q=0.9,en-US;q=0.8' }), 'ja')
  assert.equal(negotiateLocale({ acceptLanguage: 'de, fr', siteLang: 'ja' }), 'ja')
  assert.equal(negotiateLocale({ acceptLanguage: 'en;q=0, ja;q=garbage' }), 'en')
})

test('relative times: the reference wording in English, Intl in Japanese', () => {
  const now = new Date('2026-12-05T12:00:00Z')
  const en = translator('en')
  const ja = translator('ja')
  assert.equal(en.relative('2026-12-05T08:00:00Z', now), '4 hours ago')
  assert.equal(en.relative('2026-12-05T11:00:00Z', now), 'an hour ago')
  assert.equal(ja.relative('2026-12-05T08:00:00Z', now), '4 時間前')
  assert.equal(ja.relative('2026-12-04T12:00:00Z', now), '昨日')
  assert.equal(ja.relative('2026-12-05T11:59:50Z', now), '数秒前')
  assert.equal(en.relative('not a date', now), '')
})

test('plurals and slots follow the locale', () => {
  assert.equal(translator('en').t('card.comments', { n: 1 }), '1 comment')
  assert.equal(translator('en').t('card.comments', { n: 1200 }), '1,200 comments')
  assert.equal(translator('ja').t('card.comments', { n: 3 }), 'コメント 3 件')
})

test('dates are locale-aware', () => {
  assert.equal(translator('en').date('2026-12-05T03:00:00Z'), '5 Dec 2026')
  assert.equal(translator('ja').date('2026-12-05T03:00:00Z'), '2026年12月5日')
})
