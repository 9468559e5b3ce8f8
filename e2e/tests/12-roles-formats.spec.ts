import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';

import { AppHeader } from '../pages/header';
import { GaragePage } from '../pages/garage';
import { ADMIN, signIn } from './support';

// The web app follows the caller: a household viewer gets no write controls, money and dates
// come out in the user's locale and currency, and a record link opens the record's tab.

const PASSWORD = 'another-good-passphrase';
const suffix = Date.now().toString(36);
const name = (who: string) => `${who}-${suffix}`;

/** Signs the API context in and answers its CSRF token (for writes). */
async function apiLogin(request: APIRequestContext, username: string, password = PASSWORD): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { username, password } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).csrfToken;
}

/** Root creates a user; the API context stays signed in as that user. */
async function userWithCsrf(request: APIRequestContext, username: string): Promise<string> {
  const csrf = await apiLogin(request, ADMIN.username, ADMIN.password);
  const res = await request.post('/api/v1/users', {
    data: { username, password: PASSWORD, email: `${username}@example.com` },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
  return apiLogin(request, username);
}

async function send(request: APIRequestContext, csrf: string, method: 'post' | 'put', url: string, data: object) {
  const res = await request[method](url, { data, headers: { 'X-CSRF-Token': csrf } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res.json();
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

/** A money figure as the user sees it: the stylesheet puts the currency around the number. */
async function shownMoney(figure: Locator): Promise<string> {
  return figure.evaluate((el) => {
    const part = (which: string) => getComputedStyle(el, which).content.replace(/^"|"$/g, '').replace(/^none$/, '');
    return (part('::before') + el.textContent + part('::after')).replace(/\u00a0/g, ' ');
  });
}

test.beforeEach(async ({ page }) => {
  await signIn(page); // first-run setup when this file runs alone
});

test('a household viewer sees the records but no way to change them', async ({ page, request }) => {
  const owner = name('head');
  const viewer = name('viewer');
  await userWithCsrf(request, viewer);
  const csrf = await userWithCsrf(request, owner);
  const vehicle = await send(request, csrf, 'post', '/api/v1/vehicles', {
    year: 2020, make: 'Shared', model: 'Wagon', licensePlate: 'FAM-1',
  });
  await send(request, csrf, 'post', `/api/v1/vehicles/${vehicle.id}/service-records`, {
    date: '2024-03-01', odometer: 1000, description: 'Oil change', cost: '50',
  });
  await send(request, csrf, 'post', '/api/v1/household/members', { username: viewer, role: 'viewer' });

  await signInAs(page, viewer);
  await page.goto(`/vehicles/${vehicle.id}/service`);
  const row = page.getByTestId('record-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('record-cost')).toHaveText('50.00');
  await expect(page.getByTestId('add-record')).toBeHidden();
  await expect(row.getByTestId('record-edit')).toBeHidden();
  await expect(row.getByTestId('record-delete')).toBeHidden();
  await expect(row.getByTestId('record-select')).toBeHidden();
  await expect(page.getByTestId('csv-import')).toBeHidden();
  await expect(page.getByTestId('vehicle-edit')).toBeHidden();
  // Viewing stays: the export of the attachments is a read.
  await expect(page.getByTestId('attachments-export')).toHaveAttribute(
    'href', `/api/v1/vehicles/${vehicle.id}/attachments/export`);

  // The owner of the same vehicle sees every control.
  await signInAs(page, owner);
  await page.goto(`/vehicles/${vehicle.id}/service`);
  await expect(page.getByTestId('add-record')).toBeVisible();
  await expect(page.getByTestId('record-row').getByTestId('record-delete')).toBeVisible();
  await page.goto(`/vehicles/${vehicle.id}/edit`);
  await expect(page.getByTestId('sharing-panel')).toBeVisible();
  await expect(page.getByTestId('vehicle-delete')).toBeVisible();
});

test('money and dates follow the user\'s locale and currency', async ({ page, request }) => {
  const user = name('euro');
  const csrf = await userWithCsrf(request, user);
  const settings = await (await request.get('/api/v1/me/settings')).json();
  await send(request, csrf, 'put', '/api/v1/me/settings', { ...settings, locale: 'de-DE', currency: 'EUR' });
  const vehicle = await send(request, csrf, 'post', '/api/v1/vehicles', {
    year: 2021, make: 'Euro', model: 'Estate', licensePlate: 'B-EU-1',
  });
  await send(request, csrf, 'post', `/api/v1/vehicles/${vehicle.id}/fuel-records`, {
    date: '2024-01-20', odometer: 12345, fuelConsumed: '40', cost: '1234.56',
  });

  await signInAs(page, user);
  await page.goto(`/vehicles/${vehicle.id}`);
  const cost = page.getByTestId('fuel-row').getByTestId('fuel-cost');
  await expect(cost).toHaveText('1.234,56');
  expect(await shownMoney(cost)).toBe('1.234,56 €');
  expect(await shownMoney(page.getByTestId('total-cost'))).toBe('1.234,56 €');
  await expect(page.getByTestId('fuel-row').getByTestId('fuel-date')).toHaveText('20.01.2024');
  await expect(page.getByTestId('fuel-row').getByTestId('fuel-odometer')).toHaveText('12.345');
});

test('a record link shows in the attachments and opens the linked record\'s tab', async ({ page, request }) => {
  const user = name('linker');
  const csrf = await userWithCsrf(request, user);
  const vehicle = await send(request, csrf, 'post', '/api/v1/vehicles', {
    year: 2019, make: 'Linked', model: 'Coupe', licensePlate: 'LNK-1',
  });
  await send(request, csrf, 'post', `/api/v1/vehicles/${vehicle.id}/service-records`, {
    date: '2024-04-02', odometer: 2000, description: 'Brake pads', cost: '120',
  });
  await send(request, csrf, 'post', `/api/v1/vehicles/${vehicle.id}/tax-records`, {
    date: '2024-04-01', description: 'Registration', cost: '80',
  });

  await signInAs(page, user);
  await page.goto(`/vehicles/${vehicle.id}/service`);
  await page.getByTestId('record-row').getByTestId('record-edit').click();
  const attachments = page.getByTestId('record-dialog').getByTestId('attachments');
  await expect(attachments.getByTestId('attachments-empty')).toBeVisible();
  await attachments.getByTestId('link-record-type').selectOption('tax-records');
  await attachments.getByTestId('link-record-select').selectOption({ label: 'Apr 1, 2024 Registration' });
  await attachments.getByTestId('link-record-save').click();

  const link = attachments.getByTestId('attachment-link');
  await expect(link).toHaveText('Registration');
  await expect(link).toHaveAttribute('href', `/vehicles/${vehicle.id}/tax`);
  await expect(attachments.getByTestId('attachment')).toContainText('Apr 1, 2024');
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/vehicles/${vehicle.id}/tax$`));
  await expect(page.getByTestId('record-row').getByTestId('record-title')).toHaveText('Apr 1, 2024');
});
