/**
 * The AI panel's only script: a result that is queued or being written is polled, and the page
 * reloads (keeping the reader's place) once it is ready or has failed. Without it, the page says to reload.
 */
export const AI_JS = `(() => {
  const pending = [...document.querySelectorAll('[data-ai-task]')];
  if (pending.length === 0) return;
  let tries = 0;
  const check = async () => {
    tries++;
    for (const el of pending) {
      try {
        const r = await fetch('/ai/tasks/' + encodeURIComponent(el.dataset.aiTask), { headers: { accept: 'application/json' } });
        if (!r.ok) continue;
        const t = await r.json();
        if (t.status === 'done' || t.status === 'failed') { location.reload(); return; }
        if (t.error && !el.dataset.shown) { el.dataset.shown = '1'; el.firstChild.textContent = el.firstChild.textContent.replace(/ (is queued|will be tried again).*/, ' will be tried again (' + t.error.code + ').'); }
      } catch {}
    }
    // Every 2 s for a minute, then every 10 s for ten more; a result slower than that waits for a reload.
    if (tries < 90) setTimeout(check, tries < 30 ? 2000 : 10000);
  };
  setTimeout(check, 1500);
})();
`
