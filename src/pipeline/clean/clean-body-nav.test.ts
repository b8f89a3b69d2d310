import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  captionKeys, isAuthorRole, isBylineBlock, isCopyrightLine, isMenuBlock, isUiLabel, repeatsCaption, stripGluedCaption, textKey,
} from './clean-body-nav.js'

describe('textKey', () => {
  it('ignores case, spacing and punctuation, and folds full-width forms', () => {
    assert.equal(textKey(' Caption: The  Harbour, 2026! '), 'captiontheharbour2026')
    assert.equal(textKey('ＡＢＣ　１２'), 'abc12')
  })
})

describe('isMenuBlock', () => {
  const menus = ['SVG', 'Reports', 'Home', 'Menu', 'Share', 'Subscribe', 'Share this article', 'Back to top', 'Sign in | Register',
    'Facebook Twitter Email', 'Skip to content', 'News › World', 'ホーム', '分享']
  for (const m of menus) it(`"${m}" is menu`, () => assert.equal(isMenuBlock(m, null), true))
  it('the site name with a menu word', () => assert.equal(isMenuBlock('Meridian Policy Forum | Reports', 'Meridian Policy Forum'), true))
  it('the site name alone', () => assert.equal(isMenuBlock('Meridian Policy Forum', 'Meridian Policy Forum'), true))
  const prose = ['Share prices fell.', 'The harbour reopened', 'Home is where the harbour is, he said.', 'Background',
    'Reports of a fire at the pier were false.', 'Share your story with the council by Friday', 'Meridian', '']
  for (const p of prose) it(`"${p}" is not menu`, () => assert.equal(isMenuBlock(p, 'Meridian Policy Forum'), false))
})

describe('isUiLabel', () => {
  for (const l of ['Caption', 'ADVERTISEMENT', 'Advertisement.', 'Hide caption', 'Enlarge this image', 'Story continues below advertisement', '広告', 'Getty Images'])
    it(`"${l}" is a label`, () => assert.equal(isUiLabel(l), true))
  for (const l of ['Captions were added later.', 'The advertisement ran for a week.', 'Images from the launch', ''])
    it(`"${l}" is not`, () => assert.equal(isUiLabel(l), false))
})

describe('isBylineBlock', () => {
  it('the known byline, alone or labelled', () => {
    for (const t of ['Lena Okafor', 'By Lena Okafor', 'Author: Lena Okafor', 'by lena okafor']) assert.equal(isBylineBlock(t, 'Lena Okafor'), true, t)
  })
  it('one of several known authors', () => assert.equal(isBylineBlock('Priya Nand', 'Theo Marsh, Priya Nand'), true))
  it('an explicit label and a capitalised name without a known byline', () => {
    for (const t of ['By Lena Okafor', 'Author: The Coastal Daily', 'Written by: Jean de la Tour']) assert.equal(isBylineBlock(t, null), true, t)
  })
  it('not prose that starts with "By"', () => {
    for (const t of ['By the numbers', 'By Friday, the ferry was running again.', 'Lena Okafor said the talks went well.'])
      assert.equal(isBylineBlock(t, 'Lena Okafor'), false, t)
  })
  it('knownOnly: a heading such as "By Design" is not a byline', () => {
    assert.equal(isBylineBlock('By Design', null, { knownOnly: true }), false)
    assert.equal(isBylineBlock('By Lena Okafor', 'Lena Okafor', { knownOnly: true }), true)
  })
})

describe('isAuthorRole', () => {
  for (const t of ['Senior Fellow', 'Adjunct Fellow', 'Staff Writer', 'Tokyo Correspondent']) it(`"${t}"`, () => assert.equal(isAuthorRole(t), true))
  for (const t of ['The fellow on the pier waved.', 'Harbour master', 'A new editor was appointed last week at the paper.'])
    it(`not "${t}"`, () => assert.equal(isAuthorRole(t), false))
})

describe('isCopyrightLine', () => {
  for (const t of ['© 2026 Coastal Daily', 'Copyright 2026 Ledger Street', '(c) 2025 Meridian', '© Reuters', 'Coastal Daily. All rights reserved.'])
    it(`"${t}"`, () => assert.equal(isCopyrightLine(t), true))
  for (const t of ['Copyright law has not kept up with machine learning.', 'The copyright office said no.'])
    it(`not "${t}"`, () => assert.equal(isCopyrightLine(t), false))
})

describe('repeatsCaption', () => {
  const keys = captionKeys([{ text: 'Fisheries Minister Tomas Brandt greets port officials in Halvik.', credit: 'Kari Moen/Nordic Wire', imageUrl: null }])
  it('the caption itself', () => assert.equal(repeatsCaption('Fisheries Minister Tomas Brandt greets port officials in Halvik.', keys), true))
  it('the caption with its credit', () => assert.equal(repeatsCaption('Fisheries Minister Tomas Brandt greets port officials in Halvik. (Kari Moen/Nordic Wire)', keys), true))
  it('the caption with different spacing and case', () => assert.equal(repeatsCaption('fisheries minister Tomas Brandt greets port officials in  Halvik', keys), true))
  it('the credit alone', () => assert.equal(repeatsCaption('(Kari Moen / Nordic Wire)', keys), true))
  it('not a paragraph that quotes part of it', () => {
    assert.equal(repeatsCaption('On Monday, Fisheries Minister Tomas Brandt greets port officials in Halvik before flying to the capital for talks on quotas.', keys), false)
  })
})

describe('stripGluedCaption', () => {
  const captions = [{ text: 'The launch event for the new folding range.', credit: null, imageUrl: null }]
  it('a caption glued onto the end of a paragraph', () => {
    assert.deepEqual(stripGluedCaption('Two heavier models follow in October. The launch event for the new folding range.', captions), {
      text: 'Two heavier models follow in October.', caption: 'The launch event for the new folding range.',
    })
  })
  it('a caption glued onto the start', () => {
    assert.deepEqual(stripGluedCaption('The launch event for the new folding range. Two heavier models follow in October.', captions), {
      text: 'Two heavier models follow in October.', caption: 'The launch event for the new folding range.',
    })
  })
  it('not when the caption text is part of a sentence', () => {
    assert.equal(stripGluedCaption('Crowds filled the hall for what the company called the launch event for the new folding range.', captions), null)
  })
  it('not for short captions', () => {
    assert.equal(stripGluedCaption('He waved from the deck. On stage.', [{ text: 'On stage.', credit: null, imageUrl: null }]), null)
  })
})
