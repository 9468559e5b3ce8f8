import { expect, test, type Page } from '@playwright/test';

import { HistoryReport, ReportsTab } from '../pages/reports';
import { expectNoHorizontalOverflow, shot, signIn } from './support';

// The Reports tab (cost table, reference §3.4) and the printable vehicle history report. Each
// test signs in as a user of its own, so other specs' settings (units, language) do not apply.

const PASSWORD = 'reports-passphrase-42';
const suffix = Date.now().toString(36);
let users = 0;

async function csrf(page: Page): Promise<string> {
  const me = await page.request.get('/api/v1/auth/me');
  expect(me.ok()).toBeTruthy();
  return (await me.json()).csrfToken;
}

async function api(page: Page, method: 'POST' | 'PUT', path: string, data: unknown) {
  const response = await page.request.fetch(`/api/v1${path}`, {
    method,
    data,
    headers: { 'X-CSRF-Token': await csrf(page) },
  });
  expect(response.ok(), `${path}: ${await response.text()}`).toBeTruthy();
  return response.json();
}

/**
 * A new user with a sold Honda: bought 2022-03-01 for 20,000, sold 2024-09-01 for 12,000.
 * Service 100 + 20, repair 250.50, upgrade 300, fuel 60 + 80 + 170, tax 120 + 130; readings
 * 9,500 … 17,800. Answers the vehicle id, with the page signed in as that user.
 */
async function soldHonda(page: Page): Promise<number> {
  await signIn(page);
  users += 1;
  const username = `reporter-${suffix}-${users}`;
  await api(page, 'POST', '/users', { username, password: PASSWORD, email: `${username}@example.com` });
  const login = await page.request.post('/api/v1/auth/login', { data: { username, password: PASSWORD } });
  expect(login.status()).toBe(200);
  await api(page, 'PUT', '/me/settings', { enableAutoOdometerInsert: false });
  const vehicle = await api(page, 'POST', '/vehicles', {
    year: 2018,
    make: 'Honda',
    model: 'Civic',
    licensePlate: 'ABC-123',
    purchaseDate: '2022-03-01',
    purchasePrice: 20000,
    soldDate: '2024-09-01',
    soldPrice: 12000,
  });
  const v = `/vehicles/${vehicle.id}`;
  const records: [string, unknown][] = [
    ['service-records', { date: '2022-04-01', odometer: 10000, description: 'Oil change', cost: 100, tags: ['diy'], notes: '5W-30' }],
    ['service-records', { date: '2023-05-10', odometer: 0, description: 'Wipers', cost: 20 }],
    ['repair-records', { date: '2023-06-15', odometer: 14000, description: 'Dent', cost: 250.5, tags: ['insurance'] }],
    ['upgrade-records', { date: '2024-02-01', odometer: 16000, description: 'Roof rack', cost: 300 }],
    ['fuel-records', { date: '2022-03-05', odometer: 9800, fuelConsumed: 40, cost: 60 }],
    ['fuel-records', { date: '2023-01-10', odometer: 12000, fuelConsumed: 50, cost: 80, tags: ['trip'] }],
    ['fuel-records', { date: '2024-03-01', odometer: 16800, fuelConsumed: 100, cost: 170 }],
    ['tax-records', { date: '2022-03-01', description: 'Registration', cost: 120 }],
    ['tax-records', { date: '2023-03-01', description: 'Registration', cost: 130 }],
    ['odometer-records', { date: '2022-01-15', initialOdometer: 9000, odometer: 9500 }],
    ['odometer-records', { date: '2024-08-01', initialOdometer: 16800, odometer: 17800 }],
  ];
  for (const [segment, body] of records) {
    await api(page, 'POST', `${v}/${segment}`, body);
  }
  return vehicle.id;
}

test('the cost table spreads each type over distance and days, per year', async ({ page }, info) => {
  const id = await soldHonda(page);
  const tab = new ReportsTab(page);
  await tab.open(id);

  // Every year: 17,800 − 9,500 over 2022-01-15 (earliest record) → 2024-09-01 (sold).
  await expect(tab.basis).toHaveText('8,300 mi over 960 days');
  await expect(page.getByTestId('cost-row')).toHaveCount(5);
  const all: [string, string][] = [
    ['ct-service-cost', '120.00'],
    ['ct-service-distance-cost', '0.0145'],
    ['ct-service-day-cost', '0.1250'],
    ['ct-repair-cost', '250.50'],
    ['ct-fuel-cost', '310.00'],
    ['ct-fuel-distance-cost', '0.0373'],
    ['ct-tax-day-cost', '0.2604'],
    ['ct-total-cost', '1,230.50'],
    ['ct-total-distance-cost', '0.1482'],
    ['ct-total-day-cost', '1.28'],
  ];
  for (const [testid, text] of all) {
    await expect(tab.figure(testid), testid).toHaveText(text);
  }
  // The currency is drawn around money figures.
  const currency = await tab.figure('ct-total-cost').evaluate((el) => getComputedStyle(el, '::before').content);
  expect(currency).toBe('"$"');
  await expect(tab.year.locator('option')).toHaveText(['All years', '2024', '2023', '2022']);
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'reports-cost-table');

  // 2023 alone: a whole year (neither bought nor sold in it), readings 12,000 … 14,000.
  await tab.year.selectOption('2023');
  await expect(tab.basis).toHaveText('2,000 mi over 365 days');
  await expect(tab.figure('ct-total-cost')).toHaveText('480.50');
  await expect(tab.figure('ct-repair-distance-cost')).toHaveText('0.1253');
  await expect(tab.figure('ct-upgrade-cost')).toHaveText('0.00');
  await expect(tab.figure('ct-total-distance-cost')).toHaveText('0.2403');
  await expect(tab.year).toHaveValue('2023');

  // Bought inside 2022: from the purchase date to the year's end.
  await tab.year.selectOption('2022');
  await expect(tab.basis).toHaveText('500 mi over 306 days');
  await expect(tab.figure('ct-total-cost')).toHaveText('280.00');

  await tab.year.selectOption('0');
  await expect(tab.figure('ct-total-cost')).toHaveText('1,230.50');
});

