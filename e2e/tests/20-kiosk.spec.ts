import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';

import { ADMIN, expectNoHorizontalOverflow, signIn } from './support';

/**
 * The kiosk (reference §1 "Kiosk"): a read-only wall display of vehicles, plans or reminders,
 * cycling through them and following changes live. Data is made through the API by a second
 * client, as another device would, with names unique to each run.
 */

type Api = {
  ctx: APIRequestContext;
  csrf: string;
  post: (path: string, data: object) => Promise<number>;
};


async function api(baseURL: string | undefined): Promise<Api> {
  const ctx = await request.newContext({ baseURL });
  const login = await ctx.post('/api/v1/auth/login', {
    data: { username: ADMIN.username, password: ADMIN.password },
  });
  expect(login.status()).toBe(200);
  const headers = { 'x-csrf-token': (await login.json()).csrfToken as string };
  return {
    ctx,
    csrf: headers['x-csrf-token'],
    post: async (path, data) => {
      const reply = await ctx.post(`/api/v1${path}`, { headers, data });
      expect(reply.status(), `${path}: ${await reply.text()}`).toBe(201);
      return (await reply.json()).id as number;
    },
  };
}

/** Two vehicles kept and one sold; the first has a past-due reminder and an open plan. */
async function wall(a: Api) {
  const tag = `${Date.now() % 1_000_000}`;
  const names = { kept: `Wall${tag}`, other: `Side${tag}`, sold: `Gone${tag}` };
  const kept = await a.post('/vehicles', { year: 2019, make: names.kept, model: 'Kiosk', licensePlate: 'WALL-1' });
  const other = await a.post('/vehicles', { year: 2019, make: names.other, model: 'Kiosk' });
  await a.post('/vehicles', { year: 2019, make: names.sold, model: 'Kiosk', soldDate: '2024-01-01' });
  const reminder = `Inspect ${tag}`;
  await a.post(`/vehicles/${kept}/reminders`, { description: reminder, metric: 'date', dueDate: '2020-01-01' });
  const plan = `Brakes ${tag}`;
  await a.post(`/vehicles/${kept}/plans`, { description: plan, priority: 'critical', progress: 'inProgress' });
  return { tag, names, kept, other, reminder, plan };
}

function vehicleCard(page: Page, make: string) {
  return page.getByTestId('kiosk-vehicle').filter({ hasText: make });
}

async function expectReadOnly(page: Page) {
  const kiosk = page.getByTestId('kiosk');
  await expect(kiosk).toBeVisible();
  await expect(kiosk.locator('button, input, select, textarea, form')).toHaveCount(0);
  // The only link leaves the display.
  await expect(kiosk.locator('a')).toHaveCount(1);
  await expect(page.locator('.topbar')).toBeHidden();
}

test('the kiosk shows the vehicles read-only, without the sold or excluded ones', async ({ page, baseURL }) => {
  await signIn(page);
  const a = await api(baseURL);
  const w = await wall(a);

  await page.goto('/');
  await page.getByTestId('open-kiosk').click();
  await expect(page).toHaveURL(/\/kiosk$/);
  await expect(page.getByTestId('kiosk-title')).toHaveText('Vehicles');
  const kept = vehicleCard(page, w.names.kept);
  await expect(kept).toBeVisible();
  await expect(kept.getByTestId('kiosk-vehicle-name')).toHaveText(`2019 ${w.names.kept} Kiosk`);
  await expect(kept.getByTestId('kiosk-next-reminder')).toContainText('Past due');
  await expect(kept.getByTestId('kiosk-next-reminder')).toContainText(w.reminder);
  await expect(kept.getByTestId('kiosk-open-plans')).toHaveText('1');
  await expect(vehicleCard(page, w.names.other)).toBeVisible();
  await expect(vehicleCard(page, w.names.sold)).toHaveCount(0);
  await expectReadOnly(page);
  await expectNoHorizontalOverflow(page);

  await page.goto(`/kiosk?exclude=${w.other}`);
  await expect(vehicleCard(page, w.names.kept)).toBeVisible();
  await expect(vehicleCard(page, w.names.other)).toHaveCount(0);

  // Leaving the display brings the app's frame back.
  await page.getByTestId('kiosk-exit').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Garage' })).toBeVisible();
  await expect(page.locator('.topbar')).toBeVisible();
  await a.ctx.dispose();
});

