/**
 * `npm run eval:enrich`: the built-in enrichment against real data with ground truth in ../shared/eval/.
 * Summaries: SummEval's 100 CNN/DailyMail articles, ROUGE-1/2/Lsum with the official scorer, beside
 * Lead-3 scored the same way (aim: ROUGE-1 ≥ 41). Keyphrases: KPCrowd DEV F1@10 (aim ≥ 0.20), Inspec
 * and the KPTimes sample for comparison. Skips cleanly when ../shared is absent.
 */
import { join } from 'node:path'
import { evalSummaries } from './eval-enrich/summaries.js'
import { evalKeyphrases } from './eval-enrich/keyphrases.js'

const sharedDir = join(import.meta.dirname, '..', '..', 'shared')
const s = await evalSummaries({ sharedDir })
if (s) console.log(s.printed)
const k = await evalKeyphrases({ sharedDir })
if (k) console.log(k.printed)
if (s || k) {
  console.log('\nbars:')
  if (s) console.log(`  summary ROUGE-1 ${s.rouge1.toFixed(2)} (aim ≥ 41): ${s.rouge1 >= 41 ? 'met' : 'NOT met'}`)
  if (k) console.log(`  keyphrase F1@10 ${k.f1at10.toFixed(3)} on KPCrowd DEV (aim ≥ 0.20): ${k.f1at10 >= 0.2 ? 'met' : 'NOT met'}`)
}
