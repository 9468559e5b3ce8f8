// MotoVaultPro service worker: keeps the app shell in the Cache API so repeat visits start
// without downloading the bundle again, and the app still opens when the server's static files
// cannot be reached.
//
//   pages (navigations)        network first (3 s), then the cached index.html
//   Trunk's hashed bundle       cache first: a name never changes content
//   manifest and icons          network first, then the cache
//   translations (/i18n/*.json) network first, then the cache (offline German stays German)
//   /api/*, /health/*, /metrics never touched: always the network, never cached
//
// The worker itself is not versioned per release: whenever a fresh index.html arrives, the
// bundle files it names are fetched into the cache and the ones it no longer names are dropped.

const CACHE = 'motovault-shell-v1';
const SHELL = '/index.html';
const STATIC_FILES = [
  '/manifest.webmanifest',
  '/icons/favicon.svg',
  '/icons/icon-192.png',
  '/icons/icon-512.png',
  '/icons/icon-maskable-512.png',
];
// Trunk's content-hashed names: `motovault-web-0123456789abcdef_bg.wasm`, `style-….css`.
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/;
// A language's catalog of the app's text (web/i18n/<lang>.json); fetched at each start.
const CATALOG = /^\/i18n\/[a-z]{2}\.json$/;
// A slow network should not hold the page hostage when a cached shell is at hand.
const NETWORK_TIMEOUT_MS = 3000;
// Cached responses were stored without the browser's Accept-Encoding; `Vary` must not hide them.
const MATCH = { ignoreVary: true };

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const response = await fetch(SHELL, { cache: 'no-cache' });
      if (!response.ok) {
        throw new Error(`index.html answered ${response.status}`);
      }
      await storeShell(response);
      const cache = await caches.open(CACHE);
      // Icons are nice to have offline; a missing one must not stop the install.
      await Promise.all(STATIC_FILES.map((url) => cache.add(url).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || serverOnly(url.pathname)) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(page(event));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(bundleFile(request));
  } else if (STATIC_FILES.includes(url.pathname) || CATALOG.test(url.pathname)) {
    event.respondWith(staticFile(request));
  }
});

function serverOnly(path) {
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path.startsWith('/health/') ||
    path === '/metrics'
  );
}

/** A page: the server's answer (every client route is index.html), else the cached shell. */
async function page(event) {
  const cached = () => caches.match(SHELL, MATCH);
  let response;
  try {
    response = await withTimeout(fetch(event.request), NETWORK_TIMEOUT_MS);
  } catch {
    return (await cached()) ?? Response.error();
  }
  if (response.status >= 500) {
    return (await cached()) ?? response;
  }
  const html = response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html');
  if (html && !response.redirected) {
    event.waitUntil(storeShell(response.clone()).catch(() => undefined));
  }
  return response;
}

/** Keeps `response` as the shell once every bundle file it names is cached; drops the rest. */
async function storeShell(response) {
  const cache = await caches.open(CACHE);
  const text = await response.clone().text();
  const wanted = bundleFiles(text);
  const missing = [];
  for (const path of wanted) {
    if (!(await cache.match(path, MATCH))) {
      missing.push(path);
    }
  }
  await cache.addAll(missing);
  await cache.put(SHELL, response);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (HASHED.test(path) && !wanted.has(path)) {
      await cache.delete(request);
    }
  }
}

/** The hashed same-origin paths quoted in an index.html (stylesheet, JS glue, wasm). */
function bundleFiles(html) {
  const paths = new Set();
  for (const match of html.matchAll(/["'](\/[^"'\s?#]+)["']/g)) {
    if (HASHED.test(match[1])) {
      paths.add(match[1]);
    }
  }
  return paths;
}

async function bundleFile(request) {
  const cached = await caches.match(request, MATCH);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const copy = response.clone();
    const cache = await caches.open(CACHE);
    await cache.put(request, copy);
  }
  return response;
}

async function staticFile(request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch {
    return (await caches.match(request, MATCH)) ?? Response.error();
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
