/**
 * The site's one script, deferred and same-origin (CSP `script-src 'self'`). Everything it does is an
 * extra: keyboard shortcuts, the theme chosen without a reload, the related stream loading as the reader
 * scrolls, and the service worker for offline reading. Without it every page still works (the display
 * form posts to /prefs, the stream's link navigates).
 */
export const SITE_JS = `(() => {
  'use strict';
  const d = document, root = d.documentElement;
  const year = 60 * 60 * 24 * 365;

  // ── display settings: the theme at once, the language by navigation ──
  const prefs = d.querySelector('form.prefs');
  if (prefs) {
    for (const el of prefs.querySelectorAll('[data-js-hide]')) el.hidden = true;
    const next = prefs.querySelector('input[name=next]');
    const theme = prefs.querySelector('select[name=theme]');
    if (theme) theme.addEventListener('change', () => {
      const v = theme.value;
      if (v === 'light' || v === 'dark') {
        root.dataset.theme = v;
        d.cookie = 'theme=' + v + '; path=/; max-age=' + year + '; samesite=lax';
      } else {
        delete root.dataset.theme;
        d.cookie = 'theme=; path=/; max-age=0; samesite=lax';
      }
    });
    const hl = prefs.querySelector('select[name=hl]');
    if (hl) hl.addEventListener('change', () => {
      location.href = '/prefs?hl=' + encodeURIComponent(hl.value) + '&next=' + encodeURIComponent(next ? next.value : '/');
    });
  }

  // ── keyboard shortcuts ──
  const help = d.getElementById('shortcuts');
  const helpButton = d.querySelector('[data-shortcuts]');
  const openHelp = () => { if (help && !help.open && help.showModal) help.showModal(); };
  if (helpButton && help && help.showModal) { helpButton.hidden = false; helpButton.addEventListener('click', openHelp); }
  const cards = () => [...d.querySelectorAll('li.card')].filter((c) => c.getClientRects().length > 0);
  const linkOf = (card) => card.querySelector('h2 a, h3 a') || card.querySelector('a[href]');
  let current = null;
  const select = (card) => {
    if (current) current.removeAttribute('data-kb-current');
    current = card;
    card.setAttribute('data-kb-current', '');
    const link = linkOf(card);
    if (link) link.focus({ preventScroll: true });
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    card.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
  };
  const move = (step) => {
    const list = cards();
    if (list.length === 0) return;
    const active = d.activeElement && d.activeElement.closest ? d.activeElement.closest('li.card') : null;
    let i = list.indexOf(active || current);
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    select(list[i]);
  };
  const typing = (el) => !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  let pendingG = 0;
  d.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (typing(e.target) || (help && help.open)) return;
    const k = e.key;
    if (pendingG && Date.now() - pendingG < 1500) {
      pendingG = 0;
      if (k === 'h') { e.preventDefault(); location.href = '/'; }
      return;
    }
    pendingG = 0;
    if (k === 'j' || k === 'k') { e.preventDefault(); move(k === 'j' ? 1 : -1); }
    else if (k === 'o' || (k === 'Enter' && current && e.target === d.body)) {
      const link = current && linkOf(current);
      if (link) { e.preventDefault(); location.href = link.href; }
    } else if (k === '/') {
      const q = d.querySelector('form.search input[type=search]');
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    } else if (k === '?') { e.preventDefault(); openHelp(); }
    else if (k === 'g') pendingG = Date.now();
  });

  // ── streams: the next page's items appended as its link nears the viewport ──
  if ('IntersectionObserver' in window && 'DOMParser' in window) {
    for (const first of d.querySelectorAll('a[data-stream-next]')) {
      let scope = first.parentElement;
      while (scope && !scope.querySelector('[data-stream-items]')) scope = scope.parentElement;
      const list = scope && scope.querySelector('[data-stream-items]');
      if (!list) continue;
      let link = first, busy = false;
      const io = new IntersectionObserver(async (entries) => {
        if (busy || !entries.some((x) => x.isIntersecting)) return;
        const url = new URL(link.href, location.href);
        if (url.origin !== location.origin) { io.disconnect(); return; }
        busy = true;
        try {
          const r = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
          if (!r.ok) throw new Error('HTTP ' + r.status);
          const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
          for (const item of doc.querySelectorAll('[data-stream-items] > *')) list.append(d.importNode(item, true));
          const more = doc.querySelector('a[data-stream-next]');
          io.unobserve(link);
          if (more) {
            const fresh = d.importNode(more, true);
            link.replaceWith(fresh);
            link = fresh;
            io.observe(link);
          } else link.remove();
        } catch {
          io.disconnect(); // the link stays: a click still navigates
        }
        busy = false;
      }, { rootMargin: '0px 0px 600px 0px' });
      io.observe(link);
    }
  }

  // ── offline reading ──
  if ('serviceWorker' in navigator && window.isSecureContext) {
    addEventListener('load', () => { navigator.serviceWorker.register('/sw.js').catch(() => {}); });
  }
})();
`
