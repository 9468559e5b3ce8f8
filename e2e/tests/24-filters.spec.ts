import { expect, test, type Locator, type Page } from '@playwright/test';

import { expectNoHorizontalOverflow, signIn } from './support';

/**
 * Per-tab filters (issue 8): the fuel, supplies, planner, equipment and inspection tabs narrow
 * what they show to the items containing the typed text, case-insensitively, and show
 * everything again when the box is cleared. Records are made through the API; the filter is
 * driven in the browser.
 */

async function api(page: Page, path: string, data: unknown) {
  const me = await page.request.get('/api/v1/auth/me');
  const csrf = (await me.json()).csrfToken as string;
  const response = await page.request.post(`/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrf } });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(201);
  return response.json();
}

/**
 * Types into the filter box of `scope` (the page, or one card of it) and expects `shown` of
 * `items` to stay, then clears it.
 */
async function expectFilter(page: Page, items: string, typed: string, shown: string[], total: number, scope?: Locator) {
  const within = scope ?? page.locator('main');
  const visible = within.locator(`${items}:visible`);
  await expect(visible).toHaveCount(total);
  const box = within.getByTestId('tab-filter');
  await box.fill(typed);
  await expect(visible).toHaveCount(shown.length);
  for (const text of shown) {
    await expect(visible.filter({ hasText: text })).toHaveCount(1);
  }
  await expectNoHorizontalOverflow(page);
  await box.fill('');
  await expect(visible).toHaveCount(total);
}

test('the fuel, supplies, planner, equipment and inspection tabs filter their own items', async ({ page }) => {
  await signIn(page);
  const tag = `${Date.now() % 1_000_000}`;
  const vehicle = await api(page, '/vehicles', { year: 2016, make: `Filter${tag}`, model: 'Tabs' });
  const v = `/vehicles/${vehicle.id}`;

  await api(page, `${v}/fuel-records`, { date: '2024-01-05', odometer: 1000, fuelConsumed: 40, cost: 60, notes: 'Shell motorway' });
  await api(page, `${v}/fuel-records`, { date: '2024-02-05', odometer: 1500, fuelConsumed: 38, cost: 55, notes: 'Aral town' });
  await api(page, `${v}/fuel-records`, { date: '2024-03-05', odometer: 2000, fuelConsumed: 41, cost: 61, notes: 'Esso shell-card' });
  await page.goto(v);
  await expectFilter(page, '[data-testid="fuel-row"]', 'SHELL', ['motorway', 'Esso'], 3);

  await api(page, `${v}/supplies`, { date: '2024-01-01', description: 'Oil filter', partNumber: 'OF-123', supplier: 'Parts Co', quantity: 2, cost: 20 });
  await api(page, `${v}/supplies`, { date: '2024-01-01', description: 'Brake fluid', partNumber: 'BF-9', supplier: 'Fluids Ltd', quantity: 1, cost: 12 });
  await page.goto(`${v}/supplies`);
  // The shop's supplies (other tests may have made some) have a table and a filter of their own.
  const own = page.getByTestId('vehicle-supplies');
  await expectFilter(page, '[data-testid="supply-row"]', 'of-1', ['Oil filter'], 2, own);

  await api(page, `${v}/plans`, { description: 'Replace chain', priority: 'normal', progress: 'backlog' });
  await api(page, `${v}/plans`, { description: 'Chain guard', priority: 'low', progress: 'inProgress' });
  await api(page, `${v}/plans`, { description: 'Mirror', priority: 'critical', progress: 'testing' });
  await page.goto(`${v}/planner`);
  await expectFilter(page, '[data-testid="plan-card"]', 'chain', ['Replace chain', 'Chain guard'], 3);

  await api(page, `${v}/equipment`, { description: 'Winter tyres', isEquipped: false, notes: 'Nokian' });
  await api(page, `${v}/equipment`, { description: 'Roof box', isEquipped: true });
  await page.goto(`${v}/equipment`);
  await expectFilter(page, '[data-testid="record-row"]', 'nokian', ['Winter tyres'], 2);

  const template = await api(page, `${v}/inspection-templates`, {
    description: 'Pre-ride check',
    cost: 0,
    fields: [{ description: 'Notes', fieldType: 'text' }],
  });
  await api(page, `${v}/inspections`, { templateId: template.id, date: '2024-04-01', description: 'Spring check' });
  await api(page, `${v}/inspections`, { templateId: template.id, date: '2024-09-01', description: 'Autumn check' });
  await page.goto(`${v}/inspections`);
  await expectFilter(page, '[data-testid="inspections"] [data-testid="record-row"]', 'AUTUMN', ['Autumn check'], 2);
});
