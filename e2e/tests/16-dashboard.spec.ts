import { expect, test, type APIRequestContext, type Page } from '@playwright/test';

import { AppHeader } from '../pages/header';
import { GaragePage } from '../pages/garage';
import { ADMIN, signIn } from './support';

// The vehicle Dashboard tab (issue 8): expense make-up, cost and distance by month, economy by
// month, reminders as of a day, the year filter; and the garage card metric. A user of its own
// keeps the admin's settings (auto odometer insert, garage metric) out of it.

const PASSWORD = 'dashboard-passphrase';
const suffix = Date.now().toString(36);

async function apiLogin(request: APIRequestContext, username: string, password: string): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { username, password } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).csrfToken;
}

async function send(request: APIRequestContext, csrf: string, method: 'post' | 'put', url: string, data: object) {
  const res = await request[method](url, { data, headers: { 'X-CSRF-Token': csrf } });
  expect(res.status(), `${url}: ${await res.text()}`).toBeLessThan(300);
  return res.json();
}

/**
 * A user with one vehicle and a fixed history (no auto-inserted odometer records):
 *
 * | 2023 | service      | repair | upgrade | fuel | tax    | odometer distance | economy (mpg) |
 * |------|--------------|--------|---------|------|--------|-------------------|---------------|
 * | Jan  | 120          |        |         | 40   | 200    | 800               | (baseline)    |
 * | Feb  |              |        |         | 42   |        | 500               | 30            |
 * | Mar  | 80.50        | 310    |         | 44   |        |                   | 40            |
 * | Apr  |              |        |         | 48   |        | 900               | 25            |
 * | Jun  |              |        | 450     | 88   |        | 800               | 30            |
 * | Jul  |              |        |         |      | 95.25  |                   |               |
 *
 * plus a 60 service in December 2022, and an inspection due on 1 August 2023.
 */
async function seed(request: APIRequestContext): Promise<{ username: string; vehicle: number }> {
  const username = `dash-${suffix}`;
  const admin = await apiLogin(request, ADMIN.username, ADMIN.password);
  await send(request, admin, 'post', '/api/v1/users', { username, password: PASSWORD, email: `${username}@example.com` });
  const csrf = await apiLogin(request, username, PASSWORD);
  const settings = await (await request.get('/api/v1/me/settings')).json();
  await send(request, csrf, 'put', '/api/v1/me/settings', { ...settings, enableAutoOdometerInsert: false });
  const vehicle = (await send(request, csrf, 'post', '/api/v1/vehicles', {
    year: 2019, make: 'Volvo', model: `V60 ${suffix}`, licensePlate: 'DASH-1',
  })).id as number;
  const v = `/api/v1/vehicles/${vehicle}`;
  const maintenance: [string, string, number, number | string][] = [
    ['service', '2022-12-01', 900, 60],
    ['service', '2023-01-10', 1000, 120],
    ['service', '2023-03-05', 2500, '80.50'],
    ['repair', '2023-03-20', 2700, 310],
    ['upgrade', '2023-06-15', 4000, 450],
  ];
  for (const [kind, date, odometer, cost] of maintenance) {
    await send(request, csrf, 'post', `${v}/${kind}-records`, { date, odometer, description: kind, cost });
  }
  for (const [date, cost] of [['2023-01-01', 200], ['2023-07-01', '95.25']]) {
    await send(request, csrf, 'post', `${v}/tax-records`, { date, description: 'Road tax', cost });
  }
  const fills: [string, number, number, number][] = [
    ['2023-01-05', 1000, 10, 40],
    ['2023-02-05', 1300, 10, 42],
    ['2023-03-05', 1700, 10, 44],
    ['2023-04-05', 2000, 12, 48],
    ['2023-06-05', 2660, 22, 88],
  ];
  for (const [date, odometer, fuelConsumed, cost] of fills) {
    await send(request, csrf, 'post', `${v}/fuel-records`, { date, odometer, fuelConsumed, cost, isFillToFull: true });
  }
  const readings: [string, number, number][] = [
    ['2023-01-31', 1000, 1800],
    ['2023-02-28', 1800, 2300],
    ['2023-04-30', 2300, 3200],
    ['2023-06-30', 3200, 4000],
  ];
  for (const [date, initialOdometer, odometer] of readings) {
    await send(request, csrf, 'post', `${v}/odometer-records`, { date, initialOdometer, odometer });
  }
  await send(request, csrf, 'post', `${v}/reminders`, { description: 'Inspection', metric: 'date', dueDate: '2023-08-01' });
  return { username, vehicle };
}

