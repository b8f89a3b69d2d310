import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createChatProvider, type ChatProvider } from './provider.js'
import { promptOf, startFakeOpenAi, type FakeBehaviour, type FakeOpenAi } from './fake-openai.js'
import {
  abstractiveSummary, answerQuestion, buildSummaryPrompt, chunkParagraphs, extractJson, languageLabel,
  numberSentences, parseAnswer, storySummary, translateArticle,
} from './features.js'

// Invented article text.
const ferry = {
  title: 'Velmora harbour reopens after the winter storms',
  lang: 'en',
  sentences: [
    'The harbour of Velmora reopened on Tuesday after six weeks of repairs.',
    'Storms in January had torn away part of the northern breakwater.',
    'The harbour master, Idris Pell, said the repairs cost 2.4 million crowns.',
    'Ferries to the island of Quell will run twice a day from Friday.',
    'Fishing crews had moored at the smaller port of Ashby during the closure.',
  ],
}

/** A toy language detector: enough to tell the test languages apart. */
const detectLang = (t: string): string | null =>
  /\b(el|la|los|las|del|que|tras|puerto)\b/i.test(t) ? 'es'
    : /\b(der|die|das|und|nach)\b/i.test(t) ? 'de'
      : /\b(the|and|of|after|is)\b/i.test(t) ? 'en' : null

async function withFake(script: FakeBehaviour[], fn: (fake: FakeOpenAi, provider: ChatProvider) => Promise<void>) {
  const fake = await startFakeOpenAi({ script })
  try {
    await fn(fake, createChatProvider({ baseUrl: fake.baseUrl, model: 'tiny-llm:1b', apiKey: 'sk-x', timeoutMs: 2000 }))
  } finally {
    await fake.close()
  }
}

// ---------------------------------------------------------------- summary

test('summary: the prompt names the reader language, and the answer is cleaned', async () => {
  const es = 'El puerto de Velmora reabrió el martes tras seis semanas de obras. Los transbordadores a Quell saldrán dos veces al día desde el viernes.'
  await withFake([{ reply: `<think>Need Spanish.</think>Resumen: ${es}`, usage: { promptTokens: 300, completionTokens: 40 } }], async (fake, provider) => {
    const r = await abstractiveSummary(ferry, { targetLang: 'es', detectLang }, provider)
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.value.value, es)
    assert.deepEqual(r.value.usage, { promptTokens: 300, completionTokens: 40 })
    assert.equal(r.value.model, 'tiny-llm:1b')
    const prompt = promptOf(fake.requests[0])
    assert.match(prompt, /Write the summary in Spanish \(español, es\)/)
    assert.match(prompt, /The article is in English/)
    assert.match(prompt, /Idris Pell/)
  })
})

test('summary in the wrong language: retried once with a firmer prompt, usage summed', async () => {
  const en = 'The harbour of Velmora reopened after repairs to the breakwater.'
  const es = 'El puerto de Velmora reabrió tras reparar el rompeolas.'
  await withFake([
    { reply: en, usage: { promptTokens: 300, completionTokens: 20 } },
    { reply: es, usage: { promptTokens: 330, completionTokens: 22 } },
  ], async (fake, provider) => {
    const r = await abstractiveSummary(ferry, { targetLang: 'es', detectLang }, provider)
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.value.value, es)
    assert.deepEqual(r.value.usage, { promptTokens: 630, completionTokens: 42 })
    assert.equal(fake.requests.length, 2)
    assert.doesNotMatch(promptOf(fake.requests[0]), /IMPORTANT/)
    assert.match(promptOf(fake.requests[1]), /IMPORTANT: your previous reply was not in the required language\. The summary came back in English instead of Spanish/)
  })
})

