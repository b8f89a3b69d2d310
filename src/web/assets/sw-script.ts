/**
 * The service worker, served at /sw.js with `Cache-Control: no-cache` so a new version is seen at once.
 * The shell (stylesheet, site script, icons, offline page) is precached under a name carrying the asset
 * hash; article pages are network-first and kept once opened (at most MAX_ARTICLES, oldest out). Only
 * public GET responses are kept: anything marked private or no-store (every signed-in page), admin and
 * API addresses, and other methods go straight to the network.
 */
export function swScript(o: { version: string; shell: string[]; offline: string; maxArticles?: number }): string {
  return `'use strict';
const SHELL = ${JSON.stringify(`tidings-shell-${o.version}`)};
const ARTICLES = 'tidings-articles-v1';
const SHELL_URLS = ${JSON.stringify(o.shell)};
const OFFLINE = ${JSON.stringify(o.offline)};
const MAX_ARTICLES = ${o.maxArticles ?? 200};
const ARTICLE_PATH = /^\\/articles\\/[0-9]+(?:\\/(?!changes$)[^/]*)?$/;

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL).then((c) => c.addAll(SHELL_URLS.map((u) => new Request(u, { cache: 'reload' })))).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('tidings-shell-') && k !== SHELL).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

const keepable = (res) => {
  if (!res || res.status !== 200 || res.type !== 'basic' || res.redirected) return false;
  const cc = (res.headers.get('cache-control') || '').toLowerCase();
  return !/no-store|private/.test(cc) && (res.headers.get('content-type') || '').startsWith('text/html');
};
const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&amp;/g, '&');
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function keepArticle(url, res) {
  const html = await res.text();
  const m = /<title>([^<]*)<\\/title>/.exec(html);
  const title = m ? unescape(m[1]) : url.pathname;
  const headers = new Headers(res.headers);
  headers.set('x-tidings-title', encodeURIComponent(title));
  const cache = await caches.open(ARTICLES);
  const key = url.origin + url.pathname;
  // Deleted first so a re-read article counts as the newest (keys() keeps insertion order).
  await cache.delete(key);
  await cache.put(key, new Response(html, { status: 200, headers }));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ARTICLES))) await cache.delete(old);
}

async function offlinePage() {
  const shell = await caches.open(SHELL);
  const page = await shell.match(OFFLINE);
  if (!page) return new Response('You are offline.', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const cache = await caches.open(ARTICLES);
  const items = [];
  for (const req of (await cache.keys()).reverse()) {
    const res = await cache.match(req);
    const raw = res && res.headers.get('x-tidings-title');
    const title = raw ? decodeURIComponent(raw).replace(/ · [^·]*$/, '') : new URL(req.url).pathname;
    items.push('<li><a href="' + escape(new URL(req.url).pathname) + '">' + escape(title) + '</a></li>');
  }
  let html = await page.text();
  if (items.length > 0) html = html.replace(/<ul class="offline-list"[^>]*><\\/ul>/, (ul) => ul.replace('></ul>', '>' + items.join('') + '</ul>')).replace(/<p class="offline-none"[^>]*>[^<]*<\\/p>/, '');
  else html = html.replace(/<section class="offline-saved"[\\s\\S]*?<\\/section>/, '');
  return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

async function fromCacheByName(url) {
  const hit = await caches.match(url.href);
  if (hit) return hit;
  // An article kept under an older version names the stylesheet or script of its day: serve today's.
  const m = /^\\/assets\\/([a-z]+)\\.[0-9a-f]+\\.(css|js)$/.exec(url.pathname);
  if (!m) return null;
  const shell = await caches.open(SHELL);
  for (const req of await shell.keys()) {
    const p = new URL(req.url).pathname;
    if (p.startsWith('/assets/' + m[1] + '.') && p.endsWith('.' + m[2])) return shell.match(req);
  }
  return null;
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/admin') || url.pathname.startsWith('/api/') || url.pathname.startsWith('/ai/')) return;
  if (url.pathname.startsWith('/assets/') || url.pathname === '/manifest.webmanifest') {
    e.respondWith(fromCacheByName(url).then((hit) => hit || fetch(req)));
    return;
  }
  const article = ARTICLE_PATH.test(url.pathname);
  if (!article && req.mode !== 'navigate') return;
  e.respondWith((async () => {
    try {
      const res = await fetch(req);
      // One reader's view (a question, a translation) is not the article: only the plain page is kept.
      if (article && url.search === '' && keepable(res)) e.waitUntil(keepArticle(url, res.clone()).catch(() => {}));
      return res;
    } catch (err) {
      if (article) {
        const hit = await (await caches.open(ARTICLES)).match(url.origin + url.pathname);
        if (hit) return hit;
      }
      if (req.mode === 'navigate') return offlinePage();
      throw err;
    }
  })());
});
`
}
