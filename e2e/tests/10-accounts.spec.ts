import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from '@playwright/test';

import { AppHeader } from '../pages/header';
import { GaragePage } from '../pages/garage';
import { LoginPage } from '../pages/login';
import { VehicleFormPage } from '../pages/vehicle-form';
import { ADMIN, signIn } from './support';

// Accounts and sharing: registration by token, remember me, API keys, co-owners, households,
// disabling a user, the theme. Each project (desktop, phone) has its own server, so names only
// need to be unique within a run.

const PASSWORD = 'another-good-passphrase';
const suffix = Date.now().toString(36);
const name = (who: string) => `${who}-${suffix}`;

/** Signs the API context in as root and answers its CSRF token (for writes). */
async function rootCsrf(request: APIRequestContext): Promise<string> {
  const res = await request.post('/api/v1/auth/login', {
    data: { username: ADMIN.username, password: ADMIN.password },
  });
  expect(res.status()).toBe(200);
  return (await res.json()).csrfToken;
}

/** Root creates a user with a password, through the API. */
async function createUser(request: APIRequestContext, username: string) {
  const csrf = await rootCsrf(request);
  const res = await request.post('/api/v1/users', {
    data: { username, password: PASSWORD, email: `${username}@example.com` },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
}

/** Signs whoever is signed in out, then signs `username` in through the login form. */
async function signInAs(page: Page, username: string, password = PASSWORD, remember = false) {
  const login = new LoginPage(page);
  await page.goto('/');
  const logout = page.getByTestId('logout');
  await expect(login.form.or(logout)).toBeVisible();
  if (await logout.isVisible()) {
    await new AppHeader(page).logout();
  }
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  if (remember) {
    await page.getByTestId('login-remember').check();
  }
  await page.getByTestId('login-submit').click();
  await new GaragePage(page).expectShown();
  await new AppHeader(page).expectSignedInAs(username);
}

/** A second browser with the project's viewport, for a second person signed in at once. */
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

async function addVehicle(page: Page, make: string, model: string): Promise<number> {
  const garage = new GaragePage(page);
  await garage.goto();
  await garage.startAddingVehicle();
  return new VehicleFormPage(page).save({ year: '2022', make, model, fuelType: 'gasoline' });
}

test('root issues a registration token and a new user registers with it', async ({ page }) => {
  await signIn(page);
  const email = `${name('newbie')}@example.com`;
  await page.goto('/admin/tokens');
  await page.getByTestId('email-input').fill(email);
  await page.getByTestId('token-create').click();
  const secret = page.getByTestId('token-secret');
  await expect(secret).toBeVisible();
  const token = await secret.inputValue();
  expect(token).toMatch(/^\S{8}$/);
  await page.getByTestId('token-secret-done').click();
  await expect(page.getByTestId('token-row').filter({ hasText: email })).toContainText('Unused');

  await new AppHeader(page).logout();
  await page.getByTestId('login-register').click();
  await expect(page).toHaveURL(/\/register$/);
  await page.getByTestId('register-token').fill(token);
  await page.getByTestId('register-email').fill(email);
  await page.getByTestId('register-username').fill(name('newbie'));
  await page.getByTestId('register-password').fill(PASSWORD);
  await page.getByTestId('register-submit').click();
  await new GaragePage(page).expectShown();
  await new AppHeader(page).expectSignedInAs(name('newbie'));
  // Not an administrator: no admin link.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);

  // The token was single use: the same link now fails.
  await new AppHeader(page).logout();
  await page.goto(`/register?token=${token}`);
  await expect(page.getByTestId('register-token')).toHaveValue(token);
  await page.getByTestId('register-email').fill(email);
  await page.getByTestId('register-username').fill(name('again'));
  await page.getByTestId('register-password').fill(PASSWORD);
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('register-form').getByTestId('alert')).toBeVisible();
});

test('remember me keeps the session for 30 days, otherwise for a day', async ({ page, context }) => {
  await signIn(page);
  const sessionExpiry = async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'motovault_session');
    expect(cookie, 'session cookie').toBeDefined();
    return cookie!.expires;
  };
  const day = 24 * 3600;
  const now = Date.now() / 1000;

  await signInAs(page, ADMIN.username, ADMIN.password, true);
  const remembered = await sessionExpiry();
  expect(remembered).toBeGreaterThan(now + 29 * day);
  expect(remembered).toBeLessThan(now + 31 * day);

  await signInAs(page, ADMIN.username, ADMIN.password, false);
  const plain = await sessionExpiry();
  // A browser-session cookie (-1) or one that lasts about a day.
  expect(plain === -1 || plain < now + 2 * day).toBeTruthy();
});

