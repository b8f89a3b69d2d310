import { createContext, useContext } from 'hono/jsx'

/** The session's form token, provided once per page by the layout's caller. */
export const CsrfContext = createContext<string | null>(null)

/** Goes in every POST form: empty for a signed-out reader (the Origin check covers those forms). */
export function CsrfField() {
  const token = useContext(CsrfContext)
  return token ? <input type="hidden" name="_csrf" value={token} /> : null
}
