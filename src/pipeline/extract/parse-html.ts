import { parseHTML } from 'linkedom'

/**
 * A whole document with `<html>`, `<head>` and `<body>`, whatever the input. linkedom, unlike a browser,
 * does not invent them: for `<p>hi</p>` or plain text it returns a document whose root is not `<html>`
 * (or no root at all), and `document.body` then throws. Such input is wrapped in a body and parsed again.
 */
export function parseHtmlDocument(html: string): Document {
  const first = parseHTML(html).document as unknown as Document
  if (first.documentElement?.tagName.toUpperCase() === 'HTML' && hasBody(first)) return first
  return parseHTML(`<!DOCTYPE html><html><head></head><body>${html}</body></html>`).document as unknown as Document
}

function hasBody(doc: Document): boolean {
  try {
    return doc.body !== null
  } catch {
    return false
  }
}