test('an API key works until it is revoked', async ({ page, request }) => {
  await signIn(page);
  await page.goto('/settings/api-keys');
  await page.getByTestId('name-input').fill(name('script'));
  await page.getByTestId('role-input').selectOption('viewer');
  await page.getByTestId('api-key-create').click();
  const secretBox = page.getByTestId('api-key-secret');
  await expect(secretBox).toBeVisible();
  const secret = await secretBox.inputValue();
  expect(secret.length).toBeGreaterThan(20);
  await page.getByTestId('api-key-secret-done').click();
  await expect(secretBox).toHaveCount(0);
  const row = page.getByTestId('api-key-row').filter({ hasText: name('script') });
  await expect(row).toContainText('Viewer');

  const withKey = () =>
    request.get('/api/v1/vehicles', { headers: { Authorization: `Bearer ${secret}` } });
  expect((await withKey()).status()).toBe(200);

  await row.getByTestId('api-key-revoke').click();
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('notice')).toHaveText('Key revoked.');
  await expect(row).toHaveCount(0);
  expect((await withKey()).status()).toBe(401);
});

test('a co-owner added on the vehicle page sees the vehicle', async ({ page, request }) => {
  await signIn(page);
  const carol = name('carol');
  await createUser(request, carol);
  const id = await addVehicle(page, 'Volvo', `V70-${suffix}`);

  await page.goto(`/vehicles/${id}/edit`);
  const panel = page.getByTestId('sharing-panel');
  // The owner is the first co-owner.
  await expect(panel.getByTestId('collaborator-name')).toHaveText([ADMIN.username]);
  await panel.getByTestId('username-input').fill('nobody-by-that-name');
  await panel.getByTestId('collaborator-add').click();
  await expect(panel.getByTestId('error-username').or(panel.getByTestId('alert')).first()).toBeVisible();
  await panel.getByTestId('username-input').fill(carol);
  await panel.getByTestId('collaborator-add').click();
  await expect(panel.getByTestId('collaborator-name')).toHaveCount(2);
  await expect(panel.getByTestId('collaborator-name').filter({ hasText: carol })).toBeVisible();

  await signInAs(page, carol);
  await expect(new GaragePage(page).card(`V70-${suffix}`)).toBeVisible();
  await page.goto(`/vehicles/${id}/edit`);
  await expect(page.getByTestId('sharing-panel').getByTestId('collaborator-name')).toHaveCount(2);
});

test('a household viewer sees the head’s vehicles but cannot change them', async ({ page, request }) => {
  // Root sees every vehicle and heads no household: the head is an ordinary user.
  await signIn(page);
  const heidi = name('heidi');
  const dave = name('dave');
  await createUser(request, heidi);
  await createUser(request, dave);
  await signInAs(page, heidi);
  const id = await addVehicle(page, 'Skoda', `Octavia-${suffix}`);

  await page.goto('/settings/household');
  await page.getByTestId('username-input').fill(dave);
  await page.getByTestId('role-input').selectOption('viewer');
  await page.getByTestId('member-add').click();
  const member = page.getByTestId('member-row').filter({ hasText: dave });
  await expect(member.getByTestId('member-role')).toHaveValue('viewer');

  await signInAs(page, dave);
  await expect(new GaragePage(page).card(`Octavia-${suffix}`)).toBeVisible();
  await page.goto('/settings/household');
  await expect(page.getByTestId('head-row').filter({ hasText: heidi })).toContainText('Viewer');

  // Editing is refused by the server and explained.
  await page.goto(`/vehicles/${id}/edit`);
  await page.getByTestId('vehicle-model').fill('Changed');
  await page.getByTestId('vehicle-save').click();
  await expect(page.getByTestId('vehicle-form').getByTestId('alert')).toBeVisible();
  await page.goto(`/vehicles/${id}`);
  await expect(page.getByTestId('vehicle-heading')).toHaveText(`2022 Skoda Octavia-${suffix}`);
});

test('an administrator disables a user, who is signed out at once', async ({ page, request, browser }, info) => {
  await signIn(page);
  const erin = name('erin');
  await createUser(request, erin);
  const other = await secondBrowser(browser, info);
  try {
    await signInAs(other, erin);

    await page.goto('/admin');
    const row = page.getByTestId('user-row').filter({ has: page.getByTestId('user-name').getByText(erin, { exact: true }) });
    await row.getByTestId('user-toggle-disabled').click();
    await expect(row.getByTestId('user-badges')).toContainText('Disabled');

    // Erin's next page load finds the session gone.
    await other.goto('/settings');
    await expect(other.getByTestId('login-form')).toBeVisible();
    await other.getByTestId('login-username').fill(erin);
    await other.getByTestId('login-password').fill(PASSWORD);
    await other.getByTestId('login-submit').click();
    await expect(other.getByTestId('login-form').getByTestId('alert')).toBeVisible();
  } finally {
    await other.context().close();
  }
});

test('choosing the dark theme darkens the page at once', async ({ page }) => {
  await signIn(page);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.goto('/settings');
  await expect(page.getByTestId('settings-form')).toBeVisible();
  expect(await background()).toBe('rgb(244, 246, 250)');
  try {
    await page.getByTestId('theme-input').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('notice')).toHaveText('Settings saved.');
    await expect.poll(background).toBe('rgb(11, 17, 32)');
    // It stays after a reload (saved with the user's settings).
    await page.reload();
    await expect(page.getByTestId('settings-form')).toBeVisible();
    await expect.poll(background).toBe('rgb(11, 17, 32)');
  } finally {
    await page.getByTestId('theme-input').selectOption('system');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('notice')).toHaveText('Settings saved.');
  }
  await expect.poll(background).toBe('rgb(244, 246, 250)');
});
