import { expect, test, type Page } from '@playwright/test';

import { signIn } from './support';

// Installable app: a web app manifest with icons, and a service worker (web/sw.js) that keeps the
// app shell cached so a repeat visit starts even when the server's static files are unreachable.

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(0, 8).equals(signature), 'PNG signature').toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** The paths stored in the page's Cache API, over every cache. */
async function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        paths.push(new URL(request.url).pathname);
      }
    }
    return paths;
  });
}

test('the manifest is linked, parses, and its icons load', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const response = await request.get(href!);
  expect(response.status()).toBe(200);
  const manifest = JSON.parse(await response.text());
  expect(manifest).toMatchObject({ name: 'MotoVaultPro', start_url: '/', scope: '/', display: 'standalone' });
  expect(manifest.short_name.length, 'short_name fits under a home-screen icon').toBeLessThanOrEqual(12);

  // Chromium's own reading of the manifest: no parse errors, the same name and icons.
  const cdp = await page.context().newCDPSession(page);
  const seen = await cdp.send('Page.getAppManifest');
  expect(seen.url).toMatch(/\/manifest\.webmanifest$/);
  expect(seen.errors).toEqual([]);
  expect(JSON.parse(seen.data!).name).toBe('MotoVaultPro');

  // Every icon answers with its declared type and, for PNGs, its declared size.
  const purposes = new Set<string>();
  for (const icon of manifest.icons as { src: string; sizes: string; type: string; purpose: string }[]) {
    const file = await request.get(icon.src);
    expect(file.status(), icon.src).toBe(200);
    expect(file.headers()['content-type'], icon.src).toContain(icon.type);
    if (icon.type === 'image/png') {
      const [width, height] = pngSize(await file.body());
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
    purposes.add(`${icon.purpose} ${icon.sizes}`);
  }
  for (const needed of ['any 192x192', 'any 512x512', 'maskable 512x512']) {
    expect([...purposes], 'icons an installable app needs').toContain(needed);
  }

  // The favicon in the tab is the same drawing, served from the app.
  const favicon = await page.locator('link[rel="icon"]').getAttribute('href');
  const svg = await request.get(favicon!);
  expect(svg.status()).toBe(200);
  expect(await svg.text()).toContain('<svg');
});

test('the service worker controls the app and a repeat visit needs no static file from the server', async ({
  page,
}) => {
  await signIn(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe('/');
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''))
    .toMatch(/\/sw\.js$/);

  // The shell and the bundle it names are cached; nothing from the API ever is.
  const shell = await page.evaluate(() => document.documentElement.outerHTML);
  const bundle = [
    ...new Set([...shell.matchAll(/["'](\/[\w.-]+-[0-9a-f]{16}(?:_bg)?\.(?:js|wasm|css))["']/g)].map((m) => m[1])),
  ];
  expect(bundle.filter((p) => p.endsWith('.wasm')), 'the page names its wasm').toHaveLength(1);
  const cached = await cachedPaths(page);
  expect(cached).toContain('/index.html');
  for (const path of bundle) {
    expect(cached, path).toContain(path);
  }
  expect(cached.filter((p) => p.startsWith('/api/')), 'API responses are never cached').toEqual([]);

  // Now the server's static files are unreachable, for the page and for the worker alike
  // (context routes see the worker's requests): only the API still answers.
  const refused: string[] = [];
  await page.context().route(
    (url) => !url.pathname.startsWith('/api/'),
    (route) => {
      refused.push(new URL(route.request().url()).pathname);
      return route.abort('connectionrefused');
    },
  );
  const fromWorker = new Map<string, boolean>();
  page.on('response', (response) => {
    fromWorker.set(new URL(response.url()).pathname, response.fromServiceWorker());
  });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Garage' })).toBeVisible();
  const wasm = bundle.find((p) => p.endsWith('.wasm'))!;
  expect(fromWorker.get(wasm), 'the wasm came from the worker cache').toBe(true);
  expect(refused, 'the worker tried the network for the page first').toContain('/');

  // A deep link is a client route: it gets the cached shell too.
  await page.goto('/admin');
  await expect(page.getByTestId('admin-backup')).toBeVisible();
});