async function signInAs(page: Page, username: string) {
  await page.goto('/');
  const logout = page.getByTestId('logout');
  await expect(page.getByTestId('login-username').or(logout)).toBeVisible();
  if (await logout.isVisible()) {
    await new AppHeader(page).logout();
  }
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await new GaragePage(page).expectShown();
}

/** The `<title>` of each mark of a chart, in drawing order. */
async function titles(page: Page, chart: string, mark: string): Promise<string[]> {
  return page.getByTestId(chart).getByTestId(mark).locator('title').allTextContents();
}

let world: { username: string; vehicle: number };

test.beforeAll(async ({ browser, playwright }, info) => {
  const baseURL = info.project.use.baseURL;
  const page = await browser.newPage({ baseURL });
  await signIn(page); // first-run setup when this file runs alone
  await page.close();
  const request = await playwright.request.newContext({ baseURL });
  world = await seed(request);
  await request.dispose();
});

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await signInAs(page, world.username);
});

test('the dashboard charts the history, and the year filter narrows it', async ({ page }) => {
  await page.goto(`/vehicles/${world.vehicle}/dashboard`);
  const year = page.getByTestId('dashboard-year');
  await expect(page.getByTestId('dashboard-total-cost')).toHaveText('1,577.75');
  // All years: December 2022 to July 2023.
  await expect(year.locator('option')).toHaveText(['All years', '2023', '2022']);
  await expect(page.getByTestId('cost-chart').getByTestId('chart-x-label').first()).toHaveText('Dec 2022');

  await year.selectOption('2023');
  await expect(page.getByTestId('dashboard-total-cost')).toHaveText('1,517.75');
  await expect(page.getByTestId('dashboard-distance')).toHaveText('3,000');
  // (30 + 40 + 25 + 30) / 4.
  await expect(page.getByTestId('dashboard-economy')).toHaveText('31.25');

  // The make-up: each type's exact sum and share, and a slice per type.
  const expected: [string, string, string][] = [
    ['service', '200.50', '13%'],
    ['repair', '310.00', '20%'],
    ['upgrade', '450.00', '30%'],
    ['fuel', '262.00', '17%'],
    ['tax', '295.25', '20%'],
  ];
  for (const [key, cost, share] of expected) {
    await expect(page.getByTestId(`expense-${key}-cost`)).toHaveText(cost);
    await expect(page.getByTestId(`expense-${key}-share`)).toHaveText(share);
  }
  await expect(page.getByTestId('donut-total')).toHaveText('$1,517.75');
  expect(await titles(page, 'expense-donut', 'chart-slice')).toEqual([
    'Service: $200.50 (13%)',
    'Repair: $310.00 (20%)',
    'Upgrade: $450.00 (30%)',
    'Fuel: $262.00 (17%)',
    'Tax: $295.25 (20%)',
  ]);

  // Cost by month, stacked by type: twelve months, a bar piece per type and month with a cost.
  await expect(page.getByTestId('cost-chart').getByTestId('chart-x-label')).toHaveCount(
    (page.viewportSize()?.width ?? 1280) < 720 ? 6 : 12,
  );
  expect(await titles(page, 'cost-chart', 'chart-bar')).toEqual([
    'Service · Jan: $120.00',
    'Fuel · Jan: $40.00',
    'Tax · Jan: $200.00',
    'Fuel · Feb: $42.00',
    'Service · Mar: $80.50',
    'Repair · Mar: $310.00',
    'Fuel · Mar: $44.00',
    'Fuel · Apr: $48.00',
    'Upgrade · Jun: $450.00',
    'Fuel · Jun: $88.00',
    'Tax · Jul: $95.25',
  ]);
  // Distance from the odometer records only; economy per month of the full fill-ups.
  expect(await titles(page, 'distance-chart', 'chart-bar')).toEqual([
    'Jan: 800 mi',
    'Feb: 500 mi',
    'Apr: 900 mi',
    'Jun: 800 mi',
  ]);
  expect(await titles(page, 'economy-by-month-chart', 'chart-point')).toEqual([
    'Feb: 30.00 mpg (1 fill-up)',
    'Mar: 40.00 mpg (1 fill-up)',
    'Apr: 25.00 mpg (1 fill-up)',
    'Jun: 30.00 mpg (1 fill-up)',
  ]);

  // 2022: one service, no odometer records or economy.
  await year.selectOption('2022');
  await expect(page.getByTestId('dashboard-total-cost')).toHaveText('60.00');
  await expect(page.getByTestId('expense-service-share')).toHaveText('100%');
  await expect(page.getByTestId('expense-donut').getByTestId('chart-slice')).toHaveCount(1);
  await expect(page.getByTestId('distance-card').getByTestId('chart-empty')).toBeVisible();
  await expect(page.getByTestId('economy-card').getByTestId('chart-empty')).toBeVisible();

  // Nothing on the page is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('reminders are judged as of the chosen day', async ({ page }) => {
  await page.goto(`/vehicles/${world.vehicle}/dashboard`);
  const reminder = page.getByTestId('dashboard-reminder');
  // Today the August 2023 inspection is long past due.
  await expect(reminder.getByTestId('dashboard-reminder-urgency')).toHaveText('Past due');
  await expect(reminder.getByTestId('dashboard-reminder-description')).toHaveText('Inspection');
  const asOf = page.getByTestId('dashboard-as-of');
  for (const [day, urgency] of [
    ['2023-06-01', 'Not urgent'],
    ['2023-07-10', 'Urgent'],
    ['2023-07-28', 'Very urgent'],
  ]) {
    await asOf.fill(day);
    await expect(reminder.getByTestId('dashboard-reminder-urgency')).toHaveText(urgency);
  }
});