test('summary in the wrong language twice: ai_wrong_language', async () => {
  const en = 'The harbour of Velmora reopened after repairs.'
  await withFake([{ reply: en }, { reply: en }], async (fake, provider) => {
    const r = await abstractiveSummary(ferry, { targetLang: 'es', detectLang }, provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_wrong_language')
    assert.equal(r.error.stage, 'ai')
    assert.equal(fake.requests.length, 2)
  })
})

test('summary: a transport error is returned as it is, without a second call', async () => {
  await withFake([{ status: 429, retryAfter: 7 }], async (fake, provider) => {
    const r = await abstractiveSummary(ferry, { targetLang: 'en', detectLang }, provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_rate_limited')
    assert.equal(r.error.retryAfterSeconds, 7)
    assert.equal(fake.requests.length, 1)
  })
})

test('summary: a long article is cut to the budget, and the prompt says so', () => {
  const long = { ...ferry, sentences: Array.from({ length: 2000 }, (_, i) => `Harbour note number ${i} about the tides and the breakwater.`) }
  const [sys, user] = buildSummaryPrompt(long, 'en', { maxInputChars: 5000 })
  assert.ok(user!.content.length < 5000 + 1000, `${user!.content.length}`)
  assert.match(user!.content, /only its beginning is shown/)
  assert.match(sys!.content, /English/)
  assert.equal(numberSentences(long.sentences, 5000).truncated, true)
  // A single sentence longer than the budget is cut, not dropped.
  assert.equal(numberSentences(['x'.repeat(50)], 10).text, `[1] ${'x'.repeat(10)}…`)
})

test('summary with no text is an input error, no call made', async () => {
  await withFake([], async (fake, provider) => {
    const r = await abstractiveSummary({ title: 'Empty', sentences: [' '], lang: 'en' }, { targetLang: 'en' }, provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_no_input')
    assert.equal(fake.requests.length, 0)
  })
})

// ---------------------------------------------------------------- questions

test('answer: JSON in fences after prose; 1-based citations become indices, invalid ones dropped', async () => {
  const reply = 'Sure! Here is the answer:\n```json\n{"found": true, "answer": "2.4 million crowns.", "citations": [3, 9, "3", "[4]"]}\n```'
  await withFake([{ reply }], async (fake, provider) => {
    const r = await answerQuestion(ferry, 'How much did the repairs cost?', provider)
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.value.value, { answer: '2.4 million crowns.', citations: [2, 3], found: true })
    const prompt = promptOf(fake.requests[0])
    assert.match(prompt, /\[3\] The harbour master, Idris Pell, said the repairs cost 2\.4 million crowns\./)
    assert.match(prompt, /Question: How much did the repairs cost\?/)
    assert.deepEqual(fake.requests[0]!.body?.response_format, { type: 'json_object' })
  })
})

test('answer: "not in the article" comes back as found: false', async () => {
  await withFake([{ reply: '{"found": false, "answer": "", "citations": []}' }, { reply: 'The answer is not in the article.' }], async (_fake, provider) => {
    for (let i = 0; i < 2; i++) {
      const r = await answerQuestion(ferry, 'Who won the regatta?', provider)
      assert.ok(r.ok, JSON.stringify(r))
      assert.deepEqual(r.value.value, { answer: '', citations: [], found: false })
    }
  })
})

test('answer citing no real sentence, twice: ai_bad_citations; the retry said why', async () => {
  const bad = '{"found": true, "answer": "Forty ships.", "citations": [12, 0]}'
  await withFake([{ reply: bad }, { reply: bad }], async (fake, provider) => {
    const r = await answerQuestion(ferry, 'How many ships use the harbour?', provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_bad_citations')
    assert.equal(r.error.retryable, true)
    assert.match(promptOf(fake.requests[1]), /valid numbers are 1 to 5/)
  })
})

test('answer: a bad first reply, a good second one', async () => {
  await withFake([{ reply: 'I think ferries run twice a day.' }, { reply: '{"found": true, "answer": "Twice a day.", "citations": [4]}' }], async (fake, provider) => {
    const r = await answerQuestion(ferry, 'How often do ferries run?', provider)
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.value.value.citations, [3])
    assert.equal(fake.requests.length, 2)
  })
})

test('answer: citations beyond the sentences shown (budget) are not accepted', () => {
  const r = parseAnswer('{"found": true, "answer": "At Ashby.", "citations": [5]}', 4)
  assert.ok(!r.ok)
  assert.equal(r.error.code, 'ai_bad_citations')
})

test('extractJson: plain, fenced, after prose, with braces inside strings; none', () => {
  assert.deepEqual(extractJson('{"a": 1}'), { a: 1 })
  assert.deepEqual(extractJson('```\n{"a": 2}\n```'), { a: 2 })
  assert.deepEqual(extractJson('Here you go {not json} and then {"a": "x}y", "b": [1, 2]} done.'), { a: 'x}y', b: [1, 2] })
  assert.equal(extractJson('no json here'), undefined)
})

// ---------------------------------------------------------------- translation

const notice = {
  title: 'Die Fähre nach Quell fährt wieder',
  sourceLang: 'de',
  paragraphs: [
    'Der Hafen von Velmora ist nach sechs Wochen Reparatur wieder offen und die Fähren fahren.',
    '',
    'Die Fähre nach Quell fährt ab Freitag zweimal am Tag und die Fischer kehren zurück.',
    'Der Hafenmeister Idris Pell nannte die Kosten und das Ende der Arbeiten.',
  ],
}
const english = [
  'The harbour of Velmora is open again after six weeks of repairs, and the ferries are running.',
  'The ferry to Quell runs twice a day from Friday, and the fishing crews are coming back.',
  'Harbour master Idris Pell named the cost and the end of the works.',
]

test('translation in chunks: same paragraph count, blank paragraphs kept, title from the first chunk, usage summed', async () => {
  const fake = await startFakeOpenAi({
    respond: (body) => {
      const input = JSON.parse(body!.messages!.at(-1)!.content.replace(/^[^\n]*\n/, '')) as Record<string, string>
      const out: Record<string, string> = {}
      for (const [k, v] of Object.entries(input)) out[k] = k === 'title' ? 'The ferry to Quell runs again' : english.find((e) => e.includes(v.includes('Hafen von') ? 'open again' : v.includes('zweimal') ? 'twice' : 'named'))!
      return { reply: JSON.stringify(out), usage: { promptTokens: 100, completionTokens: 50 } }
    },
  })
  try {
    const provider = createChatProvider({ baseUrl: fake.baseUrl, model: 'tiny-llm:1b', apiKey: null, timeoutMs: 2000 })
    const r = await translateArticle(notice, { targetLang: 'en', detectLang, maxChunkChars: 100 }, provider)
    assert.ok(r.ok, JSON.stringify(r))
    assert.equal(r.value.value.title, 'The ferry to Quell runs again')
    assert.deepEqual(r.value.value.paragraphs, [english[0], '', english[1], english[2]])
    assert.equal(fake.requests.length, 3)
    assert.deepEqual(r.value.usage, { promptTokens: 300, completionTokens: 150 })
    assert.match(promptOf(fake.requests[0]), /from German \(Deutsch, de\) into English \(en\)/)
    assert.match(promptOf(fake.requests[0]), /"title"/)
    assert.doesNotMatch(promptOf(fake.requests[1]), /"title"/)
  } finally {
    await fake.close()
  }
})

test('translation with a different number of paragraphs, twice: ai_bad_translation', async () => {
  const merged = JSON.stringify({ title: 'The ferry runs again', 1: `${english[0]} ${english[1]}`, 2: english[2] })
  await withFake([{ reply: merged }, { reply: merged }], async (fake, provider) => {
    const r = await translateArticle(notice, { targetLang: 'en', detectLang }, provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_bad_translation')
    assert.match(r.error.message, /2 paragraph\(s\) instead of 3/)
    assert.equal(fake.requests.length, 2)
  })
})

test('translation handing the original back: ai_untranslated, never returned as a translation', async () => {
  const same = JSON.stringify({ title: 'The ferry runs again', 1: english[0], 2: notice.paragraphs[2], 3: english[2] })
  await withFake([{ reply: same }, { reply: same }], async (_fake, provider) => {
    const r = await translateArticle(notice, { targetLang: 'en' }, provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_untranslated')
    assert.match(r.error.message, /Paragraph 2/)
  })
})

test('translation into the wrong language: ai_wrong_language', async () => {
  const es = JSON.stringify({ title: 'El transbordador vuelve', 1: 'El puerto de Velmora vuelve a abrir tras las obras.', 2: 'El transbordador a Quell sale dos veces al día.', 3: 'El capitán del puerto habló de los costes.' })
  await withFake([{ reply: es }, { reply: es }], async (_fake, provider) => {
    const r = await translateArticle(notice, { targetLang: 'en', detectLang }, provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_wrong_language')
    assert.match(r.error.message, /Spanish instead of English/)
  })
})

test('translation: an article already in the reader language, and one too long, are refused without a call', async () => {
  await withFake([], async (fake, provider) => {
    const same = await translateArticle({ ...notice, sourceLang: 'de-AT' }, { targetLang: 'de' }, provider)
    assert.ok(!same.ok)
    assert.equal(same.error.code, 'ai_same_language')
    const long = await translateArticle({ ...notice, paragraphs: ['Wort '.repeat(20_000)] }, { targetLang: 'en' }, provider)
    assert.ok(!long.ok)
    assert.equal(long.error.code, 'ai_input_too_long')
    assert.equal(fake.requests.length, 0)
  })
})

test('chunkParagraphs keeps order, skips blanks, and puts an oversized paragraph alone', () => {
  assert.deepEqual(chunkParagraphs(['aaaa', 'bbbb', '', 'c'.repeat(20), 'dd'], 10), [[0, 1], [3], [4]])
})

// ---------------------------------------------------------------- story

const story = {
  articles: [
    { id: 41, source: 'Velmora Post', title: 'Harbour reopens', sentences: ['The harbour reopened on Tuesday.', 'Repairs cost 2.4 million crowns.'] },
    { id: 57, source: 'Quell Island News', title: 'Ferries are back', sentences: ['Ferries to Quell resume on Friday.', 'The council put the cost at 3 million crowns.'] },
  ],
}

test('story summary: claims cite article sentences; claims without a valid citation are dropped', async () => {
  const reply = JSON.stringify({
    claims: [
      { text: 'The harbour of Velmora reopened on Tuesday.', citations: ['1.1'] },
      { text: 'Sources differ on the cost: 2.4 or 3 million crowns.', citations: ['[1.2]', { article: 2, sentence: 2 }, '2.9'] },
      { text: 'A regatta is planned.', citations: ['3.1', '1.7'] },
      { text: 'Ferries resume on Friday.' },
    ],
  })
  await withFake([{ reply: `Here is the summary:\n${reply}` }], async (fake, provider) => {
    const r = await storySummary(story, { targetLang: 'en', detectLang }, provider)
    assert.ok(r.ok, JSON.stringify(r))
    assert.deepEqual(r.value.value.claims, [
      { text: 'The harbour of Velmora reopened on Tuesday.', citations: [{ articleId: 41, sentence: 0 }] },
      { text: 'Sources differ on the cost: 2.4 or 3 million crowns.', citations: [{ articleId: 41, sentence: 1 }, { articleId: 57, sentence: 1 }] },
    ])
    const prompt = promptOf(fake.requests[0])
    assert.match(prompt, /Article 2 — Quell Island News: Ferries are back\n\[2\.1\] Ferries to Quell resume on Friday\./)
    assert.match(prompt, /Write the claims in English \(en\) now\./)
  })
})

test('story summary with no claim left, twice: ai_bad_citations', async () => {
  const reply = JSON.stringify({ claims: [{ text: 'Something happened.', citations: ['9.9'] }] })
  await withFake([{ reply }, { reply }], async (_fake, provider) => {
    const r = await storySummary(story, { targetLang: 'en' }, provider)
    assert.ok(!r.ok)
    assert.equal(r.error.code, 'ai_bad_citations')
  })
})

test('languageLabel names a language in English and in itself', () => {
  assert.equal(languageLabel('es'), 'Spanish (español, es)')
  assert.equal(languageLabel('en'), 'English (en)')
  assert.equal(languageLabel('zz-invalid-tag-!'), 'zz-invalid-tag-!')
})
