import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from '@playwright/test';

import { RecordsTab } from '../pages/records';
import { VehicleFormPage } from '../pages/vehicle-form';
import { VehiclePage } from '../pages/vehicle';
import { ADMIN, shot, signIn } from './support';

// The language is a per-user setting: switching to Deutsch reloads the app in German (texts,
// dialogs, the client's validation messages), the locale formats numbers and dates, and another
// user on the same server keeps English.

const PASSWORD = 'another-good-passphrase';
const OTHER = `english-${Date.now().toString(36)}`;

/** Root creates a user with a password, through the API. */
async function createUser(request: APIRequestContext, username: string) {
  const login = await request.post('/api/v1/auth/login', {
    data: { username: ADMIN.username, password: ADMIN.password },
  });
  expect(login.status()).toBe(200);
  const csrf = (await login.json()).csrfToken;
  const res = await request.post('/api/v1/users', {
    data: { username, password: PASSWORD, email: `${username}@example.com` },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
}

/** A second browser with the project's viewport and its own storage. */
async function secondBrowser(browser: Browser, info: TestInfo): Promise<Page> {
  const use = info.project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    viewport: use.viewport,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    userAgent: use.userAgent,
    deviceScaleFactor: use.deviceScaleFactor,
  });
  return context.newPage();
}

/** Saves the display settings; a new language reloads the app, in which `lang` then shows. */
async function saveDisplay(page: Page, settings: { language: string; locale: string; currency: string }) {
  await page.goto('/settings');
  await expect(page.getByTestId('settings-form')).toBeVisible();
  await page.getByTestId('language-input').selectOption(settings.language);
  await page.getByTestId('locale-input').fill(settings.locale);
  await page.getByTestId('currency-input').fill(settings.currency);
  await page.getByTestId('settings-save').click();
  await expect(page.locator('html')).toHaveAttribute('lang', settings.language);
  await expect(page.getByTestId('settings-form')).toBeVisible();
}

test('each user reads the app in their language, with their number and date formats', async ({
  page,
  browser,
  request,
}, info) => {
  const garage = await signIn(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await garage.startAddingVehicle();
  const id = await new VehicleFormPage(page).save({ year: '2019', make: 'Volkswagen', model: 'Golf', fuelType: 'diesel' });
  await new VehiclePage(page).expectLoaded();

  try {
    await saveDisplay(page, { language: 'de', locale: 'de-DE', currency: 'EUR' });
    // After the reload: headings, buttons, the navigation and the language's own select.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Einstellungen');
    await expect(page.getByTestId('settings-save')).toHaveText('Einstellungen speichern');
    await expect(page.getByTestId('language-input')).toHaveValue('de');
    await shot(page, info, 'i18n-settings-de');

    // A record dialog: its title, labels and the client's own validation messages.
    const tab = new RecordsTab(page);
    await tab.open(id, 'service');
    await expect(tab.tabLink('service')).toHaveText('Wartung');
    await expect(tab.tabLink('fuel')).toHaveText('Kraftstoff');
    await tab.openAdd();
    await expect(tab.dialog.getByRole('heading', { level: 2 })).toHaveText('Wartungseintrag hinzufügen');
    await expect(tab.dialog.getByText('Beschreibung', { exact: true })).toBeVisible();
    await tab.fill({ date: '2024-03-05', description: '', cost: '1234.5' });
    await tab.save();
    await expect(tab.fieldError('description')).toHaveText('Beschreibung ist erforderlich');
    await expect(tab.dialog.getByTestId('record-save')).toHaveText('Eintrag hinzufügen');
    await shot(page, info, 'i18n-dialog-de', false);
    await tab.fill({ description: 'Ölwechsel', odometer: '120000' });
    await tab.save();
    await expect(tab.dialog).toBeHidden();

    // German locale: day.month.year, `.` groups thousands and `,` marks decimals.
    const row = tab.rowTitled('05.03.2024');
    await expect(row.getByTestId('record-description')).toHaveText('Ölwechsel');
    await expect(row.getByTestId('record-odometer')).toHaveText('120.000');
    await expect(row.getByTestId('record-cost')).toHaveText('1.234,50');
    await expect(tab.figure('total-cost')).toHaveText('1.234,50');

    // Someone else on the same server keeps English (their own setting, not the browser's last).
    await createUser(request, OTHER);
    const other = await secondBrowser(browser, info);
    try {
      await other.goto('/login');
      await other.getByTestId('login-username').fill(OTHER);
      await other.getByTestId('login-password').fill(PASSWORD);
      await other.getByTestId('login-submit').click();
      await expect(other.getByTestId('logout')).toHaveText('Log out');
      await expect(other.locator('html')).toHaveAttribute('lang', 'en');
      await other.goto('/settings');
      await expect(other.getByRole('heading', { level: 1 })).toHaveText('Settings');
      await expect(other.getByTestId('language-input')).toHaveValue('en');
    } finally {
      await other.context().close();
    }

    // A reload keeps German, the frame (navigation, sign-out) included.
    await page.reload();
    const nav = page.locator('nav.nav');
    await expect(nav.getByRole('link', { name: 'Einstellungen' })).toBeAttached();
    await expect(nav.getByRole('link', { name: 'Garage' })).toBeAttached();
    await expect(page.getByTestId('logout')).toHaveText('Abmelden');

    // Offline (the server's static files unreachable, the API still answering), the app the
    // service worker starts is German too: it keeps the catalog with the shell.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''))
      .toMatch(/\/sw\.js$/);
    await page.reload();
    await expect(page.getByTestId('logout')).toHaveText('Abmelden');
    await page.context().route(
      (url) => !url.pathname.startsWith('/api/'),
      (route) => route.abort('connectionrefused'),
    );
    try {
      await page.reload();
      await expect(page.getByTestId('logout')).toHaveText('Abmelden');
    } finally {
      await page.context().unrouteAll();
    }
  } finally {
    await saveDisplay(page, { language: 'en', locale: 'en-US', currency: 'USD' });
  }
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await expect(page.getByTestId('logout')).toHaveText('Log out');
  const tab = new RecordsTab(page);
  await tab.open(id, 'service');
  await expect(tab.rowTitled('Mar 5, 2024').getByTestId('record-cost')).toHaveText('1,234.50');
});