test.describe('screenshots', () => {
  // Playwright adds the screenshot stylesheet as a <style> element, which the app's content
  // security policy would refuse.
  test.use({ bypassCSP: true });

test('the charts look as they did (screenshot comparison)', async ({ page }) => {
  await page.goto(`/vehicles/${world.vehicle}/dashboard`);
  await page.getByTestId('dashboard-year').selectOption('2023');
  await expect(page.getByTestId('dashboard-total-cost')).toHaveText('1,517.75');
  await page.mouse.move(0, 0);
  // Text is compared above as text; the pictures compare the marks (shapes, sizes, colours), so
  // they do not depend on the fonts installed.
  const options = {
    animations: 'disabled' as const,
    caret: 'hide' as const,
    maxDiffPixelRatio: 0.02,
    stylePath: `${__dirname}/16-dashboard.screenshot.css`,
  };
  await expect(page.getByTestId('expense-donut')).toHaveScreenshot('expense-donut.png', options);
  await expect(page.getByTestId('cost-chart')).toHaveScreenshot('cost-chart.png', options);
  await expect(page.getByTestId('distance-chart')).toHaveScreenshot('distance-chart.png', options);
  await expect(page.getByTestId('economy-by-month-chart')).toHaveScreenshot('economy-chart.png', options);
});
});

test('the garage cards show the metric chosen in Settings', async ({ page }) => {
  const card = new GaragePage(page).cards.filter({ hasText: `V60 ${suffix}` });
  await expect(card.getByTestId('vehicle-odometer')).toHaveText('4,000 mi');

  await page.goto('/settings');
  await page.getByTestId('garage-metric-input').selectOption('totalCost');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('notice')).toBeVisible();
  await page.goto('/');
  // 60 + 1,517.75, every type together.
  await expect(card.getByTestId('vehicle-total-cost')).toHaveText('1,577.75');
  await expect(card.getByTestId('vehicle-odometer')).toHaveCount(0);

  await page.goto('/settings');
  await page.getByTestId('garage-metric-input').selectOption('costPerDistance');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('notice')).toBeVisible();
  await page.goto('/');
  // 1,577.75 over 4,000 − 900 = 3,100 mi: 0.5090 a mile.
  await expect(card.getByTestId('vehicle-distance-cost')).toHaveText('0.51');
  await expect(card).toContainText('Cost per mi');
});