test('the vehicle history report lists, totals, filters and prints', async ({ page }, info) => {
  const id = await soldHonda(page);
  const tab = new ReportsTab(page);
  await tab.open(id);
  await tab.historyLink.click();
  const report = new HistoryReport(page);
  await report.expectShown();

  await expect(page.getByTestId('history-title')).toHaveText('2018 Honda Civic');
  await expect(page.getByTestId('history-plate')).toHaveText('ABC-123');
  await expect(page.getByTestId('history-purchased')).toHaveText('Mar 1, 2022');
  await expect(page.getByTestId('history-purchased-cost')).toHaveText('20,000.00');
  await expect(page.getByTestId('history-sold')).toHaveText('Sep 1, 2024');
  await expect(page.getByTestId('history-days-owned')).toHaveText('915');
  await expect(page).toHaveTitle('2018 Honda Civic - Vehicle history');

  // Every service, repair, upgrade, fuel and tax record, oldest first.
  await expect(report.rows).toHaveCount(9);
  await expect(page.getByTestId('cell-date')).toHaveText([
    'Mar 1, 2022',
    'Mar 5, 2022',
    'Apr 1, 2022',
    'Jan 10, 2023',
    'Mar 1, 2023',
    'May 10, 2023',
    'Jun 15, 2023',
    'Feb 1, 2024',
    'Mar 1, 2024',
  ]);
  await expect(report.rows.nth(1).getByTestId('cell-description')).toHaveText('Fuel-up: 40 gal');
  await expect(report.rows.nth(2).getByTestId('cell-description')).toHaveText('Oil change');
  await expect(report.rows.nth(2).getByTestId('cell-notes')).toHaveText('5W-30');
  await expect(report.rows.nth(2).getByTestId('cell-tags')).toHaveText('diy');
  await expect(report.rows.nth(6).getByTestId('cell-cost')).toHaveText('250.50');

  const totals: [string, string][] = [
    ['history-total-cost', '920.50'],
    ['history-fuel-cost', '310.00'],
    ['history-distance-cost', '0.1109'],
    ['history-fuel-distance-cost', '0.0373'],
    ['history-economy', '46.67'],
    ['history-odometer', '17,800'],
    ['history-distance', '1,500'],
    ['history-depreciation-cost', '8,000.00'],
    ['history-dep-day-cost', '8.74'],
    ['history-dep-distance-cost', '0.9639'],
  ];
  for (const [testid, text] of totals) {
    await expect(report.figure(testid), testid).toHaveText(text);
  }
  await expectNoHorizontalOverflow(page);
  await shot(page, info, 'history-report');

  // Only the trip's fill-up; then everything else.
  await report.tag('trip').check();
  await expect(report.rows).toHaveCount(1);
  await expect(report.figure('history-total-cost')).toHaveText('0.00');
  await expect(report.figure('history-fuel-cost')).toHaveText('80.00');
  await expect(report.figure('history-economy')).toHaveText('44.00');
  await expect(page.getByTestId('history-scope')).toHaveText('only tagged trip');
  await report.tagMode.selectOption('exclude');
  await expect(report.rows).toHaveCount(8);
  await expect(report.figure('history-fuel-cost')).toHaveText('230.00');
  await report.tag('trip').uncheck();
  await expect(report.rows).toHaveCount(9);

  // A date range, both ends inclusive.
  await report.from.fill('2023-01-10');
  await report.to.fill('2023-06-15');
  await expect(report.rows).toHaveCount(4);
  await expect(report.figure('history-total-cost')).toHaveText('400.50');
  await expect(report.figure('history-distance-cost')).toHaveText('0.2003');
  await expect(page.getByTestId('history-scope')).toHaveText('From Jan 10, 2023 to Jun 15, 2023');

  // Columns come and go.
  await expect(report.headers).toContainText(['Notes']);
  await report.column('notes').uncheck();
  await expect(page.getByTestId('cell-notes')).toHaveCount(0);
  await expect(report.headers).not.toContainText(['Notes']);
  await report.column('notes').check();
  await expect(page.getByTestId('cell-notes')).toHaveCount(4);

  // The printed page: no app bar, no controls, no buttons; the report itself stays.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.topbar')).toBeHidden();
  await expect(report.controls).toBeHidden();
  await expect(report.print).toBeHidden();
  await expect(report.report).toBeVisible();
  await expect(report.rows).toHaveCount(4);
  const colours = await page.getByTestId('history-table').evaluate((el) => {
    const cell = el.querySelector('td') as HTMLElement;
    const style = getComputedStyle(cell);
    return [style.color, style.borderTopStyle, getComputedStyle(document.body).backgroundColor];
  });
  expect(colours).toEqual(['rgb(0, 0, 0)', 'solid', 'rgb(255, 255, 255)']);
  await shot(page, info, 'history-print');

  if (info.project.name === 'desktop') {
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.length).toBeGreaterThan(2000);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The document title (the vehicle) is in the PDF's metadata, as text or UTF-16.
    const bytes = pdf.toString('latin1');
    const utf16 = Buffer.from('\u0000H\u0000o\u0000n\u0000d\u0000a', 'latin1').toString('hex').toUpperCase();
    expect(bytes.includes('Honda') || bytes.toUpperCase().includes(utf16)).toBeTruthy();
  }
  await page.emulateMedia({ media: 'screen' });
  await expect(report.controls).toBeVisible();
});
