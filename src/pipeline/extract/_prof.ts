import { extractArticle } from './extract.js'
for (const n of [500, 2000, 8000]) {
  const para = '<div class="x"><p>Some paragraph text, with commas, that is long enough to score in readability tests here.</p><span><a href="/a">link</a></span></div>'
  const html = '<html><body><main>' + para.repeat(n) + '</main></body></html>'
  const t = performance.now()
  const r = extractArticle(html, { url: 'https://x.example/' })
  console.log(n, 'elements≈', n * 4, (performance.now() - t).toFixed(0), 'ms', r.ok)
}
for (const d of [100, 200, 300]) {
  const html = '<html><body>' + '<div>'.repeat(d) + '<p>Some paragraph text, with commas, that is long enough to score in readability tests here.</p>'.repeat(5) + '</div>'.repeat(d) + '</body></html>'
  const t = performance.now()
  const r = extractArticle(html, { url: null })
  console.log('depth', d, (performance.now() - t).toFixed(0), 'ms', r.ok)
}
