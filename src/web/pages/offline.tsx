import { useT } from '../i18n/i18n.js'

/**
 * What the service worker shows for a page it has not kept while the reader is offline: it fills the
 * list with the articles it kept (or drops the section when there are none).
 */
export function OfflinePage() {
  const { t } = useT()
  return (
    <section class="offline">
      <h1 class="page-title">{t('offline.title')}</h1>
      <p>{t('offline.text')}</p>
      <section class="offline-saved" aria-labelledby="offline-saved-h">
        <h2 id="offline-saved-h">{t('offline.saved')}</h2>
        <p class="offline-none">{t('offline.none')}</p>
        <ul class="offline-list"></ul>
      </section>
      <p><a href="/">{t('offline.retry')}</a></p>
    </section>
  )
}
