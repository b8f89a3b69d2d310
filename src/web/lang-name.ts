/** A language's name in the reader's language (`de` → "German"), or the tag itself when unknown. */
export function languageName(tag: string, inLang = 'en'): string {
  try {
    return new Intl.DisplayNames([inLang], { type: 'language' }).of(tag) ?? tag
  } catch {
    return tag
  }
}

/** What the translate form offers, besides the reader's own language. */
export const TRANSLATION_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'sv', 'da', 'fi', 'cs', 'el', 'tr', 'ru', 'uk', 'ar', 'he', 'hi', 'ja', 'ko', 'zh', 'id', 'vi'] as const
