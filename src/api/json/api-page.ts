import type { Operation } from './operations.js'

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** A short page for people: what the API is and where its document is. */
export function apiPage(p: { siteTitle: string; operations: readonly Operation[] }): string {
  const rows = p.operations.map((o) => {
    const example = o.path.includes('{') ? esc(o.path) : `<a href="${esc(o.path)}">${esc(o.path)}</a>`
    return `<li><code>GET ${example}</code> — ${esc(o.summary)}</li>`
  }).join('\n')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.siteTitle)} API</title></head><body>
<h1>${esc(p.siteTitle)} API</h1>
<p>A read-only JSON API: no key, any origin may read it. The full description (every path, parameter and response) is the
OpenAPI 3.1 document at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<ul>
${rows}
</ul>
<p>Lists of articles come in pages: pass a page's <code>next</code> as <code>cursor</code> (or follow its <code>Link: rel="next"</code> header).
Send back the <code>ETag</code> as <code>If-None-Match</code> to get <code>304 Not Modified</code> when nothing changed.
Errors are <code>{"error": {"code", "message"}}</code>; a bad parameter is <code>400 bad_input</code> with a message naming it.</p>
<p><a href="/">Back to the site</a></p>
</body></html>`
}