test('plans and reminders modes show open plans and reminders by urgency', async ({ page, baseURL }) => {
  await signIn(page);
  const a = await api(baseURL);
  const w = await wall(a);

  await page.goto('/kiosk?mode=plans');
  await expect(page.getByTestId('kiosk-title')).toHaveText('Plans');
  const plan = page.getByTestId('kiosk-plan').filter({ hasText: w.plan });
  await expect(plan).toBeVisible();
  await expect(plan.getByTestId('kiosk-plan-priority')).toHaveText('Critical');
  await expect(plan.getByTestId('kiosk-plan-stage')).toHaveText('In progress');
  await expect(plan).toContainText(`2019 ${w.names.kept} Kiosk`);
  await expectReadOnly(page);

  await page.goto('/kiosk?mode=reminders');
  await expect(page.getByTestId('kiosk-title')).toHaveText('Reminders');
  const reminder = page.getByTestId('kiosk-reminder').filter({ hasText: w.reminder });
  await expect(reminder).toBeVisible();
  await expect(reminder.getByTestId('kiosk-reminder-urgency')).toHaveText('Past due');
  await expectReadOnly(page);
  await expectNoHorizontalOverflow(page);
  await a.ctx.dispose();
});

test('cycle mode walks vehicles, plans and reminders', async ({ page, baseURL }) => {
  await signIn(page);
  const a = await api(baseURL);
  const w = await wall(a);

  await page.goto('/kiosk?mode=cycle&interval=1');
  const title = page.getByTestId('kiosk-title');
  await expect(title).toHaveAttribute('data-section', 'vehicles');
  await expect(vehicleCard(page, w.names.kept)).toBeVisible();
  await expect(title).toHaveAttribute('data-section', 'plans', { timeout: 5_000 });
  await expect(page.getByTestId('kiosk-plan').filter({ hasText: w.plan })).toBeVisible();
  await expect(title).toHaveAttribute('data-section', 'reminders', { timeout: 5_000 });
  await expect(page.getByTestId('kiosk-reminder').filter({ hasText: w.reminder })).toBeVisible();
  await expect(title).toHaveAttribute('data-section', 'vehicles', { timeout: 5_000 });
  await expectReadOnly(page);
  await a.ctx.dispose();
});

test('a change made elsewhere shows up on the display without a reload', async ({ page, baseURL }) => {
  await signIn(page);
  const a = await api(baseURL);
  const w = await wall(a);

  await page.goto('/kiosk?mode=reminders');
  await expect(page.getByTestId('kiosk-reminder').filter({ hasText: w.reminder })).toBeVisible();
  const fresh = `Tyres ${w.tag}`;
  await expect(page.getByTestId('kiosk-reminder').filter({ hasText: fresh })).toHaveCount(0);
  await a.post(`/vehicles/${w.other}/reminders`, { description: fresh, metric: 'date', dueDate: '2020-06-01' });
  const shown = page.getByTestId('kiosk-reminder').filter({ hasText: fresh });
  await expect(shown).toBeVisible({ timeout: 10_000 });
  await expect(shown).toContainText(`2019 ${w.names.other} Kiosk`);
  await a.ctx.dispose();
});

test('a wall display opened with a viewer key needs no session and still follows changes', async ({ browser, baseURL }) => {
  const a = await api(baseURL);
  const w = await wall(a);
  const created = await a.ctx.post('/api/v1/api-keys', {
    headers: { 'x-csrf-token': a.csrf },
    data: { name: `wall ${w.tag}`, role: 'viewer' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const key = (await created.json()).secret as string;

  // A fresh browser: no cookie at all, as on a display set up once from a bookmark.
  const display = await browser.newContext({ baseURL });
  const page = await display.newPage();
  await page.goto(`/kiosk?mode=reminders&apiKey=${key}`);
  await expect(page).toHaveURL(/\/kiosk\?/);
  await expect(page.getByTestId('kiosk-reminder').filter({ hasText: w.reminder })).toBeVisible();
  const kiosk = page.getByTestId('kiosk');
  await expect(kiosk.locator('button, input, select, textarea, form')).toHaveCount(0);
  // Nowhere to leave to: the key opens the display only.
  await expect(kiosk.locator('a')).toHaveCount(0);

  const fresh = `Chain ${w.tag}`;
  await a.post(`/vehicles/${w.kept}/reminders`, { description: fresh, metric: 'date', dueDate: '2020-03-01' });
  await expect(page.getByTestId('kiosk-reminder').filter({ hasText: fresh })).toBeVisible({ timeout: 10_000 });

  // The key opens nothing else: the garage still asks for a sign-in.
  await page.goto(`/?apiKey=${key}`);
  await expect(page).toHaveURL(/\/login/);
  // A revoked or mistyped key leads to the sign-in page, as a lost session does; signing in
  // there works (the refused key no longer goes along with the session's requests).
  await page.goto(`/kiosk?apiKey=${'0'.repeat(32)}`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('logout')).toBeVisible();
  await page.getByRole('link', { name: 'Garage' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Garage' })).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
  await display.close();
  await a.ctx.dispose();
});
